package plan

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// problems returns the problem lines of an EInvalid error, or fails.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var e *tradeplan.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *tradeplan.Error", err, err)
	}
	if e.Code != tradeplan.EInvalid {
		t.Fatalf("error code %q, want %q", e.Code, tradeplan.EInvalid)
	}
	var out []string
	for _, p := range e.Problems {
		out = append(out, p.String())
	}
	return out
}

const header = "plan: {id: p1, organisation: Org, country: KP, period: 2023-H1}\n"

func TestParseYAMLProblems(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{
			name: "unit misspelt",
			doc: header + `lines:
  - {direction: export, description: coal, quantity: 5, unit: tonz, partner: {country: CN}}
`,
			want: []string{`f.yaml:3:63: lines[1].unit: expected one of t, kg, g, lb, l, m3, bbl, gal, pcs, pairs, doz, m2, m, kwh, mwh (or a name such as tonnes); found "tonz"; did you mean "ton"?`},
		},
		{
			name: "unknown field with suggestion",
			doc: header + `lines:
  - direction: export
    descripton: coal
    hs: "2701"
    destination: CN
`,
			want: []string{`f.yaml:4:5: lines[1].descripton: unknown field; expected one of direction, description, hs, quantity, unit, value, currency, partner, vessel, crossing, necessity, purpose, source, origin, destination, exemption, date; did you mean "description"?`},
		},
		{
			name: "unknown field far from any",
			doc: header + `lines:
  - {direction: export, hs: "2701", destination: CN, colour: red}
`,
			want: []string{`f.yaml:3:54: lines[1].colour: unknown field; expected one of direction, description, hs, quantity, unit, value, currency, partner, vessel, crossing, necessity, purpose, source, origin, destination, exemption, date`},
		},
		{
			name: "comma in a flow mapping",
			doc: header + `lines:
  - {direction: export, hs: "2701", partner: {name: Acme Co., Ltd., country: CN}}
`,
			want: []string{`f.yaml:3:63: lines[1].partner.Ltd.: unknown field; expected one of name, country (in a {...} mapping a comma ends a value: quote a value that contains a comma)`},
		},
		{
			name: "missing direction and goods",
			doc: header + `lines:
  - {destination: CN}
`,
			want: []string{
				`f.yaml:3:5: lines[1].direction: required (export or import)`,
				`f.yaml:3:5: lines[1].description: required when hs is not given`,
			},
		},
		{
			name: "bad direction necessity currency",
			doc: header + `lines:
  - direction: exprot
    hs: "2701"
    destination: CN
    necessity: vital
    value: 10
    currency: usdd
`,
			want: []string{
				`f.yaml:3:16: lines[1].direction: expected export or import; found "exprot"; did you mean "export"?`,
				`f.yaml:6:16: lines[1].necessity: expected critical, essential or useful; found "vital"`,
				`f.yaml:8:15: lines[1].currency: expected an ISO 4217 currency code such as USD, EUR or CNY; found "usdd"; did you mean "USD"?`,
			},
		},
		{
			name: "quantity without unit and value without currency",
			doc: header + `lines:
  - {direction: export, hs: "2701", destination: CN, quantity: 5, value: 7}
`,
			want: []string{
				`f.yaml:3:5: lines[1].unit: required when quantity is given`,
				`f.yaml:3:5: lines[1].currency: required when value is given`,
			},
		},
		{
			name: "negative and non-numeric amounts",
			doc: header + `lines:
  - {direction: export, hs: "2701", destination: CN, quantity: -5, unit: t, value: "1,000", currency: USD}
`,
			want: []string{
				`f.yaml:3:64: lines[1].quantity: expected a number of at least 0; found "-5"`,
				`f.yaml:3:84: lines[1].value: expected a number; found "1,000": use a point: 1.5 (a comma is neither a decimal nor a thousands separator)`,
			},
		},
		{
			name: "bad hs codes",
			doc: header + `lines:
  - {direction: export, hs: "03a5", destination: CN}
  - {direction: export, hs: "30569", destination: CN}
  - {direction: export, hs: "03056912345", destination: CN}
  - {direction: export, hs: "0305.6", destination: CN}
`,
			want: []string{
				`f.yaml:3:29: lines[1].hs: expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found "03a5"`,
				`f.yaml:4:29: lines[2].hs: expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found "30569" (5 digits: a leading zero lost?)`,
				`f.yaml:5:29: lines[3].hs: expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found "03056912345"`,
				`f.yaml:6:29: lines[4].hs: expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found "0305.6" (5 digits: a zero lost?)`,
			},
		},
		{
			name: "bad countries",
			doc: header + `lines:
  - {direction: export, hs: "2701", destination: Chna}
  - {direction: import, hs: "2701", origin: Atlantis}
  - {direction: import, hs: "2701", origin: korea}
`,
			want: []string{
				`f.yaml:3:50: lines[1].destination: expected an ISO 3166 country code or name; found "Chna"; did you mean "China"?`,
				`f.yaml:4:45: lines[2].origin: expected an ISO 3166 country code or name; found "Atlantis"`,
				`f.yaml:5:45: lines[3].origin: expected an ISO 3166 country code or name; found "korea", which is ambiguous: write KP (the DPRK) or KR (the Republic of Korea)`,
			},
		},
		{
			name: "export without destination",
			doc: header + `lines:
  - {direction: export, hs: "2701", partner: {name: Acme}}
  - {direction: import, hs: "2701"}
`,
			want: []string{
				`f.yaml:3:5: lines[1].destination: required for an export when partner.country is not given`,
				`f.yaml:4:5: lines[2].origin: required for an import when partner.country is not given`,
			},
		},
		{
			name: "vessel and partner problems",
			doc: header + `lines:
  - {direction: export, hs: "2701", destination: CN, vessel: {imo: "IMO 12345", flag: Panamaa}}
  - {direction: export, hs: "2701", destination: CN, vessel: {}, partner: {}}
  - {direction: export, hs: "2701", destination: CN, source: {}}
`,
			want: []string{
				`f.yaml:3:68: lines[1].vessel.imo: expected an IMO number of 7 digits, optionally prefixed IMO; found "IMO 12345"`,
				`f.yaml:3:87: lines[1].vessel.flag: expected an ISO 3166 country code or name; found "Panamaa"; did you mean "Panama"?`,
				`f.yaml:4:62: lines[2].vessel: expected a name, an imo or a flag; found none`,
				`f.yaml:4:75: lines[2].partner: expected a name or a country; found neither`,
				`f.yaml:5:62: lines[3].source.site: required`,
			},
		},
		{
			name: "wrong kinds",
			doc: header + `lines:
  - {direction: [export], hs: "2701", destination: CN, partner: Acme}
  - just a string
`,
			want: []string{
				`f.yaml:3:17: lines[1].direction: expected a single value; found a list`,
				`f.yaml:3:65: lines[1].partner: expected a mapping with name, country; found the string "Acme"`,
				`f.yaml:4:5: lines[2]: expected a mapping with direction, description, hs, quantity, unit, value, currency, partner, vessel, crossing, necessity, purpose, source, origin, destination, exemption, date; found the string "just a string"`,
			},
		},
		{
			name: "date outside the period and malformed date",
			doc: header + `lines:
  - {direction: export, hs: "2701", destination: CN, date: 2023-09-01}
  - {direction: export, hs: "2701", destination: CN, date: 01/02/2023}
`,
			want: []string{
				`f.yaml:3:60: lines[1].date: 2023-09-01 is outside the plan period 2023-H1 (2023-01-01 to 2023-06-30)`,
				`f.yaml:4:60: lines[2].date: expected a date YYYY-MM-DD; found "01/02/2023"`,
			},
		},
		{
			name: "header problems",
			doc: `plan: {id: "bad id", country: Narnia, period: 2023-H3, organization: X}
lines: []
`,
			want: []string{
				`f.yaml:1:12: plan.id: expected an id of letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit); found "bad id"`,
				`f.yaml:1:31: plan.country: expected an ISO 3166 country code or name; found "Narnia"`,
				`f.yaml:1:47: plan.period: expected a period such as 2027, 2027-H1, 2027-Q3, 2027-03 or 2027-01-01/2027-06-30; found "2023-H3"`,
				`f.yaml:1:56: plan.organization: unknown field; expected one of id, organisation, country, period; did you mean "organisation"?`,
				`f.yaml:2:8: lines: expected at least one line; found an empty list`,
			},
		},
		{
			name: "missing plan fields",
			doc: `plan: {organisation: X}
lines:
  - {direction: export, hs: "2701", destination: CN}
`,
			want: []string{
				`f.yaml:1:7: plan.id: required`,
				`f.yaml:1:7: plan.country: required (the country the plan's directions are relative to)`,
			},
		},
		{
			name: "empty values are absent",
			doc: `plan: {id: "", country: " "}
lines:
  - {direction: "", description: "", hs: ""}
  - {direction: export, hs: "03", destination: "", value: 1, currency: "", partner: {name: ""}}
`,
			want: []string{
				`f.yaml:1:7: plan.id: required`,
				`f.yaml:1:7: plan.country: required (the country the plan's directions are relative to)`,
				`f.yaml:3:5: lines[1].direction: required (export or import)`,
				`f.yaml:3:5: lines[1].description: required when hs is not given`,
				`f.yaml:4:5: lines[2].currency: required when value is given`,
				`f.yaml:4:5: lines[2].destination: required for an export when partner.country is not given`,
				`f.yaml:4:85: lines[2].partner: expected a name or a country; found neither`,
			},
		},
		{
			name: "missing plan and lines",
			doc:  "foo: 1\n",
			want: []string{
				`f.yaml:1:1: foo: unknown field; expected one of plan, lines`,
				`f.yaml:1:1: plan: required`,
				`f.yaml:1:1: lines: required`,
			},
		},
		{
			name: "period from after to",
			doc: `plan: {id: p, country: KP, period: {from: 2027-06-30, to: 2027-01-01}}
lines: [{direction: export, hs: "2701", destination: CN}]
`,
			want: []string{`f.yaml:1:59: plan.period.to: the period ends (2027-01-01) before it starts (2027-06-30)`},
		},
		{
			name: "period mapping incomplete",
			doc: `plan: {id: p, country: KP, period: {from: 2027-13-01}}
lines: [{direction: export, hs: "2701", destination: CN}]
`,
			want: []string{`f.yaml:1:36: plan.period.to: required`},
		},
		{
			name: "repeated field",
			doc: header + `lines:
  - {direction: export, hs: "2701", destination: CN, hs: "2702"}
`,
			want: []string{`f.yaml:3:54: lines[1].hs: repeated field (first at line 3)`},
		},
		{
			name: "not a mapping",
			doc:  "- a\n- b\n",
			want: []string{`f.yaml:1:1: expected a mapping with plan, lines; found a list`},
		},
		{
			name: "lines not a list",
			doc:  header + "lines: 3\n",
			want: []string{`f.yaml:2:8: lines: expected a list of lines; found the number 3`},
		},
		{
			name: "empty document",
			doc:  "# nothing\n",
			want: []string{`f.yaml:1:1: empty document; expected a mapping with plan and lines`},
		},
		{
			name: "two documents",
			doc:  header + "lines: [{direction: export, hs: '2701', destination: CN}]\n---\nplan: {}\n",
			want: []string{`f.yaml:3:1: expected one document; found a second one`},
		},
		{
			name: "syntax error",
			doc:  header + "lines:\n  - direction: export\n   hs: 1\n",
			want: []string{`f.yaml:2: YAML syntax: did not find expected '-' indicator`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.doc), "f.yaml", YAML)
			if err == nil {
				t.Fatalf("no error; plan %+v", p)
			}
			if p != nil {
				t.Errorf("a plan was returned with the error")
			}
			got := problems(t, err)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestParseResolves(t *testing.T) {
	doc := `plan:
  id: cn-1
  organisation: Example Importer
  country: PRC
  period: 2027-q3
lines:
  - direction: import
    description: frozen crab
    hs: 0306.14
    quantity: 1,5
    unit: tonnes
    partner: {name: A, country: North Korea}
    exemption: ""
`
	_, err := Parse([]byte(doc), "f.yaml", YAML)
	got := problems(t, err)
	want := `f.yaml:10:15: lines[1].quantity: expected a number; found "1,5": use a point: 1.5 (a comma is neither a decimal nor a thousands separator)`
	if len(got) != 1 || got[0] != want {
		t.Fatalf("problems %q, want %q", got, want)
	}

	doc = strings.Replace(doc, "1,5", "1.5", 1)
	p, err := Parse([]byte(doc), "f.yaml", YAML)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "cn-1" || p.Country != "CN" || p.Period.Label != "2027-Q3" || p.File != "f.yaml" {
		t.Errorf("plan header %+v", p)
	}
	if !p.Period.From.Equal(time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC)) || !p.Period.To.Equal(time.Date(2027, 9, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("period %v to %v", p.Period.From, p.Period.To)
	}
	l := p.Lines[0]
	want2 := tradeplan.Line{Index: 1, Pos: tradeplan.Position{File: "f.yaml", Line: 7, Column: 5, Path: "lines[1]"},
		Direction: tradeplan.Import, Description: "frozen crab", HS: "030614", Origin: "KP", Destination: "CN",
		Quantity: tradeplan.D(1.5), Unit: "t", Partner: &tradeplan.Party{Name: "A", Country: "KP"}}
	if l.Partner == nil || *l.Partner != *want2.Partner {
		t.Errorf("partner %+v", l.Partner)
	}
	l.Partner, want2.Partner = nil, nil
	if !reflect.DeepEqual(l, want2) {
		t.Errorf("line\n%+v\nwant\n%+v", l, want2)
	}
}

func TestDerivedOriginDestination(t *testing.T) {
	tests := []struct {
		name        string
		line        string
		origin      string
		destination string
	}{
		{"export to the partner's country", `{direction: export, hs: "0303", partner: {country: CN}}`, "KP", "CN"},
		{"export with a destination given", `{direction: export, hs: "0303", partner: {country: CN}, destination: RU}`, "KP", "RU"},
		{"export of foreign goods", `{direction: export, hs: "0303", origin: Russia, destination: CN}`, "RU", "CN"},
		{"import from the partner's country", `{direction: import, hs: "1006", partner: {country: PRC}}`, "CN", "KP"},
		{"import with an origin given", `{direction: import, hs: "1006", partner: {country: CN}, origin: Viet Nam}`, "VN", "KP"},
		{"import to a third country", `{direction: import, hs: "1006", origin: TH, destination: CN}`, "TH", "CN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(header+"lines:\n  - "+tt.line+"\n"), "f.yaml", YAML)
			if err != nil {
				t.Fatal(err)
			}
			l := p.Lines[0]
			if l.Origin != tt.origin || l.Destination != tt.destination {
				t.Errorf("origin %s destination %s, want %s %s", l.Origin, l.Destination, tt.origin, tt.destination)
			}
		})
	}
}

