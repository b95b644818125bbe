package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Raw returns the writer pool, for tests that edit the database behind the
// store's back.
func Raw(db *DB) *sql.DB { return db.w }

// Rebind exposes the placeholder rewriting to tests.
func Rebind(db *DB, q string) string { return db.q(q) }

// MigrateTo applies the migrations up to version last.
func MigrateTo(ctx context.Context, db *DB, last int) error { return db.migrateTo(ctx, last) }
func ClearKeyEncryption(db *DB)                             { db.kek = nil }

// TamperPacked sets, behind the store's back, field (a column before
// migration 0480, now packed) of the declarations matching where to value,
// or NULL when null: the packed column rewritten by hand, well formed.
// The value "NOT" turns a boolean field to the other value.
func TamperPacked(ctx context.Context, db *DB, where, field, value string, null bool) error {
	k := -1
	for i, f := range declPackedFields {
		if f == field {
			k = i
		}
	}
	if k < 0 {
		return fmt.Errorf("no packed field %s", field)
	}
	rows, err := db.w.QueryContext(ctx, "SELECT id, packed FROM declarations WHERE "+where)
	if err != nil {
		return err
	}
	type row struct {
		id     int64
		packed string
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.packed); err != nil {
			rows.Close()
			return err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if len(rs) == 0 {
		return fmt.Errorf("no declaration where %s", where)
	}
	for _, r := range rs {
		fs := make([]packedField, pkFields)
		if err := unpack(r.packed, fs); err != nil {
			return err
		}
		if value == "NOT" {
			fs[k].s = map[string]string{"0": "1", "1": "0", "true": "false", "false": "true"}[fs[k].s]
		} else {
			fs[k] = packedField{s: value, null: null}
		}
		var b []byte
		for _, f := range fs {
			b = appendPackedNullable(b, f.s, !f.null)
		}
		if _, err := db.w.ExecContext(ctx, db.q("UPDATE declarations SET packed = ? WHERE id = ?"), string(b), r.id); err != nil {
			return err
		}
	}
	return nil
}

// WriteDeclarationsBefore0480 loads ds as batch, in one licensing
// transaction, into a database migrated to before 0480: the twenty-seven
// columns of the layout before, the audit chain recording their chunks as
// read back (what intake recorded then), the permits' totals from the
// counted ones. ds must carry everything intake would have decided.
func WriteDeclarationsBefore0480(ctx context.Context, db *DB, batch string, ds []licensing.Declaration) error {
	return db.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
		t := tx.(*licTx)
		if err := t.AddDeclarationBatch(ctx, licensing.DeclarationBatch{ID: batch, Digest: "before-0480", Count: len(ds),
			LoadedBy: ds[0].LoadedBy, LoadedAt: ds[0].LoadedAt}); err != nil {
			return err
		}
		first, err := t.declarationIDs(ctx, len(ds))
		if err != nil {
			return err
		}
		if err := t.guardNewChunks(ctx, first, len(ds)); err != nil {
			return err
		}
		totals := map[int64]tradeplan.Decimal{}
		for i := range ds {
			d := &ds[i]
			d.ID = first + int64(i)
			partner, _ := jsonOrNull(d.Partner, d.Partner == nil)
			vessel, _ := jsonOrNull(d.Vessel, d.Vessel == nil)
			flags, err := flagsJSON(d.Flags)
			if err != nil {
				return err
			}
			_, err = t.ExecContext(ctx, `INSERT INTO declarations (id, number, version, batch_id, line_no, day, declarant, direction, description, hs, origin,
				destination, partner, vessel, crossing, permit_number, permit_id, matched, quantity, unit, val, currency, counted, flags, is_current, loaded_by, loaded_at)
				VALUES (`+placeholders(27)+`)`,
				d.ID, d.Number, d.Version, batch, d.Line, ts(d.Date), d.Declarant, string(d.Direction), d.Description, d.HS, d.Origin,
				d.Destination, partner, vessel, d.Crossing, d.PermitNumber, nullInt(d.PermitID), d.Matched, d.Quantity.String(), d.Unit, d.Value.String(),
				d.Currency, d.Counted, flags, true, d.LoadedBy, ts(d.LoadedAt))
			if err != nil {
				return err
			}
			if d.Counted {
				totals[d.PermitID] = totals[d.PermitID].Add(d.Quantity)
			}
		}
		t.touch("declarations", "id BETWEEN ? AND ?", first, first+int64(len(ds))-1)
		for id, q := range totals {
			var had tradeplan.Decimal
			if err := t.QueryRowContext(ctx, "SELECT quantity FROM permit_declared WHERE permit_id = ?", id).Scan(&had); err != nil && err != sql.ErrNoRows {
				return err
			}
			totals[id] = q.Add(had)
		}
		return t.PutPermitsDeclared(ctx, totals, ds[0].LoadedAt)
	})
}

// RowDigest is the digest of the protected row of table whose id is id, as
// stored now: what a hand-forged index entry would carry.
func RowDigest(ctx context.Context, db *DB, table string, id int64) (string, error) {
	rows, err := db.w.QueryContext(ctx, db.q("SELECT * FROM "+table+" WHERE id = ?"), id)
	if err != nil {
		return "", err
	}
	digest := ""
	err = eachRowDigest(rows, stateTableOf(table), func(_, d string) { digest = d })
	if err == nil && digest == "" {
		err = fmt.Errorf("no %s %d", table, id)
	}
	return digest, err
}
