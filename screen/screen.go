// Package screen runs the screening pipeline over a plan or a stream of lines:
// HS code (declared and checked, or classified), goods sanctions rules,
// partners and vessels against sanctions lists, then, in line order, the
// cumulative caps and the recorded decisions on party matches. It depends on
// the root interfaces only; cmd/tradeplan wires in the implementations.
//
// The per-line steps are pure and run in a bounded pool of workers; the
// ordered steps (caps, decisions) run on one goroutine, so the output order
// is the input order and cap accounting is deterministic.
package screen

import (
	"context"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/gencache"
	"github.com/tradeplan/tradeplan/written"
)

// Config holds the implementations of each step. Nil steps are skipped.
type Config struct {
	Classifier tradeplan.Classifier
	Goods      tradeplan.GoodsScreener
	// NewLedger makes the cap ledger for one plan or stream, counting on top
	// of what usage reports as already used (usage may be nil).
	NewLedger func(usage tradeplan.CapUsage) tradeplan.CapLedger
	Parties   tradeplan.PartyScreener
	// Lists name the sanctions lists Parties screens against, for the
	// reports. With Parties nil, reports carry tradeplan.NoListsNotice.
	Lists     []tradeplan.ListVersion
	Decisions tradeplan.MatchDecisions
	// Workers bounds the goroutines screening lines; 0 means GOMAXPROCS.
	Workers int
	// Clock gives the default as-of date; nil means time.Now.
	Clock func() time.Time
}

// Options are the per-run settings.
type Options struct {
	AsOf  time.Time          // the day whose rules apply; zero means today
	Usage tradeplan.CapUsage // caps already used by issued permits; nil means none
	// Decisions replaces Config.Decisions for this run when set: the
	// licence decision reads them in its own transaction.
	Decisions tradeplan.MatchDecisions
	// Workers bounds the goroutines screening this run's lines; 0 means
	// the screener's Workers. A server already busy on every core gains
	// nothing from more: 1 screens the lines on the caller's goroutine.
	Workers int
	// NoDecisions screens from the lists and rules only: recorded match
	// decisions are neither applied nor shown. Public screening sets it, so
	// that nobody learns another organisation's review (officer, date,
	// reason) or probes which names were cleared.
	NoDecisions bool
}

// ForUsage returns the options of a run as of asOf counting caps on top of
// usage. When usage also reads match decisions (the licence decision's
// transaction does), the run reads them there.
func ForUsage(asOf time.Time, usage tradeplan.CapUsage) Options {
	o := Options{AsOf: asOf, Usage: usage}
	if d, ok := usage.(tradeplan.MatchDecisions); ok {
		o.Decisions = d
	}
	return o
}

// Screener screens plans and streams of lines. It is safe for concurrent use.
type Screener struct {
	cfg      Config
	assigned *gencache.Cache[assignment]          // classification by description
	briefs   *gencache.Cache[assignment]          // the same without the candidates' evidence (assignBrief)
	matched  *gencache.Cache[[]tradeplan.Finding] // party and vessel matches by query
	parts    partMemos                            // the assignments of a list's parts, by goroutine (weighParts)
}

type assignment struct {
	a    tradeplan.HSAssignment
	alts []string
}

// New returns a Screener over the given steps.
func New(cfg Config) *Screener {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return &Screener{cfg: cfg, assigned: gencache.New[assignment](), briefs: gencache.New[assignment](), matched: gencache.New[[]tradeplan.Finding]()}
}

const (
	// topCandidates is how many classifier candidates a report shows.
	topCandidates = 5
	// minCrossCheck: a description classified at least this confidently
	// whose heading differs from the declared code is passed to the rules
	// as an alternative of the declared code, so that a line cannot escape
	// a ban by declaring another code. 0.8 is the score from which the
	// classifier says the words decide the code (docs/classification.md);
	// below it a declared code is not second-guessed.
	minCrossCheck = 0.8
	// wordsDecide: a description classified at least this confidently is
	// certain: a ban under its reading stands whatever code is declared or
	// assessed, rather than going to a review a person could clear.
	wordsDecide = 0.95
	// minPartCheck: one of the goods a list names (goodsParts) read at
	// least this confidently is weighed beside the line's code. A part is
	// often one bare word ("wigs and textiles", "wigs, copper") that
	// reads only weakly alone, yet names banned goods: weighing it makes
	// the line a review, never a verdict of its own.
	minPartCheck = 0.5
	// minNamedGood is the least score of a reading under another heading
	// that weighNamedGoods weighs: a good named beside another in one
	// description shares the words' weight with it ("rice milled diesel":
	// diesel at 0.50, rice at 0.59). namedGoodWeight: and at least this
	// share of the best reading under the code's heading. A word that
	// names the packing, material or a part of the goods ("clams in
	// shell", "oil in tins", "semen straws") reads far below the goods
	// (0.4-0.55 against 0.75-0.9 in hs/testdata/eval.tsv); goods run
	// together read about as high as each other (0.85-1.05 of it).
	minNamedGood    = 0.5
	namedGoodWeight = 0.8
)

