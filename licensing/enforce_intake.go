package licensing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// DeclarationTx is what declaration intake needs of a transaction beyond
// Tx. The store's transactions implement it. Intake reads and writes in
// sets: a batch of a million declarations is a few large queries, not a
// round trip each.
type DeclarationTx interface {
	// LockDeclarationIntake holds the intake until the transaction ends:
	// batches load one at a time.
	LockDeclarationIntake(ctx context.Context) error
	DeclarationBatch(ctx context.Context, id string) (DeclarationBatch, error)
	AddDeclarationBatch(ctx context.Context, b DeclarationBatch) error
	// CurrentDeclaration reads the current version of a number; ENotFound.
	CurrentDeclaration(ctx context.Context, number string) (Declaration, error)
	// CurrentDeclarations reads the current versions of numbers, by number
	// (those never loaded are absent).
	CurrentDeclarations(ctx context.Context, numbers []string) (map[string]Declaration, error)
	// CurrentOnPermits lists the current declarations matched to permits.
	CurrentOnPermits(ctx context.Context, permitIDs []int64) ([]Declaration, error)
	// PermitsForMatching reads, without their caps, the permits with the
	// numbers, of the holders, and with the ids (a permit may come twice).
	PermitsForMatching(ctx context.Context, numbers []string, holders, ids []int64) ([]tradeplan.Permit, error)
	// SupersedeDeclarations makes the current versions of numbers no
	// longer current.
	SupersedeDeclarations(ctx context.Context, numbers []string) error
	// InsertDeclarations inserts ds, of batch, as the current versions of
	// their numbers, giving each its id.
	InsertDeclarations(ctx context.Context, batch string, ds []Declaration) error
	SetDeclarationFlags(ctx context.Context, id int64, flags []Flag) error
	// AllOrganisations lists every organisation, to resolve declarants
	// given by name.
	AllOrganisations(ctx context.Context) ([]tradeplan.Organisation, error)
	Declarations(ctx context.Context, f DeclarationFilter) ([]Declaration, error)
	// PutPermitsDeclared writes the declared total of each permit.
	PutPermitsDeclared(ctx context.Context, totals map[int64]tradeplan.Decimal, at time.Time) error
	// UnitTolerance is the authority's tolerance for a unit, in percent; zero when none is set.
	UnitTolerance(ctx context.Context, unit string) (tradeplan.Decimal, error)
	SetUnitTolerance(ctx context.Context, unit string, pct tradeplan.Decimal, by string, at time.Time) error
}

// DeclarationFilter selects current declarations. Zero fields do not
// filter; Declarants nil means every organisation.
type DeclarationFilter struct {
	Batch      string
	Declarants []int64
	PermitID   int64
	Flagged    bool
	Limit      int
	// After pages: only those after this one in date then number order.
	After *DeclarationCursor
}

// DeclarationCursor is a place in the date then number order of
// declarations: the last one of a page.
type DeclarationCursor struct {
	Date   time.Time
	Number string
}

// DeclarationBatch is a batch loaded: its id and the digest of its content.
type DeclarationBatch struct {
	ID       string    `json:"id"`
	Digest   string    `json:"digest"`
	Count    int       `json:"count"`
	LoadedBy string    `json:"loaded_by"`
	LoadedAt time.Time `json:"loaded_at"`
}

// IntakeResult says what a batch changed.
type IntakeResult struct {
	Batch string `json:"batch"`
	// Replayed: the batch was loaded before with the same content; nothing
	// changed.
	Replayed  bool `json:"replayed"`
	Loaded    int  `json:"loaded"`    // new declarations
	Corrected int  `json:"corrected"` // new versions of declarations loaded before
	Unchanged int  `json:"unchanged"` // declarations loaded before with the same facts
	Flagged   int  `json:"flagged"`
	Cases     int  `json:"cases_opened"` // enforcement cases opened for its flags
	// Count is the declarations in the batch, Rules the new versions
	// flagged under each rule.
	Count int            `json:"count"`
	Rules map[string]int `json:"rules"`
	// Current are the versions the batch wrote, in batch order (none for a
	// replay). Not in the JSON answer: a million declarations are paged
	// through GET /api/v1/declarations?batch=ID.
	Current []Declaration `json:"-"`
}

func declTx(tx Tx) (DeclarationTx, error) {
	dt, ok := tx.(DeclarationTx)
	if !ok {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "the store cannot take declarations")
	}
	return dt, nil
}

