package tradeplan

import (
	"fmt"
	"time"
)

// Verdict is the outcome of screening one line, or of one finding.
//
// Strictness, from least to most strict: clear, capped, review, prohibited.
// A capped line is lawful within the remaining quantity of a cap; a line under
// review cannot be decided without a person (missing facts, a cited
// exemption, a possible party match, doubtful classification), so it ranks
// above capped; prohibited can never be licensed.
type Verdict uint8

const (
	Clear Verdict = iota
	Capped
	Review
	Prohibited
)

var verdictNames = [...]string{"clear", "capped", "review", "prohibited"}

func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("verdict(%d)", uint8(v))
}

// ParseVerdict reads a verdict name.
func ParseVerdict(s string) (Verdict, error) {
	for i, n := range verdictNames {
		if n == s {
			return Verdict(i), nil
		}
	}
	return Clear, Errorf(EInvalid, "unknown verdict %q (want clear, capped, review or prohibited)", s)
}

// Stricter returns the stricter of v and w.
func (v Verdict) Stricter(w Verdict) Verdict {
	if w > v {
		return w
	}
	return v
}

func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

func (v *Verdict) UnmarshalText(b []byte) error {
	p, err := ParseVerdict(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// Finding kinds.
const (
	KindGoods          = "goods"          // a goods sanctions rule applies
	KindParty          = "party"          // a partner matches a designated party
	KindVessel         = "vessel"         // a vessel matches a designated vessel
	KindClassification = "classification" // the HS code is missing, invalid or in doubt
	KindFeasibility    = "feasibility"    // an export exceeds what can be produced
)

// Finding is one reason for a line's verdict, with the source it rests on.
//
// What a finding rests on is in two embedded parts: Basis, the rule and
// citation (goods findings, and the citation of a party or vessel
// finding), and Match, the list entry matched (party and vessel findings).
// A finding encodes and decodes as one flat record. Either part may be nil
// (a classification or feasibility finding has neither): read their fields
// through the methods of the same names (f.Rule(), f.EntryID()), which
// return the zero value for a missing part and shadow the promoted fields,
// so that no read of a finding can panic.
type Finding struct {
	Kind    string  `json:"kind"`
	Outcome Verdict `json:"outcome"`
	Summary string  `json:"summary"`

	// Goods rules.
	*Basis
	Notes   []string `json:"notes,omitempty"`   // policy choices, superseding rules, exemptions
	Missing []string `json:"missing,omitempty"` // facts the rule needs and the line lacks
	Cap     *CapUse  `json:"cap,omitempty"`

	// Party and vessel matches.
	*Match

	Explanation string `json:"explanation,omitempty"` // why it matched, in words
}

// The fields of Basis and Match are read through these methods, one per
// field (TestFindingReaders): Basis and Match stay embedded pointers so that
// a finding encodes as one flat record and a Basis is shared by every
// finding of its rule.

// Rule returns the rule id of the finding's basis, or "".
func (f Finding) Rule() string {
	if f.Basis == nil {
		return ""
	}
	return f.Basis.Rule
}

// Regime returns the regime of the finding's basis, or "".
func (f Finding) Regime() string {
	if f.Basis == nil {
		return ""
	}
	return f.Basis.Regime
}

// Resolution returns the resolution of the finding's basis, or "".
func (f Finding) Resolution() string {
	if f.Basis == nil {
		return ""
	}
	return f.Basis.Resolution
}

// Paragraph returns the paragraph of the finding's basis, or "".
func (f Finding) Paragraph() string {
	if f.Basis == nil {
		return ""
	}
	return f.Basis.Paragraph
}

// Citation returns the citation of the finding's basis, or "".
func (f Finding) Citation() string {
	if f.Basis == nil {
		return ""
	}
	return f.Basis.Citation
}

// Status returns how settled the finding's rule is, or "".
func (f Finding) Status() string {
	if f.Basis == nil {
		return ""
	}
	return f.Basis.Status
}

// List returns the list of the entry matched, or "".
func (f Finding) List() string {
	if f.Match == nil {
		return ""
	}
	return f.Match.List
}

// EntryID returns the id of the list entry matched, or "".
func (f Finding) EntryID() string {
	if f.Match == nil {
		return ""
	}
	return f.Match.EntryID
}

// Name returns the listed primary name matched, or "".
func (f Finding) Name() string {
	if f.Match == nil {
		return ""
	}
	return f.Match.Name
}

// MatchedName returns the listed name that matched, or "".
func (f Finding) MatchedName() string {
	if f.Match == nil {
		return ""
	}
	return f.Match.MatchedName
}

// Query returns the name screened, or "".
func (f Finding) Query() string {
	if f.Match == nil {
		return ""
	}
	return f.Match.Query
}

// Score returns the score of the match, or 0.
func (f Finding) Score() float64 {
	if f.Match == nil {
		return 0
	}
	return f.Match.Score
}

// Strength returns the strength of the match ("strong", "possible"), or "".
func (f Finding) Strength() string {
	if f.Match == nil {
		return ""
	}
	return f.Match.Strength
}

// Decision returns the recorded decision that applied to the match, or "".
func (f Finding) Decision() string {
	if f.Match == nil {
		return ""
	}
	return f.Match.Decision
}

// EntryVersion returns the version of the list entry matched, or "".
func (f Finding) EntryVersion() string {
	if f.Match == nil {
		return ""
	}
	return f.Match.EntryVersion
}

// Basis is what a finding rests on: the goods rule it applies and where
// the law says it, or for a party or vessel match the citation of the list.
// The rule engine makes one per rule and shares it between every finding of
// that rule: a Basis is read-only once made.
type Basis struct {
	Rule       string `json:"rule,omitempty"`       // rule id, e.g. "un-dprk/2371-op9"
	Regime     string `json:"regime,omitempty"`     // e.g. "UN DPRK (1718)"
	Resolution string `json:"resolution,omitempty"` // e.g. "2371"
	Paragraph  string `json:"paragraph,omitempty"`  // e.g. "OP9", "Annex IV"
	Citation   string `json:"citation,omitempty"`   // e.g. "UNSCR 2371 (2017) OP9"
	Status     string `json:"status,omitempty"`     // how settled the encoding is: verified, recalled (R), policy (P)
}

// Match is the list entry a party or vessel finding matched, and how.
type Match struct {
	List        string  `json:"list,omitempty"` // "un", "ofac"
	EntryID     string  `json:"id,omitempty"`   // e.g. "KPe.004"
	Name        string  `json:"name,omitempty"` // the listed primary name
	MatchedName string  `json:"matched_name,omitempty"`
	Query       string  `json:"query,omitempty"` // what was screened
	Score       float64 `json:"score,omitempty"`
	Strength    string  `json:"strength,omitempty"` // "strong" or "possible"
	Decision    string  `json:"decision,omitempty"` // a recorded decision that applied
	// EntryVersion identifies the content of the list entry matched (a hash),
	// so that a recorded decision lapses when the entry changes.
	EntryVersion string `json:"entry_version,omitempty"`
}

// CapUse is a line's draw on a quantity or value cap.
type CapUse struct {
	Cap       string    `json:"cap"` // cap id, unique within its rule pack
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Limit     Decimal   `json:"limit"`
	Unit      string    `json:"unit"`
	Quantity  Decimal   `json:"quantity"`        // this line's draw, in Unit
	Used      Decimal   `json:"used"`            // used before this line: earlier lines and issued permits
	Remaining Decimal   `json:"remaining"`       // left after this line, never below zero
	Excess    Decimal   `json:"excess,omitzero"` // the part of this line beyond the cap
}

// HSAssignment is the HS code a line is screened under, and how it was found.
type HSAssignment struct {
	Code       string      `json:"code"`   // HS6 or HS4 digits; "" when none could be found
	Source     string      `json:"source"` // "declared", "classified" or "none"
	Confidence float64     `json:"confidence"`
	Title      string      `json:"title,omitempty"`
	Note       string      `json:"note,omitempty"` // e.g. a national code cut to HS6
	Candidates []Candidate `json:"candidates,omitempty"`
}

// Candidate is one HS code proposed for a goods description.
type Candidate struct {
	Code     string   `json:"code"`
	Level    int      `json:"level"` // 2, 4 or 6 digits
	Score    float64  `json:"score"` // in [0, 1]
	Title    string   `json:"title"`
	Evidence []string `json:"evidence"` // which words matched what
}

// LineReport is the screening result of one line.
type LineReport struct {
	Index       int          `json:"index"`
	Pos         string       `json:"pos,omitempty"`
	Direction   Direction    `json:"direction,omitempty"`
	Description string       `json:"description"`
	Origin      string       `json:"origin"`
	Destination string       `json:"destination"`
	Quantity    Decimal      `json:"quantity,omitzero"`
	Unit        string       `json:"unit,omitempty"`
	Value       Decimal      `json:"value,omitzero"`
	Currency    string       `json:"currency,omitempty"`
	Partner     *Party       `json:"partner,omitempty"`
	Vessel      *Vessel      `json:"vessel,omitempty"`
	Crossing    string       `json:"crossing,omitempty"`
	HS          HSAssignment `json:"hs"`
	Verdict     Verdict      `json:"verdict"`
	Findings    []Finding    `json:"findings"`
	// Feasibility is the export-feasibility block, only when the report
	// was made with a site file (package feasibility).
	Feasibility *Feasibility `json:"feasibility,omitempty"`
}

// Summary counts a plan's lines by verdict.
type Summary struct {
	Lines      int `json:"lines"`
	Prohibited int `json:"prohibited"`
	Capped     int `json:"capped"`
	Review     int `json:"review"`
	Clear      int `json:"clear"`
}

// Add counts one verdict.
func (s *Summary) Add(v Verdict) {
	s.Lines++
	switch v {
	case Prohibited:
		s.Prohibited++
	case Capped:
		s.Capped++
	case Review:
		s.Review++
	default:
		s.Clear++
	}
}

// PlanReport is the screening result of one plan.
type PlanReport struct {
	ID           string  `json:"id"`
	Organisation string  `json:"organisation,omitempty"`
	Country      string  `json:"country,omitempty"`
	Period       string  `json:"period,omitempty"`
	File         string  `json:"file,omitempty"`
	AsOf         string  `json:"as_of"`
	Summary      Summary `json:"summary"`
	// Lists are the sanctions lists partners and vessels were screened
	// against; empty when none was loaded.
	Lists []ListVersion `json:"lists"`
	// Notices say what the report could not check, in words for its
	// reader: NoListsNotice when partners and vessels were not screened.
	Notices []string     `json:"notices,omitempty"`
	Lines   []LineReport `json:"lines"`
}

// ListVersion names a sanctions list and the version screened against.
type ListVersion struct {
	Name    string `json:"name"`    // "un", "ofac"
	Version string `json:"version"` // the list's own date, or the start of its hash
}

// NoListsNotice is the notice of a report screened with no sanctions list.
const NoListsNotice = "partners and vessels were NOT screened: no sanctions lists were loaded"

// Report is the result of screening one or more plans.
type Report struct {
	Plans []PlanReport `json:"plans"`
}
