package plan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"
	"unsafe"

	"github.com/tradeplan/tradeplan"
)

// column is what a CSV column holds.
type column uint8

const (
	colDescription column = iota
	colHS
	colOrigin
	colDestination
	colQuantity
	colUnit
	colValue
	colCurrency
	colPartner
	colPartnerCountry
	colVesselName
	colVesselIMO
	colVesselFlag
	colCrossing
	colNecessity
	colDirection
	colDate
	colExemption
	colPurpose
	colSourceSite
	numColumns
	// colExtra is a column the caller reads itself (NewCSVReaderWith).
	colExtra = numColumns
)

// textColumns marks the columns of free text, which tradeplan.CheckText
// checks (the others are codes, numbers and dates with checks of their
// own); description and purpose may hold tabs and line breaks.
var textColumns = [numColumns]uint8{colDescription: multilineText, colPurpose: multilineText,
	colPartner: singleLineText, colVesselName: singleLineText, colCrossing: singleLineText, colExemption: singleLineText, colSourceSite: singleLineText}

const (
	singleLineText = 1
	multilineText  = 2
)

// CSVColumns are the columns a bulk line file may have, by column value.
var CSVColumns = [numColumns]string{
	"description", "hs", "origin", "destination", "quantity", "unit", "value", "currency",
	"partner", "partner_country", "vessel_name", "vessel_imo", "vessel_flag", "crossing",
	"necessity", "direction", "date", "exemption", "purpose", "source_site",
}

// CSVColumnAliases are other names customs exports and spreadsheets give
// the columns, accepted in a header for the column they stand for.
var CSVColumnAliases = map[string]string{
	"goods":                  "description",
	"goods_description":      "description",
	"commodity":              "description",
	"hs_code":                "hs",
	"hscode":                 "hs",
	"commodity_code":         "hs",
	"tariff_code":            "hs",
	"origin_country":         "origin",
	"country_of_origin":      "origin",
	"destination_country":    "destination",
	"country_of_destination": "destination",
	"qty":                    "quantity",
	"uom":                    "unit",
	"unit_of_measure":        "unit",
	"partner_name":           "partner",
	"vessel":                 "vessel_name",
	"imo":                    "vessel_imo",
	"flag":                   "vessel_flag",
	"shipment_date":          "date",
	"border_crossing":        "crossing",
	"port":                   "crossing",
}

// CSVReader reads a bulk line file: a CSV file (RFC 4180, read exactly as
// encoding/csv reads it) with a header naming its columns (any order, any
// case; see CSVColumns), one line a row. It streams: memory does not grow
// with the number of rows.
//
// Read returns each line in turn and io.EOF at the end. A bad row returns an
// EInvalid *tradeplan.Error listing that row's problems at FILE:LINE:COLUMN;
// the next Read goes on with the next row, so a caller can report every
// problem of a file. Any other error (an I/O error) ends the file. A
// CSVReader is for one goroutine.
type CSVReader struct {
	file  string
	r     *splitter
	cols  []column
	index int
	units map[string]string // written unit -> canonical symbol, for units seen
	// The last date read: declarations are often in date order.
	lastDate [10]byte // YYYY-MM-DD; lastTime zero when none
	lastTime time.Time
	failed   bool
	// The caller's own columns (NewCSVReaderWith): their names, the file
	// column of each (-1 when absent), and the last row's values.
	extra    []string
	extraCol []int
	extraVal []string
	// Descriptions and codes seen, each held once (own): a file repeats a
	// few dozen goods a million times.
	interned      map[string]string
	internedBytes int
	// recent answers a repeat of a recently interned string before the
	// map, by a cheap hash of its bytes (internSlot).
	recent [internRecent]string
}

// internRecent is the size of CSVReader.recent, a power of two: a few
// times the strings a declaration file repeats, so that few of them share
// a slot.
const internRecent = 1024

// internSlot is where s would be in CSVReader.recent: from its length
// and its first and last eight bytes (all of them when shorter), cheaper
// than the map's hash of every byte.
func internSlot(s string) int {
	n := len(s)
	var h uint64
	if n >= 8 {
		h = binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s), n)) ^
			bits.RotateLeft64(binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[n-8:]), 8)), 29)
	} else {
		for i := 0; i < n; i++ {
			h = h<<8 | uint64(s[i])
		}
	}
	h = (h + uint64(n)) * 0x9e3779b97f4a7c15
	return int(h >> (64 - 10))
}

