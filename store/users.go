package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
)

const userColumns = "id, org_id, email, name, role, created_at, disabled"

func scanUser(sc interface{ Scan(...any) error }) (tradeplan.User, error) {
	var u tradeplan.User
	var role string
	err := sc.Scan(&u.ID, &u.OrgID, &u.Email, &u.Name, &role, ptime{&u.CreatedAt}, &u.Disabled)
	u.Role = tradeplan.Role(role)
	return u, err
}

func normaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CreateUser creates a user of organisation u.OrgID with the given password
// (at least 10 characters), hashed with argon2id, and returns the user with
// its ID and CreatedAt. Emails are unique, compared case-insensitively.
func (db *DB) CreateUser(ctx context.Context, u tradeplan.User, password string) (tradeplan.User, error) {
	u.Email = normaliseEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	var ps tradeplan.Problems
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		ps.Add(tradeplan.Position{}, "email", "is %q, expected an address such as name@example.org", u.Email)
	}
	if !u.Role.Valid() {
		ps.Add(tradeplan.Position{}, "role", "is %q, expected one of submitter, reviewer, compliance, admin", u.Role)
	}
	if u.OrgID <= 0 {
		ps.Add(tradeplan.Position{}, "org", "is missing: a user belongs to an organisation")
	}
	if utf8.RuneCountInString(password) < minPasswordLen {
		ps.Add(tradeplan.Position{}, "password", "is too short: at least %d characters", minPasswordLen)
	}
	if len(password) > 1024 {
		ps.Add(tradeplan.Position{}, "password", "is too long: at most 1024 bytes")
	}
	if err := ps.Err("user"); err != nil {
		return u, err
	}
	hash, err := hashPassword(password, db.argon)
	if err != nil {
		return u, fmt.Errorf("create user: %w", err)
	}
	u.CreatedAt = db.stamp()
	err = db.inTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM organisations WHERE id = ?", u.OrgID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return tradeplan.Errorf(tradeplan.ENotFound, "organisation %d not found", u.OrgID)
		}
		id, err := tx.insertID(ctx, "INSERT INTO users (org_id, email, name, role, password_hash, created_at, disabled) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			u.OrgID, u.Email, u.Name, string(u.Role), hash, u.CreatedAt, u.Disabled)
		if err != nil {
			return db.dbErr(err, fmt.Sprintf("user %s", u.Email))
		}
		u.ID = id
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: u.OrgID, Action: "user.create", Subject: "user:" + itoa(u.ID), After: auditJSON(u),
		})
		return err
	})
	if err != nil {
		return tradeplan.User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

// User returns the user with the given ID, or an ENotFound error.
func (db *DB) User(ctx context.Context, id int64) (tradeplan.User, error) {
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return u, tradeplan.Errorf(tradeplan.ENotFound, "user %d not found", id)
	}
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the user with the given email, or an ENotFound error.
func (db *DB) UserByEmail(ctx context.Context, email string) (tradeplan.User, error) {
	email = normaliseEmail(email)
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", email))
	if err == sql.ErrNoRows {
		return u, tradeplan.Errorf(tradeplan.ENotFound, "user %s not found", email)
	}
	if err != nil {
		return u, fmt.Errorf("user %s: %w", email, err)
	}
	return u, nil
}

// Users lists the users f selects, by ID.
func (db *DB) Users(ctx context.Context, f tradeplan.UserFilter) ([]tradeplan.User, error) {
	q := "SELECT " + userColumns + " FROM users WHERE 1 = 1"
	var args []any
	if f.OrgUnder != nil {
		sub, err := db.Subtree(ctx, *f.OrgUnder)
		if err != nil {
			return nil, err
		}
		q += " AND org_id IN (" + placeholders(len(sub)) + ")"
		for _, id := range sub {
			args = append(args, id)
		}
	}
	if f.OrgID != nil {
		q += " AND org_id = ?"
		args = append(args, *f.OrgID)
	}
	if f.Role != nil {
		q += " AND role = ?"
		args = append(args, string(*f.Role))
	}
	rows, err := db.r.QueryContext(ctx, db.d.rebind(q+" ORDER BY id"), args...)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []tradeplan.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUserDisabled disables or re-enables a user. Disabling ends the user's
// sessions; their API tokens stop working while disabled.
func (db *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) (tradeplan.User, error) {
	var after tradeplan.User
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
		if err == sql.ErrNoRows {
			return tradeplan.Errorf(tradeplan.ENotFound, "user %d not found", id)
		}
		if err != nil {
			return err
		}
		after = before
		after.Disabled = disabled
		if before.Disabled == disabled {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET disabled = ? WHERE id = ?", disabled, id); err != nil {
			return err
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
				return err
			}
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: before.OrgID, Action: action, Subject: "user:" + itoa(id), Before: auditJSON(before), After: auditJSON(after),
		})
		return err
	})
	if err != nil {
		return tradeplan.User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return after, nil
}

