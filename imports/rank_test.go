package imports

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/screen"
)

// usedCaps says every cap window is already used this much by issued
// permits.
type usedCaps tradeplan.Decimal

func (u usedCaps) CapUsed(context.Context, string, time.Time, time.Time) (tradeplan.Decimal, error) {
	return tradeplan.Decimal(u), nil
}

func provincePlans(t *testing.T) []Entry {
	return screened(t, "../examples/nhg-2023-h1.yaml", "../examples/imports/nhg-2023-h1-equipment.yaml")
}

// oneOrgPolicy is the default policy without the organisation cap: the
// report's province is the only organisation.
func oneOrgPolicy() *Policy {
	p := DefaultPolicy()
	p.OrganisationCap = tradeplan.Decimal{}
	return p
}

func TestReportProvince(t *testing.T) {
	es := provincePlans(t)
	// 6 M USD in hand: less than the 6.27 M that T1 asks and the 1.4 M of
	// T2 together.
	r, err := Rank(es, Options{Currency: "USD", Receipts: d("6000000"), Policy: oneOrgPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		plan       string
		line, tier int
	}{
		{"nhg-2023-h1", 13, 1}, // wheat flour
		{"nhg-2023-h1", 17, 1}, // antibiotics and analgesics
		{"nhg-2023-h1", 16, 2}, // urea
	} {
		l := findLine(t, r, c.plan, c.line)
		if l.Tier != c.tier || l.FundedValue.Sign() == 0 {
			t.Errorf("%s: tier %d funded %s (%s), want tier %d and funded", l.Description, l.Tier, l.FundedValue, l.Status, c.tier)
		}
	}
	// Funded first: the first lines of the ranking are T1 and T2, and every
	// T4 line waits for what T1 and T2 leave.
	for i, l := range r.Lines[:7] {
		if l.Tier > 2 {
			t.Errorf("ranking[%d] = %s T%d, want T1 or T2 first", i, l.Description, l.Tier)
		}
	}
	urea := findLine(t, r, "nhg-2023-h1", 16)
	if urea.Status != Funded {
		t.Errorf("urea: %s %s, want funded from T2's reserved share", urea.Status, urea.Reason)
	}
	for _, idx := range []int{18, 19} {
		if l := findLine(t, r, "nhg-2023-h1", idx); l.FundedValue.Cmp(urea.FundedValue) > 0 || l.Tier != 4 {
			t.Errorf("%s: T%d funded %s", l.Description, l.Tier, l.FundedValue)
		}
	}

	// HS 84 into the DPRK: excluded, with the citation.
	for _, c := range []struct {
		plan string
		line int
	}{{"nhg-2023-h1-equipment", 1}, {"nhg-2023-h1", 20}} {
		l := findLine(t, r, c.plan, c.line)
		if l.Status != Excluded || l.FundedValue.Sign() != 0 || !strings.Contains(l.Reason, "UNSCR 2397 (2017) OP7") {
			t.Errorf("%s: %s %s, want excluded citing UNSCR 2397 (2017) OP7", l.Description, l.Status, l.Reason)
		}
	}

	// The budget counts none of the banned seafood, mushroom or herb exports.
	b := r.Budget
	if b.Exports.Amount.Sign() != 0 || len(b.Exports.Lines) != 0 || len(b.NotCounted) != 10 {
		t.Errorf("exports counted %s from %d lines, %d not counted; want 0 from none, all 10 not counted", b.Exports.Amount, len(b.Exports.Lines), len(b.NotCounted))
	}
	for _, l := range b.NotCounted {
		if !strings.Contains(l.Reason, "UNSCR 2371 (2017) OP9") && !strings.Contains(l.Reason, "UNSCR 2397 (2017) OP6") {
			t.Errorf("export %s: %s, want the seafood or OP6 citation", l.Description, l.Reason)
		}
	}
	if !b.Total.Equal(d("6000000")) {
		t.Errorf("budget %s, want the receipts 6000000", b.Total)
	}
	assertBalanced(t, r)
}

// assertBalanced checks that no more is allocated than the budget, per line
// and in all, and that each tier's figures add up.
func assertBalanced(t *testing.T, r *Result) {
	t.Helper()
	sum := tradeplan.Decimal{}
	for _, l := range r.Lines {
		if l.FundedValue.Sign() < 0 || l.FundedValue.Cmp(l.Value) > 0 {
			t.Errorf("%s:%d funded %s of %s", l.Plan, l.Line, l.FundedValue, l.Value)
		}
		if l.FundedValue.Sign() > 0 && l.Status != Funded && l.Status != Partial {
			t.Errorf("%s:%d funded %s but %s", l.Plan, l.Line, l.FundedValue, l.Status)
		}
		sum = sum.Add(l.FundedValue)
	}
	tiers := tradeplan.Decimal{}
	for _, tr := range r.Tiers {
		tiers = tiers.Add(tr.Funded)
	}
	if !sum.Equal(tiers) {
		t.Errorf("lines funded %s, tiers %s", sum, tiers)
	}
	if !sum.Add(r.Budget.Unallocated).Equal(r.Budget.Total) {
		t.Errorf("funded %s + unallocated %s != budget %s", sum, r.Budget.Unallocated, r.Budget.Total)
	}
	if sum.Cmp(r.Budget.Total) > 0 {
		t.Errorf("funded %s, more than the budget %s", sum, r.Budget.Total)
	}
}

func TestDieselWithinWhatRemainsOfTheCap(t *testing.T) {
	// Issued permits already use 495,000 of the 500,000 barrels of UNSCR
	// 2397 OP5: of the province's 12,000 barrels, 5,000 are lawful.
	pl := screened(t, "../examples/nhg-2023-h1.yaml")[0].Plan
	rep, err := testScreener(t).Plan(context.Background(), pl, screen.Options{Usage: usedCaps(d("495000"))})
	if err != nil {
		t.Fatal(err)
	}
	es := []Entry{{Plan: pl, Report: &rep}}
	r, err := Rank(es, Options{Currency: "USD", Receipts: d("20000000"), Policy: oneOrgPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	diesel := findLine(t, r, "nhg-2023-h1", 11)
	// 5000/12000 of 1,150,000 USD, rounded down to the cent.
	// (the quantity of what the cents buy, rounded down to the unit's
	// precision)
	if diesel.Status != Partial || !diesel.FundedValue.Equal(d("479166.66")) || !diesel.FundedQty.Equal(d("4999.999")) {
		t.Errorf("diesel: %s %s USD %s bbl, want partial 479166.66 USD 4999.999 bbl", diesel.Status, diesel.FundedValue, diesel.FundedQty)
	}
	if !strings.Contains(diesel.Reason, "2397") || !strings.Contains(diesel.Reason, "5000 bbl left") {
		t.Errorf("diesel reason %q: want the cap and what is left of it", diesel.Reason)
	}
	// Every other lawful line is funded in full: the cap cuts only diesel.
	for _, l := range r.Lines {
		if l.Status == Partial && l.Line != 11 {
			t.Errorf("%s: partial", l.Description)
		}
	}

	// With the cap full, diesel gets nothing, whatever the budget.
	rep, err = testScreener(t).Plan(context.Background(), pl, screen.Options{Usage: usedCaps(d("500000"))})
	if err != nil {
		t.Fatal(err)
	}
	r, err = Rank([]Entry{{Plan: pl, Report: &rep}}, Options{Currency: "USD", Receipts: d("20000000"), Policy: oneOrgPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	if l := findLine(t, r, "nhg-2023-h1", 11); l.FundedValue.Sign() != 0 {
		t.Errorf("diesel on a full cap: funded %s (%s)", l.FundedValue, l.Reason)
	}
}

func TestTwoDieselLinesShareTheCap(t *testing.T) {
	// Two organisations each ask for 4,000 barrels with 5,000 left: the
	// cap is not counted twice.
	mk := func(id, org string) Entry {
		pl := &tradeplan.Plan{ID: id, Organisation: org, Country: "KP", Lines: []tradeplan.Line{
			importLine(1, "diesel fuel", "2710.19", "4000", "bbl", "400000"),
		}}
		rep, err := testScreener(t).Plan(context.Background(), pl, screen.Options{Usage: usedCaps(d("495000"))})
		if err != nil {
			t.Fatal(err)
		}
		return Entry{Plan: pl, Report: &rep}
	}
	es := []Entry{mk("a", "Agency A"), mk("b", "Agency B")}
	r, err := Rank(es, Options{Currency: "USD", Receipts: d("10000000"), Policy: oneOrgPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	q := findLine(t, r, "a", 1).FundedQty.Add(findLine(t, r, "b", 1).FundedQty)
	if q.Cmp(d("5000")) > 0 {
		t.Errorf("two lines funded %s bbl, more than the 5000 left of the cap", q)
	}
}

func importLine(idx int, desc, hs, qty, unit, value string) tradeplan.Line {
	return tradeplan.Line{Index: idx, Direction: tradeplan.Import, Description: desc, HS: strings.ReplaceAll(hs, ".", ""),
		Origin: "CN", Destination: "KP", Quantity: d(qty), Unit: unit, Value: d(value), Currency: "USD"}
}

func TestUnknownCurrencyIsAnErrorAtItsPlace(t *testing.T) {
	pl := &tradeplan.Plan{ID: "p", Organisation: "X", Country: "KP", Lines: []tradeplan.Line{
		importLine(1, "wheat flour", "1101.00", "10", "t", "5000"),
	}}
	pl.Lines[0].Currency = "CNY"
	pl.Lines[0].Pos = tradeplan.Position{File: "p.yaml", Line: 9, Column: 5, Path: "lines[1]"}
	e := screenPlan(t, pl)
	_, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("1000")})
	var te *tradeplan.Error
	if !errors.As(err, &te) || te.Code != tradeplan.EInvalid || !strings.Contains(err.Error(), "p.yaml:9:5") || !strings.Contains(err.Error(), "CNY") {
		t.Fatalf("err = %v, want invalid at p.yaml:9:5 naming CNY", err)
	}
	rates, err := LoadRates("../examples/imports/rates.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("1000"), Rates: rates})
	if err != nil {
		t.Fatal(err)
	}
	if l := r.Lines[0]; !l.Value.Equal(d("700")) {
		t.Errorf("5000 CNY at 0.14 = %s USD, want 700", l.Value)
	}
	pl.Lines[0].Currency = "GBP"
	if _, err := Rank([]Entry{screenPlan(t, pl)}, Options{Currency: "USD", Receipts: d("1000"), Rates: rates}); err == nil || !strings.Contains(err.Error(), "no exchange rate for GBP") {
		t.Errorf("GBP with no rate: err = %v", err)
	}
}

func TestStarvation(t *testing.T) {
	// A tight budget: T1 alone asks for ten times all of it. T3 still gets
	// its reserved share (15%), and T2 its 25%.
	pl := &tradeplan.Plan{ID: "p", Organisation: "Ministry", Country: "CN", Lines: []tradeplan.Line{
		importLine(1, "wheat", "1001.99", "100000", "t", "10000000"),
		importLine(2, "urea", "3102.10", "1000", "t", "500000"),
		importLine(3, "cranes", "8426.41", "10", "t", "400000"),
		importLine(4, "plastic film", "3920.10", "10", "t", "50000"),
	}}
	for i := range pl.Lines {
		pl.Lines[i].Origin, pl.Lines[i].Destination = "DE", "ET"
	}
	pl.Country = "ET"
	r, err := Rank([]Entry{screenPlan(t, pl)}, Options{Currency: "USD", Receipts: d("1000000"), Policy: oneOrgPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	cranes := findLine(t, r, "p", 3)
	if cranes.Tier != 3 || !cranes.FundedValue.Equal(d("150000")) {
		t.Errorf("cranes (T3): funded %s, want its reserved share 150000 (%s)", cranes.FundedValue, cranes.Reason)
	}
	if l := findLine(t, r, "p", 2); !l.FundedValue.Equal(d("250000")) {
		t.Errorf("urea (T2): funded %s, want 250000", l.FundedValue)
	}
	if l := findLine(t, r, "p", 4); !l.FundedValue.Equal(d("50000")) {
		t.Errorf("plastic film (T4): funded %s, want all 50000 of its 100000 share", l.FundedValue)
	}
	// T1: its 40%, the 10% unreserved, and T4's unused 50000.
	if l := findLine(t, r, "p", 1); !l.FundedValue.Equal(d("550000")) {
		t.Errorf("wheat (T1): funded %s, want 550000", l.FundedValue)
	}
	assertBalanced(t, r)
}

func TestClaimedNecessityCountsOnlyAfterUpgrade(t *testing.T) {
	pl := &tradeplan.Plan{ID: "p", Organisation: "Bureau", Country: "ET", Lines: []tradeplan.Line{
		importLine(1, "passenger cars", "8703.23", "20", "t", "300000"),
		importLine(2, "wheat", "1001.99", "1000", "t", "300000"),
	}}
	for i := range pl.Lines {
		pl.Lines[i].Origin, pl.Lines[i].Destination = "DE", "ET"
	}
	pl.Lines[0].Necessity = tradeplan.Critical
	e := screenPlan(t, pl)
	r, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("1000000"), Policy: oneOrgPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	cars := findLine(t, r, "p", 1)
	if cars.Tier != 5 || cars.TierSource != SourceDefault || cars.Status != Deferred || cars.FundedValue.Sign() != 0 || !strings.Contains(cars.Claim, "claimed critical") {
		t.Errorf("cars claimed critical: T%d %s %s funded %s claim %q; want T5 default, deferred, the claim shown", cars.Tier, cars.TierSource, cars.Status, cars.FundedValue, cars.Claim)
	}

	// A reviewer's upgrade with a reason makes it count.
	up := Upgrade{Plan: "p", Line: 1, Tier: 1, Reviewer: "reviewer@authority", Reason: "ambulances for the provincial hospital"}
	r, err = Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("1000000"), Policy: oneOrgPolicy(), Upgrades: []Upgrade{up}})
	if err != nil {
		t.Fatal(err)
	}
	cars = findLine(t, r, "p", 1)
	if cars.Tier != 1 || cars.TierSource != SourceUpgraded || cars.Status != Funded || !strings.Contains(cars.Reason, "reviewer@authority") {
		t.Errorf("upgraded: T%d %s %s %q", cars.Tier, cars.TierSource, cars.Status, cars.Reason)
	}

	// An upgrade without a reviewer or reason, or of a line that is not
	// there, is refused.
	for _, bad := range []Upgrade{
		{Plan: "p", Line: 1, Tier: 1, Reason: "x"},
		{Plan: "p", Line: 1, Tier: 1, Reviewer: "r"},
		{Plan: "p", Line: 9, Tier: 1, Reviewer: "r", Reason: "x"},
		{Plan: "p", Line: 1, Tier: 0, Reviewer: "r", Reason: "x"},
	} {
		if _, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("1"), Upgrades: []Upgrade{bad}}); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
			t.Errorf("upgrade %+v: err = %v, want invalid", bad, err)
		}
	}

	// "useful", the applicant's own word for less, places goods lower.
	pl.Lines[1].Necessity = tradeplan.Useful
	r, err = Rank([]Entry{screenPlan(t, pl)}, Options{Currency: "USD", Receipts: d("1000000"), Policy: oneOrgPolicy()})
	if err != nil {
		t.Fatal(err)
	}
	if w := findLine(t, r, "p", 2); w.Tier != 4 || w.TierSource != SourceClaimed {
		t.Errorf("wheat claimed useful: T%d %s, want T4 claimed", w.Tier, w.TierSource)
	}
}

func TestOrganisationCapAcrossPlans(t *testing.T) {
	// The cap is 25% of 1,000,000: in the rounds that share the tiers'
	// money, one organisation gets at most 250,000, whether it asks in one
	// plan or two, or spells its name otherwise. What no organisation
	// below the cap can take then goes to those at it, pro rata (the cap
	// orders; it does not waste): A asks 550,000 more, B and C 150,000
	// each, for the 250,000 left.
	mk := func(id, org, value string) Entry {
		pl := &tradeplan.Plan{ID: id, Organisation: org, Country: "ET", Lines: []tradeplan.Line{
			importLine(1, "wheat", "1001.99", "1000", "t", value),
		}}
		pl.Lines[0].Origin, pl.Lines[0].Destination = "DE", "ET"
		return screenPlan(t, pl)
	}
	twoPlans := []Entry{mk("a1", "Agency A", "400000"), mk("a2", " agency  a ", "400000"), mk("b", "Agency B", "400000"), mk("c", "Agency C", "400000")}
	onePlan := []Entry{mk("a1", "Agency A", "800000"), mk("b", "Agency B", "400000"), mk("c", "Agency C", "400000")}
	r, err := Rank(twoPlans, Options{Currency: "USD", Receipts: d("1000000")})
	if err != nil {
		t.Fatal(err)
	}
	r1, err := Rank(onePlan, Options{Currency: "USD", Receipts: d("1000000")})
	if err != nil {
		t.Fatal(err)
	}
	a := findLine(t, r, "a1", 1).FundedValue.Add(findLine(t, r, "a2", 1).FundedValue)
	// The same, but for the cent that rounding two lines instead of one
	// may hand out otherwise.
	if a1 := findLine(t, r1, "a1", 1).FundedValue; a.Sub(a1).Cmp(d("0.01")) > 0 || a1.Sub(a).Cmp(d("0.01")) > 0 {
		t.Errorf("agency A over two plans: %s; in one plan: %s; want the same", a, a1)
	}
	// 250000 + 250000 x 550/850, rounded down to the cent.
	if !a.Equal(d("411764.72")) {
		t.Errorf("agency A: %s, want its cap 250000 and 161764.72 of what was left", a)
	}
	for _, id := range []string{"b", "c"} {
		if l := findLine(t, r, id, 1); !l.FundedValue.Equal(d("294117.64")) {
			t.Errorf("%s: %s, want 294117.64 (%s)", id, l.FundedValue, l.Reason)
		}
	}
	if l := findLine(t, r, "a1", 1); !strings.Contains(l.Reason, "organisation cap") {
		t.Errorf("a1 reason %q: want the organisation cap", l.Reason)
	}
	if r.Budget.Unallocated.Sign() != 0 {
		t.Errorf("%s unallocated while every organisation still needs more", r.Budget.Unallocated)
	}
	assertBalanced(t, r)
}

// An organisation alone is not held at the cap: the money no other
// organisation asks for is its. Where others need it, the cap holds.
func TestOrganisationCapAlone(t *testing.T) {
	mk := func(id, org, value string) Entry {
		pl := &tradeplan.Plan{ID: id, Organisation: org, Country: "ET", Lines: []tradeplan.Line{
			importLine(1, "wheat", "1001.99", "1000", "t", value),
		}}
		pl.Lines[0].Origin, pl.Lines[0].Destination = "DE", "ET"
		return screenPlan(t, pl)
	}
	r, err := Rank([]Entry{mk("a", "Agency A", "800000")}, Options{Currency: "USD", Receipts: d("1000000")})
	if err != nil {
		t.Fatal(err)
	}
	if l := findLine(t, r, "a", 1); l.Status != Funded || !r.Budget.Unallocated.Equal(d("200000")) {
		t.Errorf("alone: %s %s, %s unallocated; want funded in full, 200000 left", l.Status, l.FundedValue, r.Budget.Unallocated)
	}
	// A asks 800,000, B and C 100,000 each: B and C in full, A its cap and
	// then the 550,000 they leave.
	r, err = Rank([]Entry{mk("a", "Agency A", "800000"), mk("b", "Agency B", "100000"), mk("c", "Agency C", "100000")},
		Options{Currency: "USD", Receipts: d("1000000")})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"a": "800000", "b": "100000", "c": "100000"} {
		if l := findLine(t, r, id, 1); !l.FundedValue.Equal(d(want)) {
			t.Errorf("%s: %s, want %s (%s)", id, l.FundedValue, want, l.Reason)
		}
	}
	// Where the others need it all, the cap holds: A gets 250,000.
	r, err = Rank([]Entry{mk("a", "Agency A", "800000"), mk("b", "Agency B", "800000"), mk("c", "Agency C", "800000"), mk("e", "Agency E", "800000")},
		Options{Currency: "USD", Receipts: d("1000000")})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b", "c", "e"} {
		if l := findLine(t, r, id, 1); !l.FundedValue.Equal(d("250000")) {
			t.Errorf("%s: %s, want 250000 (%s)", id, l.FundedValue, l.Reason)
		}
	}
	assertBalanced(t, r)
}

func TestBudgetAboveWhatIsAvailableNeedsOverride(t *testing.T) {
	pl := &tradeplan.Plan{ID: "p", Organisation: "Bureau", Country: "ET", Lines: []tradeplan.Line{
		importLine(1, "wheat", "1001.99", "1000", "t", "400000"),
		{Index: 2, Direction: tradeplan.Export, Description: "coffee", HS: "090111", Origin: "ET", Destination: "DE",
			Quantity: d("100"), Unit: "t", Value: d("500000"), Currency: "USD"},
	}}
	pl.Lines[0].Origin, pl.Lines[0].Destination = "DE", "ET"
	e := screenPlan(t, pl)
	// available: 100,000 in hand + 80% of 500,000 of lawful exports.
	stated := d("600000")
	_, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("100000"), Budget: &stated})
	if tradeplan.ErrorCode(err) != tradeplan.EConflict || !strings.Contains(err.Error(), "500000") {
		t.Fatalf("budget 600000 over 500000 available: err = %v, want a conflict naming 500000", err)
	}
	r, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("100000"), Budget: &stated, Override: "central bank swap line of 2027-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Budget.Total.Equal(stated) || r.Budget.Override == "" || !strings.Contains(strings.Join(r.Notices, "\n"), "OVERRIDE") {
		t.Errorf("override not recorded: %+v %v", r.Budget, r.Notices)
	}
	if !r.Budget.Available.Equal(d("500000")) || len(r.Budget.Exports.Lines) != 1 {
		t.Errorf("available %s from %d export lines, want 500000 from 1", r.Budget.Available, len(r.Budget.Exports.Lines))
	}
	// A budget within what is available needs no override.
	low := d("300000")
	if _, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("100000"), Budget: &low}); err != nil {
		t.Errorf("budget below available: %v", err)
	}
}

