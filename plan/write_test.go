package plan

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// sameLines reports the first difference between two plans' lines,
// positions aside, or "".
func sameLines(a, b *tradeplan.Plan) string {
	if len(a.Lines) != len(b.Lines) {
		return "line counts differ"
	}
	for i := range a.Lines {
		x, y := a.Lines[i], b.Lines[i]
		x.Pos, y.Pos = tradeplan.Position{}, tradeplan.Position{}
		if !reflect.DeepEqual(x, y) {
			return "line " + x.Pos.String() + ": " + strings.Join([]string{describe(x), describe(y)}, " / ")
		}
	}
	return ""
}

func describe(l tradeplan.Line) string {
	var b bytes.Buffer
	b.WriteString(string(l.Direction) + " " + l.Description + " " + l.HS + " " + l.Origin + ">" + l.Destination)
	if l.Partner != nil {
		b.WriteString(" partner " + l.Partner.Name + "/" + l.Partner.Country)
	}
	if l.Vessel != nil {
		b.WriteString(" vessel " + l.Vessel.Name + "/" + l.Vessel.IMO + "/" + l.Vessel.Flag)
	}
	return b.String()
}

// TestWriteRoundTrip writes every example in each format and reads it back.
func TestWriteRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../examples/*")
	for _, f := range files {
		format, ok := FormatFromName(f)
		if !ok {
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Read(fh, filepath.Base(f), format)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range []Format{YAML, JSON, CSV} {
			if format == CSV && out != CSV {
				continue // a line file has no plan header or directions to write a document with
			}
			t.Run(filepath.Base(f)+"/"+string(out), func(t *testing.T) {
				var b bytes.Buffer
				if err := Write(&b, p, out); err != nil {
					t.Fatal(err)
				}
				q, err := Read(bytes.NewReader(b.Bytes()), "again."+string(out), out)
				if err != nil {
					t.Fatalf("%v\n%s", err, b.String())
				}
				if d := sameLines(p, q); d != "" {
					t.Errorf("%s\n%s", d, b.String())
				}
				if out != CSV && (q.ID != p.ID || q.Country != p.Country || q.Organisation != p.Organisation || q.Period != p.Period) {
					t.Errorf("header %+v, want %+v", q, p)
				}
			})
		}
	}
}

func TestWriteYAMLShape(t *testing.T) {
	p, err := Parse([]byte(`plan: {id: p, organisation: O, country: KP, period: 2027-Q1}
lines:
  - {direction: export, description: "fish, frozen", hs: "0303", quantity: 1.5, unit: t, partner: {name: P, country: CN}, destination: CN}
  - {direction: import, hs: "2710.19", quantity: 100, unit: bbl, value: 9000, currency: usd, origin: RU, partner: {country: CN}, vessel: {flag: PA}}
`), "s.yaml", YAML)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, p, YAML); err != nil {
		t.Fatal(err)
	}
	want := `plan:
  id: "p"
  organisation: "O"
  country: "KP"
  period: "2027-Q1"
lines:
  - direction: "export"
    description: "fish, frozen"
    hs: "0303"
    quantity: 1.5
    unit: "t"
    partner:
      name: "P"
      country: "CN"
  - direction: "import"
    hs: "271019"
    quantity: 100
    unit: "bbl"
    value: 9000
    currency: "USD"
    partner:
      country: "CN"
    vessel:
      flag: "PA"
    origin: "RU"
`
	if b.String() != want {
		t.Errorf("YAML:\n%s\nwant:\n%s", b.String(), want)
	}
	if err := Write(&b, p, "xml"); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
		t.Errorf("unknown format: %v", err)
	}
}

// TestWriteRoundTripText round-trips awkward text through every format.
// Line breaks and tabs are text only in description and purpose; a NUL or
// another control character is text nowhere (tradeplan.CheckText).
func TestWriteRoundTripText(t *testing.T) {
	tests := []struct {
		name, text string
		multiline  bool // a line break or a tab: refused in names
		refused    bool // refused in every field
	}{
		{name: "CRLF", text: `a\r\nb`, multiline: true}, {name: "CR", text: `a\rb`, multiline: true}, {name: "tab", text: `tab\there`, multiline: true},
		{name: "NUL", text: `x\u0000y`, refused: true}, {name: "NEL", text: `a\u0085b`, refused: true}, {name: "escape", text: `a\u001bb`, refused: true},
		{name: "quotes", text: `\"q\"`},
		{name: "line separator", text: `a\u2028b`}, {name: "BOM", text: `\ufeffbom`}, {name: "backslash", text: `a\\b`},
		{name: "accents", text: `é\u00e9`}, {name: "comma", text: `Demo Co., Ltd.`}, {name: "YAML-looking", text: `- [x]: {y}`}, {name: "number-looking", text: `0305`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := `{"plan": {"id": "p", "country": "KP"}, "lines": [{"direction": "export", "description": "` + tt.text +
				`", "destination": "CN", "partner": {"name": "` + tt.text + `"}, "crossing": "` + tt.text + `"}]}`
			p, err := Parse([]byte(doc), "t.json", JSON)
			if tt.refused || tt.multiline {
				var paths []string
				var e *tradeplan.Error
				if errors.As(err, &e) {
					for _, pr := range e.Problems {
						paths = append(paths, pr.Pos.Path)
					}
				}
				want := []string{"lines[1].partner.name", "lines[1].crossing"}
				if tt.refused {
					want = append([]string{"lines[1].description"}, want...)
				}
				if !slices.Equal(paths, want) {
					t.Fatalf("problems at %v, want %v: %v", paths, want, err)
				}
				// In a description alone, a line break or a tab is text.
				if tt.refused {
					return
				}
				doc = `{"plan": {"id": "p", "country": "KP"}, "lines": [{"direction": "export", "description": "` + tt.text +
					`", "destination": "CN", "partner": {"name": "P"}, "crossing": "C"}]}`
				if p, err = Parse([]byte(doc), "t.json", JSON); err != nil {
					t.Fatal(err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			checkRoundTrip(t, p)
		})
	}
}
