package feasibility

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// TestCSVInjection: a plan's id or a line's description that a
// spreadsheet would run as a formula comes out of the CSV report as text.
func TestCSVInjection(t *testing.T) {
	var b bytes.Buffer
	err := WriteCSV(&b, []PlanResult{{ID: "@SUM(A1)", Lines: []LineResult{{Index: 1, Description: " =HYPERLINK(\"http://evil\")", HS: "-1+2"}}}})
	if err != nil {
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
