package feasibility

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
	"go.yaml.in/yaml/v3"
)

// The fields each mapping of a site file accepts; docs/sites.schema.json
// names the same (schema_test.go).
var (
	fileFields    = []string{"policy", "shift_patterns", "sites"}
	policyFields  = []string{"max_hours_per_day", "max_hours_per_week", "days_per_week", "absence"}
	siteFields    = []string{"id", "name", "workers", "power", "storage", "policy", "stock", "supply", "processes"}
	powerFields   = []string{"kwh_per_day"}
	storageFields = []string{"capacity", "unit"}
	stockFields   = []string{"item", "quantity", "unit", "received", "shelf_days"}
	supplyFields  = []string{"item", "month", "date", "quantity", "unit", "shelf_days"}
	processFields = []string{"id", "input", "output", "hs", "unit", "yield", "lines", "rate", "availability", "crew", "kwh_per_tonne", "kwh_per_unit"}
)

// schemaFields maps each object of the schema, by its path, to its fields.
func schemaFields() map[string][]string {
	return map[string][]string{
		"":                    fileFields,
		"policy":              policyFields,
		"sites[]":             siteFields,
		"sites[].power":       powerFields,
		"sites[].storage":     storageFields,
		"sites[].policy":      policyFields,
		"sites[].stock[]":     stockFields,
		"sites[].supply[]":    supplyFields,
		"sites[].processes[]": processFields,
	}
}

// DefaultPolicy is the policy of a site file that states none.
var DefaultPolicy = Policy{MaxHoursPerDay: 8, MaxHoursPerWeek: 48, DaysPerWeek: 6, Absence: 0}

// DefaultPatterns are the shift patterns of a site file that lists none.
var DefaultPatterns = []Pattern{{1, 8}, {2, 8}, {3, 8}}

// MaxPatterns is the most shift patterns a site file may list: each is
// tried for every line.
const MaxPatterns = 24

// MaxFileSize is the largest site file Read accepts.
const MaxFileSize = 8 << 20

// Read reads a site file in YAML or JSON (f) from r.
func Read(r io.Reader, file string, f plan.Format) (*Sites, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(data) > MaxFileSize {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "%s: larger than %d MiB", file, MaxFileSize>>20)
	}
	return Parse(data, file, f)
}

// Parse parses and validates a site file. Every problem is reported at
// once in an EInvalid *tradeplan.Error, each at FILE:LINE:COLUMN and its
// path (sites[2].processes[1].yield); then no Sites is returned.
func Parse(data []byte, file string, f plan.Format) (*Sites, error) {
	if f != plan.YAML && f != plan.JSON {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "%s: a site file is YAML or JSON, not %s", file, f)
	}
	root, probs := plan.Tree(data, file, f)
	if len(probs) > 0 {
		return nil, probs.Err(file)
	}
	p := &parser{file: file}
	s := p.file_(root)
	if len(p.probs) > 0 {
		sort.SliceStable(p.probs, func(i, j int) bool {
			a, b := p.probs[i].Pos, p.probs[j].Pos
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Column < b.Column
		})
		if len(p.probs) > maxProblems {
			n := len(p.probs) - maxProblems
			p.probs = p.probs[:maxProblems]
			p.probs.Add(tradeplan.Position{File: file}, "", "%d more problems not shown", n)
		}
		return nil, p.probs.Err(file)
	}
	s.File = file
	for _, st := range s.Sites {
		st.allow(s.Patterns)
	}
	return s, nil
}

const maxProblems = 1000

type parser struct {
	file  string
	probs tradeplan.Problems
}

func (p *parser) pos(n *yaml.Node, path string) tradeplan.Position {
	return tradeplan.Position{File: p.file, Line: n.Line, Column: n.Column, Path: path}
}

func (p *parser) add(n *yaml.Node, path, format string, args ...any) {
	if len(p.probs) > maxProblems {
		return
	}
	p.probs.Add(p.pos(n, path), "", format, args...)
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

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
		return "the string " + strconv.Quote(n.Value)
	}
	return "an alias"
}

// obj is one mapping of the file: its fields by name.
type obj struct {
	node   *yaml.Node
	path   string
	fields map[string]*yaml.Node
}

