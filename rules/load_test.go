package rules

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

const goodPack = `pack: test-national
regime: Test national measures
instrument: Order
target: KP
rules:
  - id: fish
    title: Fish
    citation: {resolution: "12", year: 2020, paragraph: "Art. 3"}
    status: verified
    checked: S/RES/1 (2020) para. 1, read in the test fixture
    effective: {from: 2020-01-01}
    flow: from-target
    goods:
      include: ["03"]
    outcome: prohibited
    summary: Fish from KP
`

// TestBadPacks: malformed packs are rejected with the file, line and field.
func TestBadPacks(t *testing.T) {
	rule := func(body string) string {
		return "pack: bad\nregime: Bad\ntarget: KP\nrules:\n" + body
	}
	base := `  - id: r1
    title: R1
    citation: {resolution: "1", year: 2020, paragraph: OP1}
    status: verified
    checked: S/RES/1 (2020) para. 1, read in the test fixture
    effective: {from: 2020-01-01}
    flow: from-target
    goods:
      include: ["03"]
    outcome: prohibited
    summary: S
`
	tests := []struct {
		name string
		doc  string
		want []string // substrings of the error, including "file:line"
	}{
		{"unknown top-level key", "pack: bad\nregime: Bad\ntarget: KP\ncolour: red\nrules:\n" + base, []string{"bad.yaml:4:1", "unknown key \"colour\""}},
		{"unknown rule key", rule(strings.Replace(base, "    summary: S\n", "    summary: S\n    severity: high\n", 1)), []string{"bad.yaml:16:5", "rules[0].severity", "unknown key \"severity\""}},
		{"bad HS range: mixed levels", rule(strings.Replace(base, `["03"]`, `["03-0309"]`, 1)), []string{"bad.yaml:13", "mixes levels"}},
		{"bad HS range: backwards", rule(strings.Replace(base, `["03"]`, `["89-86"]`, 1)), []string{"bad.yaml:13", "runs backwards"}},
		{"bad HS code: letters", rule(strings.Replace(base, `["03"]`, `["03x"]`, 1)), []string{"bad.yaml:13", "want digits"}},
		{"bad HS code: odd length", rule(strings.Replace(base, `["03"]`, `["030"]`, 1)), []string{"has 3 digits"}},
		{"bad HS code: chapter 00", rule(strings.Replace(base, `["03"]`, `["00"]`, 1)), []string{"no chapter 00"}},
		{"range too large", rule(strings.Replace(base, `["03"]`, `["010110-970690"]`, 1)), []string{"stands for"}},
		{"bad date", rule(strings.Replace(base, "from: 2020-01-01", "from: 2020-13-01", 1)), []string{"bad.yaml:10", "effective.from", "want a date YYYY-MM-DD"}},
		{"to before from", rule(strings.Replace(base, "from: 2020-01-01}", "from: 2020-01-01, to: 2019-01-01}", 1)), []string{"effective.to", "before from"}},
		{"superseded without to", rule(strings.Replace(base, "    flow:", "    superseded_by: r1\n    flow:", 1)), []string{"needs effective.to"}},
		{"superseded_by unknown", rule(strings.Replace(base, "from: 2020-01-01}", "from: 2020-01-01, to: 2021-01-01}\n    superseded_by: r9", 1)), []string{"no such rule"}},
		{"unknown flow", rule(strings.Replace(base, "from-target", "outbound", 1)), []string{"unknown flow \"outbound\""}},
		{"unknown outcome", rule(strings.Replace(base, "outcome: prohibited", "outcome: banned", 1)), []string{"unknown outcome \"banned\""}},
		{"unknown status", rule(strings.Replace(base, "status: verified", "status: maybe", 1)), []string{"unknown status"}},
		{"recalled without note", rule(strings.Replace(base, "status: verified", "status: recalled", 1)), []string{"status_note"}},
		{"policy without policy text", rule(strings.Replace(base, "status: verified", "status: policy", 1)), []string{"needs policy"}},
		{"verified without checked", rule(strings.Replace(base, "    checked: S/RES/1 (2020) para. 1, read in the test fixture\n", "", 1)), []string{"rules[0].checked", "where its paragraph was checked"}},
		{"wind-down before the rule", rule(strings.Replace(base, "    flow:", "    wind_down: {to: 2019-12-01, condition: contracts}\n    flow:", 1)), []string{"wind_down.to", "before the rule takes effect"}},
		{"wind-down after the rule ends", rule(strings.Replace(base, "from: 2020-01-01}", "from: 2020-01-01, to: 2020-02-01}\n    wind_down: {to: 2020-03-01, condition: contracts}", 1)), []string{"wind_down.to", "after the rule's last day"}},
		{"wind-down without condition", rule(strings.Replace(base, "    flow:", "    wind_down: {to: 2020-02-01}\n    flow:", 1)), []string{"wind_down.condition", "condition is required"}},
		{"wind-down on a review rule", rule(strings.Replace(strings.Replace(base, "outcome: prohibited", "outcome: review", 1), "    flow:", "    wind_down: {to: 2020-02-01, condition: contracts}\n    flow:", 1)), []string{"a wind-down is for a prohibition"}},
		{"exemption hs with description", rule(strings.Replace(base, "    outcome:", "    exemptions:\n      - {id: x, summary: X, terms: {any: [a]}, hs: [{hs: \"0301\", description: {any: [b]}}]}\n    outcome:", 1)), []string{"exemption's HS entry takes no description"}},
		{"exemption hs bad code", rule(strings.Replace(base, "    outcome:", "    exemptions:\n      - {id: x, summary: X, terms: {any: [a]}, hs: [\"03x\"]}\n    outcome:", 1)), []string{"exemptions[0].hs[0]"}},
		{"missing goods", rule(strings.Replace(base, "    goods:\n      include: [\"03\"]\n", "", 1)), []string{"goods is required"}},
		{"missing citation", rule(strings.Replace(base, "    citation: {resolution: \"1\", year: 2020, paragraph: OP1}\n", "", 1)), []string{"citation is required"}},
		{"capped without caps", rule(strings.Replace(base, "outcome: prohibited", "outcome: capped", 1)), []string{"needs caps"}},
		{"cap with unknown period", rule(strings.Replace(base, "outcome: prohibited", "outcome: capped\n    caps: [{id: c, limit: 5, unit: t, period: weekly}]", 1)), []string{"unknown period \"weekly\""}},
		{"cap with bad unit", rule(strings.Replace(base, "outcome: prohibited", "outcome: capped\n    caps: [{id: c, limit: 5, unit: furlongs, period: calendar-year}]", 1)), []string{"unknown unit \"furlongs\""}},
		{"cap with negative limit", rule(strings.Replace(base, "outcome: prohibited", "outcome: capped\n    caps: [{id: c, limit: -5, unit: t, period: calendar-year}]", 1)), []string{"above zero"}},
		{"cap above the maximum", rule(strings.Replace(base, "outcome: prohibited", "outcome: capped\n    caps: [{id: c, limit: 1e300, unit: t, period: calendar-year}]", 1)), []string{"at most 1e15"}},
		{"conversion without note", rule(strings.Replace(base, "outcome: prohibited", "outcome: capped\n    caps: [{id: c, limit: 5, unit: bbl, period: calendar-year, conversions: [{from: t, factor: 7}]}]", 1)), []string{"needs a note"}},
		{"duplicate rule id", rule(base + base), []string{"already used"}},
		{"overlapping contradictory rules", rule(base + strings.Replace(strings.Replace(base, "id: r1", "id: r2", 1), "outcome: prohibited", "outcome: review", 1)), []string{"contradicts rule bad/r1", "HS 03"}},
		{"not YAML", "pack: [unclosed", []string{"cannot read YAML"}},
		{"empty", "", []string{"empty rule pack"}},
		{"no rules", "pack: bad\nregime: Bad\ntarget: KP\nrules: []\n", []string{"no rules"}},
		{"bad target", "pack: bad\nregime: Bad\ntarget: North Korea\nrules:\n" + base, []string{"alpha-2"}},
		{"several problems at once", rule(strings.Replace(strings.Replace(base, "from-target", "sideways", 1), `["03"]`, `["3"]`, 1)), []string{"sideways", "has 1 digits"}},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "bad.yaml")
			if err := os.WriteFile(p, []byte(tc.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p)
			if err == nil {
				t.Fatal("loaded a bad pack")
			}
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Errorf("code %s, want invalid", tradeplan.ErrorCode(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadExtraPacks(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "national.yaml"), []byte(goodPack), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Packs()) != 2 {
		t.Fatalf("want the embedded pack and one more, got %d", len(e.Packs()))
	}
	fs := e.ScreenGoods(ln("0303.67", "KP", "CN"))
	if len(fs) != 2 || fs[0].Rule() != "un-dprk/2371-op9" || fs[1].Rule() != "test-national/fish" || fs[1].Citation() != "Order 12 (2020) Art. 3" {
		t.Errorf("want both packs' findings;%s", describe(fs))
	}
	r, err := e.Rule("fish")
	if err != nil || r.ID != "test-national/fish" {
		t.Errorf("Rule(fish) = %v, %v", r, err)
	}
	t.Run("same pack twice", func(t *testing.T) {
		_, err := Load(dir, filepath.Join(dir, "national.yaml"))
		if err == nil || !strings.Contains(err.Error(), "already loaded") {
			t.Errorf("want a duplicate-pack error, got %v", err)
		}
	})
	t.Run("missing path", func(t *testing.T) {
		_, err := Load(filepath.Join(dir, "nope.yaml"))
		if tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			t.Errorf("want not found, got %v", err)
		}
	})
	t.Run("unknown rule id", func(t *testing.T) {
		_, err := e.Rule("no-such-rule")
		var te *tradeplan.Error
		if !errors.As(err, &te) || te.Code != tradeplan.ENotFound {
			t.Errorf("want not found, got %v", err)
		}
	})
}

func TestEmbeddedPackComplete(t *testing.T) {
	// Every row of the facts table is in the pack.
	for _, c := range []string{
		"UNSCR 1718 (2006) OP8(a)(i)-(ii), OP8(b)", "UNSCR 1718 (2006) OP8(a)(iii)", "UNSCR 2094 (2013) OP23, Annex IV",
		"UNSCR 2270 (2016) OP29", "UNSCR 2270 (2016) OP30", "UNSCR 2270 (2016) OP31", "UNSCR 2270 (2016) OP39, Annex V",
		"UNSCR 2321 (2016) OP26", "UNSCR 2321 (2016) OP28", "UNSCR 2321 (2016) OP29", "UNSCR 2321 (2016) OP30",
		"UNSCR 2321 (2016) Annex IV", "UNSCR 1874 (2009) OP9", "UNSCR 1874 (2009) OP10", "UNSCR 2270 (2016) OP6", "UNSCR 2371 (2017) OP8", "UNSCR 2371 (2017) OP9", "UNSCR 2371 (2017) OP10",
		"UNSCR 2375 (2017) OP13", "UNSCR 2375 (2017) OP14", "UNSCR 2375 (2017) OP15", "UNSCR 2375 (2017) OP16",
		"UNSCR 2397 (2017) OP4", "UNSCR 2397 (2017) OP5", "UNSCR 2397 (2017) OP6", "UNSCR 2397 (2017) OP7",
		"UNSCR 2397 (2017) OP14", "UNSCR 2375 (2017) OP26; UNSCR 2397 (2017) OP25",
	} {
		found := false
		for _, r := range testEngine.Rules() {
			if r.CitationText() == c {
				found = true
			}
		}
		if !found {
			t.Errorf("no rule cites %s", c)
		}
	}
	for _, r := range testEngine.Rules() {
		if r.Status != StatusVerified && r.StatusNote == "" && r.Policy == "" {
			t.Errorf("%s: status %s without a note", r.ID, r.Status)
		}
		// A citation shown as verified names the text it was checked in.
		if r.Status == StatusVerified && !strings.Contains(r.Checked, "S/RES/") {
			t.Errorf("%s: verified, but checked %q names no document symbol", r.ID, r.Checked)
		}
	}
}

func FuzzParsePack(f *testing.F) {
	data, err := embedded.ReadFile("packs/un-dprk.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(goodPack))
	f.Add([]byte("pack: x\nrules: [{id: a, goods: {include: [\"01-97\"]}}]"))
	f.Add([]byte("rules:\n  - &a {id: a}\n  - *a\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pk, err := ParsePack("fuzz.yaml", data)
		if err != nil {
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Fatalf("error code %s: %v", tradeplan.ErrorCode(err), err)
			}
			return
		}
		e, err := New(pk)
		if err != nil {
			return
		}
		e.ScreenGoods(ln("0303.67", "KP", "CN"))
		e.ScreenGoods(ln("2701.12", "RU", "CN", asOf("2017-08-20"), func(g *tradeplan.GoodsLine) { g.Line.Crossing = "Rajin port" }))
		e.Explain(ln("27", "CN", "KP"))
	})
}

// TestNotesAreWhole guards against YAML flow lists splitting a note at a comma.
func TestNotesAreWhole(t *testing.T) {
	for _, r := range testEngine.Rules() {
		for _, n := range r.Notes {
			if strings.HasPrefix(n, "as ") || strings.HasPrefix(n, "and ") {
				t.Errorf("%s: note %q looks like the tail of a split note", r.ID, n)
			}
		}
	}
}

// TestDigest: the digest names the packs and their content: the embedded
// packs alone, with one more, and with that one changed by a byte all
// differ; loading the same twice gives the same.
func TestDigest(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Default()
	if def.Digest() == "" || def.Digest() != again.Digest() {
		t.Fatalf("embedded packs: %q, then %q", def.Digest(), again.Digest())
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "national.yaml")
	digest := func(doc string) string {
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		return e.Digest()
	}
	one := digest(goodPack)
	changed := digest(strings.Replace(goodPack, "Art. 3", "Art. 4", 1))
	if one == def.Digest() || changed == one || changed == def.Digest() || digest(goodPack) != one {
		t.Errorf("digests: embedded %s, with the pack %s, changed %s", def.Digest(), one, changed)
	}
}
