package imports

import (
	_ "embed"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/yamlnode"
	"go.yaml.in/yaml/v3"
)

//go:embed default-tiers.yaml
var defaultTiers []byte

// Policy is an authority's import policy: its tiers and how the budget is
// shared among them (a tiers file, docs/imports.md#tiers).
type Policy struct {
	File            string
	Tiers           []Tier // in order, tier 1 first
	DefaultTier     int
	AgingWeeks      int               // 0: no aging
	OrganisationCap tradeplan.Decimal // share of the budget; 0: no cap
	ExportMargin    tradeplan.Decimal // share of lawful exports' value counted
	Staple          StapleFood
	SiteSpares      SiteSpares

	prefixes map[string]int // HS prefix (2, 4 or 6 digits) -> tier
}

// SiteSpares are the goods that keep a site's lawful production going
// (tools, machinery and its parts): an import line of such goods that names
// in source.site a site of the site file making lawful exports of the same
// plans counts in Tier, when that is above its goods' own tier and they
// are not deferred.
type SiteSpares struct {
	Tier     int // 0: none
	HS       []string
	prefixes map[string]bool
}

// IsSpare reports whether goods with HS code hs are site spares.
func (p *Policy) IsSpare(hs string) bool {
	hs = digits(hs)
	for _, n := range []int{6, 4, 2} {
		if len(hs) >= n && p.SiteSpares.prefixes[hs[:n]] {
			return true
		}
	}
	return false
}

// Tier is one necessity tier.
type Tier struct {
	Number int
	Name   string
	About  string
	Share  tradeplan.Decimal // reserved share of the budget
	Defer  bool              // its lines get nothing this period
	HS     []string          // as written
}

// StapleFood says how the need for staple food is verified: the lines of
// HS are together capped at Population x RationKgPerWeek x Weeks kilograms
// when the three are given.
type StapleFood struct {
	HS              []string
	Population      tradeplan.Decimal
	RationKgPerWeek tradeplan.Decimal
	Weeks           int

	prefixes map[string]bool
}

// Given reports whether the authority gave the figures that verify the need.
func (s StapleFood) Given() bool {
	return s.Population.Sign() > 0 && s.RationKgPerWeek.Sign() > 0 && s.Weeks > 0
}

// Tonnes is the verified need of staple food in tonnes.
func (s StapleFood) Tonnes() tradeplan.Decimal {
	kg := s.Population.Mul(s.RationKgPerWeek).Mul(tradeplan.DecimalInt(int64(s.Weeks)))
	t, _ := kg.QuoRound(tradeplan.DecimalInt(1000), 3)
	return t
}

// DefaultPolicy is the built-in policy (default-tiers.yaml).
func DefaultPolicy() *Policy {
	p, err := ParsePolicy("embedded:default-tiers.yaml", defaultTiers)
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return p
}

// LoadPolicy reads a tiers file.
func LoadPolicy(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "read tiers file: %v", err)
	}
	return ParsePolicy(path, data)
}

// ParsePolicy reads a tiers document; every problem is reported at once, at
// its file, line and field.
func ParsePolicy(file string, data []byte) (*Policy, error) {
	p := &parser{Reader: yamlnode.Reader{File: file}}
	pol := p.policy(data)
	if err := p.Probs.Err("tiers file " + file); err != nil {
		return nil, err
	}
	return pol, nil
}