// object reads n as a mapping of the allowed fields; unknown and repeated
// fields are problems. ok is false when n is not a mapping.
func (p *parser) object(n *yaml.Node, path string, allowed []string) (*obj, bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		if n == nil {
			return nil, false
		}
		p.add(n, path, "expected a mapping with %s; found %s", strings.Join(allowed, ", "), kind(n))
		return nil, false
	}
	o := &obj{node: n, path: path, fields: map[string]*yaml.Node{}}
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.add(k, path, "expected a field name; found %s", kind(k))
			continue
		}
		if k.Tag == "!!merge" {
			p.add(k, path, "merge keys (<<) are not taken in a site file; write the fields out")
			continue
		}
		if !slices.Contains(allowed, k.Value) {
			p.add(k, join(path, k.Value), "unknown field; expected one of %s", strings.Join(allowed, ", "))
			continue
		}
		if l, dup := first[k.Value]; dup {
			p.add(k, join(path, k.Value), "repeated field (first at line %d)", l)
			continue
		}
		first[k.Value] = k.Line
		o.fields[k.Value] = v
	}
	return o, true
}

func (o *obj) has(f string) bool {
	n := o.fields[f]
	return !isNull(n) && !(n.Kind == yaml.ScalarNode && strings.TrimSpace(n.Value) == "")
}

func (p *parser) required(o *obj, f, why string) {
	msg := "required"
	if why != "" {
		msg += " " + why
	}
	p.add(o.node, join(o.path, f), "%s", msg)
}

// str reads a single-line text field; ok is false when absent or bad.
func (p *parser) str(o *obj, f string, need bool) (string, *yaml.Node, bool) {
	if !o.has(f) {
		if need {
			p.required(o, f, "")
		}
		return "", nil, false
	}
	n := o.fields[f]
	if n.Kind != yaml.ScalarNode {
		p.add(n, join(o.path, f), "expected a single value; found %s", kind(n))
		return "", n, false
	}
	s := strings.TrimSpace(n.Value)
	if msg := tradeplan.CheckText(s, false); msg != "" {
		p.add(n, join(o.path, f), "%s", msg)
		return "", n, false
	}
	return s, n, true
}

// num reads a number field within [lo, hi] (loOpen: above lo).
func (p *parser) num(o *obj, f string, need bool, lo float64, loOpen bool, hi float64) (float64, bool) {
	if !o.has(f) {
		if need {
			p.required(o, f, "")
		}
		return 0, false
	}
	n := o.fields[f]
	path := join(o.path, f)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!bool" || n.Tag == "!!null" {
		p.add(n, path, "expected a number; found %s", kind(n))
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(n.Value), "_", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.add(n, path, "expected a number; found %s", kind(n))
		return 0, false
	}
	switch {
	case loOpen && v <= lo:
		p.add(n, path, "expected a number above %s; found %s", fig(lo), n.Value)
		return 0, false
	case !loOpen && v < lo:
		p.add(n, path, "expected a number of at least %s; found %s", fig(lo), n.Value)
		return 0, false
	case v > hi:
		p.add(n, path, "expected a number of at most %s; found %s", fig(hi), n.Value)
		return 0, false
	}
	return v, true
}

// integer reads a whole-number field within [lo, hi].
func (p *parser) integer(o *obj, f string, need bool, lo, hi int) (int, bool) {
	v, ok := p.num(o, f, need, float64(lo), false, float64(hi))
	if !ok {
		return 0, false
	}
	if v != math.Trunc(v) {
		p.add(o.fields[f], join(o.path, f), "expected a whole number; found %s", o.fields[f].Value)
		return 0, false
	}
	return int(v), true
}

func (p *parser) list(o *obj, f string, need bool) []*yaml.Node {
	if !o.has(f) {
		if need {
			p.required(o, f, "")
		}
		return nil
	}
	n := o.fields[f]
	if n.Kind != yaml.SequenceNode {
		p.add(n, join(o.path, f), "expected a list; found %s", kind(n))
		return nil
	}
	return n.Content
}