// declarants reads the organisation of every declarant, refusing one the
// actor's authority does not govern, or that does not exist, at its place.
func (s *Service) declarants(ctx context.Context, tx Tx, pr Principal, in []DeclarationInput) (map[int64]tradeplan.Organisation, error) {
	out := map[int64]tradeplan.Organisation{}
	var ps tradeplan.Problems
	for _, d := range in {
		if _, ok := out[d.Declarant]; ok {
			continue
		}
		pos := d.Pos
		pos.Column, pos.Path = 0, joinPath(pos.Path, "declarant")
		l, err := tx.OrgLineage(ctx, d.Declarant)
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound || err == nil && !pr.governs(d.Declarant, d.Declarant) {
			ps.Add(pos, "", "there is no organisation %d in your jurisdiction", d.Declarant)
			out[d.Declarant] = tradeplan.Organisation{}
			continue
		} else if err != nil {
			return nil, err
		}
		if err := Authorize(pr, ActImportDeclarations, On(l)); err != nil {
			return nil, err
		}
		out[d.Declarant] = l[0]
	}
	return out, ps.Err("declarations")
}

func joinPath(base, field string) string {
	if base == "" {
		return field
	}
	return base + "." + field
}

// direction is the declaration's, or else the one its route gives
// relative to the declarant's country.
func direction(in DeclarationInput, org tradeplan.Organisation) (tradeplan.Direction, error) {
	l := in.Line
	switch {
	case l.Direction != "":
		return l.Direction, nil
	case org.Country != "" && strings.EqualFold(l.Origin, org.Country):
		return tradeplan.Export, nil
	case org.Country != "" && strings.EqualFold(l.Destination, org.Country):
		return tradeplan.Import, nil
	}
	pos := in.Pos
	pos.Column, pos.Path = 0, joinPath(pos.Path, "direction")
	return "", tradeplan.Problems{{Pos: pos, Message: fmt.Sprintf("neither origin nor destination is %q, the declarant's country: give the direction", org.Country)}}.Err("declarations")
}

// openOn says whether crossing c, with its history evs, was open at the
// end of a day: its status after the last change before then, else its
// status when registered.
func openOn(c tradeplan.Crossing, evs []tradeplan.CrossingEvent, end time.Time) (bool, string) {
	status, why := tradeplan.CrossingClosed, "no opening recorded by then"
	known := false
	for _, e := range evs {
		if e.At.Before(end) {
			status, why, known = e.Status, e.Reason, true
		}
	}
	if !known && len(evs) == 0 {
		status, why = c.Status, c.Reason
	}
	return status == tradeplan.CrossingOpen, why
}

// Declarations lists current declarations the actor may see: an
// authority's of the organisations it governs, an organisation's own.
func (s *Service) Declarations(ctx context.Context, a tradeplan.Actor, f DeclarationFilter) ([]Declaration, error) {
	var out []Declaration
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		dt, err := declTx(tx)
		if err != nil {
			return err
		}
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		if !a.IsSystem() {
			visible := a.Subtree
			if pr.Authority() != 0 && a.User.Role != tradeplan.RoleSubmitter {
				visible = append(slices.Clone(visible), pr.Jurisdiction...)
			}
			f.Declarants = intersect(f.Declarants, visible)
			if f.Declarants == nil {
				f.Declarants = []int64{}
			}
		}
		out, err = dt.Declarations(ctx, f)
		return err
	})
	if out == nil {
		out = []Declaration{}
	}
	return out, err
}

// SetTolerance sets the authority's tolerance for a unit, in percent of a
// permit's quantity, from 0 to 10. Balances are recomputed at the next
// intake that touches each permit.
func (s *Service) SetTolerance(ctx context.Context, a tradeplan.Actor, unit string, pct tradeplan.Decimal) error {
	u, ok := tradeplan.LookupUnit(unit)
	if !ok {
		return tradeplan.Errorf(tradeplan.EInvalid, "tolerance: unknown unit %q", unit)
	}
	if pct.Sign() < 0 || pct.Cmp(tradeplan.D(10)) > 0 {
		return tradeplan.Errorf(tradeplan.EInvalid, "tolerance: from 0 to 10 percent; got %s", pct)
	}
	ctx = tradeplan.WithActor(ctx, a)
	return s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := s.authorize(ctx, tx, a, ActSetTolerance)
		if err != nil {
			return err
		}
		dt, err := declTx(tx)
		if err != nil {
			return err
		}
		before, err := dt.UnitTolerance(ctx, u.Symbol)
		if err != nil {
			return err
		}
		if err := dt.SetUnitTolerance(ctx, u.Symbol, pct, a.Label(), s.now()); err != nil {
			return err
		}
		return tx.Audit(ctx, "tolerance.set", "unit:"+u.Symbol, pr.Authority(), map[string]string{"percent": before.String()}, map[string]string{"percent": pct.String()})
	})
}
