package licensing

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// A ban in force only in August 2027 (neither on the first nor the last day
// of a permit valid for 2027-H2) still stops the licence: the decision is
// screened on each day a rule changes.
func TestDecisionScreensEveryDayARuleChanges(t *testing.T) {
	august := func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
		r := tradeplan.PlanReport{ID: p.ID, AsOf: asOf.Format(time.DateOnly)}
		for i, l := range p.Lines {
			lr := tradeplan.LineReport{Index: i + 1, Description: l.Description, HS: tradeplan.HSAssignment{Code: l.HS}, Findings: []tradeplan.Finding{}}
			if !asOf.Before(day("2027-08-01")) && !asOf.After(day("2027-08-31")) {
				lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: tradeplan.Prohibited, Summary: "banned in August",
					Basis: &tradeplan.Basis{Rule: "august", Citation: "August order"}})
				lr.Verdict = tradeplan.Prohibited
			}
			r.Summary.Add(lr.Verdict)
			r.Lines = append(r.Lines, lr)
		}
		return r, nil
	}
	changes := func(from, to time.Time) []time.Time {
		var out []time.Time
		for _, d := range []time.Time{day("2027-08-01"), day("2027-09-01")} {
			if d.After(from) && !d.After(to) {
				out = append(out, d)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		changes func(from, to time.Time) []time.Time
		want    string
	}{
		{"rule changes known", changes, tradeplan.EConflict},
		{"rule changes unknown", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := newMemStore()
			for _, o := range testOrgs {
				st.st.orgs[o.ID] = o
			}
			clk := &clock{t: day("2027-05-01")}
			svc := NewService(Config{Store: st, Screen: august, RuleChanges: tc.changes, Clock: clk.now})
			c, err := svc.OpenCall(ctx, admin, tradeplan.Call{Period: "2027-H2", From: day("2027-07-01"), To: day("2027-12-31"), Deadline: day("2027-06-30")})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := svc.ImportPlan(ctx, province, c.ID, 0, &tradeplan.Plan{Country: "KP", Lines: []tradeplan.Line{{Direction: tradeplan.Import,
				Description: "rice", HS: "100630", Origin: "CN", Quantity: tradeplan.D(10), Unit: "t", Value: tradeplan.D(10), Currency: "USD"}}})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = svc.ApproveLine(ctx, reviewer, rec.ID, 1, Approval{Reason: "x"})
			if tradeplan.ErrorCode(err) != tc.want && !(tc.want == "" && err == nil) {
				t.Fatalf("approval: %v, want %q", err, tc.want)
			}
		})
	}
}

// porcelain screens porcelain (6911) into KP over 100 a piece as banned.
func porcelain(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
	r := tradeplan.PlanReport{ID: p.ID, AsOf: asOf.Format(time.DateOnly)}
	for i, l := range p.Lines {
		lr := tradeplan.LineReport{Index: i + 1, Description: l.Description, HS: tradeplan.HSAssignment{Code: l.HS}, Findings: []tradeplan.Finding{}}
		if l.Direction == tradeplan.Import && strings.HasPrefix(l.HS, "6911") && l.Quantity.Sign() > 0 && l.Value.Cmp(l.Quantity.Mul(tradeplan.DecimalInt(100))) > 0 {
			lr.Findings = append(lr.Findings, tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: tradeplan.Prohibited, Summary: "porcelain over 100 a piece",
				Basis: &tradeplan.Basis{Rule: "luxury", Citation: "UNSCR 2321 (2016) Annex"}})
			lr.Verdict = tradeplan.Prohibited
		}
		r.Summary.Add(lr.Verdict)
		r.Lines = append(r.Lines, lr)
	}
	return r, nil
}

