package licensing

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/imports"
)

// Necessary imports first, in the server (docs/imports.md#in-the-server):
// the ranking of package imports over a call's submitted plans, with the
// authority's inputs kept as audited facts: each crossing's weekly
// capacity, the call's budget form (versioned) and reviewers' tier
// upgrades.

// ImportsTx is what the import ranking needs of a transaction beyond Tx.
// The store's transactions implement it.
type ImportsTx interface {
	// CrossingCapacities are the capacities on record, by crossing id.
	CrossingCapacities(ctx context.Context) (map[string]tradeplan.CrossingCapacity, error)
	// PutCrossingCapacity records a crossing's capacity, replacing any.
	PutCrossingCapacity(ctx context.Context, crossing string, c tradeplan.CrossingCapacity) error
	// CallBudget reads the latest version of a call's budget; ENotFound
	// when none was set.
	CallBudget(ctx context.Context, callID int64) (CallBudget, error)
	// AddCallBudget inserts b as version b.Version; a version that exists
	// is an EConflict error.
	AddCallBudget(ctx context.Context, b CallBudget) error
	// PutTierUpgrade records an upgrade, replacing one of the same line of
	// the same version.
	PutTierUpgrade(ctx context.Context, u TierUpgrade) error
	TierUpgrades(ctx context.Context, planID int64, version int) ([]TierUpgrade, error)
}

func importsTx(tx Tx) (ImportsTx, error) {
	it, ok := tx.(ImportsTx)
	if !ok {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "the store cannot keep the import ranking's inputs")
	}
	return it, nil
}

// CallBudget is the authority's budget form of a call: the foreign currency
// of the period and how to count it. Every change is a new version.
type CallBudget struct {
	Call     int64             `json:"call"`
	Version  int               `json:"version"`
	Currency string            `json:"currency"` // the budget's currency
	Receipts tradeplan.Decimal `json:"receipts"`
	// ReceiptsCurrency: "" for Currency.
	ReceiptsCurrency string `json:"receipts_currency,omitempty"`
	// Rates: units of Currency one unit of each other currency buys. A
	// figure in a currency without a rate is an error, never a guess.
	Rates       map[string]tradeplan.Decimal `json:"rates,omitempty"`
	RatesAsOf   string                       `json:"rates_as_of,omitempty"`
	RatesSource string                       `json:"rates_source,omitempty"`
	// SafetyMargin is the share of lawful exports' value counted; nil: the
	// tiers' export_margin.
	SafetyMargin  *tradeplan.Decimal `json:"safety_margin,omitempty"`
	Reserves      tradeplan.Decimal  `json:"reserves"`
	ReservesFloor tradeplan.Decimal  `json:"reserves_floor"`
	// CurrencyPerWeek, when set, is the currency that arrives each week:
	// goods enter the schedule only as it arrives.
	CurrencyPerWeek *tradeplan.Decimal `json:"currency_per_week,omitempty"`
	// Budget is a budget the authority states instead of what the parts
	// give; above them only with Override, the authority's reason.
	Budget   *tradeplan.Decimal `json:"budget,omitempty"`
	Override string             `json:"override,omitempty"`
	SetBy    string             `json:"set_by"`
	SetAt    time.Time          `json:"set_at"`
}

