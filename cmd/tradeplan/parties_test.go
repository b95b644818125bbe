package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/internal/shareddata"
)

var (
	testUNList   = shareddata.Join(shareddata.UNList)
	testOFACList = shareddata.Join(shareddata.OFACList)
)

func needLists(t *testing.T) {
	t.Helper()
	shareddata.Path(t, shareddata.UNList)
	shareddata.Path(t, shareddata.OFACList)
}

func runWith(t *testing.T, envs map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return envs[k] }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// Made-up lists in the official formats (testdata/parties): the command
// tests do not need the real ones, which the golden test and package
// parties use.
var (
	fixtureUN   = filepath.Join("testdata", "parties", "un.xml")
	fixtureOFAC = filepath.Join("testdata", "parties", "ofac")
)

func TestPartiesScreen(t *testing.T) {
	lists := fixtureUN + "," + fixtureOFAC
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains []string
	}{
		{"romanisation json", []string{"parties", "screen", "--format", "json", "--lists", lists, "Lee Tae Son"}, "", exitFindings, []string{`"id": "KPi.901"`, `"strength": "strong"`, `lee~ri`}},
		{"stdin text", []string{"parties", "screen", "--lists", lists, "-"}, "Sam Chon Gang Trading Co Ltd\nHaeundae Fresh Fish Market\n", exitFindings, []string{"KPe.901", "SDN-901", "no match"}},
		{"no match", []string{"parties", "screen", "--lists", lists, "Haeundae Fresh Fish Market"}, "", exitOK, []string{"no match"}},
		{"vessel imo", []string{"parties", "screen", "--lists", lists, "--kind", "vessel", "--imo", "9187629"}, "", exitFindings, []string{"SDN-902", "IMO number 9187629"}},
		{"dob and country", []string{"parties", "screen", "--lists", lists, "--dob", "1950", "--country", "KP", "Ri Tae Son"}, "", exitFindings, []string{"year of birth 1950 matches", "nationality KP matches"}},
		{"bad format", []string{"parties", "screen", "--format", "xml", "x"}, "", exitUsage, nil},
		{"bad dob", []string{"parties", "screen", "--dob", "yesterday", "x"}, "", exitUsage, nil},
		{"no name", []string{"parties", "screen", "--lists", lists}, "", exitUsage, nil},
		{"bad list", []string{"parties", "screen", "--lists", "parties_test.go", "x"}, "", exitUsage, nil},
		{"explain", []string{"parties", "explain", "--lists", lists, "--id", "un:KPi.901", "Kim Tae Son"}, "", exitOK, []string{"score 0.", "tae=tae"}},
		{"explain unknown", []string{"parties", "explain", "--lists", lists, "--id", "un:KPi.999", "x"}, "", exitUsage, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runWith(t, nil, tc.stdin, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %s; stderr %s", code, tc.code, out, errs)
			}
			for _, c := range tc.contains {
				if !strings.Contains(out, c) {
					t.Errorf("output does not contain %q:\n%s", c, out)
				}
			}
		})
	}
	_, out, _ := runWith(t, nil, "", "parties", "screen", "--format", "json", "--lists", lists, "Lee Tae Son")
	var doc struct {
		Results []struct {
			Query   string
			Matches []struct{ List, ID string }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Results) != 1 || len(doc.Results[0].Matches) == 0 {
		t.Fatalf("json %v: %s", err, out)
	}
}

func TestListsImportStatusUpdate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "t.db")
	envs := map[string]string{"TRADEPLAN_DB": db}
	code, out, errs := runWith(t, envs, "", "lists", "import", fixtureUN, fixtureOFAC)
	if code != exitOK || !strings.Contains(out, "imported un") || !strings.Contains(out, "imported ofac") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	code, out, errs = runWith(t, envs, "", "lists", "status")
	if code != exitOK || !strings.Contains(out, "2026-01-02") || !strings.Contains(out, "ofac") {
		t.Fatalf("status: %d %s %s", code, out, errs)
	}
	code, out, _ = runWith(t, envs, "", "parties", "screen", "Lee Tae Son")
	if code != exitFindings || !strings.Contains(out, "KPi.901") {
		t.Fatalf("screen from db: %d %s", code, out)
	}
	if code, _, errs := runWith(t, envs, "", "lists", "import", "parties_test.go"); code != exitUsage || !strings.Contains(errs, "not a UN XML list") {
		t.Fatalf("import of a bad file: %d %s", code, errs)
	}
	// Update: the UN file downloads but does not parse (kept), OFAC downloads unchanged.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/un.xml":
			w.Write([]byte("<html>maintenance</html>"))
		case strings.HasPrefix(r.URL.Path, "/ofac/"):
			http.ServeFile(w, r, filepath.Join(fixtureOFAC, strings.TrimPrefix(r.URL.Path, "/ofac/")))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	code, out, errs = runWith(t, envs, "", "lists", "update", "--un-url", srv.URL+"/un.xml", "--ofac-url", srv.URL+"/ofac/")
	if code != exitFailure || !strings.Contains(errs, "previous version is kept") || !strings.Contains(out, "ofac unchanged") {
		t.Fatalf("update: %d out %s err %s", code, out, errs)
	}
	code, out, _ = runWith(t, envs, "", "lists", "status")
	if code != exitOK || !strings.Contains(out, "2026-01-02") {
		t.Fatalf("status after failed update: %s", out)
	}
	code, _, errs = runWith(t, map[string]string{"TRADEPLAN_DB": db, "TRADEPLAN_OFAC_URL": srv.URL + "/missing/"}, "", "lists", "update", "--only", "ofac")
	if code != exitFailure || !strings.Contains(errs, "404") {
		t.Fatalf("update 404: %d %s", code, errs)
	}
}

// TestPartiesScreenGolden compares the JSON report of a few names with
// testdata/parties/screen.golden.json (go test -run TestPartiesScreenGolden -update).
func TestPartiesScreenGolden(t *testing.T) {
	needLists(t)
	names := "Lee Je Son\nNam Chon Gang Trading Co., Ltd.\nDandong Hongxiang Industrial Development\nChonmasan\nHaeundae Fresh Fish Market\n"
	code, out, errs := runWith(t, nil, names, "parties", "screen", "--format", "json", "--top", "3",
		"--lists", testUNList+","+testOFACList, "-")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden := filepath.Join("testdata", "parties", "screen.golden.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if out != string(want) {
		t.Errorf("report differs from %s (run with -update after checking):\n%s", golden, out)
	}
}
