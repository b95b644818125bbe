package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

type declFixture struct {
	*licFixture
	compliance tradeplan.Actor
	permit     tradeplan.Permit
}

func newDeclFixture(t testing.TB, db *store.DB) *declFixture {
	f := &declFixture{licFixture: newLicFixture(t, db)}
	f.compliance = f.rev
	f.compliance.User.Role = tradeplan.RoleCompliance
	f.compliance.User.ID = 7
	f.permit = issueFlour(t, f.licFixture, f.provA, 1)[0]
	*f.now = lday("2027-02-01")
	must[tradeplan.Crossing](t)(f.svc.SetCrossing(context.Background(), f.admin, "namyang-tumen", tradeplan.CrossingOpen, "customs open"))
	*f.now = lday("2027-03-01")
	return f
}

func (f *declFixture) decl(number string, org tradeplan.Organisation, day string, qty float64, permit string) licensing.DeclarationJSON {
	return licensing.DeclarationJSON{Declaration: number, Declarant: licensing.DeclarantID(org.ID), Permit: permit, Date: day, Description: "wheat flour", HS: "110100",
		Origin: "CN", Destination: "KP", Crossing: "Namyang-Tumen", Quantity: tradeplan.D(qty), Unit: "t", Value: tradeplan.D(qty * 400), Currency: "USD"}
}

func (f *declFixture) load(t *testing.T, batch string, ds ...licensing.DeclarationJSON) (licensing.IntakeResult, error) {
	t.Helper()
	in, err := licensing.DeclarationsFromJSON(ds)
	if err != nil {
		return licensing.IntakeResult{}, err
	}
	return f.svc.ImportDeclarations(context.Background(), f.compliance, batch, in)
}

func (f *declFixture) mustLoad(t *testing.T, batch string, ds ...licensing.DeclarationJSON) licensing.IntakeResult {
	t.Helper()
	r, err := f.load(t, batch, ds...)
	if err != nil {
		t.Fatalf("batch %s: %v", batch, err)
	}
	return r
}

func rules(d licensing.Declaration) []string {
	var out []string
	for _, f := range d.Flags {
		out = append(out, f.Rule)
	}
	slices.Sort(out)
	return out
}

func byNumber(ds []licensing.Declaration, n string) licensing.Declaration {
	for _, d := range ds {
		if d.Number == n {
			return d
		}
	}
	return licensing.Declaration{}
}

func declared(t *testing.T, db *store.DB, id int64) string {
	return must[tradeplan.Decimal](t)(db.PermitDeclared(context.Background(), id)).String()
}