func (p *parser) policy(data []byte) *Policy {
	root := p.parseDoc(data, "tiers")
	if root == nil {
		return nil
	}
	m := p.Fields(root, "", "default_tier", "aging_weeks", "organisation_cap", "export_margin", "tiers", "staple_food", "site_spares")
	pol := &Policy{File: p.File, prefixes: map[string]int{}, ExportMargin: tradeplan.DecimalInt(1)}
	if n, ok := m["aging_weeks"]; ok {
		pol.AgingWeeks, _ = p.integer(n, "aging_weeks", 0, 520)
	}
	if n, ok := m["organisation_cap"]; ok {
		pol.OrganisationCap, _ = p.fraction(n, "organisation_cap")
	}
	if n, ok := m["export_margin"]; ok {
		pol.ExportMargin, _ = p.fraction(n, "export_margin")
	}
	tn, ok := m["tiers"]
	if !ok {
		p.Errorf(root, "tiers", "tiers is required")
		return pol
	}
	where := map[string]string{} // prefix -> path where first given
	total := tradeplan.Decimal{}
	for i, n := range p.list(tn, "tiers") {
		path := index("tiers", i)
		tm := p.Fields(n, path, "tier", "name", "about", "share", "defer", "hs")
		var t Tier
		t.Number, _ = p.integer(tm["tier"], yamlnode.Join(path, "tier"), 1, 99)
		if _, ok := tm["tier"]; !ok {
			p.Errorf(n, yamlnode.Join(path, "tier"), "tier is required")
		} else if t.Number != 0 && t.Number != i+1 {
			p.Errorf(tm["tier"], yamlnode.Join(path, "tier"), "tiers are numbered in order from 1: want %d, found %d", i+1, t.Number)
		}
		t.Name = p.required(tm, n, path, "name")
		t.About = p.str(tm["about"], yamlnode.Join(path, "about"))
		if s, ok := tm["share"]; ok {
			t.Share, _ = p.fraction(s, yamlnode.Join(path, "share"))
		} else {
			p.Errorf(n, yamlnode.Join(path, "share"), "share is required (0 for none)")
		}
		t.Defer = p.boolean(tm["defer"], yamlnode.Join(path, "defer"))
		if t.Defer && t.Share.Sign() > 0 {
			p.Errorf(tm["share"], yamlnode.Join(path, "share"), "a deferred tier has no share; found %s", t.Share)
		}
		total = total.Add(t.Share)
		hsNode := tm["hs"]
		for j, c := range p.list(hsNode, yamlnode.Join(path, "hs")) {
			hp := index(yamlnode.Join(path, "hs"), j)
			s := p.str(c, hp)
			codes, msg := expandHS(s)
			if msg != "" {
				p.Errorf(c, hp, "%s", msg)
				continue
			}
			for _, code := range codes {
				if prev, dup := where[code]; dup {
					p.Errorf(c, hp, "HS %s is already in %s", code, prev)
					continue
				}
				where[code] = hp
				pol.prefixes[code] = i + 1
			}
		}
		t.HS = p.strsOf(hsNode)
		pol.Tiers = append(pol.Tiers, t)
	}
	if len(pol.Tiers) == 0 {
		p.Errorf(tn, "tiers", "at least one tier is required")
		return pol
	}
	if total.Cmp(tradeplan.DecimalInt(1)) > 0 {
		p.Errorf(tn, "tiers", "the tiers' shares add up to %s, more than the whole budget (1)", total)
	}
	pol.DefaultTier = len(pol.Tiers)
	if n, ok := m["default_tier"]; ok {
		pol.DefaultTier, _ = p.integer(n, "default_tier", 1, len(pol.Tiers))
	}
	if sn, ok := m["staple_food"]; ok {
		sm := p.Fields(sn, "staple_food", "hs", "population", "ration_kg_per_week", "weeks")
		s := &pol.Staple
		s.prefixes = map[string]bool{}
		for j, c := range p.list(sm["hs"], "staple_food.hs") {
			hp := index("staple_food.hs", j)
			codes, msg := expandHS(p.str(c, hp))
			if msg != "" {
				p.Errorf(c, hp, "%s", msg)
				continue
			}
			for _, code := range codes {
				s.prefixes[code] = true
			}
		}
		s.HS = p.strsOf(sm["hs"])
		if n, ok := sm["population"]; ok {
			s.Population, _ = p.decimal(n, "staple_food.population")
		}
		if n, ok := sm["ration_kg_per_week"]; ok {
			s.RationKgPerWeek, _ = p.decimal(n, "staple_food.ration_kg_per_week")
		}
		if n, ok := sm["weeks"]; ok {
			s.Weeks, _ = p.integer(n, "staple_food.weeks", 1, 520)
		}
		given := 0
		for _, k := range []string{"population", "ration_kg_per_week", "weeks"} {
			if _, ok := sm[k]; ok {
				given++
			}
		}
		if given != 0 && given != 3 {
			p.Errorf(sn, "staple_food", "give population, ration_kg_per_week and weeks together, or none of them")
		}
	}
	if sn, ok := m["site_spares"]; ok {
		sm := p.Fields(sn, "site_spares", "tier", "hs")
		s := &pol.SiteSpares
		s.prefixes = map[string]bool{}
		if n, ok := sm["tier"]; ok {
			s.Tier, _ = p.integer(n, "site_spares.tier", 1, len(pol.Tiers))
			if s.Tier > 0 && pol.tier(s.Tier).Defer {
				p.Errorf(n, "site_spares.tier", "tier %d is deferred: spares would wait", s.Tier)
			}
		} else {
			p.Errorf(sn, "site_spares.tier", "tier is required")
		}
		for j, c := range p.list(sm["hs"], "site_spares.hs") {
			hp := index("site_spares.hs", j)
			codes, msg := expandHS(p.str(c, hp))
			if msg != "" {
				p.Errorf(c, hp, "%s", msg)
				continue
			}
			for _, code := range codes {
				s.prefixes[code] = true
			}
		}
		s.HS = p.strsOf(sm["hs"])
	}
	return pol
}

