package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRulesGolden runs rules list, show and explain and compares their
// output with testdata/rules/*.golden (go test -run TestRulesGolden -update).
func TestRulesGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"list", []string{"rules", "list"}, exitOK},
		{"list-2017-06-01", []string{"rules", "list", "--as-of", "2017-06-01"}, exitOK},
		{"show-2371-op9", []string{"rules", "show", "2371-op9"}, exitOK},
		{"show-2397-op5", []string{"rules", "show", "un-dprk/2397-op5"}, exitOK},
		{"explain-frozen-pollack", []string{"rules", "explain", "--hs", "0303.67", "--from", "KP", "--to", "CN", "--description", "frozen Alaska pollack", "--as-of", "2023-01-01"}, exitFindings},
		{"explain-seafood-2017-06-01", []string{"rules", "explain", "--hs", "0303.67", "--from", "KP", "--to", "CN", "--as-of", "2017-06-01"}, exitOK},
		{"explain-coal-2017-06-01", []string{"rules", "explain", "--hs", "2701.12", "--from", "KP", "--to", "CN", "--quantity", "20000", "--unit", "t", "--value", "1400000", "--as-of", "2017-06-01"}, exitFindings},
		{"explain-salted-mushrooms", []string{"rules", "explain", "--hs", "0711.59", "--alt", "2003.90", "--from", "North Korea", "--to", "China", "--description", "salted pine mushrooms in brine", "--as-of", "2023-01-01"}, exitFindings},
		{"explain-diesel-capped", []string{"rules", "explain", "--hs", "2710.19", "--from", "CN", "--to", "KP", "--description", "diesel fuel", "--quantity", "1000", "--unit", "tonnes", "--as-of", "2023-01-01"}, exitFindings},
		{"explain-crude-no-description", []string{"rules", "explain", "--hs", "2709", "--from", "RU", "--to", "KP", "--quantity", "500", "--unit", "t", "--as-of", "2023-01-01"}, exitFindings},
		{"explain-snowmobile-no-value", []string{"rules", "explain", "--hs", "8703.10", "--from", "CA", "--to", "KP", "--quantity", "2", "--unit", "pcs", "--as-of", "2016-06-01"}, exitFindings},
		{"explain-exemption", []string{"rules", "explain", "--hs", "1006.30", "--from", "CN", "--to", "KP", "--exemption", "1718/EX/2023/41", "--as-of", "2023-01-01"}, exitFindings},
		{"explain-third-countries", []string{"rules", "explain", "--hs", "0303.67", "--from", "RU", "--to", "JP", "--as-of", "2023-01-01"}, exitOK},
		{"explain-vessel-only", []string{"rules", "explain", "--hs", "8429.52", "--from", "CN", "--to", "RU", "--vessel-flag", "KP", "--as-of", "2023-01-01"}, exitFindings},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, errs)
			}
			golden := filepath.Join("testdata", "rules", tc.name+".golden")
			// The embedded pack's file positions are stable; nothing else varies.
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestRulesGolden -update)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (go test -update to accept):\n--- got\n%s\n--- want\n%s", golden, out, want)
			}
		})
	}
}

func TestRulesErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("pack: bad\nregime: Bad\ntarget: KP\nrules:\n  - id: r1\n    title: R\n    citation: {resolution: \"1\", year: 2020, paragraph: OP1}\n    status: verified\n    checked: national order 7 (2024) art. 2, official gazette\n    effective: {from: 2020-01-01}\n    flow: from-target\n    goods: {include: [\"86-8\"]}\n    outcome: prohibited\n    summary: S\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "national.yaml")
	if err := os.WriteFile(good, []byte("pack: national\nregime: National order\ntarget: KP\nrules:\n  - id: beer\n    title: Beer\n    citation: {resolution: \"7\", year: 2024, paragraph: Art. 2}\n    status: verified\n    checked: national order 7 (2024) art. 2, official gazette\n    effective: {from: 2024-01-01}\n    flow: to-target\n    goods: {include: [\"2203\"]}\n    outcome: prohibited\n    summary: Beer to KP\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string // in stdout
		errs string // in stderr
	}{
		{"no verb", []string{"rules"}, exitUsage, "", "usage:"},
		{"unknown verb", []string{"rules", "lst"}, exitUsage, "", "unknown verb"},
		{"unknown rule", []string{"rules", "show", "2371-op99"}, exitUsage, "", "no rule \"2371-op99\""},
		{"show needs an id", []string{"rules", "show"}, exitUsage, "", "want one rule id"},
		{"explain needs --hs", []string{"rules", "explain", "--from", "KP"}, exitUsage, "", "--hs is required"},
		{"bad country", []string{"rules", "explain", "--hs", "0303", "--from", "Narnia"}, exitUsage, "", "not a country"},
		{"bad unit", []string{"rules", "explain", "--hs", "0303", "--quantity", "3", "--unit", "furlongs"}, exitUsage, "", "unknown unit"},
		{"bad date", []string{"rules", "explain", "--hs", "0303", "--as-of", "2017-02-30"}, exitUsage, "", "want a date"},
		{"quantity above the maximum", []string{"rules", "explain", "--hs", "2710.19", "--from", "CN", "--to", "KP", "--quantity", "1.7e308", "--unit", "t"}, exitUsage, "", "too large: at most 15 digits before the point"},
		{"value not finite", []string{"rules", "explain", "--hs", "2710.19", "--from", "CN", "--to", "KP", "--value", "Inf"}, exitUsage, "", "found \"Inf\": not a number"},
		{"bad pack", []string{"rules", "list", "--rules", bad}, exitUsage, "", "bad.yaml:12:23: rules[0].goods.include[0]: range \"86-8\": HS code \"8\" has 1 digits"},
		{"missing pack", []string{"rules", "list", "--rules", filepath.Join(dir, "none.yaml")}, exitUsage, "", "no such file"},
		{"extra pack listed", []string{"rules", "list", "--rules", good}, exitOK, "national/beer", ""},
		{"extra pack applies", []string{"rules", "explain", "--rules", dir + "/national.yaml", "--hs", "2203", "--from", "CN", "--to", "KP", "--as-of", "2024-06-01"}, exitFindings, "7 (2024) Art. 2  [national/beer; verified]", ""},
		{"json list", []string{"rules", "list", "--json"}, exitOK, "\"citation\": \"UNSCR 2371 (2017) OP9\"", ""},
		{"json explain", []string{"rules", "explain", "--json", "--hs", "0303.67", "--from", "KP", "--as-of", "2023-01-01"}, exitFindings, "\"verdict\": \"prohibited\"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, errs)
			}
			if !strings.Contains(out, tc.out) {
				t.Errorf("stdout lacks %q:\n%s", tc.out, out)
			}
			if !strings.Contains(errs, tc.errs) {
				t.Errorf("stderr lacks %q:\n%s", tc.errs, errs)
			}
		})
	}
}