// TestDeclarationsStory: the report's story continued on each engine. A
// wheat-flour declaration depletes its permit; a second over the balance is
// flagged; a replayed batch changes nothing; a corrected declaration moves
// the balance back; salted pollack through a crossing with no permit is
// flagged citing 2371; hostile declarations (another organisation's
// permit, a forged number, dated before the permit) are flagged and never
// counted; a batch with an error loads nothing.
func TestDeclarationsStory(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		pn := f.permit.Number

		r := f.mustLoad(t, "b1", f.decl("CD-1", f.orgA, "2027-02-10", 300, pn))
		if r.Loaded != 1 || r.Replayed || r.Flagged != 0 || !r.Current[0].Counted || r.Current[0].Matched != pn {
			t.Fatalf("b1: %+v", r)
		}
		if got := declared(t, db, f.permit.ID); got != "300" {
			t.Fatalf("declared after b1: %s", got)
		}
		// Matched by its facts: no permit declared.
		r = f.mustLoad(t, "b2", f.decl("CD-2", f.orgA, "2027-02-20", 250, ""))
		if d := r.Current[0]; d.Matched != pn || strings.Join(rules(d), ",") != licensing.FlagOverBalance || !strings.Contains(d.Flags[0].Figures, "550 t") {
			t.Fatalf("b2 over balance: %+v", d)
		}
		// Replay: nothing changes, and it says so.
		r = f.mustLoad(t, "b1", f.decl("CD-1", f.orgA, "2027-02-10", 300, pn))
		if !r.Replayed || r.Loaded != 0 || r.Count != 1 || len(r.Current) != 0 {
			t.Fatalf("replay: %+v", r)
		}
		if got := declared(t, db, f.permit.ID); got != "550" {
			t.Fatalf("declared after replay: %s", got)
		}
		_, err := f.load(t, "b1", f.decl("CD-1", f.orgA, "2027-02-10", 30, pn))
		wantCode(t, err, tradeplan.EConflict)
		// The same declaration in another batch: unchanged, not counted twice.
		r = f.mustLoad(t, "b1-again", f.decl("CD-1", f.orgA, "2027-02-10", 300, pn))
		if r.Unchanged != 1 || r.Loaded != 0 {
			t.Fatalf("same facts in another batch: %+v", r)
		}
		// A correction moves the balance back and lifts the flag.
		r = f.mustLoad(t, "b3", f.decl("CD-2", f.orgA, "2027-02-20", 150, ""))
		if r.Corrected != 1 || r.Current[0].Version != 2 || len(r.Current[0].Flags) != 0 {
			t.Fatalf("correction: %+v", r)
		}
		if got := declared(t, db, f.permit.ID); got != "450" {
			t.Fatalf("declared after correction: %s", got)
		}
		// Tolerance: 10% over 500 t lets 540 t pass.
		wantCode(t, f.svc.SetTolerance(ctx, f.rev, "t", tradeplan.D(10)), tradeplan.EForbidden)
		if err := f.svc.SetTolerance(ctx, f.admin, "tonnes", tradeplan.D(10)); err != nil {
			t.Fatal(err)
		}
		r = f.mustLoad(t, "b4", f.decl("CD-3", f.orgA, "2027-02-25", 90, pn))
		if len(r.Current[0].Flags) != 0 {
			t.Fatalf("within tolerance: %+v", r.Current[0])
		}

		// Hostile: another organisation's permit, a forged number, before the permit's window.
		forged := pn[:len(pn)-1] + map[bool]string{true: "1", false: "0"}[strings.HasSuffix(pn, "0")]
		pollack := f.decl("CD-P", f.orgA, "2027-02-12", 20, "")
		pollack.Description, pollack.HS, pollack.Origin, pollack.Destination = "salted pollack", "030569", "KP", "CN"
		r = f.mustLoad(t, "b5",
			f.decl("CD-B", f.orgB, "2027-02-11", 100, pn),
			f.decl("CD-F", f.orgA, "2027-02-11", 100, forged),
			f.decl("CD-E", f.orgA, "2026-12-15", 10, pn),
			pollack)
		want := map[string]string{
			"CD-B": licensing.FlagOtherHolder,
			"CD-F": licensing.FlagBadPermitNumber,
			"CD-E": licensing.FlagCrossingClosed + "," + licensing.FlagOutsideValidity,
			"CD-P": licensing.FlagNoPermit + "," + licensing.FlagProhibited,
		}
		for n, w := range want {
			d := byNumber(r.Current, n)
			if got := strings.Join(rules(d), ","); got != w {
				t.Errorf("%s: flags %s, want %s: %+v", n, got, w, d.Flags)
			}
		}
		if d := byNumber(r.Current, "CD-P"); !slices.Contains(d.Flags[1].Citations, "UNSCR 2371 (2017) OP9") && !slices.Contains(d.Flags[0].Citations, "UNSCR 2371 (2017) OP9") {
			t.Errorf("pollack flag cites %+v", d.Flags)
		}
		if d := byNumber(r.Current, "CD-B"); d.Counted {
			t.Errorf("another holder's declaration counts against the permit: %+v", d)
		}
		// CD-E counts (the holder's goods under its permit) but is flagged.
		if got := declared(t, db, f.permit.ID); got != "550" {
			t.Fatalf("declared after hostile batch: %s, want 550 (450 + 90 + 10)", got)
		}

		// A batch with errors loads nothing, and says where each is.
		bad := f.decl("CD-X", f.orgA, "2027-02-26", 0, pn)
		unknown := f.decl("CD-Y", f.orgA, "2027-02-26", 5, pn)
		unknown.Declarant = licensing.DeclarantID(9999)
		_, err = f.load(t, "b6", f.decl("CD-OK", f.orgA, "2027-02-26", 1, pn), bad)
		wantCode(t, err, tradeplan.EInvalid)
		if !strings.Contains(err.Error(), "declarations[1].quantity") {
			t.Fatalf("error not placed: %v", err)
		}
		_, err = f.load(t, "b6", f.decl("CD-OK", f.orgA, "2027-02-26", 1, pn), unknown)
		wantCode(t, err, tradeplan.EInvalid)
		if !strings.Contains(err.Error(), "declarations[1].declarant") {
			t.Fatalf("error not placed: %v", err)
		}
		if ds := must[[]licensing.Declaration](t)(f.svc.Declarations(ctx, f.compliance, licensing.DeclarationFilter{Batch: "b6"})); len(ds) != 0 {
			t.Fatalf("a rejected batch left %d declarations", len(ds))
		}
		// The id is free again.
		if r := f.mustLoad(t, "b6", f.decl("CD-OK", f.orgA, "2027-02-26", 1, pn)); r.Loaded != 1 {
			t.Fatalf("b6 after rejection: %+v", r)
		}

		// Who may load: not the holder, not a reviewer.
		in := must[[]licensing.DeclarationInput](t)(licensing.DeclarationsFromJSON([]licensing.DeclarationJSON{f.decl("CD-Z", f.orgA, "2027-02-26", 1, pn)}))
		_, err = f.svc.ImportDeclarations(ctx, f.provA, "z", in)
		wantCode(t, err, tradeplan.EForbidden)
		_, err = f.svc.ImportDeclarations(ctx, f.rev, "z", in)
		wantCode(t, err, tradeplan.EForbidden)
		// Visibility: the holder sees its own, not another's.
		own := must[[]licensing.Declaration](t)(f.svc.Declarations(ctx, f.provB, licensing.DeclarationFilter{}))
		if len(own) != 1 || own[0].Number != "CD-B" {
			t.Fatalf("province B sees %+v", own)
		}

		// Revoked: a later declaration under it is flagged.
		must[licensing.PermitView](t)(f.svc.SetPermitStatus(ctx, f.admin, f.permit.ID, tradeplan.PermitRevoked, "end-user doubts"))
		r = f.mustLoad(t, "b7", f.decl("CD-R", f.orgA, "2027-02-27", 1, pn))
		if got := rules(r.Current[0]); !slices.Contains(got, licensing.FlagPermitStatus) {
			t.Fatalf("revoked permit: %v", got)
		}
		if res := must[store.VerifyResult](t)(db.VerifyAudit(ctx)); !res.OK {
			t.Fatalf("audit chain: %+v", res)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state before tampering: %+v", res.Problems)
		}
		// A declared quantity lowered behind the store's back is found.
		if err := store.TamperPacked(ctx, db, "number = 'CD-1'", "quantity", "1", false); err != nil {
			t.Fatal(err)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); res.OK || len(res.Problems) != 1 || !strings.Contains(fmt.Sprint(res.Problems[0]), "declarations") {
			t.Fatalf("state after tampering with a declaration: %+v", res)
		}
	})
}

