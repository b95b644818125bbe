package store

import (
	"context"
	"database/sql"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Reads by organisation for a call's report and page in one query a
// chunk of organisations (licensing.OrgBatchTx), not one query each.

// orgChunk bounds the parameters of one query, well below either
// engine's limit.
const orgChunk = 500

// eachIDChunk calls fn with ids in chunks of at most orgChunk, each with
// its ids as query arguments.
func eachIDChunk(ids []int64, fn func(ids []int64, args []any) error) error {
	for len(ids) > 0 {
		n := min(len(ids), orgChunk)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		if err := fn(ids[:n], args); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// OrgNames names the organisations ids; ENotFound names the first one
// not on record.
func (t *licTx) OrgNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	err := eachIDChunk(ids, func(chunk []int64, args []any) error {
		rows, err := t.QueryContext(ctx, "SELECT id, name FROM organisations WHERE id IN ("+placeholders(len(args))+")", args...)
		if err != nil {
			return t.db.dbErr(err, "organisation names")
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return t.db.dbErr(err, "organisation names")
			}
			out[id] = name
		}
		if err := rows.Err(); err != nil {
			return t.db.dbErr(err, "organisation names")
		}
		for _, id := range chunk {
			if _, ok := out[id]; !ok {
				return tradeplan.Errorf(tradeplan.ENotFound, "organisation %v not found", id)
			}
		}
		return nil
	})
	return out, err
}

// SiteFilesOf lists the site file versions of the organisations orgs,
// without their content, oldest first.
func (t *licTx) SiteFilesOf(ctx context.Context, orgs []int64) (map[int64][]licensing.SiteFile, error) {
	out := map[int64][]licensing.SiteFile{}
	err := eachIDChunk(orgs, func(_ []int64, args []any) error {
		rows, err := t.QueryContext(ctx, "SELECT "+siteFileColumns+" FROM site_files WHERE org_id IN ("+placeholders(len(args))+") ORDER BY org_id, version", args...)
		if err != nil {
			return t.db.dbErr(err, "site files")
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanSiteFile(rows, nil)
			if err != nil {
				return t.db.dbErr(err, "site files")
			}
			out[f.Organisation] = append(out[f.Organisation], f)
		}
		return t.db.dbErr(rows.Err(), "site files")
	})
	return out, err
}

var _ licensing.OrgBatchTx = (*licTx)(nil)

// CallPlanRevisions gives the revision of each submitted plan of call id
// (licensing.PlanRevTx): the last row migration 0470's triggers added for
// it, with the plan's row as the same statement read it. A plan without
// one is left out.
func (t *licTx) CallPlanRevisions(ctx context.Context, id int64) (map[int64]licensing.PlanRev, error) {
	rows, err := t.QueryContext(ctx, `SELECT p.id, p.version, p.org_id, p.status, (SELECT MAX(c.id) FROM plan_report_changes c WHERE c.plan_id = p.id)
		FROM plans p WHERE p.call_id = ? AND p.status <> 'draft'`, id)
	if err != nil {
		return nil, t.db.dbErr(err, "plan revisions")
	}
	defer rows.Close()
	out := map[int64]licensing.PlanRev{}
	for rows.Next() {
		var r licensing.PlanRev
		var rev sql.NullInt64
		if err := rows.Scan(&r.Plan, &r.Version, &r.Organisation, &r.Status, &rev); err != nil {
			return nil, t.db.dbErr(err, "plan revisions")
		}
		if rev.Valid {
			r.Rev = rev.Int64
			out[r.Plan] = r
		}
	}
	return out, t.db.dbErr(rows.Err(), "plan revisions")
}

var _ licensing.PlanRevTx = (*licTx)(nil)
