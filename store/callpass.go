package store

import (
	"context"
	"strconv"

	"github.com/tradeplan/tradeplan"
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
// in one query (licensing.CallPlansTx).
const callCurrent = `FROM plans p WHERE p.call_id = ? AND p.status <> 'draft' AND p.id = x.plan_id AND p.version = x.version`

// CallVersions reads the current version of every submitted plan of call
// id, by plan id, without the differences from the version before.
func (t *licTx) CallVersions(ctx context.Context, id int64) ([]tradeplan.PlanVersion, error) {
	rows, err := t.QueryContext(ctx, `SELECT x.plan_id, x.version, x.plan, x.report, NULL, x.reason, x.created_by, x.created_at, x.submitted_by, x.submitted_at
		FROM plan_versions x WHERE EXISTS (SELECT 1 `+callCurrent+`) ORDER BY x.plan_id`, id)
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
		COALESCE(x.permit_id, 0), x.carried_from, x.decided_by, x.decided_at FROM line_decisions x
		WHERE EXISTS (SELECT 1 `+callCurrent+`) ORDER BY x.plan_id, x.line_no`, id)
}

// CallAssessments reads the assessments of those versions, by plan and line.
func (t *licTx) CallAssessments(ctx context.Context, id int64) ([]tradeplan.LineAssessment, error) {
	return t.assessments(ctx, `SELECT x.plan_id, x.version, x.line_no, x.hs, x.reason, x.assessed_by, x.assessed_at FROM line_assessments x
		WHERE EXISTS (SELECT 1 `+callCurrent+`) ORDER BY x.plan_id, x.line_no`, id)
}

// CallComplianceDecisions reads the compliance decisions of those
// versions, by plan and in the order they were made.
func (t *licTx) CallComplianceDecisions(ctx context.Context, id int64) ([]tradeplan.ComplianceDecision, error) {
	return t.complianceDecisions(ctx, `SELECT x.plan_id, x.version, x.line_no, x.finding, x.decision, x.match_decision, x.reason, x.decided_by,
		x.decided_at, x.facts, x.evidence, x.general FROM compliance_decisions x
		WHERE EXISTS (SELECT 1 `+callCurrent+`) ORDER BY x.plan_id, x.id`, id)
}
