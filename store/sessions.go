package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/tradeplan/tradeplan"
)

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
		if _, err := checkRow(ctx, tx, db.d.name() == "postgres", db.d.rowLock(), "users", []any{u.ID}, nil); tradeplan.ErrorCode(err) == tradeplan.EConflict {
			// A row changed behind the store keeps its weaker hash
			// rather than be recorded as the store's own.
			slog.Warn("password not rehashed", "err", err)
			return nil
		} else if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", hash, u.ID, old)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		state, err := db.rowState(ctx, tx, "users", u.ID)
		if err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			Actor: tradeplan.Actor{User: u}.Label(), OrgID: u.OrgID, Action: "user.password-rehash", Subject: "user:" + itoa(u.ID), State: state,
		})
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
