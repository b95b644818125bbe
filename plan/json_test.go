package plan

import (
	"encoding/json"
	"github.com/tradeplan/tradeplan"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseJSON(t *testing.T) {
	doc := `{
  "plan": {"id": "vn-1", "organisation": "Demo", "country": "Viet Nam", "period": {"from": "2027-01-01", "to": "2027-06-30"}},
  "lines": [
    {"direction": "export", "description": "frozen shrimp", "hs": 30617, "quantity": 12.5, "unit": "t",
     "value": 1e5, "currency": "usd", "partner": {"name": "Demo KK", "country": "JP"}, "vessel": null}
  ]
}`
	p, err := Parse([]byte(doc), "v.json", JSON)
	if err != nil {
		t.Fatal(err)
	}
	if p.Country != "VN" || p.Period.Label != "2027-01-01/2027-06-30" {
		t.Errorf("plan %+v", p)
	}
	l := p.Lines[0]
	if l.HS != "030617" || l.Quantity.Cmp(tradeplan.D(12.5)) != 0 || l.Value.Cmp(tradeplan.D(100000)) != 0 || l.Currency != "USD" || l.Destination != "JP" || l.Origin != "VN" || l.Vessel != nil {
		t.Errorf("line %+v", l)
	}
	if l.Pos.Line != 4 || l.Pos.Column != 5 || l.Pos.Path != "lines[1]" {
		t.Errorf("line position %+v", l.Pos)
	}
}

func TestParseJSONProblems(t *testing.T) {
	const h = `{"plan": {"id": "p", "country": "KP"},` + "\n"
	tests := []struct {
		name, doc string
		want      []string
	}{
		{"validation with positions", h + `"lines": [{"direction": "export", "hs": "0303", "destination": "CN", "unit": "tonz", "quantity": 1}]}`, []string{
			`j.json:2:78: lines[1].unit: expected one of t, kg, g, lb, l, m3, bbl, gal, pcs, pairs, doz, m2, m, kwh, mwh (or a name such as tonnes); found "tonz"; did you mean "ton"?`}},
		{"unknown field", h + `"lines": [{"direction": "export", "hs": "0303", "destination": "CN", "partner": {"nmae": "x"}}]}`, []string{
			`j.json:2:81: lines[1].partner: expected a name or a country; found neither`,
			`j.json:2:82: lines[1].partner.nmae: unknown field; expected one of name, country; did you mean "name"?`}},
		{"YAML comment", h + "# a comment\n" + `"lines": []}`, []string{`j.json:2:1: JSON syntax: invalid character '#' looking for beginning of object key string`}},
		{"YAML unquoted string", `{"plan": {id: p}}`, []string{`j.json:1:11: JSON syntax: invalid character 'i' looking for beginning of object key string`}},
		{"trailing comma", h + `"lines": [1,]}`, []string{`j.json:2:13: JSON syntax: invalid character ']' looking for beginning of value`}},
		{"truncated", h + `"lines": [`, []string{`j.json:2:11: JSON syntax: unexpected end of JSON input`}},
		{"trailing data", `{"plan": {}} {}`, []string{`j.json:1:14: JSON syntax: unexpected data after the end of the document`}},
		{"empty", "  \n", []string{`j.json:1:1: empty document; expected an object with plan and lines`}},
		{"repeated key", h + `"lines": [{"direction": "export", "hs": "0303", "destination": "CN", "hs": "0304"}]}`, []string{
			`j.json:2:70: lines[1].hs: repeated field (first at line 2)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), "j.json", JSON)
			if err == nil {
				t.Fatal("no error")
			}
			got := problems(t, err)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestYAMLAndJSONAgree parses one plan written both ways.
func TestYAMLAndJSONAgree(t *testing.T) {
	y := `plan: {id: a, organisation: O, country: CN, period: "2027"}
lines:
  - {direction: import, description: iron ore, hs: "2601.11", quantity: 1000, unit: t, value: 90000, currency: USD, partner: {name: P, country: AU}, vessel: {name: V, imo: "IMO 9999999", flag: PA}, crossing: Dalian, necessity: useful, purpose: steel, exemption: E1, date: 2027-05-01}
`
	j := `{"plan": {"id": "a", "organisation": "O", "country": "CN", "period": "2027"},
"lines": [{"direction": "import", "description": "iron ore", "hs": "2601.11", "quantity": 1000, "unit": "t", "value": 90000, "currency": "USD",
"partner": {"name": "P", "country": "AU"}, "vessel": {"name": "V", "imo": "IMO 9999999", "flag": "PA"}, "crossing": "Dalian", "necessity": "useful",
"purpose": "steel", "exemption": "E1", "date": "2027-05-01"}]}`
	py, err := Parse([]byte(y), "a.yaml", YAML)
	if err != nil {
		t.Fatal(err)
	}
	pj, err := Parse([]byte(j), "a.json", JSON)
	if err != nil {
		t.Fatal(err)
	}
	ly, lj := py.Lines[0], pj.Lines[0]
	if ly.Pos.Path != lj.Pos.Path || ly.Pos.Line != 3 || lj.Pos.Line != 2 {
		t.Errorf("positions %+v / %+v", ly.Pos, lj.Pos)
	}
	ly.Pos, lj.Pos = tradeplan.Position{}, tradeplan.Position{}
	if *ly.Partner != *lj.Partner || *ly.Vessel != *lj.Vessel {
		t.Errorf("partner or vessel differ: %+v %+v / %+v %+v", ly.Partner, ly.Vessel, lj.Partner, lj.Vessel)
	}
	ly.Partner, lj.Partner, ly.Vessel, lj.Vessel = nil, nil, nil, nil
	if !reflect.DeepEqual(ly, lj) {
		t.Errorf("YAML line\n%+v\nJSON line\n%+v", ly, lj)
	}
	if py.Period != pj.Period || py.Country != pj.Country || py.ID != pj.ID {
		t.Errorf("headers differ: %+v / %+v", py, pj)
	}
}

// TestJSONLargeOneLine guards against counting lines and columns from the
// start of the document for every value: a one-line document of 5,000
// lines must parse in well under a second.
func TestJSONLargeOneLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"plan": {"id": "big", "country": "CN"}, "lines": [`)
	for i := 0; i < 5000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"direction": "import", "hs": "1006.30", "quantity": 1, "unit": "t", "partner": {"name": "Démo", "country": "TH"}}`)
	}
	b.WriteString(`, {"direction": "import", "hs": "x", "partner": {"country": "TH"}}]}`)
	_, err := Parse([]byte(b.String()), "big.json", JSON)
	got := problems(t, err)
	// The bad line's hs value: its column counts characters (é is one).
	want := `big.json:1:575083: lines[5001].hs: expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found "x"`
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems %q, want %q", got, want)
	}
}

// TestExamplesInJSON writes each YAML example as JSON and checks that it
// reads back to the same lines.
func TestExamplesInJSON(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			py, err := Parse(b, "y", YAML)
			if err != nil {
				t.Fatal(err)
			}
			j, err := json.MarshalIndent(planDocument(py), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			pj, err := Parse(j, "j", JSON)
			if err != nil {
				t.Fatal(err)
			}
			if len(pj.Lines) != len(py.Lines) {
				t.Fatalf("%d lines, want %d", len(pj.Lines), len(py.Lines))
			}
			for i := range py.Lines {
				a, b := py.Lines[i], pj.Lines[i]
				a.Pos, b.Pos = tradeplan.Position{}, tradeplan.Position{}
				if !reflect.DeepEqual(a, b) {
					t.Errorf("line %d:\nYAML %+v\nJSON %+v", i+1, a, b)
				}
			}
		})
	}
}

func TestJSONByteOrderMark(t *testing.T) {
	doc := "\ufeff" + `{"plan": {"id": "p", "country": "KP"}, "lines": [{"direction": "export", "hs": "x", "destination": "CN"}]}`
	_, err := Parse([]byte(doc), "bom.json", JSON)
	got := problems(t, err)
	want := `bom.json:1:80: lines[1].hs: expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found "x"`
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems %q, want %q", got, want)
	}
}