// errBadLogin is the one answer to a failed login, whatever failed.
func errBadLogin() error {
	return tradeplan.Errorf(tradeplan.EUnauthorized, "wrong email or password")
}

// Authenticate checks an email and password. Whether the user is unknown,
// disabled, or the password wrong, it takes about the same time (an unknown
// user's check hashes against a dummy) and returns the same EUnauthorized
// error.
func (db *DB) Authenticate(ctx context.Context, email, password string) (tradeplan.User, error) {
	email = normaliseEmail(email)
	var (
		u    tradeplan.User
		hash string
		role string
	)
	row := db.queryRow(ctx, "SELECT "+userColumns+", password_hash FROM users WHERE email = ?", email)
	err := row.Scan(&u.ID, &u.OrgID, &u.Email, &u.Name, &role, ptime{&u.CreatedAt}, &u.Disabled, &hash)
	u.Role = tradeplan.Role(role)
	if err != nil && err != sql.ErrNoRows {
		return tradeplan.User{}, fmt.Errorf("authenticate: %w", err)
	}
	if err == sql.ErrNoRows || len(password) > 1024 {
		db.dummyOnce.Do(func() { db.dummyHash, _ = hashPassword("not a password of anyone", db.argon) })
		checkPassword(password, db.dummyHash)
		return tradeplan.User{}, errBadLogin()
	}
	ok, err := checkPassword(password, hash)
	if err != nil {
		return tradeplan.User{}, fmt.Errorf("authenticate %s: %w", email, err)
	}
	if !ok || u.Disabled {
		return tradeplan.User{}, errBadLogin()
	}
	if weaker(hash, db.argon) {
		if err := db.rehash(ctx, u, hash, password); err != nil {
			return tradeplan.User{}, fmt.Errorf("authenticate %s: %w", email, err)
		}
	}
	return u, nil
}

// rehash re-encodes a password whose hash has weaker parameters than the
// current ones, on a successful login (the only time the password is known).
// It changes nothing if the hash changed meanwhile.
func (db *DB) rehash(ctx context.Context, u tradeplan.User, old, password string) error {
	hash, err := hashPassword(password, db.argon)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", hash, u.ID, old)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			Actor: tradeplan.Actor{User: u}.Label(), OrgID: u.OrgID, Action: "user.password-rehash", Subject: "user:" + itoa(u.ID),
		})
		return err
	})
}

// SetPassword replaces a user's password and ends their sessions.
func (db *DB) SetPassword(ctx context.Context, userID int64, password string) error {
	if utf8.RuneCountInString(password) < minPasswordLen || len(password) > 1024 {
		return tradeplan.Errorf(tradeplan.EInvalid, "password: at least %d characters and at most 1024 bytes", minPasswordLen)
	}
	hash, err := hashPassword(password, db.argon)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", userID))
		if err == sql.ErrNoRows {
			return tradeplan.Errorf(tradeplan.ENotFound, "user %d not found", userID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{OrgID: u.OrgID, Action: "user.password", Subject: "user:" + itoa(userID)})
		return err
	})
}

// randomToken returns a prefix followed by 32 random bytes, base64url.
func randomToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("store: no randomness: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// actorFor builds the actor of a user: their organisation and its subtree.
func (db *DB) actorFor(ctx context.Context, u tradeplan.User, via string) (tradeplan.Actor, error) {
	org, err := db.Org(ctx, u.OrgID)
	if err != nil {
		return tradeplan.Actor{}, err
	}
	sub, err := db.Subtree(ctx, u.OrgID)
	if err != nil {
		return tradeplan.Actor{}, err
	}
	return tradeplan.Actor{User: u, Org: org, Subtree: sub, Via: via}, nil
}

// Actor returns the actor for a user (their organisation and subtree), as a
// session or token would give, with Via "system" for the command line.
func (db *DB) Actor(ctx context.Context, userID int64) (tradeplan.Actor, error) {
	u, err := db.User(ctx, userID)
	if err != nil {
		return tradeplan.Actor{}, err
	}
	return db.actorFor(ctx, u, "system")
}

// CreateSession starts a browser session for a user that lasts ttl. It
// returns the session token (for a cookie) and the CSRF token (for forms and
// the X-CSRF-Token header). Only a hash of the session token is stored.
func (db *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (token, csrf string, err error) {
	if ttl <= 0 {
		return "", "", tradeplan.Errorf(tradeplan.EInvalid, "session lifetime must be positive")
	}
	token = randomToken("tps_")
	csrf = randomToken("")
	now := db.stamp()
	err = db.inTx(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", userID))
		if err == sql.ErrNoRows {
			return tradeplan.Errorf(tradeplan.ENotFound, "user %d not found", userID)
		}
		if err != nil {
			return err
		}
		if u.Disabled {
			return tradeplan.Errorf(tradeplan.EForbidden, "user %d is disabled", userID)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ?", now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			tokenHash(token), userID, csrf, now, now.Add(ttl)); err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			Actor: tradeplan.Actor{User: u}.Label(), OrgID: u.OrgID, Action: "session.create", Subject: "user:" + itoa(userID),
		})
		return err
	})
	if err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	return token, csrf, nil
}

