package store

import (
	"context"
	"database/sql"
	"fmt"

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

func normaliseEmail(s string) string { return tradeplan.NormaliseEmail(s) }

// CreateUser creates a user of organisation u.OrgID with the given password
// (at least 10 characters), hashed with argon2id, and returns the user with
// its ID and CreatedAt. Emails are unique, compared case-insensitively.
func (db *DB) CreateUser(ctx context.Context, u tradeplan.User, password string) (tradeplan.User, error) {
	if err := tradeplan.CheckNewUser(&u, password); err != nil {
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
		state, err := db.rowState(ctx, tx, "users", u.ID)
		if err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: u.OrgID, Action: "user.create", Subject: "user:" + itoa(u.ID), After: auditJSON(u), State: state,
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
		if _, err := checkRow(ctx, tx, db.d.name() == "postgres", db.d.rowLock(), "users", []any{id}, nil); err != nil {
			return err
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
		state, err := db.rowState(ctx, tx, "users", id)
		if err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: before.OrgID, Action: action, Subject: "user:" + itoa(id), Before: auditJSON(before), After: auditJSON(after), State: state,
		})
		return err
	})
	if err != nil {
		return tradeplan.User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return after, nil
}

// SetPassword replaces a user's password and ends their sessions.
func (db *DB) SetPassword(ctx context.Context, userID int64, password string) error {
	if err := tradeplan.CheckPassword(password); err != nil {
		return err
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
		if _, err := checkRow(ctx, tx, db.d.name() == "postgres", db.d.rowLock(), "users", []any{userID}, nil); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ? WHERE id = ?", hash, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
			return err
		}
		state, err := db.rowState(ctx, tx, "users", userID)
		if err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{OrgID: u.OrgID, Action: "user.password", Subject: "user:" + itoa(userID), State: state})
		return err
	})
}
