package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// The licensing workflow's storage: calls, plans and versions, decisions,
// permits with their cap draws and uses, crossings. The rules live in
// package licensing; here are its transactions.

var (
	_ licensing.Store    = (*LicensingStore)(nil)
	_ licensing.Tx       = (*licTx)(nil)
	_ tradeplan.CapUsage = (*DB)(nil)
)

// LicensingStore is the licensing.Store over the database.
type LicensingStore struct{ db *DB }

// Licensing returns the licensing.Store of db.
func (db *DB) Licensing() *LicensingStore { return &LicensingStore{db: db} }

// View runs fn in a read transaction: every read in fn sees the database
// at one moment (beginRead).
func (s *LicensingStore) View(ctx context.Context, fn func(context.Context, licensing.Tx) error) error {
	sqlTx, err := s.db.beginRead(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer sqlTx.Rollback()
	return fn(ctx, &licTx{Tx: Tx{tx: sqlTx, db: s.db}})
}

// Update runs fn in a write transaction, committed only when fn returns
// nil, and retried on transient conflicts. The rows it wrote that no audit
// entry recorded are recorded at the end (state.go).
func (s *LicensingStore) Update(ctx context.Context, fn func(context.Context, licensing.Tx) error) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		lt := &licTx{Tx: *tx, write: true}
		if err := fn(ctx, lt); err != nil {
			return err
		}
		return lt.flushState(ctx)
	})
}

// CapUsed implements tradeplan.CapUsage: the quantity of a cap held by
// permits (all of an active permit's draw, the used share of a finished
// one) whose cap windows overlap [from, to].
func (db *DB) CapUsed(ctx context.Context, capID string, from, to time.Time) (tradeplan.Decimal, error) {
	var used tradeplan.Decimal
	err := db.Licensing().View(ctx, func(ctx context.Context, tx licensing.Tx) error {
		var err error
		used, err = tx.CapUsed(ctx, capID, from, to)
		return err
	})
	return used, err
}

// licTx is a licensing transaction. In a write transaction the reads of one
// call, plan, permit or crossing hold the row until the transaction ends
// (see lock), so that every read-modify-write of a status, a balance or a
// version is safe with several servers on one database.
type licTx struct {
	Tx
	write bool
	state stateTracker    // rows written, for the next audit entry
	rows  map[string]bool // rows of tables recorded a row at a time checked against the chain (guardRow)
}

// lock is the row-lock clause for a read of one row in a write
// transaction: the row cannot change before the transaction ends.
func (t *licTx) lock() string {
	if !t.write {
		return ""
	}
	return t.db.d.rowLock()
}

func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func tsp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %T: %w", v, err)
	}
	return string(b), nil
}

func jsonOrNull(v any, isNil bool) (any, error) {
	if isNil {
		return nil, nil
	}
	return jsonText(v)
}

func (t *licTx) notFound(err error, what string, id any) error {
	if err == sql.ErrNoRows {
		return tradeplan.Errorf(tradeplan.ENotFound, "%s %v not found", what, id)
	}
	return t.db.dbErr(err, what)
}

func (t *licTx) Audit(ctx context.Context, action, subject string, org int64, before, after any) error {
	state, err := t.takeState(ctx)
	if err != nil {
		return err
	}
	_, err = t.db.appendAudit(ctx, &t.Tx, tradeplan.AuditEntry{
		Action: action, Subject: subject, OrgID: org, Before: auditJSON(before), After: auditJSON(after), State: state,
	})
	return err
}