type halfFeasible struct{}

func (halfFeasible) FeasibleQuantity(_ *tradeplan.Plan, l *tradeplan.Line) (tradeplan.Decimal, bool, error) {
	q, _ := l.Quantity.QuoRound(tradeplan.DecimalInt(2), 3)
	return q, true, nil
}

func TestFeasibilityLimitsExports(t *testing.T) {
	pl := &tradeplan.Plan{ID: "p", Organisation: "Bureau", Country: "ET", Lines: []tradeplan.Line{
		{Index: 1, Direction: tradeplan.Export, Description: "coffee", HS: "090111", Origin: "ET", Destination: "DE",
			Quantity: d("100"), Unit: "t", Value: d("500000"), Currency: "USD"},
	}}
	e := screenPlan(t, pl)
	r, err := Rank([]Entry{e}, Options{Currency: "USD", Feasibility: halfFeasible{}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Budget.Exports.Amount.Equal(d("200000")) || strings.Contains(strings.Join(r.Notices, " "), "feasibility not checked") {
		t.Errorf("half feasible: exports %s, notices %v; want 200000 and no notice", r.Budget.Exports.Amount, r.Notices)
	}
	r, err = Rank([]Entry{e}, Options{Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Budget.Exports.Amount.Equal(d("400000")) || !strings.Contains(strings.Join(r.Notices, " "), "feasibility not checked") {
		t.Errorf("no feasibility: exports %s, notices %v; want 400000 and the notice", r.Budget.Exports.Amount, r.Notices)
	}
}

func TestStapleFoodCappedAtVerifiedNeed(t *testing.T) {
	pol := oneOrgPolicy()
	// 10,000 people x 2 kg a week x 10 weeks = 200 t; the plans ask 400 t.
	pol.Staple.Population, pol.Staple.RationKgPerWeek, pol.Staple.Weeks = d("10000"), d("2"), 10
	pl := &tradeplan.Plan{ID: "p", Organisation: "Bureau", Country: "ET", Lines: []tradeplan.Line{
		importLine(1, "wheat", "1001.99", "300", "t", "90000"),
		importLine(2, "rice", "1006.30", "100000", "kg", "50000"),
	}}
	for i := range pl.Lines {
		pl.Lines[i].Origin, pl.Lines[i].Destination = "DE", "ET"
	}
	r, err := Rank([]Entry{screenPlan(t, pl)}, Options{Currency: "USD", Receipts: d("1000000"), Policy: pol})
	if err != nil {
		t.Fatal(err)
	}
	if l := findLine(t, r, "p", 1); !l.FundedValue.Equal(d("45000")) || !strings.Contains(l.Reason, "verified need") {
		t.Errorf("wheat: funded %s (%s), want half: 45000", l.FundedValue, l.Reason)
	}
	if l := findLine(t, r, "p", 2); !l.FundedValue.Equal(d("25000")) {
		t.Errorf("rice: funded %s, want half: 25000", l.FundedValue)
	}
}

func TestAPlanCountsOnce(t *testing.T) {
	// The same plan twice would count its exports twice in the budget.
	pl := &tradeplan.Plan{ID: "p", Organisation: "Bureau", Country: "ET", Lines: []tradeplan.Line{
		{Index: 1, Direction: tradeplan.Export, Description: "coffee", HS: "090111", Origin: "ET", Destination: "DE",
			Quantity: d("100"), Unit: "t", Value: d("500000"), Currency: "USD"},
	}}
	e := screenPlan(t, pl)
	if _, err := Rank([]Entry{e, e}, Options{Currency: "USD"}); tradeplan.ErrorCode(err) != tradeplan.EInvalid || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("the same plan twice: err = %v", err)
	}
	if _, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("-1")}); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
		t.Errorf("negative receipts: err = %v", err)
	}
}

