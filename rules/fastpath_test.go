package rules

import (
	"math/rand"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// The evaluation takes shortcuts for the common case; these tests hold them
// to the plain forms they replace.

func TestNormCode(t *testing.T) {
	tests := []struct {
		in   string
		code string
		cut  bool
		ok   bool
	}{
		{"030569", "030569", false, true},
		{"0305.69", "030569", false, true},
		{"0305 69", "030569", false, true},
		{"03", "03", false, true},
		{"0305", "0305", false, true},
		{"03.05", "0305", false, true},
		{"27101943", "271019", true, true},
		{"2710.19.43", "271019", true, true},
		{"2710.19.43.10", "271019", true, true},
		{"271019431011", "271019", true, true},
		{"2710194310111", "", false, false},
		{"2710-19", "271019", false, true},
		{"3", "", false, false},
		{"030", "", false, false},
		{"03056", "", false, false},
		{"0305x69", "", false, false},
		{"", "", false, false},
		{"..", "", false, false},
	}
	for _, tc := range tests {
		code, cut, ok := normCode(tc.in)
		if code != tc.code || cut != tc.cut || ok != tc.ok {
			t.Errorf("normCode(%q) = %q, %v, %v; want %q, %v, %v", tc.in, code, cut, ok, tc.code, tc.cut, tc.ok)
		}
	}
}

func TestDay(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	for _, tm := range []time.Time{
		time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 23, 59, 59, 999999999, time.UTC),
		time.Date(1999, 12, 31, 12, 0, 0, 0, time.UTC),
		time.Date(2024, 3, 1, 1, 0, 0, 0, tokyo), // 29 February in UTC, 1 March here
		time.Now(),
		time.Now().UTC(),
	} {
		y, m, d := tm.Date()
		want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if got := day(tm); got != want {
			t.Errorf("day(%v) = %v, want %v", tm, got, want)
		}
	}
}

func TestBlank(t *testing.T) {
	for _, s := range []string{"", " ", "\t\n", "\u00a0", " \u2003 "} {
		if !blank(s) {
			t.Errorf("blank(%q) = false", s)
		}
	}
	for _, s := range []string{"0305.69", " x", "\u00e9", "-"} {
		if blank(s) {
			t.Errorf("blank(%q) = true", s)
		}
	}
}

// FuzzPreparedTerms: Terms.check with terms prepared when the engine is
// built, and the text prepared once per line, agrees with hasTerm.
func FuzzPreparedTerms(f *testing.F) {
	f.Add("Jet A-1 kerosene-type jet fuel", "jet fuel", "avgas")
	f.Add("\u00e9\u00e8 statue\u2013x", "statue", "\u00e8")
	f.Add("DIESEL", "diesel", "oil")
	f.Add("potting soil", "oil", "Soil")
	f.Fuzz(func(t *testing.T, s, term1, term2 string) {
		ts := normTerms([]string{term1, term2})
		if len(ts) == 0 || blank(s) {
			return
		}
		text := screenText(s)
		want := termsFail
		for _, tm := range ts {
			if hasTerm(text, tm) {
				want = termsPass
				break
			}
		}
		tm := Terms{Any: ts}
		tm.prepare()
		txt := newText(s)
		if got, _ := tm.check(&txt, false); got != want {
			t.Errorf("text %q, terms %q: prepared check %v, hasTerm says %v", s, ts, got, want)
		}
	})
}

func TestInForceOn(t *testing.T) {
	noon := time.Date(2017, 12, 22, 12, 0, 0, 0, time.UTC)
	eve := time.Date(2017, 12, 31, 23, 59, 59, 0, time.FixedZone("X", -5*3600))
	ranges := [][2]time.Time{
		{}, {day0("2017-12-22"), {}}, {{}, day0("2017-12-31")}, {day0("2017-09-11"), day0("2017-12-31")},
		{noon, {}}, {{}, noon}, {noon, eve}, {day0("1960-03-01"), day0("1969-12-31")},
	}
	for _, rg := range ranges {
		r := &Rule{From: rg[0], To: rg[1], Pack: &Pack{}}
		r.finish()
		for d := day0("1959-12-25"); d.Before(day0("2019-01-10")); d = d.AddDate(0, 0, 1) {
			if d.Year() > 1961 && d.Year() < 1969 || d.Year() == 2016 {
				continue
			}
			if got, want := r.inForceOn(dayNumber(d)), r.InForce(d); got != want {
				t.Fatalf("rule %v to %v on %s: inForceOn %v, InForce %v", rg[0], rg[1], d.Format(dateLayout), got, want)
			}
		}
	}
}

// TestRelates: a line relates to a target exactly when connect finds a flow.
func TestRelates(t *testing.T) {
	ctry := []string{"", "KP", "CN"}
	dirs := []tradeplan.Direction{"", tradeplan.Import, tradeplan.Export}
	for _, o := range ctry {
		for _, d := range ctry {
			for _, p := range ctry {
				for _, f := range ctry {
					for _, dir := range dirs {
						for _, cr := range []string{"", "Rajin port", "Dandong"} {
							l := &tradeplan.Line{Origin: o, Destination: d, Direction: dir, Crossing: cr}
							if p != "" {
								l.Partner = &tradeplan.Party{Country: p}
							}
							if f != "" {
								l.Vessel = &tradeplan.Vessel{Flag: f}
							}
							ti := testEngine.targets[0]
							if got, want := testEngine.relates(l), connect(l, ti).any; got != want {
								t.Errorf("origin %q destination %q partner %q flag %q %s crossing %q: relates %v, connect %v", o, d, p, f, dir, cr, got, want)
							}
						}
					}
				}
			}
		}
	}
}

// TestParseCodeDotted holds the fast path for codes written "0305.69" to
// the general one, which reads the same digits without the dot.
func TestParseCodeDotted(t *testing.T) {
	chars := []byte("0123456789./a -\xff")
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		b := make([]byte, 7)
		for j := range b {
			if rng.Intn(4) == 0 {
				b[j] = chars[rng.Intn(len(chars))]
			} else {
				b[j] = byte('0' + rng.Intn(10))
			}
		}
		b[4] = '.'
		s := string(b)
		c, cut, ok := parseCode(s)
		// The same code with its dot dropped takes the general path.
		wc, wcut, wok := parseCode(s[:4] + s[5:])
		if c != wc || cut != wcut || ok != wok {
			t.Fatalf("parseCode(%q) = %v %v %v, want %v %v %v", s, c, cut, ok, wc, wcut, wok)
		}
	}
}
