package plan

import (
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/tradeplan/tradeplan"
	"go.yaml.in/yaml/v3"
)

// The fast path's document parser.
//
// flatDoc reads the flat tree of the fast readers (fastyaml.go) into a plan
// as docParser reads a yaml.Node tree, for a document without a problem: at
// the first thing docParser would report, it gives up (returns nil), and
// Parse takes the general path, which reads the document again and words
// every problem. It builds no paths or messages, and allocates little
// beyond the plan. The fast trees hold no aliases and no merge keys, which
// is all docParser does that flatDoc does not. TestFlatDocAgrees and
// FuzzFlatDoc hold it to docParser on every input.

type flatDoc struct {
	src   string // the document; the tree's values are slices of it
	st    *scratch
	file  string
	cur   posCursor
	arena []byte // the bytes of strings made here (HS codes without their dots)
	// maxLines is the most lines the plan may have; 0 for no limit.
	maxLines int
}

// bail is how flatDoc gives up.
func bail() { panic(giveUp{}) }

// parseFlat parses the tree in st, read from src, into a plan, or returns
// nil at anything docParser would report.
//
// A plan of more than maxLines lines (when it is not 0) is an error,
// before any line is read.
func parseFlat(src string, st *scratch, file string, maxLines int) (p *tradeplan.Plan, err error) {
	defer func() {
		if e := recover(); e != nil {
			if tm, ok := e.(tooManyLines); ok {
				p, err = nil, tradeplan.Problems{tm.problem}.Err(file)
				return
			}
			if _, ok := e.(giveUp); !ok {
				panic(e)
			}
			p = nil
		}
	}()
	f := &flatDoc{src: src, st: st, file: file, cur: posCursor{s: src}, maxLines: maxLines}
	p = f.document()
	p.File = file
	return p, nil
}

// tooManyLines is panicked by flatDoc.document at a plan of more lines
// than it may have.
type tooManyLines struct{ problem tradeplan.Problem }

func (f *flatDoc) node(i int32) *fnode { return &f.st.nodes[i] }

// value returns the value of node i.
func (f *flatDoc) value(i int32) string { return f.st.value(f.src, i) }

// pos returns the line and column of node i.
func (f *flatDoc) pos(i int32) (line, col int) {
	n := f.node(i)
	if n.line != 0 {
		return int(n.line), int(n.col)
	}
	return f.cur.at(int(n.off))
}

// A field set: the allowed fields of a mapping, and the index of a name
// among them (-1 when it is not one). A field's value node in a fieldVals
// is 0 when the field is absent (node 0 is the root, never a value).
type fieldVals [maxFields]int32

// fields reads the fields of mapping i into vals; it gives up where
// docParser.object reports a problem: i not a mapping, an unknown or a
// repeated field.
func (f *flatDoc) fields(i int32, index func(string) int, vals *fieldVals) {
	n := f.node(i)
	if n.kind != uint8(yaml.MappingNode) {
		bail()
	}
	for c := i + 1; c < n.end; {
		k := f.node(c)
		if k.kind != uint8(yaml.ScalarNode) || k.tag == tagMerge {
			bail()
		}
		v := k.end
		x := index(f.value(c))
		if x < 0 || vals[x] != 0 {
			bail()
		}
		vals[x] = v
		c = f.node(v).end
	}
}

// isNull is isNull of node i (0 is absent).
func (f *flatDoc) isNull(i int32) bool {
	return i == 0 || f.node(i).kind == uint8(yaml.ScalarNode) && f.node(i).tag == tagNull
}

// has is object.has of a field's node.
func (f *flatDoc) has(i int32) bool {
	return !f.isNull(i) && !(f.node(i).kind == uint8(yaml.ScalarNode) && trimSpace(f.value(i)) == "")
}

