package licensing

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

func TestCrossingStatusAt(t *testing.T) {
	ev := []tradeplan.CrossingEvent{
		{Status: tradeplan.CrossingOpen, At: day("2019-01-01")},
		{Status: tradeplan.CrossingClosed, At: day("2020-01-30")},
		{Status: tradeplan.CrossingOpen, At: day("2027-03-01")},
	}
	tests := []struct {
		name string
		at   string
		want tradeplan.CrossingStatus
	}{
		{"before any event", "2018-06-01", tradeplan.CrossingClosed},
		{"first opening", "2019-01-01", tradeplan.CrossingOpen},
		{"closed for the pandemic", "2022-12-01", tradeplan.CrossingClosed},
		{"reopened", "2027-04-01", tradeplan.CrossingOpen},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CrossingStatusAt(ev, day(tc.at)); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCrossingSlug(t *testing.T) {
	for in, want := range map[string]string{"Rajin port": "rajin-port", "Namyang-Tumen": "namyang-tumen", "  Sinuiju -- Dandong ": "sinuiju-dandong", "": "", "한국": ""} {
		if got := CrossingSlug(in); got != want {
			t.Errorf("CrossingSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSetCrossingStatus(t *testing.T) {
	c := tradeplan.Crossing{ID: "namyang-tumen", Status: tradeplan.CrossingClosed}
	if _, err := SetCrossingStatus(&c, tradeplan.CrossingClosed, "x", "me", day("2027-01-01")); tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Fatalf("closing a closed crossing: %v", err)
	}
	if _, err := SetCrossingStatus(&c, "ajar", "x", "me", day("2027-01-01")); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
		t.Fatalf("bad status: %v", err)
	}
	e, err := SetCrossingStatus(&c, tradeplan.CrossingOpen, "customs resumed", "me", day("2027-01-02"))
	if err != nil || c.Status != tradeplan.CrossingOpen || !c.Since.Equal(day("2027-01-02")) || e.Status != tradeplan.CrossingOpen || e.Reason != "customs resumed" {
		t.Fatalf("open: %v %+v %+v", err, c, e)
	}
}

func TestValidateCrossing(t *testing.T) {
	tests := []struct {
		name  string
		c     tradeplan.Crossing
		probs int
	}{
		{"good", tradeplan.Crossing{ID: "sinuiju-dandong", Name: "Sinuiju-Dandong bridge", Kind: "bridge", Countries: []string{"KP", "CN"}, Status: "closed"}, 0},
		{"everything wrong", tradeplan.Crossing{ID: "Bad ID", Kind: "tunnel", Countries: []string{"kp"}, Status: "ajar"}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateCrossing(tc.c)
			var n int
			if e, ok := err.(*tradeplan.Error); ok {
				n = len(e.Problems)
			}
			if n != tc.probs {
				t.Fatalf("%d problems, want %d: %v", n, tc.probs, err)
			}
		})
	}
}

func TestCallStatusAndLate(t *testing.T) {
	closedAt := day("2026-12-15")
	c := tradeplan.Call{ID: 1, Period: "2027-H1", Deadline: day("2027-01-01")}
	tests := []struct {
		name     string
		call     func(c *tradeplan.Call)
		now      string
		status   string
		late     bool
		wantCode string
	}{
		{name: "before deadline", now: "2026-12-20", status: CallOpen},
		{name: "at deadline", now: "2027-01-01", status: CallClosed, late: true, wantCode: tradeplan.EConflict},
		{name: "late allowed", call: func(c *tradeplan.Call) { c.AllowLate = true }, now: "2027-01-05", status: CallClosed, late: true},
		{name: "closed by hand", call: func(c *tradeplan.Call) { c.ClosedAt = &closedAt; c.AllowLate = true }, now: "2026-12-20", status: CallClosed, wantCode: tradeplan.EConflict},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cc := c
			if tc.call != nil {
				tc.call(&cc)
			}
			if s := CallStatus(cc, day(tc.now)); s != tc.status {
				t.Fatalf("status %s, want %s", s, tc.status)
			}
			late, err := AcceptsPlans(cc, day(tc.now))
			if tradeplan.ErrorCode(err) != tc.wantCode || (err == nil && late != tc.late) {
				t.Fatalf("AcceptsPlans = %v, %v; want late %v code %q", late, err, tc.late, tc.wantCode)
			}
		})
	}
}

