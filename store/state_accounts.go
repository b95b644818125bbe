package store

import (
	"context"
	"fmt"

	"github.com/tradeplan/tradeplan"
)

// Who may do what is state the audit chain covers like a permit (migration
// 0451, redteam wave 5): a user's role, organisation, password hash or
// disabled flag, an organisation's parent (its jurisdiction) and kind, an
// API token's owner, hash and revocation. Each write of the store records
// the row's digest in its audit entry; a row changed with SQL behind the
// store's back fails `tradeplan audit verify`. A token's last use is
// written on every request without an audit entry and proves nothing, so
// it is left out of the digest; sessions are short-lived and not covered.
func init() {
	stateTables = append(stateTables,
		stateTable{"organisations", []string{"id"}, 451},
		stateTable{"users", []string{"id"}, 451},
		stateTable{"api_tokens", []string{"id"}, 451},
	)
}

// stateSkip names the columns of a protected table its digest leaves out.
var stateSkip = map[string][]string{"api_tokens": {"last_used_at"}}

// rowState is the digest of row id of table as it stands in tx, for the
// audit entry of the write.
func (db *DB) rowState(ctx context.Context, tx *Tx, table string, id int64) ([]tradeplan.RowDigest, error) {
	rows, err := tx.QueryContext(ctx, "SELECT * FROM "+table+" WHERE id = ?", id)
	if err != nil {
		return nil, fmt.Errorf("state of %s: %w", table, err)
	}
	var out []tradeplan.RowDigest
	err = eachRowDigest(rows, stateTableOf(table), func(row, digest string) {
		out = append(out, tradeplan.RowDigest{Row: row, Digest: digest})
	})
	if err != nil {
		return nil, fmt.Errorf("state of %s: %w", table, err)
	}
	return out, nil
}