// TestDeclarationBatchesAtOnce: the same batch sent twice at once loads
// once (the other is a replay); different batches on one permit at once
// are both counted, once each.
func TestDeclarationBatchesAtOnce(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		f := newDeclFixture(t, db)
		pn := f.permit.Number
		var wg sync.WaitGroup
		res := make([]licensing.IntakeResult, 6)
		errs := make([]error, 6)
		for i := range res {
			wg.Add(1)
			go func() {
				defer wg.Done()
				batch := "same"
				if i >= 3 {
					batch = fmt.Sprintf("b%d", i)
				}
				res[i], errs[i] = f.load(t, batch, f.decl("CD-"+batch, f.orgA, "2027-02-10", 10, pn))
			}()
		}
		wg.Wait()
		replays := 0
		for i, err := range errs {
			if err != nil {
				t.Fatalf("batch %d: %v", i, err)
			}
			if i < 3 && res[i].Replayed {
				replays++
			}
		}
		if replays != 2 {
			t.Fatalf("%d replays of the same batch sent three times, want 2", replays)
		}
		if got := declared(t, db, f.permit.ID); got != "40" {
			t.Fatalf("declared %s, want 40 (one of the same batch, three others)", got)
		}
	})
}

// TestEnforcementCases: flags become cases (one per declaration and rule,
// however often loaded), most severe first in the compliance queue;
// assignment only to the authority's compliance officers; closing needs an
// outcome and a reason; a closed case changes no more; the subject and
// other roles do not see the queue; every change audited.
func TestEnforcementCases(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		pn := f.permit.Number
		pollack := f.decl("CD-P", f.orgA, "2027-02-12", 20, "")
		pollack.Description, pollack.HS, pollack.Origin, pollack.Destination = "salted pollack", "030569", "KP", "CN"
		r := f.mustLoad(t, "c1", f.decl("CD-1", f.orgA, "2027-02-10", 600, pn), pollack)
		if r.Cases != 3 {
			t.Fatalf("cases opened %d, want 3 (over-balance; no-permit and prohibited): %+v", r.Cases, r.Current)
		}
		if r := f.mustLoad(t, "c1-again", f.decl("CD-1", f.orgA, "2027-02-10", 600, pn), pollack); r.Cases != 0 {
			t.Fatalf("the same flags again opened %d cases", r.Cases)
		}
		q := must[[]licensing.Case](t)(f.svc.Cases(ctx, f.compliance, licensing.CaseFilter{}))
		if len(q) != 3 || q[0].Severity != "critical" || q[0].Rule != licensing.FlagProhibited || !slices.Contains(q[0].Citations, "UNSCR 2371 (2017) OP9") ||
			q[2].Severity != "medium" || q[2].Permit != pn || !strings.Contains(q[2].Summary, "600 t") {
			t.Fatalf("queue %+v", q)
		}
		for _, a := range []tradeplan.Actor{f.provA, f.rev, f.admin} {
			_, err := f.svc.Cases(ctx, a, licensing.CaseFilter{})
			wantCode(t, err, tradeplan.EForbidden)
		}
		id := q[0].ID
		// Assign: a compliance officer of the authority, not of the province.
		sys := tradeplan.WithActor(ctx, tradeplan.SystemActor("test"))
		officer := must[tradeplan.User](t)(db.CreateUser(sys, tradeplan.User{OrgID: f.authority.ID, Email: "co@x", Role: tradeplan.RoleCompliance}, "a long enough password"))
		provOfficer := must[tradeplan.User](t)(db.CreateUser(sys, tradeplan.User{OrgID: f.orgA.ID, Email: "pco@x", Role: tradeplan.RoleCompliance}, "a long enough password"))
		_, err := f.svc.ChangeCase(ctx, f.compliance, id, licensing.CaseChange{Assignee: provOfficer.ID})
		wantCode(t, err, tradeplan.EInvalid)
		c := must[licensing.Case](t)(f.svc.ChangeCase(ctx, f.compliance, id, licensing.CaseChange{Assignee: officer.ID, Note: "seafood export through Namyang"}))
		if c.Assignee != officer.ID || len(c.Notes) != 1 {
			t.Fatalf("assigned %+v", c)
		}
		c = must[licensing.Case](t)(f.svc.ChangeCase(ctx, f.compliance, id, licensing.CaseChange{Investigate: true}))
		if c.Status != licensing.CaseInvestigating {
			t.Fatalf("investigating %+v", c)
		}
		_, err = f.svc.ChangeCase(ctx, f.compliance, id, licensing.CaseChange{Close: true, Reason: "seized"})
		wantCode(t, err, tradeplan.EInvalid)
		_, err = f.svc.ChangeCase(ctx, f.compliance, id, licensing.CaseChange{Close: true, Outcome: "violation"})
		wantCode(t, err, tradeplan.EInvalid)
		c = must[licensing.Case](t)(f.svc.ChangeCase(ctx, f.compliance, id, licensing.CaseChange{Close: true, Outcome: "violation", Reason: "20 t of salted pollack seized"}))
		if c.Status != licensing.CaseClosed || c.ClosedAt == nil {
			t.Fatalf("closed %+v", c)
		}
		_, err = f.svc.ChangeCase(ctx, f.compliance, id, licensing.CaseChange{Note: "reopen?"})
		wantCode(t, err, tradeplan.EConflict)
		open := must[[]licensing.Case](t)(f.svc.Cases(ctx, f.compliance, licensing.CaseFilter{Status: licensing.CaseOpen}))
		if len(open) != 2 {
			t.Fatalf("open cases %d, want 2", len(open))
		}
		log := must[[]tradeplan.AuditEntry](t)(db.AuditLog(ctx, store.AuditFilter{Limit: 1000}))
		seen := map[string]int{}
		for _, e := range log {
			seen[e.Action]++
		}
		if seen["case.open"] != 3 || seen["case.assign"] != 1 || seen["case.investigate"] != 1 || seen["case.close"] != 1 || seen["declarations.import"] != 2 {
			t.Fatalf("audit %v", seen)
		}
	})
}

