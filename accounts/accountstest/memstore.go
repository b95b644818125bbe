// Package accountstest gives tests an in-memory accounts.Store (MemStore)
// and the contract every accounts.Store keeps (TestStore), run against the
// fake and against package store on both SQL engines, so that the fake
// cannot drift from the stores it stands in for.
package accountstest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
)

// MemStore is an accounts.Store in memory, for tests of the service and the
// server. Passwords are kept as SHA-256, not as the real store's argon2id:
// it is a test double, never a store of real accounts.
type MemStore struct {
	mu       sync.Mutex
	now      func() time.Time
	nextID   int64
	orgs     []tradeplan.Organisation
	users    []memUser
	sessions map[string]memSession // by token hash
	tokens   []memToken
	audit    []tradeplan.AuditEntry
}

type memUser struct {
	tradeplan.User
	hash string
}

type memSession struct {
	tradeplan.Session
}

type memToken struct {
	tradeplan.APIToken
	hash string
}

var _ accounts.Store = (*MemStore)(nil)

// NewMemStore returns an empty MemStore on the wall clock.
func NewMemStore() *MemStore {
	return &MemStore{now: time.Now, sessions: map[string]memSession{}}
}

// SetClock sets the clock, as store.DB's SetClock does.
func (m *MemStore) SetClock(now func() time.Time) {
	m.mu.Lock()
	m.now = now
	m.mu.Unlock()
}

func (m *MemStore) stamp() time.Time { return m.now().UTC().Truncate(time.Microsecond) }

func (m *MemStore) id() int64 { m.nextID++; return m.nextID }

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func randomToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func notFound(format string, args ...any) error {
	return tradeplan.Errorf(tradeplan.ENotFound, format, args...)
}

func (m *MemStore) appendAudit(ctx context.Context, e tradeplan.AuditEntry) {
	if e.Actor == "" {
		a, ok := tradeplan.ActorFrom(ctx)
		if !ok {
			a = tradeplan.SystemActor("")
		}
		e.Actor = a.Label()
	}
	e.Seq = int64(len(m.audit)) + 1
	if len(m.audit) > 0 {
		e.PrevHash = m.audit[len(m.audit)-1].Hash
	}
	e.At = m.stamp()
	e.Hash = e.ComputeHash()
	m.audit = append(m.audit, e)
}

func auditJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Organisations.

func (m *MemStore) CreateOrg(ctx context.Context, o tradeplan.Organisation) (tradeplan.Organisation, error) {
	if err := tradeplan.CheckNewOrg(&o); err != nil {
		return o, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if o.ParentID != 0 {
		if _, ok := m.org(o.ParentID); !ok {
			return tradeplan.Organisation{}, fmt.Errorf("create organisation: %w", notFound("parent organisation %d not found", o.ParentID))
		}
	}
	for _, x := range m.orgs {
		if x.ParentID == o.ParentID && x.Name == o.Name {
			return tradeplan.Organisation{}, fmt.Errorf("create organisation: %w", tradeplan.Errorf(tradeplan.EConflict, "organisation %q: already exists", o.Name))
		}
	}
	o.ID, o.CreatedAt = m.id(), m.stamp()
	m.orgs = append(m.orgs, o)
	m.appendAudit(ctx, tradeplan.AuditEntry{OrgID: o.ID, Action: "org.create", Subject: fmt.Sprintf("org:%d", o.ID), After: auditJSON(o)})
	return o, nil
}

func (m *MemStore) org(id int64) (tradeplan.Organisation, bool) {
	i := slices.IndexFunc(m.orgs, func(o tradeplan.Organisation) bool { return o.ID == id })
	if i < 0 {
		return tradeplan.Organisation{}, false
	}
	return m.orgs[i], true
}

func (m *MemStore) Org(ctx context.Context, id int64) (tradeplan.Organisation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.org(id)
	if !ok {
		return o, notFound("organisation %d not found", id)
	}
	return o, nil
}

func (m *MemStore) subtree(id int64) ([]int64, error) {
	if _, ok := m.org(id); !ok {
		return nil, notFound("organisation %d not found", id)
	}
	ids := []int64{id}
	for i := 0; i < len(ids); i++ {
		for _, o := range m.orgs {
			if o.ParentID == ids[i] {
				ids = append(ids, o.ID)
			}
		}
	}
	slices.Sort(ids)
	return ids, nil
}

func (m *MemStore) Subtree(ctx context.Context, orgID int64) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.subtree(orgID)
}

