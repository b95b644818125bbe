package licensingtest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// OpenStore returns a fresh licensing.Store holding the organisations orgs,
// created in order, and their IDs. In orgs, an organisation's ParentID is
// the 1-based index of its parent in orgs (0 for a root).
type OpenStore func(t *testing.T, orgs []tradeplan.Organisation) (licensing.Store, []int64)

// TestStore runs the contract of a licensing.Store, the same cases on every
// implementation: the tests' in-memory store and package store on both
// engines, so that the fake the service's tests run on cannot drift from
// the stores it stands in for.
func TestStore(t *testing.T, open OpenStore) {
	t.Run("caps", func(t *testing.T) { capContract(t, open) })
	t.Run("scopes", func(t *testing.T) { scopeContract(t, open) })
	t.Run("records", func(t *testing.T) { recordsContract(t, open) })
	t.Run("organisations", func(t *testing.T) { orgContract(t, open) })
}

var contractCtx = tradeplan.WithActor(context.Background(), tradeplan.SystemActor("contract"))

// capContract: CapUsed holds each permit's draw by the one rule of
// licensing.CapDraw, over the permits whose cap window overlaps the one
// asked for, ends included, and follows a permit's status and use.
func capContract(t *testing.T, open OpenStore) {
	st, orgIDs := open(t, []tradeplan.Organisation{{Name: "Authority", Kind: tradeplan.OrgAuthority, Country: "KP"}})
	org := orgIDs[0]
	ctx := contractCtx
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	h1From, h1To := day("2027-01-01"), day("2027-06-30")
	h2From, h2To := day("2027-07-01"), day("2027-12-31")
	const capID = "contract-diesel"
	type permit struct {
		status         tradeplan.PermitStatus
		quantity, used string // the permit's, in t
		draw           string // its draw on the cap, in t
		from, to       time.Time
	}
	// Each permit's hold, by the rule: issued or suspended hold their whole
	// draw; revoked, expired or exhausted the share used (draw x used /
	// quantity, to the cap unit's 3 places, half to even); a permit used
	// up holds its whole draw.
	permits := []struct {
		permit
		holds string
	}{
		{permit{tradeplan.PermitIssued, "100", "40", "100", h1From, h1To}, "100"},
		{permit{tradeplan.PermitSuspended, "10", "0", "7.5", h1From, h1To}, "7.5"},
		{permit{tradeplan.PermitRevoked, "120", "30", "60", h1From, h1To}, "15"},
		{permit{tradeplan.PermitExpired, "3", "1", "1", h1From, h1To}, "0.333"},
		{permit{tradeplan.PermitExpired, "8", "1", "0.005", h1From, h1To}, "0.001"}, // 0.000625 -> 0.001
		{permit{tradeplan.PermitExpired, "2", "1", "0.001", h1From, h1To}, "0"},     // 0.0005, half to even
		{permit{tradeplan.PermitExpired, "2", "1", "0.003", h1From, h1To}, "0.002"}, // 0.0015, half to even
		{permit{tradeplan.PermitRevoked, "8", "0", "5", h1From, h1To}, "0"},
		{permit{tradeplan.PermitExhausted, "20", "20", "20", h1From, h1To}, "20"},
		{permit{tradeplan.PermitIssued, "50", "0", "50", h2From, h2To}, "50"},
	}
	var ids []int64
	err := st.Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
		c := tradeplan.Call{Period: "2027", From: h1From, To: h2To, Deadline: day("2026-12-01"), Issuer: org, CreatedBy: "contract", CreatedAt: day("2026-11-01")}
		if err := tx.CreateCall(ctx, &c); err != nil {
			return err
		}
		p := tradeplan.PlanRecord{CallID: c.ID, Organisation: org, Title: "contract", Status: tradeplan.PlanDecided, Version: 1, CreatedBy: "contract",
			CreatedAt: day("2026-11-02"), UpdatedAt: day("2026-11-02")}
		if err := tx.CreatePlan(ctx, &p); err != nil {
			return err
		}
		for i, x := range permits {
			pm := tradeplan.Permit{Number: fmt.Sprintf("TP-CONTRACT-%d", i), Holder: org, CallID: c.ID, PlanID: p.ID, PlanVersion: 1, Line: i + 1,
				Direction: tradeplan.Import, Description: "diesel", HS: "271019", Unit: "t", Currency: "USD",
				Quantity: tradeplan.MustDecimal(x.quantity), Value: tradeplan.MustDecimal("1000"), QuantityUsed: tradeplan.MustDecimal(x.used),
				ValidFrom: x.from, ValidTo: x.to, Status: x.status, IssuedBy: "contract", IssuedAt: day("2026-12-02"), UpdatedAt: day("2026-12-02"),
				Caps: []tradeplan.CapUse{{Cap: capID, From: x.from, To: x.to, Limit: tradeplan.MustDecimal("500"), Unit: "t", Quantity: tradeplan.MustDecimal(x.draw)}}}
			if err := tx.CreatePermit(ctx, &pm); err != nil {
				return err
			}
			ids = append(ids, pm.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create permits: %v", err)
	}
	sum := func(idx ...int) tradeplan.Decimal {
		var d tradeplan.Decimal
		for _, i := range idx {
			d = d.Add(tradeplan.MustDecimal(permits[i].holds))
		}
		return d
	}
	used := func(from, to time.Time) tradeplan.Decimal {
		t.Helper()
		var d tradeplan.Decimal
		err := st.Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
			if err := tx.LockCap(ctx, capID); err != nil {
				return err
			}
			var err error
			d, err = tx.CapUsed(ctx, capID, from, to)
			return err
		})
		if err != nil {
			t.Fatalf("CapUsed: %v", err)
		}
		return d
	}
	for _, c := range []struct {
		name     string
		from, to time.Time
		want     tradeplan.Decimal
	}{
		{"the first half", h1From, h1To, sum(0, 1, 2, 3, 4, 5, 6, 7, 8)},
		{"the year", h1From, h2To, sum(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)},
		{"the last day of the first half", h1To, h1To, sum(0, 1, 2, 3, 4, 5, 6, 7, 8)},
		{"the first day of the second half", h2From, h2From, sum(9)},
		{"the second half", h2From, h2To, sum(9)},
		{"before any window", day("2026-01-01"), day("2026-12-31"), tradeplan.Decimal{}},
	} {
		if got := used(c.from, c.to); got.Cmp(c.want) != 0 {
			t.Errorf("CapUsed over %s = %v, want %v", c.name, got, c.want)
		}
	}
	var other tradeplan.Decimal
	err = st.View(ctx, func(ctx context.Context, tx licensing.Tx) error {
		var err error
		other, err = tx.CapUsed(ctx, "another-cap", h1From, h2To)
		return err
	})
	if err != nil || other.Sign() != 0 {
		t.Errorf("CapUsed of another cap = %v, %v; want 0", other, err)
	}

	// Revoking the issued permit after 40 t of 100 were used: it holds
	// 40% of its draw of 100 t.
	err = st.Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
		p, err := tx.Permit(ctx, ids[0])
		if err != nil {
			return err
		}
		p.Status = tradeplan.PermitRevoked
		return tx.UpdatePermit(ctx, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := used(h1From, h1To), sum(1, 2, 3, 4, 5, 6, 7, 8).Add(tradeplan.MustDecimal("40")); got.Cmp(want) != 0 {
		t.Errorf("CapUsed after revoking a permit used 40 of 100 = %v, want %v", got, want)
	}
	// Nothing left behind by a transaction that failed.
	err = st.Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
		p, err := tx.Permit(ctx, ids[7])
		if err != nil {
			return err
		}
		p.Status = tradeplan.PermitIssued
		if err := tx.UpdatePermit(ctx, p); err != nil {
			return err
		}
		return tradeplan.Errorf(tradeplan.EConflict, "roll back")
	})
	if tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Fatalf("a failing transaction: %v", err)
	}
	if got, want := used(h1From, h1To), sum(1, 2, 3, 4, 5, 6, 7, 8).Add(tradeplan.MustDecimal("40")); got.Cmp(want) != 0 {
		t.Errorf("CapUsed after a rolled back change = %v, want %v", got, want)
	}
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// tree is the organisations of the scope and record cases: an authority
// with a province below it, and a foreign company root.
var tree = []tradeplan.Organisation{
	{Name: "Authority", Kind: tradeplan.OrgAuthority, Country: "KP"},
	{ParentID: 1, Name: "Province", Kind: tradeplan.OrgProvince, Country: "KP"},
	{Name: "Importer", Kind: tradeplan.OrgCompany, Country: "CN"},
}