func (p *parser) strsOf(n *yaml.Node) []string {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, c := range n.Content {
		out = append(out, strings.TrimSpace(c.Value))
	}
	return out
}

// expandHS reads an HS entry of a tiers file: "30", "3822", "1901.10" or a
// range of one length "9018-9022", into digit prefixes.
func expandHS(s string) ([]string, string) {
	if s == "" {
		return nil, "empty HS entry"
	}
	lo, hi, isRange := strings.Cut(s, "-")
	lo, hi = digits(lo), digits(hi)
	if !isRange {
		hi = lo
	}
	valid := func(d string) bool {
		return (len(d) == 2 || len(d) == 4 || len(d) == 6) && strings.Trim(d, "0123456789") == ""
	}
	if !valid(lo) || !valid(hi) {
		return nil, fmt.Sprintf("want an HS chapter, heading or subheading (30, 3822, 1901.10) or a range of one length (9018-9022); found %q", s)
	}
	if len(lo) != len(hi) {
		return nil, fmt.Sprintf("the ends of range %q differ in length", s)
	}
	a, _ := strconv.Atoi(lo)
	b, _ := strconv.Atoi(hi)
	if b < a {
		return nil, fmt.Sprintf("range %q runs backwards", s)
	}
	if b-a > 10000 {
		return nil, fmt.Sprintf("range %q is too wide", s)
	}
	out := make([]string, 0, b-a+1)
	for v := a; v <= b; v++ {
		out = append(out, fmt.Sprintf("%0*d", len(lo), v))
	}
	return out, ""
}

func digits(s string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), ".", "")
}

// TierOf is the tier of goods with HS code hs (digits; 2 to 10 of them): the
// tier of the longest entry it starts with, else the default tier. ok is
// false when no entry matched.
func (p *Policy) TierOf(hs string) (tier int, ok bool) {
	hs = digits(hs)
	for _, n := range []int{6, 4, 2} {
		if len(hs) >= n {
			if t, found := p.prefixes[hs[:n]]; found {
				return t, true
			}
		}
	}
	return p.DefaultTier, false
}

// IsStaple reports whether goods with HS code hs are staple food.
func (p *Policy) IsStaple(hs string) bool {
	hs = digits(hs)
	for _, n := range []int{6, 4, 2} {
		if len(hs) >= n && p.Staple.prefixes[hs[:n]] {
			return true
		}
	}
	return false
}

// tier returns tier n (1-based).
func (p *Policy) tier(n int) *Tier { return &p.Tiers[n-1] }

// ClaimedTier is the tier an applicant's necessity claims: critical 1,
// essential 2, useful the default tier; 0 for no claim.
func (p *Policy) ClaimedTier(n tradeplan.Necessity) int {
	switch n {
	case tradeplan.Critical:
		return 1
	case tradeplan.Essential:
		return min(2, len(p.Tiers))
	case tradeplan.Useful:
		return p.DefaultTier
	}
	return 0
}
