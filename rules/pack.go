package rules

import (
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Flow is the direction of goods relative to a pack's target country.
type Flow string

const (
	FromTarget Flow = "from-target" // supply, sale or transfer by the target: its exports, wherever they go
	ToTarget   Flow = "to-target"   // supply, sale or transfer to the target: its imports
	BothFlows  Flow = "both"
)

// Statuses of a rule's encoding.
const (
	StatusVerified = "verified" // content and paragraph checked against a quoted source
	StatusRecalled = "recalled" // content corroborated; paragraph number recalled, to confirm
	StatusPolicy   = "policy"   // a policy choice of implementation (the text names no HS code)
)

// Cap periods.
const (
	PeriodCalendarYear = "calendar-year"     // 1 January to 31 December of the line's year
	PeriodRolling12    = "rolling-12-months" // consecutive 12-month windows from Start
	PeriodFixed        = "fixed"             // one window, From to To
)

// Pack is one rule pack: the rules of one regime against one target country.
type Pack struct {
	Name        string // "un-dprk"; rule ids are Name + "/" + local id
	Regime      string // "UN DPRK (1718)"
	Instrument  string // citation prefix: "UNSCR"
	Target      string // ISO 3166 alpha-2
	Description string
	Source      string // where the facts come from
	File        string // where the pack was read from ("embedded:un-dprk.yaml")
	Digest      string // SHA-256 of the file's bytes, hex ("" for a pack built in code)
	// Places are names of ports and border crossings in the target
	// ("Rajin", "Sinuiju"): a line whose crossing names one passes through
	// the target, though no origin, destination, partner or vessel says so.
	Places []string
	Rules  []*Rule
}

// Rule is one goods measure.
type Rule struct {
	ID    string // pack name + "/" + local id: "un-dprk/2371-op9"
	Local string // "2371-op9"
	Pack  *Pack
	Title string

	Citation Citation
	// Status is verified, recalled or policy; StatusNote says what is to be
	// confirmed. Policy says which policy choice the encoding makes (required
	// for status policy, allowed for any rule whose HS codes are a choice).
	Status     string
	StatusNote string
	Policy     string
	Notes      []string
	// Checked says where the citation was checked: the document symbol and
	// paragraph read, and the text it was read in. Required for verified.
	Checked string
	// Question names the fact a review rule needs answered (the assay of
	// crude or condensate): it is added to the finding's Missing.
	Question string
	// WindDown is a period after adoption in which contracts made before
	// adoption may still be performed, on a condition (notification).
	WindDown *WindDown

	From         time.Time // first day in force
	To           time.Time // last day in force; zero while in force
	SupersededBy string    // full rule id

	Flow        Flow
	Include     []GoodsSpec
	Exclude     []GoodsSpec
	Description Terms // rule-wide description conditions
	UnitValue   *Threshold
	Caps        []*Cap
	Exemptions  []Exemption
	// WhenExemptionCited: the rule applies only to lines that cite an
	// exemption reference (the humanitarian exemption procedure).
	WhenExemptionCited bool
	Outcome            tradeplan.Verdict
	Summary            string

	Pos tradeplan.Position

	// What a line reads of every rule it meets, to rule most of them out;
	// kept together, and made by New.
	seq               int   // position in the engine, for a stable order of findings
	firstDay, lastDay int64 // first and last day numbers (see dayNumber) in force
	leaves, enters    bool  // Flow covers goods leaving the target, going to it
	exemptionOnly     bool  // WhenExemptionCited

	catchAll bool // an include entry spans 50 chapters or more

	// precomputed for findings
	basis       *tradeplan.Basis // rule, regime, citation and status, shared by its findings
	policyBasis *tradeplan.Basis // the same, with the status when a policy entry matched
	notes       []string
	capSummary  []string // Summary with each cap's figures
	effText     string   // "from 2017-08-05"
}

// WindDown is the period, from the day a measure takes effect to To, in
// which a resolution lets contracts finalised before adoption be performed,
// on Condition. A line dated inside it is review, never prohibited: whether
// it is lawful depends on the contract's date and the notification.
type WindDown struct {
	To        time.Time // last day of the period
	Condition string    // what the resolution requires: contracts, notification
	lastDay   int64
	note      string // for findings
	missing   string
}

// Citation names the paragraph a rule rests on.
type Citation struct {
	Resolution string // "2371"
	Year       int    // 2017
	Paragraph  string // "OP9", "Annex IV"
	Text       string // full citation when the default form does not fit
}

// String is the citation as printed: "UNSCR 2371 (2017) OP9".
func (r *Rule) CitationText() string { return r.basis.Citation }

// StatusText is the status as reported in findings: "recalled", "verified,
// policy" when an HS choice is a policy, and so on.
func (r *Rule) StatusText() string { return r.basis.Status }

// InForce reports whether the rule is in force on day d.
func (r *Rule) InForce(d time.Time) bool {
	if !r.From.IsZero() && d.Before(r.From) {
		return false
	}
	if !r.To.IsZero() && d.After(r.To) {
		return false
	}
	return true
}

// inForceOn is InForce for day number n.
func (r *Rule) inForceOn(n int64) bool { return r.firstDay <= n && n <= r.lastDay }

// dayNumber counts the days from 1970-01-01 to the UTC day of d.
func dayNumber(d time.Time) int64 {
	s := d.Unix()
	n := s / 86400
	if s%86400 < 0 {
		n--
	}
	return n
}

// GoodsSpec is one HS include or exclude entry: a chapter, heading or
// subheading, or a range of them of one length ("86-89", "7201-7206").
type GoodsSpec struct {
	Raw         string // as written
	Lo, Hi      string // digits, same length (2, 4 or 6)
	Description Terms  // conditions on the description for this entry only
	Policy      string // the entry is a policy choice: why
	Pos         tradeplan.Position

	// precomputed for findings from this entry
	text        string   // "chapter 03", for explanations
	policyNotes []string // the rule's notes and "P (policy choice) for ...", for a policy entry
}

// Level is the number of digits of the entry's codes.
func (s GoodsSpec) Level() int { return len(s.Lo) }

// Contains reports whether code (digits, at least as long as the entry)
// falls within the entry.
func (s GoodsSpec) Contains(code string) bool {
	if len(code) < len(s.Lo) {
		return false
	}
	p := code[:len(s.Lo)]
	return p >= s.Lo && p <= s.Hi
}

// Terms are conditions on a line's goods description. Terms match at the
// start of a word, case-insensitively: "statue" matches "statues".
type Terms struct {
	Any  []string // at least one must appear
	All  []string // every one must appear
	None []string // none may appear
	// IfMissing is what happens when the line has no description and Any or
	// All is set: "review" (the default: the rule needs the description) or
	// "skip" (the rule applies only on positive evidence).
	IfMissing string

	wholeWords bool       // every term ends where a word ends (place names)
	match      *termMatch // set by prepare; nil without terms
}

func (t *Terms) empty() bool     { return len(t.Any) == 0 && len(t.All) == 0 && len(t.None) == 0 }
func (t *Terms) needsText() bool { return len(t.Any) > 0 || len(t.All) > 0 }

// Threshold is a unit-value floor: the rule covers goods worth more than
// Over Currency per unit of Per.
type Threshold struct {
	Over     tradeplan.Decimal
	Currency string
	Per      string // canonical unit symbol, "pcs"
}

// Cap is a quantity or value ceiling on a capped rule.
type Cap struct {
	ID          string // full id: pack name + "/" + local cap id
	Limit       tradeplan.Decimal
	Unit        string // canonical unit symbol, or a currency code ("USD") for value caps
	Period      string
	Start       time.Time // rolling windows start here
	From, To    time.Time // fixed window
	Conversions []Conversion
	Note        string

	unit     tradeplan.Unit // Unit looked up, for capQuantity
	quantity bool           // Unit is a unit, not a currency
	// The first rollingYears windows of a rolling cap, made by New:
	// Window looks them up rather than doing date arithmetic per line.
	windows []window
}

const rollingYears = 100

// Conversion converts a line's quantity into the cap unit across dimensions
// (tonnes to barrels): capUnitQuantity = lineQuantity(in From) * Factor.
type Conversion struct {
	From   string
	Factor tradeplan.Decimal
	Note   string

	text string         // " at 8.5 bbl per t (note)", for findings
	from tradeplan.Unit // From looked up
}

// Value reports whether the cap counts money rather than quantity.
func (c *Cap) Value() bool {
	_, ok := tradeplan.LookupUnit(c.Unit)
	return !ok
}

// Window returns the cap window that contains day d, and false when no
// window does (before a rolling cap starts, outside a fixed window).
//
// Rolling caps ("in any 12-month period from 22 December 2017") are
// accounted in consecutive 12-month windows anchored at Start: the window of
// day d is [Start + k years, Start + (k+1) years - 1 day] for the k that
// contains d. All lines of a plan screened as of one date share a window.
func (c *Cap) Window(d time.Time) (from, to time.Time, ok bool) {
	switch c.Period {
	case PeriodCalendarYear:
		y := d.Year()
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), true
	case PeriodFixed:
		if d.Before(c.From) || d.After(c.To) {
			return time.Time{}, time.Time{}, false
		}
		return c.From, c.To, true
	case PeriodRolling12:
		if d.Before(c.Start) {
			return time.Time{}, time.Time{}, false
		}
		k := d.Year() - c.Start.Year()
		w := c.rollingWindow(k)
		if w.from.After(d) {
			w = c.rollingWindow(k - 1)
		}
		return w.from, w.to, true
	}
	return time.Time{}, time.Time{}, false
}

