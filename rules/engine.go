package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Engine holds loaded rule packs and their HS index. It is immutable after
// New and safe for concurrent use.
type Engine struct {
	packs   []*Pack
	rules   []*Rule
	byID    map[string]*Rule
	targets []*targetIndex
	caps    map[string]*Cap
}

// targetIndex indexes the rules of every pack that shares one target
// country. A line that has nothing to do with the target never touches it.
type targetIndex struct {
	target string
	packs  []*Pack
	// exact[L] maps an L-digit code (L = 2, 4, 6 at slots 0, 1, 2) to the
	// include entries of that level with that code.
	exact [3]refIndex
	// finer[0] maps a chapter to the entries of heading or subheading level
	// within it, finer[1] a heading to the subheading entries within it: a
	// line declared only at chapter or heading level may fall under them.
	finer [2]refIndex
	words *viaWords
	// places are the target's ports and crossings, from every pack of it.
	places Terms
	// chapter maps a chapter to every rule with an entry that touches it, for
	// explanations of near rules.
	chapter map[string][]*Rule
}

// refIndex maps codes of one length to index entries: chapters and
// headings (100 and 10,000 keys) in a table, subheadings in a map. Every
// line that relates to a target looks up each level of its code: a table
// costs a few instructions where a map lookup costs tens. The table holds
// no pointers, so the collector does not scan it: the entries of key k
// are refs[start[k]:start[k+1]].
type refIndex struct {
	start []uint32 // keys+1 offsets into refs, for codes of 2 or 4 digits
	refs  []ref
	m     map[codeKey][]ref // while building, and for 6-digit codes
}

func newRefIndex(digits int) refIndex {
	x := refIndex{m: map[codeKey][]ref{}}
	if digits <= 4 {
		x.start = make([]uint32, keySpace(digits)+1)
	}
	return x
}

// seal moves the entries of a tabled index from its map into the table.
func (x *refIndex) seal() {
	if x.start == nil {
		return
	}
	x.refs = x.refs[:0]
	for k := range len(x.start) - 1 {
		x.start[k] = uint32(len(x.refs))
		x.refs = append(x.refs, x.m[codeKey(k)]...)
	}
	x.start[len(x.start)-1] = uint32(len(x.refs))
	x.m = nil
}

// keySpace is the number of keys of codes of the given length.
func keySpace(digits int) int {
	n := 1
	for range digits {
		n *= 10
	}
	return n
}

func (x *refIndex) get(k codeKey) []ref {
	if x.m == nil {
		return x.refs[x.start[k]:x.start[k+1]]
	}
	return x.m[k]
}

// add adds an entry before the index is sealed.
func (x *refIndex) add(code string, rf ref) {
	k := keyOf(code)
	x.m[k] = append(x.m[k], rf)
}

type ref struct {
	rule *Rule
	spec int // index into rule.Include
}

// codeKey is an HS code's digits as a number, the index's key: a map
// lookup by number costs a fraction of one by string, on every line.
type codeKey uint32

func keyOf(code string) codeKey { return codeKey(atoiDigits(code)) }

