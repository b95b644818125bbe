package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/imports"
)

// importsArgs rank the report's plans with the example files.
var importsArgs = []string{"imports", "rank", "--as-of", "2026-11-01", "--receipts", "7000000", "--currency", "USD",
	"--tiers", "../../examples/imports/tiers.yaml", "--rates", "../../examples/imports/rates.yaml",
	"--crossings", "../../examples/imports/crossings.yaml", "--upgrades", "../../examples/imports/upgrades.yaml"}

var importsPlans = []string{"../../examples/nhg-2023-h1.yaml", "../../examples/imports/nhg-2023-h1-equipment.yaml"}

func TestImportsRankGolden(t *testing.T) {
	for _, format := range []string{"text", "json", "csv"} {
		t.Run(format, func(t *testing.T) {
			args := append(append(append([]string{}, importsArgs...), "--format", format), importsPlans...)
			code, out, errs := runCmd(t, "", args...)
			if code != exitOK {
				t.Fatalf("exit %d; stderr:\n%s", code, errs)
			}
			golden := filepath.Join("testdata", "imports-nhg."+format+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, out)
			}
		})
	}
}

func TestImportsRankJSON(t *testing.T) {
	args := append(append(append([]string{}, importsArgs...), "--format", "json"), importsPlans...)
	code, out, errs := runCmd(t, "", args...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	var r imports.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	byLine := map[string]imports.LineResult{}
	for _, l := range r.Lines {
		byLine[l.Description] = *l
	}
	nets := byLine["fishing nets of nylon"]
	if nets.Tier != 2 || nets.TierSource != imports.SourceUpgraded {
		t.Errorf("nets: T%d %s, want T2 upgraded", nets.Tier, nets.TierSource)
	}
	for _, name := range []string{"wheat flour", "urea fertiliser", "medicines (antibiotics and analgesics) for provincial hospitals"} {
		if l := byLine[name]; l.FundedValue.Sign() == 0 || l.Tier > 2 || l.Week == "" {
			t.Errorf("%s: T%d %s week %q, want T1/T2 funded and scheduled", name, l.Tier, l.Status, l.Week)
		}
	}
	if l := byLine["freezing compressors for the fish processing plants"]; l.Status != imports.Excluded || !strings.Contains(l.Reason, "2397 (2017) OP7") {
		t.Errorf("compressors: %s %q", l.Status, l.Reason)
	}
}

func TestImportsRankRefusals(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"budget above available", []string{"--receipts", "100", "--budget", "1000"}, "only the authority's override"},
		{"override without budget", []string{"--override", "swap line"}, "no --budget given"},
		{"comma", []string{"--receipts", "1,5"}, "use a point"},
		{"negative", []string{"--receipts", "-5"}, "at least 0"},
		{"currency", []string{"--currency", "XYZ"}, "ISO 4217"},
		{"bad tiers", []string{"--tiers", "testdata/imports-bad-tiers.yaml"}, "imports-bad-tiers.yaml:5:"},
		{"format", []string{"--format", "xml"}, "want text, json or csv"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append(append([]string{"imports", "rank", "--as-of", "2026-11-01"}, c.args...), importsPlans[0])
			code, out, errs := runCmd(t, "", args...)
			if code != exitUsage || out != "" || !strings.Contains(errs, c.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errs, exitUsage, c.want)
			}
		})
	}
	// With the override, the same budget is allocated and the reason recorded.
	args := append([]string{"imports", "rank", "--as-of", "2026-11-01", "--receipts", "100", "--budget", "1000", "--override", "swap line of 2027-01-05"}, importsPlans[0])
	code, out, errs := runCmd(t, "", args...)
	if code != exitOK || !strings.Contains(out, "OVERRIDE by the authority: swap line of 2027-01-05") {
		t.Errorf("override: exit %d stderr %s\n%s", code, errs, out)
	}
}

func TestImportsRankWhatIf(t *testing.T) {
	args := append(append(append([]string{}, importsArgs...), "--what-if", "--format", "json"), importsPlans...)
	code, out, errs := runCmd(t, "", args...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	var r imports.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.WhatIf == nil || len(r.WhatIf.Tiers) != len(r.Tiers) {
		t.Fatalf("what-if missing: %+v", r.WhatIf)
	}
	// The province's crossings do not bind: the programme funds each tier
	// as greedy does.
	for i, tr := range r.Tiers {
		diff := tr.Funded.Sub(r.WhatIf.Tiers[i].Funded)
		if diff.Sign() < 0 {
			diff = diff.Neg()
		}
		if diff.Cmp(tradeplan.MustDecimal("0.1")) > 0 {
			t.Errorf("T%d: greedy %s, what-if %s", tr.Tier, tr.Funded, r.WhatIf.Tiers[i].Funded)
		}
	}
}

// With --sites, a lawful export counts in the budget only at what its site
// can deliver: the province's molybdenum shares power with its tungsten and
// is short (13.5 of 20 t), so it earns 13.5/20 of its value, and the notice
// that feasibility was not checked is gone.
func TestImportsRankWithSites(t *testing.T) {
	plan := filepath.Join("..", "..", "examples", "nhg-lawful-2027-h1.yaml")
	sites := filepath.Join("..", "..", "examples", "sites", "north-hamgyong.yaml")
	rank := func(extra ...string) imports.Result {
		t.Helper()
		args := append(append([]string{"imports", "rank", "--receipts", "1000", "--format", "json"}, extra...), plan)
		code, out, errs := runCmd(t, "", args...)
		if code != exitOK {
			t.Fatalf("exit %d; stderr:\n%s", code, errs)
		}
		var r imports.Result
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	counted := func(r imports.Result, desc string) (tradeplan.Decimal, string) {
		for _, l := range r.Budget.Exports.Lines {
			if strings.HasPrefix(l.Description, desc) {
				return l.Counted, l.Reason
			}
		}
		t.Fatalf("no export line %q in the budget", desc)
		return tradeplan.Decimal{}, ""
	}
	plain, withSites := rank(), rank("--sites", sites)
	if v, _ := counted(plain, "molybdenum"); v.Cmp(tradeplan.MustDecimal("800000")) != 0 {
		t.Errorf("without sites molybdenum counts %s, want its planned 800000", v)
	}
	v, why := counted(withSites, "molybdenum")
	if v.Cmp(tradeplan.MustDecimal("540000")) != 0 || !strings.Contains(why, "feasible 13.5 of 20 t") {
		t.Errorf("with sites molybdenum counts %s (%s), want 540000 at its feasible 13.5 of 20 t", v, why)
	}
	if v, why := counted(withSites, "tungsten"); v.Cmp(tradeplan.MustDecimal("2100000")) != 0 || !strings.Contains(why, "feasible as planned") {
		t.Errorf("with sites tungsten counts %s (%s), want all of it", v, why)
	}
	for _, n := range withSites.Notices {
		if strings.Contains(n, "feasibility not checked") {
			t.Errorf("notice %q with --sites", n)
		}
	}
	if code, _, errs := runCmd(t, "", "imports", "rank", "--sites", "no-such-sites.yaml", plan); code != exitUsage || !strings.Contains(errs, "no-such-sites.yaml") {
		t.Errorf("missing site file: exit %d, stderr %q", code, errs)
	}
}
