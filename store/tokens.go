package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

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
		state, err := db.rowState(ctx, tx, "api_tokens", t.ID)
		if err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: u.OrgID, Action: "token.create", Subject: "token:" + itoa(t.ID), After: auditJSON(t), State: state,
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
		if _, err := checkRow(ctx, tx, db.d.name() == "postgres", db.d.rowLock(), "api_tokens", []any{id}, nil); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", now, id); err != nil {
			return err
		}
		after := before
		after.RevokedAt = &now
		state, err := db.rowState(ctx, tx, "api_tokens", id)
		if err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: orgID, Action: "token.revoke", Subject: "token:" + itoa(id), Before: auditJSON(before), After: auditJSON(after), State: state,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}