// str is docParser.str of a field's node: the trimmed text, and false
// when it is absent, null or empty; it gives up at a value that is not a
// scalar, and at text that tradeplan.CheckText refuses (a JSON escape of a
// control character: the YAML reader takes none).
func (f *flatDoc) str(i int32) (string, bool) {
	if f.isNull(i) {
		return "", false
	}
	if f.node(i).kind != uint8(yaml.ScalarNode) {
		bail()
	}
	s := trimSpace(f.value(i))
	if s == "" {
		return "", false
	}
	// Only a value that is not a slice of the document (a JSON string
	// with escapes) can hold a '\r': the YAML reader takes none.
	if f.node(i).vlen < 0 {
		if strings.IndexByte(s, '\r') >= 0 {
			s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
		}
		// Only tabs and line breaks may pass here (in description and
		// purpose); the general path words whatever else.
		if tradeplan.CheckText(s, true) != "" || strings.ContainsAny(s, "\t\n") {
			bail()
		}
	}
	return s, true
}

// trimSpace is strings.TrimSpace, without the call for what has no space
// at either end (an ASCII character other than a space or a control one
// at both ends).
func trimSpace(s string) string {
	if s != "" && s[0]-0x21 < 0x7f-0x21 && s[len(s)-1]-0x21 < 0x7f-0x21 {
		return s
	}
	return strings.TrimSpace(s)
}

// need is str of a required field: it gives up when the field is absent.
func (f *flatDoc) need(i int32) string {
	s, ok := f.str(i)
	if !ok {
		bail()
	}
	return s
}

// country is docParser.country.
func (f *flatDoc) country(i int32) string {
	s, ok := f.str(i)
	if !ok {
		return ""
	}
	c, ok := Country(s)
	if !ok {
		bail()
	}
	return c
}

func docField(s string) int {
	switch s {
	case "plan":
		return 0
	case "lines":
		return 1
	}
	return -1
}

func headerField(s string) int {
	switch s {
	case "id":
		return 0
	case "organisation":
		return 1
	case "country":
		return 2
	case "period":
		return 3
	}
	return -1
}

func periodField(s string) int {
	switch s {
	case "from":
		return 0
	case "to":
		return 1
	}
	return -1
}

// The fields of a line, in lineFields' order.
const (
	lfDirection = iota
	lfDescription
	lfHS
	lfQuantity
	lfUnit
	lfValue
	lfCurrency
	lfPartner
	lfVessel
	lfCrossing
	lfNecessity
	lfPurpose
	lfSource
	lfOrigin
	lfDestination
	lfExemption
	lfDate
)

func lineField(s string) int {
	switch s {
	case "direction":
		return lfDirection
	case "description":
		return lfDescription
	case "hs":
		return lfHS
	case "quantity":
		return lfQuantity
	case "unit":
		return lfUnit
	case "value":
		return lfValue
	case "currency":
		return lfCurrency
	case "partner":
		return lfPartner
	case "vessel":
		return lfVessel
	case "crossing":
		return lfCrossing
	case "necessity":
		return lfNecessity
	case "purpose":
		return lfPurpose
	case "source":
		return lfSource
	case "origin":
		return lfOrigin
	case "destination":
		return lfDestination
	case "exemption":
		return lfExemption
	case "date":
		return lfDate
	}
	return -1
}

func partnerField(s string) int {
	switch s {
	case "name":
		return 0
	case "country":
		return 1
	}
	return -1
}

func vesselField(s string) int {
	switch s {
	case "name":
		return 0
	case "imo":
		return 1
	case "flag":
		return 2
	}
	return -1
}

func sourceField(s string) int {
	if s == "site" {
		return 0
	}
	return -1
}

func (f *flatDoc) document() *tradeplan.Plan {
	p := &tradeplan.Plan{}
	var doc fieldVals
	f.fields(0, docField, &doc)
	if !f.has(doc[0]) {
		bail()
	}
	f.header(doc[0], p)
	ls := doc[1]
	if !f.has(ls) {
		bail()
	}
	n := f.node(ls)
	if n.kind != uint8(yaml.SequenceNode) || n.end == ls+1 {
		bail()
	}
	count := 0
	for c := ls + 1; c < n.end; c = f.node(c).end {
		count++
	}
	if f.maxLines > 0 && count > f.maxLines {
		line, col := f.pos(ls)
		panic(tooManyLines{tradeplan.Problem{Pos: tradeplan.Position{File: f.file, Line: line, Column: col, Path: "lines"}, Message: linesProblem(f.maxLines, count)}})
	}
	p.Lines = make([]tradeplan.Line, count)
	k := 0
	for c := ls + 1; c < n.end; c = f.node(c).end {
		f.line(c, k+1, p, &p.Lines[k])
		k++
	}
	return p
}

