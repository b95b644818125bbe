package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/tradeplan/tradeplan"
)

const orgColumns = "id, parent_id, name, kind, country, created_at"

func scanOrg(sc interface{ Scan(...any) error }) (tradeplan.Organisation, error) {
	var o tradeplan.Organisation
	var parent sql.NullInt64
	var kind string
	err := sc.Scan(&o.ID, &parent, &o.Name, &kind, &o.Country, ptime{&o.CreatedAt})
	o.ParentID = parent.Int64
	o.Kind = tradeplan.OrgKind(kind)
	return o, err
}

// CreateOrg creates an organisation under o.ParentID (0 for a root) and
// returns it with its ID and CreatedAt. Names are unique among siblings.
func (db *DB) CreateOrg(ctx context.Context, o tradeplan.Organisation) (tradeplan.Organisation, error) {
	if err := tradeplan.CheckNewOrg(&o); err != nil {
		return o, err
	}
	o.CreatedAt = db.stamp()
	err := db.inTx(ctx, func(tx *Tx) error {
		if o.ParentID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM organisations WHERE id = ?", o.ParentID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return tradeplan.Errorf(tradeplan.ENotFound, "parent organisation %d not found", o.ParentID)
			}
		}
		id, err := tx.insertID(ctx, "INSERT INTO organisations (parent_id, name, kind, country, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			nullInt(o.ParentID), o.Name, string(o.Kind), o.Country, o.CreatedAt)
		if err != nil {
			return db.dbErr(err, fmt.Sprintf("organisation %q", o.Name))
		}
		o.ID = id
		state, err := db.rowState(ctx, tx, "organisations", o.ID)
		if err != nil {
			return err
		}
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
			OrgID: o.ID, Action: "org.create", Subject: "org:" + itoa(o.ID), After: auditJSON(o), State: state,
		})
		return err
	})
	if err != nil {
		return tradeplan.Organisation{}, fmt.Errorf("create organisation: %w", err)
	}
	return o, nil
}

// Org returns the organisation with the given ID, or an ENotFound error.
func (db *DB) Org(ctx context.Context, id int64) (tradeplan.Organisation, error) {
	o, err := scanOrg(db.queryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = ?", id))
	if err != nil {
		if err == sql.ErrNoRows {
			return o, tradeplan.Errorf(tradeplan.ENotFound, "organisation %d not found", id)
		}
		return o, fmt.Errorf("organisation %d: %w", id, err)
	}
	return o, nil
}

// Orgs lists the organisations that f selects, by ID.
func (db *DB) Orgs(ctx context.Context, f tradeplan.OrgFilter) ([]tradeplan.Organisation, error) {
	q := "SELECT " + orgColumns + " FROM organisations WHERE 1 = 1"
	var args []any
	if f.Under != nil {
		sub, err := db.Subtree(ctx, *f.Under)
		if err != nil {
			return nil, err
		}
		q += " AND id IN (" + placeholders(len(sub)) + ")"
		for _, id := range sub {
			args = append(args, id)
		}
	}
	if f.ParentID != nil {
		if *f.ParentID == 0 {
			q += " AND parent_id IS NULL"
		} else {
			q += " AND parent_id = ?"
			args = append(args, *f.ParentID)
		}
	}
	if f.Kind != nil {
		q += " AND kind = ?"
		args = append(args, string(*f.Kind))
	}
	rows, err := db.r.QueryContext(ctx, db.d.rebind(q+" ORDER BY id"), args...)
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	defer rows.Close()
	out := []tradeplan.Organisation{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("list organisations: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Subtree returns the IDs of the organisation and every organisation below
// it, ascending, or an ENotFound error when there is no such organisation.
func (db *DB) Subtree(ctx context.Context, orgID int64) ([]int64, error) {
	rows, err := db.query(ctx, `WITH RECURSIVE sub (id) AS (
			SELECT id FROM organisations WHERE id = ?
			UNION
			SELECT o.id FROM organisations o JOIN sub ON o.parent_id = sub.id
		)
		SELECT id FROM sub ORDER BY id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("subtree of organisation %d: %w", orgID, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subtree of organisation %d: %w", orgID, err)
	}
	if len(ids) == 0 {
		return nil, tradeplan.Errorf(tradeplan.ENotFound, "organisation %d not found", orgID)
	}
	return ids, nil
}

// InSubtree reports whether org is ancestor or below it.
func (db *DB) InSubtree(ctx context.Context, ancestor, org int64) (bool, error) {
	ids, err := db.Subtree(ctx, ancestor)
	if err != nil {
		return false, err
	}
	_, ok := slices.BinarySearch(ids, org)
	return ok, nil
}
