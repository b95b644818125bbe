package plan

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"go.yaml.in/yaml/v3"
)

// The fields each mapping of a plan document accepts, in documentation order.
// docs/plan.schema.json must name the same set (see schema_test.go).
var (
	docFields     = []string{"plan", "lines"}
	headerFields  = []string{"id", "organisation", "country", "period"}
	periodFields  = []string{"from", "to"}
	lineFields    = []string{"direction", "description", "hs", "quantity", "unit", "value", "currency", "partner", "vessel", "crossing", "necessity", "purpose", "source", "origin", "destination", "exemption", "date"}
	partnerFields = []string{"name", "country"}
	vesselFields  = []string{"name", "imo", "flag"}
	sourceFields  = []string{"site"}
)

// acceptedFields maps each object of the schema, by its path, to the fields
// the parser accepts there.
func acceptedFields() map[string][]string {
	return map[string][]string{
		"":                docFields,
		"plan":            headerFields,
		"plan.period":     periodFields,
		"lines[]":         lineFields,
		"lines[].partner": partnerFields,
		"lines[].vessel":  vesselFields,
		"lines[].source":  sourceFields,
	}
}

// MaxDocumentSize is the largest plan document Read accepts (CSV files are
// streamed and have no limit).
const MaxDocumentSize = 32 << 20

// Read reads a plan in format f from r: a YAML or JSON plan document, or a
// CSV bulk line file, which becomes one plan whose ID is the file's base name
// without its extension. Every problem is reported at once in an EInvalid
// *tradeplan.Error; then no plan is returned.
func Read(r io.Reader, file string, f Format) (*tradeplan.Plan, error) {
	return ReadWith(r, file, f, Limits{})
}

// Limits bounds what reading one plan may cost. The zero value bounds only
// what every reader bounds: the size of a document (MaxDocumentSize), how
// far aliases expand it (MaxAliasFactor) and the problems collected.
type Limits struct {
	// MaxLines is the most lines a plan may have; 0 for no limit (the
	// command line screens line files of millions of lines).
	MaxLines int
}

// linesProblem is the message of a plan with more than max lines.
func linesProblem(max, found int) string {
	if found < 0 {
		return fmt.Sprintf("expected at most %d lines in a plan; found more", max)
	}
	return fmt.Sprintf("expected at most %d lines in a plan; found %d", max, found)
}

// ReadWith is Read within lim.
func ReadWith(r io.Reader, file string, f Format, lim Limits) (*tradeplan.Plan, error) {
	if f == CSV {
		return readCSVPlan(newSplitter(r), file, 0, lim.MaxLines)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(data) > MaxDocumentSize {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "%s: larger than %d MiB; use a CSV line file for bulk data", file, MaxDocumentSize>>20)
	}
	return ParseWith(data, file, f, lim)
}

// MaxCSVProblems bounds the problems Read collects from a line file (it
// reads on to count the bad rows).
const MaxCSVProblems = 1000

// readCSVPlan reads a line file from s; lines, when not 0, is about how
// many lines it has (the plan's lines are allocated for as many at once);
// maxLines, when not 0, the most it may have: reading stops at the next.
func readCSVPlan(s *splitter, file string, lines, maxLines int) (*tradeplan.Plan, error) {
	cr, err := newCSVReader(s, file, nil)
	if err != nil {
		return nil, err
	}
	p := &tradeplan.Plan{ID: PlanIDFromFile(file), File: file}
	if lines > 0 {
		p.Lines = make([]tradeplan.Line, 0, min(lines, 4096))
	}
	var probs tradeplan.Problems
	badRows := 0
	for {
		l, err := cr.Read()
		if err == io.EOF {
			break
		}
		if maxLines > 0 && cr.index > maxLines {
			line, _ := s.fieldPos(0)
			ps := tradeplan.Problems{{Pos: tradeplan.Position{File: file, Line: line, Column: 1}, Message: linesProblem(maxLines, -1)}}
			return nil, ps.Err(file)
		}
		if err != nil {
			if e, ok := err.(*tradeplan.Error); ok && len(e.Problems) > 0 {
				badRows++
				if len(probs) < MaxCSVProblems {
					probs = append(probs, e.Problems...)
				}
				continue
			}
			return nil, err
		}
		if len(probs) == 0 {
			p.Lines = append(p.Lines, l)
		}
	}
	if len(probs) >= MaxCSVProblems {
		probs.Add(tradeplan.Position{File: file}, "", "%d rows have problems; the first %d problems are shown", badRows, len(probs))
	}
	if err := probs.Err(file); err != nil {
		return nil, err
	}
	if len(p.Lines) == 0 {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "%s: no lines after the header", file)
	}
	return p, nil
}

