package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Enforcement cases (package licensing decides).

var _ licensing.CaseTx = (*licTx)(nil)

const caseColumns = `id, declaration, rule, permit, subject, severity, status, summary, citations, COALESCE(assignee, 0), outcome, reason, notes,
	opened_at, updated_at, closed_at`

func scanCase(sc interface{ Scan(...any) error }) (licensing.Case, error) {
	var c licensing.Case
	var cites, notes string
	var closed nullTime
	err := sc.Scan(&c.ID, &c.Declaration, &c.Rule, &c.Permit, &c.Subject, &c.Severity, &c.Status, &c.Summary, &cites, &c.Assignee,
		&c.Outcome, &c.Reason, &notes, ptime{&c.OpenedAt}, ptime{&c.UpdatedAt}, &closed)
	if err != nil {
		return c, err
	}
	c.ClosedAt = closed.ptr()
	if err := json.Unmarshal([]byte(cites), &c.Citations); err != nil {
		return c, fmt.Errorf("case %d citations: %w", c.ID, err)
	}
	if err := json.Unmarshal([]byte(notes), &c.Notes); err != nil {
		return c, fmt.Errorf("case %d notes: %w", c.ID, err)
	}
	if c.Citations == nil {
		c.Citations = []string{}
	}
	if c.Notes == nil {
		c.Notes = []licensing.CaseNote{}
	}
	return c, nil
}

func (t *licTx) OpenCase(ctx context.Context, c *licensing.Case) (bool, error) {
	cites, err := jsonText(nonNil(c.Citations))
	if err != nil {
		return false, err
	}
	notes, err := jsonText(c.Notes)
	if err != nil {
		return false, err
	}
	var id int64
	err = t.QueryRowContext(ctx, `INSERT INTO enforcement_cases (declaration, rule, permit, subject, severity, status, summary, citations,
		notes, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (declaration, rule) DO NOTHING RETURNING id`,
		c.Declaration, c.Rule, c.Permit, c.Subject, c.Severity, c.Status, c.Summary, cites, notes, ts(c.OpenedAt), ts(c.UpdatedAt)).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return false, t.db.dbErr(err, "case")
	}
	c.ID = id
	t.touch("enforcement_cases", "id = ?", id)
	return true, nil
}

func (t *licTx) Case(ctx context.Context, id int64) (licensing.Case, error) {
	c, err := scanCase(t.QueryRowContext(ctx, "SELECT "+caseColumns+" FROM enforcement_cases WHERE id = ?"+t.lock(), id))
	if err != nil {
		return c, t.notFound(err, "case", id)
	}
	return c, nil
}

func (t *licTx) UpdateCase(ctx context.Context, c licensing.Case) error {
	notes, err := jsonText(c.Notes)
	if err != nil {
		return err
	}
	if err := t.guardRow(ctx, "enforcement_cases", c.ID); err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `UPDATE enforcement_cases SET status = ?, assignee = ?, outcome = ?, reason = ?, notes = ?, updated_at = ?, closed_at = ?
		WHERE id = ?`, c.Status, nullInt(c.Assignee), c.Outcome, c.Reason, notes, ts(c.UpdatedAt), tsp(c.ClosedAt), c.ID)
	t.touch("enforcement_cases", "id = ?", c.ID)
	return t.db.dbErr(err, "case")
}

func (t *licTx) Cases(ctx context.Context, f licensing.CaseFilter) ([]licensing.Case, error) {
	q, args := "SELECT "+caseColumns+" FROM enforcement_cases WHERE 1 = 1", []any{}
	if f.Subjects != nil {
		if len(f.Subjects) == 0 {
			return nil, nil
		}
		q += " AND subject IN (" + placeholders(len(f.Subjects)) + ")"
		for _, s := range f.Subjects {
			args = append(args, s)
		}
	}
	if f.Status != "" {
		q += " AND status = ?"
		args = append(args, f.Status)
	}
	if f.Assignee != 0 {
		q += " AND assignee = ?"
		args = append(args, f.Assignee)
	}
	rows, err := t.QueryContext(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, t.db.dbErr(err, "cases")
	}
	defer rows.Close()
	var out []licensing.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (t *licTx) UserOrg(ctx context.Context, userID int64) (int64, tradeplan.Role, error) {
	var org int64
	var role tradeplan.Role
	err := t.QueryRowContext(ctx, "SELECT org_id, role FROM users WHERE id = ?", userID).Scan(&org, &role)
	if err != nil {
		return 0, "", t.notFound(err, "user", userID)
	}
	return org, role, nil
}