func TestHSForms(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"quoted", `"030569"`, "030569"},
		{"quoted with dot", `"0305.69"`, "030569"},
		{"unquoted keeps leading zero", `030569`, "030569"},
		{"unquoted float", `0305.69`, "030569"},
		{"integer without its zero", `30569`, "030569"},
		{"chapter", `27`, "27"},
		{"national", `"2710.19.43"`, "27101943"},
		{"spaces", `"0305 69"`, "030569"},
		{"float without its trailing zero", `2710.1`, "271010"},
		{"float without both zeros", `305.6`, "030560"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(header+"lines:\n  - {direction: export, destination: CN, hs: "+tt.yaml+"}\n"), "f.yaml", YAML)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Lines[0].HS; got != tt.want {
				t.Errorf("hs %q, want %q", got, tt.want)
			}
		})
	}
}

func TestYAMLAnchors(t *testing.T) {
	doc := header + `x-partners: &cn {name: "Demo Co., Ltd.", country: CN}
lines:
  - {direction: export, hs: "0303", partner: *cn}
`
	_, err := Parse([]byte(doc), "f.yaml", YAML)
	// Only plan and lines are top-level fields: anchors go inside them.
	if got := problems(t, err); len(got) != 1 || !strings.Contains(got[0], "x-partners: unknown field") {
		t.Fatalf("problems %q", got)
	}
	doc = header + `lines:
  - {direction: export, hs: "0303", partner: &cn {name: "Demo Co., Ltd.", country: CN}}
  - {direction: export, hs: "0304", partner: *cn}
`
	p, err := Parse([]byte(doc), "f.yaml", YAML)
	if err != nil {
		t.Fatal(err)
	}
	if p.Lines[1].Partner.Name != "Demo Co., Ltd." || p.Lines[1].Destination != "CN" {
		t.Errorf("aliased partner %+v", p.Lines[1].Partner)
	}
}