var (
	idRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	patternRE = regexp.MustCompile(`^([1-9])\s*[xX×]\s*([0-9]+(?:\.[0-9]+)?)$`)
	monthRE   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}$`)
)

// maxQuantity bounds every quantity and figure: tradeplan.MaxAmount.
const maxQuantity = tradeplan.MaxAmount

func (p *parser) file_(root *yaml.Node) *Sites {
	s := &Sites{Policy: DefaultPolicy, Patterns: DefaultPatterns}
	o, ok := p.object(root, "", fileFields)
	if !ok {
		return s
	}
	if o.has("policy") {
		s.Policy = p.policy(o.fields["policy"], "policy", DefaultPolicy)
	}
	if o.has("shift_patterns") {
		s.Patterns = nil
		seen := map[Pattern]bool{}
		pats := p.list(o, "shift_patterns", false)
		if len(pats) > MaxPatterns {
			p.add(o.fields["shift_patterns"], "shift_patterns", "expected at most %d shift patterns; found %d", MaxPatterns, len(pats))
			pats = nil
		}
		for i, n := range pats {
			path := fmt.Sprintf("shift_patterns[%d]", i+1)
			n = deref(n)
			m := patternRE.FindStringSubmatch(strings.TrimSpace(n.Value))
			if n.Kind != yaml.ScalarNode || m == nil {
				p.add(n, path, "expected a shift pattern NxH (N shifts of H hours a day, e.g. 2x10); found %s", kind(n))
				continue
			}
			sh, _ := strconv.Atoi(m[1])
			h, _ := strconv.ParseFloat(m[2], 64)
			pt := Pattern{sh, h}
			switch {
			case h <= 0 || h > 24:
				p.add(n, path, "expected shifts of more than 0 and at most 24 hours; found %s", n.Value)
			case float64(sh)*h > 24:
				p.add(n, path, "expected at most 24 hours of shifts a day; found %s (%s hours)", n.Value, fig(float64(sh)*h))
			case seen[pt]:
				p.add(n, path, "repeated shift pattern %s", pt)
			default:
				seen[pt] = true
				s.Patterns = append(s.Patterns, pt)
			}
		}
		if len(s.Patterns) == 0 && len(p.probs) == 0 {
			p.add(o.fields["shift_patterns"], "shift_patterns", "expected at least one shift pattern")
		}
	}
	ids := map[string]int{}
	sites := p.list(o, "sites", true)
	if o.has("sites") && len(sites) == 0 {
		p.add(o.fields["sites"], "sites", "expected at least one site; found an empty list")
	}
	for i, n := range sites {
		st, ok := p.site(n, fmt.Sprintf("sites[%d]", i+1), s.Policy)
		if st == nil || st.ID == "" {
			continue
		}
		key := strings.ToLower(st.ID)
		if l, dup := ids[key]; dup {
			p.add(deref(n), fmt.Sprintf("sites[%d].id", i+1), "repeated site id %q (first at line %d)", st.ID, l)
			continue
		}
		ids[key] = st.Pos.Line
		if ok {
			s.Sites = append(s.Sites, st)
		}
	}
	return s
}

func (p *parser) policy(n *yaml.Node, path string, base Policy) Policy {
	pol := base
	o, ok := p.object(n, path, policyFields)
	if !ok {
		return pol
	}
	if v, ok := p.num(o, "max_hours_per_day", false, 0, true, 24); ok {
		pol.MaxHoursPerDay = v
	}
	if v, ok := p.num(o, "max_hours_per_week", false, 0, true, 168); ok {
		pol.MaxHoursPerWeek = v
	}
	if v, ok := p.integer(o, "days_per_week", false, 1, 7); ok {
		pol.DaysPerWeek = v
	}
	if v, ok := p.num(o, "absence", false, 0, false, 0.95); ok {
		pol.Absence = v
	}
	return pol
}

// site reads one site; ok is false when it has problems (the site is
// then returned for its id only, or nil).
func (p *parser) site(n *yaml.Node, path string, pol Policy) (*Site, bool) {
	o, ok := p.object(n, path, siteFields)
	if !ok {
		return nil, false
	}
	st := &Site{Pos: p.pos(o.node, path), Policy: pol, unitOfItems: map[string]string{}}
	before := len(p.probs)
	if id, v, ok := p.str(o, "id", true); ok {
		if !idRE.MatchString(id) {
			p.add(v, join(path, "id"), "expected an id of letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit); found %q", id)
		}
		st.ID = id
	}
	st.Name, _, _ = p.str(o, "name", false)
	if v, ok := p.num(o, "workers", true, 0, false, 1e7); ok {
		st.Workers = v
	}
	if o.has("power") {
		if po, ok := p.object(o.fields["power"], join(path, "power"), powerFields); ok {
			if v, ok := p.num(po, "kwh_per_day", true, 0, false, maxQuantity); ok {
				st.KWhPerDay, st.PowerGiven = v, true
			}
		}
	}
	if o.has("storage") {
		p.storage(st, o.fields["storage"], join(path, "storage"))
	}
	if o.has("policy") {
		st.Policy = p.policy(o.fields["policy"], join(path, "policy"), pol)
	}
	for i, r := range p.list(o, "stock", false) {
		p.receipt(st, r, fmt.Sprintf("%s.stock[%d]", path, i+1), true)
	}
	for i, r := range p.list(o, "supply", false) {
		p.receipt(st, r, fmt.Sprintf("%s.supply[%d]", path, i+1), false)
	}
	procs := p.list(o, "processes", true)
	if o.has("processes") && len(procs) == 0 {
		p.add(o.fields["processes"], join(path, "processes"), "expected at least one process; found an empty list")
	}
	pids := map[string]int{}
	for i, r := range procs {
		pr := p.process(st, r, fmt.Sprintf("%s.processes[%d]", path, i+1))
		if pr == nil {
			continue
		}
		if l, dup := pids[strings.ToLower(pr.ID)]; dup {
			p.add(deref(r), fmt.Sprintf("%s.processes[%d].id", path, i+1), "repeated process id %q (first at line %d)", pr.ID, l)
			continue
		}
		pids[strings.ToLower(pr.ID)] = pr.Pos.Line
		st.Processes = append(st.Processes, pr)
	}
	return st, len(p.probs) == before
}

// storage reads a site's storage: the most, in tonnes, of its input items
// counted by mass that it can hold at once.
func (p *parser) storage(st *Site, n *yaml.Node, path string) {
	o, ok := p.object(n, path, storageFields)
	if !ok {
		return
	}
	q, qok := p.num(o, "capacity", true, 0, true, maxQuantity)
	f := 1.0
	if s, v, ok := p.str(o, "unit", false); ok {
		u, found := tradeplan.LookupUnit(s)
		switch {
		case !found:
			p.add(v, join(path, "unit"), "unknown unit %q", s)
			return
		case u.Dimension != tradeplan.Mass:
			p.add(v, join(path, "unit"), "expected a unit of mass (t, kg): storage holds the items counted by mass; found %q", s)
			return
		}
		_, f = canonical(u)
	}
	if qok {
		st.StorageT, st.StorageGiven = q*f, true
	}
}

// canonical returns the unit quantities of a unit's dimension are kept in
// (t for mass, the dimension's base unit otherwise) and the factor from u.
func canonical(u tradeplan.Unit) (string, float64) {
	if u.Dimension == tradeplan.Mass {
		return "t", u.Base.Float64() / 1000
	}
	for _, c := range tradeplan.Units() {
		if c.Dimension == u.Dimension && c.Base.Float64() == 1 {
			return c.Symbol, u.Base.Float64()
		}
	}
	return u.Symbol, 1
}

func (p *parser) receipt(st *Site, n *yaml.Node, path string, stock bool) {
	fields := supplyFields
	if stock {
		fields = stockFields
	}
	o, ok := p.object(n, path, fields)
	if !ok {
		return
	}
	before := len(p.probs)
	r := Receipt{Stock: stock, Pos: p.pos(o.node, path)}
	r.Item, _, _ = p.str(o, "item", true)
	q, _ := p.num(o, "quantity", true, 0, false, maxQuantity)
	unit := "t"
	if s, v, ok := p.str(o, "unit", false); ok {
		u, found := tradeplan.LookupUnit(s)
		if !found {
			p.add(v, join(path, "unit"), "unknown unit %q", s)
		} else {
			var f float64
			unit, f = canonical(u)
			q *= f
		}
	}
	r.Quantity, r.Unit = q, unit
	if r.Item != "" {
		key := itemKey(r.Item)
		if u0, ok := st.unitOfItems[key]; ok && u0 != unit {
			p.add(o.node, join(path, "unit"), "item %q is counted in %s elsewhere at this site; found %s", r.Item, u0, unit)
		} else {
			st.unitOfItems[key] = unit
		}
	}
	if v, ok := p.integer(o, "shelf_days", false, 1, 3650); ok {
		r.ShelfDays = v
	}
	if stock {
		if s, v, ok := p.str(o, "received", false); ok {
			t, err := plan.ParseDate(s)
			if err != nil {
				p.add(v, join(path, "received"), "%s", tradeplan.ErrorMessage(err))
			}
			r.At = t
		}
	} else {
		ms, mn, mok := p.str(o, "month", false)
		ds, dn, dok := p.str(o, "date", false)
		switch {
		case mok && dok:
			p.add(dn, join(path, "date"), "expected a month or a date; found both")
		case mok:
			t, err := time.Parse("2006-01", ms)
			if err != nil || !monthRE.MatchString(ms) {
				p.add(mn, join(path, "month"), "expected a month YYYY-MM; found %q", ms)
			}
			r.At = t
		case dok:
			t, err := plan.ParseDate(ds)
			if err != nil {
				p.add(dn, join(path, "date"), "%s", tradeplan.ErrorMessage(err))
			}
			r.At = t
		case mn == nil && dn == nil:
			p.required(o, "month", "(or date): when the supply arrives")
		}
	}
	if len(p.probs) == before {
		st.Receipts = append(st.Receipts, r)
	}
}

func itemKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func (p *parser) process(st *Site, n *yaml.Node, path string) *Process {
	o, ok := p.object(n, path, processFields)
	if !ok {
		return nil
	}
	before := len(p.probs)
	pr := &Process{Pos: p.pos(o.node, path), Unit: "t"}
	if id, v, ok := p.str(o, "id", true); ok {
		if !idRE.MatchString(id) {
			p.add(v, join(path, "id"), "expected an id of letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit); found %q", id)
		}
		pr.ID = id
	}
	pr.Input, _, _ = p.str(o, "input", true)
	pr.Output, _, _ = p.str(o, "output", false)
	if s, v, ok := p.str(o, "hs", false); ok {
		d := strings.NewReplacer(".", "", " ", "").Replace(s)
		if len(d) < 2 || len(d) > 10 || len(d)%2 != 0 || strings.Trim(d, "0123456789") != "" {
			p.add(v, join(path, "hs"), "expected an HS code of 2 to 10 digits (e.g. \"6704\" or \"0306.17\"); found %q", s)
		}
		pr.HS = d
	}
	if !o.has("output") && !o.has("hs") {
		p.add(o.node, join(path, "output"), "required: a process without an output (give output, hs or both) matches no export line")
	}
	if s, v, ok := p.str(o, "unit", false); ok {
		if u, found := tradeplan.LookupUnit(s); !found {
			p.add(v, join(path, "unit"), "unknown unit %q", s)
		} else {
			pr.Unit, _ = canonical(u)
		}
	}
	pr.InputUnit = "t"
	if u, ok := st.unitOfItems[itemKey(pr.Input)]; ok {
		pr.InputUnit = u
	}
	if v, ok := p.num(o, "yield", false, 0, true, 1e6); ok {
		pr.Yield = v
	}
	if v, ok := p.integer(o, "lines", true, 1, 100000); ok {
		pr.Lines = v
	}
	if v, ok := p.num(o, "rate", true, 0, true, maxQuantity); ok {
		pr.Rate = v
	}
	pr.Availability = 1
	if v, ok := p.num(o, "availability", false, 0, true, 1); ok {
		pr.Availability = v
	}
	if v, ok := p.integer(o, "crew", true, 1, 100000); ok {
		pr.Crew = v
	}
	kt, kton := p.num(o, "kwh_per_tonne", false, 0, false, maxQuantity)
	ku, kuok := p.num(o, "kwh_per_unit", false, 0, false, maxQuantity)
	switch {
	case kton && kuok:
		p.add(o.fields["kwh_per_unit"], join(path, "kwh_per_unit"), "expected kwh_per_tonne or kwh_per_unit; found both")
	case kton && pr.Unit != "t":
		p.add(o.fields["kwh_per_tonne"], join(path, "kwh_per_tonne"), "the output is counted in %s, not by weight: give kwh_per_unit", pr.Unit)
	case kton:
		pr.KWhPerOutput = kt
	case kuok:
		pr.KWhPerOutput = ku
	default:
		pr.KWhPerOutput = -1 // from the defaults, if any
	}
	if !o.has("yield") {
		pr.Yield = -1
	}
	if pr.Yield < 0 || pr.KWhPerOutput < 0 {
		applyDefaults(pr)
		if pr.Yield < 0 {
			p.add(o.node, join(path, "yield"), "required: no default yield for %s", pr.describe())
		}
		if pr.KWhPerOutput < 0 && st.PowerGiven {
			p.add(o.node, join(path, "kwh_per_tonne"), "required when the site's power is limited: no default for %s", pr.describe())
		}
		if pr.KWhPerOutput < 0 {
			pr.KWhPerOutput = 0 // power not limited at this site
		}
	}
	if len(p.probs) > before {
		return nil
	}
	return pr
}

func (pr *Process) describe() string {
	switch {
	case pr.HS != "" && pr.Output != "":
		return fmt.Sprintf("%q (HS %s)", pr.Output, pr.HS)
	case pr.HS != "":
		return "HS " + pr.HS
	}
	return strconv.Quote(pr.Output)
}

// fig writes a figure without trailing zeros.
func fig(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
