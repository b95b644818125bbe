package tradeplan

import (
	"context"
	"time"
)

// The interfaces below are where the screening pipeline (package screen)
// meets the packages that do each step. Implementations are pure and safe for
// concurrent use: the pipeline calls them from several goroutines at once.

// Classifier assigns HS codes (package hs).
type Classifier interface {
	// CheckCode validates a declared code (digits, with or without dots;
	// 4 or 6 digits; national 8-10 digit codes are cut to HS6 with a note).
	// An invalid code is an EInvalid *Error saying why.
	CheckCode(code string) (HSAssignment, error)
	// Classify returns at most top candidates for a free-text description,
	// best first. An empty result means nothing matched.
	Classify(description string, top int) []Candidate
	// Assign classifies a description into the code a line is screened
	// under (Source "classified", or "none" when nothing matched) and the
	// runners-up close enough to be in doubt with it, which the goods rules
	// weigh beside it. The classifier owns what "close enough" means.
	Assign(description string, top int) (HSAssignment, []string)
}

// GoodsLine is what the goods rules see of a line.
type GoodsLine struct {
	Line *Line
	// HS is the code the line is screened under (declared or classified).
	HS string
	// Alternatives are other HS codes the goods may fall under when the
	// classification is in doubt; a rule engine reports when their outcomes
	// differ from HS's (the line then needs review).
	Alternatives []string
	// WordsDecide says the Alternatives are the description's own reading,
	// certain enough to decide the code over a declared or assessed one:
	// a ban under them stands whatever code is written.
	WordsDecide bool
	AsOf        time.Time
}

// GoodsScreener evaluates goods sanctions rules (package rules). ScreenGoods
// is pure: it depends on its arguments only. Findings that draw on a cap carry
// a CapUse with Quantity set; the cumulative accounting across lines and
// permits is done by a CapLedger, in line order. The returned slice is the
// caller's to keep and change (the screener fills in cap figures in place).
type GoodsScreener interface {
	ScreenGoods(g GoodsLine) []Finding
}

// RuleCalendar is implemented by goods screeners whose rules change with
// the date: Changes returns the days within [from, to], after from, on
// which a rule comes into force or lapses, so that a licence can be judged
// on every day its verdict may change.
type RuleCalendar interface {
	Changes(from, to time.Time) []time.Time
}

// CapLedger accounts cumulative use of caps across the lines of a plan, in
// order. Apply fills in Used, Remaining and Excess of each finding's CapUse
// and raises the outcome to Prohibited for a line that crosses a cap; it
// changes no finding without a CapUse (a stream settles the lines without
// one out of order). It is called from one goroutine.
type CapLedger interface {
	Apply(ctx context.Context, findings []Finding) error
}

// CapUsage reports how much of a cap is already used by issued permits in a
// window, so that a plan's lines are counted on top of it. The licensing
// server implements it; the command line uses none (zero).
type CapUsage interface {
	CapUsed(ctx context.Context, capID string, from, to time.Time) (Decimal, error)
}

// PartyScreener screens names and vessels against sanctions lists
// (package parties). It returns strong and possible matches only, best first.
type PartyScreener interface {
	ScreenParty(p Party) []Finding
	ScreenVessel(v Vessel) []Finding
}

