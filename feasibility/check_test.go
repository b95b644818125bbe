package feasibility

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
)

// The small site of the hand-worked tests: 4 weeks of 5 working days
// (2027-03-01, a Monday, to 2027-03-28): 20 working days. One process of
// 2 lines at 1 t of input an hour, availability 1, crews of 10, yield 0.5:
// a line-hour makes 0.5 t and needs 2 scheduled line-hours per tonne of
// output. Under 1x8 the lines can make 2 x 1 x 1 x 8 x 20 x 0.5 = 160 t.
const smallSite = `
policy: {max_hours_per_day: 12, max_hours_per_week: 60, days_per_week: 5, absence: 0}
shift_patterns: [1x8]
sites:
  - id: s
    workers: WORKERS
    power: {kwh_per_day: KWH}
    stock: [{item: ore, quantity: STOCK, unit: t}]
    processes:
      - {id: p, input: ore, output: concentrate, hs: "2611", yield: 0.5, lines: 2, rate: 1, availability: 1, crew: 10, kwh_per_tonne: 100}
`

var march = tradeplan.Period{Label: "2027-03-01/2027-03-28", From: day("2027-03-01"), To: day("2027-03-28")}

func day(s string) time.Time {
	t, err := plan.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func sitesOf(t *testing.T, doc string, kv ...string) *Sites {
	t.Helper()
	r := strings.NewReplacer(kv...)
	s, err := Parse([]byte(r.Replace(doc)), "sites.yaml", plan.YAML)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

func exportLine(i int, site, hs string, q float64) tradeplan.Line {
	return tradeplan.Line{Index: i, Pos: tradeplan.Position{File: "plan.yaml", Line: 10 * i, Column: 5, Path: "lines[" + string(rune('0'+i)) + "]"},
		Direction: tradeplan.Export, HS: hs, Description: "goods", Quantity: tradeplan.D(q), Unit: "t", Source: &tradeplan.Source{Site: site}}
}

func check1(t *testing.T, s *Sites, per tradeplan.Period, q float64) *tradeplan.Feasibility {
	t.Helper()
	p := &tradeplan.Plan{ID: "t", Period: per, Lines: []tradeplan.Line{exportLine(1, "s", "261100", q)}}
	fs, err := Check(p, nil, s, Options{})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return fs[0]
}

func limit(f *tradeplan.Feasibility, name string) float64 {
	for _, c := range f.Constraints {
		if c.Name == name {
			return c.Limit
		}
	}
	return math.NaN()
}

func TestWorkingDays(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		perWeek  int
		want     int
	}{
		{"four weeks of five days", "2027-03-01", "2027-03-28", 5, 20},
		{"2027-H1, Sundays off", "2027-01-01", "2027-06-30", 6, 155}, // 25 weeks x 6 + Fri 25 Jun to Wed 30 Jun less Sunday
		{"a Sunday alone, 6 days a week", "2027-03-07", "2027-03-07", 6, 0},
		{"a Sunday alone, 7 days a week", "2027-03-07", "2027-03-07", 7, 1},
		{"a Saturday alone, 5 days a week", "2027-03-06", "2027-03-06", 5, 0},
		{"end before start", "2027-03-07", "2027-03-01", 6, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WorkingDays(day(tt.from), day(tt.to), tt.perWeek); got != tt.want {
				t.Errorf("WorkingDays = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestEachConstraintBinds: each constraint in turn sets the quantity, on
// the small site with figures worked by hand.
func TestEachConstraintBinds(t *testing.T) {
	tests := []struct {
		name                 string
		workers, kwh, stock  string
		target               float64
		binding              string
		quantity             float64
		material, lh, labour float64
		power                float64
	}{
		// 100 t of ore x 0.5 = 50 t; power 10000 x 20 / 100 = 2000 t.
		{"material", "100", "10000", "100", 60, "material", 50, 50, 160, 160, 2000},
		// 1000 t of ore make 500 t; the lines 160 t; 100 workers staff
		// floor(100 / 10) = 10 crews for 2 lines: labour allows 160 t too,
		// and the lines bind.
		{"line hours", "100", "10000", "1000", 200, "line_hours", 160, 500, 160, 160, 2000},
		// 15 workers staff floor(15 / 10) = 1 line: 1 x 8 x 20 x 0.5 = 80 t
		// (their 15 x 8 x 20 = 2400 worker-hours would allow 2400 / 20 = 120 t).
		{"labour", "15", "10000", "1000", 100, "labour", 80, 500, 160, 80, 2000},
		// 500 kWh a day x 20 days / 100 kWh per t = 100 t.
		{"power", "100", "500", "1000", 120, "power", 100, 500, 160, 160, 100},
		// Everything met: the quantity is the target, and the least limit
		// still names the constraint that would bind first.
		{"met", "100", "10000", "1000", 40, "line_hours", 40, 500, 160, 160, 2000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sitesOf(t, smallSite, "WORKERS", tt.workers, "KWH", tt.kwh, "STOCK", tt.stock)
			f := check1(t, s, march, tt.target)
			if !f.Assessed || f.WorkingDays != 20 {
				t.Fatalf("assessed %v, working days %d: %+v", f.Assessed, f.WorkingDays, f)
			}
			if f.Binding != tt.binding || f.Quantity != tt.quantity {
				t.Errorf("binding %s quantity %v; want %s %v", f.Binding, f.Quantity, tt.binding, tt.quantity)
			}
			for name, want := range map[string]float64{"material": tt.material, "line_hours": tt.lh, "labour": tt.labour, "power": tt.power} {
				if got := limit(f, name); got != want {
					t.Errorf("%s limit %v, want %v", name, got, want)
				}
			}
			for _, c := range f.Constraints {
				if want := math.Max(0, c.Limit-f.Quantity); c.Slack != want {
					t.Errorf("%s slack %v, want %v", c.Name, c.Slack, want)
				}
			}
			if short := f.Quantity < f.Target; short != f.Short() || short == (tt.name == "met") {
				t.Errorf("Short() = %v for quantity %v of %v", f.Short(), f.Quantity, f.Target)
			}
		})
	}
}

// TestLabourProposal: with 15 workers the site staffs one line (80 t); a
// target of 100 t needs ceil(100 x 2 / (8 x 20)) = 2 lines, 2 crews of 10
// = 20 workers, so 5 more; a second shift would staff no line at all.
func TestLabourProposal(t *testing.T) {
	doc := strings.Replace(smallSite, "shift_patterns: [1x8]", "shift_patterns: [1x8, 2x8]", 1)
	s := sitesOf(t, doc, "WORKERS", "15", "KWH", "10000", "STOCK", "1000")
	f := check1(t, s, march, 100)
	if f.Quantity != 80 || f.Binding != "labour" || f.Pattern != "1x8" {
		t.Fatalf("quantity %v binding %s pattern %s; want 80 labour 1x8", f.Quantity, f.Binding, f.Pattern)
	}
	p := f.Proposal
	if p == nil || !p.Met || p.Pattern != "1x8" || p.ExtraWorkers != 5 || f.ExtraWorkers != 5 {
		t.Fatalf("proposal %+v, extra %d; want 1x8 with 5 extra workers", p, f.ExtraWorkers)
	}
	// With the absence of a fifth of the workers, 20 present need 25 on
	// the books: 10 more than 15.
	doc = strings.Replace(doc, "absence: 0}", "absence: 0.2}", 1)
	s = sitesOf(t, doc, "WORKERS", "15", "KWH", "10000", "STOCK", "1000")
	if p := check1(t, s, march, 100).Proposal; p.ExtraWorkers != 10 {
		t.Errorf("with absence 0.2: extra %d, want 10", p.ExtraWorkers)
	}
}

// TestPatternOnlyWhenPolicyAllows: 200 t needs more than one 8-hour shift
// (160 t). 1x12 makes 240 t and is first in the list, but is proposed only
// when the policy allows 12-hour days and 60-hour weeks; otherwise 2x8
// (320 t) is; when the policy allows neither, no pattern is.
func TestPatternOnlyWhenPolicyAllows(t *testing.T) {
	tests := []struct {
		name, policy string
		want         string
		quantity     float64
	}{
		{"12-hour shifts allowed", "{max_hours_per_day: 12, max_hours_per_week: 60, days_per_week: 5, absence: 0}", "1x12", 200},
		{"at most 8 hours a day", "{max_hours_per_day: 8, max_hours_per_week: 60, days_per_week: 5, absence: 0}", "2x8", 200},
		{"12 a day but 40 a week", "{max_hours_per_day: 12, max_hours_per_week: 40, days_per_week: 5, absence: 0}", "2x8", 200},
		{"one 8-hour shift only", "{max_hours_per_day: 10, max_hours_per_week: 40, days_per_week: 5, absence: 0}", "", 160},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(smallSite, "shift_patterns: [1x8]", "shift_patterns: [1x8, 1x12, 2x8]", 1)
			doc = strings.Replace(doc, "{max_hours_per_day: 12, max_hours_per_week: 60, days_per_week: 5, absence: 0}", tt.policy, 1)
			if tt.want == "" {
				doc = strings.Replace(doc, "[1x8, 1x12, 2x8]", "[1x8, 1x12]", 1)
			}
			s := sitesOf(t, doc, "WORKERS", "100", "KWH", "10000", "STOCK", "1000")
			f := check1(t, s, march, 200)
			if f.Quantity != tt.quantity {
				t.Errorf("quantity %v, want %v", f.Quantity, tt.quantity)
			}
			p := f.Proposal
			if tt.want == "" {
				if p.Met || p.Pattern != "" {
					t.Errorf("proposal %+v; want none", p)
				}
				return
			}
			if !p.Met || p.Pattern != tt.want || p.ExtraWorkers != 0 {
				t.Errorf("proposal %+v; want %s", p, tt.want)
			}
			if p.HoursPerWorkerDay > 12 || p.HoursPerWorkerWeek > 60 {
				t.Errorf("proposal beyond the policy: %+v", p)
			}
		})
	}
}

// TestPerishables: 100 t of ore that keeps 3 days from 1 March (a Monday)
// can be worked only on 1-3 March: 2 lines x 1 t/h x 8 h = 16 t a day,
// 48 t in all, making 24 t; the rest spoils. Kept for ever, all 100 t
// make 50 t. A supply after the period counts for nothing.
func TestPerishables(t *testing.T) {
	doc := strings.Replace(smallSite, "stock: [{item: ore, quantity: STOCK, unit: t}]",
		"stock: [{item: ore, quantity: 100, unit: t, shelf_days: SHELF, received: RECEIVED}]\n    supply: [{item: ore, month: 2027-04, quantity: 500, unit: t}]", 1)
	tests := []struct {
		name, shelf, received string
		want                  float64
	}{
		{"3 days from the start", "3", "2027-03-01", 24},
		{"3 days from a Friday: Fri only, then the weekend", "3", "2027-03-05", 8},
		{"received before the period, spoilt by its start", "3", "2027-02-20", 0},
		{"keeps longer than the period", "365", "2027-03-01", 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sitesOf(t, doc, "WORKERS", "100", "KWH", "10000", "SHELF", tt.shelf, "RECEIVED", tt.received)
			f := check1(t, s, march, 100)
			if got := limit(f, "material"); got != tt.want || f.Binding != "material" {
				t.Errorf("material %v binding %s, want %v material", got, f.Binding, tt.want)
			}
		})
	}
}

// TestProhibitedNeverAssessed: a prohibited line is not assessed, even
// when its site is unknown or it has no process; its block cites the
// finding.
func TestProhibitedNeverAssessed(t *testing.T) {
	s := sitesOf(t, smallSite, "WORKERS", "100", "KWH", "10000", "STOCK", "1000")
	lines := []tradeplan.Line{exportLine(1, "no-such-site", "030367", 300), exportLine(2, "s", "030367", 30), exportLine(3, "s", "261100", 10)}
	p := &tradeplan.Plan{ID: "t", Period: march, Lines: lines}
	basis := &tradeplan.Basis{Rule: "un-dprk/2371-op9", Citation: "UNSCR 2371 (2017) OP9"}
	rep := &tradeplan.PlanReport{Lines: []tradeplan.LineReport{
		{Verdict: tradeplan.Prohibited, Findings: []tradeplan.Finding{{Kind: tradeplan.KindGoods, Outcome: tradeplan.Prohibited, Basis: basis}}},
		{Verdict: tradeplan.Prohibited, Findings: []tradeplan.Finding{{Kind: tradeplan.KindGoods, Outcome: tradeplan.Prohibited, Basis: basis}}},
		{Verdict: tradeplan.Clear},
	}}
	for _, solver := range []string{Greedy, LP} {
		fs, err := Check(p, rep, s, Options{Solver: solver})
		if err != nil {
			t.Fatalf("%s: Check: %v", solver, err)
		}
		for _, f := range fs[:2] {
			if f.Assessed || f.Quantity != 0 || f.Capacity != 0 || f.Proposal != nil || len(f.Constraints) > 0 || f.Target != 0 {
				t.Errorf("%s: prohibited line assessed: %+v", solver, f)
			}
			if f.Citation != "UNSCR 2371 (2017) OP9 [un-dprk/2371-op9]" || !strings.Contains(f.Reason, "prohibited") {
				t.Errorf("%s: block %+v does not cite the finding", solver, f)
			}
		}
		if !fs[2].Assessed || fs[2].Quantity != 10 {
			t.Errorf("%s: the lawful line: %+v", solver, fs[2])
		}
	}
	// The same lines unscreened would be assessed, and the unknown site
	// is then an error: the verdict alone kept them out.
	if _, err := Check(p, nil, s, Options{}); err == nil {
		t.Error("Check without the verdicts accepted an unknown site")
	}
}

func TestImportsAndLinesWithoutSource(t *testing.T) {
	s := sitesOf(t, smallSite, "WORKERS", "100", "KWH", "10000", "STOCK", "1000")
	imp := exportLine(1, "s", "261100", 10)
	imp.Direction = tradeplan.Import
	nosrc := exportLine(2, "s", "261100", 10)
	nosrc.Source = nil
	p := &tradeplan.Plan{ID: "t", Period: march, Lines: []tradeplan.Line{imp, nosrc}}
	fs, err := Check(p, nil, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fs[0] != nil {
		t.Errorf("an import has a block: %+v", fs[0])
	}
	if fs[1] == nil || fs[1].Assessed || !strings.Contains(fs[1].Reason, "no source site") {
		t.Errorf("a line without a source: %+v", fs[1])
	}
}

// TestPlanLineProblemsPlaced: lines whose site is unknown, whose goods no
// process makes, or whose unit does not fit their process are problems,
// all of them, each at its line of the plan.
func TestPlanLineProblemsPlaced(t *testing.T) {
	s := sitesOf(t, smallSite, "WORKERS", "100", "KWH", "10000", "STOCK", "1000")
	bad := exportLine(3, "s", "261100", 10)
	bad.Unit = "pcs"
	p := &tradeplan.Plan{ID: "t", File: "plan.yaml", Period: march, Lines: []tradeplan.Line{
		exportLine(1, "nowhere", "261100", 10), exportLine(2, "s", "670411", 10), bad, exportLine(4, "s", "261100", 10)}}
	_, err := Check(p, nil, s, Options{})
	var te *tradeplan.Error
	if !asError(err, &te) || te.Code != tradeplan.EInvalid {
		t.Fatalf("err = %v, want EInvalid", err)
	}
	want := []string{
		`plan.yaml:10:5: lines[1].source.site: unknown site "nowhere"`,
		`plan.yaml:20:5: lines[2]: no process of site s`,
		`plan.yaml:30:5: lines[3].unit: the line is in pcs`,
	}
	if len(te.Problems) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(te.Problems), len(want), err)
	}
	for i, w := range want {
		if got := te.Problems[i].String(); !strings.HasPrefix(got, w) {
			t.Errorf("problem %d = %q, want prefix %q", i, got, w)
		}
	}
}

// TestSiteByName: a plan may name its site by the site's name.
func TestSiteByName(t *testing.T) {
	doc := strings.Replace(smallSite, "  - id: s\n", "  - id: s\n    name: Musan Mine Concentrator\n", 1)
	s := sitesOf(t, doc, "WORKERS", "100", "KWH", "10000", "STOCK", "1000")
	l := exportLine(1, "musan  mine concentrator", "261100", 10)
	fs, err := Check(&tradeplan.Plan{Period: march, Lines: []tradeplan.Line{l}}, nil, s, Options{})
	if err != nil || fs[0].Site != "s" || !fs[0].Assessed {
		t.Fatalf("err %v block %+v", err, fs[0])
	}
}

// TestDefaultsUsed: a process that leaves out its yield and kWh takes them
// from the table, and the block says so.
func TestDefaultsUsed(t *testing.T) {
	doc := strings.Replace(smallSite, `yield: 0.5, `, "", 1)
	doc = strings.Replace(doc, `, kwh_per_tonne: 100`, "", 1)
	s := sitesOf(t, doc, "WORKERS", "100", "KWH", "10000", "STOCK", "1000")
	f := check1(t, s, march, 1)
	d, _ := lookupDefault("2611")
	if len(f.DefaultsUsed) != 2 || !strings.HasPrefix(f.DefaultsUsed[0], "yield "+fig(d.Yield)) || !strings.HasPrefix(f.DefaultsUsed[1], "kwh_per_tonne "+fig(d.KWhPerTonne)) {
		t.Fatalf("defaults used %q", f.DefaultsUsed)
	}
	// 1000 t of ore at the default yield.
	if got, want := limit(f, "material"), round3(1000*d.Yield); got != want {
		t.Errorf("material %v, want %v", got, want)
	}
	full := check1(t, sitesOf(t, smallSite, "WORKERS", "100", "KWH", "10000", "STOCK", "1000"), march, 1)
	if len(full.DefaultsUsed) != 0 {
		t.Errorf("defaults used where the file gives the figures: %q", full.DefaultsUsed)
	}
}

// TestFeasibleQuantities: the figure the import budget counts: the
// feasible quantity of an assessed line, nothing of a prohibited one, the
// target of a lawful line not assessed; imports are left out.
func TestFeasibleQuantities(t *testing.T) {
	s := sitesOf(t, smallSite, "WORKERS", "15", "KWH", "10000", "STOCK", "1000")
	nosrc := exportLine(3, "s", "261100", 7)
	nosrc.Source = nil
	imp := exportLine(4, "s", "261100", 5)
	imp.Direction = tradeplan.Import
	p := &tradeplan.Plan{Period: march, Lines: []tradeplan.Line{exportLine(1, "s", "261100", 100), exportLine(2, "s", "030367", 40), nosrc, imp}}
	rep := &tradeplan.PlanReport{Lines: []tradeplan.LineReport{{}, {Verdict: tradeplan.Prohibited}, {}, {}}}
	qs, err := FeasibleQuantities(p, rep, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []LineQuantity{
		{Index: 1, Assessed: true, Target: 100, Quantity: 80, Unit: "t"}, // labour: one line staffed
		{Index: 2, Target: 40, Quantity: 0, Unit: "t"},
		{Index: 3, Target: 7, Quantity: 7, Unit: "t"},
	}
	if len(qs) != len(want) {
		t.Fatalf("%d quantities, want %d: %+v", len(qs), len(want), qs)
	}
	for i := range want {
		if qs[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i+1, qs[i], want[i])
		}
	}
	if got := qs[0].Share(); got != 0.8 {
		t.Errorf("share %v, want 0.8", got)
	}
}

// TestNoPatternAllowed: when the policy allows none of the file's
// patterns, nothing is made and the block says why.
func TestNoPatternAllowed(t *testing.T) {
	doc := strings.Replace(smallSite, "max_hours_per_day: 12", "max_hours_per_day: 6", 1)
	s := sitesOf(t, doc, "WORKERS", "100", "KWH", "10000", "STOCK", "1000")
	f := check1(t, s, march, 10)
	if !f.Assessed || f.Quantity != 0 || !f.Short() || !strings.Contains(f.Reason, "no shift pattern") || f.Proposal == nil || f.Proposal.Met {
		t.Fatalf("block %+v", f)
	}
}

// TestLineUnitConverted: a line in kilograms is checked against a process
// counted in tonnes, and reported in kilograms.
func TestLineUnitConverted(t *testing.T) {
	s := sitesOf(t, smallSite, "WORKERS", "100", "KWH", "10000", "STOCK", "100")
	l := exportLine(1, "s", "261100", 60000)
	l.Unit = "kg"
	fs, err := Check(&tradeplan.Plan{Period: march, Lines: []tradeplan.Line{l}}, nil, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := fs[0]; f.Quantity != 50000 || f.Unit != "kg" || limit(f, "line_hours") != 160000 {
		t.Fatalf("block %+v", f)
	}
}