func TestCallStanding(t *testing.T) {
	sub := day("2026-12-10")
	c := tradeplan.Call{ID: 1, Deadline: day("2027-01-01"), Organisations: []int64{2, 3, 4}}
	plans := []tradeplan.PlanRecord{
		{ID: 10, CallID: 1, Organisation: 2, Status: tradeplan.PlanSubmitted, SubmittedAt: &sub},
		{ID: 11, CallID: 1, Organisation: 3, Status: tradeplan.PlanDraft},
		{ID: 12, CallID: 1, Organisation: 5, Status: tradeplan.PlanDecided, SubmittedAt: &sub, Late: true},
		{ID: 13, CallID: 9, Organisation: 4, Status: tradeplan.PlanSubmitted},
	}
	before := CallStanding(c, plans, day("2026-12-20"))
	if before.Submitted != 2 || before.Missing != 2 || before.Late != 1 {
		t.Fatalf("before deadline: %+v", before)
	}
	after := CallStanding(c, plans, day("2027-01-02"))
	if after.Submitted != 2 || after.Missing != 2 || after.Late != 3 {
		t.Fatalf("after deadline: %+v", after)
	}
	var got []string
	for _, s := range after.Submissions {
		got = append(got, strings.Join([]string{itoa(int(s.Organisation)), s.Status, map[bool]string{true: "late", false: "-"}[s.Late]}, " "))
	}
	want := []string{"2 submitted -", "3 draft late", "4 none late", "5 decided late"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("submissions %q, want %q", got, want)
	}
}

func TestCallTotals(t *testing.T) {
	v := tradeplan.PlanVersion{Plan: tradeplan.Plan{Lines: []tradeplan.Line{
		{Direction: tradeplan.Export, HS: "030553", Quantity: tradeplan.D(100), Unit: "t", Value: tradeplan.D(10), Currency: "CNY", Crossing: "a"},
		{Direction: tradeplan.Export, HS: "030553", Quantity: tradeplan.D(50), Unit: "t", Value: tradeplan.D(5), Currency: "CNY", Crossing: "b"},
		{Direction: tradeplan.Import, HS: "", Quantity: tradeplan.D(7), Unit: "bbl", Value: tradeplan.D(3), Currency: "USD", Crossing: "a"},
	}}, Report: &tradeplan.PlanReport{Lines: []tradeplan.LineReport{{}, {}, {HS: tradeplan.HSAssignment{Code: "271019"}}}}}
	w := tradeplan.PlanVersion{Plan: tradeplan.Plan{Lines: []tradeplan.Line{
		{Direction: tradeplan.Export, HS: "030553", Quantity: tradeplan.D(1), Unit: "kg", Value: tradeplan.D(1), Currency: "CNY", Crossing: "a"},
	}}}
	tot := CallTotals([]tradeplan.PlanVersion{v, w})
	wantGoods := []GoodsTotal{
		{Direction: "export", HS: "030553", Unit: "kg", Currency: "CNY", Lines: 1, Quantity: tradeplan.D(1), Value: tradeplan.D(1)},
		{Direction: "export", HS: "030553", Unit: "t", Currency: "CNY", Lines: 2, Quantity: tradeplan.D(150), Value: tradeplan.D(15)},
		{Direction: "import", HS: "271019", Unit: "bbl", Currency: "USD", Lines: 1, Quantity: tradeplan.D(7), Value: tradeplan.D(3)},
	}
	if !reflect.DeepEqual(tot.Goods, wantGoods) {
		t.Fatalf("goods %+v", tot.Goods)
	}
	wantCross := []CrossingTotal{
		{Crossing: "a", Direction: "export", Currency: "CNY", Lines: 2, Value: tradeplan.D(11)},
		{Crossing: "a", Direction: "import", Currency: "USD", Lines: 1, Value: tradeplan.D(3)},
		{Crossing: "b", Direction: "export", Currency: "CNY", Lines: 1, Value: tradeplan.D(5)},
	}
	if !reflect.DeepEqual(tot.Crossings, wantCross) {
		t.Fatalf("crossings %+v", tot.Crossings)
	}
}

