package rules

import (
	"testing"
	"time"
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
	f.Add("Jet A-1 kerosene-type jet fuel", "jet fuel")
	f.Add("\u00e9\u00e8 statue\u2013x", "statue")
	f.Add("DIESEL", "diesel")
	f.Add("potting soil", "oil")
	f.Fuzz(func(t *testing.T, s, term string) {
		ts := normTerms([]string{term})
		if len(ts) == 0 {
			return
		}
		tm := Terms{Any: ts}
		tm.prepare()
		txt := newText(s)
		want := hasTerm(screenText(s), ts[0])
		if got := txt.has(&tm.match.any[0]); got != want {
			t.Errorf("text %q, term %q: prepared match %v, hasTerm %v", s, term, got, want)
		}
	})
}
