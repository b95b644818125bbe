package licensing

import (
	"context"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Store is what the Service needs of storage: transactions in which it
// reads, checks and writes. Update runs fn in one transaction that commits
// only when fn returns nil: every change and its audit entry land together
// or not at all. Update may run fn again after a transient conflict, so fn
// has no effect outside the transaction but its results. Implementations serialise LockCap per cap until the
// transaction ends, so that a cap's remaining quantity read after LockCap
// cannot change before commit.
type Store interface {
	View(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	Update(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
}

// PlanFilter selects plans. Zero fields do not filter; Orgs nil means every
// organisation, empty means none. Issuers, when not nil, widens Orgs to the
// plans of calls issued by those organisations too (an authority's
// jurisdiction).
type PlanFilter struct {
	CallID  int64
	Orgs    []int64
	Issuers []int64
}

// PermitFilter selects permits. Zero fields do not filter; Holders nil means
// every organisation, empty means none; Issuers as in PlanFilter.
type PermitFilter struct {
	Holders  []int64
	Issuers  []int64
	PlanID   int64
	CallID   int64
	Status   tradeplan.PermitStatus
	Crossing string
}

// DelegationFilter selects delegations. Zero fields do not filter.
type DelegationFilter struct {
	Office    int64
	Authority int64
	Active    bool // only those not revoked
}

// Tx is one transaction. Reads of a missing thing return an ENotFound
// error. Create methods set the new ID. In an Update transaction the reads
// of one call, plan, permit or crossing by ID hold that row until the
// transaction ends, so that what is written back from it is not a lost
// update.
type Tx interface {
	// Audit appends an entry for a change made in this transaction; the
	// actor is the one carried by ctx (tradeplan.WithActor).
	Audit(ctx context.Context, action, subject string, org int64, before, after any) error

	CreateCall(ctx context.Context, c *tradeplan.Call) error
	UpdateCall(ctx context.Context, c tradeplan.Call) error
	Call(ctx context.Context, id int64) (tradeplan.Call, error)
	Calls(ctx context.Context) ([]tradeplan.Call, error)

	CreatePlan(ctx context.Context, p *tradeplan.PlanRecord) error
	UpdatePlan(ctx context.Context, p tradeplan.PlanRecord) error
	Plan(ctx context.Context, id int64) (tradeplan.PlanRecord, error)
	Plans(ctx context.Context, f PlanFilter) ([]tradeplan.PlanRecord, error)
	// PutPlanVersion inserts the version, or replaces it when it exists.
	PutPlanVersion(ctx context.Context, v tradeplan.PlanVersion) error
	PlanVersion(ctx context.Context, planID int64, version int) (tradeplan.PlanVersion, error)
	PlanVersions(ctx context.Context, planID int64) ([]tradeplan.PlanVersion, error)

	// AddDecision records a line decision; a second decision on the same
	// line of the same version is an EConflict error.
	AddDecision(ctx context.Context, d tradeplan.LineDecision) error
	Decisions(ctx context.Context, planID int64, version int) ([]tradeplan.LineDecision, error)
	// PutAssessment records the reviewer's code of a line, replacing any.
	PutAssessment(ctx context.Context, a tradeplan.LineAssessment) error
	Assessments(ctx context.Context, planID int64, version int) ([]tradeplan.LineAssessment, error)
	AddComplianceDecision(ctx context.Context, d tradeplan.ComplianceDecision) error
	ComplianceDecisions(ctx context.Context, planID int64, version int) ([]tradeplan.ComplianceDecision, error)
	PutMatchDecision(ctx context.Context, d tradeplan.MatchDecision) error

	// NextPermitSeq returns the next permit sequence number of a period code.
	NextPermitSeq(ctx context.Context, period string) (int64, error)
	CreatePermit(ctx context.Context, p *tradeplan.Permit) error
	UpdatePermit(ctx context.Context, p tradeplan.Permit) error
	Permit(ctx context.Context, id int64) (tradeplan.Permit, error)
	Permits(ctx context.Context, f PermitFilter) ([]tradeplan.Permit, error)
	AddPermitUse(ctx context.Context, u *tradeplan.PermitUse) error
	PermitUses(ctx context.Context, permitID int64) ([]tradeplan.PermitUse, error)

	// LockCap holds the cap until the transaction ends.
	LockCap(ctx context.Context, capID string) error
	// CapUsed is the quantity of the cap held by permits (see CapDraw) whose
	// draws fall in windows overlapping [from, to].
	CapUsed(ctx context.Context, capID string, from, to time.Time) (tradeplan.Decimal, error)

	CreateCrossing(ctx context.Context, c tradeplan.Crossing) error
	UpdateCrossing(ctx context.Context, c tradeplan.Crossing) error
	Crossing(ctx context.Context, id string) (tradeplan.Crossing, error)
	Crossings(ctx context.Context) ([]tradeplan.Crossing, error)
	AddCrossingEvent(ctx context.Context, e tradeplan.CrossingEvent) error
	CrossingEvents(ctx context.Context, id string) ([]tradeplan.CrossingEvent, error)

	// OrgLineage returns the organisation and its ancestors up to the root.
	OrgLineage(ctx context.Context, id int64) ([]tradeplan.Organisation, error)
	// Subtree returns the IDs of the organisation and all below it, ascending.
	Subtree(ctx context.Context, id int64) ([]int64, error)
	// AddDelegation records a standing delegation; an office that holds one
	// already is an EConflict error.
	AddDelegation(ctx context.Context, d *Delegation) error
	// RevokeDelegation records d's RevokedBy and RevokedAt.
	RevokeDelegation(ctx context.Context, d Delegation) error
	Delegation(ctx context.Context, id int64) (Delegation, error)
	Delegations(ctx context.Context, f DelegationFilter) ([]Delegation, error)
}
