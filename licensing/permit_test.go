package licensing

import (
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPermitTransitionsExhaustive(t *testing.T) {
	I, S, R, E, X := tradeplan.PermitIssued, tradeplan.PermitSuspended, tradeplan.PermitRevoked, tradeplan.PermitExpired, tradeplan.PermitExhausted
	allowed := map[[2]tradeplan.PermitStatus]bool{
		{I, S}: true, {I, R}: true, {I, E}: true, {I, X}: true,
		{S, I}: true, {S, R}: true, {S, E}: true,
	}
	for _, from := range PermitStatuses {
		for _, to := range PermitStatuses {
			name := string(from) + "->" + string(to)
			t.Run(name, func(t *testing.T) {
				want := allowed[[2]tradeplan.PermitStatus{from, to}]
				if got := CanTransition(from, to); got != want {
					t.Fatalf("CanTransition = %v, want %v", got, want)
				}
				p := tradeplan.Permit{Number: "TP-X", Status: from}
				err := Transition(&p, to, "because", day("2027-02-01"))
				if want {
					if err != nil || p.Status != to || p.StatusReason != "because" {
						t.Fatalf("Transition: err %v, status %s", err, p.Status)
					}
				} else {
					if tradeplan.ErrorCode(err) != tradeplan.EConflict || p.Status != from {
						t.Fatalf("Transition: err %v (want conflict), status %s (want %s)", err, p.Status, from)
					}
				}
			})
		}
	}
	p := tradeplan.Permit{Status: I}
	if err := Transition(&p, "cancelled", "", time.Time{}); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
		t.Fatalf("unknown status: %v", err)
	}
}

