package tradeplan

import "time"

// The licensing domain: calls for plans, stored plans and their versions,
// line decisions, permits and border crossings. The rules that govern them
// live in package licensing; storage in package store.

// Call is a call for plans: an authority asks organisations to submit their
// trade plans for a period by a deadline.
type Call struct {
	ID       int64     `json:"id"`
	Period   string    `json:"period"` // as written: "2027-H1"
	From     time.Time `json:"from"`   // first day of the period
	To       time.Time `json:"to"`     // last day of the period
	Deadline time.Time `json:"deadline"`
	Guidance string    `json:"guidance"`
	// Issuer is the organisation of the authority that opened the call.
	Issuer int64 `json:"issuer"`
	// Organisations must submit a plan, and only they may; none means any
	// organisation may.
	Organisations []int64 `json:"organisations"`
	// IncludeOffices lets the organisations below those named submit too.
	IncludeOffices bool `json:"include_offices"`
	// AllowLate lets plans be submitted and amended after the deadline;
	// they are marked late.
	AllowLate bool `json:"allow_late"`
	// ForbidOwnReview stops a reviewer or compliance officer deciding on a
	// plan of their own organisation.
	ForbidOwnReview bool       `json:"forbid_own_review"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"` // closed early by hand
	CreatedBy       string     `json:"created_by"`
	CreatedAt       time.Time  `json:"created_at"`
}

// Span returns the call's period.
func (c Call) Span() Period { return Period{Label: c.Period, From: c.From, To: c.To} }

// PlanStatus is where a stored plan stands.
type PlanStatus string

const (
	PlanDraft     PlanStatus = "draft"     // being written; editable; not screened
	PlanSubmitted PlanStatus = "submitted" // screened; awaiting decisions on some line
	PlanDecided   PlanStatus = "decided"   // every line of the current version decided
)

// PlanRecord is a plan stored for a call: one organisation's submission,
// through its versions.
type PlanRecord struct {
	ID           int64      `json:"id"`
	CallID       int64      `json:"call_id"`
	Organisation int64      `json:"organisation"`
	Title        string     `json:"title"` // the organisation as the document names it
	Status       PlanStatus `json:"status"`
	Version      int        `json:"version"` // the current version, from 1
	Late         bool       `json:"late"`    // first submitted after the call's deadline
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	SubmittedAt  *time.Time `json:"submitted_at,omitempty"`
}

// PlanVersion is one version of a plan's lines. Version 1 is the first
// submission (and the draft before it); each amendment adds a version with
// the difference from the one before.
type PlanVersion struct {
	PlanID      int64       `json:"plan_id"`
	Version     int         `json:"version"`
	Plan        Plan        `json:"plan"`
	Report      *PlanReport `json:"report,omitempty"` // the screening at submission
	Diff        *PlanDiff   `json:"diff,omitempty"`   // from the previous version
	Reason      string      `json:"reason,omitempty"` // why it was amended
	CreatedBy   string      `json:"created_by"`
	CreatedAt   time.Time   `json:"created_at"`
	SubmittedBy string      `json:"submitted_by,omitempty"`
	SubmittedAt *time.Time  `json:"submitted_at,omitempty"`
}

// PlanDiff is the difference between two versions of a plan. Lines are
// 1-based indexes within their version.
type PlanDiff struct {
	From      int          `json:"from"`
	To        int          `json:"to"`
	Added     []int        `json:"added"`     // lines of To with no counterpart in From
	Removed   []int        `json:"removed"`   // lines of From with no counterpart in To
	Changed   []LineChange `json:"changed"`   // matched lines whose fields differ
	Unchanged [][2]int     `json:"unchanged"` // matched lines with equal fields: {from, to}
}