// TierUpgrade is a reviewer's decision that an import line of a plan
// version belongs to a higher tier than its goods' default. It binds the
// version: an amended plan needs the reviewer again.
type TierUpgrade struct {
	PlanID  int64     `json:"plan_id"`
	Version int       `json:"version"`
	Line    int       `json:"line"`
	From    int       `json:"from"` // the goods' default tier
	Tier    int       `json:"tier"`
	Reason  string    `json:"reason"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// ImportsView is a call's import ranking with the inputs it was made from.
type ImportsView struct {
	Call int64 `json:"call"`
	// Budget is the authority's budget form; nil until one is set.
	Budget  *CallBudget     `json:"budget_form,omitempty"`
	Ranking *imports.Result `json:"ranking,omitempty"`
	// Problem says why the ranking is not as the form asks (a stated
	// budget no longer covered, a currency without a rate).
	Problem string `json:"problem,omitempty"`
}

// UnitTonnes are the weights the server's schedule gives units that are not
// a mass: barrels of oil products at 0.85 kg/l. A line in another such
// unit waits, with the reason.
var UnitTonnes = map[string]tradeplan.Decimal{"bbl": tradeplan.MustDecimal("0.135")}

// ---- crossing capacity ----

// ValidateCapacity checks a crossing's capacity, all problems at once.
func ValidateCapacity(c tradeplan.CrossingCapacity) error {
	var ps tradeplan.Problems
	if c.TonnesPerWeek.Sign() <= 0 {
		ps.Add(tradeplan.Position{Path: "tonnes_per_week"}, "", "want tonnes above 0; got %s (a crossing that carries nothing is closed: close it)", c.TonnesPerWeek)
	}
	seen := map[string]bool{}
	for i, v := range c.Vehicles {
		p := "vehicles[" + strconv.Itoa(i) + "]"
		if !slices.Contains(tradeplan.VehicleKinds, v.Kind) {
			ps.Add(tradeplan.Position{Path: p + ".kind"}, "", "must be one of %s; got %q", strings.Join(tradeplan.VehicleKinds, ", "), v.Kind)
		} else if seen[v.Kind] {
			ps.Add(tradeplan.Position{Path: p + ".kind"}, "", "%s given twice", v.Kind)
		}
		seen[v.Kind] = true
		if v.PerWeek < 1 || v.PerWeek > 1_000_000 {
			ps.Add(tradeplan.Position{Path: p + ".per_week"}, "", "want 1 to 1000000; got %d", v.PerWeek)
		}
		if v.TonnesEach.Sign() <= 0 {
			ps.Add(tradeplan.Position{Path: p + ".tonnes_each"}, "", "want tonnes above 0; got %s", v.TonnesEach)
		}
	}
	return ps.Err("capacity")
}

// SetCrossingCapacity records what a crossing can carry in a week, audited
// with the capacity before and after.
func (s *Service) SetCrossingCapacity(ctx context.Context, a tradeplan.Actor, id string, c tradeplan.CrossingCapacity) (tradeplan.Crossing, error) {
	if c.Vehicles == nil {
		c.Vehicles = []tradeplan.CapacityVehicle{}
	}
	if err := ValidateCapacity(c); err != nil {
		return tradeplan.Crossing{}, err
	}
	var out tradeplan.Crossing
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		it, err := importsTx(tx)
		if err != nil {
			return err
		}
		holders, err := crossingHolders(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActCrossingCapacity, holders...); err != nil {
			return err
		}
		if err := s.governsCrossing(ctx, tx, a, id, "setting the capacity of"); err != nil {
			return err
		}
		if out, err = tx.Crossing(ctx, id); err != nil { // holds the row
			return err
		}
		caps, err := it.CrossingCapacities(ctx)
		if err != nil {
			return err
		}
		var before *tradeplan.CrossingCapacity
		if b, ok := caps[id]; ok {
			before = &b
		}
		c.SetBy, c.SetAt = a.Label(), s.now()
		if err := it.PutCrossingCapacity(ctx, id, c); err != nil {
			return err
		}
		out.Capacity = &c
		return tx.Audit(ctx, "crossing.capacity", "crossing:"+id, 0, before, c)
	})
	return out, err
}

// withCapacity fills the capacity of each crossing on record.
func withCapacity(ctx context.Context, tx Tx, cs []tradeplan.Crossing) error {
	it, ok := tx.(ImportsTx)
	if !ok || len(cs) == 0 {
		return nil
	}
	caps, err := it.CrossingCapacities(ctx)
	if err != nil {
		return err
	}
	for i := range cs {
		if c, ok := caps[cs[i].ID]; ok {
			cs[i].Capacity = &c
		}
	}
	return nil
}

// ---- the budget ----

// validateBudget checks the form's fields, all problems at once.
func validateBudget(b *CallBudget) error {
	var ps tradeplan.Problems
	at := func(p string) tradeplan.Position { return tradeplan.Position{Path: p} }
	b.Currency = strings.ToUpper(strings.TrimSpace(b.Currency))
	b.ReceiptsCurrency = strings.ToUpper(strings.TrimSpace(b.ReceiptsCurrency))
	if !isCurrency(b.Currency) {
		ps.Add(at("currency"), "", "want an ISO 4217 code (USD); got %q", b.Currency)
	}
	if b.ReceiptsCurrency == b.Currency {
		b.ReceiptsCurrency = ""
	}
	if b.ReceiptsCurrency != "" && !isCurrency(b.ReceiptsCurrency) {
		ps.Add(at("receipts_currency"), "", "want an ISO 4217 code (CNY); got %q", b.ReceiptsCurrency)
	}
	for _, f := range []struct {
		name string
		v    tradeplan.Decimal
	}{{"receipts", b.Receipts}, {"reserves", b.Reserves}, {"reserves_floor", b.ReservesFloor}} {
		if f.v.Sign() < 0 {
			ps.Add(at(f.name), "", "want an amount at least 0; got %s", f.v)
		}
	}
	if b.Budget != nil && b.Budget.Sign() < 0 {
		ps.Add(at("budget"), "", "want an amount at least 0; got %s", *b.Budget)
	}
	if b.CurrencyPerWeek != nil && b.CurrencyPerWeek.Sign() <= 0 {
		ps.Add(at("currency_per_week"), "", "want an amount above 0, or none; got %s", *b.CurrencyPerWeek)
	}
	if b.SafetyMargin != nil && (b.SafetyMargin.Sign() < 0 || b.SafetyMargin.Cmp(tradeplan.DecimalInt(1)) > 0) {
		ps.Add(at("safety_margin"), "", "want a share from 0 to 1; got %s", *b.SafetyMargin)
	}
	rates := map[string]tradeplan.Decimal{}
	for k, v := range b.Rates {
		code := strings.ToUpper(strings.TrimSpace(k))
		switch {
		case !isCurrency(code):
			ps.Add(at("rates."+k), "", "want an ISO 4217 code; got %q", k)
		case code == b.Currency:
			ps.Add(at("rates."+k), "", "the budget's own currency needs no rate")
		case v.Sign() <= 0:
			ps.Add(at("rates."+k), "", "want a rate above 0; got %s", v)
		}
		rates[code] = v
	}
	b.Rates = rates
	if b.ReceiptsCurrency != "" {
		if _, ok := rates[b.ReceiptsCurrency]; !ok {
			ps.Add(at("receipts_currency"), "", "no rate for %s in rates: receipts are never converted at a guess", b.ReceiptsCurrency)
		}
	}
	b.Override = strings.TrimSpace(b.Override)
	if b.Override != "" && b.Budget == nil {
		ps.Add(at("override"), "", "an override goes with a stated budget")
	}
	return ps.Err("budget")
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// SetCallBudget records a new version of a call's budget form. in.Version
// is the version the edit was made on (0 for the first): an edit made on a
// version that is no longer the latest is refused (EConflict), so two
// editors never overwrite each other unseen. A stated budget above what the
// receipts, lawful exports and reserves give is refused unless the form
// gives the authority's override, which only an authority itself may.
func (s *Service) SetCallBudget(ctx context.Context, a tradeplan.Actor, callID int64, in CallBudget) (CallBudget, error) {
	if err := validateBudget(&in); err != nil {
		return CallBudget{}, err
	}
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		it, err := importsTx(tx)
		if err != nil {
			return err
		}
		p, err := s.authorize(ctx, tx, a, ActSetBudget)
		if err != nil {
			return err
		}
		c, err := tx.Call(ctx, callID) // holds the row: budget edits of a call queue here
		if err != nil {
			return err
		}
		if !p.governs(c.Issuer, c.Issuer) {
			return tradeplan.Errorf(tradeplan.ENotFound, "call %d not found", callID)
		}
		var before *CallBudget
		cur, err := it.CallBudget(ctx, callID)
		switch {
		case err == nil:
			before = &cur
		case tradeplan.ErrorCode(err) != tradeplan.ENotFound:
			return err
		}
		if in.Version != cur.Version {
			return tradeplan.Errorf(tradeplan.EConflict, "the budget of call %d is at version %d, the edit was made on version %d: reload it and edit again", callID, cur.Version, in.Version)
		}
		if in.Override != "" {
			if _, err := s.authorize(ctx, tx, a, ActOverrideBudget); err != nil {
				return err
			}
		}
		in.Call, in.Version = callID, cur.Version+1
		in.SetBy, in.SetAt = a.Label(), s.now()
		if _, err := s.rankCall(ctx, tx, c, &in, newCallPass(c)); err != nil {
			return err
		}
		if err := it.AddCallBudget(ctx, in); err != nil {
			return err
		}
		action := "call.budget"
		if in.Override != "" {
			action = "call.budget.override"
		}
		return tx.Audit(ctx, action, subject("call", callID), c.Issuer, before, in)
	})
	return in, err
}

// ---- tier upgrades ----

// UpgradeTier records a reviewer's upgrade of an import line of a submitted
// plan to a tier above its goods' default, with the reason. The
// applicant's tree never upgrades its own lines, whatever the role.
func (s *Service) UpgradeTier(ctx context.Context, a tradeplan.Actor, planID int64, line, tier int, reason string) (TierUpgrade, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return TierUpgrade{}, tradeplan.Errorf(tradeplan.EInvalid, "upgrade: reason: is required: say why the line is more necessary than its goods")
	}
	pol := imports.DefaultPolicy()
	var u TierUpgrade
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		it, err := importsTx(tx)
		if err != nil {
			return err
		}
		rec, err := loadPlan(ctx, tx, a, planID)
		if err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActUpgradeTier, rec.Organisation); err != nil {
			return err
		}
		if rec.Status == tradeplan.PlanDraft {
			return tradeplan.Errorf(tradeplan.EConflict, "plan %d is a draft: it has not been submitted", planID)
		}
		v, err := tx.PlanVersion(ctx, planID, rec.Version)
		if err != nil {
			return err
		}
		if line < 1 || line > len(v.Plan.Lines) {
			return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no line %d", planID, line)
		}
		l := v.Plan.Lines[line-1]
		if l.Direction != tradeplan.Import {
			return tradeplan.Errorf(tradeplan.EInvalid, "upgrade: line %d of plan %d is an export: only imports have tiers", line, planID)
		}
		code := l.HS
		if v.Report != nil && line <= len(v.Report.Lines) && v.Report.Lines[line-1].HS.Code != "" {
			code = v.Report.Lines[line-1].HS.Code
		}
		def, _ := pol.TierOf(code)
		if tier < 1 || tier >= def {
			return tradeplan.Errorf(tradeplan.EInvalid, "upgrade: tier: want a tier above the goods' default T%d (1 to %d); got %d", def, def-1, tier)
		}
		ups, err := it.TierUpgrades(ctx, planID, rec.Version)
		if err != nil {
			return err
		}
		var before *TierUpgrade
		for i := range ups {
			if ups[i].Line == line {
				before = &ups[i]
			}
		}
		u = TierUpgrade{PlanID: planID, Version: rec.Version, Line: line, From: def, Tier: tier, Reason: reason, By: a.Label(), At: s.now()}
		if err := it.PutTierUpgrade(ctx, u); err != nil {
			return err
		}
		return tx.Audit(ctx, "line.upgrade", fmt.Sprintf("plan:%d:line:%d", planID, line), rec.Organisation, before, u)
	})
	return u, err
}

// ---- the ranking ----

// CallImports ranks the import lines of a call's submitted plans: tiers,
// the budget with its parts, the allocation and the entry schedule through
// the crossings on record. It is the authority's: the call's issuer and
// the offices it delegates to.
func (s *Service) CallImports(ctx context.Context, a tradeplan.Actor, callID int64) (ImportsView, error) {
	var v ImportsView
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		c, err := tx.Call(ctx, callID)
		if err != nil {
			return err
		}
		if pr, err := loadPrincipal(ctx, tx, a); err != nil {
			return err
		} else if !pr.seesCall(c) {
			return errCallNotFound(callID)
		}
		p, err := s.authorize(ctx, tx, a, ActReadImports)
		if err != nil {
			return err
		}
		if !p.governs(c.Issuer, c.Issuer) {
			return tradeplan.Errorf(tradeplan.EForbidden, "the import ranking of call %d belongs to the authority that issued it", callID)
		}
		stamp, err := callStamp(ctx, tx, callID)
		if err != nil {
			return err
		}
		kept := s.reports.get(callID, stamp)
		if kept.imports == nil {
			pass := newCallPass(c)
			pass.kept = &s.parts
			iv, err := s.callImports(ctx, tx, c, pass)
			if err != nil {
				return err
			}
			if err := pass.keep(ctx, tx); err != nil {
				return err
			}
			kept.imports = &iv
			s.reports.put(callID, kept)
		}
		v = *kept.imports
		return nil
	})
	return v, err
}

func (s *Service) callImports(ctx context.Context, tx Tx, c tradeplan.Call, pass *callPass) (ImportsView, error) {
	v := ImportsView{Call: c.ID}
	it, err := importsTx(tx)
	if err != nil {
		return v, err
	}
	b, err := it.CallBudget(ctx, c.ID)
	switch {
	case err == nil:
		v.Budget = &b
	case tradeplan.ErrorCode(err) != tradeplan.ENotFound:
		return v, err
	}
	r, err := s.rankCall(ctx, tx, c, v.Budget, pass)
	if err != nil && tradeplan.ErrorCode(err) != tradeplan.EInternal && v.Budget != nil && v.Budget.Budget != nil {
		// A stated budget the call's plans no longer cover: rank on what
		// is available and say so.
		v.Problem = tradeplan.ErrorMessage(err)
		nb := *v.Budget
		nb.Budget, nb.Override = nil, ""
		r, err = s.rankCall(ctx, tx, c, &nb, pass)
		if err == nil {
			r.Notices = append(r.Notices, "the stated budget is not applied: "+v.Problem)
		}
	}
	switch {
	case err == nil:
		v.Ranking = r
	case tradeplan.ErrorCode(err) == tradeplan.EInternal:
		return v, err
	default:
		v.Problem = tradeplan.ErrorMessage(err)
	}
	return v, nil
}

// rankCall ranks the submitted plans of call c with budget form b (nil:
// none set: receipts 0 in USD), reading the plans through pass.
func (s *Service) rankCall(ctx context.Context, tx Tx, c tradeplan.Call, b *CallBudget, pass *callPass) (*imports.Result, error) {
	it, err := importsTx(tx)
	if err != nil {
		return nil, err
	}
	pol := imports.DefaultPolicy()
	o := imports.Options{Policy: pol, Currency: "USD"}
	var notices []string
	if b == nil {
		notices = append(notices, "no budget set for this call: receipts 0 USD; the authority sets the budget")
	} else {
		o.Currency = b.Currency
		o.Receipts, o.ReceiptsCurrency = b.Receipts, b.ReceiptsCurrency
		o.Reserves, o.ReservesFloor = b.Reserves, b.ReservesFloor
		o.Budget, o.Override = b.Budget, b.Override
		if b.CurrencyPerWeek != nil {
			o.CurrencyPerWeek = *b.CurrencyPerWeek
		}
		if len(b.Rates) > 0 {
			o.Rates = &imports.Rates{File: fmt.Sprintf("the budget of call %d (version %d)", c.ID, b.Version), Base: b.Currency,
				AsOf: b.RatesAsOf, Source: b.RatesSource, Rate: b.Rates}
		}
		if b.SafetyMargin != nil {
			cp := *pol
			cp.ExportMargin = *b.SafetyMargin
			o.Policy = &cp
		}
	}

	// The crossings on record with a capacity; a closed one carries nothing.
	cs, err := tx.Crossings(ctx)
	if err != nil {
		return nil, err
	}
	caps, err := it.CrossingCapacities(ctx)
	if err != nil {
		return nil, err
	}
	o.Crossings = &imports.Crossings{TonnesPer: UnitTonnes}
	for _, x := range cs {
		cp, ok := caps[x.ID]
		if !ok {
			continue
		}
		ic := imports.Crossing{Name: x.ID, Open: x.Status == tradeplan.CrossingOpen, ClosedWeeks: map[int]bool{}, TonnesPerWeek: cp.TonnesPerWeek}
		for _, vh := range cp.Vehicles {
			ic.Vehicles = append(ic.Vehicles, imports.Vehicle{Kind: vh.Kind, PerWeek: vh.PerWeek, TonnesEach: vh.TonnesEach})
		}
		o.Crossings.Crossings = append(o.Crossings.Crossings, ic)
	}

	plans, err := tx.Plans(ctx, PlanFilter{CallID: c.ID})
	if err != nil {
		return nil, err
	}
	var entries []imports.Entry
	feasible := callSites{}
	if err := pass.preload(ctx, tx, plans); err != nil {
		return nil, err
	}
	if err := pass.preloadRanking(ctx, tx); err != nil {
		return nil, err
	}
	if err := pass.preloadSiteFiles(ctx, tx, plans); err != nil {
		return nil, err
	}
	for _, rec := range plans {
		if rec.Status == tradeplan.PlanDraft {
			continue
		}
		pp, err := pass.plan(ctx, tx, rec)
		if err != nil {
			return nil, err
		}
		ver := pp.ver
		if ver.Report == nil || len(ver.Report.Lines) != len(ver.Plan.Lines) {
			continue
		}
		lineage, err := pass.lineageOf(ctx, tx, rec.Organisation)
		if err != nil {
			return nil, err
		}
		e, refused := callEntry(rec, ver, pp.sts, lineage)
		_, lfs, err := pass.assess(ctx, tx, pp)
		if err != nil {
			return nil, err
		}
		byLine := map[int]*LineFeasibility{}
		for i, f := range lfs {
			if f != nil {
				byLine[i+1] = f
			}
		}
		feasible[e.Plan] = byLine
		for _, n := range refused {
			notices = append(notices, fmt.Sprintf("plan %d line %d was refused by the authority: not ranked", rec.ID, n))
		}
		entries = append(entries, e)
		ups, err := pass.upgradesOf(ctx, it, rec)
		if err != nil {
			return nil, err
		}
		for _, u := range ups {
			o.Upgrades = append(o.Upgrades, imports.Upgrade{Plan: e.Plan.ID, Line: u.Line, Tier: u.Tier, Reviewer: u.By, Reason: u.Reason})
		}
	}
	o.Feasibility = feasible
	r, err := imports.Rank(entries, o)
	if err != nil {
		return nil, err
	}
	r.Notices = append(notices, r.Notices...)
	return r, nil
}

// callSites answers the ranking's question, how much of a lawful export
// can really be delivered, with the feasibility blocks of the plans
// (sites_assess.go): a line assessed against a site version the authority
// accepted counts at what the site can deliver; a line assessed only
// against the applicant's unreviewed claims, or not at all, counts at its
// planned quantity, and its budget line says that its feasibility is not
// checked. An applicant's own figures never change the budget.
type callSites map[*tradeplan.Plan]map[int]*LineFeasibility

func (c callSites) FeasibleQuantity(p *tradeplan.Plan, l *tradeplan.Line) (tradeplan.Decimal, bool, error) {
	f := c[p][l.Index]
	if !f.Counts() {
		return l.Quantity, false, nil
	}
	d, ok := tradeplan.DecimalFromFloat(f.Quantity)
	if !ok {
		return tradeplan.Decimal{}, false, fmt.Errorf("line %d: feasible quantity %v out of range", l.Index, f.Quantity)
	}
	return tradeplan.MinDecimal(d, l.Quantity), true, nil
}

// callEntry is a submitted plan version as the ranking reads it: the plan
// named by its id in the server and its organisation by the account's
// name, not the document's; its lines through the crossings' ids; the
// lines the authority refused left out (they never enter, and an export
// refused earns nothing); a line in review the authority approved counted
// as decided. The organisation cap counts the applicant's whole tree (see
// TreeHead) as one: its administrators can make offices below it at will,
// and each would otherwise bring a cap of its own.
func callEntry(rec tradeplan.PlanRecord, v tradeplan.PlanVersion, sts []LineState, lineage []tradeplan.Organisation) (imports.Entry, []int) {
	p := v.Plan
	p.ID = strconv.FormatInt(rec.ID, 10)
	orgKey := strconv.FormatInt(rec.Organisation, 10)
	if len(lineage) > 0 {
		p.Organisation = lineage[0].Name
		orgKey = strconv.FormatInt(TreeHead(lineage).ID, 10)
	}
	rep := *v.Report
	p.Lines = make([]tradeplan.Line, 0, len(v.Plan.Lines))
	rep.Lines = make([]tradeplan.LineReport, 0, len(v.Report.Lines))
	var refused []int
	for i, l := range v.Plan.Lines {
		l.Index = i + 1
		st := sts[i]
		if st.Status() == LineRefused {
			refused = append(refused, l.Index)
			continue
		}
		l.Crossing = CrossingSlug(l.Crossing)
		lr := v.Report.Lines[i]
		if st.Status() == LineApproved && lr.Verdict == tradeplan.Review {
			lr.Findings = slices.Clone(lr.Findings)
			for fi := range lr.Findings {
				if lr.Findings[fi].Outcome == tradeplan.Review {
					lr.Findings[fi].Outcome = tradeplan.Clear
				}
			}
			lr.Verdict = tradeplan.Clear
			for _, f := range lr.Findings {
				lr.Verdict = lr.Verdict.Stricter(f.Outcome)
			}
		}
		p.Lines = append(p.Lines, l)
		rep.Lines = append(rep.Lines, lr)
	}
	return imports.Entry{Plan: &p, Report: &rep, OrgKey: orgKey}, refused
}
