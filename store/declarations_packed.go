package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// A declaration's row keeps as columns what queries filter, sort or join on
// (id, number, version, batch_id, day, declarant, permit_id, flags,
// is_current) and packs the rest into one text column, packed (migration
// 0480): a row of ten values instead of twenty-seven is half the work of
// the insert on SQLite and of COPY on PostgreSQL (docs/benchmarks.md).
//
// packed holds the fields of declPackedFields in that order, each as
// "LENGTH:TEXT" (LENGTH its bytes, in decimal without leading zeros) or
// "-" for NULL, nothing between them and nothing after. TEXT is what the
// column of that name held before 0480 as the row digest reads it
// (columnText): the digest of a row unpacks the column into those fields
// (rowDigester), so a row digests as it did before 0480 and the audit
// entries recorded before it still verify. The encoding is canonical, one
// text for one set of values: any change to the column changes the values
// its digest covers, or leaves a text that does not unpack, which digests
// as such.

// declPackedFields are the fields of packed, in order: the names of the
// columns they were before migration 0480.
var declPackedFields = []string{"line_no", "direction", "description", "hs", "origin", "destination", "partner", "vessel",
	"crossing", "permit_number", "matched", "quantity", "unit", "val", "currency", "counted", "loaded_by", "loaded_at"}

const (
	pkLine = iota
	pkDirection
	pkDescription
	pkHS
	pkOrigin
	pkDestination
	pkPartner
	pkVessel
	pkCrossing
	pkPermitNumber
	pkMatched
	pkQuantity
	pkUnit
	pkVal
	pkCurrency
	pkCounted
	pkLoadedBy
	pkLoadedAt
	pkFields
)

// packedField is one field of packed: its text, or NULL.
type packedField struct {
	s    string
	null bool
}

func appendPackedText(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

// appendPackedNull appends NULL, or s when valid.
func appendPackedNullable(b []byte, s string, valid bool) []byte {
	if !valid {
		return append(b, '-')
	}
	return appendPackedText(b, s)
}

// packedBool is a boolean as the column before 0480 read back on engine:
// SQLite kept the integer, PostgreSQL a boolean.
func packedBool(engine string, v bool) string {
	switch {
	case engine == "sqlite" && v:
		return "1"
	case engine == "sqlite":
		return "0"
	}
	return strconv.FormatBool(v)
}

// packedTime is a time as a TIMESTAMP column read back (columnText of ts).
func packedTime(t time.Time) string { return ts(t).Format(time.RFC3339Nano) }

// appendPackedDeclaration appends d's packed column to b, for engine.
// partner and vessel are their JSON, "" for none.
func appendPackedDeclaration(b []byte, engine string, d *licensing.Declaration, partner, vessel string) []byte {
	b = appendPackedText(b, strconv.Itoa(d.Line))
	b = appendPackedText(b, string(d.Direction))
	b = appendPackedText(b, d.Description)
	b = appendPackedText(b, d.HS)
	b = appendPackedText(b, d.Origin)
	b = appendPackedText(b, d.Destination)
	b = appendPackedNullable(b, partner, d.Partner != nil)
	b = appendPackedNullable(b, vessel, d.Vessel != nil)
	b = appendPackedText(b, d.Crossing)
	b = appendPackedText(b, d.PermitNumber)
	b = appendPackedText(b, d.Matched)
	b = appendPackedText(b, d.Quantity.String())
	b = appendPackedText(b, d.Unit)
	b = appendPackedText(b, d.Value.String())
	b = appendPackedText(b, d.Currency)
	b = appendPackedText(b, packedBool(engine, d.Counted))
	b = appendPackedText(b, d.LoadedBy)
	return appendPackedText(b, packedTime(d.LoadedAt))
}

// unpack splits packed into its fields, into out (pkFields long). It
// refuses any text appendPacked* would not have written.
func unpack(packed string, out []packedField) error {
	s := packed
	for i := range pkFields {
		if len(s) > 0 && s[0] == '-' {
			out[i] = packedField{null: true}
			s = s[1:]
			continue
		}
		n, k := 0, 0
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			if k > 9 || (k == 1 && s[0] == '0') {
				return fmt.Errorf("packed declaration: field %s: bad length", declPackedFields[i])
			}
			n = n*10 + int(s[k]-'0')
			k++
		}
		if k == 0 || k >= len(s) || s[k] != ':' || n > len(s)-k-1 {
			return fmt.Errorf("packed declaration: field %s: bad length", declPackedFields[i])
		}
		out[i] = packedField{s: s[k+1 : k+1+n]}
		s = s[k+1+n:]
	}
	if s != "" {
		return fmt.Errorf("packed declaration: %d bytes after the last field", len(s))
	}
	return nil
}

// readPacked fills d's packed fields from the column.
func readPacked(packed string, d *licensing.Declaration) error {
	var f [pkFields]packedField
	if err := unpack(packed, f[:]); err != nil {
		return err
	}
	for i, x := range f {
		if x.null && i != pkPartner && i != pkVessel {
			return fmt.Errorf("packed declaration: field %s is NULL", declPackedFields[i])
		}
	}
	var err error
	if d.Line, err = strconv.Atoi(f[pkLine].s); err != nil {
		return fmt.Errorf("packed declaration: line_no: %w", err)
	}
	d.Direction = tradeplan.Direction(f[pkDirection].s)
	d.Description, d.HS, d.Origin, d.Destination = f[pkDescription].s, f[pkHS].s, f[pkOrigin].s, f[pkDestination].s
	if !f[pkPartner].null {
		d.Partner = new(tradeplan.Party)
		if err := json.Unmarshal([]byte(f[pkPartner].s), d.Partner); err != nil {
			return fmt.Errorf("packed declaration: partner: %w", err)
		}
	}
	if !f[pkVessel].null {
		d.Vessel = new(tradeplan.Vessel)
		if err := json.Unmarshal([]byte(f[pkVessel].s), d.Vessel); err != nil {
			return fmt.Errorf("packed declaration: vessel: %w", err)
		}
	}
	d.Crossing, d.PermitNumber, d.Matched = f[pkCrossing].s, f[pkPermitNumber].s, f[pkMatched].s
	if err := d.Quantity.Scan(f[pkQuantity].s); err != nil {
		return fmt.Errorf("packed declaration: quantity: %w", err)
	}
	d.Unit = f[pkUnit].s
	if err := d.Value.Scan(f[pkVal].s); err != nil {
		return fmt.Errorf("packed declaration: val: %w", err)
	}
	d.Currency = f[pkCurrency].s
	switch f[pkCounted].s {
	case "1", "true":
		d.Counted = true
	case "0", "false":
	default:
		return fmt.Errorf("packed declaration: counted %q", f[pkCounted].s)
	}
	d.LoadedBy = f[pkLoadedBy].s
	if d.LoadedAt, err = time.Parse(time.RFC3339Nano, f[pkLoadedAt].s); err != nil {
		return fmt.Errorf("packed declaration: loaded_at: %w", err)
	}
	return nil
}
