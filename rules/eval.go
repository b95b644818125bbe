package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
)

// link is how a line relates to a target country.
type link struct {
	from, to              bool
	fromVia, toVia        *via // why; nil without the flow
	fromInferred, toInfer bool // the flow is assumed, not established
	any                   bool
}

// connect works out whether goods leave the target (from) or go to it (to).
//
//   - from: the origin is the target; or an import line's partner is in the
//     target (the goods are sold by it); or the vessel flies the target's
//     flag and the goods do not go into the target (the resolutions bar
//     transfers "using its flag vessels", whether or not the goods originate
//     there).
//   - to: the destination is the target; or an export line's partner is in
//     the target; or, assumed, the vessel flies the target's flag and the goods
//     do not come from the target (goods loaded on its ships reach it).
//   - a partner in the target on a line whose direction is unknown: both
//     flows are assumed.
//   - a crossing that names a place in the target (a port such as Rajin),
//     on a line whose origin and destination are elsewhere: the goods pass
//     through the target, and both flows are assumed.
//
// An assumed flow never yields prohibited on its own: such findings are
// review, saying why.
func connect(l *tradeplan.Line, ti *targetIndex) link {
	t, w := ti.target, ti.words
	var k link
	if l.Origin == t {
		k.from, k.fromVia = true, &w.origin
	}
	if l.Destination == t {
		k.to, k.toVia = true, &w.destination
	}
	if l.Partner != nil && l.Partner.Country == t {
		switch l.Direction {
		case tradeplan.Import:
			if !k.from {
				k.from, k.fromVia = true, &w.partnerImport
			}
		case tradeplan.Export:
			if !k.to {
				k.to, k.toVia = true, &w.partnerExport
			}
		default:
			if !k.from && !k.to {
				k.from, k.fromVia, k.fromInferred = true, &w.partnerUnknownFrom, true
				k.to, k.toVia, k.toInfer = true, &w.partnerUnknownTo, true
			}
		}
	}
	if l.Vessel != nil && l.Vessel.Flag == t {
		if !k.from && l.Destination != t {
			k.from, k.fromVia = true, &w.vesselFrom
		}
		if !k.to && l.Origin != t {
			k.to, k.toVia, k.toInfer = true, &w.vesselTo, true
		}
	}
	if l.Origin != t && l.Destination != t && ti.throughPlace(l) {
		if !k.from {
			k.from, k.fromVia, k.fromInferred = true, &w.transitFrom, true
		}
		if !k.to {
			k.to, k.toVia, k.toInfer = true, &w.transitTo, true
		}
	}
	k.any = k.from || k.to
	return k
}

// throughPlace reports whether the line's crossing names one of the
// target's places.
func (ti *targetIndex) throughPlace(l *tradeplan.Line) bool {
	if ti.places.match == nil || blank(l.Crossing) {
		return false
	}
	txt := newText(l.Crossing)
	st, _ := ti.places.check(&txt, false)
	return st == termsPass
}

// via is a reason connect gives for a flow.
type via struct {
	why  string // "origin KP"
	flow string // "goods leave KP (origin KP", as explanations put it
}

// viaWords are the reasons connect gives, made once per target.
type viaWords struct {
	origin, partnerImport, partnerUnknownFrom, vesselFrom, transitFrom via // goods leave the target
	destination, partnerExport, partnerUnknownTo, vesselTo, transitTo  via // goods go to it
}

func newViaWords(t string) *viaWords {
	from := func(why string) via { return via{why: why, flow: "goods leave " + t + " (" + why} }
	to := func(why string) via { return via{why: why, flow: "goods go to " + t + " (" + why} }
	unknown := "partner in " + t + ", line direction unknown"
	return &viaWords{
		origin:             from("origin " + t),
		partnerImport:      from("partner in " + t + " on an import line"),
		partnerUnknownFrom: from(unknown),
		vesselFrom:         from("vessel flagged " + t + ": a transfer using its flag vessels"),
		destination:        to("destination " + t),
		partnerExport:      to("partner in " + t + " on an export line"),
		partnerUnknownTo:   to(unknown),
		vesselTo:           to("vessel flagged " + t + ", goods may be supplied to " + t),
		transitFrom:        from("crossing in " + t + ": the goods pass through " + t + " and may be transferred from it"),
		transitTo:          to("crossing in " + t + ": the goods pass through " + t + " and may be supplied to it"),
	}
}