// MatchDecision is a recorded decision on a party or vessel match, made
// general on purpose by the authority: a false positive or a true match. It
// is bound to the facts it was made on (see Covers): the name as screened,
// the partner's country or vessel's flag, the kind, the list entry and its
// version, and the score; other facts or a stronger match reopen it.
type MatchDecision struct {
	Query        string    `json:"query"` // the name as screened, normalised by the matcher
	List         string    `json:"list"`
	EntryID      string    `json:"id"`
	EntryVersion string    `json:"entry_version"` // a hash of the entry's content when decided
	Kind         string    `json:"kind"`          // party or vessel
	Country      string    `json:"country"`       // the partner's country or the vessel's flag, "" when none
	Score        float64   `json:"score"`         // the match score decided on
	Strength     string    `json:"strength"`      // strong or possible
	Decision     string    `json:"decision"`      // "false-positive" or "true-match"
	Reason       string    `json:"reason"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
}

// MatchFacts are the facts a decision on a party or vessel match was made
// on. The lines carry no date of birth: a name, country and kind are what
// a line says of its partner.
type MatchFacts struct {
	Kind         string  `json:"kind"`
	Query        string  `json:"query"`
	Country      string  `json:"country,omitempty"`
	List         string  `json:"list"`
	EntryID      string  `json:"id"`
	EntryVersion string  `json:"entry_version"`
	Score        float64 `json:"score"`
	Strength     string  `json:"strength"`
}

// FactsOf returns the facts of a party or vessel finding on a line whose
// partner's country or vessel's flag is country; ok is false for other
// findings.
func FactsOf(f Finding, country string) (MatchFacts, bool) {
	if (f.Kind != KindParty && f.Kind != KindVessel) || f.Match == nil {
		return MatchFacts{}, false
	}
	return MatchFacts{Kind: f.Kind, Query: f.Query(), Country: country, List: f.List(), EntryID: f.EntryID(),
		EntryVersion: f.EntryVersion(), Score: f.Score(), Strength: f.Strength()}, true
}

// LineCountry is the country a line's party or vessel finding is judged
// with: the partner's country, or the vessel's flag.
func LineCountry(l *Line, kind string) string {
	switch {
	case kind == KindParty && l.Partner != nil:
		return l.Partner.Country
	case kind == KindVessel && l.Vessel != nil:
		return l.Vessel.Flag
	}
	return ""
}

// Covers reports whether a decision made on facts d covers a match with
// facts now: the same kind, name as screened, country, list entry and
// entry version, and a match no stronger than the one decided on.
func (d MatchFacts) Covers(now MatchFacts) bool {
	return d.Kind == now.Kind && d.Query == now.Query && d.Country == now.Country && d.List == now.List &&
		d.EntryID == now.EntryID && d.EntryVersion == now.EntryVersion &&
		strengthRank(now.Strength) <= strengthRank(d.Strength) && now.Score <= d.Score+1e-9
}

func strengthRank(s string) int {
	switch s {
	case "possible":
		return 1
	case "strong":
		return 2
	}
	return 3 // unknown: stronger than anything decided
}

// Facts are the facts a general decision was made on.
func (d MatchDecision) Facts() MatchFacts {
	return MatchFacts{Kind: d.Kind, Query: d.Query, Country: d.Country, List: d.List, EntryID: d.EntryID,
		EntryVersion: d.EntryVersion, Score: d.Score, Strength: d.Strength}
}

const (
	DecisionFalsePositive = "false-positive"
	DecisionTrueMatch     = "true-match"
)

// MatchDecisions looks up recorded decisions. ok is false when there is none.
type MatchDecisions interface {
	MatchDecision(ctx context.Context, query, list, entryID string) (d MatchDecision, ok bool, err error)
}

// Dataset is a reference file set imported by a user and kept in the
// database: an HS nomenclature or a sanctions list. Its content is kept as
// imported and parsed when loaded.
type Dataset struct {
	Kind       string         `json:"kind"`   // "hs", "list"
	Name       string         `json:"name"`   // "hs2022", "un", "ofac"
	Format     string         `json:"format"` // "hs-csv", "comtrade-json", "un-xml", "ofac-csv"
	Version    string         `json:"version"`
	ImportedAt time.Time      `json:"imported_at"`
	SHA256     string         `json:"sha256"` // of the files' contents, in order
	Counts     map[string]int `json:"counts,omitempty"`
	Files      []DatasetFile  `json:"-"`
}

// DatasetFile is one file of a dataset (the OFAC set has four).
type DatasetFile struct {
	Name    string
	Content []byte
}

// DatasetStore keeps datasets. PutDataset replaces the dataset of the same
// kind and name atomically; Dataset returns an ENotFound error when absent.
type DatasetStore interface {
	PutDataset(ctx context.Context, d Dataset) error
	Dataset(ctx context.Context, kind, name string) (Dataset, error)
	Datasets(ctx context.Context) ([]Dataset, error) // without Files
}

// AccountService keeps organisations, users, API tokens, sessions and the
// audit log (package accounts), for the server and the command line. A
// method that acts for someone takes the actor from ctx (WithActor) and
// decides whether it may, by the permission table of package licensing: a
// user sees only its organisation's subtree (an organisation, user or token
// outside it is ENotFound, so nothing of another tree is revealed) and needs
// the role the table names (else EForbidden). A context without an actor,
// or with a system actor, may do anything: the command line, the demo
// seeder.
type AccountService interface {
	// CreateOrg creates an organisation. A user creates one below an
	// organisation of theirs, of a kind no higher than its parent's; roots
	// come from the command line.
	CreateOrg(ctx context.Context, o Organisation) (Organisation, error)
	Org(ctx context.Context, id int64) (Organisation, error)
	// Orgs lists the organisations f selects; a user's list is limited to
	// their subtree.
	Orgs(ctx context.Context, f OrgFilter) ([]Organisation, error)
	// Subtree returns the IDs of an organisation and all below it.
	Subtree(ctx context.Context, orgID int64) ([]int64, error)

	CreateUser(ctx context.Context, u User, password string) (User, error)
	User(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	// Users lists the users f selects; a user's list is limited to their
	// subtree.
	Users(ctx context.Context, f UserFilter) ([]User, error)
	SetUserDisabled(ctx context.Context, id int64, disabled bool) (User, error)
	SetPassword(ctx context.Context, userID int64, password string) error

	// CreateToken creates an API token for a user and returns its
	// plaintext, shown this once.
	CreateToken(ctx context.Context, userID int64, name string) (string, APIToken, error)
	// Tokens lists a user's API tokens; 0 for every user's (system only).
	Tokens(ctx context.Context, userID int64) ([]APIToken, error)
	// RevokeToken revokes a token; an already revoked one is EConflict.
	RevokeToken(ctx context.Context, id int64) error

	// Login checks an email and password and starts a session that lasts
	// ttl. Every failure to authenticate is the same EUnauthorized error.
	Login(ctx context.Context, email, password string, ttl time.Duration) (Login, error)
	// Logout ends a session; an unknown one is not an error.
	Logout(ctx context.Context, sessionToken string) error
	// SessionActor and TokenActor return the actor of a live session or API
	// token, or an EUnauthorized error.
	SessionActor(ctx context.Context, sessionToken string) (Actor, Session, error)
	TokenActor(ctx context.Context, token string) (Actor, error)

	// AuditLog lists the entries f selects, in chain order; a user's are
	// limited to their subtree.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	// AuditTail returns the newest n entries of the actor's subtree, newest
	// first, and the walk of the whole chain when the actor may verify it
	// (nil when not).
	AuditTail(ctx context.Context, n int) ([]AuditEntry, *AuditVerification, error)
	// VerifyAudit walks the whole chain (see AuditVerification).
	VerifyAudit(ctx context.Context) (AuditVerification, error)
}

// Login is a session started by AccountService.Login: the user and their
// organisation, and the session token (for a cookie) and CSRF token (for
// forms and the X-CSRF-Token header).
type Login struct {
	User  User
	Org   Organisation
	Token string
	CSRF  string
}