func (m *MemStore) Orgs(ctx context.Context, f tradeplan.OrgFilter) ([]tradeplan.Organisation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var under []int64
	if f.Under != nil {
		var err error
		if under, err = m.subtree(*f.Under); err != nil {
			return nil, err
		}
	}
	out := []tradeplan.Organisation{}
	for _, o := range m.orgs {
		if (f.Under == nil || slices.Contains(under, o.ID)) && (f.ParentID == nil || o.ParentID == *f.ParentID) && (f.Kind == nil || o.Kind == *f.Kind) {
			out = append(out, o)
		}
	}
	return out, nil
}

// Users.

func (m *MemStore) CreateUser(ctx context.Context, u tradeplan.User, password string) (tradeplan.User, error) {
	if err := tradeplan.CheckNewUser(&u, password); err != nil {
		return u, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.org(u.OrgID); !ok {
		return tradeplan.User{}, fmt.Errorf("create user: %w", notFound("organisation %d not found", u.OrgID))
	}
	if slices.ContainsFunc(m.users, func(x memUser) bool { return x.Email == u.Email }) {
		return tradeplan.User{}, fmt.Errorf("create user: %w", tradeplan.Errorf(tradeplan.EConflict, "user %s: already exists", u.Email))
	}
	u.ID, u.CreatedAt = m.id(), m.stamp()
	m.users = append(m.users, memUser{User: u, hash: hashOf(password)})
	m.appendAudit(ctx, tradeplan.AuditEntry{OrgID: u.OrgID, Action: "user.create", Subject: fmt.Sprintf("user:%d", u.ID), After: auditJSON(u)})
	return u, nil
}

func (m *MemStore) user(id int64) (*memUser, error) {
	i := slices.IndexFunc(m.users, func(u memUser) bool { return u.ID == id })
	if i < 0 {
		return nil, notFound("user %d not found", id)
	}
	return &m.users[i], nil
}

func (m *MemStore) User(ctx context.Context, id int64) (tradeplan.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, err := m.user(id)
	if err != nil {
		return tradeplan.User{}, err
	}
	return u.User, nil
}

func (m *MemStore) UserByEmail(ctx context.Context, email string) (tradeplan.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	email = tradeplan.NormaliseEmail(email)
	i := slices.IndexFunc(m.users, func(u memUser) bool { return u.Email == email })
	if i < 0 {
		return tradeplan.User{}, notFound("user %s not found", email)
	}
	return m.users[i].User, nil
}

func (m *MemStore) Users(ctx context.Context, f tradeplan.UserFilter) ([]tradeplan.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var under []int64
	if f.OrgUnder != nil {
		var err error
		if under, err = m.subtree(*f.OrgUnder); err != nil {
			return nil, err
		}
	}
	out := []tradeplan.User{}
	for _, u := range m.users {
		if (f.OrgUnder == nil || slices.Contains(under, u.OrgID)) && (f.OrgID == nil || u.OrgID == *f.OrgID) && (f.Role == nil || u.Role == *f.Role) {
			out = append(out, u.User)
		}
	}
	return out, nil
}

func (m *MemStore) endSessions(userID int64) {
	for k, s := range m.sessions {
		if s.UserID == userID {
			delete(m.sessions, k)
		}
	}
}

func (m *MemStore) SetUserDisabled(ctx context.Context, id int64, disabled bool) (tradeplan.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, err := m.user(id)
	if err != nil {
		return tradeplan.User{}, fmt.Errorf("user %d: %w", id, err)
	}
	before := u.User
	if before.Disabled == disabled {
		return before, nil
	}
	u.Disabled = disabled
	action := "user.enable"
	if disabled {
		m.endSessions(id)
		action = "user.disable"
	}
	m.appendAudit(ctx, tradeplan.AuditEntry{OrgID: u.OrgID, Action: action, Subject: fmt.Sprintf("user:%d", id), Before: auditJSON(before), After: auditJSON(u.User)})
	return u.User, nil
}

func (m *MemStore) SetPassword(ctx context.Context, userID int64, password string) error {
	if err := tradeplan.CheckPassword(password); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	u, err := m.user(userID)
	if err != nil {
		return err
	}
	u.hash = hashOf(password)
	m.endSessions(userID)
	m.appendAudit(ctx, tradeplan.AuditEntry{OrgID: u.OrgID, Action: "user.password", Subject: fmt.Sprintf("user:%d", userID)})
	return nil
}

func (m *MemStore) Authenticate(ctx context.Context, email, password string) (tradeplan.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	bad := tradeplan.Errorf(tradeplan.EUnauthorized, "wrong email or password")
	email = tradeplan.NormaliseEmail(email)
	i := slices.IndexFunc(m.users, func(u memUser) bool { return u.Email == email })
	if i < 0 || len(password) > 1024 {
		return tradeplan.User{}, bad
	}
	u := m.users[i]
	if subtle.ConstantTimeCompare([]byte(u.hash), []byte(hashOf(password))) != 1 || u.Disabled {
		return tradeplan.User{}, bad
	}
	return u.User, nil
}

// Sessions.

func (m *MemStore) actor(u tradeplan.User, via string) (tradeplan.Actor, error) {
	o, ok := m.org(u.OrgID)
	if !ok {
		return tradeplan.Actor{}, notFound("organisation %d not found", u.OrgID)
	}
	sub, err := m.subtree(u.OrgID)
	if err != nil {
		return tradeplan.Actor{}, err
	}
	return tradeplan.Actor{User: u, Org: o, Subtree: sub, Via: via}, nil
}

func (m *MemStore) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, string, error) {
	if ttl <= 0 {
		return "", "", tradeplan.Errorf(tradeplan.EInvalid, "session lifetime must be positive")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	u, err := m.user(userID)
	if err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	if u.Disabled {
		return "", "", fmt.Errorf("create session: %w", tradeplan.Errorf(tradeplan.EForbidden, "user %d is disabled", userID))
	}
	now := m.stamp()
	for k, s := range m.sessions {
		if s.ExpiresAt.Before(now) {
			delete(m.sessions, k)
		}
	}
	token, csrf := randomToken("tps_"), randomToken("")
	m.sessions[hashOf(token)] = memSession{tradeplan.Session{UserID: userID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(ttl)}}
	m.appendAudit(ctx, tradeplan.AuditEntry{Actor: tradeplan.Actor{User: u.User}.Label(), OrgID: u.OrgID, Action: "session.create", Subject: fmt.Sprintf("user:%d", userID)})
	return token, csrf, nil
}

func (m *MemStore) SessionUser(ctx context.Context, token string) (tradeplan.Actor, tradeplan.Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[hashOf(token)]
	if !ok {
		return tradeplan.Actor{}, tradeplan.Session{}, tradeplan.Errorf(tradeplan.EUnauthorized, "no such session: log in again")
	}
	if !m.now().Before(s.ExpiresAt) {
		return tradeplan.Actor{}, s.Session, tradeplan.Errorf(tradeplan.EUnauthorized, "session expired: log in again")
	}
	u, err := m.user(s.UserID)
	if err != nil {
		return tradeplan.Actor{}, s.Session, err
	}
	if u.Disabled {
		return tradeplan.Actor{}, s.Session, tradeplan.Errorf(tradeplan.EUnauthorized, "account disabled")
	}
	a, err := m.actor(u.User, "session")
	return a, s.Session, err
}

func (m *MemStore) DeleteSession(ctx context.Context, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[hashOf(token)]
	if !ok {
		return nil
	}
	delete(m.sessions, hashOf(token))
	u, err := m.user(s.UserID)
	if err != nil {
		return err
	}
	m.appendAudit(ctx, tradeplan.AuditEntry{Actor: tradeplan.Actor{User: tradeplan.User{ID: u.ID, Email: u.Email}}.Label(), OrgID: u.OrgID,
		Action: "session.delete", Subject: fmt.Sprintf("user:%d", u.ID)})
	return nil
}

// API tokens.

func (m *MemStore) CreateToken(ctx context.Context, userID int64, name string) (string, tradeplan.APIToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, err := m.user(userID)
	if err != nil {
		return "", tradeplan.APIToken{}, fmt.Errorf("create token: %w", err)
	}
	plain := randomToken("tpt_")
	t := tradeplan.APIToken{ID: m.id(), UserID: userID, Name: strings.TrimSpace(name), Prefix: plain[:12], CreatedAt: m.stamp()}
	m.tokens = append(m.tokens, memToken{APIToken: t, hash: hashOf(plain)})
	m.appendAudit(ctx, tradeplan.AuditEntry{OrgID: u.OrgID, Action: "token.create", Subject: fmt.Sprintf("token:%d", t.ID), After: auditJSON(t)})
	return plain, t, nil
}

func (m *MemStore) token(id int64) (*memToken, error) {
	i := slices.IndexFunc(m.tokens, func(t memToken) bool { return t.ID == id })
	if i < 0 {
		return nil, notFound("token %d not found", id)
	}
	return &m.tokens[i], nil
}

func (m *MemStore) Token(ctx context.Context, id int64) (tradeplan.APIToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.token(id)
	if err != nil {
		return tradeplan.APIToken{}, err
	}
	return t.APIToken, nil
}

func (m *MemStore) Tokens(ctx context.Context, userID int64) ([]tradeplan.APIToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []tradeplan.APIToken{}
	for _, t := range m.tokens {
		if userID == 0 || t.UserID == userID {
			out = append(out, t.APIToken)
		}
	}
	return out, nil
}

func (m *MemStore) TokenUser(ctx context.Context, token string) (tradeplan.Actor, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.tokens, func(t memToken) bool { return t.hash == hashOf(token) })
	if i < 0 {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "unknown API token")
	}
	t := &m.tokens[i]
	if t.RevokedAt != nil {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "API token revoked")
	}
	u, err := m.user(t.UserID)
	if err != nil {
		return tradeplan.Actor{}, err
	}
	if u.Disabled {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "account disabled")
	}
	now := m.stamp()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= time.Minute {
		t.LastUsedAt = &now
	}
	a, err := m.actor(u.User, "token")
	a.TokenID = t.ID
	return a, err
}