// lineDate is the day a line is screened for: its shipment date when it has
// one, else the as-of date, else today (UTC).
func lineDate(g *tradeplan.GoodsLine) (time.Time, string) {
	if g.Line != nil && !g.Line.Date.IsZero() {
		return day(g.Line.Date), "shipment date"
	}
	if !g.AsOf.IsZero() {
		return day(g.AsOf), "as-of date"
	}
	return day(time.Now()), "today"
}

func day(t time.Time) time.Time {
	if t.Location() == time.UTC {
		// The same day as below at a fraction of the cost: a UTC day is
		// a whole number of days since 1970.
		return time.Unix(dayNumber(t)*86400, 0).UTC()
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ScreenGoods screens one line against every pack whose target the line
// relates to. Findings are in rule order; each names its rule, citation,
// status, notes and what is missing. It implements tradeplan.GoodsScreener.
func (e *Engine) ScreenGoods(g tradeplan.GoodsLine) []tradeplan.Finding {
	if !e.relates(g.Line) {
		return nil // most lines: no target country is involved
	}
	// Most lines have one or two findings, a line whose words read under
	// other codes a few more: they are gathered on the stack and kept
	// whole, not grown on the heap and thrown away.
	var buf [8]tradeplan.Finding
	b := getBlock()
	out, code := e.screen(&g, nil, buf[:0], b)
	if len(g.Alternatives) > 0 && code.n > 0 {
		out = e.alternatives(&g, code.String(), out, b)
	}
	kept := b.keep(out) // out may be buf: only kept leaves
	b.release()
	return kept
}

// relates reports whether a line names a target country as its origin,
// destination, partner's country or vessel's flag: what connect needs to
// find any flow.
func (e *Engine) relates(l *tradeplan.Line) bool {
	if l == nil {
		return false
	}
	for _, ti := range e.targets {
		t := ti.target
		if l.Origin == t || l.Destination == t || l.Partner != nil && l.Partner.Country == t || l.Vessel != nil && l.Vessel.Flag == t {
			return true
		}
		if l.Crossing != "" && ti.throughPlace(l) {
			return true
		}
	}
	return false
}

// ev is the state of one evaluation.
type ev struct {
	e        *Engine
	hs       string // the code as given
	l        *tradeplan.Line
	date     time.Time
	dayNum   int64  // dayNumber(date)
	c        hsCode // the code screened
	code     string // c as a string, once needed
	dot      string // c with its dot, once needed
	cut      bool
	desc     text // the description, prepared once needed
	descDone bool
	all      text // description, purpose and crossing, prepared once needed
	allDone  bool
	ex       string // the exemption reference cited, trimmed
	x        *Explanation
	b        *block // holds the findings' text, note lists and cap uses
}

func (v *ev) codeText() string {
	if v.code == "" {
		if len(v.hs) == v.c.n {
			v.code = v.hs // given as digits only
		} else {
			v.code = v.c.String()
		}
	}
	return v.code
}

func (v *ev) dotted() string {
	if v.dot == "" {
		if !v.cut && len(v.hs) == 7 && v.hs[4] == '.' {
			v.dot = v.hs // given as the nomenclature writes it
		} else {
			v.dot = dotted(v.codeText())
		}
	}
	return v.dot
}

// terms checks the line's description against t. Most rules and entries
// have no terms: the description is prepared only for those that do.
func (v *ev) terms(t *Terms) (termResult, string) {
	if t.empty() {
		return termsPass, ""
	}
	return t.check(v.description(), v.x != nil)
}

func (v *ev) description() *text {
	if !v.descDone {
		v.descDone = true
		if !blank(v.l.Description) {
			v.desc = newText(v.l.Description)
		}
	}
	return &v.desc
}

func (v *ev) allText() *text {
	if v.l.Purpose == "" && v.l.Crossing == "" {
		// Terms match within the description alone: the separators add
		// no word.
		return v.description()
	}
	if !v.allDone {
		v.allDone = true
		v.all = newText(v.l.Description + " | " + v.l.Purpose + " | " + v.l.Crossing)
	}
	return &v.all
}

// screen appends the line's findings to out. Their text, note lists and cap
// uses are held in b.
func (e *Engine) screen(g *tradeplan.GoodsLine, x *Explanation, out []tradeplan.Finding, b *block) ([]tradeplan.Finding, hsCode) {
	if g.Line == nil {
		return out, hsCode{}
	}
	v := ev{e: e, hs: g.HS, l: g.Line, x: x, b: b}
	codeChecked := false
	for _, ti := range e.targets {
		k := connect(g.Line, ti)
		if x != nil {
			x.addLink(ti, k)
		}
		if !k.any {
			if x != nil {
				v.otherCountry(ti)
			}
			continue
		}
		if !codeChecked {
			codeChecked = true
			if blank(g.HS) {
				return append(out, noCode(ti, k)), hsCode{}
			}
			c, cut, ok := parseCode(g.HS)
			if !ok {
				return append(out, badCode(g.HS, ti)), hsCode{}
			}
			v.c, v.cut = c, cut
			// Only lines that relate to a target get this far: most lines
			// never pay for the date or the exemption.
			v.date, _ = lineDate(g)
			v.dayNum = dayNumber(v.date)
			v.ex = strings.TrimSpace(g.Line.Exemption)
			if x != nil {
				x.HS = v.codeText()
				if cut {
					x.HSNote = "national code " + g.HS + " cut to HS6 " + v.dotted()
				}
			}
		}
		out = v.screenTarget(ti, k, out)
	}
	return out, v.c
}

// blank is strings.TrimSpace(s) == "", quick when s starts with a
// printable ASCII character, as codes and descriptions do.
func blank(s string) bool {
	if s != "" && s[0] > ' ' && s[0] < utf8.RuneSelf {
		return false
	}
	return strings.TrimSpace(s) == ""
}

func targetsRegimes(ti *targetIndex) string {
	var names []string
	for _, pk := range ti.packs {
		names = append(names, pk.Regime)
	}
	return strings.Join(names, ", ")
}

func noCode(ti *targetIndex, k link) tradeplan.Finding {
	via := k.fromVia
	if via == nil {
		via = k.toVia
	}
	return tradeplan.Finding{
		Kind:    tradeplan.KindClassification,
		Outcome: tradeplan.Review,
		Summary: "HS code needed: the line relates to " + ti.target + " (" + via.why + ") and the goods rules of " + targetsRegimes(ti) + " depend on the code",
		Missing: []string{"HS code"},
	}
}

func badCode(code string, ti *targetIndex) tradeplan.Finding {
	return tradeplan.Finding{
		Kind:    tradeplan.KindClassification,
		Outcome: tradeplan.Review,
		Summary: "HS code " + strconv.Quote(code) + " is not an HS code (want 2, 4 or 6 digits, or a national code of 8 to 10); the goods rules of " + targetsRegimes(ti) + " cannot be applied",
		Missing: []string{"valid HS code"},
	}
}

type hit struct {
	rf      ref
	partial bool // the line's code is coarser than the entry
}

// screenTarget evaluates the rules of one target's index for the line.
func (v *ev) screenTarget(ti *targetIndex, k link, out []tradeplan.Finding) []tradeplan.Finding {
	c := &v.c
	var buf [8]hit
	hits := buf[:0]
	for L := 2; L <= c.n; L += 2 {
		for _, rf := range ti.exact[L/2-1].get(c.key(L)) {
			if !v.ruledOut(rf.rule, k) {
				hits = append(hits, hit{rf: rf})
			}
		}
	}
	if L := c.n; L < 6 {
		for _, rf := range ti.finer[L/2-1].get(c.key(L)) {
			if !v.ruledOut(rf.rule, k) {
				hits = append(hits, hit{rf: rf, partial: true})
			}
		}
	}
	// Stable order by rule, full hits before partial ones.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hitLess(hits[j], hits[j-1]); j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var seen map[*Rule]bool
	if v.x != nil {
		seen = map[*Rule]bool{}
	}
	for i := 0; i < len(hits); {
		r := hits[i].rf.rule
		j := i
		for j < len(hits) && hits[j].rf.rule == r {
			j++
		}
		if seen != nil {
			seen[r] = true
		}
		out = v.rule(r, hits[i:j], k, out)
		i = j
	}
	if v.x != nil {
		v.sameChapter(ti, seen)
	}
	return out
}

// ruledOut reports a rule that cannot apply to the line whatever its
// entries: one not in force, for the other flow, or for cited exemptions on
// a line that cites none; match would turn it down first thing. The rules
// over every chapter meet every line: ruling them out before their hits
// are gathered and sorted saves most of their cost. An explanation gathers
// them all, to say why they do not apply.
func (v *ev) ruledOut(r *Rule, k link) bool {
	if v.x != nil {
		return false
	}
	return !r.inForceOn(v.dayNum) || !(r.leaves && k.from || r.enters && k.to) || r.exemptionOnly && v.ex == ""
}

func hitLess(a, b hit) bool {
	if a.rf.rule.seq != b.rf.rule.seq {
		return a.rf.rule.seq < b.rf.rule.seq
	}
	if a.partial != b.partial {
		return !a.partial
	}
	return a.rf.spec < b.rf.spec
}

// rule evaluates one rule given its index hits (all for the same rule).
func (v *ev) rule(r *Rule, hits []hit, k link, out []tradeplan.Finding) []tradeplan.Finding {
	var m match
	if !v.match(r, hits, k, &m) {
		return out
	}
	return v.findings(r, &m, out)
}

// match is how a rule applies to a line.
type match struct {
	spec     *GoodsSpec // the include entry the line falls under
	partial  bool       // the line's code is coarser than the entry
	via      *via       // the flow by which the rule reaches the line
	inferred bool       // that flow is assumed
	missing  []string   // facts the rule needs and the line lacks
	why      []string   // what else the explanation says: terms named, unit value
}

// match reports whether rule r applies to the line and, if so, fills m.
// Most rules a line meets do not apply: this decides cheaply, and says why
// in an explanation.
func (v *ev) match(r *Rule, hits []hit, k link, m *match) bool {
	if !r.inForceOn(v.dayNum) {
		if v.x != nil {
			v.near(r, fmt.Sprintf("not in force on %s (in force %s%s)", v.date.Format(dateLayout), r.effectiveText(), supersededText(r)))
		}
		return false
	}
	var ok bool
	m.via, m.inferred, ok = ruleFlow(r, k)
	if !ok {
		if v.x != nil {
			v.near(r, "wrong direction: the rule covers "+flowText(r)+"; "+lineFlowText(r.Pack.Target, k))
		}
		return false
	}
	if r.WhenExemptionCited && v.ex == "" {
		if v.x != nil {
			v.near(r, "applies only to lines that cite an exemption reference; none is cited")
		}
		return false
	}
	for _, x := range r.Exclude {
		if v.c.n >= x.Level() && x.Contains(v.codeText()) {
			if v.x != nil {
				v.near(r, "HS "+v.dotted()+" is excluded ("+specText(x)+")")
			}
			return false
		}
	}
	rt, reason := v.terms(&r.Description)
	switch rt {
	case termsFail, termsSkip:
		if v.x != nil {
			v.near(r, reason)
		}
		return false
	case termsMissing:
		m.missing = append(m.missing, reason)
	case termsPass:
		if reason != "" {
			m.why = append(m.why, reason)
		}
	}
	// Pick the entry: the first full hit whose description conditions hold;
	// else a partial hit (the code is too coarse to tell).
	var specReason string
	var specMissing string
	for _, h := range hits {
		s := &r.Include[h.rf.spec]
		st, rs := v.terms(&s.Description)
		if st == termsFail || st == termsSkip {
			if specReason == "" {
				specReason = rs
			}
			continue
		}
		if st == termsMissing && specMissing == "" {
			specMissing = rs
		}
		if st == termsMissing && m.spec != nil {
			continue
		}
		if m.spec == nil || (m.partial && !h.partial) {
			m.spec, m.partial = s, h.partial
			if st == termsMissing {
				specMissing = rs
			} else {
				specMissing = ""
				if rs != "" {
					m.why = append(m.why, rs)
				}
			}
		}
	}
	if m.spec == nil {
		if v.x != nil {
			v.near(r, "HS "+v.dotted()+" is within its codes, but "+specReason)
		}
		return false
	}
	if specMissing != "" {
		m.missing = append(m.missing, specMissing)
	}
	if m.partial {
		m.missing = append(m.missing, fmt.Sprintf("HS code at %d digits: the rule covers %s within %s", m.spec.Level(), specText(*m.spec), v.dotted()))
	}
	if t := r.UnitValue; t != nil {
		uv, above, miss := unitValue(v.l, t)
		switch {
		case miss != "":
			m.missing = append(m.missing, miss)
		case above <= 0:
			if v.x != nil {
				v.near(r, fmt.Sprintf("unit value %s %s per %s is not above the threshold of %s", num(uv), t.Currency, t.Per, num(t.Over)))
			}
			return false
		default:
			m.why = append(m.why, fmt.Sprintf("unit value %s %s per %s is above %s", num(uv), t.Currency, t.Per, num(t.Over)))
		}
	}
	return true
}

// findings appends the findings of a rule that applies: one, or one per cap.
func (v *ev) findings(r *Rule, m *match, out []tradeplan.Finding) []tradeplan.Finding {
	f := tradeplan.Finding{
		Kind:    tradeplan.KindGoods,
		Outcome: r.Outcome,
		Summary: r.Summary,
		Basis:   r.basis,
		Notes:   r.notes,
		Missing: m.missing,
	}
	if m.spec.Policy != "" {
		f.Basis = r.policyBasis
		f.Notes = m.spec.policyNotes
	}
	if v.cut {
		f.Notes = v.with(f.Notes, "national code "+v.hs+" screened as HS6 "+v.dotted())
	}
	if len(m.missing) > 0 && f.Outcome != tradeplan.Review {
		f.Outcome = tradeplan.Review
	}
	if r.Question != "" {
		f.Missing = v.with(f.Missing, r.Question)
		if f.Outcome != tradeplan.Review && f.Outcome != tradeplan.Prohibited {
			f.Outcome = tradeplan.Review
		}
	}
	if w := r.WindDown; w != nil && v.dayNum <= w.lastDay && f.Outcome == tradeplan.Prohibited {
		f.Outcome = tradeplan.Review
		f.Notes = v.with(f.Notes, w.note)
		f.Missing = v.with(f.Missing, w.missing)
	}
	if m.inferred && f.Outcome == tradeplan.Prohibited {
		f.Outcome = tradeplan.Review
		f.Notes = v.with(f.Notes, "flow assumed, not established ("+m.via.why+"): review, not prohibited, until the direction is known")
	}
	if v.ex != "" && !r.WhenExemptionCited {
		f.Outcome = tradeplan.Review
		f.Notes = v.with(f.Notes, "exemption "+strconv.Quote(v.ex)+" cited: the measure applies unless that exemption, as granted, covers this line; confirm before approval")
	}
	for i := range r.Exemptions {
		x := &r.Exemptions[i]
		if why, ok := v.exemptionMet(x, r.Pack.Target); ok {
			f.Outcome = tradeplan.Review
			f.Notes = v.with(f.Notes, "exemption "+x.ID+" may apply ("+why+"): "+x.Summary+"; confirm before approval")
		}
	}
	f.Explanation = v.explanation(r, m)

	if len(r.Caps) == 0 {
		v.matched(r, &f)
		return append(out, f)
	}
	for ci, c := range r.Caps {
		cf := f
		cf.Missing = m.missing
		cu := v.b.capUse()
		*cu = tradeplan.CapUse{Cap: c.ID, Limit: c.Limit, Unit: c.Unit}
		from, to, ok := c.Window(v.date)
		if !ok {
			cf.Outcome = tradeplan.Review
			cf.Notes = v.with(cf.Notes, "no window of cap "+c.ID+" ("+c.PeriodText()+") covers "+v.date.Format(dateLayout))
		} else {
			cu.From, cu.To = from, to
		}
		q, conv, miss := capQuantity(v.l, c)
		if conv != nil {
			cf.Notes = v.with(cf.Notes, v.conversionNote(q, c, conv))
		}
		if miss != "" {
			cf.Outcome = tradeplan.Review
			cf.Missing = v.with(cf.Missing, miss)
		} else {
			cu.Quantity = q
		}
		cf.Cap = cu
		cf.Summary = r.capSummary[ci]
		v.matched(r, &cf)
		out = append(out, cf)
	}
	return out
}

// explanation says how the line meets the rule: "HS 0305.69 is within
// chapter 03; goods leave KP (origin KP); in force from 2017-08-05". Only
// the code and the reasons in m.why are the line's own words: the rest was
// made with the rule or the target.
func (v *ev) explanation(r *Rule, m *match) string {
	within := " is within "
	if m.partial {
		within = " may fall within "
	}
	var buf [256]byte
	b := append(buf[:0], "HS "...)
	b = append(b, v.dotted()...)
	b = append(b, within...)
	b = append(b, m.spec.text...)
	b = append(b, "; "...)
	b = append(b, m.via.flow...)
	b = append(b, "); in force "...)
	b = append(b, r.effText...)
	for _, w := range m.why {
		b = append(b, "; "...)
		b = append(b, w...)
	}
	return v.b.str(b)
}

// with returns list with s added, in a slice of its own of exactly that
// length: list may be shared (a rule's notes, or a finding's notes copied
// into the finding of each of the rule's caps), and whatever is added to
// one finding's list must not show in another's.
func (v *ev) with(list []string, s string) []string {
	n := len(list) + 1
	out := v.b.strings(n)
	copy(out, list)
	out[n-1] = s
	return out
}

// ruleFlow picks the flow by which a rule reaches the line, preferring an
// established flow to an assumed one; v says why.
func ruleFlow(r *Rule, k link) (v *via, inferred, ok bool) {
	if r.leaves && k.from {
		v, inferred, ok = k.fromVia, k.fromInferred, true
	}
	if r.enters && k.to && (!ok || inferred && !k.toInfer) {
		v, inferred, ok = k.toVia, k.toInfer, true
	}
	return v, inferred, ok
}

func supersededText(r *Rule) string {
	if r.SupersededBy == "" {
		return ""
	}
	return "; superseded by " + r.SupersededBy
}

func flowText(r *Rule) string {
	t := r.Pack.Target
	switch r.Flow {
	case FromTarget:
		return "supply, sale or transfer from " + t
	case ToTarget:
		return "supply, sale or transfer to " + t
	}
	return "goods to or from " + t
}

func lineFlowText(t string, k link) string {
	switch {
	case k.from && k.to:
		return "the line moves goods both ways"
	case k.from:
		return "the goods leave " + t + " (" + k.fromVia.why + ")"
	case k.to:
		return "the goods go to " + t + " (" + k.toVia.why + ")"
	}
	return "the line does not relate to " + t
}

func (v *ev) exemptionMet(x *Exemption, target string) (string, bool) {
	var why []string
	if len(x.HS) > 0 {
		in := false
		for _, h := range x.HS {
			if v.c.n >= h.Level() && h.Contains(v.codeText()) {
				in = true
				why = append(why, "HS "+v.dotted()+" within "+specText(h))
				break
			}
		}
		if !in {
			return "", false
		}
	}
	if x.OriginNotTarget {
		if v.l.Origin == "" || v.l.Origin == target {
			return "", false
		}
		why = append(why, "origin "+v.l.Origin)
	}
	if x.Terms.needsText() || len(x.Terms.None) > 0 {
		st, rs := x.Terms.check(v.allText(), false)
		if st != termsPass {
			return "", false
		}
		if rs != "" {
			why = append(why, strings.TrimPrefix(rs, "the description "))
		}
	}
	return strings.Join(why, ", "), true
}

// unitValue is the line's value per threshold unit, rounded half-even to
// the currency's minor unit for the text, and how it compares with the
// threshold (exactly: value against threshold × quantity, no division);
// miss names what the line lacks to compute it.
func unitValue(l *tradeplan.Line, t *Threshold) (tradeplan.Decimal, int, string) {
	var zero tradeplan.Decimal
	if l.Value.Sign() <= 0 {
		return zero, 0, fmt.Sprintf("value in %s (for the threshold of %s %s per %s)", t.Currency, num(t.Over), t.Currency, t.Per)
	}
	if l.Currency != t.Currency {
		cur := l.Currency
		if cur == "" {
			cur = "none"
		}
		return zero, 0, fmt.Sprintf("value in %s (currency given: %s)", t.Currency, cur)
	}
	if l.Quantity.Sign() <= 0 || l.Unit == "" {
		return zero, 0, fmt.Sprintf("quantity in %s (for the value per unit)", t.Per)
	}
	q, err := tradeplan.ConvertUnit(l.Quantity, l.Unit, t.Per)
	if err != nil || q.Sign() <= 0 {
		return zero, 0, fmt.Sprintf("quantity in %s (unit given: %s)", t.Per, l.Unit)
	}
	uv, _ := l.Value.QuoRound(q, tradeplan.CurrencyPlaces(t.Currency))
	return uv, l.Value.Cmp(t.Over.Mul(q)), ""
}

// capQuantity converts a line's quantity (or value, for a value cap) into
// the cap's unit, rounded half-even to the unit's places
// (tradeplan.Convert).
func capQuantity(l *tradeplan.Line, c *Cap) (tradeplan.Decimal, *Conversion, string) {
	var zero tradeplan.Decimal
	if !c.quantity {
		if l.Value.Sign() <= 0 {
			return zero, nil, "value in " + c.Unit + " (for cap " + c.ID + ")"
		}
		if l.Currency != c.Unit {
			cur := l.Currency
			if cur == "" {
				cur = "none"
			}
			return zero, nil, "value in " + c.Unit + " for cap " + c.ID + " (currency given: " + cur + ")"
		}
		return l.Value, nil, ""
	}
	if l.Quantity.Sign() <= 0 || l.Unit == "" {
		return zero, nil, "quantity in " + c.Unit + " or a unit convertible to it (for cap " + c.ID + ")"
	}
	lu, ok := tradeplan.LookupUnit(l.Unit)
	if ok && lu.Dimension == c.unit.Dimension {
		return tradeplan.Convert(l.Quantity, lu, c.unit), nil, ""
	}
	if ok {
		for i := range c.Conversions {
			cv := &c.Conversions[i]
			if cv.from.Dimension != lu.Dimension {
				continue
			}
			return tradeplan.ConvertAcross(l.Quantity, lu, cv.from, cv.Factor, c.unit), cv, ""
		}
	}
	var conv []string
	for _, cv := range c.Conversions {
		conv = append(conv, cv.From)
	}
	hint := ""
	if len(conv) > 0 {
		hint = " or " + strings.Join(conv, ", ")
	}
	return zero, nil, "quantity in " + c.Unit + hint + " (unit given: " + l.Unit + ", which does not convert)"
}

// conversionNote says how a line's quantity was counted in a cap's unit:
// "1000 t counted as 8500 bbl at 8.5 bbl per t (note)". It is built on the
// stack and kept in the line's block: capped lines are common in a plan.
func (v *ev) conversionNote(q tradeplan.Decimal, c *Cap, cv *Conversion) string {
	l := v.l
	var buf [256]byte
	b := l.Quantity.Append(buf[:0])
	b = append(b, ' ')
	b = append(b, l.Unit...)
	b = append(b, " counted as "...)
	b = q.Append(b)
	b = append(b, ' ')
	b = append(b, c.Unit...)
	b = append(b, cv.text...)
	return v.b.str(b)
}

// num prints a figure exactly, without needless decimals: 500000, 7.62.
func num(f tradeplan.Decimal) string { return f.String() }

// alternatives compares the strictest goods outcome under each alternative
// code with the main code's, and adds a classification finding for every
// alternative that differs.
func (e *Engine) alternatives(g *tradeplan.GoodsLine, code string, out []tradeplan.Finding, b *block) []tradeplan.Finding {
	main, mainBy := strictest(out)
	for _, alt := range g.Alternatives {
		ac, _, ok := normCode(alt)
		if !ok || ac == code {
			continue
		}
		ag := tradeplan.GoodsLine{Line: g.Line, HS: ac, AsOf: g.AsOf}
		var abuf [2]tradeplan.Finding // read, then dropped: on the stack
		af, _ := e.screen(&ag, nil, abuf[:0], b)
		o, by := strictest(af)
		if o == main {
			if o == tradeplan.Prohibited && by != mainBy {
				// other goods the description names are banned by another
				// rule: it is cited too ("dried mushrooms, seafood and herbs")
				for _, f := range af {
					if f.Kind == tradeplan.KindGoods && f.Outcome == tradeplan.Prohibited && !citedIn(out, f.Citation()) {
						f.Notes = append(slices.Clip(f.Notes), "for the goods the description also names, read as HS "+dotted(ac))
						out = append(out, f)
					}
				}
			}
			continue
		}
		if g.WordsDecide && o == tradeplan.Prohibited {
			// The words are certain: their ban stands whatever code is
			// written, and no person's decision can clear it.
			for _, f := range af {
				if f.Kind == tradeplan.KindGoods && f.Outcome == tradeplan.Prohibited {
					f.Notes = append(slices.Clip(f.Notes), "the description reads as HS "+dotted(ac)+" with certainty; the code written, HS "+dotted(code)+", does not change that")
					out = append(out, f)
				}
			}
			continue
		}
		out = append(out, tradeplan.Finding{
			Kind:    tradeplan.KindClassification,
			Outcome: tradeplan.Review,
			Summary: "classification decides the verdict: HS " + dotted(code) + " gives " + main.String() + " (" + mainBy +
				"); HS " + dotted(ac) + " gives " + o.String() + " (" + by + ")",
			Notes:   []string{"the candidate codes differ in outcome: confirm the classification (processing, form, ingredients) before a decision"},
			Missing: []string{"classification: HS " + dotted(code) + " or HS " + dotted(ac)},
		})
	}
	return out
}

// citedIn reports whether a goods finding of fs cites c.
func citedIn(fs []tradeplan.Finding, c string) bool {
	for _, f := range fs {
		if f.Kind == tradeplan.KindGoods && f.Citation() == c {
			return true
		}
	}
	return false
}

func strictest(fs []tradeplan.Finding) (tradeplan.Verdict, string) {
	v := tradeplan.Clear
	var by []string
	for _, f := range fs {
		if f.Kind != tradeplan.KindGoods {
			continue
		}
		if f.Outcome > v {
			v, by = f.Outcome, by[:0]
		}
		if c := f.Citation(); f.Outcome == v && c != "" {
			if !slices.Contains(by, c) {
				by = append(by, c)
			}
		}
	}
	if len(by) == 0 {
		return v, "no rule covers it"
	}
	return v, strings.Join(by, "; ")
}