// rollingWindow is the k-th window of a rolling cap: from Start plus k
// years to the day before Start plus k+1 years.
func (c *Cap) rollingWindow(k int) window {
	if k < len(c.windows) {
		return c.windows[k]
	}
	return window{c.Start.AddDate(k, 0, 0), c.Start.AddDate(k+1, 0, -1)}
}

type window struct{ from, to time.Time }

// Exemption is a condition under which a rule's measure may not apply; a line
// that meets it goes to review (never clear): a person must confirm it.
type Exemption struct {
	ID      string
	Summary string
	// OriginNotTarget: the line's origin is known and is not the target
	// (transit of foreign coal).
	OriginNotTarget bool
	// Terms are looked for in the description, purpose and crossing.
	Terms Terms
	// HS, when set, limits the exemption to these codes (aircraft parts):
	// the words alone do not meet it on other goods.
	HS  []GoodsSpec
	Pos tradeplan.Position
}

// PeriodText describes a cap's period in words.
func (c *Cap) PeriodText() string {
	switch c.Period {
	case PeriodCalendarYear:
		return "per calendar year"
	case PeriodRolling12:
		return "per 12 months from " + c.Start.Format(dateLayout)
	case PeriodFixed:
		return "from " + c.From.Format(dateLayout) + " to " + c.To.Format(dateLayout)
	}
	return c.Period
}

const dateLayout = "2006-01-02"

func (r *Rule) effectiveText() string {
	var b strings.Builder
	if r.From.IsZero() {
		b.WriteString("always")
	} else {
		b.WriteString("from ")
		b.WriteString(r.From.Format(dateLayout))
	}
	if !r.To.IsZero() {
		b.WriteString(" to ")
		b.WriteString(r.To.Format(dateLayout))
	}
	return b.String()
}