// TestRescreenAfterListUpdate: a list update that designates the partner of
// an issued permit suspends it (audited with the finding) and opens a case
// for compliance; the summary counts it; running again hits it again but
// suspends and opens nothing twice; a permit whose partner is not listed
// stays issued.
func TestRescreenAfterListUpdate(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := &declFixture{licFixture: newLicFixture(t, db)}
		f.compliance = f.rev
		f.compliance.User.Role = tradeplan.RoleCompliance
		f.permit = issueFlour(t, f.licFixture, f.provA, 1)[0]
		// Province B's permit names another partner.
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provB, f.call.ID, 0, dieselPlan(1000)))
		_, other, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 1, licensing.Approval{Reason: "fuel"})
		if err != nil {
			t.Fatal(err)
		}
		*f.now = lday("2027-03-01")
		var mu sync.Mutex
		designated := map[string]bool{}
		listScreen := func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
			r, err := capScreen(ctx, p, asOf, usage)
			mu.Lock()
			defer mu.Unlock()
			for i, l := range p.Lines {
				if l.Partner != nil && designated[l.Partner.Name] {
					r.Lines[i].Verdict = tradeplan.Prohibited
					r.Lines[i].Findings = append(r.Lines[i].Findings, tradeplan.Finding{Kind: tradeplan.KindParty, Outcome: tradeplan.Prohibited,
						Summary: "strong match", Match: &tradeplan.Match{List: "un", EntryID: "KPe.TEST", Name: strings.ToUpper(l.Partner.Name), Query: l.Partner.Name, Score: 1}})
				}
			}
			return r, err
		}
		svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: listScreen, Clock: func() time.Time { return *f.now }})

		r := must[licensing.RescreenResult](t)(svc.Rescreen(ctx, f.compliance, "UN list 2027-02-28"))
		// The diesel's cap draw is not a hit.
		if r.Permits != 2 || r.Hit != 0 {
			t.Fatalf("before the update: %+v", r)
		}
		mu.Lock()
		designated["Tumen Grain"] = true
		mu.Unlock()
		_, err = svc.Rescreen(ctx, f.provA, "x")
		wantCode(t, err, tradeplan.EForbidden)
		r = must[licensing.RescreenResult](t)(svc.Rescreen(ctx, f.compliance, "UN list 2027-03-01"))
		if r.Hit != 1 || len(r.Suspended) != 1 || r.Suspended[0] != f.permit.Number || r.Opened != 1 {
			t.Fatalf("after the update: %+v", r)
		}
		pv := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.admin, f.permit.ID))
		if pv.Status != tradeplan.PermitSuspended || !strings.Contains(pv.StatusReason, "UN list 2027-03-01") || !strings.Contains(pv.StatusReason, "KPe.TEST") {
			t.Fatalf("permit after the update: %s %q", pv.Status, pv.StatusReason)
		}
		r = must[licensing.RescreenResult](t)(svc.Rescreen(ctx, f.compliance, "UN list 2027-03-02"))
		if r.Hit != 1 || len(r.Suspended) != 0 || r.Opened != 0 {
			t.Fatalf("again: %+v", r)
		}
		cs := must[[]licensing.Case](t)(svc.Cases(ctx, f.compliance, licensing.CaseFilter{}))
		n := 0
		for _, c := range cs {
			if c.Rule == licensing.FlagRescreen {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d re-screening cases, want 1: %+v", n, cs)
		}
		if pv := must[licensing.PermitView](t)(f.svc.Permit(ctx, f.admin, other.ID)); pv.Status != tradeplan.PermitIssued {
			t.Fatalf("a permit whose partner is not listed: %s %s", pv.Status, pv.StatusReason)
		}
		log := must[[]tradeplan.AuditEntry](t)(db.AuditLog(ctx, store.AuditFilter{Limit: 1000}))
		suspends := 0
		for _, e := range log {
			if e.Action == "permit.suspend" {
				suspends++
			}
		}
		if suspends != 1 {
			t.Fatalf("%d suspensions audited", suspends)
		}
	})
}

