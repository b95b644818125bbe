package store

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// CallReportStamp says when what call id's report rests on last changed:
// the number and the last id of the rows the triggers of migration 0320
// added for the call and for every call. Rows are only added, in the
// transaction of the change, so two reads give the same stamp only when
// no such change committed between them.
func (t *licTx) CallReportStamp(ctx context.Context, id int64) (string, error) {
	var n, last int64
	err := t.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM call_report_changes WHERE call_id IN (0, ?)", id).Scan(&n, &last)
	if err != nil {
		return "", t.db.dbErr(err, "call report stamp")
	}
	return strconv.FormatInt(n, 10) + "/" + strconv.FormatInt(last, 10), nil
}

// The rows of the current versions of a call's submitted plans, each kind
// in one query (licensing.CallPlansTx): found from the call's plans (an
// index on plans (call_id, ...)), never by testing every row of the table
// against them, which SQLite did for an EXISTS (a scan of all 10,000
// versions and 200,000 lines at issue 17's scale).
func callCurrent(table string) string {
	return ` FROM plans p JOIN ` + table + ` x ON x.plan_id = p.id AND x.version = p.version WHERE p.call_id = ? AND p.status <> 'draft'`
}

// CallVersions reads the current version of every submitted plan of call
// id, by plan id, without the differences from the version before.
func (t *licTx) CallVersions(ctx context.Context, id int64) ([]tradeplan.PlanVersion, error) {
	rows, err := t.QueryContext(ctx, `SELECT x.plan_id, x.version, x.plan, x.report, NULL, x.reason, x.created_by, x.created_at, x.submitted_by, x.submitted_at
		`+callCurrent("plan_versions")+` ORDER BY x.plan_id`, id)
	if err != nil {
		return nil, t.db.dbErr(err, "call plan versions")
	}
	defer rows.Close()
	var out []tradeplan.PlanVersion
	for rows.Next() {
		v, err := scanVersion(rows, &t.db.versions)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// CallDecisions reads the line decisions of those versions, by plan and line.
func (t *licTx) CallDecisions(ctx context.Context, id int64) ([]tradeplan.LineDecision, error) {
	return t.decisions(ctx, `SELECT x.plan_id, x.version, x.line_no, x.decision, x.quantity, x.val, x.reduced, x.reason, x.citations,
		COALESCE(x.permit_id, 0), x.carried_from, x.decided_by, x.decided_at
		`+callCurrent("line_decisions")+` ORDER BY x.plan_id, x.line_no`, id)
}

// CallAssessments reads the assessments of those versions, by plan and line.
func (t *licTx) CallAssessments(ctx context.Context, id int64) ([]tradeplan.LineAssessment, error) {
	return t.assessments(ctx, `SELECT x.plan_id, x.version, x.line_no, x.hs, x.reason, x.assessed_by, x.assessed_at
		`+callCurrent("line_assessments")+` ORDER BY x.plan_id, x.line_no`, id)
}

// CallComplianceDecisions reads the compliance decisions of those
// versions, by plan and in the order they were made.
func (t *licTx) CallComplianceDecisions(ctx context.Context, id int64) ([]tradeplan.ComplianceDecision, error) {
	return t.complianceDecisions(ctx, `SELECT x.plan_id, x.version, x.line_no, x.finding, x.decision, x.match_decision, x.reason, x.decided_by,
		x.decided_at, x.facts, x.evidence, x.general
		`+callCurrent("compliance_decisions")+` ORDER BY x.plan_id, x.id`, id)
}

// CallLineages reads, in one query, the lineage of every organisation
// with a submitted plan in call id (licensing.CallRankTx): each
// organisation first, then its parents up to the root, as OrgLineage.
// An organisation whose ancestry has a loop is left out (OrgLineage
// reports it).
func (t *licTx) CallLineages(ctx context.Context, id int64) (map[int64][]tradeplan.Organisation, error) {
	rows, err := t.QueryContext(ctx, `WITH RECURSIVE up (id) AS (
			SELECT org_id FROM plans WHERE call_id = ? AND status <> 'draft'
			UNION
			SELECT o.parent_id FROM organisations o JOIN up ON o.id = up.id WHERE o.parent_id IS NOT NULL
		)
		SELECT `+orgColumns+` FROM organisations WHERE id IN (SELECT id FROM up)`, id)
	if err != nil {
		return nil, t.db.dbErr(err, "call lineages")
	}
	defer rows.Close()
	orgs := map[int64]tradeplan.Organisation{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, t.db.dbErr(err, "call lineages")
		}
		orgs[o.ID] = o
	}
	if err := rows.Err(); err != nil {
		return nil, t.db.dbErr(err, "call lineages")
	}
	out := map[int64][]tradeplan.Organisation{}
next:
	for id := range orgs {
		var l []tradeplan.Organisation
		for at := id; at != 0; {
			o, ok := orgs[at]
			if !ok || len(l) > 64 {
				continue next
			}
			l = append(l, o)
			at = o.ParentID
		}
		out[id] = l
	}
	return out, nil
}

// CallTierUpgrades reads, in one query, every submitted plan of call id
// with its current version and that version's tier upgrades by line
// (licensing.CallRankTx).
func (t *licTx) CallTierUpgrades(ctx context.Context, id int64) ([]licensing.PlanUpgrades, error) {
	rows, err := t.QueryContext(ctx, `SELECT p.id, p.version, u.line_no, u.from_tier, u.tier, u.reason, u.upgraded_by, u.upgraded_at
		FROM plans p LEFT JOIN tier_upgrades u ON u.plan_id = p.id AND u.version = p.version
		WHERE p.call_id = ? AND p.status <> 'draft' ORDER BY p.id, u.line_no`, id)
	if err != nil {
		return nil, t.db.dbErr(err, "call tier upgrades")
	}
	defer rows.Close()
	var out []licensing.PlanUpgrades
	for rows.Next() {
		var plan int64
		var version int
		var line, from, tier sql.NullInt64
		var reason, by sql.NullString
		var at nullTime
		if err := rows.Scan(&plan, &version, &line, &from, &tier, &reason, &by, &at); err != nil {
			return nil, t.db.dbErr(err, "call tier upgrades")
		}
		if n := len(out); n == 0 || out[n-1].PlanID != plan {
			out = append(out, licensing.PlanUpgrades{PlanID: plan, Version: version})
		}
		if line.Valid {
			last := &out[len(out)-1]
			last.Upgrades = append(last.Upgrades, licensing.TierUpgrade{PlanID: plan, Version: version, Line: int(line.Int64),
				From: int(from.Int64), Tier: int(tier.Int64), Reason: reason.String, By: by.String, At: at.Time})
		}
	}
	return out, rows.Err()
}