// PlanIDFromFile returns the plan ID a file name stands for: its base name
// without the extension ("data/declarations.csv" -> "declarations").
func PlanIDFromFile(file string) string {
	base := filepath.Base(file)
	if base == "." || base == "/" || base == "-" || base == "" {
		return "stdin"
	}
	if ext := filepath.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	return base
}

// Parse parses and validates a plan document in YAML or JSON. file names the
// document in messages. Every problem is reported at once in an EInvalid
// *tradeplan.Error, each at FILE:LINE:COLUMN and its path (lines[3].unit);
// then no plan is returned.
func Parse(data []byte, file string, f Format) (*tradeplan.Plan, error) {
	return ParseWith(data, file, f, Limits{})
}

// ParseWith is Parse within lim.
func ParseWith(data []byte, file string, f Format, lim Limits) (*tradeplan.Plan, error) {
	switch f {
	case YAML, JSON:
		p, err := parseFast(data, file, f, lim)
		if p != nil || err != nil {
			return p, err
		}
		return parseGeneral(data, file, f, lim)
	case CSV:
		// A buffer the size of the document, and the plan's lines at once.
		lines := bytes.Count(data, []byte{'\n'})
		if lim.MaxLines > 0 {
			lines = min(lines, lim.MaxLines+1)
		}
		return readCSVPlan(newSplitterSize(bytes.NewReader(data), len(data)+1), file, lines, lim.MaxLines)
	default:
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "%s: unknown format %q (want yaml, json or csv)", file, string(f))
	}
}

// parseGeneral is Parse of YAML or JSON without the fast path: it reads
// any document the formats allow and words every problem.
func parseGeneral(data []byte, file string, f Format, lim Limits) (*tradeplan.Plan, error) {
	var root *yaml.Node
	var probs tradeplan.Problems
	if f == YAML {
		root, probs = yamlRoot(data, file)
		if len(probs) == 0 {
			probs = checkAliases(root, file)
		}
	} else {
		root, probs = jsonRoot(data, file)
	}
	if len(probs) > 0 {
		return nil, probs.Err(file)
	}
	d := &docParser{file: file, maxLines: lim.MaxLines}
	p := d.document(root)
	if err := d.err(); err != nil {
		return nil, err
	}
	p.File = file
	return p, nil
}