func TestCheckUnitValue(t *testing.T) {
	p := tradeplan.Permit{Number: "TP-1", Direction: tradeplan.Import, Description: "porcelain", HS: "691110", Origin: "CN", Destination: "KP",
		Unit: "pcs", Currency: "USD", Quantity: tradeplan.D(1000), Value: tradeplan.D(50000)}
	for _, tc := range []struct {
		name            string
		quantity, value float64
		want            string
	}{
		{"the permit's own average, US$50 a piece", 1000, 50000, ""},
		{"a use of part at the same price", 10, 500, ""},
		{"one piece worth the whole value", 1, 50000, tradeplan.EConflict},
		{"two pieces at US$25,000", 2, 50000, tradeplan.EConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckUnitValue(context.Background(), porcelain, p, tradeplan.D(tc.quantity), tradeplan.D(tc.value), day("2027-08-01"))
			if tradeplan.ErrorCode(err) != tc.want && !(tc.want == "" && err == nil) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if err != nil {
				if fe, ok := AsFindings(err); !ok || len(fe.Findings) != 1 {
					t.Fatalf("findings %+v", fe)
				}
			}
		})
	}
}

// The licence re-derives the plan's country from its organisation at the
// moment of approval: an organisation moved to another country after
// submitting has lines that no longer make sense, refused at their field.
func TestDecisionRederivesTheCountry(t *testing.T) {
	f := newFixture(t, nil)
	rec, err := f.svc.ImportPlan(f.ctx, province, f.call.ID, 0, seafoodPlan())
	f.must(err)
	f.store.mu.Lock()
	f.store.st.orgs[2] = tradeplan.Organisation{ID: 2, Name: "moved", Kind: tradeplan.OrgProvince, Country: "CN"}
	f.store.mu.Unlock()
	_, _, err = f.svc.ApproveLine(f.ctx, reviewer, rec.ID, 7, Approval{Reason: "rice"})
	wantCode(t, err, tradeplan.EConflict)
	te, ok := err.(*tradeplan.Error)
	if !ok || len(te.Problems) == 0 || !strings.HasPrefix(te.Problems[0].Pos.Path, "country") && !strings.HasPrefix(te.Problems[0].Pos.Path, "lines[7]") {
		t.Fatalf("refusal %+v", err)
	}
	for _, p := range te.Problems {
		if strings.Contains(p.Pos.Path, "lines[1]") {
			t.Fatalf("problem at the one-line plan's index, not the line's: %+v", te.Problems)
		}
	}
}

// TestDecisionCrossingLeadsToItsOtherSide: goods through a crossing between
// two countries come from or go to the other side, whatever the line names;
// a line that says otherwise is not licensed (issue 12 item 3, through a
// crossing: diesel "to Hong Kong" through Dandong-Sinuiju escaped the cap).
func TestDecisionCrossingLeadsToItsOtherSide(t *testing.T) {
	for _, tc := range []struct {
		name string
		line tradeplan.Line
		want string
	}{
		{"import from the other side", tradeplan.Line{Direction: tradeplan.Import, Origin: "CN"}, ""},
		{"import from elsewhere", tradeplan.Line{Direction: tradeplan.Import, Origin: "RU"}, tradeplan.EConflict},
		{"export to the other side", tradeplan.Line{Direction: tradeplan.Export, Destination: "CN"}, ""},
		{"export to elsewhere", tradeplan.Line{Direction: tradeplan.Export, Destination: "HK"}, tradeplan.EConflict},
		{"a port of the plan's country", tradeplan.Line{Direction: tradeplan.Export, Destination: "HK", Crossing: "Rajin port"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := newMemStore()
			for _, o := range testOrgs {
				st.st.orgs[o.ID] = o
			}
			clk := &clock{t: day("2026-12-01")}
			svc := NewService(Config{Store: st, Screen: fakeScreen, Clock: clk.now})
			for _, c := range []tradeplan.Crossing{{ID: "namyang-tumen", Name: "Namyang-Tumen", Countries: []string{"KP", "CN"}}, {ID: "rajin-port", Name: "Rajin port", Countries: []string{"KP"}}} {
				if _, err := svc.AddCrossing(ctx, admin, c); err != nil {
					t.Fatal(err)
				}
			}
			c, err := svc.OpenCall(ctx, admin, tradeplan.Call{Period: "2027-H1", From: day("2027-01-01"), To: day("2027-06-30"), Deadline: day("2026-12-31")})
			if err != nil {
				t.Fatal(err)
			}
			l := tc.line
			l.Description, l.HS, l.Quantity, l.Unit, l.Value, l.Currency = "wigs", "670420", tradeplan.D(10), "pcs", tradeplan.D(10), "USD"
			if l.Crossing == "" {
				l.Crossing = "Namyang-Tumen"
			}
			rec, err := svc.ImportPlan(ctx, province, c.ID, 0, &tradeplan.Plan{Country: "KP", Lines: []tradeplan.Line{l}})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = svc.ApproveLine(ctx, reviewer, rec.ID, 1, Approval{Reason: "x"})
			if tradeplan.ErrorCode(err) != tc.want && !(tc.want == "" && err == nil) {
				t.Fatalf("approval: %v, want %q", err, tc.want)
			}
		})
	}
}

