package imports

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Entry is one plan and its screening report (the report's lines in the
// plan's order, as the screener returns them).
type Entry struct {
	Plan   *tradeplan.Plan
	Report *tradeplan.PlanReport
	// OrgKey identifies the organisation when known (the server's id);
	// empty: the plan's organisation name, with case and spacing folded.
	OrgKey string
}

// Upgrade is a reviewer's decision that an import line belongs to a higher
// tier than its goods' default, with the reason.
type Upgrade struct {
	Plan     string `json:"plan"`
	Line     int    `json:"line"`
	Tier     int    `json:"tier"`
	Reviewer string `json:"reviewer"`
	Reason   string `json:"reason"`
}

// Feasibility gives the quantity of an export line that can really be
// produced and shipped (the export-feasibility check), in the line's unit;
// checked is false for a line it could not assess (no site named, or
// figures nobody reviewed), which then counts at its planned quantity,
// and says so.
type Feasibility interface {
	FeasibleQuantity(p *tradeplan.Plan, l *tradeplan.Line) (q tradeplan.Decimal, checked bool, err error)
}

// SiteFile is a Feasibility that knows the sites of its site file, by id or
// name. With one, spares for a site that makes lawful exports count in the
// policy's SiteSpares tier.
type SiteFile interface {
	HasSite(ref string) bool
}

// siteKey folds case and spacing, as site files match names.
func siteKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// exportSites are the sites of the site file that make a lawful export
// (clear or capped) of the plans, with one such export each, for the reason.
func exportSites(entries []Entry, o Options) map[string]string {
	sf, ok := o.Feasibility.(SiteFile)
	if !ok {
		return nil
	}
	out := map[string]string{}
	for _, e := range entries {
		for i := range e.Plan.Lines {
			l := &e.Plan.Lines[i]
			v := e.Report.Lines[i].Verdict
			if l.Direction != tradeplan.Export || l.Source == nil || (v != tradeplan.Clear && v != tradeplan.Capped) || !sf.HasSite(l.Source.Site) {
				continue
			}
			if _, seen := out[siteKey(l.Source.Site)]; !seen {
				out[siteKey(l.Source.Site)] = fmt.Sprintf("%s line %d, %s", e.Plan.ID, l.Index, l.Description)
			}
		}
	}
	return out
}

// Options are the authority's inputs to a ranking.
type Options struct {
	Policy    *Policy    // nil: DefaultPolicy
	Rates     *Rates     // nil: every figure must be in Currency
	Crossings *Crossings // nil: no entry schedule
	Currency  string     // the budget's currency

	Receipts         tradeplan.Decimal // foreign currency in hand
	ReceiptsCurrency string            // "": Currency
	Reserves         tradeplan.Decimal // reserves, in Currency
	ReservesFloor    tradeplan.Decimal // the part of the reserves never spent

	// Budget, when set, is the budget the authority states. More than the
	// receipts, lawful exports and reserves give is refused unless Override
	// gives the authority's reason, which the result records.
	Budget   *tradeplan.Decimal
	Override string

	Upgrades    []Upgrade
	Feasibility Feasibility // nil: lawful exports count at their planned quantity

	// CurrencyPerWeek, when above 0, is the currency that arrives each week
	// (in Currency): goods enter, and are paid for, only as it arrives;
	// what a week does not spend carries over. 0: the budget is there from
	// week 1.
	CurrencyPerWeek tradeplan.Decimal

	Weeks int       // weeks in the schedule; 0: from the plans' period, else 26
	Start time.Time // first day of week 1; zero: the plans' earliest start
}

// Line statuses.
const (
	Funded   = "funded"
	Partial  = "partial"
	Held     = "held"
	Deferred = "deferred"
	Excluded = "excluded"
)

// Tier sources.
const (
	SourceDefault  = "default"
	SourceClaimed  = "claimed"
	SourceUpgraded = "upgraded"
)

// Result is the ranking of the import lines of a set of plans.
type Result struct {
	Currency string        `json:"currency"`
	Policy   string        `json:"policy"`
	Budget   Budget        `json:"budget"`
	Tiers    []TierResult  `json:"tiers"`
	Lines    []*LineResult `json:"lines"`
	Schedule *Schedule     `json:"schedule,omitempty"`
	// WhatIf is the same ranking as a linear programme, when asked for.
	WhatIf  *WhatIfResult `json:"what_if,omitempty"`
	Notices []string      `json:"notices,omitempty"`
}

// TierResult is what one tier was given and used.
type TierResult struct {
	Tier      int               `json:"tier"`
	Name      string            `json:"name"`
	Share     tradeplan.Decimal `json:"share"`
	Reserved  tradeplan.Decimal `json:"reserved"`
	FromAbove tradeplan.Decimal `json:"from_above"` // passed down from higher tiers (and the unreserved part)
	Need      tradeplan.Decimal `json:"need"`       // verified need of its funded-or-cut lines
	Funded    tradeplan.Decimal `json:"funded"`
	Leftover  tradeplan.Decimal `json:"leftover"` // from a second round, after every tier had its turn
	PassedOn  tradeplan.Decimal `json:"passed_on"`
	Deferred  bool              `json:"deferred,omitempty"`
}

// LineResult is one import line's outcome and why.
type LineResult struct {
	Plan         string            `json:"plan"`
	Line         int               `json:"line"`
	Pos          string            `json:"pos,omitempty"`
	Organisation string            `json:"organisation"`
	Description  string            `json:"description"`
	HS           string            `json:"hs"`
	Quantity     tradeplan.Decimal `json:"quantity"`
	Unit         string            `json:"unit"`
	Value        tradeplan.Decimal `json:"value"` // requested, in the budget's currency
	Verdict      tradeplan.Verdict `json:"verdict"`
	Tier         int               `json:"tier"`
	TierSource   string            `json:"tier_source"`
	Claim        string            `json:"claim,omitempty"`
	Upgrade      *Upgrade          `json:"upgrade,omitempty"`
	Need         tradeplan.Decimal `json:"need"` // verified need, in the budget's currency
	FundedValue  tradeplan.Decimal `json:"funded_value"`
	FundedQty    tradeplan.Decimal `json:"funded_quantity"`
	Currency     string            `json:"currency"`
	Status       string            `json:"status"`
	Reason       string            `json:"reason"`
	Citations    []string          `json:"citations,omitempty"`
	Week         string            `json:"week,omitempty"` // "3" or "3-5"
	Crossing     string            `json:"crossing,omitempty"`
	Entries      []Placement       `json:"entries,omitempty"`
	Waiting      string            `json:"waiting,omitempty"` // what of it waits and why
}

// Budget is the foreign currency available for the period, by part.
type Budget struct {
	Currency  string             `json:"currency"`
	Receipts  BudgetPart         `json:"receipts"`
	Exports   BudgetPart         `json:"exports"`
	Reserves  BudgetPart         `json:"reserves"`
	Available tradeplan.Decimal  `json:"available"` // the three parts
	Stated    *tradeplan.Decimal `json:"stated,omitempty"`
	Override  string             `json:"override,omitempty"`
	Total     tradeplan.Decimal  `json:"total"` // what is allocated
	// Unallocated is what no line could take: every need met, or the
	// organisation and sanctions caps reached.
	Unallocated tradeplan.Decimal `json:"unallocated"`
	NotCounted  []BudgetLine      `json:"not_counted,omitempty"`
}

// BudgetPart is one part of the budget and what it came from.
type BudgetPart struct {
	Amount tradeplan.Decimal `json:"amount"`
	Note   string            `json:"note,omitempty"`
	Lines  []BudgetLine      `json:"lines,omitempty"`
}

// BudgetLine is one export line's contribution to the budget, or why it
// makes none.
type BudgetLine struct {
	Plan        string            `json:"plan"`
	Line        int               `json:"line"`
	Description string            `json:"description"`
	Verdict     tradeplan.Verdict `json:"verdict"`
	Value       tradeplan.Decimal `json:"value"` // as planned, in the line's currency
	Currency    string            `json:"currency"`
	Counted     tradeplan.Decimal `json:"counted"` // in the budget's currency, before the margin
	Reason      string            `json:"reason"`
}

// Rank ranks the import lines of entries: their tiers, the budget, the
// allocation and, when crossings are given, the entry schedule.
func Rank(entries []Entry, o Options) (*Result, error) {
	pol := o.Policy
	if pol == nil {
		pol = DefaultPolicy()
	}
	cur := o.Currency
	if cur == "" {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "the budget's currency is required")
	}
	if o.Rates != nil && o.Rates.Base != cur {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "the rates file %s converts into %s, the budget is in %s", o.Rates.File, o.Rates.Base, cur)
	}
	if err := checkInputs(entries, o); err != nil {
		return nil, err
	}
	r := &Result{Currency: cur, Policy: pol.File}
	lines, err := prepare(entries, pol, o, r)
	if err != nil {
		return nil, err
	}
	if err := budget(entries, pol, o, r); err != nil {
		return nil, err
	}
	allocate(lines, pol, r)
	if o.Crossings != nil {
		r.Schedule = schedule(lines, pol, o, entries)
	} else {
		r.Notices = append(r.Notices, "no crossings file: no entry schedule (give --crossings)")
	}
	// The ranking: lines in the allocation by tier, then those held, those
	// of a deferred tier and those excluded; plan order within each.
	group := func(l *line) int {
		switch {
		case l.active:
			return 0
		case l.Status == Held:
			return 1
		case l.Status == Deferred:
			return 2
		}
		return 3
	}
	for i, l := range lines {
		l.order = i
		l.group = group(l)
	}
	slices.SortFunc(lines, func(a, b *line) int {
		if c := cmp.Compare(a.group, b.group); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Tier, b.Tier); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	r.Lines = make([]*LineResult, len(lines))
	for i, l := range lines {
		r.Lines[i] = &l.LineResult
	}
	return r, nil
}

