package store

import (
	"context"
	"database/sql"

	"github.com/tradeplan/tradeplan"
)

// errKeyEncryption words a signing key that does not open with the
// key-encryption key the database has: the operator's to fix, and nothing
// a client may change, so it is a conflict with the text kept.
func errKeyEncryption(err error) error {
	return tradeplan.Errorf(tradeplan.EConflict, "%v (TRADEPLAN_KEY_FILE or TRADEPLAN_KEY missing or changed): nothing is signed or rotated until the server has the key the signing key was encrypted with", err)
}

// CheckSigningKeys opens the active signing key's private half with the
// database's key-encryption key (or none), and says clearly what is wrong
// when it does not open: it is encrypted and no key is set, or it was
// encrypted with another key. A server checks this before it serves, so
// that approvals do not fail one by one.
func (db *DB) CheckSigningKeys(ctx context.Context) error {
	var id, seed string
	err := db.r.QueryRowContext(ctx, "SELECT id, private_key FROM signing_keys WHERE retired_at IS NULL").Scan(&id, &seed)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return db.dbErr(err, "signing key")
	}
	if _, _, err := db.openSeed(id, seed); err != nil {
		return errKeyEncryption(err)
	}
	return nil
}

// checkActiveKey is CheckSigningKeys within a transaction, before the
// active key is retired: a rotation with the wrong key-encryption key (or
// none) would retire the authority's key and sign from then on with a new
// one nobody chose, stored in the clear when no key is set.
func (t *licTx) checkActiveKey(ctx context.Context) error {
	if ctx.Value(lostKey{}) != nil {
		return nil
	}
	var id, seed string
	err := t.QueryRowContext(ctx, "SELECT id, private_key FROM signing_keys WHERE retired_at IS NULL").Scan(&id, &seed)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return t.db.dbErr(err, "signing key")
	}
	if _, _, err := t.db.openSeed(id, seed); err != nil {
		return errKeyEncryption(err)
	}
	return nil
}

type lostKey struct{}

// WithLostKey lets a rotation under ctx retire an active key that does not
// open with the key-encryption key given: the operator says the key it was
// encrypted with is lost (`tradeplan keys rotate --lost-key`).
func WithLostKey(ctx context.Context) context.Context {
	return context.WithValue(ctx, lostKey{}, true)
}
