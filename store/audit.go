package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// appendAudit appends e to the audit log inside tx, the transaction of the
// change it records, so that the change and its record commit together or
// not at all. It fills in Seq, At, Actor (from ctx when empty), PrevHash and
// Hash. Before and After are compacted JSON; nil means none. Appends are
// serialised by locking the chain head.
func (db *DB) appendAudit(ctx context.Context, tx *Tx, e tradeplan.AuditEntry) (tradeplan.AuditEntry, error) {
	var err error
	if e.Before, err = compactJSON(e.Before); err != nil {
		return e, fmt.Errorf("audit %s: before: %w", e.Action, err)
	}
	if e.After, err = compactJSON(e.After); err != nil {
		return e, fmt.Errorf("audit %s: after: %w", e.Action, err)
	}
	if e.Actor == "" {
		e.Actor = actorOf(ctx).Label()
	}
	var headSeq int64
	var headHash string
	if err := tx.QueryRowContext(ctx, db.d.lockAuditHead()).Scan(&headSeq, &headHash); err != nil {
		return e, fmt.Errorf("audit %s: read chain head: %w", e.Action, err)
	}
	e.Seq = headSeq + 1
	e.PrevHash = headHash
	e.At = db.stamp()
	e.Hash = e.ComputeHash()
	var state any
	if len(e.State) > 0 {
		b, err := json.Marshal(e.State)
		if err != nil {
			return e, fmt.Errorf("audit %s: state: %w", e.Action, err)
		}
		state = string(b)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, org_id, action, subject, before, after, state, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At, e.Actor, e.OrgID, e.Action, e.Subject, nullJSON(e.Before), nullJSON(e.After), state, e.PrevHash, e.Hash); err != nil {
		return e, fmt.Errorf("audit %s: %w", e.Action, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", e.Seq, e.Hash); err != nil {
		return e, fmt.Errorf("audit %s: move chain head: %w", e.Action, err)
	}
	return e, nil
}

// auditJSON marshals v for an audit entry's Before or After; nil stays nil.
func auditJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own domain types are marshalled here.
		panic(fmt.Sprintf("store: audit JSON of %T: %v", v, err))
	}
	return b
}

func compactJSON(b json.RawMessage) (json.RawMessage, error) {
	if len(b) == 0 || string(b) == "null" {
		return nil, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func nullJSON(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// AuditFilter selects audit entries (tradeplan.AuditFilter).
type AuditFilter = tradeplan.AuditFilter

// AuditLog lists audit entries in chain order.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]tradeplan.AuditEntry, error) {
	q := "SELECT " + auditColumns + " FROM audit_log WHERE seq > ?"
	args := []any{f.AfterSeq}
	if f.Subject != "" {
		q += " AND subject = ?"
		args = append(args, f.Subject)
	}
	if f.BeforeSeq > 0 {
		q += " AND seq < ?"
		args = append(args, f.BeforeSeq)
	}
	if f.Action != "" {
		q += " AND action LIKE ? ESCAPE '\\'"
		args = append(args, strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Action)+"%")
	}
	if f.Actor != "" {
		q += " AND actor = ?"
		args = append(args, f.Actor)
	}
	if f.OrgIDs != nil {
		if len(f.OrgIDs) == 0 {
			return []tradeplan.AuditEntry{}, nil
		}
		q += " AND org_id IN (" + placeholders(len(f.OrgIDs)) + ")"
		for _, id := range f.OrgIDs {
			args = append(args, id)
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	order := " ORDER BY seq"
	if f.Newest {
		order += " DESC"
	}
	q += order + " LIMIT " + itoa(int64(limit))
	rows, err := db.r.QueryContext(ctx, db.d.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	out := []tradeplan.AuditEntry{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	b := make([]byte, 0, 2*n)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

const auditColumns = "seq, at, actor, org_id, action, subject, before, after, state, prev_hash, hash"

func scanAudit(rows *sql.Rows) (tradeplan.AuditEntry, error) {
	var e tradeplan.AuditEntry
	var before, after, state sql.NullString
	if err := rows.Scan(&e.Seq, ptime{&e.At}, &e.Actor, &e.OrgID, &e.Action, &e.Subject, &before, &after, &state, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	if state.Valid {
		if err := json.Unmarshal([]byte(state.String), &e.State); err != nil {
			return e, fmt.Errorf("entry %d state: %w", e.Seq, err)
		}
	}
	if before.Valid {
		e.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		e.After = json.RawMessage(after.String)
	}
	return e, nil
}

// VerifyResult is the outcome of walking the audit chain
// (tradeplan.AuditVerification).
type VerifyResult = tradeplan.AuditVerification

// VerifyAudit walks the whole chain in seq order and checks that seqs run
// 1, 2, 3, ... without gaps, that each entry's PrevHash is the Hash of the
// one before, that each Hash matches the entry's content, and that the last
// entry is the recorded head. It reports the first entry that fails. A
// broken chain is a VerifyResult with OK false, not an error; the error is
// for failing to read.
func (db *DB) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	var res VerifyResult
	// One read transaction, so that appends during the walk are not seen
	// half-way.
	tx, err := db.beginRead(ctx)
	if err != nil {
		return res, fmt.Errorf("verify audit: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&res.HeadSeq, &res.HeadHash); err != nil {
		return res, fmt.Errorf("verify audit: read chain head: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY seq")
	if err != nil {
		return res, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	fail := func(seq int64, format string, args ...any) (VerifyResult, error) {
		res.OK, res.BadSeq, res.Problem = false, seq, fmt.Sprintf(format, args...)
		return res, nil
	}
	prev := ""
	var want int64 = 1
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return res, fmt.Errorf("verify audit: entry after %d: %w", want-1, err)
		}
		res.Entries++
		switch {
		case e.Seq != want:
			return fail(want, "entry %d is missing (the next entry is %d): deleted or renumbered", want, e.Seq)
		case e.PrevHash != prev:
			return fail(e.Seq, "entry %d does not follow entry %d: its previous hash %s is not %s (entries deleted, inserted or reordered)", e.Seq, e.Seq-1, short(e.PrevHash), short(prev))
		case e.ComputeHash() != e.Hash:
			return fail(e.Seq, "entry %d (%s %s) was altered: its content does not match its hash", e.Seq, e.Action, e.Subject)
		}
		prev = e.Hash
		want++
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("verify audit: %w", err)
	}
	last := want - 1
	switch {
	case last < res.HeadSeq:
		return fail(last+1, "entries %d to %d are missing: the chain head is at %d", last+1, res.HeadSeq, res.HeadSeq)
	case last > res.HeadSeq:
		return fail(res.HeadSeq+1, "entry %d is beyond the chain head %d: appended outside the store", res.HeadSeq+1, res.HeadSeq)
	case prev != res.HeadHash:
		return fail(last, "entry %d does not match the chain head's hash %s", last, short(res.HeadHash))
	}
	res.OK = true
	return res, nil
}

func short(h string) string {
	if h == "" {
		return "(none)"
	}
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