func TestYAMLMergeKeys(t *testing.T) {
	doc := `plan: {id: p, country: KP}
lines:
  - &fish
    direction: export
    hs: "0303"
    unit: t
    currency: USD
    partner: {name: Demo, country: CN}
    crossing: Rajin port
  - <<: *fish
    description: frozen herring
    hs: "0303.51"
    quantity: 5
  - <<: [*fish]
    quantity: 1
    colour: red
`
	_, err := Parse([]byte(doc), "m.yaml", YAML)
	got := problems(t, err)
	want := []string{"m.yaml:16:5: lines[3].colour: unknown field; expected one of direction, description, hs, quantity, unit, value, currency, partner, vessel, crossing, necessity, purpose, source, origin, destination, exemption, date"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	p, err := Parse([]byte(strings.Replace(doc, "    colour: red\n", "", 1)), "m.yaml", YAML)
	if err != nil {
		t.Fatal(err)
	}
	l := p.Lines[1]
	if l.HS != "030351" || l.Description != "frozen herring" || l.Unit != "t" || l.Crossing != "Rajin port" || l.Destination != "CN" || l.Quantity.Cmp(tradeplan.D(5)) != 0 {
		t.Errorf("merged line %+v", l)
	}
	if l := p.Lines[2]; l.HS != "0303" || l.Quantity.Cmp(tradeplan.D(1)) != 0 || l.Partner.Name != "Demo" {
		t.Errorf("line merged from a list %+v", l)
	}
	_, err = Parse([]byte("plan: {id: p, country: KP}\nlines:\n  - {<<: 3, direction: export, hs: '03', destination: CN}\n"), "m.yaml", YAML)
	if got := problems(t, err); len(got) != 1 || !strings.Contains(got[0], "expected a mapping or a list of mappings to merge; found the number 3") {
		t.Errorf("problems %q", got)
	}
}