// AsOf is the day whose rules a run with options o applies: o.AsOf, or today.
func (s *Screener) AsOf(o Options) time.Time {
	d := o.AsOf
	if d.IsZero() {
		d = s.cfg.Clock()
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// Changes returns the days within [from, to], after from, on which the
// goods rules change (see tradeplan.RuleCalendar); none when they do not
// say.
func (s *Screener) Changes(from, to time.Time) []time.Time {
	if c, ok := s.cfg.Goods.(tradeplan.RuleCalendar); ok {
		return c.Changes(from, to)
	}
	return nil
}

// Line screens one line with the per-line steps only: no caps accounting
// and no recorded decisions (those need the lines before it; see Plan and
// Stream). It is pure.
func (s *Screener) Line(l *tradeplan.Line, asOf time.Time) tradeplan.LineReport {
	var r tradeplan.LineReport
	s.lineInto(&r, l, asOf, nil)
	return r
}

// lineInto is Line into *r, which it overwrites whole, classifying through
// memo when it is not nil.
func (s *Screener) lineInto(r *tradeplan.LineReport, l *tradeplan.Line, asOf time.Time, memo *classMemo) {
	*r = tradeplan.LineReport{
		Index:       l.Index,
		Direction:   l.Direction,
		Description: l.Description,
		Origin:      l.Origin,
		Destination: l.Destination,
		Quantity:    l.Quantity,
		Unit:        l.Unit,
		Value:       l.Value,
		Currency:    l.Currency,
		Partner:     l.Partner,
		Vessel:      l.Vessel,
		Crossing:    l.Crossing,
	}
	var alts []string
	var certain bool
	if memo != nil {
		r.HS, alts, certain, r.Findings = memo.classify(s, l)
	} else {
		r.HS, alts, certain, r.Findings = s.classify(l)
	}
	var goods, party, vessel []tradeplan.Finding
	if s.cfg.Goods != nil {
		goods = s.cfg.Goods.ScreenGoods(tradeplan.GoodsLine{Line: l, HS: r.HS.Code, Alternatives: alts, WordsDecide: certain, AsOf: asOf})
	}
	if s.cfg.Parties != nil {
		if p := l.Partner; p != nil && strings.TrimSpace(p.Name) != "" {
			party = s.matched.Get("p\x00"+p.Name+"\x00"+p.Country, func() []tradeplan.Finding {
				return s.cfg.Parties.ScreenParty(*p)
			})
		}
		if v := l.Vessel; v != nil && (v.Name != "" || v.IMO != "") {
			vessel = s.matched.Get("v\x00"+v.Name+"\x00"+v.IMO+"\x00"+v.Flag, func() []tradeplan.Finding {
				return s.cfg.Parties.ScreenVessel(*v)
			})
		}
	}
	switch n := len(r.Findings) + len(goods) + len(party) + len(vessel); {
	case n == len(goods):
		// The rules' findings are the line's own: kept, not copied.
		r.Findings = goods
	case n > len(r.Findings):
		// one slice of the right length, not one grown at each step; the
		// party and vessel findings are shared with other lines and copied
		fs := make([]tradeplan.Finding, 0, n)
		fs = append(fs, r.Findings...)
		fs = append(fs, goods...)
		fs = append(fs, party...)
		r.Findings = append(fs, vessel...)
	}
	r.Verdict = verdictOf(r.Findings)
}

// classify settles the HS code a line is screened under, with the
// alternatives the rules should weigh, whether they are the words' certain
// reading, and any findings about the code.
func (s *Screener) classify(l *tradeplan.Line) (tradeplan.HSAssignment, []string, bool, []tradeplan.Finding) {
	var findings []tradeplan.Finding
	if !written.IsASCII(l.Description) {
		// letters that are not what they seem are shown, however the line screens
		if t := written.Read(l.Description); t.Changed() {
			findings = append(findings, tradeplan.Finding{
				Kind:    tradeplan.KindClassification,
				Outcome: tradeplan.Review,
				Summary: "description " + t.Headline() + ": written \u201c" + t.Written +
					"\u201d, read as \u201c" + t.Read + "\u201d",
				Explanation: t.Summary(),
			})
		}
	}
	if l.HS != "" {
		if s.cfg.Classifier == nil {
			return tradeplan.HSAssignment{Code: l.HS, Source: "declared", Confidence: 1}, nil, false, nil
		}
		a, err := s.cfg.Classifier.CheckCode(l.HS)
		if err == nil {
			a.Source = "declared"
			if a.Confidence == 0 {
				a.Confidence = 1
			}
			var alts []string
			certain := false
			if l.Description != "" {
				// the evidence is read only where the words disagree with the code
				c, _ := s.assignBrief(l.Description)
				brief := c
				if relatesToDPRK(l) && (c.Code == "" || c.Confidence < minCrossCheck && !anySameHeading(c.Candidates, a.Code)) {
					// The words do not confirm the code: for a line relating
					// to the DPRK a declared code alone clears nothing.
					f := tradeplan.Finding{
						Kind:    tradeplan.KindClassification,
						Outcome: tradeplan.Review,
						Summary: "the description could not be read with confidence; a declared code (HS " + a.Code +
							") alone does not clear a line relating to the DPRK",
					}
					if c.Code != "" {
						c, _ = s.assign(l.Description)
						f.Summary = "the description reads only weakly as HS " + c.Code + " (" + c.Title +
							"), not the declared " + a.Code + "; a declared code alone does not clear a line relating to the DPRK"
						f.Explanation = strings.Join(c.Candidates[0].Evidence, "; ")
					} else if sc := written.Scripts(l.Description); len(sc) > 0 {
						f.Explanation = "letters of " + strings.Join(sc, ", ") + "; no word read as goods"
					}
					findings = append(findings, f)
				}
				if c.Code != "" && c.Confidence >= minCrossCheck && !sameHeading(c.Code, a.Code) {
					c, _ = s.assign(l.Description)
					best := c.Candidates[0]
					alts = append(alts, best.Code)
					certain = c.Confidence >= wordsDecide
					a.Candidates = c.Candidates[:1]
					findings = append(findings, tradeplan.Finding{
						Kind:    tradeplan.KindClassification,
						Outcome: tradeplan.Clear,
						Summary: "the description reads as HS " + best.Code + " (" + best.Title + "), not the declared " + a.Code,
						Explanation: "declared code checked against the description; the rules weigh both codes: " +
							strings.Join(best.Evidence, "; "),
					})
				}
				if relatesToDPRK(l) {
					alts, findings = s.weighParts(l.Description, a.Code, "declared", alts, findings)
					alts = s.weighNamedGoods(l.Description, a.Code, brief.Candidates, alts)
				}
			}
			return a, alts, certain, findings
		}
		findings = append(findings, tradeplan.Finding{
			Kind:    tradeplan.KindClassification,
			Outcome: tradeplan.Review,
			Summary: "declared HS code " + l.HS + " is not valid: " + tradeplan.ErrorMessage(err),
		})
	}
	if s.cfg.Classifier == nil || l.Description == "" {
		return tradeplan.HSAssignment{Source: "none"}, nil, false, append(findings, noCode(l))
	}
	a, alts := s.assign(l.Description)
	if a.Code == "" {
		f := noCode(l)
		if relatesToDPRK(l) {
			// goods to or from the DPRK whose words cannot be read are never clear
			f.Outcome = tradeplan.Review
			f.Summary = "no HS code was declared and the description could not be read; goods of unknown kind relating to the DPRK need review"
		}
		return a, nil, false, append(findings, f)
	}
	if relatesToDPRK(l) {
		// each of the goods a list names is weighed, as for a declared code
		alts, findings = s.weighParts(l.Description, a.Code, "classified", alts, findings)
		alts = s.weighNamedGoods(l.Description, a.Code, a.Candidates, alts)
	}
	return a, alts, false, findings
}

// weighParts reads each of the goods a description names on its own
// (goodsParts) and passes every part the words decide under another heading
// than the declared code to the rules as an alternative: a lawful word that
// matches the code does not hide banned goods named beside it ("plastic toys
// and salted pollack" declared as toys).
func (s *Screener) weighParts(desc, code, which string, alts []string, findings []tradeplan.Finding) ([]string, []tradeplan.Finding) {
	parts := goodsParts(desc)
	if len(parts) < 2 {
		return alts, findings
	}
	memo := s.parts.get()
	defer s.parts.put(memo)
	for _, part := range parts {
		if negated(part) {
			continue
		}
		c, partAlts := memo.assignBrief(s, part)
		if c.Code == "" || c.Confidence < minPartCheck || sameHeading(c.Code, code) || slices.Contains(alts, c.Code) {
			continue
		}
		c, _, explanation := memo.assign(s, part) // the finding cites the evidence
		// what the part alone is weighed as ("lead": lead crystal, or
		// lead ore) is weighed for the list too
		for _, alt := range partAlts {
			if alt != c.Code && !sameHeading(alt, code) && !slices.Contains(alts, alt) {
				alts = append(alts, alt)
			}
		}
		best := c.Candidates[0]
		alts = append(alts, best.Code)
		findings = append(findings, tradeplan.Finding{
			Kind:        tradeplan.KindClassification,
			Outcome:     tradeplan.Clear,
			Summary:     "the description also names \u201c" + part + "\u201d, which reads as HS " + best.Code + " (" + best.Title + "), not the " + which + " " + code,
			Explanation: explanation,
		})
	}
	return alts, findings
}

// weighNamedGoods passes to the rules, as an alternative, every good the
// lexicon names in the description on its own words under another heading
// than code, when no reading under code's heading uses those words: goods
// run together with no separator that goodsParts could cut at ("rice with
// tanks", "rice milled Diesel" declared as rice, redteam wave 8) are
// weighed as the parts of a list are, and a good whose rule refuses or caps
// it sends the line to review citing that rule and both codes (a good the
// rules treat as the declared code's adds nothing to the report). The
// lexicon's words name a good (a lexicon rule decides a code from them); a
// word that only matches a heading's text ("milled", "bags", "black")
// names none. Only the candidates the words read as with some weight
// (minNamedGood) are read for their evidence, so a description naming one
// good costs nothing more: cands are the description's candidates the
// caller has (brief or full).
func (s *Screener) weighNamedGoods(desc, code string, cands []tradeplan.Candidate, alts []string) []string {
	goods := goodsText(desc)
	if i := strings.Index(strings.ToLower(desc), " for "); i > 0 && len(goods) > i {
		// goods follow a purpose ("rice for export with diesel"): the
		// caller's reading took their words for the purpose's, at half
		// weight; the goods are read without it
		desc = goods
		c, _ := s.assignBrief(goods)
		cands = c.Candidates
	}
	if !namesOther(cands, code, alts) {
		return alts
	}
	full, _ := s.assign(desc)
	var own []string // the lexicon's words of the readings under code's heading
	ownScore := 0.0
	for _, cd := range full.Candidates {
		if sameHeading(cd.Code, code) {
			own = append(own, lexiconWords(cd.Evidence)...)
			ownScore = max(ownScore, cd.Score)
		}
	}
	for _, cd := range full.Candidates {
		if cd.Score < minNamedGood || cd.Score < namedGoodWeight*ownScore || weighed(cd.Code, code, alts) {
			continue
		}
		for _, w := range lexiconWords(cd.Evidence) {
			// words of the purpose ("diesel for fishing boats") name no goods
			if !slices.Contains(own, w) && strings.Contains(goods, strings.ToLower(w)) {
				alts = append(alts, cd.Code)
				break
			}
		}
	}
	return alts
}

// namesOther reports whether a candidate under a heading the rules do not
// weigh yet reads as high as weighNamedGoods asks (minNamedGood, and
// namedGoodWeight of the best reading under code's heading): only then is
// the evidence read.
func namesOther(cands []tradeplan.Candidate, code string, alts []string) bool {
	own := 0.0
	for _, cd := range cands {
		if sameHeading(cd.Code, code) {
			own = max(own, cd.Score)
		}
	}
	for _, cd := range cands {
		if cd.Score >= minNamedGood && cd.Score >= namedGoodWeight*own && !weighed(cd.Code, code, alts) {
			return true
		}
	}
	return false
}

// weighed reports whether the rules already weigh c's heading: code's, or
// an alternative's.
func weighed(c, code string, alts []string) bool {
	if sameHeading(c, code) {
		return true
	}
	for _, a := range alts {
		if sameHeading(c, a) {
			return true
		}
	}
	return false
}

// lexiconWords are the words of the description that a candidate's
// lexicon evidence quotes (`lexicon: "pollack" = pollock (fish), "salted"
// = salted`, hs.appendEvidence): the words a lexicon rule decided it by.
func lexiconWords(evidence []string) []string {
	var out []string
	for _, e := range evidence {
		rest, ok := strings.CutPrefix(e, "lexicon: ")
		for ok {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				break
			}
			w, _ := strconv.Unquote(q)
			out = append(out, w)
			// the next quoted phrase follows the concept's label and ", "
			i := strings.Index(rest[len(q):], `, "`)
			if i < 0 {
				break
			}
			rest = rest[len(q)+i+2:]
		}
	}
	return out
}

// goodsParts splits a description into the goods it names: the text before
// a stated purpose (" for ...", whose words name what the goods serve, not
// the goods), cut at "and", "&", "+", ";", ",", "/", line ends, "plus", "as
// well as", "along with", "together with" and a bracket opening with "and",
// "also" or "plus" (a bracket alone mostly holds an attribute: "insulin
// (human)"). A comma often sets off an
// attribute ("milled rice, long grain"), but it also lists goods ("dried
// mushrooms, seafood and herbs"; "plastic toys, salted pollack"), and a
// banned good hidden in a list must be weighed: an attribute on its own
// reads as no goods with confidence, or as the same heading, and is
// dropped by the caller. A description naming one thing gives one part.
// bracketList is a bracket that opens a list of goods: "rice (and also 2
// trucks)" (redteam, wave 7).
var bracketList = regexp.MustCompile(`\s*[(\[{\x{ff08}]\s*(?:(?:and|also|plus|as well as|&)\s+)+`)

func goodsParts(desc string) []string {
	d := goodsText(desc)
	if strings.ContainsAny(d, "([{\uff08") {
		d = bracketList.ReplaceAllString(d, "\x00")
	}
	for _, sep := range []string{" and ", " & ", " + ", ";", ",", "/", "\n", " plus ", " as well as ", " along with ", " together with "} {
		d = strings.ReplaceAll(d, sep, "\x00")
	}
	var parts []string
	for _, p := range strings.Split(d, "\x00") {
		p = strings.Trim(p, " \t()[]{}\uff08\uff09")
		for _, w := range []string{"and also ", "also ", "plus "} {
			p = strings.TrimPrefix(p, w)
		}
		if p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// goodsText is the description in lower case without its stated purposes:
// the words from " for " to the next separator of goods (purposeEnds) name
// what the goods serve, not goods ("diesel for fishing boats"). Goods
// written after a purpose are kept: "rice for export, tanks" names tanks
// (lead, wave 8: the purpose ran to the end of the description, so goods
// after it were never weighed).
func goodsText(desc string) string {
	d := strings.ToLower(desc)
	from := 0
	for {
		i := strings.Index(d[from:], " for ")
		if i < 0 || from+i == 0 {
			return d
		}
		i += from
		rest := d[i+len(" for "):]
		end := len(rest)
		for _, sep := range purposeEnds {
			if j := strings.Index(rest, sep); j >= 0 && j < end {
				end = j
			}
		}
		d = d[:i] + rest[end:]
		from = i
	}
}

// purposeEnds end a stated purpose: the separators goodsParts cuts goods
// at, but "and", "&" and "+", which as often join what the goods serve
// ("diesel fuel for fishing boats and farm machinery", the report's own
// line, stays one capped good), and "with" (goods that come with others:
// "rice for export with diesel").
var purposeEnds = []string{";", ",", "/", "\n", " plus ", " as well as ", " along with ", " together with ", " with ", "(", "[", "{", "\uff08"}

// negated reports whether a part of a list states what the goods are not
// ("not roasted", "without bones"): an attribute, naming no goods.
func negated(part string) bool {
	for _, w := range []string{"not ", "non ", "non-", "without ", "excluding ", "except ", "other than "} {
		if strings.HasPrefix(part, w) {
			return true
		}
	}
	return false
}

// assign classifies a description, once per distinct description.
func (s *Screener) assign(d string) (tradeplan.HSAssignment, []string) {
	v := s.assigned.Get(d, func() assignment {
		a, alts := s.cfg.Classifier.Assign(d, topCandidates)
		return assignment{a, alts}
	})
	return v.a, v.alts
}

func noCode(l *tradeplan.Line) tradeplan.Finding {
	what := "no HS code was declared"
	if l.Description != "" {
		what += " and the description could not be classified"
	}
	f := tradeplan.Finding{
		Kind:    tradeplan.KindClassification,
		Outcome: tradeplan.Clear,
		Summary: what + "; goods rules that need a code could not be checked",
	}
	return f
}

// relatesToDPRK reports whether a line names the DPRK as its origin,
// destination, partner's country or vessel's flag.
func relatesToDPRK(l *tradeplan.Line) bool {
	return isKP(l.Origin) || isKP(l.Destination) || l.Partner != nil && isKP(l.Partner.Country) || l.Vessel != nil && isKP(l.Vessel.Flag)
}

// isKP reports whether c is the DPRK's code, in any case, spaces around.
// Two bytes are the commonest case (every line of a CSV file, checked):
// they are "KP" only as ASCII letters, so they skip the Unicode folding.
func isKP(c string) bool {
	if len(c) == 2 {
		return c[0]|0x20 == 'k' && c[1]|0x20 == 'p'
	}
	return strings.EqualFold(strings.TrimSpace(c), "KP")
}

// anySameHeading reports whether a candidate shares code's heading: the
// words support the code, however weakly.
func anySameHeading(cs []tradeplan.Candidate, code string) bool {
	for _, c := range cs {
		if sameHeading(c.Code, code) {
			return true
		}
	}
	return false
}

func sameHeading(a, b string) bool {
	if len(a) < 4 || len(b) < 4 {
		return false
	}
	return a[:4] == b[:4]
}

// verdictOf is the strictest outcome among the findings.
func verdictOf(fs []tradeplan.Finding) tradeplan.Verdict {
	v := tradeplan.Clear
	for _, f := range fs {
		v = v.Stricter(f.Outcome)
	}
	return v
}

// ordered holds the state of the in-order steps of one plan or stream.
type ordered struct {
	ledger    tradeplan.CapLedger
	decisions tradeplan.MatchDecisions
}

func (s *Screener) newOrdered(o Options) *ordered {
	od := &ordered{decisions: s.cfg.Decisions}
	switch {
	case o.NoDecisions:
		od.decisions = nil
	case o.Decisions != nil:
		od.decisions = o.Decisions
	}
	if s.cfg.NewLedger != nil {
		od.ledger = s.cfg.NewLedger(o.Usage)
	}
	return od
}

// finish runs the in-order steps on one screened line. Party findings may
// share their slices with other lines (see Screener.matched): they are
// changed by value, and their notes are copied before they grow.
func (od *ordered) finish(ctx context.Context, r *tradeplan.LineReport) error {
	if od.ledger != nil {
		if err := od.ledger.Apply(ctx, r.Findings); err != nil {
			return err
		}
	}
	if od.decisions != nil {
		for i := range r.Findings {
			f := &r.Findings[i]
			if f.Kind != tradeplan.KindParty && f.Kind != tradeplan.KindVessel || f.Match == nil {
				continue
			}
			d, ok, err := od.decisions.MatchDecision(ctx, f.Query(), f.List(), f.EntryID())
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			country := ""
			switch {
			case f.Kind == tradeplan.KindParty && r.Partner != nil:
				country = r.Partner.Country
			case f.Kind == tradeplan.KindVessel && r.Vessel != nil:
				country = r.Vessel.Flag
			}
			now, _ := tradeplan.FactsOf(*f, country)
			if !d.Facts().Covers(now) {
				why := "the facts differ from those decided on (name, country, kind or a stronger match)"
				if d.EntryVersion != f.EntryVersion() {
					why = "the list entry has changed since"
				}
				f.Notes = append(slices.Clip(f.Notes), "a decision recorded on "+d.At.Format("2006-01-02")+" does not apply: "+why)
				continue
			}
			m := *f.Match // the match may be shared with other lines: change a copy
			m.Decision = d.Decision
			f.Match = &m
			switch d.Decision {
			case tradeplan.DecisionFalsePositive:
				f.Outcome = tradeplan.Clear
			case tradeplan.DecisionTrueMatch:
				f.Outcome = tradeplan.Prohibited
			}
			f.Notes = append(slices.Clip(f.Notes), "decided "+d.Decision+" by "+d.By+" on "+d.At.Format("2006-01-02")+": "+d.Reason)
		}
	}
	settle(r)
	return nil
}

// needed reports whether the in-order steps may change r: it has a cap
// (the ledger counts it; tradeplan.CapLedger changes nothing else) or a
// party or vessel match (a recorded decision may settle it). finish of
// any other line only settles it, which any goroutine can do.
func (od *ordered) needed(r *tradeplan.LineReport) bool {
	for i := range r.Findings {
		f := &r.Findings[i]
		if od.ledger != nil && f.Cap != nil ||
			od.decisions != nil && (f.Kind == tradeplan.KindParty || f.Kind == tradeplan.KindVessel) && f.Match != nil {
			return true
		}
	}
	return false
}

// settle sets r's verdict from its findings, and puts the findings in the
// order reports show them.
func settle(r *tradeplan.LineReport) {
	r.Verdict = verdictOf(r.Findings)
	SortFindings(r.Findings)
}

// Lists returns the sanctions lists the screener screens partners and
// vessels against, and the notices its reports carry: NoListsNotice when
// it screens them against none.
func (s *Screener) Lists() ([]tradeplan.ListVersion, []string) {
	lists := s.cfg.Lists
	if lists == nil {
		lists = []tradeplan.ListVersion{}
	}
	if s.cfg.Parties == nil {
		return lists, []string{tradeplan.NoListsNotice}
	}
	return lists, nil
}

// Plan screens every line of a plan.
func (s *Screener) Plan(ctx context.Context, p *tradeplan.Plan, o Options) (tradeplan.PlanReport, error) {
	asOf := s.AsOf(o)
	rep := tradeplan.PlanReport{
		ID: p.ID, Organisation: p.Organisation, Country: p.Country, Period: p.Period.Label,
		File: p.File, AsOf: asOf.Format(time.DateOnly),
		Lines: make([]tradeplan.LineReport, len(p.Lines)),
	}
	rep.Lists, rep.Notices = s.Lists()
	workers := s.cfg.Workers
	if o.Workers > 0 {
		workers = min(o.Workers, workers)
	}
	if err := parallel(ctx, workers, len(p.Lines), func(i int) {
		s.lineInto(&rep.Lines[i], &p.Lines[i], asOf, nil)
		if pos := p.Lines[i].Pos; pos.Line > 0 {
			rep.Lines[i].Pos = pos.String()
		}
	}); err != nil {
		return tradeplan.PlanReport{}, err
	}
	od := s.newOrdered(o)
	for i := range rep.Lines {
		if err := od.finish(ctx, &rep.Lines[i]); err != nil {
			return tradeplan.PlanReport{}, err
		}
		rep.Summary.Add(rep.Lines[i].Verdict)
	}
	return rep, nil
}

// parallel calls fn for 0..n-1 on up to workers goroutines, the caller's
// among them, and stops working on lines once ctx is done. Each goroutine
// takes the next line from a shared counter: a line costs a few
// microseconds, and handing each over through a channel cost a good part
// of that. The caller waits for the lines, not for the goroutines: on a
// busy server a helper may start only after the caller has done every
// line, and then finds nothing to do.
func parallel(ctx context.Context, workers, n int, fn func(i int)) error {
	w := min(workers, n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			fn(i)
		}
		return nil
	}
	var next, finished atomic.Int64
	var stopped atomic.Bool
	all := make(chan struct{}) // closed when every line is done or left
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			if ctx.Err() != nil {
				stopped.Store(true) // line i is left undone
			} else {
				fn(i)
			}
			if finished.Add(1) == int64(n) {
				close(all)
			}
		}
	}
	for range w - 1 {
		go work()
	}
	work()
	<-all
	if stopped.Load() {
		return ctx.Err()
	}
	return nil
}

// SortFindings orders findings strictest first, keeping the order of the
// steps (classification, goods, parties) among equals.
func SortFindings(fs []tradeplan.Finding) {
	if len(fs) < 2 {
		return
	}
	slices.SortStableFunc(fs, func(a, b tradeplan.Finding) int {
		return int(b.Outcome) - int(a.Outcome)
	})
}
