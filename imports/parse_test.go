package imports

import (
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

func TestDefaultPolicy(t *testing.T) {
	p := DefaultPolicy()
	if len(p.Tiers) != 5 || p.DefaultTier != 4 || p.AgingWeeks != 4 || !p.OrganisationCap.Equal(d("0.25")) || !p.ExportMargin.Equal(d("0.8")) {
		t.Fatalf("default policy: %d tiers, default T%d, aging %d, cap %s, margin %s", len(p.Tiers), p.DefaultTier, p.AgingWeeks, p.OrganisationCap, p.ExportMargin)
	}
	for _, c := range []struct {
		hs   string
		tier int
	}{
		{"300490", 1}, {"3004.10", 1}, {"382200", 1}, {"901890", 1}, {"902290", 1}, {"110100", 1}, {"100630", 1},
		{"190110", 1}, {"190190", 4}, {"271019", 1}, {"271121", 1}, {"150790", 1}, {"151790", 1},
		{"310210", 2}, {"120991", 2}, {"380891", 2},
		{"841869", 3}, {"842641", 3}, {"870421", 3},
		{"870323", 5}, {"711319", 5}, {"330499", 5}, {"220830", 5}, {"240220", 5}, {"851713", 5}, {"950300", 5},
		{"940161", 5}, {"610910", 5}, {"620342", 5}, {"630790", 4},
		{"392010", 4}, {"560811", 4}, {"", 4},
	} {
		if got, _ := p.TierOf(c.hs); got != c.tier {
			t.Errorf("TierOf(%q) = %d, want %d", c.hs, got, c.tier)
		}
	}
	if p.SiteSpares.Tier != 2 || !p.IsSpare("843790") || !p.IsSpare("4010.11") || p.IsSpare("870323") {
		t.Errorf("site spares: T%d", p.SiteSpares.Tier)
	}
	if !p.IsStaple("110100") || p.IsStaple("300490") || p.IsStaple("150790") {
		t.Error("staple food: wheat flour yes, medicines and oil no")
	}
}

func TestParseErrorsAtTheirPlace(t *testing.T) {
	for _, c := range []struct {
		name  string
		parse func(string, []byte) error
		doc   string
		want  []string
	}{
		{"tiers: comma", policyErr, "tiers:\n  - tier: 1\n    name: a\n    share: 0,5\n", []string{"f.yaml:4:12: tiers[0].share: want a number"}},
		{"tiers: shares above 1", policyErr, "tiers:\n  - {tier: 1, name: a, share: 0.7}\n  - {tier: 2, name: b, share: 0.4}\n", []string{"add up to 1.1"}},
		{"tiers: order", policyErr, "tiers:\n  - {tier: 2, name: a, share: 0.1}\n", []string{"f.yaml:2:12: tiers[0].tier: tiers are numbered in order from 1"}},
		{"tiers: HS twice", policyErr, "tiers:\n  - {tier: 1, name: a, share: 0.1, hs: [\"30\"]}\n  - {tier: 2, name: b, share: 0.1, hs: [\"30\"]}\n", []string{"tiers[1].hs[0]: HS 30 is already in tiers[0].hs[0]"}},
		{"tiers: bad HS", policyErr, "tiers:\n  - {tier: 1, name: a, share: 0.1, hs: [\"301\", \"9022-9018\"]}\n", []string{"found \"301\"", "runs backwards"}},
		{"tiers: unknown key", policyErr, "tiers: []\nshare: 1\n", []string{"f.yaml:2:1: share: unknown key"}},
		{"tiers: deferred with share", policyErr, "tiers:\n  - {tier: 1, name: a, share: 0.1, defer: true}\n", []string{"a deferred tier has no share"}},
		{"tiers: staple half given", policyErr, "tiers:\n  - {tier: 1, name: a, share: 0.1}\nstaple_food: {population: 10}\n", []string{"together"}},
		{"tiers: spares to a missing tier", policyErr, "tiers:\n  - {tier: 1, name: a, share: 0.1}\nsite_spares: {tier: 3, hs: [\"84\"]}\n", []string{"f.yaml:3:21: site_spares.tier: want"}},
		{"tiers: spares deferred", policyErr, "tiers:\n  - {tier: 1, name: a, share: 0.1}\n  - {tier: 2, name: b, share: 0, defer: true}\nsite_spares: {tier: 2, hs: [\"8\"]}\n", []string{"site_spares.tier: tier 2 is deferred", "site_spares.hs[0]: want an HS chapter"}},
		{"rates: unknown code", ratesErr, "base: USD\nrates:\n  cny: 0.14\n  EUR: -1\n  JPY: 0\n", []string{"f.yaml:3:3: rates.cny", "f.yaml:4:8: rates.EUR: want a number at least 0", "a rate of 0"}},
		{"rates: no base", ratesErr, "rates: {CNY: 0.14}\n", []string{"base is required"}},
		{"crossings: missing tonnes", crossingsErr, "crossings:\n  - {name: A}\n  - {name: A, tonnes_per_week: 5, vehicles: [{kind: trucks, per_week: 2, tonnes_each: 0}]}\n", []string{"tonnes_per_week is required", "crossing \"A\" given twice", "want a load above 0"}},
		{"crossings: mass factor", crossingsErr, "tonnes_per: {kg: 0.001, zz: 1}\ncrossings: []\n", []string{"kg is a mass", "unknown unit \"zz\""}},
		{"upgrades: missing reason", upgradesErr, "upgrades:\n  - {plan: p, line: 3, tier: 1, reviewer: r}\n", []string{"f.yaml:2:5: upgrades[0].reason: reason is required"}},
		{"not YAML", policyErr, "tiers: [\n", []string{"f.yaml:"}},
		{"empty", ratesErr, "", []string{"empty rates"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.parse("f.yaml", []byte(c.doc))
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func policyErr(f string, b []byte) error    { _, err := ParsePolicy(f, b); return err }
func ratesErr(f string, b []byte) error     { _, err := ParseRates(f, b); return err }
func crossingsErr(f string, b []byte) error { _, err := ParseCrossings(f, b); return err }
func upgradesErr(f string, b []byte) error  { _, err := ParseUpgrades(f, b); return err }

// The parsers never panic, and what they accept is usable.
func FuzzParsePolicy(f *testing.F) {
	f.Add(defaultTiers)
	f.Add([]byte("tiers:\n  - {tier: 1, name: a, share: 0.5, hs: [\"61-62\"]}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePolicy("f.yaml", b)
		if err == nil {
			p.TierOf("300490")
			if p.DefaultTier < 1 || p.DefaultTier > len(p.Tiers) {
				t.Fatalf("default tier %d of %d", p.DefaultTier, len(p.Tiers))
			}
		}
	})
}

func FuzzParseRates(f *testing.F) {
	f.Add([]byte("base: USD\nrates: {CNY: 0.14, EUR: 1.08}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRates("f.yaml", b)
		if err == nil {
			for c := range r.Rate {
				if _, err := r.Convert(d("1.5"), c, r.Base); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func FuzzParseCrossings(f *testing.F) {
	f.Add([]byte("tonnes_per: {bbl: 0.135}\ncrossings:\n  - {name: A, tonnes_per_week: 100, closed_weeks: [1], vehicles: [{kind: trucks, per_week: 3, tonnes_each: 20}]}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseCrossings("f.yaml", b)
	})
}

func FuzzParseUpgrades(f *testing.F) {
	f.Add([]byte("upgrades:\n  - {plan: p, line: 3, tier: 1, reviewer: r, reason: x}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseUpgrades("f.yaml", b)
	})
}