// line is an import line being ranked.
type line struct {
	LineResult
	plan    *tradeplan.Plan
	src     *tradeplan.Line
	org     string // organisation key
	fair    uint64 // place in the fair order among equals
	caps    []*tradeplan.CapUse
	capHold []tradeplan.Decimal // cap units held for this line during a fill
	bound   tradeplan.Decimal   // most it may get: its need, within its caps
	got     tradeplan.Decimal
	reasons []string
	limitBy string // what stopped it short of its need
	// crossesCap: screening prohibited the part of it beyond a cap
	crossesCap bool
	active     bool // takes part in the allocation
	order      int  // place in the plans
	group      int  // place of its status in the ranking
}

func orgKey(e Entry) string {
	if e.OrgKey != "" {
		return e.OrgKey
	}
	return strings.ToLower(strings.Join(strings.Fields(e.Plan.Organisation), " "))
}

// fairHash orders equals without favouring any name: a hash, not the
// alphabet, so that no organisation gains by what it calls itself.
func fairHash(parts ...string) uint64 {
	// FNV-1a, 64 bits, each part followed by a zero byte
	h := uint64(14695981039346656037)
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= 1099511628211
		}
		h *= 1099511628211
	}
	return h
}

// prepare reads the import lines: their tier, value in the budget's
// currency and what screening said.
func prepare(entries []Entry, pol *Policy, o Options, r *Result) ([]*line, error) {
	type key struct {
		plan string
		line int
	}
	ups := map[key]*Upgrade{}
	var probs tradeplan.Problems
	for i := range o.Upgrades {
		u := &o.Upgrades[i]
		pos := tradeplan.Position{Path: fmt.Sprintf("upgrades[%d]", i)}
		switch {
		case strings.TrimSpace(u.Reviewer) == "":
			probs.Add(pos, "reviewer", "an upgrade names its reviewer")
		case strings.TrimSpace(u.Reason) == "":
			probs.Add(pos, "reason", "an upgrade gives its reason")
		case u.Tier < 1 || u.Tier > len(pol.Tiers):
			probs.Add(pos, "tier", "want a tier from 1 to %d, found %d", len(pol.Tiers), u.Tier)
		default:
			if _, dup := ups[key{u.Plan, u.Line}]; dup {
				probs.Add(pos, "", "line %d of plan %s upgraded twice", u.Line, u.Plan)
			}
			ups[key{u.Plan, u.Line}] = u
		}
	}
	if len(probs) > 0 {
		return nil, probs.Err("upgrades")
	}
	used := map[key]bool{}
	sites := exportSites(entries, o)
	var out []*line
	var slab []line
	var reasons []string
	tierReason := map[string]string{} // by HS code: the reason of a default tier
	for _, e := range entries {
		org := orgKey(e)
		for i := range e.Plan.Lines {
			src := &e.Plan.Lines[i]
			if src.Direction != tradeplan.Import {
				continue
			}
			rep := &e.Report.Lines[i]
			if len(slab) == 0 {
				slab = make([]line, 1024)
				reasons = make([]string, 1024*6)
			}
			l := &slab[0]
			slab = slab[1:]
			// (fields set one by one: the slab is zeroed, and a literal
			// of this size is built on the stack and copied)
			l.plan, l.src, l.org = e.Plan, src, org
			l.fair = fairHash(org, e.Plan.ID, strconv.Itoa(src.Index))
			l.reasons = reasons[0:0:6]
			reasons = reasons[6:]
			l.Plan, l.Line, l.Pos = e.Plan.ID, src.Index, src.Pos.String()
			l.Organisation = e.Plan.Organisation
			l.Description = src.Description
			l.HS = rep.HS.Code
			if l.HS == "" {
				l.HS = src.HS
			}
			l.Quantity, l.Unit = src.Quantity, src.Unit
			l.Verdict = rep.Verdict
			l.Currency = o.Currency
			v, err := o.Rates.Convert(src.Value, src.Currency, o.Currency)
			if src.Value.Sign() > 0 && err != nil {
				probs.Add(src.Pos, "currency", "%s", tradeplan.ErrorMessage(err))
			}
			l.Value = v

			// Tier: the goods' default; an applicant's claim above it
			// counts only once a reviewer upgrades it.
			def, matched := pol.TierOf(l.HS)
			// Spares for a site that makes lawful exports: a tier of the
			// goods and the site, never of a word the applicant chose.
			spares := ""
			if st := pol.SiteSpares.Tier; st > 0 && st < def && src.Source != nil && !pol.tier(def).Defer && pol.IsSpare(l.HS) {
				if ex, ok := sites[siteKey(src.Source.Site)]; ok {
					spares = fmt.Sprintf("T%d %s: spares for site %s, which makes lawful exports (%s); its goods (HS %s) are T%d", st, pol.tier(st).Name, src.Source.Site, ex, l.HS, def)
					def = st
				}
			}
			l.Tier, l.TierSource = def, SourceDefault
			how := func() string {
				switch {
				case l.HS == "":
					return "no HS code"
				case !matched:
					return "HS " + l.HS + ", in no tier's list"
				}
				return "HS " + l.HS
			}
			claimed := pol.ClaimedTier(src.Necessity)
			k := key{e.Plan.ID, src.Index}
			if u := ups[k]; u != nil {
				used[k] = true
				l.Tier, l.TierSource, l.Upgrade = u.Tier, SourceUpgraded, u
				l.reasons = append(l.reasons, fmt.Sprintf("T%d %s: upgraded from T%d (%s) by %s: %s", u.Tier, pol.tier(u.Tier).Name, def, how(), u.Reviewer, u.Reason))
			} else {
				switch {
				case claimed > def && src.Necessity == tradeplan.Useful:
					// Only an applicant's own "useful" places goods below
					// their tier: necessity words are claims, not tiers.
					l.Tier, l.TierSource = claimed, SourceClaimed
					l.reasons = append(l.reasons, fmt.Sprintf("T%d %s: the applicant's own claim (%s), below its goods' T%d (%s)", claimed, pol.tier(claimed).Name, src.Necessity, def, how()))
				case spares != "":
					l.reasons = append(l.reasons, spares)
				default:
					r, ok := tierReason[l.HS]
					if !ok {
						r = fmt.Sprintf("T%d %s (%s)", def, pol.tier(def).Name, how())
						tierReason[l.HS] = r
					}
					l.reasons = append(l.reasons, r)
				}
				if claimed != 0 && claimed < def {
					l.Claim = fmt.Sprintf("claimed %s (T%d): counts only after a reviewer upgrades it", src.Necessity, claimed)
				}
			}
			// A line prohibited only for its part beyond a cap is lawful
			// within what the cap has left: the allocation draws on the
			// cap in the order of the ranking, not of the plan.
			l.Verdict = tradeplan.Clear
			for fi := range rep.Findings {
				f := &rep.Findings[fi]
				v := f.Outcome
				if f.Cap != nil && !f.Cap.From.IsZero() {
					l.caps = append(l.caps, f.Cap)
					if v == tradeplan.Prohibited && f.Cap.Excess.Sign() > 0 {
						v = tradeplan.Capped
						l.crossesCap = true
					}
				}
				l.Verdict = l.Verdict.Stricter(v)
			}
			for fi := range rep.Findings {
				f := &rep.Findings[fi]
				if f.Outcome == l.Verdict && l.Verdict >= tradeplan.Capped || l.crossesCap && f.Cap != nil {
					c := f.Summary
					if f.Citation() != "" {
						c = f.Citation() + ": " + f.Summary
					}
					l.Citations = append(l.Citations, c)
				}
			}
			if l.crossesCap && l.Verdict == tradeplan.Capped {
				l.reasons = append(l.reasons, "screened in plan order it crosses its cap; ranked, it may draw on what the cap has left")
			}
			out = append(out, l)
		}
	}
	for k := range ups {
		if !used[k] {
			probs.Add(tradeplan.Position{Path: "upgrades"}, "", "no import line %d in plan %s to upgrade", k.line, k.plan)
		}
	}
	if err := probs.Err("imports"); err != nil {
		return nil, err
	}
	return out, nil
}