func TestDraw(t *testing.T) {
	base := tradeplan.Permit{Number: "N", Status: tradeplan.PermitIssued, Quantity: tradeplan.D(100), Value: tradeplan.D(1000), Unit: "t", Currency: "CNY"}
	tests := []struct {
		name      string
		used      float64
		q, v      float64
		wantCode  string
		wantQUsed float64
		wantState tradeplan.PermitStatus
	}{
		{name: "part", q: 40, v: 400, wantQUsed: 40, wantState: tradeplan.PermitIssued},
		{name: "all", q: 100, v: 1000, wantQUsed: 100, wantState: tradeplan.PermitExhausted},
		{name: "rest after part", used: 60, q: 40, v: 100, wantQUsed: 100, wantState: tradeplan.PermitExhausted},
		{name: "over quantity", used: 60, q: 41, v: 1, wantCode: tradeplan.EConflict},
		{name: "over value", q: 1, v: 1001, wantCode: tradeplan.EConflict},
		{name: "zero quantity", q: 0, v: 1, wantCode: tradeplan.EInvalid},
		{name: "negative value", q: 1, v: -1, wantCode: tradeplan.EInvalid},
		{name: "float noise", used: 99.99999999999, q: 0.00000000001, v: 0, wantQUsed: 100, wantState: tradeplan.PermitExhausted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			p.QuantityUsed = tradeplan.D(tc.used)
			err := Draw(&p, tradeplan.D(tc.q), tradeplan.D(tc.v), day("2027-02-01"))
			if tc.wantCode != "" {
				if tradeplan.ErrorCode(err) != tc.wantCode {
					t.Fatalf("err %v, want %s", err, tc.wantCode)
				}
				if p.QuantityUsed.Cmp(tradeplan.D(tc.used)) != 0 {
					t.Fatalf("balance changed on error: %v", p.QuantityUsed)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.QuantityUsed.Cmp(tradeplan.D(tc.wantQUsed)) != 0 || p.Status != tc.wantState {
				t.Fatalf("used %v status %s, want %v %s", p.QuantityUsed, p.Status, tc.wantQUsed, tc.wantState)
			}
		})
	}
	suspended := base
	suspended.Status = tradeplan.PermitSuspended
	if err := Draw(&suspended, tradeplan.D(1), tradeplan.D(1), day("2027-02-01")); tradeplan.ErrorCode(err) != tradeplan.EConflict {
		t.Fatalf("suspended permit drawn: %v", err)
	}
}

func TestUsable(t *testing.T) {
	p := tradeplan.Permit{Number: "TP-1", Status: tradeplan.PermitIssued, Quantity: tradeplan.D(10), Crossing: "namyang-tumen",
		ValidFrom: day("2027-01-01"), ValidTo: day("2027-06-30")}
	open := tradeplan.Crossing{ID: "namyang-tumen", Status: tradeplan.CrossingOpen}
	closed := tradeplan.Crossing{ID: "namyang-tumen", Status: tradeplan.CrossingClosed, Since: day("2020-01-30"), Reason: "border closed"}
	tests := []struct {
		name   string
		permit func(p *tradeplan.Permit)
		c      tradeplan.Crossing
		at     time.Time
		want   bool
		reason string
	}{
		{name: "issued and open", c: open, at: day("2027-03-01"), want: true},
		{name: "last day of window", c: open, at: day("2027-06-30").Add(23 * time.Hour), want: true},
		{name: "closed crossing", c: closed, at: day("2027-03-01"), reason: "crossing namyang-tumen is closed since 2020-01-30: border closed"},
		{name: "other crossing", c: tradeplan.Crossing{ID: "sinuiju-dandong", Status: tradeplan.CrossingOpen}, at: day("2027-03-01"), reason: "is for crossing namyang-tumen"},
		{name: "before window", c: open, at: day("2026-12-31"), reason: "valid from 2027-01-01"},
		{name: "after window", c: open, at: day("2027-07-01"), reason: "valid until 2027-06-30"},
		{name: "suspended", permit: func(p *tradeplan.Permit) { p.Status, p.StatusReason = tradeplan.PermitSuspended, "inquiry" }, c: open, at: day("2027-03-01"), reason: "is suspended: inquiry"},
		{name: "no balance", permit: func(p *tradeplan.Permit) { p.QuantityUsed = tradeplan.D(10) }, c: open, at: day("2027-03-01"), reason: "no balance"},
		{name: "any open crossing when none named", permit: func(p *tradeplan.Permit) { p.Crossing = "" }, c: tradeplan.Crossing{ID: "x", Status: tradeplan.CrossingOpen}, at: day("2027-03-01"), want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := p
			if tc.permit != nil {
				tc.permit(&q)
			}
			ok, why := Usable(q, tc.c, tc.at)
			if ok != tc.want || !strings.Contains(why, tc.reason) {
				t.Fatalf("Usable = %v %q, want %v containing %q", ok, why, tc.want, tc.reason)
			}
		})
	}
}

func TestUsableGivesEveryReason(t *testing.T) {
	p := tradeplan.Permit{Number: "TP-1", Status: tradeplan.PermitSuspended, StatusReason: "inquiry", Quantity: tradeplan.D(10), Crossing: "rajin-port",
		ValidFrom: day("2027-01-01"), ValidTo: day("2027-06-30")}
	c := tradeplan.Crossing{ID: "rajin-port", Status: tradeplan.CrossingClosed, Reason: "border closed"}
	ok, why := Usable(p, c, day("2026-12-01"))
	want := "permit TP-1 is suspended: inquiry; permit TP-1 is valid from 2027-01-01; crossing rajin-port is closed: border closed"
	if ok || why != want {
		t.Fatalf("Usable = %v, %q\nwant %q", ok, why, want)
	}
}