// SessionUser returns the actor and session of a live session token, or an
// EUnauthorized error when the token is unknown, expired, or its user
// disabled.
func (db *DB) SessionUser(ctx context.Context, token string) (tradeplan.Actor, tradeplan.Session, error) {
	var s tradeplan.Session
	var a tradeplan.Actor
	row := db.queryRow(ctx, `SELECT s.user_id, s.csrf, s.created_at, s.expires_at, `+actorColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id
		WHERE s.token_hash = ?`, tokenHash(token))
	err := row.Scan(append([]any{&s.UserID, &s.CSRF, ptime{&s.CreatedAt}, ptime{&s.ExpiresAt}}, actorDest(&a)...)...)
	if err == sql.ErrNoRows {
		return tradeplan.Actor{}, s, tradeplan.Errorf(tradeplan.EUnauthorized, "no such session: log in again")
	}
	if err != nil {
		return tradeplan.Actor{}, s, fmt.Errorf("session: %w", err)
	}
	if !db.now().Before(s.ExpiresAt) {
		return tradeplan.Actor{}, s, tradeplan.Errorf(tradeplan.EUnauthorized, "session expired: log in again")
	}
	if a.User.Disabled {
		return tradeplan.Actor{}, s, tradeplan.Errorf(tradeplan.EUnauthorized, "account disabled")
	}
	if err := db.finishActor(ctx, &a, "session"); err != nil {
		return tradeplan.Actor{}, s, err
	}
	return a, s, nil
}

// actorColumns are the user and organisation columns an actor is made of,
// for a query joining users u and organisations o.
const actorColumns = "u.id, u.org_id, u.email, u.name, u.role, u.created_at, u.disabled, o.id, o.parent_id, o.name, o.kind, o.country, o.created_at"

func actorDest(a *tradeplan.Actor) []any {
	return []any{&a.User.ID, &a.User.OrgID, &a.User.Email, &a.User.Name, (*roleScan)(&a.User.Role), ptime{&a.User.CreatedAt}, &a.User.Disabled,
		&a.Org.ID, (*parentScan)(&a.Org.ParentID), &a.Org.Name, (*kindScan)(&a.Org.Kind), &a.Org.Country, ptime{&a.Org.CreatedAt}}
}

type roleScan tradeplan.Role

func (r *roleScan) Scan(v any) error {
	var s sql.NullString
	err := s.Scan(v)
	*r = roleScan(s.String)
	return err
}

type kindScan tradeplan.OrgKind

func (k *kindScan) Scan(v any) error {
	var s sql.NullString
	err := s.Scan(v)
	*k = kindScan(s.String)
	return err
}

type parentScan int64

func (p *parentScan) Scan(v any) error {
	var n sql.NullInt64
	err := n.Scan(v)
	*p = parentScan(n.Int64)
	return err
}

// finishActor fills in the actor's subtree.
func (db *DB) finishActor(ctx context.Context, a *tradeplan.Actor, via string) error {
	sub, err := db.Subtree(ctx, a.Org.ID)
	if err != nil {
		return err
	}
	a.Subtree, a.Via = sub, via
	return nil
}

// DeleteSession ends a session (logout). Ending an unknown session is not
// an error.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		var userID, orgID int64
		var email string
		err := tx.QueryRowContext(ctx, "SELECT s.user_id, u.org_id, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
			tokenHash(token)).Scan(&userID, &orgID, &email)
		if err == sql.ErrNoRows {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash(token)); err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			Actor: tradeplan.Actor{User: tradeplan.User{ID: userID, Email: email}}.Label(), OrgID: orgID, Action: "session.delete", Subject: "user:" + itoa(userID),
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

const tokenColumns = "id, user_id, name, prefix, created_at, last_used_at, revoked_at"

func scanToken(sc interface{ Scan(...any) error }) (tradeplan.APIToken, error) {
	var t tradeplan.APIToken
	var used, revoked nullTime
	err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, ptime{&t.CreatedAt}, &used, &revoked)
	t.LastUsedAt, t.RevokedAt = used.ptr(), revoked.ptr()
	return t, err
}

// CreateToken creates an API token for a user and returns its plaintext,
// which is not stored and cannot be shown again.
func (db *DB) CreateToken(ctx context.Context, userID int64, name string) (string, tradeplan.APIToken, error) {
	plain := randomToken("tpt_")
	t := tradeplan.APIToken{UserID: userID, Name: strings.TrimSpace(name), Prefix: plain[:12], CreatedAt: db.stamp()}
	err := db.inTx(ctx, func(tx *Tx) error {
		u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", userID))
		if err == sql.ErrNoRows {
			return tradeplan.Errorf(tradeplan.ENotFound, "user %d not found", userID)
		}
		if err != nil {
			return err
		}
		t.ID, err = tx.insertID(ctx, "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			userID, t.Name, t.Prefix, tokenHash(plain), t.CreatedAt)
		if err != nil {
			return db.dbErr(err, "token")
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: u.OrgID, Action: "token.create", Subject: "token:" + itoa(t.ID), After: auditJSON(t),
		})
		return err
	})
	if err != nil {
		return "", tradeplan.APIToken{}, fmt.Errorf("create token: %w", err)
	}
	return plain, t, nil
}

// Token returns an API token's record, or an ENotFound error.
func (db *DB) Token(ctx context.Context, id int64) (tradeplan.APIToken, error) {
	t, err := scanToken(db.queryRow(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = ?", id))
	if err == sql.ErrNoRows {
		return t, tradeplan.Errorf(tradeplan.ENotFound, "token %d not found", id)
	}
	if err != nil {
		return t, fmt.Errorf("token %d: %w", id, err)
	}
	return t, nil
}

// Tokens lists a user's API tokens (0: every user's), by ID.
func (db *DB) Tokens(ctx context.Context, userID int64) ([]tradeplan.APIToken, error) {
	q := "SELECT " + tokenColumns + " FROM api_tokens"
	var args []any
	if userID != 0 {
		q += " WHERE user_id = ?"
		args = append(args, userID)
	}
	rows, err := db.query(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []tradeplan.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// lastUsedGranularity is how stale last_used_at may get: a token used
// constantly is written at most once a minute.
const lastUsedGranularity = time.Minute

// TokenUser returns the actor of a live API token, or an EUnauthorized
// error when the token is unknown, revoked, or its user disabled.
func (db *DB) TokenUser(ctx context.Context, token string) (tradeplan.Actor, error) {
	var t tradeplan.APIToken
	var used, revoked nullTime
	var a tradeplan.Actor
	row := db.queryRow(ctx, `SELECT t.id, t.last_used_at, t.revoked_at, `+actorColumns+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.org_id
		WHERE t.token_hash = ?`, tokenHash(token))
	err := row.Scan(append([]any{&t.ID, &used, &revoked}, actorDest(&a)...)...)
	if err == sql.ErrNoRows {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "unknown API token")
	}
	if err != nil {
		return tradeplan.Actor{}, fmt.Errorf("token: %w", err)
	}
	if revoked.Valid {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "API token revoked")
	}
	if a.User.Disabled {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "account disabled")
	}
	now := db.stamp()
	if !used.Valid || now.Sub(used.Time) >= lastUsedGranularity {
		if _, err := db.w.ExecContext(ctx, db.q("UPDATE api_tokens SET last_used_at = ? WHERE id = ?"), now, t.ID); err != nil {
			return tradeplan.Actor{}, fmt.Errorf("token: %w", err)
		}
	}
	if err := db.finishActor(ctx, &a, "token"); err != nil {
		return tradeplan.Actor{}, err
	}
	a.TokenID = t.ID
	return a, nil
}

// RevokeToken revokes an API token. Revoking a revoked token is not an
// error; an unknown one is ENotFound.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := scanToken(tx.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = ?", id))
		if err == sql.ErrNoRows {
			return tradeplan.Errorf(tradeplan.ENotFound, "token %d not found", id)
		}
		if err != nil {
			return err
		}
		if before.RevokedAt != nil {
			return nil
		}
		var orgID int64
		if err := tx.QueryRowContext(ctx, "SELECT org_id FROM users WHERE id = ?", before.UserID).Scan(&orgID); err != nil {
			return err
		}
		now := db.stamp()
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", now, id); err != nil {
			return err
		}
		after := before
		after.RevokedAt = &now
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: orgID, Action: "token.revoke", Subject: "token:" + itoa(id), Before: auditJSON(before), After: auditJSON(after),
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}