// LineChange is a line present in both versions with different fields.
type LineChange struct {
	From   int           `json:"from"`
	To     int           `json:"to"`
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one field's old and new value, as text.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Line decisions.
const (
	DecisionApprove = "approve"
	DecisionRefuse  = "refuse"
)

// LineDecision is a reviewer's decision on one line of a plan version.
type LineDecision struct {
	PlanID   int64  `json:"plan_id"`
	Version  int    `json:"version"`
	Line     int    `json:"line"`
	Decision string `json:"decision"` // approve or refuse
	// Quantity and Value approved: at most what the line requested. Zero for
	// a refusal.
	Quantity  Decimal  `json:"quantity"`
	Value     Decimal  `json:"value"`
	Reduced   bool     `json:"reduced"` // approved less than requested
	Reason    string   `json:"reason"`
	Citations []string `json:"citations,omitempty"` // of the findings it rests on
	PermitID  int64    `json:"permit_id,omitempty"`
	// CarriedFrom is the version whose decision this is, when an amendment
	// left the line unchanged.
	CarriedFrom int       `json:"carried_from,omitempty"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
}

// LineAssessment is a reviewer's own HS code for a line, kept beside the
// applicant's; the line is screened again under it.
type LineAssessment struct {
	PlanID  int64     `json:"plan_id"`
	Version int       `json:"version"`
	Line    int       `json:"line"`
	HS      string    `json:"hs"`
	Reason  string    `json:"reason"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// Compliance decisions on a finding that needs a person.
const (
	ComplianceCleared = "cleared" // the finding does not stand in the way of approval
	ComplianceUpheld  = "upheld"  // the finding stands: the line cannot be approved
)

// ComplianceDecision is a compliance officer's recorded decision on one
// review finding of a line. It is bound to the line of the organisation's
// plan it decided and, for a party or vessel match, to the facts of the
// match (Facts): other facts, a stronger match or a changed list entry
// reopen it. Only when General (an authority's decision, on purpose) is it
// also stored as a MatchDecision that later screenings of any plan reuse,
// still bound to its facts.
type ComplianceDecision struct {
	PlanID   int64  `json:"plan_id"`
	Version  int    `json:"version"`
	Line     int    `json:"line"`
	Finding  string `json:"finding"` // the finding's key (see licensing.FindingKey)
	Decision string `json:"decision"`
	// Match is the decision on a party or vessel match: false-positive
	// (cleared) or true-match (upheld).
	Match string      `json:"match,omitempty"`
	Facts *MatchFacts `json:"facts,omitempty"`
	// Evidence is what the decision rests on, required to clear a doubt
	// about the classification (documents, samples, a laboratory report).
	Evidence string    `json:"evidence,omitempty"`
	General  bool      `json:"general,omitempty"`
	Reason   string    `json:"reason"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// PermitStatus is where a permit stands.
type PermitStatus string

const (
	PermitIssued    PermitStatus = "issued"    // approved and usable while its crossing is open
	PermitSuspended PermitStatus = "suspended" // held; may be reinstated
	PermitRevoked   PermitStatus = "revoked"   // withdrawn for good
	PermitExpired   PermitStatus = "expired"   // its validity window has passed
	PermitExhausted PermitStatus = "exhausted" // its balance is used up
)

// Permit is the licence an approved line becomes: the goods, the approved
// quantity and value with the balances left, the window and the crossing.
type Permit struct {
	ID           int64        `json:"id"`
	Number       string       `json:"number"`
	Holder       int64        `json:"holder"` // organisation
	CallID       int64        `json:"call_id"`
	PlanID       int64        `json:"plan_id"`
	PlanVersion  int          `json:"plan_version"`
	Line         int          `json:"line"`
	Direction    Direction    `json:"direction"`
	Description  string       `json:"description"`
	HS           string       `json:"hs"`
	Origin       string       `json:"origin"`
	Destination  string       `json:"destination"`
	Partner      *Party       `json:"partner,omitempty"`
	Crossing     string       `json:"crossing"`
	Unit         string       `json:"unit"`
	Currency     string       `json:"currency"`
	Quantity     Decimal      `json:"quantity"` // approved
	Value        Decimal      `json:"value"`    // approved
	QuantityUsed Decimal      `json:"quantity_used"`
	ValueUsed    Decimal      `json:"value_used"`
	ValidFrom    time.Time    `json:"valid_from"`
	ValidTo      time.Time    `json:"valid_to"` // last day, inclusive
	Status       PermitStatus `json:"status"`
	StatusReason string       `json:"status_reason,omitempty"`
	Caps         []CapUse     `json:"caps,omitempty"` // its draws on goods caps, in the caps' units
	Citations    []string     `json:"citations,omitempty"`
	IssuedBy     string       `json:"issued_by"`
	IssuedAt     time.Time    `json:"issued_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// QuantityLeft is the quantity balance.
func (p Permit) QuantityLeft() Decimal { return MaxDecimal(p.Quantity.Sub(p.QuantityUsed), Decimal{}) }

// ValueLeft is the value balance.
func (p Permit) ValueLeft() Decimal { return MaxDecimal(p.Value.Sub(p.ValueUsed), Decimal{}) }

// PermitUse is one draw on a permit's balance: goods that crossed.
type PermitUse struct {
	ID        int64     `json:"id"`
	PermitID  int64     `json:"permit_id"`
	Quantity  Decimal   `json:"quantity"`
	Value     Decimal   `json:"value"`
	Crossing  string    `json:"crossing"`
	Reference string    `json:"reference,omitempty"` // a customs declaration or consignment number
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// CrossingStatus is whether a crossing lets goods through.
type CrossingStatus string

const (
	CrossingOpen   CrossingStatus = "open"
	CrossingClosed CrossingStatus = "closed"
)

// Crossing is a border crossing or port through which permitted goods pass.
type Crossing struct {
	ID        string         `json:"id"` // short code: "sinuiju-dandong"
	Name      string         `json:"name"`
	Kind      string         `json:"kind"`      // road, rail, bridge, port
	Countries []string       `json:"countries"` // the two sides, ISO 3166 alpha-2
	Status    CrossingStatus `json:"status"`
	Since     time.Time      `json:"since"` // when the status last changed
	Reason    string         `json:"reason,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
	// Capacity is what it can carry in a week; nil until an administrator
	// gives it (docs/imports.md#in-the-server).
	Capacity *CrossingCapacity `json:"capacity,omitempty"`
}

// CrossingEvent is one change of a crossing's status, in its history.
type CrossingEvent struct {
	Crossing string         `json:"crossing"`
	Status   CrossingStatus `json:"status"`
	Reason   string         `json:"reason"`
	By       string         `json:"by"`
	At       time.Time      `json:"at"`
}