// Bounds of what a CSVReader interns at once (a longer string than a 64th
// of the bytes is copied, not interned).
const (
	maxInterned      = 4096
	maxInternedBytes = 1 << 20
)

// NewCSVReader reads the header of a bulk line file. A header with unknown,
// repeated or missing columns is an EInvalid *tradeplan.Error naming them
// all. The origin and destination columns are required, and at least one of
// description and hs.
func NewCSVReader(r io.Reader, file string) (*CSVReader, error) {
	return newCSVReader(newSplitter(r), file, nil)
}

// NewCSVReaderWith is NewCSVReader for a file that may also have the extra
// columns named (lower case, words joined by '_'), which the caller reads
// itself with Extra: a customs declaration file is a line file with a
// declaration number, a declarant and a permit.
func NewCSVReaderWith(r io.Reader, file string, extra []string) (*CSVReader, error) {
	return newCSVReader(newSplitter(r), file, extra)
}

// Extra returns the text of the extra column name in the row last read,
// trimmed, with its position; ok is false when the header has no such
// column.
func (c *CSVReader) Extra(name string) (value string, pos tradeplan.Position, ok bool) {
	j := slices.Index(c.extra, name)
	if j < 0 || c.extraCol[j] < 0 {
		return "", tradeplan.Position{}, false
	}
	line, col := c.r.fieldPos(c.extraCol[j])
	return c.extraVal[j], tradeplan.Position{File: c.file, Line: line, Column: col, Path: name}, true
}

// columnSeparators are what a header's column names may have where the
// names have '_'.
var columnSeparators = strings.NewReplacer(" ", "_", "-", "_")

func newCSVReader(cr *splitter, file string, extra []string) (*CSVReader, error) {
	c := &CSVReader{file: file, r: cr, units: map[string]string{}, extra: extra, extraCol: make([]int, len(extra)), extraVal: make([]string, len(extra))}
	for j := range c.extraCol {
		c.extraCol[j] = -1
	}
	head, err := cr.read()
	if err == io.EOF {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "%s: empty file; expected a header line naming the columns (%s)", file, strings.Join(CSVColumns[:], ", "))
	}
	if err != nil {
		return nil, c.readError(err)
	}
	if len(head) > 0 && utf16Start(head[0]) {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "%s:1:1: %s", file, utf16Problem)
	}
	var probs tradeplan.Problems
	seen := [numColumns]int{}
	c.cols = make([]column, len(head))
	for i, h := range head {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		name := strings.ToLower(strings.TrimSpace(h))
		name = columnSeparators.Replace(name)
		line, col := cr.fieldPos(i)
		pos := tradeplan.Position{File: file, Line: line, Column: col}
		k := -1
		for j, n := range CSVColumns {
			if n == name {
				k = j
				break
			}
		}
		if a, ok := CSVColumnAliases[name]; ok && k < 0 {
			k = int(slices.Index(CSVColumns[:], a))
		}
		if j := slices.Index(extra, name); k < 0 && j >= 0 {
			if c.extraCol[j] >= 0 {
				probs.Add(pos, "", "repeated column %s (first in column %d)", quote(h), c.extraCol[j]+1)
			}
			c.extraCol[j], c.cols[i] = i, colExtra
			continue
		}
		switch {
		case k < 0 && name == "":
			probs.Add(pos, "", "empty column name; expected one of %s", strings.Join(CSVColumns[:], ", "))
		case k < 0:
			names := append(CSVColumns[:len(CSVColumns):len(CSVColumns)], extra...)
			probs.Add(pos, "", "unknown column %s; expected one of %s%s", quote(h), strings.Join(names, ", "), didYouMean(name, names))
		case seen[k] > 0:
			probs.Add(pos, "", "repeated column %s (first in column %d)", quote(h), seen[k])
		default:
			seen[k] = i + 1
			c.cols[i] = column(k)
		}
	}
	line, _ := cr.fieldPos(0)
	hpos := tradeplan.Position{File: file, Line: line, Column: 1}
	for _, k := range []column{colOrigin, colDestination} {
		if seen[k] == 0 {
			probs.Add(hpos, "", "missing column %s (required in a line file)", CSVColumns[k])
		}
	}
	if seen[colDescription] == 0 && seen[colHS] == 0 {
		probs.Add(hpos, "", "missing column: a line file needs description or hs, or both")
	}
	if err := probs.Err(file); err != nil {
		return nil, err
	}
	// The rows' fields are views of the reader's buffer from now on; what a
	// line keeps, own copies or interns.
	cr.views = true
	c.interned = map[string]string{}
	return c, nil
}

