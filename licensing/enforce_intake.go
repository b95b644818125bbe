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
// Tx. The store's transactions implement it.
type DeclarationTx interface {
	// LockDeclarationIntake holds the intake until the transaction ends:
	// batches load one at a time.
	LockDeclarationIntake(ctx context.Context) error
	DeclarationBatch(ctx context.Context, id string) (DeclarationBatch, error)
	AddDeclarationBatch(ctx context.Context, b DeclarationBatch) error
	// CurrentDeclaration reads the current version of a number; ENotFound.
	CurrentDeclaration(ctx context.Context, number string) (Declaration, error)
	// AddDeclaration inserts d as the current version of its number, the
	// version before it (if any) no longer current.
	AddDeclaration(ctx context.Context, d *Declaration) error
	// PermitDeclarations lists the current declarations matched to a permit.
	PermitDeclarations(ctx context.Context, permitID int64) ([]Declaration, error)
	SetDeclarationFlags(ctx context.Context, id int64, flags []Flag) error
	Declarations(ctx context.Context, f DeclarationFilter) ([]Declaration, error)
	PutPermitDeclared(ctx context.Context, permitID int64, total tradeplan.Decimal, at time.Time) error
	// UnitTolerance is the authority's tolerance for a unit, in percent; zero when none is set.
	UnitTolerance(ctx context.Context, unit string) (tradeplan.Decimal, error)
	SetUnitTolerance(ctx context.Context, unit string, pct tradeplan.Decimal, by string, at time.Time) error
	PermitByNumber(ctx context.Context, number string) (tradeplan.Permit, error)
}

// DeclarationFilter selects current declarations. Zero fields do not
// filter; Declarants nil means every organisation.
type DeclarationFilter struct {
	Batch      string
	Declarants []int64
	PermitID   int64
	Flagged    bool
	Limit      int
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
	Replayed  bool          `json:"replayed"`
	Loaded    int           `json:"loaded"`    // new declarations
	Corrected int           `json:"corrected"` // new versions of declarations loaded before
	Unchanged int           `json:"unchanged"` // declarations loaded before with the same facts
	Flagged   int           `json:"flagged"`
	Cases     int           `json:"cases_opened"` // enforcement cases opened for its flags
	Current   []Declaration `json:"declarations"` // the batch's declarations as they stand
}

func declTx(tx Tx) (DeclarationTx, error) {
	dt, ok := tx.(DeclarationTx)
	if !ok {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "the store cannot take declarations")
	}
	return dt, nil
}