// New builds an engine from parsed packs, checking what spans packs: unique
// pack names and rule ids, superseded_by targets, caps that agree, and rules
// that contradict each other.
func New(packs ...*Pack) (*Engine, error) {
	e := &Engine{byID: map[string]*Rule{}, caps: map[string]*Cap{}}
	var probs tradeplan.Problems
	names := map[string]*Pack{}
	for _, pk := range packs {
		if o, dup := names[pk.Name]; dup {
			probs.Add(tradeplan.Position{File: pk.File, Path: "pack"}, "", "pack %q is already loaded from %s", pk.Name, o.File)
			continue
		}
		names[pk.Name] = pk
		e.packs = append(e.packs, pk)
		for _, r := range pk.Rules {
			if _, dup := e.byID[r.ID]; dup {
				probs.Add(r.Pos, "id", "rule %s is defined twice", r.ID)
				continue
			}
			r.seq = len(e.rules)
			e.byID[r.ID] = r
			e.rules = append(e.rules, r)
			for _, c := range r.Caps {
				if o, ok := e.caps[c.ID]; ok {
					if o.Limit.Cmp(c.Limit) != 0 || o.Unit != c.Unit || o.Period != c.Period || !o.Start.Equal(c.Start) || !o.From.Equal(c.From) || !o.To.Equal(c.To) {
						probs.Add(r.Pos, "caps", "cap %s is defined twice with different limit, unit or period", c.ID)
					}
					continue
				}
				e.caps[c.ID] = c
			}
		}
	}
	for _, r := range e.rules {
		if r.SupersededBy != "" {
			if _, ok := e.byID[r.SupersededBy]; !ok {
				probs.Add(r.Pos, "superseded_by", "superseded_by %q: no such rule", r.SupersededBy)
			}
		}
		r.finish()
	}
	probs = append(probs, contradictions(e.rules)...)
	if err := probs.Err("rule packs"); err != nil {
		return nil, err
	}
	byTarget := map[string]*targetIndex{}
	for _, pk := range e.packs {
		ti := byTarget[pk.Target]
		if ti == nil {
			ti = &targetIndex{target: pk.Target, chapter: map[string][]*Rule{}, words: newViaWords(pk.Target)}
			for i := range ti.exact {
				ti.exact[i] = newRefIndex(2 * (i + 1))
			}
			for i := range ti.finer {
				ti.finer[i] = newRefIndex(2 * (i + 1))
			}
			byTarget[pk.Target] = ti
			e.targets = append(e.targets, ti)
		}
		ti.packs = append(ti.packs, pk)
		if len(pk.Places) > 0 {
			ti.places.Any = append(ti.places.Any, pk.Places...)
			ti.places.IfMissing = "skip"
			ti.places.wholeWords = true
			ti.places.prepare()
		}
		for _, r := range pk.Rules {
			ti.add(r)
		}
	}
	for _, ti := range e.targets {
		for i := range ti.exact {
			ti.exact[i].seal()
		}
		for i := range ti.finer {
			ti.finer[i].seal()
		}
	}
	return e, nil
}

func (ti *targetIndex) add(r *Rule) {
	seenCh := map[string]bool{}
	for i, s := range r.Include {
		rf := ref{rule: r, spec: i}
		for _, code := range expand(s.Lo, s.Hi) {
			L := len(code)
			ti.exact[L/2-1].add(code, rf)
			if L >= 4 {
				ti.finer[0].add(code[:2], rf)
			}
			if L == 6 {
				ti.finer[1].add(code[:4], rf)
			}
			if ch := code[:2]; !seenCh[ch] {
				seenCh[ch] = true
				ti.chapter[ch] = append(ti.chapter[ch], r)
			}
		}
	}
}