// parseFast reads a document through the fast readers (fastyaml.go) and
// the fast document parser (fastdoc.go) and returns its plan, or nil when
// the document is outside their shape or has a problem: the general path
// then reads it again and words the problems.
//
// A plan of more lines than lim allows is an error here, before its lines
// are read.
func parseFast(data []byte, file string, f Format, lim Limits) (*tradeplan.Plan, error) {
	st := getScratch()
	defer st.release()
	var src string
	var ok bool
	if f == YAML {
		src, ok = fastYAML(data, st)
	} else {
		src, ok = fastJSON(bytes.TrimPrefix(data, bom), st)
	}
	if !ok {
		return nil, nil
	}
	return parseFlat(src, st, file, lim.MaxLines)
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlRoot parses YAML into its root node. A syntax error becomes a problem
// at its line.
func yamlRoot(data []byte, file string) (root *yaml.Node, probs tradeplan.Problems) {
	defer func() {
		// The YAML library is not expected to panic; if it does on some
		// input, that input is bad, not the program.
		if r := recover(); r != nil {
			root = nil
			probs = tradeplan.Problems{{Pos: tradeplan.Position{File: file}, Message: fmt.Sprintf("cannot parse YAML: %v", r)}}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			probs.Add(tradeplan.Position{File: file, Line: 1, Column: 1}, "", "empty document; expected a mapping with plan and lines")
			return nil, probs
		}
		probs = append(probs, yamlProblem(err, file))
		return nil, probs
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		probs = append(probs, yamlProblem(err, file))
		return nil, probs
	default:
		probs.Add(tradeplan.Position{File: file, Line: next.Line, Column: next.Column}, "", "expected one document; found a second one")
		return nil, probs
	}
	if len(doc.Content) == 0 {
		probs.Add(tradeplan.Position{File: file, Line: 1, Column: 1}, "", "empty document; expected a mapping with plan and lines")
		return nil, probs
	}
	return doc.Content[0], nil
}

func yamlProblem(err error, file string) tradeplan.Problem {
	msg := err.Error()
	pos := tradeplan.Position{File: file}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return tradeplan.Problem{Pos: pos, Message: "YAML syntax: " + msg}
}

// docParser walks a document tree and collects its problems.
type docParser struct {
	file     string
	maxLines int // 0: no limit
	probs    tradeplan.Problems
	dropped  int // problems beyond MaxDocumentProblems, counted only
}

// MaxDocumentProblems bounds the problems reported of one plan document:
// a document of many bad lines (or of aliases of one bad line) makes a
// report proportional to its size, not to its problems.
const MaxDocumentProblems = 1000

func (d *docParser) err() error {
	if len(d.probs) == 0 {
		return nil
	}
	sort.SliceStable(d.probs, func(i, j int) bool {
		a, b := d.probs[i].Pos, d.probs[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	if d.dropped > 0 {
		d.probs.Add(tradeplan.Position{File: d.file}, "", "%d more problems not shown", d.dropped)
		d.dropped = 0
	}
	return d.probs.Err(d.file)
}

func (d *docParser) pos(n *yaml.Node, path string) tradeplan.Position {
	return tradeplan.Position{File: d.file, Line: n.Line, Column: n.Column, Path: path}
}

func (d *docParser) add(n *yaml.Node, path, format string, args ...any) {
	if len(d.probs) >= MaxDocumentProblems {
		d.dropped++
		return
	}
	d.probs.Add(d.pos(n, path), "", format, args...)
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// deref follows aliases to the node they stand for.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// kind names what a node is, for "found ..." in messages.
func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing (null)"
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		}
		return "the string " + quote(n.Value)
	}
	return "an alias"
}

// object is a mapping's fields, by their index in the allowed list.
type object struct {
	node    *yaml.Node
	path    string
	allowed []string
	keys    [maxFields]*yaml.Node
	values  [maxFields]*yaml.Node
	// suggested are fields an unknown field was taken for ("did you
	// mean"); their absence is not reported again as missing.
	suggested map[string]bool
}

// maxFields is the most fields a mapping of the schema has.
const maxFields = 17

// value returns the node of a field, or nil when it is absent.
func (o *object) value(field string) *yaml.Node {
	if i := slices.Index(o.allowed, field); i >= 0 {
		return o.values[i]
	}
	return nil
}

// object reads n into o as a mapping with the allowed fields; unknown and
// repeated fields are problems. YAML merge keys (<<: *defaults) are
// honoured: the merged mappings supply the fields the mapping does not set
// itself. It reports false (after a problem) when n is not a mapping.
// Callers keep o on their stack: a plan has an object per line.
func (d *docParser) object(o *object, n *yaml.Node, path string, allowed []string) bool {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		d.add(n, path, "expected a mapping with %s; found %s", strings.Join(allowed, ", "), kind(n))
		return false
	}
	*o = object{node: n, path: path, allowed: allowed}
	d.collect(o, n, allowed, false, 0)
	return true
}

// collect adds the fields of mapping n to o. Merged fields (merged true)
// never replace fields already there.
func (d *docParser) collect(o *object, n *yaml.Node, allowed []string, merged bool, depth int) {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.add(k, o.path, "expected a field name; found %s", kind(k))
			continue
		}
		if k.Tag == "!!merge" {
			merges = append(merges, k, deref(v))
			continue
		}
		name := k.Value
		f := slices.Index(allowed, name)
		if f >= 0 && o.keys[f] != nil {
			if !merged {
				k0 := o.keys[f]
				d.add(k, join(o.path, name), "repeated field (first at line %d)", k0.Line)
			}
			continue
		}
		if f < 0 {
			hint := didYouMean(name, allowed)
			if sg := suggest(name, allowed); sg != "" {
				if o.suggested == nil {
					o.suggested = map[string]bool{}
				}
				o.suggested[sg] = true
			}
			if hint == "" && n.Style&yaml.FlowStyle != 0 && (v.Kind != yaml.ScalarNode || v.Tag == "!!null") {
				hint = " (in a {...} mapping a comma ends a value: quote a value that contains a comma)"
			}
			d.add(k, join(o.path, name), "unknown field; expected one of %s%s", strings.Join(allowed, ", "), hint)
			continue
		}
		o.keys[f] = k
		o.values[f] = deref(v)
	}
	for i := 0; i+1 < len(merges); i += 2 {
		k, v := merges[i], merges[i+1]
		if depth >= 8 {
			d.add(k, o.path, "merges nested too deeply")
			return
		}
		switch v.Kind {
		case yaml.MappingNode:
			d.collect(o, v, allowed, true, depth+1)
		case yaml.SequenceNode:
			for _, m := range v.Content {
				if m = deref(m); m.Kind == yaml.MappingNode {
					d.collect(o, m, allowed, true, depth+1)
				} else {
					d.add(m, o.path, "expected a mapping to merge; found %s", kind(m))
				}
			}
		default:
			d.add(v, o.path, "expected a mapping or a list of mappings to merge; found %s", kind(v))
		}
	}
}