func (f *flatDoc) header(i int32, p *tradeplan.Plan) {
	var o fieldVals
	f.fields(i, headerField, &o)
	id := f.need(o[0])
	if !idRE.MatchString(id) {
		bail()
	}
	p.ID = id
	p.Organisation, _ = f.str(o[1])
	c, ok := Country(f.need(o[2]))
	if !ok {
		bail()
	}
	p.Country = c
	if f.has(o[3]) {
		f.period(o[3], p)
	}
}

func (f *flatDoc) period(i int32, p *tradeplan.Plan) {
	n := f.node(i)
	var per tradeplan.Period
	var err error
	switch n.kind {
	case uint8(yaml.MappingNode):
		var o fieldVals
		f.fields(i, periodField, &o)
		from, to := f.need(o[0]), f.need(o[1])
		if _, msg := checkDate(from); msg != "" {
			bail()
		}
		if _, msg := checkDate(to); msg != "" {
			bail()
		}
		per, err = PeriodFromTo(from, to)
	case uint8(yaml.ScalarNode):
		per, err = ParsePeriod(f.value(i))
	default:
		bail()
	}
	if err != nil {
		bail()
	}
	p.Period = per
}

// line reads line i, the index-th, into l.
func (f *flatDoc) line(i int32, index int, p *tradeplan.Plan, l *tradeplan.Line) {
	var o fieldVals
	f.fields(i, lineField, &o)
	line, col := f.pos(i)
	l.Index = index
	l.Pos = tradeplan.Position{File: f.file, Line: line, Column: col, Path: linePath(index)}

	dir, msg := checkDirection(f.need(o[lfDirection]))
	if msg != "" {
		bail()
	}
	l.Direction = dir
	l.Description, _ = f.str(o[lfDescription])
	if s, ok := f.str(o[lfHS]); ok {
		t := f.node(o[lfHS]).tag
		l.HS = f.hs(s, t == tagInt || t == tagFloat)
	} else if l.Description == "" {
		bail()
	}
	if s, ok := f.str(o[lfQuantity]); ok {
		l.Quantity = amountOrBail(s)
		if !f.has(o[lfUnit]) {
			bail()
		}
	}
	if s, ok := f.str(o[lfUnit]); ok {
		u, msg := checkUnit(s)
		if msg != "" {
			bail()
		}
		l.Unit = u
	}
	if s, ok := f.str(o[lfValue]); ok {
		l.Value = amountOrBail(s)
		if !f.has(o[lfCurrency]) {
			bail()
		}
	}
	if s, ok := f.str(o[lfCurrency]); ok {
		c, ok := Currency(s)
		if !ok {
			bail()
		}
		l.Currency = c
	}

	partnerCountryGiven := false
	if f.has(o[lfPartner]) {
		var po fieldVals
		f.fields(o[lfPartner], partnerField, &po)
		l.Partner = &tradeplan.Party{}
		l.Partner.Name, _ = f.str(po[0])
		l.Partner.Country = f.country(po[1])
		partnerCountryGiven = f.has(po[1])
		if !f.has(po[0]) && !partnerCountryGiven {
			bail()
		}
	}
	if f.has(o[lfVessel]) {
		var vo fieldVals
		f.fields(o[lfVessel], vesselField, &vo)
		v := &tradeplan.Vessel{}
		v.Name, _ = f.str(vo[0])
		if s, ok := f.str(vo[1]); ok {
			imo, msg := checkIMO(s)
			if msg != "" {
				bail()
			}
			v.IMO = imo
		}
		v.Flag = f.country(vo[2])
		if !f.has(vo[0]) && !f.has(vo[1]) && !f.has(vo[2]) {
			bail()
		}
		l.Vessel = v
	}
	if f.has(o[lfSource]) {
		var so fieldVals
		f.fields(o[lfSource], sourceField, &so)
		l.Source = &tradeplan.Source{Site: f.need(so[0])}
	}
	l.Crossing, _ = f.str(o[lfCrossing])
	if s, ok := f.str(o[lfNecessity]); ok {
		x, msg := checkNecessity(s)
		if msg != "" {
			bail()
		}
		l.Necessity = x
	}
	l.Purpose, _ = f.str(o[lfPurpose])
	l.Exemption, _ = f.str(o[lfExemption])
	if s, ok := f.str(o[lfDate]); ok {
		t, msg := checkDate(s)
		if msg != "" {
			bail()
		}
		l.Date = t
		if per := p.Period; !per.From.IsZero() && !per.Contains(t) {
			bail()
		}
	}

	l.Origin, l.Destination = route(l, f.country(o[lfOrigin]), f.country(o[lfDestination]), p.Country)
	switch {
	case l.Direction == tradeplan.Export && l.Destination == "" && !f.has(o[lfDestination]) && !partnerCountryGiven,
		l.Direction == tradeplan.Import && l.Origin == "" && !f.has(o[lfOrigin]) && !partnerCountryGiven:
		bail()
	}
}