func TestParseDeadline(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-12-31", day("2027-01-01"), true},
		{"2026-12-31T18:00:00+09:00", time.Date(2026, 12, 31, 9, 0, 0, 0, time.UTC), true},
		{"end of December", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDeadline(tc.in)
			if (err == nil) != tc.ok || !got.Equal(tc.want) {
				t.Fatalf("ParseDeadline(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
}

func TestValidateCall(t *testing.T) {
	now := day("2026-12-01")
	good := tradeplan.Call{Period: "2027-H1", From: day("2027-01-01"), To: day("2027-06-30"), Deadline: day("2027-01-01"), Organisations: []int64{2}}
	if err := ValidateCall(good, now); err != nil {
		t.Fatal(err)
	}
	bad := tradeplan.Call{Period: "2027-H1", From: day("2027-06-30"), To: day("2027-01-01"), Deadline: day("2026-11-01"), Organisations: []int64{2, 2, 0}}
	err := ValidateCall(bad, now)
	e, ok := err.(*tradeplan.Error)
	if !ok || len(e.Problems) != 4 {
		t.Fatalf("want 4 problems: %v", err)
	}
}

func line(dir tradeplan.Direction, desc, hs string, q float64) tradeplan.Line {
	return tradeplan.Line{Direction: dir, Description: desc, HS: hs, Quantity: tradeplan.D(q), Unit: "t", Value: tradeplan.D(q * 10), Currency: "CNY"}
}

func TestDiff(t *testing.T) {
	a := tradeplan.Plan{Lines: []tradeplan.Line{
		line(tradeplan.Export, "Salted pollack", "030569", 100),
		line(tradeplan.Import, "Diesel", "271019", 50),
		line(tradeplan.Import, "Wheat flour", "110100", 200),
	}}
	tests := []struct {
		name string
		b    []tradeplan.Line
		want tradeplan.PlanDiff
	}{
		{name: "same", b: a.Lines, want: tradeplan.PlanDiff{Unchanged: [][2]int{{1, 1}, {2, 2}, {3, 3}}}},
		{name: "reordered and one removed", b: []tradeplan.Line{a.Lines[2], a.Lines[1]},
			want: tradeplan.PlanDiff{Removed: []int{1}, Unchanged: [][2]int{{3, 1}, {2, 2}}}},
		{name: "quantity changed, case of description ignored, line added", b: []tradeplan.Line{
			line(tradeplan.Export, "salted  POLLACK", "030569", 100), line(tradeplan.Import, "Diesel", "271019", 40), a.Lines[2], line(tradeplan.Import, "Rice", "100630", 5)},
			want: tradeplan.PlanDiff{Added: []int{4}, Unchanged: [][2]int{{3, 3}}, Changed: []tradeplan.LineChange{
				{From: 1, To: 1, Fields: []tradeplan.FieldChange{{Field: "description", Old: "Salted pollack", New: "salted  POLLACK"}}},
				{From: 2, To: 2, Fields: []tradeplan.FieldChange{{Field: "quantity", Old: "50", New: "40"}, {Field: "value", Old: "500", New: "400"}}},
			}}},
		{name: "direction change is a different line", b: []tradeplan.Line{line(tradeplan.Import, "Salted pollack", "030569", 100), a.Lines[1], a.Lines[2]},
			want: tradeplan.PlanDiff{Added: []int{1}, Removed: []int{1}, Unchanged: [][2]int{{2, 2}, {3, 3}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Diff(a, tradeplan.Plan{Lines: tc.b}, 1, 2)
			w := tc.want
			w.From, w.To = 1, 2
			for _, s := range []*[]int{&w.Added, &w.Removed} {
				if *s == nil {
					*s = []int{}
				}
			}
			if w.Changed == nil {
				w.Changed = []tradeplan.LineChange{}
			}
			if w.Unchanged == nil {
				w.Unchanged = [][2]int{}
			}
			if !reflect.DeepEqual(got, w) {
				t.Fatalf("got  %+v\nwant %+v", got, w)
			}
		})
	}
}

var (
	seafood = tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: tradeplan.Prohibited, Summary: "seafood from the DPRK", Basis: &tradeplan.Basis{Rule: "un-dprk/2371-op9", Citation: "UNSCR 2371 (2017) OP9"}}
	partyQ  = tradeplan.Finding{Kind: tradeplan.KindParty, Outcome: tradeplan.Review, Summary: "possible match", Match: &tradeplan.Match{List: "un", EntryID: "KPe.004", Query: "korea mining", EntryVersion: "h1"}}
	exempt  = tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: tradeplan.Review, Summary: "exemption cited", Basis: &tradeplan.Basis{Rule: "un-dprk/exemption", Citation: "UNSCR 2397 (2017) OP25"}}
	capF    = tradeplan.Finding{Kind: tradeplan.KindGoods, Outcome: tradeplan.Capped, Cap: &tradeplan.CapUse{Cap: "un-dprk/refined-petroleum", Limit: tradeplan.D(500000), Unit: "bbl", Quantity: tradeplan.D(1000)}, Basis: &tradeplan.Basis{Rule: "un-dprk/2397-op5", Citation: "UNSCR 2397 (2017) OP5"}}
)

func state(l tradeplan.Line, fs ...tradeplan.Finding) LineState {
	v := tradeplan.Clear
	for _, f := range fs {
		v = v.Stricter(f.Outcome)
	}
	l.Index = 1
	return LineState{Line: l, Report: &tradeplan.LineReport{Index: 1, Verdict: v, Findings: fs}}
}

func fp(f float64) *tradeplan.Decimal { d := tradeplan.D(f); return &d }

func TestCheckApproval(t *testing.T) {
	req := line(tradeplan.Import, "Diesel", "271019", 100)
	cleared := func(s LineState, k, d string) LineState {
		s.Compliance = append(s.Compliance, tradeplan.ComplianceDecision{Finding: k, Decision: d, Reason: "checked"})
		return s
	}
	decided := state(req)
	decided.Decision = &tradeplan.LineDecision{Decision: tradeplan.DecisionRefuse}
	tests := []struct {
		name      string
		st        LineState
		ap        Approval
		wantCode  string
		wantMsg   string
		wantQ     float64
		reduced   bool
		findings  int
		citations []string
	}{
		{name: "clear in full", st: state(req), ap: Approval{Reason: "needed"}, wantQ: 100},
		{name: "reduced quantity", st: state(req), ap: Approval{Quantity: fp(60), Reason: "part"}, wantQ: 60, reduced: true},
		{name: "reduced value only", st: state(req), ap: Approval{Value: fp(1), Reason: "part"}, wantQ: 100, reduced: true},
		{name: "more than requested", st: state(req), ap: Approval{Quantity: fp(101), Reason: "x"}, wantCode: tradeplan.EInvalid, wantMsg: "may not exceed"},
		{name: "zero quantity", st: state(req), ap: Approval{Quantity: fp(0), Reason: "x"}, wantCode: tradeplan.EInvalid, wantMsg: "refuse the line instead"},
		{name: "no reason", st: state(req), ap: Approval{}, wantCode: tradeplan.EInvalid, wantMsg: "reason"},
		{name: "prohibited never", st: state(req, seafood), ap: Approval{Reason: "please"}, wantCode: tradeplan.EConflict, wantMsg: "can never be approved", findings: 1},
		{name: "prohibited even with a compliance decision", st: cleared(state(req, seafood, exempt), "goods:un-dprk/exemption", tradeplan.ComplianceCleared), ap: Approval{Reason: "x"}, wantCode: tradeplan.EConflict, findings: 1},
		{name: "review needs compliance", st: state(req, partyQ), ap: Approval{Reason: "x"}, wantCode: tradeplan.EConflict, wantMsg: "compliance officer", findings: 1},
		{name: "review cleared", st: cleared(state(req, partyQ), "party:un/KPe.004", tradeplan.ComplianceCleared), ap: Approval{Reason: "x"}, wantQ: 100},
		{name: "review upheld", st: cleared(state(req, partyQ), "party:un/KPe.004", tradeplan.ComplianceUpheld), ap: Approval{Reason: "x"}, wantCode: tradeplan.EConflict, wantMsg: "upheld"},
		{name: "later decision wins", st: cleared(cleared(state(req, partyQ), "party:un/KPe.004", tradeplan.ComplianceUpheld), "party:un/KPe.004", tradeplan.ComplianceCleared), ap: Approval{Reason: "x"}, wantQ: 100},
		{name: "capped carries citation", st: state(req, capF), ap: Approval{Reason: "x"}, wantQ: 100, citations: []string{"UNSCR 2397 (2017) OP5"}},
		{name: "unscreened", st: LineState{Line: req}, ap: Approval{Reason: "x"}, wantCode: tradeplan.EConflict, wantMsg: "submit the plan"},
		{name: "already decided", st: decided, ap: Approval{Reason: "x"}, wantCode: tradeplan.EConflict, wantMsg: "already refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := CheckApproval(tc.st, tc.ap)
			if tc.wantCode != "" {
				if tradeplan.ErrorCode(err) != tc.wantCode || !strings.Contains(err.Error(), tc.wantMsg) {
					t.Fatalf("err %v, want %s containing %q", err, tc.wantCode, tc.wantMsg)
				}
				if tc.findings > 0 {
					fe, ok := AsFindings(err)
					if !ok || len(fe.Findings) != tc.findings {
						t.Fatalf("findings %+v, want %d", fe, tc.findings)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Quantity.Cmp(tradeplan.D(tc.wantQ)) != 0 || d.Reduced != tc.reduced || d.Decision != tradeplan.DecisionApprove {
				t.Fatalf("decision %+v", d)
			}
			if tc.citations != nil && !reflect.DeepEqual(d.Citations, tc.citations) {
				t.Fatalf("citations %q", d.Citations)
			}
		})
	}
}

func TestProhibitedErrorCitesFindings(t *testing.T) {
	_, err := CheckApproval(state(line(tradeplan.Export, "Crab meat", "160510", 5), seafood), Approval{Reason: "x"})
	e, ok := err.(*tradeplan.Error)
	if !ok || len(e.Problems) != 1 || !strings.Contains(e.Problems[0].Message, "UNSCR 2371 (2017) OP9") {
		t.Fatalf("problems do not cite: %v", err)
	}
}

func TestCheckRefusalAndCompliance(t *testing.T) {
	st := state(line(tradeplan.Export, "Crab", "160510", 5), seafood)
	d, err := CheckRefusal(st, "banned")
	if err != nil || d.Decision != tradeplan.DecisionRefuse || !reflect.DeepEqual(d.Citations, []string{"UNSCR 2371 (2017) OP9"}) {
		t.Fatalf("refusal %+v %v", d, err)
	}
	if _, err := CheckRefusal(st, " "); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
		t.Fatalf("refusal without reason: %v", err)
	}
	if r := ProhibitedReason(st); r != "prohibited: UNSCR 2371 (2017) OP9: seafood from the DPRK" {
		t.Fatalf("reason %q", r)
	}

	rs := state(line(tradeplan.Import, "Trucks", "8704", 5), partyQ, exempt, seafood)
	tests := []struct {
		name, key, decision, reason string
		wantCode                    string
	}{
		{"party cleared", "party:un/KPe.004", tradeplan.ComplianceCleared, "different company", ""},
		{"exemption upheld", "goods:un-dprk/exemption", tradeplan.ComplianceUpheld, "no such exemption", ""},
		{"prohibited cannot be cleared", "goods:un-dprk/2371-op9", tradeplan.ComplianceCleared, "x", tradeplan.EConflict},
		{"unknown finding", "goods:nope", tradeplan.ComplianceCleared, "x", tradeplan.ENotFound},
		{"bad decision", "party:un/KPe.004", "maybe", "x", tradeplan.EInvalid},
		{"no reason", "party:un/KPe.004", tradeplan.ComplianceCleared, "", tradeplan.EInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckCompliance(rs, tc.key, tc.decision, tc.reason)
			if tradeplan.ErrorCode(err) != tc.wantCode {
				t.Fatalf("err %v, want %q", err, tc.wantCode)
			}
		})
	}
	if m, ok := MatchDecisionFor(partyQ, tradeplan.ComplianceCleared); !ok || m != tradeplan.DecisionFalsePositive {
		t.Fatal("party cleared is a false positive")
	}
	if m, ok := MatchDecisionFor(partyQ, tradeplan.ComplianceUpheld); !ok || m != tradeplan.DecisionTrueMatch {
		t.Fatal("party upheld is a true match")
	}
	if _, ok := MatchDecisionFor(exempt, tradeplan.ComplianceCleared); ok {
		t.Fatal("goods finding has no match decision")
	}
}

func TestFindingKeyAndBulkSelection(t *testing.T) {
	fs := []tradeplan.Finding{seafood, partyQ, partyQ, {Kind: tradeplan.KindClassification, Outcome: tradeplan.Review}}
	var keys []string
	for i := range fs {
		keys = append(keys, FindingKey(fs, i))
	}
	want := []string{"goods:un-dprk/2371-op9", "party:un/KPe.004", "party:un/KPe.004#2", "classification"}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys %q", keys)
	}
	states := []LineState{
		state(line(tradeplan.Import, "a", "1", 1)),
		state(line(tradeplan.Import, "b", "2", 1), capF),
		state(line(tradeplan.Import, "c", "3", 1), partyQ),
		state(line(tradeplan.Export, "d", "4", 1), seafood),
		state(line(tradeplan.Import, "e", "5", 1)),
		{Line: line(tradeplan.Import, "f", "6", 1)},
	}
	for i := range states {
		states[i].Line.Index = i + 1
	}
	states[4].Decision = &tradeplan.LineDecision{Decision: tradeplan.DecisionApprove}
	if got := ClearLines(states); !reflect.DeepEqual(got, []int{1}) {
		t.Fatalf("clear lines %v", got)
	}
	if got := ProhibitedLines(states); !reflect.DeepEqual(got, []int{4}) {
		t.Fatalf("prohibited lines %v", got)
	}
}

// TestCanSeePlan: who decides is Authorize's (permissions_test.go); who
// sees is this.
func TestCanSeePlan(t *testing.T) {
	mk := func(role tradeplan.Role, org int64) tradeplan.Actor {
		return tradeplan.Actor{User: tradeplan.User{ID: 7, OrgID: org, Role: role}, Subtree: []int64{org, org + 1}}
	}
	sub := mk(tradeplan.RoleSubmitter, 2)
	if !CanSeePlan(sub, 2) || CanSeePlan(sub, 3) {
		t.Fatal("a submitter sees their own organisation's plans only")
	}
	rev := mk(tradeplan.RoleReviewer, 2)
	rev.Subtree = []int64{2, 3}
	if !CanSeePlan(rev, 3) || CanSeePlan(rev, 1) {
		t.Fatal("a reviewer sees their subtree")
	}
	_ = time.Now
}

func TestEntryOrder(t *testing.T) {
	items := []EntryItem{
		{Description: "nets", Necessity: tradeplan.Essential, Verdict: tradeplan.Clear, Status: LinePending, Value: tradeplan.D(10)},
		{Description: "engine parts", Necessity: tradeplan.Essential, Verdict: tradeplan.Prohibited, Status: LinePending, Value: tradeplan.D(99)},
		{Description: "diesel", Necessity: tradeplan.Critical, Verdict: tradeplan.Capped, Status: LinePending, Value: tradeplan.D(50)},
		{Description: "rice", Necessity: tradeplan.Critical, Verdict: tradeplan.Clear, Status: LinePending, Value: tradeplan.D(40)},
		{Description: "medicines", Necessity: tradeplan.Critical, Verdict: tradeplan.Clear, Status: LineApproved, Value: tradeplan.D(5)},
		{Description: "film", Verdict: tradeplan.Clear, Status: LinePending, Value: tradeplan.D(1000)},
		{Description: "flour", Necessity: tradeplan.Essential, Verdict: tradeplan.Clear, Status: LinePending, Value: tradeplan.D(30)},
		{Description: "watches", Necessity: tradeplan.Useful, Verdict: tradeplan.Review, Status: LineRefused, Value: tradeplan.D(1)},
	}
	var got []string
	for i, it := range EntryOrder(items) {
		if it.Rank != i+1 {
			t.Fatalf("rank %d at %d", it.Rank, i)
		}
		got = append(got, it.Description)
	}
	want := []string{"medicines", "rice", "diesel", "flour", "nets", "film"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("entry order %q, want %q", got, want)
	}
}