func TestUpgradeDoesNotLiftAProhibition(t *testing.T) {
	es := provincePlans(t)
	up := Upgrade{Plan: "nhg-2023-h1-equipment", Line: 1, Tier: 1, Reviewer: "r", Reason: "the catch must be frozen"}
	r, err := Rank(es, Options{Currency: "USD", Receipts: d("9000000"), Policy: oneOrgPolicy(), Upgrades: []Upgrade{up}})
	if err != nil {
		t.Fatal(err)
	}
	if l := findLine(t, r, "nhg-2023-h1-equipment", 1); l.Status != Excluded || l.FundedValue.Sign() != 0 || l.Tier != 1 {
		t.Errorf("compressors upgraded to T1: T%d %s funded %s, want T1 and still excluded", l.Tier, l.Status, l.FundedValue)
	}
}

// sitesFeasible knows one site, "coffee-mill", and delivers every export.
type sitesFeasible struct{}

func (sitesFeasible) FeasibleQuantity(_ *tradeplan.Plan, l *tradeplan.Line) (tradeplan.Decimal, bool, error) {
	return l.Quantity, true, nil
}
func (sitesFeasible) HasSite(ref string) bool { return siteKey(ref) == "coffee-mill" }

// Spares for a site of the site file that makes lawful exports of the same
// plans are T2; the same goods for a site that is not in the file, that
// makes no lawful export, or without a site file stay T3; goods of a
// deferred tier stay deferred whatever site they name.
func TestSiteSpares(t *testing.T) {
	spare := func(idx int, desc, hs, site string) tradeplan.Line {
		l := importLine(idx, desc, hs, "2", "t", "40000")
		l.Source = &tradeplan.Source{Site: site}
		return l
	}
	exp := func(idx int, site string) tradeplan.Line {
		return tradeplan.Line{Index: idx, Direction: tradeplan.Export, Description: "roasted coffee", HS: "090121", Origin: "ET", Destination: "DE",
			Quantity: d("100"), Unit: "t", Value: d("500000"), Currency: "USD", Source: &tradeplan.Source{Site: site}}
	}
	pl := &tradeplan.Plan{ID: "p", Organisation: "Bureau", Country: "ET", Lines: []tradeplan.Line{
		exp(1, "Coffee-Mill"),
		spare(2, "roller mill parts", "8437.90", "coffee-mill"),
		spare(3, "roller mill parts", "8437.90", "tea-works"), // not in the site file
		spare(4, "pickup truck", "8703.23", "coffee-mill"),    // deferred goods
		spare(5, "office chairs", "9401.30", "coffee-mill"),   // not spares
	}}
	for i := range pl.Lines {
		if pl.Lines[i].Direction == tradeplan.Import {
			pl.Lines[i].Origin, pl.Lines[i].Destination = "DE", "ET"
		}
	}
	e := screenPlan(t, pl)
	r, err := Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("100000"), Policy: oneOrgPolicy(), Feasibility: sitesFeasible{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		line, tier int
		why        string
	}{{2, 2, "spares for site coffee-mill"}, {3, 3, ""}, {4, 5, ""}, {5, 5, ""}} {
		l := findLine(t, r, "p", c.line)
		if l.Tier != c.tier || c.why != "" && !strings.Contains(l.Reason, c.why) || c.why == "" && strings.Contains(l.Reason, "spares for site") {
			t.Errorf("%s for line %d: T%d %q, want T%d", l.Description, c.line, l.Tier, l.Reason, c.tier)
		}
	}
	// Without a site file nothing says the site exists.
	r, err = Rank([]Entry{e}, Options{Currency: "USD", Receipts: d("100000"), Policy: oneOrgPolicy(), Feasibility: halfFeasible{}})
	if err != nil {
		t.Fatal(err)
	}
	if l := findLine(t, r, "p", 2); l.Tier != 3 {
		t.Errorf("no site file: T%d, want the goods' T3", l.Tier)
	}
	// A site whose only export is prohibited keeps nothing going lawfully.
	pl2 := &tradeplan.Plan{ID: "q", Organisation: "Bureau", Country: "KP", Lines: []tradeplan.Line{
		{Index: 1, Direction: tradeplan.Export, Description: "frozen pollack", HS: "030367", Origin: "KP", Destination: "CN",
			Quantity: d("100"), Unit: "t", Value: d("500000"), Currency: "USD", Source: &tradeplan.Source{Site: "coffee-mill"}},
		{Index: 2, Direction: tradeplan.Import, Description: "conveyor belts", HS: "4010.11", Origin: "CN", Destination: "KP",
			Quantity: d("2"), Unit: "t", Value: d("40000"), Currency: "USD", Source: &tradeplan.Source{Site: "coffee-mill"}},
	}}
	r, err = Rank([]Entry{screenPlan(t, pl2)}, Options{Currency: "USD", Receipts: d("100000"), Policy: oneOrgPolicy(), Feasibility: sitesFeasible{}})
	if err != nil {
		t.Fatal(err)
	}
	if l := findLine(t, r, "q", 2); l.Tier == 2 {
		t.Errorf("spares for a site whose exports are banned: T%d %q", l.Tier, l.Reason)
	}
}