// amountOrBail is checkAmount for a value that must be good.
func amountOrBail(s string) tradeplan.Decimal {
	v, msg := checkAmount(s)
	if msg != "" {
		bail()
	}
	return v
}

// hs is checkHS for a code that must be good. A code written with dots or
// spaces ("0305.69") becomes its digits in the arena rather than in a
// string of its own.
func (f *flatDoc) hs(s string, number bool) string {
	if !number && isDigits(s) {
		switch len(s) {
		case 2, 4, 6, 8, 10:
			return s
		}
		bail()
	}
	if !number {
		n := 0
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c >= '0' && c <= '9':
				n++
			case c == '.' || c == ' ':
			default:
				bail()
			}
		}
		switch n {
		case 2, 4, 6, 8, 10:
		default:
			bail()
		}
		if cap(f.arena)-len(f.arena) < n {
			f.arena = make([]byte, 0, max(256, n))
		}
		start := len(f.arena)
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= '0' && c <= '9' {
				f.arena = append(f.arena, c)
			}
		}
		// The arena's bytes are never written again once taken.
		return unsafe.String(&f.arena[start], n)
	}
	code, msg := checkHS(s, number)
	if msg != "" {
		bail()
	}
	return code
}

// linePaths holds "lines[1]" to "lines[maxLinePaths]" in one string.
const maxLinePaths = 1024

var linePaths = sync.OnceValue(func() []string {
	var b []byte
	ends := make([]int, maxLinePaths+1)
	for i := 1; i <= maxLinePaths; i++ {
		b = append(b, "lines["...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, ']')
		ends[i] = len(b)
	}
	s := string(b)
	out := make([]string, maxLinePaths+1)
	for i := 1; i <= maxLinePaths; i++ {
		out[i] = s[ends[i-1]:ends[i]]
	}
	return out
})

// linePath returns the path of the index-th line, "lines[index]".
func linePath(index int) string {
	if index >= 1 && index <= maxLinePaths {
		return linePaths()[index]
	}
	return "lines[" + strconv.Itoa(index) + "]"
}

// posCursor counts lines and columns (in characters) from byte offsets, as
// cursor does, going forward from the last offset asked for.
type posCursor struct {
	s              string
	off, line, col int
}

func (c *posCursor) at(off int) (line, col int) {
	if off > len(c.s) {
		off = len(c.s)
	}
	if off < c.off || c.line == 0 {
		c.off, c.line, c.col = 0, 1, 1
	}
	seg := c.s[c.off:off]
	if nl := strings.Count(seg, "\n"); nl > 0 {
		c.line += nl
		seg = seg[strings.LastIndexByte(seg, '\n')+1:]
		c.col = 1
	}
	for i := 0; i < len(seg); i++ {
		if seg[i]&0xC0 != 0x80 {
			c.col++
		}
	}
	c.off = off
	return c.line, c.col
}