func update(t *testing.T, st licensing.Store, fn func(ctx context.Context, tx licensing.Tx) error) {
	t.Helper()
	if err := st.Update(contractCtx, fn); err != nil {
		t.Fatal(err)
	}
}

func newCall(t *testing.T, ctx context.Context, tx licensing.Tx, issuer int64) tradeplan.Call {
	c := tradeplan.Call{Period: "2027", From: day(t, "2027-01-01"), To: day(t, "2027-12-31"), Deadline: day(t, "2026-12-01"),
		Issuer: issuer, Organisations: []int64{}, CreatedBy: "contract", CreatedAt: day(t, "2026-11-01")}
	if err := tx.CreateCall(ctx, &c); err != nil {
		t.Fatalf("create call: %v", err)
	}
	return c
}

func newPlan(t *testing.T, ctx context.Context, tx licensing.Tx, call, org int64) tradeplan.PlanRecord {
	p := tradeplan.PlanRecord{CallID: call, Organisation: org, Title: "plan", Status: tradeplan.PlanSubmitted, Version: 1,
		CreatedBy: "contract", CreatedAt: day(t, "2026-11-02"), UpdatedAt: day(t, "2026-11-02")}
	if err := tx.CreatePlan(ctx, &p); err != nil {
		t.Fatalf("create plan: %v", err)
	}
	if err := tx.PutPlanVersion(ctx, tradeplan.PlanVersion{PlanID: p.ID, Version: 1, CreatedBy: "contract", CreatedAt: day(t, "2026-11-02")}); err != nil {
		t.Fatalf("put plan version: %v", err)
	}
	return p
}