// keep returns s, or a copy of it when it is a view of the row just read.
func (c *CSVReader) keep(s string) string {
	if c.r.inView(s) {
		return strings.Clone(s)
	}
	return s
}

// intern is keep for a field that may repeat from row to row: one copy is
// made of each. A full table starts again empty.
func (c *CSVReader) intern(s string) string {
	if !c.r.inView(s) {
		return s
	}
	slot := internSlot(s)
	if v := c.recent[slot]; v == s {
		return v
	}
	if v, ok := c.interned[s]; ok {
		c.recent[slot] = v
		return v
	}
	v := strings.Clone(s)
	if len(c.interned) >= maxInterned || c.internedBytes+len(v) > maxInternedBytes {
		clear(c.interned)
		clear(c.recent[:])
		c.internedBytes = 0
	}
	if len(v) <= maxInternedBytes/64 {
		c.interned[v] = v
		c.internedBytes += len(v)
		c.recent[slot] = v
	}
	return v
}

// own makes every string of l its own: none is a view of the row the
// reader will overwrite with the next (TestCSVReaderViews,
// FuzzCSVReaderViews). Codes and names the reader resolves (countries,
// units, currencies, direction, necessity) are its constants already.
func (c *CSVReader) own(l *tradeplan.Line) {
	l.Description = c.intern(l.Description)
	l.HS = c.intern(l.HS)
	l.Origin, l.Destination = c.keep(l.Origin), c.keep(l.Destination)
	l.Unit, l.Currency = c.keep(l.Unit), c.keep(l.Currency)
	l.Direction = tradeplan.Direction(c.keep(string(l.Direction)))
	l.Necessity = tradeplan.Necessity(c.keep(string(l.Necessity)))
	l.Crossing, l.Purpose, l.Exemption = c.intern(l.Crossing), c.intern(l.Purpose), c.intern(l.Exemption)
	if p := l.Partner; p != nil {
		p.Name, p.Country = c.intern(p.Name), c.keep(p.Country)
	}
	if v := l.Vessel; v != nil {
		v.Name, v.IMO, v.Flag = c.intern(v.Name), c.intern(v.IMO), c.keep(v.Flag)
	}
	if s := l.Source; s != nil {
		s.Site = c.intern(s.Site)
	}
}

// Columns returns the header's columns, in file order.
func (c *CSVReader) Columns() []string {
	out := make([]string, len(c.cols))
	for i, k := range c.cols {
		if k == colExtra {
			out[i] = c.extra[slices.Index(c.extraCol, i)]
			continue
		}
		out[i] = CSVColumns[k]
	}
	return out
}

func (c *CSVReader) readError(err error) error {
	var se *splitError
	if errors.As(err, &se) {
		msg := se.err.Error() + " (a field with a quote, comma or line break must be in double quotes, its quotes doubled)"
		ps := tradeplan.Problems{{Pos: tradeplan.Position{File: c.file, Line: se.line, Column: se.col}, Message: "CSV syntax: " + msg}}
		return ps.Err(c.file)
	}
	return fmt.Errorf("read %s: %w", c.file, err)
}

// Read returns the next line, io.EOF after the last, or an error for a bad
// row (see CSVReader). Rows whose fields are all empty are skipped.
func (c *CSVReader) Read() (tradeplan.Line, error) {
	var l tradeplan.Line
	err := c.ReadInto(&l)
	return l, err
}

// ReadInto is Read into *l, which it overwrites whole: a caller keeping
// lines in a slice reads each in place instead of copying it there. After
// an error *l holds no line.
func (c *CSVReader) ReadInto(l *tradeplan.Line) error {
	if c.failed {
		return io.EOF
	}
	for {
		rec, err := c.r.read()
		if err == io.EOF {
			return io.EOF
		}
		if err != nil {
			var se *splitError
			if !errors.As(err, &se) {
				c.failed = true
			}
			c.index++
			return c.readError(err)
		}
		if blank(rec) {
			continue
		}
		c.index++
		if err := c.line(rec, l); err != nil {
			return err
		}
		c.own(l)
		return nil
	}
}

func blank(rec []string) bool {
	for _, f := range rec {
		if f != "" {
			return false
		}
	}
	return true
}

