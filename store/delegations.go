package store

import (
	"context"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Organisations and delegations as the licensing permissions need them
// (licensing/permissions.go).

// OrgLineage returns the organisation and its ancestors up to the root.
func (t *licTx) OrgLineage(ctx context.Context, id int64) ([]tradeplan.Organisation, error) {
	var out []tradeplan.Organisation
	for next := id; next != 0; {
		if len(out) > 64 {
			return nil, tradeplan.Errorf(tradeplan.EInternal, "organisation %d: its ancestry has a loop", id)
		}
		o, err := scanOrg(t.QueryRowContext(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = ?", next))
		if err != nil {
			return nil, t.notFound(err, "organisation", next)
		}
		out = append(out, o)
		next = o.ParentID
	}
	return out, nil
}

// Subtree returns the IDs of the organisation and every one below it,
// ascending.
func (t *licTx) Subtree(ctx context.Context, id int64) ([]int64, error) {
	rows, err := t.QueryContext(ctx, `WITH RECURSIVE sub (id) AS (
			SELECT id FROM organisations WHERE id = ?
			UNION
			SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id
		)
		SELECT id FROM sub ORDER BY id`, id)
	if err != nil {
		return nil, t.db.dbErr(err, "subtree")
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		ids = append(ids, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, tradeplan.Errorf(tradeplan.ENotFound, "organisation %d not found", id)
	}
	return ids, nil
}

const delegationColumns = "id, authority, office, reason, granted_by, granted_at, revoked_by, revoked_at"

func scanDelegation(sc interface{ Scan(...any) error }) (licensing.Delegation, error) {
	var d licensing.Delegation
	var revoked nullTime
	err := sc.Scan(&d.ID, &d.Authority, &d.Office, &d.Reason, &d.GrantedBy, ptime{&d.GrantedAt}, &d.RevokedBy, &revoked)
	d.RevokedAt = revoked.ptr()
	return d, err
}

func (t *licTx) AddDelegation(ctx context.Context, d *licensing.Delegation) error {
	id, err := t.insertID(ctx, `INSERT INTO delegations (authority, office, reason, granted_by, granted_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		d.Authority, d.Office, d.Reason, d.GrantedBy, ts(d.GrantedAt))
	if err != nil {
		if tradeplan.ErrorCode(t.db.dbErr(err, "delegation")) == tradeplan.EConflict {
			return tradeplan.Errorf(tradeplan.EConflict, "organisation %d already holds a delegation: revoke it first", d.Office)
		}
		return t.db.dbErr(err, "delegation")
	}
	d.ID = id
	t.touch("delegations", "id = ?", id)
	return nil
}

func (t *licTx) RevokeDelegation(ctx context.Context, d licensing.Delegation) error {
	if err := t.guardRow(ctx, "delegations", d.ID); err != nil {
		return err
	}
	res, err := t.ExecContext(ctx, `UPDATE delegations SET revoked_by = ?, revoked_at = ? WHERE id = ? AND revoked_at IS NULL`,
		d.RevokedBy, tsp(d.RevokedAt), d.ID)
	if err != nil {
		return t.db.dbErr(err, "delegation")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tradeplan.Errorf(tradeplan.EConflict, "delegation %d is already revoked", d.ID)
	}
	t.touch("delegations", "id = ?", d.ID)
	return nil
}

func (t *licTx) Delegation(ctx context.Context, id int64) (licensing.Delegation, error) {
	d, err := scanDelegation(t.QueryRowContext(ctx, "SELECT "+delegationColumns+" FROM delegations WHERE id = ?"+t.lock(), id))
	if err != nil {
		return d, t.notFound(err, "delegation", id)
	}
	return d, nil
}

// Delegations lists delegations, oldest first: those of one office when
// f.Office is set, of one authority when f.Authority is, only the standing
// ones when f.Active.
func (t *licTx) Delegations(ctx context.Context, f licensing.DelegationFilter) ([]licensing.Delegation, error) {
	q, args := "SELECT "+delegationColumns+" FROM delegations WHERE 1 = 1", []any{}
	if f.Office != 0 {
		q += " AND office = ?"
		args = append(args, f.Office)
	}
	if f.Authority != 0 {
		q += " AND authority = ?"
		args = append(args, f.Authority)
	}
	if f.Active {
		q += " AND revoked_at IS NULL"
	}
	rows, err := t.QueryContext(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, t.db.dbErr(err, "delegations")
	}
	defer rows.Close()
	out := []licensing.Delegation{}
	for rows.Next() {
		d, err := scanDelegation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