// has reports whether field is present, not null and not an empty string.
func (o *object) has(field string) bool {
	n := o.value(field)
	return !isNull(n) && !(n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "")
}

// str returns a scalar field's text, trimmed; ok is false when it is absent,
// null or empty (n is nil) or not a scalar (n is the node, and a problem is
// recorded).
func (d *docParser) str(o *object, field string) (s string, n *yaml.Node, ok bool) {
	n = o.value(field)
	if isNull(n) {
		return "", nil, false
	}
	if n.Kind != yaml.ScalarNode {
		d.add(n, join(o.path, field), "expected a single value; found %s", kind(n))
		return "", n, false
	}
	s = strings.TrimSpace(n.Value)
	if s == "" {
		// An empty value is an absent one.
		return "", nil, false
	}
	if strings.IndexByte(s, '\r') >= 0 {
		// Line breaks are kept as "\n" whatever wrote them.
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	if msg := tradeplan.CheckText(s, multilineField(field)); msg != "" {
		d.add(n, join(o.path, field), "%s", msg)
		return "", n, false
	}
	return s, n, true
}

// multilineField reports whether a field of a plan document may hold line
// breaks and tabs: free text, as opposed to names, codes and references.
func multilineField(field string) bool {
	return field == "description" || field == "purpose"
}

// required records that a field is missing from o.
func (d *docParser) required(o *object, field, why string) {
	if o.suggested[field] {
		return
	}
	msg := "required"
	if why != "" {
		msg += " " + why
	}
	d.add(o.node, join(o.path, field), "%s", msg)
}

// check runs a shared check on a field and records its message.
func (d *docParser) check(o *object, field string, msg string, n *yaml.Node) bool {
	if msg != "" {
		d.add(n, join(o.path, field), "%s", msg)
		return false
	}
	return true
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func (d *docParser) document(root *yaml.Node) *tradeplan.Plan {
	p := &tradeplan.Plan{}
	doc := new(object)
	if !d.object(doc, root, "", docFields) {
		return p
	}
	if !doc.has("plan") {
		d.required(doc, "plan", "")
	} else {
		d.header(doc.value("plan"), p)
	}
	if !doc.has("lines") {
		d.required(doc, "lines", "")
		return p
	}
	ls := doc.value("lines")
	if ls.Kind != yaml.SequenceNode {
		d.add(ls, "lines", "expected a list of lines; found %s", kind(ls))
		return p
	}
	if len(ls.Content) == 0 {
		d.add(ls, "lines", "expected at least one line; found an empty list")
		return p
	}
	if d.maxLines > 0 && len(ls.Content) > d.maxLines {
		d.add(ls, "lines", "%s", linesProblem(d.maxLines, len(ls.Content)))
		return p
	}
	p.Lines = make([]tradeplan.Line, 0, len(ls.Content))
	for i, n := range ls.Content {
		l, ok := d.line(n, i+1, p)
		if ok {
			p.Lines = append(p.Lines, l)
		}
	}
	return p
}

func (d *docParser) header(n *yaml.Node, p *tradeplan.Plan) {
	o := new(object)
	if !d.object(o, n, "plan", headerFields) {
		return
	}
	if s, v, ok := d.str(o, "id"); !ok {
		if v == nil {
			d.required(o, "id", "")
		}
	} else if !idRE.MatchString(s) {
		d.add(v, "plan.id", "expected an id of letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit); found %s", quote(s))
	} else {
		p.ID = s
	}
	if s, _, ok := d.str(o, "organisation"); ok {
		p.Organisation = s
	}
	if s, v, ok := d.str(o, "country"); !ok {
		if v == nil {
			d.required(o, "country", "(the country the plan's directions are relative to)")
		}
	} else {
		c, msg := checkCountry(s)
		if d.check(o, "country", msg, v) {
			p.Country = c
		}
	}
	if o.has("period") {
		d.period(o.value("period"), p)
	}
}

func (d *docParser) period(n *yaml.Node, p *tradeplan.Plan) {
	if n.Kind == yaml.MappingNode {
		o := new(object)
		if !d.object(o, n, "plan.period", periodFields) {
			return
		}
		from, fn, fok := d.str(o, "from")
		to, tn, tok := d.str(o, "to")
		if !fok && fn == nil {
			d.required(o, "from", "")
		}
		if !tok && tn == nil {
			d.required(o, "to", "")
		}
		if !fok || !tok {
			return
		}
		_, fmsg := checkDate(from)
		_, tmsg := checkDate(to)
		if !d.check(o, "from", fmsg, fn) || !d.check(o, "to", tmsg, tn) {
			return
		}
		per, err := PeriodFromTo(from, to)
		if err != nil {
			d.add(tn, "plan.period.to", "%s", tradeplan.ErrorMessage(err))
			return
		}
		p.Period = per
		return
	}
	if n.Kind != yaml.ScalarNode {
		d.add(n, "plan.period", "expected a period such as 2027-H1 or a mapping with from and to; found %s", kind(n))
		return
	}
	per, err := ParsePeriod(n.Value)
	if err != nil {
		d.add(n, "plan.period", "%s", tradeplan.ErrorMessage(err))
		return
	}
	p.Period = per
}

// line reads one line. ok is false when it had problems.
func (d *docParser) line(n *yaml.Node, index int, p *tradeplan.Plan) (tradeplan.Line, bool) {
	path := "lines[" + strconv.Itoa(index) + "]"
	before := len(d.probs)
	n = deref(n)
	l := tradeplan.Line{Index: index, Pos: d.pos(n, path)}
	o := new(object)
	if !d.object(o, n, path, lineFields) {
		return l, false
	}

	if s, v, ok := d.str(o, "direction"); ok {
		dir, msg := checkDirection(s)
		if d.check(o, "direction", msg, v) {
			l.Direction = dir
		}
	} else if v == nil {
		d.required(o, "direction", "(export or import)")
	}
	desc, descNode, _ := d.str(o, "description")
	l.Description = desc
	if s, v, ok := d.str(o, "hs"); ok {
		code, msg := checkHS(s, v.Tag == "!!int" || v.Tag == "!!float")
		if d.check(o, "hs", msg, v) {
			l.HS = code
		}
	} else if l.Description == "" && v == nil && descNode == nil {
		d.required(o, "description", "when hs is not given")
	}

	if s, v, ok := d.str(o, "quantity"); ok {
		q, msg := checkAmount(s)
		if d.check(o, "quantity", msg, v) {
			l.Quantity = q
		}
		if !o.has("unit") {
			d.required(o, "unit", "when quantity is given")
		}
	}
	if s, v, ok := d.str(o, "unit"); ok {
		u, msg := checkUnit(s)
		if d.check(o, "unit", msg, v) {
			l.Unit = u
		}
	}
	if s, v, ok := d.str(o, "value"); ok {
		x, msg := checkAmount(s)
		if d.check(o, "value", msg, v) {
			l.Value = x
		}
		if !o.has("currency") {
			d.required(o, "currency", "when value is given")
		}
	}
	if s, v, ok := d.str(o, "currency"); ok {
		c, msg := checkCurrency(s)
		if d.check(o, "currency", msg, v) {
			l.Currency = c
		}
	}

	partnerCountryGiven := false
	if o.has("partner") {
		l.Partner, partnerCountryGiven = d.partner(o.value("partner"), path+".partner")
	}
	if o.has("vessel") {
		l.Vessel = d.vessel(o.value("vessel"), path+".vessel")
	}
	if o.has("source") {
		so := new(object)
		if d.object(so, o.value("source"), path+".source", sourceFields) {
			if s, v, ok := d.str(so, "site"); ok {
				l.Source = &tradeplan.Source{Site: s}
			} else if v == nil {
				d.required(so, "site", "")
			}
		}
	}
	l.Crossing, _, _ = d.str(o, "crossing")
	if s, v, ok := d.str(o, "necessity"); ok {
		x, msg := checkNecessity(s)
		if d.check(o, "necessity", msg, v) {
			l.Necessity = x
		}
	}
	l.Purpose, _, _ = d.str(o, "purpose")
	l.Exemption, _, _ = d.str(o, "exemption")
	if s, v, ok := d.str(o, "date"); ok {
		t, msg := checkDate(s)
		if d.check(o, "date", msg, v) {
			l.Date = t
			per := p.Period
			if !per.From.IsZero() && !per.Contains(t) {
				d.add(v, path+".date", "%s is outside the plan period %s (%s to %s)", t.Format(dateLayout), per.Label, per.From.Format(dateLayout), per.To.Format(dateLayout))
			}
		}
	}

	l.Origin, l.Destination = route(&l, d.country(o, "origin"), d.country(o, "destination"), p.Country)
	switch {
	case l.Direction == tradeplan.Export && l.Destination == "" && !o.has("destination") && !partnerCountryGiven:
		d.required(o, "destination", "for an export when partner.country is not given")
	case l.Direction == tradeplan.Import && l.Origin == "" && !o.has("origin") && !partnerCountryGiven:
		d.required(o, "origin", "for an import when partner.country is not given")
	}
	return l, len(d.probs) == before
}

// route settles a line's origin and destination from those it gives, its
// direction, its partner's country and the plan's country: an export
// leaves the plan's country for the partner's, an import the reverse;
// what the line gives wins.
func route(l *tradeplan.Line, origin, dest, home string) (string, string) {
	partner := ""
	if l.Partner != nil {
		partner = l.Partner.Country
	}
	switch l.Direction {
	case tradeplan.Export:
		return firstOf(origin, home), firstOf(dest, partner)
	case tradeplan.Import:
		return firstOf(origin, partner), firstOf(dest, home)
	}
	return origin, dest
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// country reads an optional country field.
func (d *docParser) country(o *object, field string) string {
	s, v, ok := d.str(o, field)
	if !ok {
		return ""
	}
	c, msg := checkCountry(s)
	d.check(o, field, msg, v)
	return c
}

// partner reads a partner; countryGiven reports whether it names a
// country (valid or not).
func (d *docParser) partner(n *yaml.Node, path string) (p *tradeplan.Party, countryGiven bool) {
	o := new(object)
	if !d.object(o, n, path, partnerFields) {
		return nil, false
	}
	p = &tradeplan.Party{}
	p.Name, _, _ = d.str(o, "name")
	p.Country = d.country(o, "country")
	if !o.has("name") && !o.has("country") {
		d.add(o.node, path, "expected a name or a country; found neither")
	}
	return p, o.has("country")
}

func (d *docParser) vessel(n *yaml.Node, path string) *tradeplan.Vessel {
	o := new(object)
	if !d.object(o, n, path, vesselFields) {
		return nil
	}
	v := &tradeplan.Vessel{}
	v.Name, _, _ = d.str(o, "name")
	if s, vn, ok := d.str(o, "imo"); ok {
		imo, msg := checkIMO(s)
		if d.check(o, "imo", msg, vn) {
			v.IMO = imo
		}
	}
	v.Flag = d.country(o, "flag")
	if !o.has("name") && !o.has("imo") && !o.has("flag") {
		d.add(o.node, path, "expected a name, an imo or a flag; found none")
	}
	return v
}