// ImportDeclarations loads a batch of customs declarations in one
// transaction: all of it or, on any error, none. A batch id loaded before
// with the same content changes nothing and says so; with other content it
// is refused. A declaration number loaded before with other facts is a
// correction: its new version supersedes the old, and the balances of the
// permits either matched follow. The authority's compliance officers and
// administrators load declarations of the organisations in its
// jurisdiction.
func (s *Service) ImportDeclarations(ctx context.Context, a tradeplan.Actor, batch string, in []DeclarationInput) (IntakeResult, error) {
	batch = strings.TrimSpace(batch)
	if batch == "" || len(batch) > 64 || tradeplan.CheckText(batch, false) != "" {
		return IntakeResult{}, tradeplan.Errorf(tradeplan.EInvalid, "batch: an id of 1 to 64 characters is required (the same id twice loads once)")
	}
	if err := dupNumbers(in); err != nil {
		return IntakeResult{}, err
	}
	digest := BatchDigest(in)
	var res IntakeResult
	ctx = s.beforeScreening(tradeplan.WithActor(ctx, a))
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		res = IntakeResult{Batch: batch}
		dt, err := declTx(tx)
		if err != nil {
			return err
		}
		if err := dt.LockDeclarationIntake(ctx); err != nil {
			return err
		}
		pr, err := s.authorize(ctx, tx, a, ActImportDeclarations)
		if err != nil {
			return err
		}
		if b, err := dt.DeclarationBatch(ctx, batch); err == nil {
			if b.Digest != digest {
				return tradeplan.Errorf(tradeplan.EConflict, "batch %s was loaded on %s with other content; a correction goes in a batch of its own", batch, b.LoadedAt.Format(time.DateOnly))
			}
			res.Replayed = true
			res.Current, err = dt.Declarations(ctx, DeclarationFilter{Batch: batch})
			return err
		} else if tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return err
		}
		now := s.now()
		if err := dt.AddDeclarationBatch(ctx, DeclarationBatch{ID: batch, Digest: digest, Count: len(in), LoadedBy: a.Label(), LoadedAt: now}); err != nil {
			return err
		}
		orgs, err := s.declarants(ctx, tx, pr, in)
		if err != nil {
			return err
		}
		cands := map[int64][]tradeplan.Permit{}
		affected := map[int64]bool{}
		var probs tradeplan.Problems
		for i := range in {
			dir, err := direction(in[i], orgs[in[i].Declarant])
			if te, ok := err.(*tradeplan.Error); ok {
				probs = append(probs, te.Problems...)
			}
			in[i].Line.Direction = dir
		}
		if err := probs.Err("declarations"); err != nil {
			return err
		}
		for _, d := range in {
			cur, err := dt.CurrentDeclaration(ctx, strings.TrimSpace(d.Number))
			switch {
			case err == nil && sameFacts(cur, d):
				res.Unchanged++
				continue
			case err == nil:
				res.Corrected++
				if cur.PermitID != 0 {
					affected[cur.PermitID] = true
				}
			case tradeplan.ErrorCode(err) == tradeplan.ENotFound:
				cur = Declaration{}
				res.Loaded++
			default:
				return err
			}
			decl, err := s.declaration(ctx, tx, dt, d, orgs[d.Declarant], cands, batch, cur.Version+1, a, now)
			if err != nil {
				return err
			}
			if err := dt.AddDeclaration(ctx, &decl); err != nil {
				return err
			}
			if decl.PermitID != 0 {
				affected[decl.PermitID] = true
			}
		}
		ids := make([]int64, 0, len(affected))
		for id := range affected {
			ids = append(ids, id)
		}
		slices.Sort(ids)            // lock permits in one order
		var reflagged []Declaration // of other batches, whose balance flag changed
		for _, id := range ids {
			ch, err := s.rebalance(ctx, tx, dt, id, now)
			if err != nil {
				return err
			}
			reflagged = append(reflagged, ch...)
		}
		if res.Current, err = dt.Declarations(ctx, DeclarationFilter{Batch: batch}); err != nil {
			return err
		}
		for _, d := range res.Current {
			if len(d.Flags) > 0 {
				res.Flagged++
			}
		}
		if res.Cases, err = openCases(ctx, tx, append(reflagged, res.Current...), now); err != nil {
			return err
		}
		summary := map[string]any{"batch": batch, "digest": digest, "loaded": res.Loaded, "corrected": res.Corrected, "unchanged": res.Unchanged,
			"flagged": res.Flagged, "cases": res.Cases, "permits": ids}
		return tx.Audit(ctx, "declarations.import", "declarations:"+batch, pr.Authority(), nil, summary)
	})
	return res, err
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

// declaration resolves one input: its direction from the declarant's
// country, the permit it matched, and the flags that do not depend on
// other declarations.
func (s *Service) declaration(ctx context.Context, tx Tx, dt DeclarationTx, in DeclarationInput, org tradeplan.Organisation,
	cands map[int64][]tradeplan.Permit, batch string, version int, a tradeplan.Actor, now time.Time) (Declaration, error) {
	l := in.Line
	d := Declaration{Number: strings.TrimSpace(in.Number), Version: version, Batch: batch, Line: l.Pos.Line, Date: l.Date, Declarant: in.Declarant,
		Direction: l.Direction, Description: l.Description, HS: l.HS, Origin: l.Origin, Destination: l.Destination, Partner: l.Partner, Vessel: l.Vessel,
		Crossing: CrossingSlug(l.Crossing), PermitNumber: strings.ToUpper(strings.TrimSpace(in.Permit)), Quantity: l.Quantity, Unit: l.Unit,
		Value: l.Value, Currency: l.Currency, Current: true, LoadedBy: a.Label(), LoadedAt: now, Flags: []Flag{}}
	var named *tradeplan.Permit
	if d.PermitNumber != "" {
		if _, err := ParsePermitNumber(d.PermitNumber); err == nil {
			p, err := dt.PermitByNumber(ctx, d.PermitNumber)
			if err == nil {
				named = &p
			} else if tradeplan.ErrorCode(err) != tradeplan.ENotFound {
				return d, err
			}
		}
	}
	if _, ok := cands[d.Declarant]; !ok && d.PermitNumber == "" {
		ps, err := tx.Permits(ctx, PermitFilter{Holders: []int64{d.Declarant}})
		if err != nil {
			return d, err
		}
		cands[d.Declarant] = ps
	}
	p, flags := MatchPermit(d, named, cands[d.Declarant])
	d.Flags = append(d.Flags, flags...)
	if p != nil {
		d.PermitID, d.Matched = p.ID, p.Number
		open, why, err := crossingOn(ctx, tx, d.Crossing, d.Date)
		if err != nil {
			return d, err
		}
		d.Flags = append(d.Flags, CheckAgainstPermit(d, *p, open, why)...)
		_, convErr := tradeplan.ConvertUnit(d.Quantity, d.Unit, p.Unit)
		d.Counted = p.Holder == d.Declarant && convErr == nil
	}
	fs, err := s.screenDeclaration(ctx, d, org, d.Matched)
	if err != nil {
		return d, err
	}
	d.Flags = append(d.Flags, fs...)
	return d, nil
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

// crossingOn says whether a crossing was open on a day: its status after
// the last change before the day ended (its history), else its status when
// registered.
func crossingOn(ctx context.Context, tx Tx, id string, day time.Time) (bool, string, error) {
	c, err := tx.Crossing(ctx, id)
	if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
		return false, "no such crossing is registered", nil
	} else if err != nil {
		return false, "", err
	}
	evs, err := tx.CrossingEvents(ctx, id)
	if err != nil {
		return false, "", err
	}
	end := endOfDay(day)
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
	return status == tradeplan.CrossingOpen, why, nil
}