// budget works out the foreign currency available and what is allocated.
func budget(entries []Entry, pol *Policy, o Options, r *Result) error {
	b := &r.Budget
	b.Currency = o.Currency
	rc := o.ReceiptsCurrency
	if rc == "" {
		rc = o.Currency
	}
	rec, err := o.Rates.Convert(o.Receipts, rc, o.Currency)
	if err != nil {
		return tradeplan.Errorf(tradeplan.EInvalid, "receipts: %s", tradeplan.ErrorMessage(err))
	}
	b.Receipts.Amount = rec
	b.Receipts.Note = fmt.Sprintf("%s %s in hand", o.Receipts, rc)

	var probs tradeplan.Problems
	sum := tradeplan.Decimal{}
	for _, e := range entries {
		for i := range e.Plan.Lines {
			src := &e.Plan.Lines[i]
			if src.Direction != tradeplan.Export {
				continue
			}
			rep := &e.Report.Lines[i]
			bl := BudgetLine{Plan: e.Plan.ID, Line: src.Index, Description: src.Description, Verdict: rep.Verdict,
				Value: src.Value, Currency: src.Currency}
			switch rep.Verdict {
			case tradeplan.Prohibited:
				bl.Reason = "prohibited, earns nothing: " + citations(rep, tradeplan.Prohibited)
				b.NotCounted = append(b.NotCounted, bl)
				continue
			case tradeplan.Review:
				bl.Reason = "held for review, not counted until decided: " + citations(rep, tradeplan.Review)
				b.NotCounted = append(b.NotCounted, bl)
				continue
			}
			v, err := o.Rates.Convert(src.Value, src.Currency, o.Currency)
			if err != nil {
				probs.Add(src.Pos, "currency", "%s", tradeplan.ErrorMessage(err))
				continue
			}
			bl.Reason = rep.Verdict.String() + ", counted at its planned quantity"
			if o.Feasibility != nil && src.Quantity.Sign() > 0 {
				fq, checked, err := o.Feasibility.FeasibleQuantity(e.Plan, src)
				if err != nil {
					return fmt.Errorf("feasibility of plan %s line %d: %w", e.Plan.ID, src.Index, err)
				}
				if !checked {
					bl.Reason = rep.Verdict.String() + ", counted at its planned quantity: its feasibility is not checked"
				} else if fq.Cmp(src.Quantity) < 0 {
					f := floorQuo(fq, src.Quantity, fracPlaces)
					v = floorTo(v.Mul(f), tradeplan.CurrencyPlaces(o.Currency))
					bl.Reason = fmt.Sprintf("%s, counted at its feasible %s of %s %s", rep.Verdict, fq, src.Quantity, src.Unit)
				} else {
					bl.Reason = rep.Verdict.String() + ", feasible as planned"
				}
			}
			bl.Counted = v
			sum = sum.Add(v)
			b.Exports.Lines = append(b.Exports.Lines, bl)
		}
	}
	if err := probs.Err("exports"); err != nil {
		return err
	}
	b.Exports.Amount = floorTo(sum.Mul(pol.ExportMargin), tradeplan.CurrencyPlaces(o.Currency))
	b.Exports.Note = fmt.Sprintf("lawful exports %s %s x margin %s", sum, o.Currency, pol.ExportMargin)
	if o.Feasibility == nil {
		b.Exports.Note += "; feasibility NOT checked: lawful exports counted at their planned quantity"
		r.Notices = append(r.Notices, "export feasibility not checked: lawful exports are counted at their planned quantity")
	}
	if o.Reserves.Cmp(o.ReservesFloor) > 0 {
		b.Reserves.Amount = o.Reserves.Sub(o.ReservesFloor)
	}
	b.Reserves.Note = fmt.Sprintf("reserves %s above the floor %s", o.Reserves, o.ReservesFloor)
	b.Available = b.Receipts.Amount.Add(b.Exports.Amount).Add(b.Reserves.Amount)
	b.Total = b.Available
	if o.Budget != nil {
		s := *o.Budget
		b.Stated = &s
		if s.Cmp(b.Available) > 0 {
			if strings.TrimSpace(o.Override) == "" {
				return tradeplan.Errorf(tradeplan.EConflict, "a budget of %s %s is more than the receipts, lawful exports and reserves give (%s %s); only the authority's override, with its reason, allocates it", s, o.Currency, b.Available, o.Currency)
			}
			b.Override = o.Override
			r.Notices = append(r.Notices, fmt.Sprintf("OVERRIDE: a budget of %s %s, %s more than available, allocated by the authority's override: %s", s, o.Currency, s.Sub(b.Available), o.Override))
		}
		b.Total = s
	}
	return nil
}