func newPermit(t *testing.T, ctx context.Context, tx licensing.Tx, p tradeplan.PlanRecord, number string) tradeplan.Permit {
	pm := tradeplan.Permit{Number: number, Holder: p.Organisation, CallID: p.CallID, PlanID: p.ID, PlanVersion: 1, Line: 1,
		Direction: tradeplan.Import, Description: "rice", HS: "100630", Unit: "t", Currency: "USD",
		Quantity: tradeplan.MustDecimal("10"), Value: tradeplan.MustDecimal("1000"),
		ValidFrom: day(t, "2027-01-01"), ValidTo: day(t, "2027-12-31"), Status: tradeplan.PermitIssued, Crossing: "KP-CN-1",
		IssuedBy: "contract", IssuedAt: day(t, "2026-12-02"), UpdatedAt: day(t, "2026-12-02")}
	if err := tx.CreatePermit(ctx, &pm); err != nil {
		t.Fatalf("create permit: %v", err)
	}
	return pm
}

// scopeContract: a filter's organisations nil select every organisation,
// empty none; issuers, when not nil, add the plans and permits of calls
// those organisations issued.
func scopeContract(t *testing.T, open OpenStore) {
	st, ids := open(t, tree)
	auth, prov, imp := ids[0], ids[1], ids[2]
	var c1, c2 tradeplan.Call
	var p1, p2, p3 tradeplan.PlanRecord
	var m1, m2, m3 tradeplan.Permit
	update(t, st, func(ctx context.Context, tx licensing.Tx) error {
		c1, c2 = newCall(t, ctx, tx, auth), newCall(t, ctx, tx, imp)
		p1, p2, p3 = newPlan(t, ctx, tx, c1.ID, prov), newPlan(t, ctx, tx, c2.ID, imp), newPlan(t, ctx, tx, c1.ID, imp)
		m1, m2, m3 = newPermit(t, ctx, tx, p1, "TP-S-1"), newPermit(t, ctx, tx, p2, "TP-S-2"), newPermit(t, ctx, tx, p3, "TP-S-3")
		return nil
	})
	for _, c := range []struct {
		name          string
		orgs, issuers []int64
		call          int64
		want          []int64 // plan indexes 1..3
	}{
		{"every organisation", nil, nil, 0, []int64{1, 2, 3}},
		{"no organisation", []int64{}, nil, 0, nil},
		{"the province", []int64{prov}, nil, 0, []int64{1}},
		{"the importer, and calls of the authority", []int64{imp}, []int64{auth}, 0, []int64{1, 2, 3}},
		{"calls of the authority only", []int64{}, []int64{auth}, 0, []int64{1, 3}},
		{"calls of the authority, organisations nil", nil, []int64{auth}, 0, []int64{1, 3}},
		{"no issuer, empty", []int64{prov}, []int64{}, 0, []int64{1}},
		{"one call", nil, nil, c1.ID, []int64{1, 3}},
		{"one call, the importer", []int64{imp}, nil, c1.ID, []int64{3}},
	} {
		plans, permits := map[int64]int64{p1.ID: 1, p2.ID: 2, p3.ID: 3}, map[int64]int64{m1.ID: 1, m2.ID: 2, m3.ID: 3}
		err := st.View(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
			ps, err := tx.Plans(ctx, licensing.PlanFilter{CallID: c.call, Orgs: c.orgs, Issuers: c.issuers})
			if err != nil {
				return err
			}
			var got []int64
			for _, p := range ps {
				got = append(got, plans[p.ID])
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Plans of %s = %v, want %v", c.name, got, c.want)
			}
			ms, err := tx.Permits(ctx, licensing.PermitFilter{CallID: c.call, Holders: c.orgs, Issuers: c.issuers})
			if err != nil {
				return err
			}
			got = nil
			for _, m := range ms {
				got = append(got, permits[m.ID])
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Permits of %s = %v, want %v", c.name, got, c.want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := st.View(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
		for _, c := range []struct {
			name string
			f    licensing.PermitFilter
			want []int64
		}{
			{"of one plan", licensing.PermitFilter{PlanID: p2.ID}, []int64{m2.ID}},
			{"issued", licensing.PermitFilter{Status: tradeplan.PermitIssued}, []int64{m1.ID, m2.ID, m3.ID}},
			{"revoked", licensing.PermitFilter{Status: tradeplan.PermitRevoked}, nil},
			{"at a crossing", licensing.PermitFilter{Crossing: "KP-CN-1"}, []int64{m1.ID, m2.ID, m3.ID}},
			{"at another crossing", licensing.PermitFilter{Crossing: "KP-RU-1"}, nil},
		} {
			ms, err := tx.Permits(ctx, c.f)
			if err != nil {
				return err
			}
			var got []int64
			for _, m := range ms {
				got = append(got, m.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Permits %s = %v, want %v", c.name, got, c.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// recordsContract: what is missing is ENotFound; a line is decided once per
// version; an assessment replaces the one before; permit numbers count per
// period; a transaction that fails leaves nothing behind.
func recordsContract(t *testing.T, open OpenStore) {
	st, ids := open(t, tree)
	auth, prov := ids[0], ids[1]
	var call tradeplan.Call
	var plan tradeplan.PlanRecord
	update(t, st, func(ctx context.Context, tx licensing.Tx) error {
		call = newCall(t, ctx, tx, auth)
		plan = newPlan(t, ctx, tx, call.ID, prov)
		return nil
	})
	err := st.View(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
		for _, c := range []struct {
			name string
			err  error
		}{
			{"call", func() error { _, err := tx.Call(ctx, 9999); return err }()},
			{"plan", func() error { _, err := tx.Plan(ctx, 9999); return err }()},
			{"plan version", func() error { _, err := tx.PlanVersion(ctx, plan.ID, 2); return err }()},
			{"permit", func() error { _, err := tx.Permit(ctx, 9999); return err }()},
			{"crossing", func() error { _, err := tx.Crossing(ctx, "XX-YY-9"); return err }()},
			{"delegation", func() error { _, err := tx.Delegation(ctx, 9999); return err }()},
			{"organisation", func() error { _, err := tx.Organisation(ctx, 9999); return err }()},
		} {
			if tradeplan.ErrorCode(c.err) != tradeplan.ENotFound {
				t.Errorf("a missing %s: %v, want not found", c.name, c.err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	err = st.Update(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
		p := tradeplan.PlanRecord{CallID: call.ID, Organisation: prov, Title: "again", Status: tradeplan.PlanDraft, Version: 1,
			CreatedBy: "contract", CreatedAt: day(t, "2026-11-03"), UpdatedAt: day(t, "2026-11-03")}
		return tx.CreatePlan(ctx, &p)
	})
	if tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Errorf("a second plan of one organisation for one call: %v, want conflict", err)
	}

	decision := func(line int, d string) tradeplan.LineDecision {
		return tradeplan.LineDecision{PlanID: plan.ID, Version: 1, Line: line, Decision: d, Reason: "contract", By: "contract", At: day(t, "2026-12-01")}
	}
	update(t, st, func(ctx context.Context, tx licensing.Tx) error {
		if err := tx.AddDecision(ctx, decision(1, tradeplan.DecisionRefuse)); err != nil {
			return err
		}
		return tx.AddDecision(ctx, decision(2, tradeplan.DecisionRefuse))
	})
	err = st.Update(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
		return tx.AddDecision(ctx, decision(1, tradeplan.DecisionRefuse))
	})
	if tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Errorf("a second decision on a line: %v, want conflict", err)
	}

	assess := func(hs string) tradeplan.LineAssessment {
		return tradeplan.LineAssessment{PlanID: plan.ID, Version: 1, Line: 3, HS: hs, Reason: "contract", By: "contract", At: day(t, "2026-12-01")}
	}
	update(t, st, func(ctx context.Context, tx licensing.Tx) error { return tx.PutAssessment(ctx, assess("030569")) })
	update(t, st, func(ctx context.Context, tx licensing.Tx) error { return tx.PutAssessment(ctx, assess("071239")) })

	var seqs []int64
	next := func(period string) func(ctx context.Context, tx licensing.Tx) error {
		return func(ctx context.Context, tx licensing.Tx) error {
			n, err := tx.NextPermitSeq(ctx, period)
			seqs = append(seqs, n)
			return err
		}
	}
	update(t, st, next("2027H1"))
	update(t, st, next("2027H1"))
	update(t, st, next("2027H2"))
	// A failing transaction takes nothing: not a number, not a call.
	err = st.Update(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
		if err := next("2027H1")(ctx, tx); err != nil {
			return err
		}
		newCall(t, ctx, tx, auth)
		return tradeplan.Errorf(tradeplan.EConflict, "roll back")
	})
	if tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Fatalf("a failing transaction: %v", err)
	}
	update(t, st, next("2027H1"))
	if want := []int64{1, 2, 1, 3, 3}; !slices.Equal(seqs, want) {
		t.Errorf("permit numbers %v, want %v (the rolled back 3 taken again)", seqs, want)
	}

	err = st.View(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
		ds, err := tx.Decisions(ctx, plan.ID, 1)
		if err != nil {
			return err
		}
		if len(ds) != 2 || ds[0].Line != 1 || ds[1].Line != 2 {
			t.Errorf("Decisions = %+v, want lines 1 and 2", ds)
		}
		as, err := tx.Assessments(ctx, plan.ID, 1)
		if err != nil {
			return err
		}
		if len(as) != 1 || as[0].HS != "071239" {
			t.Errorf("Assessments = %+v, want the last one only", as)
		}
		cs, err := tx.Calls(ctx)
		if err != nil {
			return err
		}
		if len(cs) != 1 || cs[0].ID != call.ID {
			t.Errorf("Calls = %+v, want call %d only", cs, call.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// orgContract: lineages run up to the root, subtrees down; an office holds
// one standing delegation at a time.
func orgContract(t *testing.T, open OpenStore) {
	st, ids := open(t, tree)
	auth, prov, imp := ids[0], ids[1], ids[2]
	err := st.View(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
		lin, err := tx.OrgLineage(ctx, prov)
		if err != nil {
			return err
		}
		if len(lin) != 2 || lin[0].ID != prov || lin[1].ID != auth || lin[0].Kind != tradeplan.OrgProvince || lin[1].Country != "KP" {
			t.Errorf("OrgLineage(province) = %+v", lin)
		}
		sub, err := tx.Subtree(ctx, auth)
		if err != nil {
			return err
		}
		if want := []int64{auth, prov}; !slices.Equal(sub, want) {
			t.Errorf("Subtree(authority) = %v, want %v", sub, want)
		}
		if _, err := tx.OrgLineage(ctx, 9999); tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			t.Errorf("OrgLineage of a missing organisation: %v", err)
		}
		if _, err := tx.Subtree(ctx, 9999); tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			t.Errorf("Subtree of a missing organisation: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	grant := func(office int64) (licensing.Delegation, error) {
		d := licensing.Delegation{Authority: auth, Office: office, Reason: "contract", GrantedBy: "contract", GrantedAt: day(t, "2026-12-01")}
		err := st.Update(contractCtx, func(ctx context.Context, tx licensing.Tx) error { return tx.AddDelegation(ctx, &d) })
		return d, err
	}
	d1, err := grant(prov)
	if err != nil || d1.ID == 0 {
		t.Fatalf("a delegation: %+v, %v", d1, err)
	}
	if _, err := grant(prov); tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Errorf("a second standing delegation to one office: %v, want conflict", err)
	}
	revoked := day(t, "2026-12-05")
	d1.RevokedBy, d1.RevokedAt = "contract", &revoked
	update(t, st, func(ctx context.Context, tx licensing.Tx) error { return tx.RevokeDelegation(ctx, d1) })
	d2, err := grant(prov)
	if err != nil {
		t.Fatalf("a delegation after the last was revoked: %v", err)
	}
	d3, err := grant(imp)
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(contractCtx, func(ctx context.Context, tx licensing.Tx) error {
		got, err := tx.Delegation(ctx, d1.ID)
		if err != nil {
			return err
		}
		if got.RevokedAt == nil || !got.RevokedAt.Equal(revoked) || got.RevokedBy != "contract" || got.Office != prov {
			t.Errorf("the revoked delegation reads %+v", got)
		}
		for _, c := range []struct {
			name string
			f    licensing.DelegationFilter
			want []int64
		}{
			{"all", licensing.DelegationFilter{}, []int64{d1.ID, d2.ID, d3.ID}},
			{"active", licensing.DelegationFilter{Active: true}, []int64{d2.ID, d3.ID}},
			{"of the province", licensing.DelegationFilter{Office: prov}, []int64{d1.ID, d2.ID}},
			{"active, of the province", licensing.DelegationFilter{Office: prov, Active: true}, []int64{d2.ID}},
			{"of the authority", licensing.DelegationFilter{Authority: auth}, []int64{d1.ID, d2.ID, d3.ID}},
			{"of another authority", licensing.DelegationFilter{Authority: imp}, nil},
		} {
			ds, err := tx.Delegations(ctx, c.f)
			if err != nil {
				return err
			}
			var got []int64
			for _, d := range ds {
				got = append(got, d.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("Delegations %s = %v, want %v", c.name, got, c.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
