package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/permitsig"
)

// The authority's signing keys and the permits' signed forms. The private
// halves are read here only, to sign, and never returned.

var _ licensing.SealTx = (*licTx)(nil)

// activeKey returns the key that signs now, making the first one when there
// is none. Two transactions making the first key at once: the one-active
// index lets one insert win; the other's insert does nothing, and it signs
// with the winner's key.
func (t *licTx) activeKey(ctx context.Context) (string, ed25519.PrivateKey, error) {
	for attempt := 0; attempt < 2; attempt++ {
		var id, seed string
		err := t.QueryRowContext(ctx, "SELECT id, private_key FROM signing_keys WHERE retired_at IS NULL").Scan(&id, &seed)
		if err == nil {
			b, clear, err := t.db.openSeed(id, seed)
			if err != nil {
				return "", nil, errKeyEncryption(err)
			}
			if len(b) != ed25519.SeedSize {
				return "", nil, fmt.Errorf("signing key %s: the stored private key is not an ed25519 seed", id)
			}
			if clear {
				if err := t.sealStoredSeed(ctx, id, b); err != nil {
					return "", nil, err
				}
			}
			return id, ed25519.NewKeyFromSeed(b), nil
		}
		if err != sql.ErrNoRows {
			return "", nil, t.db.dbErr(err, "signing key")
		}
		if _, err := t.newKey(ctx, true); err != nil {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("signing key: none active after making one")
}

// newKey stores a new active key; with quiet, an active key made meanwhile
// by another transaction wins and nothing is inserted.
func (t *licTx) newKey(ctx context.Context, quiet bool) (permitsig.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return permitsig.PublicKey{}, fmt.Errorf("make signing key: %w", err)
	}
	k := permitsig.PublicKey{ID: permitsig.KeyID(pub), Key: pub, CreatedAt: ts(time.Now())}
	q := "INSERT INTO signing_keys (id, public_key, private_key, created_at) VALUES (?, ?, ?, ?)"
	if quiet {
		q += " ON CONFLICT DO NOTHING"
	}
	sealed, err := t.db.sealSeed(k.ID, priv.Seed())
	if err != nil {
		return permitsig.PublicKey{}, fmt.Errorf("make signing key: %w", err)
	}
	_, err = t.ExecContext(ctx, q, k.ID, base64.StdEncoding.EncodeToString(pub), sealed, k.CreatedAt)
	return k, t.db.dbErr(err, "signing key")
}

func (t *licTx) SealPermit(ctx context.Context, permitID int64, doc permitsig.Document) (permitsig.Signed, error) {
	id, priv, err := t.activeKey(ctx)
	if err != nil {
		return permitsig.Signed{}, err
	}
	s := permitsig.Sign(priv, doc)
	if s.Key != id {
		return s, fmt.Errorf("signing key %s: its public half names it %s", id, s.Key)
	}
	_, err = t.ExecContext(ctx, "INSERT INTO permit_signatures (permit_id, key_id, signed, signed_at) VALUES (?, ?, ?, ?)",
		permitID, s.Key, string(s.Text()), ts(time.Now()))
	return s, t.db.dbErr(err, "permit signature")
}

func (t *licTx) PermitSeal(ctx context.Context, permitID int64) (permitsig.Signed, error) {
	var text string
	err := t.QueryRowContext(ctx, "SELECT signed FROM permit_signatures WHERE permit_id = ?", permitID).Scan(&text)
	if err != nil {
		return permitsig.Signed{}, t.notFound(err, "signature of permit", permitID)
	}
	return permitsig.Parse([]byte(text))
}

func (t *licTx) PermitByNumber(ctx context.Context, number string) (tradeplan.Permit, error) {
	var id int64
	if err := t.QueryRowContext(ctx, "SELECT id FROM permits WHERE number = ?", number).Scan(&id); err != nil {
		return tradeplan.Permit{}, t.notFound(err, "permit", number)
	}
	return t.Permit(ctx, id)
}

func (t *licTx) SigningKeys(ctx context.Context) ([]permitsig.PublicKey, error) {
	rows, err := t.QueryContext(ctx, "SELECT id, public_key, created_at, retired_at FROM signing_keys ORDER BY created_at, id")
	if err != nil {
		return nil, t.db.dbErr(err, "signing keys")
	}
	defer rows.Close()
	var out []permitsig.PublicKey
	for rows.Next() {
		var k permitsig.PublicKey
		var pub string
		var retired nullTime
		if err := rows.Scan(&k.ID, &pub, ptime{&k.CreatedAt}, &retired); err != nil {
			return nil, t.db.dbErr(err, "signing keys")
		}
		if k.Key, err = base64.StdEncoding.DecodeString(pub); err != nil {
			return nil, fmt.Errorf("signing key %s: %w", k.ID, err)
		}
		k.RetiredAt = retired.ptr()
		out = append(out, k)
	}
	return out, rows.Err()
}

func (t *licTx) RotateSigningKey(ctx context.Context) (permitsig.PublicKey, error) {
	if err := t.checkActiveKey(ctx); err != nil {
		return permitsig.PublicKey{}, err
	}
	if _, err := t.ExecContext(ctx, "UPDATE signing_keys SET retired_at = ? WHERE retired_at IS NULL", ts(time.Now())); err != nil {
		return permitsig.PublicKey{}, t.db.dbErr(err, "signing key")
	}
	k, err := t.newKey(ctx, false)
	if tradeplan.ErrorCode(err) == tradeplan.EConflict {
		return k, tradeplan.Errorf(tradeplan.EConflict, "another rotation of the signing key ran at the same time; try again")
	}
	return k, err
}