// line resolves one row. It allocates only for a partner, a vessel, a source
// and problems; the strings it keeps are slices of the row csv allocated.
func (c *CSVReader) line(rec []string, l *tradeplan.Line) error {
	lineNo, _ := c.r.fieldPos(0)
	*l = tradeplan.Line{Index: c.index, Pos: tradeplan.Position{File: c.file, Line: lineNo}}
	var probs tradeplan.Problems
	bad := func(i int, msg string) {
		line, col := c.r.fieldPos(i)
		probs = append(probs, tradeplan.Problem{Pos: tradeplan.Position{File: c.file, Line: line, Column: col, Path: CSVColumns[c.cols[i]]}, Message: msg})
	}
	clear(c.extraVal)
	if len(rec) != len(c.cols) {
		line, _ := c.r.fieldPos(0)
		probs.Add(tradeplan.Position{File: c.file, Line: line, Column: 1}, "", "expected %d fields as in the header; found %d", len(c.cols), len(rec))
		*l = tradeplan.Line{}
		return probs.Err(c.file)
	}
	originAt, destAt, qtyAt, valueAt := -1, -1, -1, -1
	for i, f := range rec {
		if len(f) > 1 && f[0] == '\'' {
			f = tradeplan.CSVCellValue(f) // a formula the project's own CSV writer neutralised
		}
		if len(f) > 0 && (f[0] <= ' ' || f[len(f)-1] <= ' ') {
			f = strings.TrimSpace(f)
		}
		if c.cols[i] == colExtra {
			c.extraVal[slices.Index(c.extraCol, i)] = c.keep(f)
			continue
		}
		if f == "" {
			switch c.cols[i] {
			case colOrigin:
				originAt = i
			case colDestination:
				destAt = i
			}
			continue
		}
		if k := c.cols[i]; textColumns[k] != 0 {
			if msg := tradeplan.CheckText(f, textColumns[k] == multilineText); msg != "" {
				bad(i, msg)
				continue
			}
		}
		switch c.cols[i] {
		case colDescription:
			l.Description = f
		case colHS:
			if len(f) <= 10 && len(f)%2 == 0 && isDigits(f) {
				l.HS = f
			} else if code, msg := checkHS(f, false); msg != "" {
				bad(i, msg)
			} else {
				l.HS = code
			}
		case colOrigin:
			if code, ok := alpha2(f); ok {
				l.Origin = code
			} else {
				_, msg := checkCountry(f)
				bad(i, msg)
			}
		case colDestination:
			if code, ok := alpha2(f); ok {
				l.Destination = code
			} else {
				_, msg := checkCountry(f)
				bad(i, msg)
			}
		case colQuantity:
			qtyAt = i
			if v, ok := amount(f); ok {
				l.Quantity = v
			} else {
				_, msg := checkAmount(f)
				if msg == "" {
					msg = "expected a number; found " + quote(f)
				}
				bad(i, msg)
			}
		case colValue:
			valueAt = i
			if v, ok := amount(f); ok {
				l.Value = v
			} else {
				_, msg := checkAmount(f)
				if msg == "" {
					msg = "expected a number; found " + quote(f)
				}
				bad(i, msg)
			}
		case colUnit:
			// A canonical symbol needs no lookup.
			if u := canonicalUnit(f); u != "" {
				l.Unit = u
			} else {
				if u, ok := c.units[f]; ok {
					l.Unit = u
				} else if u, msg := checkUnit(f); msg != "" {
					bad(i, msg)
				} else {
					if len(c.units) < 1024 {
						c.units[strings.Clone(f)] = u
					}
					l.Unit = u
				}
			}
		case colCurrency:
			if cur, ok := Currency(f); ok {
				l.Currency = cur
			} else {
				_, msg := checkCurrency(f)
				bad(i, msg)
			}
		case colPartner:
			if l.Partner == nil {
				l.Partner = &tradeplan.Party{}
			}
			l.Partner.Name = f
		case colPartnerCountry:
			if l.Partner == nil {
				l.Partner = &tradeplan.Party{}
			}
			if code, ok := alpha2(f); ok {
				l.Partner.Country = code
			} else {
				_, msg := checkCountry(f)
				bad(i, msg)
			}
		case colVesselName:
			if l.Vessel == nil {
				l.Vessel = &tradeplan.Vessel{}
			}
			l.Vessel.Name = f
		case colVesselIMO:
			if l.Vessel == nil {
				l.Vessel = &tradeplan.Vessel{}
			}
			if imo, msg := checkIMO(f); msg != "" {
				bad(i, msg)
			} else {
				l.Vessel.IMO = imo
			}
		case colVesselFlag:
			if l.Vessel == nil {
				l.Vessel = &tradeplan.Vessel{}
			}
			if code, ok := alpha2(f); ok {
				l.Vessel.Flag = code
			} else {
				_, msg := checkCountry(f)
				bad(i, msg)
			}
		case colCrossing:
			l.Crossing = f
		case colNecessity:
			switch f {
			case "critical":
				l.Necessity = tradeplan.Critical
			case "essential":
				l.Necessity = tradeplan.Essential
			case "useful":
				l.Necessity = tradeplan.Useful
			default:
				if n, msg := checkNecessity(f); msg != "" {
					bad(i, msg)
				} else {
					l.Necessity = n
				}
			}
		case colDirection:
			switch f {
			case "export":
				l.Direction = tradeplan.Export
			case "import":
				l.Direction = tradeplan.Import
			default:
				if d, msg := checkDirection(f); msg != "" {
					bad(i, msg)
				} else {
					l.Direction = d
				}
			}
		case colDate:
			if len(f) == len(c.lastDate) && !c.lastTime.IsZero() && f == string(c.lastDate[:]) {
				l.Date = c.lastTime
			} else if t, ok := fastDate(f); ok {
				l.Date = t
				copy(c.lastDate[:], f) // fastDate took only 10 bytes
				c.lastTime = t
			} else {
				bad(i, "expected a date YYYY-MM-DD; found "+quote(f))
			}
		case colExemption:
			l.Exemption = f
		case colPurpose:
			l.Purpose = f
		case colSourceSite:
			l.Source = &tradeplan.Source{Site: f}
		}
	}
	if originAt >= 0 {
		bad(originAt, "required (the country the goods come from)")
	}
	if destAt >= 0 {
		bad(destAt, "required (the country the goods go to)")
	}
	if l.Description == "" && l.HS == "" && !c.hasProblemAt(probs, "hs") && !c.hasProblemAt(probs, "description") {
		probs.Add(tradeplan.Position{File: c.file, Line: lineNo, Column: 1}, "description", "required when hs is not given")
	}
	if qtyAt >= 0 && l.Unit == "" && !c.hasProblemAt(probs, "unit") {
		bad(qtyAt, "a quantity needs a unit (unit column empty or absent)")
	}
	if valueAt >= 0 && l.Currency == "" && !c.hasProblemAt(probs, "currency") {
		bad(valueAt, "a value needs a currency (currency column empty or absent)")
	}
	if probs != nil {
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].Pos.Column < probs[j].Pos.Column })
		*l = tradeplan.Line{}
		return probs.Err(c.file)
	}
	return nil
}