// screenDeclaration screens the declaration as a line of its declarant's
// country as of the day it crossed, with the pipeline the licence decision
// uses: prohibited goods, a listed partner or vessel.
func (s *Service) screenDeclaration(ctx context.Context, d Declaration, org tradeplan.Organisation, permit string) ([]Flag, error) {
	if s.screen == nil {
		return nil, nil
	}
	l := d.line()
	l.Index = 1
	p := &tradeplan.Plan{ID: "declaration " + d.Number, Country: org.Country, Lines: []tradeplan.Line{l}}
	rep, err := s.screen(ctx, p, d.Date, nil)
	if err != nil {
		return nil, fmt.Errorf("screen declaration %s: %w", d.Number, err)
	}
	if len(rep.Lines) == 0 {
		return nil, nil
	}
	lr := rep.Lines[0]
	var cites []string
	var what []string
	for _, f := range lr.Findings {
		if f.Outcome != lr.Verdict {
			continue
		}
		if f.Basis != nil && f.Basis.Citation != "" && !slices.Contains(cites, f.Basis.Citation) {
			cites = append(cites, f.Basis.Citation)
		}
		if f.Match != nil {
			what = append(what, fmt.Sprintf("%s matches %s (%s %s)", f.Match.Query, f.Match.Name, f.Match.List, f.Match.EntryID))
		} else if f.Summary != "" {
			what = append(what, f.Summary)
		}
	}
	day := d.Date.Format(time.DateOnly)
	switch lr.Verdict {
	case tradeplan.Prohibited:
		return []Flag{{Rule: FlagProhibited, Declaration: d.Number, Permit: permit, Citations: cites, Figures: "as of " + day,
			Message: fmt.Sprintf("declaration %s: prohibited as of %s: %s", d.Number, day, strings.Join(append(what, cites...), "; "))}}, nil
	case tradeplan.Review:
		return []Flag{{Rule: FlagReview, Declaration: d.Number, Permit: permit, Citations: cites, Figures: "as of " + day,
			Message: fmt.Sprintf("declaration %s needs review as of %s: %s", d.Number, day, strings.Join(append(what, cites...), "; "))}}, nil
	}
	return nil, nil
}

// rebalance recomputes a permit's declared total from its current
// declarations and their over-balance flags, holding the permit's row, and
// returns the declarations whose flags it changed.
func (s *Service) rebalance(ctx context.Context, tx Tx, dt DeclarationTx, permitID int64, now time.Time) ([]Declaration, error) {
	p, err := tx.Permit(ctx, permitID)
	if err != nil {
		return nil, err
	}
	ds, err := dt.PermitDeclarations(ctx, permitID)
	if err != nil {
		return nil, err
	}
	tol, err := dt.UnitTolerance(ctx, p.Unit)
	if err != nil {
		return nil, err
	}
	var changed []Declaration
	total, over := Balance(p, ds, tol)
	for _, d := range ds {
		flags := slices.DeleteFunc(slices.Clone(d.Flags), func(f Flag) bool { return f.Rule == FlagOverBalance })
		if f, ok := over[d.ID]; ok {
			flags = append(flags, f)
		}
		if len(flags) != len(d.Flags) || !slices.EqualFunc(flags, d.Flags, func(a, b Flag) bool { return a.Rule == b.Rule && a.Figures == b.Figures }) {
			if err := dt.SetDeclarationFlags(ctx, d.ID, flags); err != nil {
				return nil, err
			}
			d.Flags = flags
			changed = append(changed, d)
		}
	}
	return changed, dt.PutPermitDeclared(ctx, permitID, total, now)
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