func (t *licTx) Organisation(ctx context.Context, id int64) (tradeplan.Organisation, error) {
	o, err := scanOrg(t.QueryRowContext(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = ?", id))
	if err != nil {
		return o, t.notFound(err, "organisation", id)
	}
	return o, nil
}

// ---- calls ----

const callColumns = "id, period, period_from, period_to, deadline, guidance, COALESCE(issuer, 0), organisations, include_offices, allow_late, forbid_own_review, closed_at, created_by, created_at"

func scanCall(sc interface{ Scan(...any) error }) (tradeplan.Call, error) {
	var c tradeplan.Call
	var orgs string
	var closed nullTime
	err := sc.Scan(&c.ID, &c.Period, ptime{&c.From}, ptime{&c.To}, ptime{&c.Deadline}, &c.Guidance, &c.Issuer, &orgs,
		&c.IncludeOffices, &c.AllowLate, &c.ForbidOwnReview, &closed, &c.CreatedBy, ptime{&c.CreatedAt})
	if err != nil {
		return c, err
	}
	c.ClosedAt = closed.ptr()
	if err := json.Unmarshal([]byte(orgs), &c.Organisations); err != nil {
		return c, fmt.Errorf("call %d organisations: %w", c.ID, err)
	}
	return c, nil
}

func (t *licTx) CreateCall(ctx context.Context, c *tradeplan.Call) error {
	orgs, err := jsonText(c.Organisations)
	if err != nil {
		return err
	}
	id, err := t.insertID(ctx, `INSERT INTO calls (period, period_from, period_to, deadline, guidance, issuer, organisations,
		include_offices, allow_late, forbid_own_review, closed_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Period, ts(c.From), ts(c.To), ts(c.Deadline), c.Guidance, nullInt(c.Issuer), orgs, c.IncludeOffices, c.AllowLate, c.ForbidOwnReview,
		tsp(c.ClosedAt), c.CreatedBy, ts(c.CreatedAt))
	if err != nil {
		return t.db.dbErr(err, "call")
	}
	c.ID = id
	t.touch("calls", "id = ?", id)
	return nil
}

func (t *licTx) UpdateCall(ctx context.Context, c tradeplan.Call) error {
	orgs, err := jsonText(c.Organisations)
	if err != nil {
		return err
	}
	if err := t.guardRow(ctx, "calls", c.ID); err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `UPDATE calls SET deadline = ?, guidance = ?, organisations = ?, allow_late = ?,
		forbid_own_review = ?, closed_at = ? WHERE id = ?`,
		ts(c.Deadline), c.Guidance, orgs, c.AllowLate, c.ForbidOwnReview, tsp(c.ClosedAt), c.ID)
	t.touch("calls", "id = ?", c.ID)
	return t.db.dbErr(err, "call")
}

func (t *licTx) Call(ctx context.Context, id int64) (tradeplan.Call, error) {
	c, err := scanCall(t.QueryRowContext(ctx, "SELECT "+callColumns+" FROM calls WHERE id = ?"+t.lock(), id))
	if err != nil {
		return c, t.notFound(err, "call", id)
	}
	return c, nil
}

func (t *licTx) Calls(ctx context.Context) ([]tradeplan.Call, error) {
	rows, err := t.QueryContext(ctx, "SELECT "+callColumns+" FROM calls ORDER BY id")
	if err != nil {
		return nil, t.db.dbErr(err, "calls")
	}
	defer rows.Close()
	var out []tradeplan.Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ---- plans ----

const planColumns = "id, call_id, org_id, title, status, version, late, created_by, created_at, updated_at, submitted_at"

func scanPlan(sc interface{ Scan(...any) error }) (tradeplan.PlanRecord, error) {
	var p tradeplan.PlanRecord
	var sub nullTime
	err := sc.Scan(&p.ID, &p.CallID, &p.Organisation, &p.Title, &p.Status, &p.Version, &p.Late, &p.CreatedBy,
		ptime{&p.CreatedAt}, ptime{&p.UpdatedAt}, &sub)
	p.SubmittedAt = sub.ptr()
	return p, err
}

func (t *licTx) CreatePlan(ctx context.Context, p *tradeplan.PlanRecord) error {
	p.CreatedAt, p.UpdatedAt = ts(p.CreatedAt), ts(p.UpdatedAt)
	id, err := t.insertID(ctx, `INSERT INTO plans (call_id, org_id, title, status, version, late, created_by, created_at, updated_at, submitted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.CallID, p.Organisation, p.Title, string(p.Status), p.Version, p.Late, p.CreatedBy, p.CreatedAt, p.UpdatedAt, tsp(p.SubmittedAt))
	if err != nil {
		return t.db.dbErr(err, "plan")
	}
	p.ID = id
	t.touch("plans", "id = ?", id)
	return nil
}

func (t *licTx) UpdatePlan(ctx context.Context, p tradeplan.PlanRecord) error {
	if err := t.guardRow(ctx, "plans", p.ID); err != nil {
		return err
	}
	res, err := t.ExecContext(ctx, `UPDATE plans SET title = ?, status = ?, version = ?, late = ?, updated_at = ?, submitted_at = ? WHERE id = ?`,
		p.Title, string(p.Status), p.Version, p.Late, ts(p.UpdatedAt), tsp(p.SubmittedAt), p.ID)
	if err != nil {
		return t.db.dbErr(err, "plan")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tradeplan.Errorf(tradeplan.ENotFound, "plan %d not found", p.ID)
	}
	t.touch("plans", "id = ?", p.ID)
	return nil
}

func (t *licTx) Plan(ctx context.Context, id int64) (tradeplan.PlanRecord, error) {
	p, err := scanPlan(t.QueryRowContext(ctx, "SELECT "+planColumns+" FROM plans WHERE id = ?"+t.lock(), id))
	if err != nil {
		return p, t.notFound(err, "plan", id)
	}
	return p, nil
}

// inList appends "AND col IN (...)" for a non-nil list; an empty list
// matches nothing.
func inList(q string, args []any, col string, ids []int64) (string, []any) {
	if ids == nil {
		return q, args
	}
	if len(ids) == 0 {
		return q + " AND 1 = 0", args
	}
	q += " AND " + col + " IN (" + placeholders(len(ids)) + ")"
	for _, id := range ids {
		args = append(args, id)
	}
	return q, args
}

// inScope appends the scope of a reader: rows of the organisations in col
// and, when issuers is not nil, rows of the calls those organisations
// issued. Both nil match everything; empty lists match nothing.
func inScope(q string, args []any, col string, orgs, issuers []int64) (string, []any) {
	if issuers == nil {
		return inList(q, args, col, orgs)
	}
	cond := "1 = 0"
	if len(orgs) > 0 {
		cond = col + " IN (" + placeholders(len(orgs)) + ")"
		for _, id := range orgs {
			args = append(args, id)
		}
	}
	if len(issuers) > 0 {
		cond += " OR call_id IN (SELECT id FROM calls WHERE issuer IN (" + placeholders(len(issuers)) + "))"
		for _, id := range issuers {
			args = append(args, id)
		}
	}
	return q + " AND (" + cond + ")", args
}

func (t *licTx) Plans(ctx context.Context, f licensing.PlanFilter) ([]tradeplan.PlanRecord, error) {
	q, args := "SELECT "+planColumns+" FROM plans WHERE 1 = 1", []any{}
	if f.CallID != 0 {
		q += " AND call_id = ?"
		args = append(args, f.CallID)
	}
	q, args = inScope(q, args, "org_id", f.Orgs, f.Issuers)
	rows, err := t.QueryContext(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, t.db.dbErr(err, "plans")
	}
	defer rows.Close()
	var out []tradeplan.PlanRecord
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *licTx) PutPlanVersion(ctx context.Context, v tradeplan.PlanVersion) error {
	plan, err := jsonText(v.Plan)
	if err != nil {
		return err
	}
	report, err := jsonOrNull(v.Report, v.Report == nil)
	if err != nil {
		return err
	}
	diff, err := jsonOrNull(v.Diff, v.Diff == nil)
	if err != nil {
		return err
	}
	if err := t.guardRow(ctx, "plan_versions", v.PlanID, v.Version); err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `INSERT INTO plan_versions (plan_id, version, plan, report, diff, reason, created_by, created_at, submitted_by, submitted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (plan_id, version) DO UPDATE SET plan = excluded.plan, report = excluded.report, diff = excluded.diff,
			reason = excluded.reason, submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at`,
		v.PlanID, v.Version, plan, report, diff, v.Reason, v.CreatedBy, ts(v.CreatedAt), v.SubmittedBy, tsp(v.SubmittedAt))
	t.touch("plan_versions", "plan_id = ? AND version = ?", v.PlanID, v.Version)
	return t.db.dbErr(err, "plan version")
}

const versionColumns = "plan_id, version, plan, report, diff, reason, created_by, created_at, submitted_by, submitted_at"

func scanVersion(sc interface{ Scan(...any) error }, vm *versionMemo) (tradeplan.PlanVersion, error) {
	var v tradeplan.PlanVersion
	var plan, report, diff sql.NullString
	var sub nullTime
	if err := sc.Scan(&v.PlanID, &v.Version, &plan, &report, &diff, &v.Reason, &v.CreatedBy, ptime{&v.CreatedAt}, &v.SubmittedBy, &sub); err != nil {
		return v, err
	}
	v.SubmittedAt = sub.ptr()
	return v, vm.decode(&v, plan, report, diff)
}

func (t *licTx) PlanVersion(ctx context.Context, planID int64, version int) (tradeplan.PlanVersion, error) {
	v, err := scanVersion(t.QueryRowContext(ctx, "SELECT "+versionColumns+" FROM plan_versions WHERE plan_id = ? AND version = ?", planID, version), &t.db.versions)
	if err != nil {
		return v, t.notFound(err, "plan version", fmt.Sprintf("%d/%d", planID, version))
	}
	return v, nil
}

func (t *licTx) PlanVersions(ctx context.Context, planID int64) ([]tradeplan.PlanVersion, error) {
	rows, err := t.QueryContext(ctx, "SELECT "+versionColumns+" FROM plan_versions WHERE plan_id = ? ORDER BY version", planID)
	if err != nil {
		return nil, t.db.dbErr(err, "plan versions")
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

// ---- decisions ----

func (t *licTx) AddDecision(ctx context.Context, d tradeplan.LineDecision) error {
	cites, err := jsonText(nonNil(d.Citations))
	if err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `INSERT INTO line_decisions (plan_id, version, line_no, decision, quantity, val, reduced, reason,
		citations, permit_id, carried_from, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.PlanID, d.Version, d.Line, d.Decision, d.Quantity.String(), d.Value.String(), d.Reduced, d.Reason, cites, nullInt(d.PermitID),
		d.CarriedFrom, d.By, ts(d.At))
	if err != nil {
		if e := t.db.dbErr(err, "decision"); tradeplan.ErrorCode(e) == tradeplan.EConflict {
			return tradeplan.Errorf(tradeplan.EConflict, "line %d of plan %d version %d is already decided", d.Line, d.PlanID, d.Version)
		}
		return t.db.dbErr(err, "decision")
	}
	t.touch("line_decisions", "plan_id = ? AND version = ? AND line_no = ?", d.PlanID, d.Version, d.Line)
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (t *licTx) Decisions(ctx context.Context, planID int64, version int) ([]tradeplan.LineDecision, error) {
	return t.decisions(ctx, `SELECT plan_id, version, line_no, decision, quantity, val, reduced, reason, citations,
		COALESCE(permit_id, 0), carried_from, decided_by, decided_at FROM line_decisions WHERE plan_id = ? AND version = ? ORDER BY line_no`, planID, version)
}

func (t *licTx) decisions(ctx context.Context, q string, args ...any) ([]tradeplan.LineDecision, error) {
	rows, err := t.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, t.db.dbErr(err, "decisions")
	}
	defer rows.Close()
	var out []tradeplan.LineDecision
	for rows.Next() {
		var d tradeplan.LineDecision
		var cites string
		if err := rows.Scan(&d.PlanID, &d.Version, &d.Line, &d.Decision, &d.Quantity, &d.Value, &d.Reduced, &d.Reason, &cites,
			&d.PermitID, &d.CarriedFrom, &d.By, ptime{&d.At}); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(cites), &d.Citations); err != nil {
			return nil, err
		}
		if len(d.Citations) == 0 {
			d.Citations = nil
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (t *licTx) PutAssessment(ctx context.Context, a tradeplan.LineAssessment) error {
	if err := t.guardRow(ctx, "line_assessments", a.PlanID, a.Version, a.Line); err != nil {
		return err
	}
	_, err := t.ExecContext(ctx, `INSERT INTO line_assessments (plan_id, version, line_no, hs, reason, assessed_by, assessed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan_id, version, line_no) DO UPDATE SET hs = excluded.hs, reason = excluded.reason,
		assessed_by = excluded.assessed_by, assessed_at = excluded.assessed_at`,
		a.PlanID, a.Version, a.Line, a.HS, a.Reason, a.By, ts(a.At))
	t.touch("line_assessments", "plan_id = ? AND version = ? AND line_no = ?", a.PlanID, a.Version, a.Line)
	return t.db.dbErr(err, "assessment")
}

func (t *licTx) Assessments(ctx context.Context, planID int64, version int) ([]tradeplan.LineAssessment, error) {
	return t.assessments(ctx, `SELECT plan_id, version, line_no, hs, reason, assessed_by, assessed_at FROM line_assessments
		WHERE plan_id = ? AND version = ? ORDER BY line_no`, planID, version)
}

func (t *licTx) assessments(ctx context.Context, q string, args ...any) ([]tradeplan.LineAssessment, error) {
	rows, err := t.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, t.db.dbErr(err, "assessments")
	}
	defer rows.Close()
	var out []tradeplan.LineAssessment
	for rows.Next() {
		var a tradeplan.LineAssessment
		if err := rows.Scan(&a.PlanID, &a.Version, &a.Line, &a.HS, &a.Reason, &a.By, ptime{&a.At}); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (t *licTx) AddComplianceDecision(ctx context.Context, d tradeplan.ComplianceDecision) error {
	facts := ""
	if d.Facts != nil {
		var err error
		if facts, err = jsonText(d.Facts); err != nil {
			return err
		}
	}
	id, err := t.insertID(ctx, `INSERT INTO compliance_decisions (plan_id, version, line_no, finding, decision, match_decision, reason, decided_by, decided_at, facts, evidence, general)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, d.PlanID, d.Version, d.Line, d.Finding, d.Decision, d.Match, d.Reason, d.By, ts(d.At), facts, d.Evidence, d.General)
	if err != nil {
		return t.db.dbErr(err, "compliance decision")
	}
	t.touch("compliance_decisions", "id = ?", id)
	return nil
}

func (t *licTx) ComplianceDecisions(ctx context.Context, planID int64, version int) ([]tradeplan.ComplianceDecision, error) {
	return t.complianceDecisions(ctx, `SELECT plan_id, version, line_no, finding, decision, match_decision, reason, decided_by, decided_at, facts, evidence, general
		FROM compliance_decisions WHERE plan_id = ? AND version = ? ORDER BY id`, planID, version)
}

func (t *licTx) complianceDecisions(ctx context.Context, q string, args ...any) ([]tradeplan.ComplianceDecision, error) {
	rows, err := t.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, t.db.dbErr(err, "compliance decisions")
	}
	defer rows.Close()
	var out []tradeplan.ComplianceDecision
	for rows.Next() {
		var d tradeplan.ComplianceDecision
		var facts string
		if err := rows.Scan(&d.PlanID, &d.Version, &d.Line, &d.Finding, &d.Decision, &d.Match, &d.Reason, &d.By, ptime{&d.At}, &facts, &d.Evidence, &d.General); err != nil {
			return nil, err
		}
		if facts != "" {
			d.Facts = new(tradeplan.MatchFacts)
			if err := json.Unmarshal([]byte(facts), d.Facts); err != nil {
				return nil, fmt.Errorf("compliance decision facts: %w", err)
			}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// PutMatchDecision records a general party or vessel match decision in the
// transaction of the compliance decision it follows from; the service
// audits it there.
func (t *licTx) PutMatchDecision(ctx context.Context, d tradeplan.MatchDecision) error {
	var ps tradeplan.Problems
	for _, f := range []struct{ name, v string }{{"query", d.Query}, {"list", d.List}, {"id", d.EntryID}, {"entry_version", d.EntryVersion}, {"kind", d.Kind}} {
		if strings.TrimSpace(f.v) == "" {
			ps.Add(tradeplan.Position{}, f.name, "is empty")
		}
	}
	if err := ps.Err("match decision"); err != nil {
		return err
	}
	if err := t.guardRow(ctx, "match_decisions", d.Query, d.List, d.EntryID); err != nil {
		return err
	}
	_, err := t.ExecContext(ctx, putMatchDecisionSQL, d.Query, d.List, d.EntryID, d.EntryVersion, d.Decision, d.Reason, d.By, ts(d.At),
		d.Kind, d.Country, d.Score, d.Strength)
	t.touch("match_decisions", "query = ? AND list = ? AND entry_id = ?", d.Query, d.List, d.EntryID)
	return t.db.dbErr(err, "match decision")
}

func (t *licTx) MatchDecision(ctx context.Context, query, list, entryID string) (tradeplan.MatchDecision, bool, error) {
	d, ok, err := scanDecision(t.QueryRowContext(ctx, "SELECT "+decisionColumns+" FROM match_decisions WHERE query = ? AND list = ? AND entry_id = ?", query, list, entryID))
	if err != nil {
		return d, false, t.db.dbErr(err, "match decision")
	}
	return d, ok, nil
}

// ---- permits ----

func (t *licTx) NextPermitSeq(ctx context.Context, period string) (int64, error) {
	var n int64
	err := t.QueryRowContext(ctx, `INSERT INTO permit_sequences (period, last) VALUES (?, 1)
		ON CONFLICT (period) DO UPDATE SET last = permit_sequences.last + 1 RETURNING last`, period).Scan(&n)
	return n, t.db.dbErr(err, "permit sequence")
}

const permitColumns = `id, number, holder, call_id, plan_id, plan_version, line_no, direction, description, hs, origin, destination,
	partner, crossing, unit, currency, quantity, val, quantity_used, value_used, valid_from, valid_to, status, status_reason,
	citations, issued_by, issued_at, updated_at`

func scanPermit(sc interface{ Scan(...any) error }) (tradeplan.Permit, error) {
	var p tradeplan.Permit
	var partner sql.NullString
	var cites string
	err := sc.Scan(&p.ID, &p.Number, &p.Holder, &p.CallID, &p.PlanID, &p.PlanVersion, &p.Line, &p.Direction, &p.Description,
		&p.HS, &p.Origin, &p.Destination, &partner, &p.Crossing, &p.Unit, &p.Currency, &p.Quantity, &p.Value,
		&p.QuantityUsed, &p.ValueUsed, ptime{&p.ValidFrom}, ptime{&p.ValidTo}, &p.Status, &p.StatusReason, &cites,
		&p.IssuedBy, ptime{&p.IssuedAt}, ptime{&p.UpdatedAt})
	if err != nil {
		return p, err
	}
	if partner.Valid {
		p.Partner = new(tradeplan.Party)
		if err := json.Unmarshal([]byte(partner.String), p.Partner); err != nil {
			return p, err
		}
	}
	if err := json.Unmarshal([]byte(cites), &p.Citations); err != nil {
		return p, err
	}
	if len(p.Citations) == 0 {
		p.Citations = nil
	}
	return p, nil
}

func (t *licTx) CreatePermit(ctx context.Context, p *tradeplan.Permit) error {
	partner, err := jsonOrNull(p.Partner, p.Partner == nil)
	if err != nil {
		return err
	}
	cites, err := jsonText(nonNil(p.Citations))
	if err != nil {
		return err
	}
	id, err := t.insertID(ctx, `INSERT INTO permits (number, holder, call_id, plan_id, plan_version, line_no, direction, description,
		hs, origin, destination, partner, crossing, unit, currency, quantity, val, quantity_used, value_used, valid_from, valid_to,
		status, status_reason, citations, issued_by, issued_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Number, p.Holder, p.CallID, p.PlanID, p.PlanVersion, p.Line, string(p.Direction), p.Description, p.HS, p.Origin,
		p.Destination, partner, p.Crossing, p.Unit, p.Currency, p.Quantity.String(), p.Value.String(), p.QuantityUsed.String(), p.ValueUsed.String(),
		ts(p.ValidFrom), ts(p.ValidTo), string(p.Status), p.StatusReason, cites, p.IssuedBy, ts(p.IssuedAt), ts(p.UpdatedAt))
	if err != nil {
		return t.db.dbErr(err, "permit")
	}
	p.ID = id
	t.touch("permits", "id = ?", id)
	t.touch("permit_caps", "permit_id = ?", id)
	for _, c := range p.Caps {
		if _, err := t.ExecContext(ctx, `INSERT INTO permit_caps (permit_id, cap, period_from, period_to, cap_limit, unit, quantity, used, remaining)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.Cap, ts(c.From), ts(c.To), c.Limit.String(), c.Unit, c.Quantity.String(), c.Used.String(), c.Remaining.String()); err != nil {
			return t.db.dbErr(err, "permit cap")
		}
	}
	return nil
}

func (t *licTx) UpdatePermit(ctx context.Context, p tradeplan.Permit) error {
	if err := t.guardRow(ctx, "permits", p.ID); err != nil {
		return err
	}
	res, err := t.ExecContext(ctx, `UPDATE permits SET quantity_used = ?, value_used = ?, status = ?, status_reason = ?, updated_at = ? WHERE id = ?`,
		p.QuantityUsed.String(), p.ValueUsed.String(), string(p.Status), p.StatusReason, ts(p.UpdatedAt), p.ID)
	if err != nil {
		return t.db.dbErr(err, "permit")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return tradeplan.Errorf(tradeplan.ENotFound, "permit %d not found", p.ID)
	}
	t.touch("permits", "id = ?", p.ID)
	return nil
}

func (t *licTx) permitCaps(ctx context.Context, ps []tradeplan.Permit) error {
	if len(ps) == 0 {
		return nil
	}
	idx := map[int64]int{}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		idx[p.ID] = i
		ids[i] = p.ID
	}
	// In chunks: a list of 100,000 permits is more parameters than either
	// engine takes in one statement.
	return chunked(ids, bulkChunk, func(c []int64) error {
		rows, err := t.QueryContext(ctx, `SELECT permit_id, cap, period_from, period_to, cap_limit, unit, quantity, used, remaining
			FROM permit_caps WHERE permit_id IN (`+placeholders(len(c))+`) ORDER BY permit_id, cap`, anys(c)...)
		if err != nil {
			return t.db.dbErr(err, "permit caps")
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var c tradeplan.CapUse
			if err := rows.Scan(&id, &c.Cap, ptime{&c.From}, ptime{&c.To}, &c.Limit, &c.Unit, &c.Quantity, &c.Used, &c.Remaining); err != nil {
				return err
			}
			ps[idx[id]].Caps = append(ps[idx[id]].Caps, c)
		}
		return rows.Err()
	})
}

func (t *licTx) Permit(ctx context.Context, id int64) (tradeplan.Permit, error) {
	p, err := scanPermit(t.QueryRowContext(ctx, "SELECT "+permitColumns+" FROM permits WHERE id = ?"+t.lock(), id))
	if err != nil {
		return p, t.notFound(err, "permit", id)
	}
	ps := []tradeplan.Permit{p}
	err = t.permitCaps(ctx, ps)
	return ps[0], err
}

func (t *licTx) Permits(ctx context.Context, f licensing.PermitFilter) ([]tradeplan.Permit, error) {
	q, args := " WHERE 1 = 1", []any{}
	q, args = inScope(q, args, "holder", f.Holders, f.Issuers)
	if f.Crossing != "" {
		q += " AND crossing = ?"
		args = append(args, f.Crossing)
	}
	if f.PlanID != 0 {
		q += " AND plan_id = ?"
		args = append(args, f.PlanID)
	}
	if f.CallID != 0 {
		q += " AND call_id = ?"
		args = append(args, f.CallID)
	}
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, string(f.Status))
	}
	out, err := t.queryPermits(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, err
	}
	return out, t.permitCaps(ctx, out)
}

func (t *licTx) AddPermitUse(ctx context.Context, u *tradeplan.PermitUse) error {
	id, err := t.insertID(ctx, `INSERT INTO permit_uses (permit_id, quantity, val, crossing, reference, used_by, used_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.PermitID, u.Quantity.String(), u.Value.String(), u.Crossing, u.Reference, u.By, ts(u.At))
	if err != nil {
		return t.db.dbErr(err, "permit use")
	}
	u.ID = id
	t.touch("permit_uses", "id = ?", id)
	return nil
}

func (t *licTx) PermitUses(ctx context.Context, permitID int64) ([]tradeplan.PermitUse, error) {
	rows, err := t.QueryContext(ctx, `SELECT id, permit_id, quantity, val, crossing, reference, used_by, used_at
		FROM permit_uses WHERE permit_id = ? ORDER BY id`, permitID)
	if err != nil {
		return nil, t.db.dbErr(err, "permit uses")
	}
	defer rows.Close()
	var out []tradeplan.PermitUse
	for rows.Next() {
		var u tradeplan.PermitUse
		if err := rows.Scan(&u.ID, &u.PermitID, &u.Quantity, &u.Value, &u.Crossing, &u.Reference, &u.By, ptime{&u.At}); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// LockCap serialises approvals that draw on one cap, by the dialect's
// lockCap query (none where every write transaction is serialised already).
func (t *licTx) LockCap(ctx context.Context, capID string) error {
	q := t.db.d.lockCap()
	if q == "" {
		return nil
	}
	_, err := t.ExecContext(ctx, q, capID)
	return t.db.dbErr(err, "lock cap "+capID)
}

// CapUsed sums the permits' draws in Go, exactly and by the one rule of
// licensing.CapDraw, on both engines: SQL stores the figures, Go adds them
// (SQLite has no exact decimal sum).
func (t *licTx) CapUsed(ctx context.Context, capID string, from, to time.Time) (tradeplan.Decimal, error) {
	var used tradeplan.Decimal
	rows, err := t.QueryContext(ctx, `SELECT c.quantity, c.unit, p.status, p.quantity, p.quantity_used
		FROM permit_caps c JOIN permits p ON p.id = c.permit_id
		WHERE c.cap = ? AND c.period_from <= ? AND c.period_to >= ?`, capID, ts(to), ts(from))
	if err != nil {
		return used, t.db.dbErr(err, "cap "+capID)
	}
	defer rows.Close()
	for rows.Next() {
		var p tradeplan.Permit
		var c tradeplan.CapUse
		if err := rows.Scan(&c.Quantity, &c.Unit, &p.Status, &p.Quantity, &p.QuantityUsed); err != nil {
			return used, t.db.dbErr(err, "cap "+capID)
		}
		used = used.Add(licensing.CapDraw(p, c))
	}
	return used, t.db.dbErr(rows.Err(), "cap "+capID)
}

// ---- crossings ----

func (t *licTx) CreateCrossing(ctx context.Context, c tradeplan.Crossing) error {
	cs, err := jsonText(c.Countries)
	if err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `INSERT INTO crossings (id, name, kind, countries, status, since, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.Name, c.Kind, cs, string(c.Status), ts(c.Since), c.Reason, ts(c.CreatedAt))
	t.touch("crossings", "id = ?", c.ID)
	if e := t.db.dbErr(err, "crossing"); tradeplan.ErrorCode(e) == tradeplan.EConflict {
		return tradeplan.Errorf(tradeplan.EConflict, "crossing %s already exists", c.ID)
	}
	return t.db.dbErr(err, "crossing")
}

func (t *licTx) UpdateCrossing(ctx context.Context, c tradeplan.Crossing) error {
	cs, err := jsonText(c.Countries)
	if err != nil {
		return err
	}
	if err := t.guardRow(ctx, "crossings", c.ID); err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `UPDATE crossings SET name = ?, kind = ?, countries = ?, status = ?, since = ?, reason = ? WHERE id = ?`,
		c.Name, c.Kind, cs, string(c.Status), ts(c.Since), c.Reason, c.ID)
	t.touch("crossings", "id = ?", c.ID)
	return t.db.dbErr(err, "crossing")
}

const crossingColumns = "id, name, kind, countries, status, since, reason, created_at"

func scanCrossing(sc interface{ Scan(...any) error }) (tradeplan.Crossing, error) {
	var c tradeplan.Crossing
	var cs string
	if err := sc.Scan(&c.ID, &c.Name, &c.Kind, &cs, &c.Status, ptime{&c.Since}, &c.Reason, ptime{&c.CreatedAt}); err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(cs), &c.Countries)
}