func (m *MemStore) RevokeToken(ctx context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.token(id)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	if t.RevokedAt != nil {
		return nil
	}
	u, err := m.user(t.UserID)
	if err != nil {
		return err
	}
	before := t.APIToken
	now := m.stamp()
	t.RevokedAt = &now
	m.appendAudit(ctx, tradeplan.AuditEntry{OrgID: u.OrgID, Action: "token.revoke", Subject: fmt.Sprintf("token:%d", id), Before: auditJSON(before), After: auditJSON(t.APIToken)})
	return nil
}

// The audit log.

func (m *MemStore) AuditLog(ctx context.Context, f tradeplan.AuditFilter) ([]tradeplan.AuditEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	out := []tradeplan.AuditEntry{}
	for _, e := range m.audit {
		if len(out) == limit {
			break
		}
		if e.Seq > f.AfterSeq && (f.Subject == "" || e.Subject == f.Subject) && (f.OrgIDs == nil || slices.Contains(f.OrgIDs, e.OrgID)) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *MemStore) VerifyAudit(ctx context.Context) (tradeplan.AuditVerification, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	res := tradeplan.AuditVerification{OK: true, Entries: int64(len(m.audit))}
	prev := ""
	for i, e := range m.audit {
		if e.Seq != int64(i)+1 || e.PrevHash != prev || e.ComputeHash() != e.Hash {
			return tradeplan.AuditVerification{Entries: int64(i) + 1, BadSeq: int64(i) + 1, Problem: "altered"}, nil
		}
		prev = e.Hash
	}
	if n := len(m.audit); n > 0 {
		res.HeadSeq, res.HeadHash = m.audit[n-1].Seq, m.audit[n-1].Hash
	}
	return res, nil
}