func (c *CSVReader) hasProblemAt(ps tradeplan.Problems, path string) bool {
	for _, p := range ps {
		if p.Pos.Path == path {
			return true
		}
	}
	return false
}

// alpha2 resolves an upper-case alpha-2 code; small enough to be inlined in
// the row loop, with Country as the fallback.
func alpha2(f string) (string, bool) {
	if len(f) == 2 {
		a, b := f[0]-'A', f[1]-'A'
		if a < 26 && b < 26 {
			if c := byAlpha2[int(a)*26+int(b)]; c != nil {
				return c.code, true
			}
		}
	}
	return Country(f)
}

// fastDate reads YYYY-MM-DD without the generality of time.Parse.
func fastDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) || !isDigits(s[5:7]) || !isDigits(s[8:]) {
		return time.Time{}, false
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	d := int(s[8]-'0')*10 + int(s[9]-'0')
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return time.Time{}, false
	}
	return time.Unix(daysFromCivil(y, m, d)*86400, 0).UTC(), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days from 1970-01-01 to a proleptic Gregorian
// date (the well-known era-based algorithm; y >= 0 here).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// amount reads a quantity or value of at least zero.
func amount(s string) (tradeplan.Decimal, bool) {
	v, err := tradeplan.ParseDecimal(s)
	return v, err == nil && v.Sign() >= 0
}

// utf16Problem is what a UTF-16 file (a spreadsheet's "Unicode text", a
// Windows editor's "Unicode") is told, instead of a column or a character
// of NULs per byte.
const utf16Problem = "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8 (in a spreadsheet: CSV UTF-8)"

// utf16Start: s begins with a UTF-16 byte-order mark, either order.
func utf16Start(s string) bool {
	return strings.HasPrefix(s, "\xff\xfe") || strings.HasPrefix(s, "\xfe\xff")
}
