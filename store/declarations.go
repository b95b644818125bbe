package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Customs declarations: batches, versions, matches and flags, the permits'
// declared totals and the tolerances (package licensing decides; here are
// its reads and writes).

var _ licensing.DeclarationTx = (*licTx)(nil)

func (t *licTx) LockDeclarationIntake(ctx context.Context) error {
	_, err := t.ExecContext(ctx, "UPDATE declaration_intake SET n = n + 1 WHERE id = 1")
	return t.db.dbErr(err, "declaration intake")
}

func (t *licTx) DeclarationBatch(ctx context.Context, id string) (licensing.DeclarationBatch, error) {
	var b licensing.DeclarationBatch
	err := t.QueryRowContext(ctx, "SELECT id, digest, n, loaded_by, loaded_at FROM declaration_batches WHERE id = ?", id).
		Scan(&b.ID, &b.Digest, &b.Count, &b.LoadedBy, ptime{&b.LoadedAt})
	if err != nil {
		return b, t.notFound(err, "declaration batch", id)
	}
	return b, nil
}

func (t *licTx) AddDeclarationBatch(ctx context.Context, b licensing.DeclarationBatch) error {
	_, err := t.ExecContext(ctx, "INSERT INTO declaration_batches (id, digest, n, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?)",
		b.ID, b.Digest, b.Count, b.LoadedBy, ts(b.LoadedAt))
	t.touch("declaration_batches", "id = ?", b.ID)
	return t.db.dbErr(err, "declaration batch")
}

const declColumns = `id, number, version, batch_id, day, declarant, COALESCE(permit_id, 0), flags, is_current, packed`

func scanDeclaration(sc interface{ Scan(...any) error }) (licensing.Declaration, error) {
	var d licensing.Declaration
	var flags, packed string
	err := sc.Scan(&d.ID, &d.Number, &d.Version, &d.Batch, ptime{&d.Date}, &d.Declarant, &d.PermitID, &flags, &d.Current, &packed)
	if err != nil {
		return d, err
	}
	if err := readPacked(packed, &d); err != nil {
		return d, fmt.Errorf("declaration %d: %w", d.ID, err)
	}
	if flags == "[]" {
		d.Flags = []licensing.Flag{}
	} else if err := json.Unmarshal([]byte(flags), &d.Flags); err != nil {
		return d, fmt.Errorf("declaration %d flags: %w", d.ID, err)
	}
	if d.Flags == nil {
		d.Flags = []licensing.Flag{}
	}
	return d, nil
}

func (t *licTx) CurrentDeclaration(ctx context.Context, number string) (licensing.Declaration, error) {
	d, err := scanDeclaration(t.QueryRowContext(ctx, "SELECT "+declColumns+" FROM declarations WHERE number = ? AND is_current"+t.lock(), number))
	if err != nil {
		return d, t.notFound(err, "declaration", number)
	}
	return d, nil
}

func (t *licTx) queryDeclarations(ctx context.Context, q string, args ...any) ([]licensing.Declaration, error) {
	rows, err := t.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, t.db.dbErr(err, "declarations")
	}
	return t.scanDeclarations(rows)
}

// queryDeclarationsPrepared is queryDeclarations with q prepared once in
// the transaction (Tx.prepared): a query run for chunk after chunk of keys.
func (t *licTx) queryDeclarationsPrepared(ctx context.Context, q string, args ...any) ([]licensing.Declaration, error) {
	st, err := t.prepared(ctx, q)
	if err != nil {
		return nil, t.db.dbErr(err, "declarations")
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, t.db.dbErr(err, "declarations")
	}
	return t.scanDeclarations(rows)
}

func (t *licTx) scanDeclarations(rows *sql.Rows) ([]licensing.Declaration, error) {
	defer rows.Close()
	var out []licensing.Declaration
	for rows.Next() {
		d, err := scanDeclaration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (t *licTx) SetDeclarationFlags(ctx context.Context, id int64, flags []licensing.Flag) error {
	f, err := flagsJSON(flags)
	if err != nil {
		return err
	}
	if err := t.guardChunks(ctx, "declarations", "id = ?", id); err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, "UPDATE declarations SET flags = ? WHERE id = ?", f, id)
	t.touch("declarations", "id = ?", id)
	return t.db.dbErr(err, "declaration flags")
}

func (t *licTx) Declarations(ctx context.Context, f licensing.DeclarationFilter) ([]licensing.Declaration, error) {
	q, args := "SELECT "+declColumns+" FROM declarations WHERE is_current", []any{}
	if f.Declarants != nil {
		if len(f.Declarants) == 0 {
			return nil, nil
		}
		q += " AND declarant IN (" + placeholders(len(f.Declarants)) + ")"
		for _, d := range f.Declarants {
			args = append(args, d)
		}
	}
	if f.Batch != "" {
		q += " AND batch_id = ?"
		args = append(args, f.Batch)
	}
	if f.PermitID != 0 {
		q += " AND permit_id = ?"
		args = append(args, f.PermitID)
	}
	if f.Flagged {
		q += " AND flags <> '[]'"
	}
	if a := f.After; a != nil {
		q += " AND (day > ? OR day = ? AND number > ?)"
		args = append(args, ts(a.Date), ts(a.Date), a.Number)
	}
	q += " ORDER BY day, number"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return t.queryDeclarations(ctx, q, args...)
}

func flagsJSON(fs []licensing.Flag) (string, error) {
	if fs == nil {
		fs = []licensing.Flag{}
	}
	return jsonText(fs)
}

// PermitDeclared reads a permit's declared total (zero when none).
func (db *DB) PermitDeclared(ctx context.Context, permitID int64) (tradeplan.Decimal, error) {
	var q tradeplan.Decimal
	err := db.Licensing().View(ctx, func(ctx context.Context, tx licensing.Tx) error {
		err := tx.(*licTx).QueryRowContext(ctx, "SELECT quantity FROM permit_declared WHERE permit_id = ?", permitID).Scan(&q)
		if err == sql.ErrNoRows {
			return nil
		}
		return db.dbErr(err, "permit declared total")
	})
	return q, err
}

func (t *licTx) UnitTolerance(ctx context.Context, unit string) (tradeplan.Decimal, error) {
	var p tradeplan.Decimal
	err := t.QueryRowContext(ctx, "SELECT percent FROM unit_tolerances WHERE unit = ?", unit).Scan(&p)
	if err == sql.ErrNoRows {
		return tradeplan.Decimal{}, nil
	}
	return p, t.db.dbErr(err, "tolerance")
}

func (t *licTx) SetUnitTolerance(ctx context.Context, unit string, pct tradeplan.Decimal, by string, at time.Time) error {
	_, err := t.ExecContext(ctx, `INSERT INTO unit_tolerances (unit, percent, set_by, set_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (unit) DO UPDATE SET percent = excluded.percent, set_by = excluded.set_by, set_at = excluded.set_at`, unit, pct.String(), by, ts(at))
	t.touch("unit_tolerances", "unit = ?", unit)
	return t.db.dbErr(err, "tolerance")
}

func (t *licTx) AllOrganisations(ctx context.Context) ([]tradeplan.Organisation, error) {
	rows, err := t.QueryContext(ctx, "SELECT "+orgColumns+" FROM organisations ORDER BY id")
	if err != nil {
		return nil, t.db.dbErr(err, "organisations")
	}
	defer rows.Close()
	var out []tradeplan.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