func TestEffectiveStatusAndCapDraw(t *testing.T) {
	p := tradeplan.Permit{Status: tradeplan.PermitIssued, Quantity: tradeplan.D(100), QuantityUsed: tradeplan.D(25), ValidTo: day("2027-06-30")}
	if s := EffectiveStatus(p, day("2027-06-30")); s != tradeplan.PermitIssued {
		t.Fatalf("on last day: %s", s)
	}
	if s := EffectiveStatus(p, day("2027-07-01")); s != tradeplan.PermitExpired {
		t.Fatalf("after: %s", s)
	}
	c := tradeplan.CapUse{Cap: "c", Quantity: tradeplan.D(40)}
	tests := []struct {
		status tradeplan.PermitStatus
		want   float64
	}{
		{tradeplan.PermitIssued, 40}, {tradeplan.PermitSuspended, 40},
		{tradeplan.PermitRevoked, 10}, {tradeplan.PermitExpired, 10}, {tradeplan.PermitExhausted, 10},
	}
	for _, tc := range tests {
		t.Run(string(tc.status), func(t *testing.T) {
			q := p
			q.Status = tc.status
			if got := CapDraw(q, c); got.Cmp(tradeplan.D(tc.want)) != 0 {
				t.Fatalf("CapDraw = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPermitNumber(t *testing.T) {
	tests := []struct {
		name   string
		period tradeplan.Period
		dir    tradeplan.Direction
		seq    int64
		want   string
	}{
		{name: "half year import", period: tradeplan.Period{Label: "2027-H1"}, dir: tradeplan.Import, seq: 42},
		{name: "quarter export", period: tradeplan.Period{Label: "2027-Q3"}, dir: tradeplan.Export, seq: 1},
		{name: "year", period: tradeplan.Period{Label: "2027"}, dir: tradeplan.Export, seq: 999999},
		{name: "dates", period: tradeplan.Period{Label: "2027-01-01/2027-03-31", From: day("2027-01-01")}, dir: tradeplan.Import, seq: 1234567},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code := PeriodCode(tc.period)
			n := FormatPermitNumber(code, tc.dir, tc.seq)
			if !strings.HasPrefix(n, "TP-"+code+"-") {
				t.Fatalf("number %q does not carry period %q", n, code)
			}
			got, err := ParsePermitNumber(n)
			if err != nil {
				t.Fatal(err)
			}
			if got.Period != code || got.Direction != tc.dir || got.Seq != tc.seq {
				t.Fatalf("parsed %+v from %q", got, n)
			}
			// Every single-character change of the body is caught.
			for i := 3; i < len(n); i++ {
				if n[i] == '-' {
					continue
				}
				for _, r := range "0123456789EIH" {
					if byte(r) == n[i] {
						continue
					}
					bad := n[:i] + string(r) + n[i+1:]
					if _, err := ParsePermitNumber(bad); err == nil {
						t.Fatalf("mistyped %q accepted (from %q)", bad, n)
					}
				}
			}
		})
	}
	if PeriodCode(tradeplan.Period{Label: "2027-H1"}) != "2027H1" {
		t.Fatal("period code")
	}
	for _, bad := range []string{"", "TP", "TP-2027H1-X-000001-0", "XX-2027H1-I-000001-0", "TP-H1-I-000001-0", "TP-2027H1-I-1-0", "TP-2027H1-I-000001-00"} {
		if _, err := ParsePermitNumber(bad); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
			t.Errorf("ParsePermitNumber(%q) = %v, want invalid", bad, err)
		}
	}
}

func FuzzParsePermitNumber(f *testing.F) {
	f.Add(FormatPermitNumber("2027H1", tradeplan.Import, 42))
	f.Add("TP-2027H1-E-000001-7")
	f.Add("tp-20270101-i-000000000001-a")
	f.Add("TP-----")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParsePermitNumber(s)
		if err != nil {
			return
		}
		again := FormatPermitNumber(n.Period, n.Direction, n.Seq)
		m, err := ParsePermitNumber(again)
		if err != nil || m != n {
			t.Fatalf("%q parsed to %+v, formatted %q, reparsed %+v %v", s, n, again, m, err)
		}
	})
}