func (t *licTx) Crossing(ctx context.Context, id string) (tradeplan.Crossing, error) {
	c, err := scanCrossing(t.QueryRowContext(ctx, "SELECT "+crossingColumns+" FROM crossings WHERE id = ?"+t.lock(), id))
	if err != nil {
		return c, t.notFound(err, "crossing", id)
	}
	return c, nil
}

func (t *licTx) Crossings(ctx context.Context) ([]tradeplan.Crossing, error) {
	rows, err := t.QueryContext(ctx, "SELECT "+crossingColumns+" FROM crossings ORDER BY id")
	if err != nil {
		return nil, t.db.dbErr(err, "crossings")
	}
	defer rows.Close()
	var out []tradeplan.Crossing
	for rows.Next() {
		c, err := scanCrossing(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *licTx) AddCrossingEvent(ctx context.Context, e tradeplan.CrossingEvent) error {
	_, err := t.ExecContext(ctx, `INSERT INTO crossing_events (crossing, status, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)`,
		e.Crossing, string(e.Status), e.Reason, e.By, ts(e.At))
	return t.db.dbErr(err, "crossing event")
}

func (t *licTx) CrossingEvents(ctx context.Context, id string) ([]tradeplan.CrossingEvent, error) {
	rows, err := t.QueryContext(ctx, `SELECT crossing, status, reason, changed_by, changed_at FROM crossing_events
		WHERE crossing = ? ORDER BY changed_at, id`, id)
	if err != nil {
		return nil, t.db.dbErr(err, "crossing events")
	}
	defer rows.Close()
	var out []tradeplan.CrossingEvent
	for rows.Next() {
		var e tradeplan.CrossingEvent
		if err := rows.Scan(&e.Crossing, &e.Status, &e.Reason, &e.By, ptime{&e.At}); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
