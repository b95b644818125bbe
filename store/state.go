package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// The audit chain covers the licensing state it protects, not only its own
// rows. Every write of the licensing store names the rows it wrote
// (licTx.touch); the audit entry of the change carries the digest of each
// such row as it stands in the transaction, hashed into the chain with the
// rest of the entry. VerifyState recomputes the digest of every protected
// row and compares it with the last one the chain recorded: a row changed,
// deleted or inserted with SQL behind the store's back no longer matches.

// stateTable is a protected table and the columns that name one of its rows.
type stateTable struct {
	name string
	key  []string
	// since is the migration that creates the table (0: the first ones):
	// a database migrated only to before it has no such table to verify.
	since int
}

// schemaVersion is the last migration applied to the database tx reads.
func schemaVersion(ctx context.Context, tx interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// stateTables are the tables whose rows the chain covers: what a licence
// decision, a permit's balance and a cap's draw rest on.
var stateTables = []stateTable{
	{"calls", []string{"id"}, 0},
	{"plans", []string{"id"}, 0},
	{"plan_versions", []string{"plan_id", "version"}, 0},
	{"line_decisions", []string{"plan_id", "version", "line_no"}, 0},
	{"line_assessments", []string{"plan_id", "version", "line_no"}, 0},
	{"compliance_decisions", []string{"id"}, 0},
	{"match_decisions", []string{"query", "list", "entry_id"}, 0},
	{"permits", []string{"id"}, 0},
	{"permit_caps", []string{"permit_id", "cap"}, 0},
	{"permit_uses", []string{"id"}, 0},
	{"crossings", []string{"id"}, 0},
	{"delegations", []string{"id"}, 0}, // who may decide for an authority
	// Enforcement: what crossed, what it counts against, and the cases.
	{"declaration_batches", []string{"id"}, 210},
	{"declarations", []string{"id"}, 210},
	{"permit_declared", []string{"permit_id"}, 210},
	{"unit_tolerances", []string{"unit"}, 210},
	{"enforcement_cases", []string{"id"}, 220},
	{"site_files", []string{"org_id", "version"}, 230}, // what the assessment of exports rests on
	{"screening_basis", []string{"id"}, 250},           // the rule packs permits were last screened with
	// Necessary imports first: what the ranking of a call's imports rests on.
	{"crossing_capacity", []string{"crossing"}, 240},
	{"call_budgets", []string{"call_id", "version"}, 240},
	{"tier_upgrades", []string{"plan_id", "version", "line_no"}, 240},
}

func stateTableOf(name string) stateTable {
	for _, t := range stateTables {
		if t.name == name {
			return t
		}
	}
	panic("store: " + name + " is not a protected table")
}

// touched names rows a transaction wrote: those of table matching where.
type touched struct {
	table string
	where string // "id = ?", "permit_id = ?", ...
	args  []any
	// chunks, when not nil, are what the rows inserted into a table
	// recorded in chunks say of their chunks, digested from the values
	// written (touchChunks): they are not read back.
	chunks func() (writtenChunk, error)
}

// stateTracker collects the rows a licensing transaction writes until an
// audit entry records them.
type stateTracker struct {
	pending []touched
	// guarded are the chunks, of each chunked table, this transaction
	// checked against the chain before it first wrote to them
	// (state_guard.go).
	guarded map[string]map[int64]bool
}

// touch records that the transaction wrote the rows of table matching
// where; the next audit entry (or one of its own at commit) carries their
// digests.
func (t *licTx) touch(table, where string, args ...any) {
	stateTableOf(table) // a typo is a programming error, caught by any test
	t.state.pending = append(t.state.pending, touched{table: table, where: where, args: args})
}

// takeState returns the digests of the rows touched since the last call.
func (t *licTx) takeState(ctx context.Context) ([]tradeplan.RowDigest, error) {
	if len(t.state.pending) == 0 {
		return nil, nil
	}
	pending := t.state.pending
	t.state.pending = nil
	byRow := map[string]string{}
	var order []string
	chunked := map[string]*chunkState{}
	var chunkedOrder []*chunkState
	for _, p := range pending {
		if chunkSize(p.table) > 0 {
			c := chunked[p.table]
			if c == nil {
				c = newChunkState(p.table)
				chunked[p.table] = c
				chunkedOrder = append(chunkedOrder, c)
			}
			if err := c.add(ctx, t, p); err != nil {
				return nil, fmt.Errorf("state of %s: %w", p.table, err)
			}
			continue
		}
		rows, err := t.QueryContext(ctx, "SELECT * FROM "+p.table+" WHERE "+p.where, p.args...)
		if err != nil {
			return nil, fmt.Errorf("state of %s: %w", p.table, err)
		}
		err = eachRowDigest(rows, stateTableOf(p.table), func(row, digest string) {
			if _, ok := byRow[row]; !ok {
				order = append(order, row)
			}
			byRow[row] = digest
		})
		if err != nil {
			return nil, fmt.Errorf("state of %s: %w", p.table, err)
		}
	}
	out := make([]tradeplan.RowDigest, len(order))
	for i, r := range order {
		out[i] = tradeplan.RowDigest{Row: r, Digest: byRow[r]}
	}
	for _, c := range chunkedOrder {
		ds, err := c.digests(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("state of %s: %w", c.tbl.name, err)
		}
		out = append(out, ds...)
	}
	return out, nil
}

// flushState records, at the end of a licensing transaction, the rows
// written after its last audit entry, in an entry of their own.
func (t *licTx) flushState(ctx context.Context) error {
	state, err := t.takeState(ctx)
	if err != nil || len(state) == 0 {
		return err
	}
	_, err = t.db.appendAudit(ctx, &t.Tx, tradeplan.AuditEntry{Action: "state.record", Subject: "state", State: state})
	return err
}

// eachRowDigest calls fn with the name and digest of each row. Rows are
// read as the driver gives them and written as text, so that the digest is
// what the row says, whatever Go or SQL type a column has.
func eachRowDigest(rows *sql.Rows, tbl stateTable, fn func(row, digest string)) error {
	return eachRow(rows, tbl, func(rd *rowDigester, vals []any) error {
		fn(rd.digest(vals))
		return nil
	})
}

// eachRow scans rows of tbl, as the driver gives them, and calls fn with
// each row's values and the digester of their columns; it closes rows.
func eachRow(rows *sql.Rows, tbl stateTable, fn func(rd *rowDigester, vals []any) error) error {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	rd, err := newRowDigester(tbl, cols)
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := fn(rd, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rowDigester digests rows of one table given as the values of cols.
type rowDigester struct {
	tbl    stateTable
	cols   []string // lower case
	keyIdx []int
	// The columns the digest covers, by name: a column of cols, or a field
	// of a packed column (declarations_packed.go), each digested as the
	// column it was before it was packed.
	names  []string
	src    []int // index in cols, or -1-k for field k of the packed column
	order  []int // names sorted: the digest does not depend on their order in the table
	packed int   // index of the packed column in cols, or -1
	fields []packedField
	n      [8]byte
	buf    []byte
}

func newRowDigester(tbl stateTable, cols []string) (*rowDigester, error) {
	rd := &rowDigester{tbl: tbl, cols: make([]string, len(cols)), keyIdx: make([]int, len(tbl.key)), packed: -1}
	for i, c := range cols {
		rd.cols[i] = strings.ToLower(c)
		switch {
		case tbl.name == "declarations" && rd.cols[i] == "packed":
			rd.packed = i
			rd.fields = make([]packedField, pkFields)
			for k, f := range declPackedFields {
				rd.names = append(rd.names, f)
				rd.src = append(rd.src, -1-k)
			}
		case !slices.Contains(stateSkip[tbl.name], rd.cols[i]):
			rd.names = append(rd.names, rd.cols[i])
			rd.src = append(rd.src, i)
		}
	}
	rd.order = make([]int, len(rd.names))
	for i := range rd.order {
		rd.order[i] = i
	}
	sort.Slice(rd.order, func(a, b int) bool { return rd.names[rd.order[a]] < rd.names[rd.order[b]] })
	for i, k := range tbl.key {
		rd.keyIdx[i] = -1
		for j, c := range cols {
			if strings.EqualFold(c, k) {
				rd.keyIdx[i] = j
			}
		}
		if rd.keyIdx[i] < 0 {
			return nil, fmt.Errorf("table %s has no column %s", tbl.name, k)
		}
	}
	return rd, nil
}

// digest returns the name and digest of the row whose columns hold vals.
func (rd *rowDigester) digest(vals []any) (string, string) {
	sum := sha256.Sum256(rd.encode(vals))
	return rd.key(vals), hex.EncodeToString(sum[:])
}

// encode is what a row's digest hashes: the table's name, then each column
// by name with its value, every field length-prefixed. The bytes are valid
// until the next call. A packed column that does not unpack is digested
// as itself, under a name no column has: no row that unpacks digests the
// same.
func (rd *rowDigester) encode(vals []any) []byte {
	b := rd.buf[:0]
	field := func(s string) {
		binary.BigEndian.PutUint64(rd.n[:], uint64(len(s)))
		b = append(b, rd.n[:]...)
		b = append(b, s...)
	}
	value := func(s string) { // field("=" + s)
		binary.BigEndian.PutUint64(rd.n[:], uint64(len(s)+1))
		b = append(b, rd.n[:]...)
		b = append(b, '=')
		b = append(b, s...)
	}
	field("tradeplan-row-v1")
	field(rd.tbl.name)
	var bad string
	if rd.packed >= 0 {
		p, null := columnText(vals[rd.packed])
		if err := unpack(p, rd.fields); err != nil || null {
			bad = "\x00unpacked:" + p
			if null {
				bad = "\x00null"
			}
		}
	}
	for _, i := range rd.order {
		var v string
		var null bool
		if j := rd.src[i]; j >= 0 {
			v, null = columnText(vals[j])
		} else if bad != "" {
			continue
		} else {
			v, null = rd.fields[-1-j].s, rd.fields[-1-j].null
		}
		field(rd.names[i])
		if null {
			field("\x00null")
		} else {
			value(v)
		}
	}
	if bad != "" {
		field("packed")
		field(bad)
	}
	rd.buf = b
	return b
}

// key is the name of the row whose columns hold vals: "permits[id=7]".
func (rd *rowDigester) key(vals []any) string {
	var key strings.Builder
	key.WriteString(rd.tbl.name + "[")
	for i, j := range rd.keyIdx {
		if i > 0 {
			key.WriteByte(' ')
		}
		v, _ := columnText(vals[j])
		key.WriteString(rd.tbl.key[i] + "=" + v)
	}
	key.WriteByte(']')
	return key.String()
}

// columnText is a column's value as text, and whether it is NULL.
func columnText(v any) (string, bool) {
	switch x := v.(type) {
	case nil:
		return "", true
	case string:
		return x, false
	case []byte:
		return string(x), false
	case int64:
		return strconv.FormatInt(x, 10), false
	case float64:
		// The shortest exact decimal, with no exponent: what migration
		// 0150 stores for a float figure, so its digest survives it.
		return strconv.FormatFloat(x, 'f', -1, 64), false
	case bool:
		return strconv.FormatBool(x), false
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano), false
	}
	return fmt.Sprint(v), false
}

// StateProblem is a protected row that does not match the audit chain.
type StateProblem struct {
	Row     string `json:"row"`           // "permits[id=7]"
	Seq     int64  `json:"seq,omitempty"` // the entry that last recorded it; 0 when none did
	Problem string `json:"problem"`
}

// StateResult is the outcome of checking the protected rows against the
// digests the audit chain recorded.
type StateResult struct {
	OK       bool           `json:"ok"`
	Rows     int            `json:"rows"`     // protected rows checked
	Recorded int            `json:"recorded"` // rows the chain holds a digest of
	Problems []StateProblem `json:"problems"`
}

// VerifyState recomputes the digest of every row of the protected tables
// and compares it with the last digest the audit chain recorded for it. A
// row whose digest differs was changed outside the store; a recorded row
// that is gone was deleted outside it; a row no entry recorded was inserted
// outside it (or written before the chain covered state: see SealState). It
// trusts the entries' recorded digests: run VerifyAudit for the chain
// itself.
func (db *DB) VerifyState(ctx context.Context) (StateResult, error) {
	res := StateResult{Problems: []StateProblem{}}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return res, fmt.Errorf("verify state: %w", err)
	}
	defer tx.Rollback()
	var history map[string]*rowFold
	version, err := schemaVersion(ctx, tx)
	if err != nil {
		return res, fmt.Errorf("verify state: schema version: %w", err)
	}
	if version >= 460 {
		history = map[string]*rowFold{}
	}
	recorded, err := recordedState(ctx, tx, history)
	if err != nil {
		return res, fmt.Errorf("verify state: %w", err)
	}
	res.Recorded = len(recorded)
	seen := make(map[string]bool, len(recorded))
	later := map[string]bool{} // tables this schema does not verify yet
	for _, tbl := range stateTables {
		if tbl.since > version {
			later[tbl.name] = true
			continue
		}
		checkRow := func(row, digest string) {
			res.Rows++
			seen[row] = true
			r, ok := recorded[row]
			switch {
			case !ok:
				res.Problems = append(res.Problems, StateProblem{Row: row,
					Problem: "not recorded in the audit log: inserted outside the store (or written before the log covered state; see 'tradeplan audit seal')"})
			case r.digest != digest:
				res.Problems = append(res.Problems, StateProblem{Row: row, Seq: r.seq,
					Problem: fmt.Sprintf("changed outside the store: it no longer matches its digest in audit entry %d", r.seq)})
			}
		}
		if size := chunkSize(tbl.name); size > 0 {
			err = verifyChunks(ctx, tx, tbl, size, recorded, seen, &res, checkRow)
			if err != nil {
				return res, fmt.Errorf("verify state: %s: %w", tbl.name, err)
			}
			continue
		}
		rows, err := tx.QueryContext(ctx, "SELECT * FROM "+tbl.name)
		if err != nil {
			return res, fmt.Errorf("verify state: %s: %w", tbl.name, err)
		}
		err = eachRowDigest(rows, tbl, checkRow)
		if err != nil {
			return res, fmt.Errorf("verify state: %s: %w", tbl.name, err)
		}
	}
	for row, r := range recorded {
		if table, _, _ := strings.Cut(row, "["); !seen[row] && !later[table] {
			res.Problems = append(res.Problems, StateProblem{Row: row, Seq: r.seq,
				Problem: fmt.Sprintf("deleted outside the store: recorded in audit entry %d, no longer in the table", r.seq)})
		}
	}
	if version >= 460 {
		if err := verifyStateIndex(ctx, tx, recorded, history, &res); err != nil {
			return res, fmt.Errorf("verify state: %w", err)
		}
	}
	sort.Slice(res.Problems, func(i, j int) bool { return res.Problems[i].Row < res.Problems[j].Row })
	res.OK = len(res.Problems) == 0
	return res, nil
}

// verifyStateIndex checks the index of recorded rows (migration 0460),
// which the row check of a write reads (lastRecorded), against the chain,
// entry by entry: every digest an entry recorded of a row is indexed under
// that entry's seq, and nothing else is. The row check takes the index's
// last entry of a row only when the audit entry it names recorded the row
// so; it cannot see an index entry deleted by hand (the row restored to
// the state an older entry recorded is then taken for its last, and the
// next write records it over the lost change), which stays reported here
// after any number of writes, as would any other index entry changed by
// hand. The whole history of each row is compared by a running SHA-256 of
// its (seq, digest) pairs on each side, so memory grows with the rows, not
// with the entries.
func verifyStateIndex(ctx context.Context, tx *sql.Tx, recorded map[string]recordedRow, chain map[string]*rowFold, res *StateResult) error {
	rows, err := tx.QueryContext(ctx, "SELECT name, seq, digest FROM audit_state_rows ORDER BY name, seq")
	if err != nil {
		return err
	}
	defer rows.Close()
	differs := func(row string, indexed *rowFold) {
		res.Problems = append(res.Problems, StateProblem{Row: row, Seq: recorded[row].seq,
			Problem: fmt.Sprintf("the index of recorded rows (audit_state_rows) differs from the audit log for it (changed outside the store): recorded %d times, last in entry %d; indexed %d times, last at %d",
				chain[row].count(), recorded[row].seq, indexed.count(), indexed.seq)})
	}
	seen := make(map[string]bool, len(chain))
	name, cur := "", (*rowFold)(nil)
	done := func() {
		if cur == nil {
			return
		}
		seen[name] = true
		if c := chain[name]; c == nil || c.sum() != cur.sum() {
			differs(name, cur)
		}
	}
	for rows.Next() {
		var row, digest string
		var seq int64
		if err := rows.Scan(&row, &seq, &digest); err != nil {
			return err
		}
		if cur == nil || row != name {
			done()
			name, cur = row, &rowFold{}
		}
		cur.add(seq, digest)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	done()
	for row := range chain {
		if !seen[row] {
			differs(row, &rowFold{})
		}
	}
	return nil
}

// rowFold is the history of one row's recorded digests: a running SHA-256
// of its (seq, digest) pairs, the last pair held apart because an entry
// that records a row twice keeps only the last (the index's trigger does
// so too).
type rowFold struct {
	h      [sha256.Size]byte
	n      int
	seq    int64
	digest string
}

func (f *rowFold) add(seq int64, digest string) {
	if f.n > 0 && seq == f.seq {
		f.digest = digest
		return
	}
	if f.n > 0 {
		f.h = f.fold()
	}
	f.seq, f.digest = seq, digest
	f.n++
}

func (f *rowFold) fold() [sha256.Size]byte {
	b := make([]byte, 0, sha256.Size+8+len(f.digest))
	b = append(b, f.h[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(f.seq))
	b = append(b, f.digest...)
	return sha256.Sum256(b)
}

// sum is the fold of the whole history; the empty history has none.
func (f *rowFold) sum() [sha256.Size]byte {
	if f.n == 0 {
		return [sha256.Size]byte{}
	}
	return f.fold()
}

func (f *rowFold) count() int {
	if f == nil {
		return 0
	}
	return f.n
}

type recordedRow struct {
	digest string
	seq    int64
}

// recordedState is the last digest the chain recorded of each row; with
// history not nil, also the whole history of each (rowFold).
func recordedState(ctx context.Context, tx *sql.Tx, history map[string]*rowFold) (map[string]recordedRow, error) {
	rows, err := tx.QueryContext(ctx, "SELECT seq, state FROM audit_log WHERE state IS NOT NULL ORDER BY seq")
	if err != nil {
		return nil, err
	}
	out := map[string]recordedRow{}
	err = eachRecorded(rows, func(seq int64, d tradeplan.RowDigest) {
		out[d.Row] = recordedRow{digest: d.Digest, seq: seq}
		if history != nil {
			f := history[d.Row]
			if f == nil {
				f = &rowFold{}
				history[d.Row] = f
			}
			f.add(seq, d.Digest)
		}
	})
	return out, err
}

// eachRecorded calls fn with every row digest of the state lists that rows
// (seq, state) holds, in their order, and closes rows.
func eachRecorded(rows *sql.Rows, fn func(seq int64, d tradeplan.RowDigest)) error {
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var state string
		if err := rows.Scan(&seq, &state); err != nil {
			return err
		}
		var ds []tradeplan.RowDigest
		if err := json.Unmarshal([]byte(state), &ds); err != nil {
			return fmt.Errorf("audit entry %d: state: %w", seq, err)
		}
		for _, d := range ds {
			fn(seq, d)
		}
	}
	return rows.Err()
}

// SealState records in one audit entry ("state.seal") the digest of every
// protected row that no entry recorded yet: the rows of a database written
// before the chain covered state. It never records a row whose digest
// differs from a recorded one, nor forgets a deleted one: those stay
// reported. It returns how many rows it recorded. Whoever runs it vouches
// for those rows, so it is an administrator's command, to run once after
// the upgrade that brings state digests, after checking the data.
func (db *DB) SealState(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		n = 0
		recorded, err := recordedState(ctx, tx.tx, nil)
		if err != nil {
			return err
		}
		var state []tradeplan.RowDigest
		version, err := schemaVersion(ctx, tx.tx)
		if err != nil {
			return fmt.Errorf("schema version: %w", err)
		}
		for _, tbl := range stateTables {
			if tbl.since > version {
				continue
			}
			rows, err := tx.QueryContext(ctx, "SELECT * FROM "+tbl.name)
			if err != nil {
				return fmt.Errorf("%s: %w", tbl.name, err)
			}
			if size := chunkSize(tbl.name); size > 0 {
				// A row of a recorded chunk is recorded.
				err = eachChunk(rows, tbl, size, func(row, digest string, lo int64) {
					_, ok := recorded[row]
					_, chunk := recorded[chunkName(tbl.name, lo, size)]
					if !ok && !chunk {
						state = append(state, tradeplan.RowDigest{Row: row, Digest: digest})
					}
				}, func(int64, string) {})
				if err != nil {
					return fmt.Errorf("%s: %w", tbl.name, err)
				}
				continue
			}
			err = eachRowDigest(rows, tbl, func(row, digest string) {
				if _, ok := recorded[row]; !ok {
					state = append(state, tradeplan.RowDigest{Row: row, Digest: digest})
				}
			})
			if err != nil {
				return fmt.Errorf("%s: %w", tbl.name, err)
			}
		}
		if len(state) == 0 {
			return nil
		}
		n = len(state)
		_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{Action: "state.seal", Subject: "state", State: state})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("seal state: %w", err)
	}
	return n, nil
}
