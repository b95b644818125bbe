package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/tradeplan/tradeplan"
)

var _ tradeplan.MatchDecisions = (*DB)(nil)

// PutMatchDecision records (or replaces) the decision on a query against a
// list entry. When d.At is zero it is now; when d.By is empty it is the
// actor of ctx.
func (db *DB) PutMatchDecision(ctx context.Context, d tradeplan.MatchDecision) error {
	var ps tradeplan.Problems
	for _, f := range []struct{ name, v string }{{"query", d.Query}, {"list", d.List}, {"id", d.EntryID}, {"entry_version", d.EntryVersion}} {
		if strings.TrimSpace(f.v) == "" {
			ps.Add(tradeplan.Position{}, f.name, "is empty")
		}
	}
	if d.Decision != tradeplan.DecisionFalsePositive && d.Decision != tradeplan.DecisionTrueMatch {
		ps.Add(tradeplan.Position{}, "decision", "is %q, expected %q or %q", d.Decision, tradeplan.DecisionFalsePositive, tradeplan.DecisionTrueMatch)
	}
	if err := ps.Err("match decision"); err != nil {
		return err
	}
	if d.By == "" {
		d.By = actorOf(ctx).Label()
	}
	if d.At.IsZero() {
		d.At = db.stamp()
	}
	d.At = d.At.UTC().Truncate(1000)
	err := db.inTx(ctx, func(tx *Tx) error {
		old, ok, err := scanDecision(tx.QueryRowContext(ctx, "SELECT "+decisionColumns+" FROM match_decisions WHERE query = ? AND list = ? AND entry_id = ?", d.Query, d.List, d.EntryID))
		if err != nil {
			return err
		}
		key := []any{d.Query, d.List, d.EntryID}
		if _, err := checkRow(ctx, tx, db.d.name() == "postgres", db.d.rowLock(), "match_decisions", key, nil); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, putMatchDecisionSQL, d.Query, d.List, d.EntryID, d.EntryVersion, d.Decision, d.Reason, d.By, d.At,
			d.Kind, d.Country, d.Score, d.Strength); err != nil {
			return db.dbErr(err, "match decision")
		}
		rows, err := tx.QueryContext(ctx, "SELECT * FROM match_decisions WHERE query = ? AND list = ? AND entry_id = ?", key...)
		if err != nil {
			return err
		}
		var state []tradeplan.RowDigest
		if err := eachRowDigest(rows, stateTableOf("match_decisions"), func(r, d string) { state = append(state, tradeplan.RowDigest{Row: r, Digest: d}) }); err != nil {
			return err
		}
		e := tradeplan.AuditEntry{Action: "match.decide", Subject: "match:" + d.List + "/" + d.EntryID + "/" + d.Query, After: auditJSON(d), State: state}
		if ok {
			e.Before = auditJSON(old)
		}
		if a, has := tradeplan.ActorFrom(ctx); has {
			e.OrgID = a.Org.ID
		}
		_, err = db.appendAudit(ctx, tx, e)
		return err
	})
	if err != nil {
		return fmt.Errorf("record match decision: %w", err)
	}
	return nil
}

const decisionColumns = "query, list, entry_id, entry_version, decision, reason, decided_by, decided_at, kind, country, score, strength"

// putMatchDecisionSQL records or replaces the decision on a query against a
// list entry, with the facts it was made on.
const putMatchDecisionSQL = `INSERT INTO match_decisions (query, list, entry_id, entry_version, decision, reason, decided_by, decided_at, kind, country, score, strength)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (query, list, entry_id) DO UPDATE SET entry_version = excluded.entry_version, decision = excluded.decision,
		reason = excluded.reason, decided_by = excluded.decided_by, decided_at = excluded.decided_at,
		kind = excluded.kind, country = excluded.country, score = excluded.score, strength = excluded.strength`

func scanDecision(row *sql.Row) (tradeplan.MatchDecision, bool, error) {
	var d tradeplan.MatchDecision
	err := row.Scan(&d.Query, &d.List, &d.EntryID, &d.EntryVersion, &d.Decision, &d.Reason, &d.By, ptime{&d.At}, &d.Kind, &d.Country, &d.Score, &d.Strength)
	if err == sql.ErrNoRows {
		return d, false, nil
	}
	if err != nil {
		return d, false, err
	}
	return d, true, nil
}

// MatchDecision returns the recorded decision on a query against a list
// entry; ok is false when there is none.
func (db *DB) MatchDecision(ctx context.Context, query, list, entryID string) (tradeplan.MatchDecision, bool, error) {
	d, ok, err := scanDecision(db.queryRow(ctx, "SELECT "+decisionColumns+" FROM match_decisions WHERE query = ? AND list = ? AND entry_id = ?", query, list, entryID))
	if err != nil {
		return d, false, fmt.Errorf("match decision: %w", err)
	}
	return d, ok, nil
}

// MatchDecisionList lists the recorded decisions on a list ("" for all).
func (db *DB) MatchDecisionList(ctx context.Context, list string) ([]tradeplan.MatchDecision, error) {
	q := "SELECT " + decisionColumns + " FROM match_decisions"
	var args []any
	if list != "" {
		q += " WHERE list = ?"
		args = append(args, list)
	}
	rows, err := db.query(ctx, q+" ORDER BY list, entry_id, query", args...)
	if err != nil {
		return nil, fmt.Errorf("list match decisions: %w", err)
	}
	defer rows.Close()
	out := []tradeplan.MatchDecision{}
	for rows.Next() {
		var d tradeplan.MatchDecision
		if err := rows.Scan(&d.Query, &d.List, &d.EntryID, &d.EntryVersion, &d.Decision, &d.Reason, &d.By, ptime{&d.At}, &d.Kind, &d.Country, &d.Score, &d.Strength); err != nil {
			return nil, fmt.Errorf("list match decisions: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
