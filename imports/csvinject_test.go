package imports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// TestCSVInjection: an applicant's description, a crossing's name or an
// override's reason that a spreadsheet would run as a formula comes out
// of the CSV report as text; figures keep their form.
func TestCSVInjection(t *testing.T) {
	r := &Result{Currency: "EUR", Lines: []*LineResult{{Plan: "=HYPERLINK(\"http://evil\")", Line: 1,
		Description: " =cmd|' /C calc'!A0", HS: "+1", Status: "funded", Crossing: "@SUM(A1)"}}}
	r.Budget.Receipts.Note = "-1+2"
	var b bytes.Buffer
	if err := Write(&b, r, CSV); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, c := range row {
			if s := strings.TrimLeft(c, " \""); s != "" && strings.ContainsRune("=+@", rune(s[0])) || strings.HasPrefix(c, "-1+") {
				t.Errorf("row %d column %d: %q reaches the spreadsheet as a formula", i+1, j+1, c)
			}
		}
	}
}