// TestDeclarationsWholeChunks loads batches large enough that every bulk
// statement runs whole chunks as well as a remainder (the insert's 3,072
// rows, the reads' 5,000 numbers, the totals' 1,000 permits), on each
// engine: the statements prepared once a transaction give the same rows,
// totals and audit state as one statement a chunk.
func TestDeclarationsWholeChunks(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		f := newDeclFixture(t, db)
		numbers := benchPermits(t, db, f, 1001)
		batch := func(n int, qty float64) []licensing.DeclarationJSON {
			ds := make([]licensing.DeclarationJSON, n)
			for j := range ds {
				ds[j] = f.decl(fmt.Sprintf("C%d", j), f.orgA, "2027-02-10", qty, numbers[j%len(numbers)])
			}
			return ds
		}
		r := f.mustLoad(t, "chunks-1", batch(7000, 0.001)...)
		if r.Loaded != 7000 {
			t.Fatalf("first batch: %+v", r.Loaded)
		}
		r = f.mustLoad(t, "chunks-2", batch(5001, 0.002)...)
		if r.Corrected != 5001 || r.Loaded != 0 {
			t.Fatalf("corrections: corrected %d, loaded %d", r.Corrected, r.Loaded)
		}
		ids := map[string]int64{}
		for _, d := range r.Current {
			ids[d.Matched] = d.PermitID
		}
		// numbers[0] holds C0, C1001, ... C6006: five of them corrected
		// (below 5,001) to 0.002, two not (C5005, C6006) at 0.001.
		if got := declared(t, db, ids[numbers[0]]); got != "0.012" {
			t.Errorf("%s declared %s, want 0.012", numbers[0], got)
		}
		// numbers[1000] holds C1000, C2001, C3002, C4003 (corrected), C5004
		// and C6005 (not).
		if got := declared(t, db, ids[numbers[1000]]); got != "0.01" {
			t.Errorf("%s declared %s, want 0.01", numbers[1000], got)
		}
		if res := must[store.StateResult](t)(db.VerifyState(context.Background())); !res.OK {
			t.Fatalf("state: %+v", res.Problems)
		}
	})
}