// TestUseCrossingLeadsWherePermitGoes: a permit that names no crossing is
// used only at a crossing that touches its country and leads where its goods
// go: a permit for wigs to China is not used to send them into Russia.
func TestUseCrossingLeadsWherePermitGoes(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	for _, o := range testOrgs {
		st.st.orgs[o.ID] = o
	}
	clk := &clock{t: day("2026-12-01")}
	svc := NewService(Config{Store: st, Screen: fakeScreen, Clock: clk.now})
	for _, c := range []tradeplan.Crossing{
		{ID: "namyang-tumen", Name: "Namyang-Tumen", Countries: []string{"KP", "CN"}, Status: tradeplan.CrossingOpen},
		{ID: "tumangang-khasan", Name: "Tumangang-Khasan", Countries: []string{"KP", "RU"}, Status: tradeplan.CrossingOpen},
		{ID: "hunchun-kraskino", Name: "Hunchun-Kraskino", Countries: []string{"CN", "RU"}, Status: tradeplan.CrossingOpen},
		{ID: "rajin-port", Name: "Rajin port", Countries: []string{"KP"}, Status: tradeplan.CrossingOpen},
	} {
		if _, err := svc.AddCrossing(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
	}
	c, err := svc.OpenCall(ctx, admin, tradeplan.Call{Period: "2027-H1", From: day("2027-01-01"), To: day("2027-06-30"), Deadline: day("2026-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := svc.ImportPlan(ctx, province, c.ID, 0, &tradeplan.Plan{Country: "KP", Lines: []tradeplan.Line{{Direction: tradeplan.Export,
		Description: "wigs", HS: "670420", Destination: "CN", Quantity: tradeplan.D(100), Unit: "pcs", Value: tradeplan.D(100), Currency: "USD"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.ApproveLine(ctx, reviewer, rec.ID, 1, Approval{Reason: "x"})
	if err != nil {
		t.Fatal(err)
	}
	clk.set(day("2027-02-01"))
	for _, tc := range []struct {
		crossing string
		want     string
	}{
		{"Tumangang-Khasan", tradeplan.EConflict}, // into Russia
		{"Hunchun-Kraskino", tradeplan.EConflict}, // not the DPRK's crossing
		{"Rajin port", ""},                        // a port: the sea route is not known
		{"Namyang-Tumen", ""},
	} {
		_, err := svc.UsePermit(ctx, province, p.ID, UseInput{Quantity: tradeplan.D(1), Value: tradeplan.D(1), Crossing: tc.crossing})
		if tradeplan.ErrorCode(err) != tc.want && !(tc.want == "" && err == nil) {
			t.Errorf("use at %s: %v, want %q", tc.crossing, err, tc.want)
		}
	}
}

// TestUseUnitValueWithoutApprovedValue: a permit approved with no value has
// no approved unit value to hold a use to; the use is still screened at its
// own quantity and value, so one piece of porcelain declared at US$50,000
// is refused (UNSCR 2321 luxury threshold), and a cheap piece is not.
func TestUseUnitValueWithoutApprovedValue(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	for _, o := range testOrgs {
		st.st.orgs[o.ID] = o
	}
	clk := &clock{t: day("2026-12-01")}
	svc := NewService(Config{Store: st, Screen: porcelain, Clock: clk.now})
	if _, err := svc.AddCrossing(ctx, admin, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen", Countries: []string{"KP", "CN"}, Status: tradeplan.CrossingOpen}); err != nil {
		t.Fatal(err)
	}
	c, err := svc.OpenCall(ctx, admin, tradeplan.Call{Period: "2027-H1", From: day("2027-01-01"), To: day("2027-06-30"), Deadline: day("2026-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := svc.ImportPlan(ctx, province, c.ID, 0, &tradeplan.Plan{Country: "KP", Lines: []tradeplan.Line{{Direction: tradeplan.Import,
		Description: "porcelain tableware", HS: "691110", Origin: "CN", Quantity: tradeplan.D(1000), Unit: "pcs", Crossing: "Namyang-Tumen"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, p, err := svc.ApproveLine(ctx, reviewer, rec.ID, 1, Approval{Reason: "x"})
	if err != nil {
		t.Fatal(err)
	}
	clk.set(day("2027-02-01"))
	if _, err := svc.UsePermit(ctx, province, p.ID, UseInput{Quantity: tradeplan.D(1), Value: tradeplan.D(50000)}); tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Errorf("one piece at US$50,000: %v, want a conflict", err)
	}
	if _, err := svc.UsePermit(ctx, province, p.ID, UseInput{Quantity: tradeplan.D(10), Value: tradeplan.D(500)}); err != nil {
		t.Errorf("ten pieces at US$50: %v", err)
	}
}

// A line of a customs line file may leave its direction empty: the side of
// its route that is the plan's country settles it, and a route that does
// not say it (neither side, or both) is refused at the direction.
func TestResolveRouteEmptyDirection(t *testing.T) {
	for _, tc := range []struct {
		origin, destination string
		want                tradeplan.Direction
	}{
		{"KP", "CN", tradeplan.Export},
		{"CN", "KP", tradeplan.Import},
		{"KP", "", tradeplan.Export},
		{"", "KP", tradeplan.Import},
		{"CN", "RU", ""},
		{"KP", "KP", ""},
		{"", "", ""},
	} {
		l := tradeplan.Line{Origin: tc.origin, Destination: tc.destination}
		ps := resolveRoute(&l, "KP", "lines[1]")
		if tc.want == "" {
			if len(ps) != 1 || ps[0].Pos.Path != "lines[1].direction" || !strings.Contains(ps[0].Message, "KP") {
				t.Errorf("%s→%s: %v, want a problem at lines[1].direction", tc.origin, tc.destination, ps)
			}
			continue
		}
		if len(ps) != 0 || l.Direction != tc.want {
			t.Errorf("%s→%s: direction %q, problems %v; want %q", tc.origin, tc.destination, l.Direction, ps, tc.want)
		}
		if tc.want == tradeplan.Export && l.Origin != "KP" || tc.want == tradeplan.Import && l.Destination != "KP" {
			t.Errorf("%s→%s: route not filled in: %+v", tc.origin, tc.destination, l)
		}
	}
	if ps := ValidateLine(tradeplan.Line{Direction: "sideways", Description: "x", Quantity: tradeplan.MustDecimal("1"), Unit: "t"}, "line"); len(ps) != 1 {
		t.Errorf("a direction that is neither: %v", ps)
	}
}