func citations(rep *tradeplan.LineReport, v tradeplan.Verdict) string {
	var out []string
	for _, f := range rep.Findings {
		if f.Outcome != v {
			continue
		}
		if f.Citation() != "" {
			out = append(out, f.Citation())
		} else {
			out = append(out, f.Summary)
		}
	}
	return strings.Join(out, "; ")
}

// checkInputs refuses what would count twice or count against the budget:
// a plan given twice (its exports would earn twice), negative amounts.
func checkInputs(entries []Entry, o Options) error {
	seen := map[string]bool{}
	for i, e := range entries {
		if e.Plan == nil || e.Report == nil || len(e.Report.Lines) != len(e.Plan.Lines) {
			return tradeplan.Errorf(tradeplan.EInternal, "imports: entry %d: plan and report do not match", i)
		}
		if seen[e.Plan.ID] {
			return tradeplan.Errorf(tradeplan.EInvalid, "plan %s is given twice (%s): each plan counts once", e.Plan.ID, e.Plan.File)
		}
		seen[e.Plan.ID] = true
	}
	for _, a := range []struct {
		name string
		v    tradeplan.Decimal
	}{{"receipts", o.Receipts}, {"reserves", o.Reserves}, {"reserves floor", o.ReservesFloor}, {"currency per week", o.CurrencyPerWeek}} {
		if a.v.Sign() < 0 {
			return tradeplan.Errorf(tradeplan.EInvalid, "%s: want an amount at least 0, got %s", a.name, a.v)
		}
	}
	if o.Budget != nil && o.Budget.Sign() < 0 {
		return tradeplan.Errorf(tradeplan.EInvalid, "budget: want an amount at least 0, got %s", *o.Budget)
	}
	return nil
}