// finish precomputes what evaluation needs and findings carry.
func (r *Rule) finish() {
	r.Description.prepare()
	for i := range r.Include {
		r.Include[i].Description.prepare()
	}
	for i := range r.Exemptions {
		r.Exemptions[i].Terms.prepare()
	}
	if w := r.WindDown; w != nil {
		w.lastDay = dayNumber(w.To)
		w.note = "wind-down to " + w.To.Format(dateLayout) + ": " + w.Condition + "; review, not prohibited, until the contract's date and the notification are confirmed"
		w.missing = "the date of the written contract (finalised before " + r.From.Format(dateLayout) + "?) and the notification to the Committee (wind-down to " + w.To.Format(dateLayout) + ")"
	}
	var citation string
	c := r.Citation
	switch {
	case c.Text != "":
		citation = c.Text
	default:
		var b strings.Builder
		if r.Pack.Instrument != "" {
			b.WriteString(r.Pack.Instrument)
			b.WriteByte(' ')
		}
		b.WriteString(c.Resolution)
		if c.Year != 0 {
			fmt.Fprintf(&b, " (%d)", c.Year)
		}
		if c.Paragraph != "" {
			b.WriteByte(' ')
			b.WriteString(c.Paragraph)
		}
		citation = b.String()
	}
	for _, s := range r.Include {
		if s.Level() == 2 && rangeSize(s.Lo, s.Hi) >= 50 {
			r.catchAll = true
		}
	}
	status := r.Status
	if r.Policy != "" && r.Status != StatusPolicy {
		status += ", policy"
	}
	r.basis = &tradeplan.Basis{
		Rule:       r.ID,
		Regime:     r.Pack.Regime,
		Resolution: c.Resolution,
		Paragraph:  c.Paragraph,
		Citation:   citation,
		Status:     status,
	}
	pb := *r.basis
	if !strings.Contains(pb.Status, StatusPolicy) {
		pb.Status += ", policy"
	}
	r.policyBasis = &pb
	r.leaves = r.Flow == FromTarget || r.Flow == BothFlows
	r.enters = r.Flow == ToTarget || r.Flow == BothFlows
	r.exemptionOnly = r.WhenExemptionCited
	r.firstDay, r.lastDay = math.MinInt64, math.MaxInt64
	if !r.From.IsZero() {
		r.firstDay = dayNumber(r.From)
		if time.Unix(r.firstDay*86400, 0).Before(r.From) {
			r.firstDay++ // From is after midnight: its day is not in force
		}
	}
	if !r.To.IsZero() {
		r.lastDay = dayNumber(r.To)
	}
	r.effText = r.effectiveText()
	var notes []string
	switch r.Status {
	case StatusRecalled:
		notes = append(notes, "R (to confirm): "+r.StatusNote)
	case StatusVerified:
		if r.StatusNote != "" {
			notes = append(notes, r.StatusNote)
		}
		notes = append(notes, "checked: "+r.Checked)
	case StatusPolicy:
		if r.StatusNote != "" {
			notes = append(notes, r.StatusNote)
		}
	}
	if r.Policy != "" {
		notes = append(notes, "P (policy choice): "+r.Policy)
	}
	notes = append(notes, r.Notes...)
	if r.SupersededBy != "" {
		notes = append(notes, fmt.Sprintf("in force %s; superseded by %s", r.effectiveText(), r.SupersededBy))
	}
	// Full slices: a finding appending a note of its own copies them.
	r.notes = slices.Clip(notes)
	for i := range r.Include {
		s := &r.Include[i]
		s.text = specText(*s)
		if s.Policy != "" {
			note := "P (policy choice) for " + s.text + ": " + s.Policy
			s.policyNotes = slices.Clip(append(slices.Clone(r.notes), note))
		}
	}
	r.capSummary = make([]string, len(r.Caps))
	for i, c := range r.Caps {
		c.unit, c.quantity = tradeplan.LookupUnit(c.Unit)
		if c.Period == PeriodRolling12 && c.windows == nil {
			ws := make([]window, rollingYears)
			for k := range ws {
				ws[k] = c.rollingWindow(k)
			}
			c.windows = ws
		}
		for j := range c.Conversions {
			cv := &c.Conversions[j]
			cv.from, _ = tradeplan.LookupUnit(cv.From)
			cv.text = " at " + num(cv.Factor) + " " + c.Unit + " per " + cv.From + " (" + cv.Note + ")"
		}
		r.capSummary[i] = r.Summary + fmt.Sprintf(" (cap %s %s %s)", num(c.Limit), c.Unit, c.PeriodText())
	}
}

