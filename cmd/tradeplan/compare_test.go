package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPartiesCompare(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TRADEPLAN_DB": filepath.Join(dir, "none.db")} // no database: no lists, weights all alike
	lists := fixtureUN + "," + fixtureOFAC

	code, out, errs := runWith(t, env, "", "parties", "compare", "Siemens AG", "Siemens GmbH")
	if code != exitOK || !strings.Contains(out, "score 0.880 (possible)") || !strings.Contains(out, "two different legal forms") {
		t.Errorf("text: %d %q %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("compare created a database")
	}
	code, out, errs = runWith(t, env, "", "parties", "compare", "--kind", "individual", "--format", "json", "--lists", lists, "Kin Yonh Chol", "KIM YONG CHOL")
	var c struct {
		Score float64
		Band  string
		Kind  string
	}
	if err := json.Unmarshal([]byte(out), &c); code != exitOK || err != nil || c.Band != "possible" || c.Kind != "individual" {
		t.Errorf("json: %d %q %q %v", code, out, errs, err)
	}

	// --pairs: one row per pair, in order, the kind of the row or of --kind.
	pairs := filepath.Join(dir, "pairs.csv")
	os.WriteFile(pairs, []byte("name1,name2,kind\nKin Yonh Chol,KIM YONG CHOL,individual\nSiemensAG,SIEMENS AG,\n金正恩,\"KIM, Jong Un\",individual\nOcean Star No. 39,OCEAN STAR 39,vessel\n"), 0o600)
	code, out, errs = runWith(t, env, "", "parties", "compare", "--lists", lists, "--pairs", pairs)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != exitOK || err != nil || len(rows) != 5 {
		t.Fatalf("pairs: %d %q %q %v", code, out, errs, err)
	}
	want := [][]string{
		{"name1", "name2", "kind", "score", "band", "explanation"},
		{"Kin Yonh Chol", "KIM YONG CHOL", "individual", "0.820", "possible"},
		{"SiemensAG", "SIEMENS AG", "entity", "1.000", "strong"},
		{"金正恩", "KIM, Jong Un", "individual", "0.990", "strong"},
		{"Ocean Star No. 39", "OCEAN STAR 39", "vessel", "1.000", "strong"},
	}
	for i, w := range want {
		for j, f := range w {
			if rows[i][j] != f {
				t.Errorf("row %d field %d: %q, want %q (%v)", i, j, rows[i][j], f, rows[i])
			}
		}
	}
	if !strings.Contains(rows[3][5], "Sino-Korean") {
		t.Errorf("explanation of 金正恩: %q", rows[3][5])
	}
	// The same from standard input, as JSON.
	code, out, _ = runWith(t, env, "Kim Jong Un,\"KIM, Jong Un\",individual\n", "parties", "compare", "--format", "json", "--pairs", "-")
	if code != exitOK || !strings.Contains(out, `"results"`) || !strings.Contains(out, `"band": "strong"`) {
		t.Errorf("pairs from stdin: %d %q", code, out)
	}

	// Bad input: the file, line and field.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("a,b\nc,d,ship\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--pairs", bad}, "bad.csv:2: kind"},
		{[]string{"--kind", "ship", "a", "b"}, "--kind"},
		{[]string{"--format", "xml", "a", "b"}, "--format"},
		{[]string{"a"}, "usage"},
		{[]string{"", "b"}, "required"},
	} {
		code, _, errs := runWith(t, env, "", append([]string{"parties", "compare"}, c.args...)...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: %d %q, want exit %d and %q", c.args, code, errs, exitUsage, c.want)
		}
	}
}