// contradictions finds rules that say different things about the same goods
// on the same days: the same citation, overlapping HS codes, flows that meet,
// overlapping dates and no description or value condition to tell them
// apart, but different outcomes.
func contradictions(rules []*Rule) tradeplan.Problems {
	var probs tradeplan.Problems
	groups := map[string][]*Rule{}
	var keys []string
	for _, r := range rules {
		k := r.Pack.Target + "|" + r.citationKey()
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	for _, k := range keys {
		g := groups[k]
		if len(g) > 50 {
			continue // generated packs: no citation groups this large in practice
		}
		for i := 0; i < len(g); i++ {
			for j := i + 1; j < len(g); j++ {
				a, b := g[i], g[j]
				if a.Outcome == b.Outcome || a.WhenExemptionCited != b.WhenExemptionCited {
					continue
				}
				if !flowsMeet(a.Flow, b.Flow) || !datesOverlap(a, b) || !a.Description.empty() || !b.Description.empty() || a.UnitValue != nil || b.UnitValue != nil {
					continue
				}
				if code, ok := specsOverlap(a, b); ok {
					probs.Add(b.Pos, "outcome", "contradicts rule %s (line %d): same citation %s, HS %s, flows %s and %s, overlapping dates, but outcome %s there and %s here",
						a.ID, a.Pos.Line, a.citationKey(), dotted(code), a.Flow, b.Flow, a.Outcome, b.Outcome)
				}
			}
		}
	}
	return probs
}

func (r *Rule) citationKey() string {
	if r.Citation.Text != "" {
		return r.Citation.Text
	}
	return fmt.Sprintf("%s (%d) %s", r.Citation.Resolution, r.Citation.Year, r.Citation.Paragraph)
}

func flowsMeet(a, b Flow) bool { return a == b || a == BothFlows || b == BothFlows }

func datesOverlap(a, b *Rule) bool {
	if !a.To.IsZero() && !b.From.IsZero() && a.To.Before(b.From) {
		return false
	}
	if !b.To.IsZero() && !a.From.IsZero() && b.To.Before(a.From) {
		return false
	}
	return true
}

// specsOverlap reports an HS code that both rules include (and neither
// excludes), if any. Ranges are compared as intervals at the finer level;
// at most a few hundred codes of the overlap are tried against exclusions.
func specsOverlap(a, b *Rule) (string, bool) {
	for _, x := range a.Include {
		if !x.Description.empty() {
			continue
		}
		for _, y := range b.Include {
			if !y.Description.empty() {
				continue
			}
			L := max(x.Level(), y.Level())
			xl, xh := widen(x, L)
			yl, yh := widen(y, L)
			lo, hi := max(xl, yl), min(xh, yh)
			for v, n := lo, 0; v <= hi && n < 256; v, n = v+1, n+1 {
				code := fmt.Sprintf("%0*d", L, v)
				if !excluded(a, code) && !excluded(b, code) {
					return code, true
				}
			}
		}
	}
	return "", false
}

// widen returns an entry's range as numbers at level L (L >= its level).
func widen(s GoodsSpec, L int) (lo, hi int) {
	m := 1
	for i := s.Level(); i < L; i++ {
		m *= 10
	}
	return atoiDigits(s.Lo) * m, (atoiDigits(s.Hi)+1)*m - 1
}

func excluded(r *Rule, code string) bool {
	for _, x := range r.Exclude {
		if len(code) >= x.Level() && x.Contains(code) {
			return true
		}
	}
	return false
}

// Packs returns the loaded packs in load order.
// Digest names the packs the engine screens with: the SHA-256 of each
// pack's name and content, in load order. Another pack, or another
// version of one, gives another digest; re-screening compares it with the
// one the last screening of the permits used.
func (e *Engine) Digest() string {
	h := sha256.New()
	for _, p := range e.packs {
		fmt.Fprintf(h, "%s\x00%s\x00", p.Name, p.Digest)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (e *Engine) Packs() []*Pack { return append([]*Pack(nil), e.packs...) }

// Rules returns every rule in load order.
func (e *Engine) Rules() []*Rule { return append([]*Rule(nil), e.rules...) }

// Rule returns the rule with a full id ("un-dprk/2371-op9") or a local id
// ("2371-op9") that only one pack uses.
func (e *Engine) Rule(id string) (*Rule, error) {
	if r, ok := e.byID[id]; ok {
		return r, nil
	}
	var found []*Rule
	for _, r := range e.rules {
		if strings.EqualFold(r.Local, id) || strings.EqualFold(r.ID, id) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, tradeplan.Errorf(tradeplan.ENotFound, "no rule %q (see 'tradeplan rules list')", id)
	}
	ids := make([]string, len(found))
	for i, r := range found {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	return nil, tradeplan.Errorf(tradeplan.EInvalid, "rule id %q is ambiguous: %s", id, strings.Join(ids, ", "))
}

// Cap returns a cap by its full id.
func (e *Engine) Cap(id string) (*Cap, bool) {
	c, ok := e.caps[id]
	return c, ok
}

// Changes returns the days within [from, to], after from, on which a rule
// comes into force or lapses or a cap's fixed window opens or closes: the
// days on which a line's verdict may change. It implements
// tradeplan.RuleCalendar.
func (e *Engine) Changes(from, to time.Time) []time.Time {
	var out []time.Time
	add := func(d time.Time) {
		if d.IsZero() || !d.After(from) || d.After(to) {
			return
		}
		for _, x := range out {
			if x.Equal(d) {
				return
			}
		}
		out = append(out, d)
	}
	for _, r := range e.rules {
		add(r.From)
		if !r.To.IsZero() {
			add(r.To.AddDate(0, 0, 1))
		}
		if r.WindDown != nil {
			add(r.WindDown.To.AddDate(0, 0, 1))
		}
	}
	for _, c := range e.caps {
		if c.Period == PeriodFixed {
			add(c.From)
			add(c.To.AddDate(0, 0, 1))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}
