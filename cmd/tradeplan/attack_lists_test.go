package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// The attacks of issue 12 on the sanctions lists (items 12 and 13), on
// each engine, with the real UN list of ../shared/data. The shrunk and older
// lists are made from it in t.TempDir().

var unEntry = regexp.MustCompile(`(?s)\s*<(INDIVIDUAL|ENTITY)>.*?</(INDIVIDUAL|ENTITY)>`)

// unVariant writes the real UN list with only the entries keep says to
// keep (by their order in the file) and, when date is not "", another
// dateGenerated.
func unVariant(t *testing.T, name string, keep func(i int, entry string) bool, date string) string {
	t.Helper()
	b, err := os.ReadFile(testUNList)
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	out := unEntry.ReplaceAllStringFunc(string(b), func(e string) string {
		defer func() { i++ }()
		if keep(i, e) {
			return e
		}
		return ""
	})
	if date != "" {
		out = regexp.MustCompile(`dateGenerated="[^"]*"`).ReplaceAllString(out, `dateGenerated="`+date+`"`)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAttackListShrinks (issue 12 item 12): a well-formed UN list with no
// entries, with three, or older than the stored one does not replace the
// 1,003-entry list without --force, by import or by update; the refusal
// says what would be lost; listed names keep matching.
func TestAttackListShrinks(t *testing.T) {
	needLists(t)
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			envs := map[string]string{"TRADEPLAN_DB": storetest.DSN(t, engine)}
			if code, out, errs := runWith(t, envs, "", "lists", "import", testUNList); code != exitOK || !strings.Contains(out, "imported un") {
				t.Fatalf("import: %d %s %s", code, out, errs)
			}
			listed := func() bool {
				t.Helper()
				code, out, errs := runWith(t, envs, "", "parties", "screen", "Pak Chang Ho")
				if code != exitOK && code != exitFindings {
					t.Fatalf("parties screen: %d %s", code, errs)
				}
				return strings.Contains(out, "KPi.006")
			}
			empty := unVariant(t, "empty.xml", func(int, string) bool { return false }, "")
			three := unVariant(t, "three.xml", func(i int, _ string) bool { return i < 3 }, "")
			older := unVariant(t, "older.xml", func(int, string) bool { return true }, "2025-06-30T00:00:00.000Z")

			// One command, three lists, each checked against the stored one:
			// all refused, nothing stored.
			code, out, errs := runWith(t, envs, "", "lists", "import", empty, three, older)
			if code != exitFailure {
				t.Fatalf("import exit %d, want %d (refused); out %s err %s", code, exitFailure, out, errs)
			}
			for _, r := range []struct {
				path string
				want []string
			}{
				{empty, []string{"would lose 1003 of 1003 entries", "CDi.001 ERIC BADEGE", "--force"}},
				{three, []string{"would lose 1000 of 1003 entries", "--force"}},
				{older, []string{"older than the stored version", "2025-06-30", "2026-02-27", "--force"}},
			} {
				line := ""
				for _, l := range strings.Split(errs, "\n") {
					if strings.HasPrefix(l, "tradeplan lists import: "+r.path+": ") {
						line = l
					}
				}
				for _, w := range r.want {
					if !strings.Contains(line, w) {
						t.Errorf("the refusal of %s does not say %q:\n%s", filepath.Base(r.path), w, errs)
					}
				}
			}
			code, out, _ = runWith(t, envs, "", "lists", "status")
			if code != exitOK || !strings.Contains(out, "individual=730") || !strings.Contains(out, "2026-02-27") {
				t.Fatalf("status after refusals: %s", out)
			}

			// lists update takes the same guard.
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, three) }))
			defer srv.Close()
			code, out, errs = runWith(t, envs, "", "lists", "update", "--only", "un", "--un-url", srv.URL+"/consolidated.xml")
			if code != exitFailure || !strings.Contains(errs, "would lose 1000 of 1003 entries") || !strings.Contains(errs, "previous version is kept") {
				t.Fatalf("update to three entries: %d out %s err %s", code, out, errs)
			}
			if !listed() {
				t.Fatal("after the refused imports and update Pak Chang Ho no longer matches")
			}

			// --force replaces whatever the list is, and says what went.
			code, out, errs = runWith(t, envs, "", "lists", "import", "--force", empty)
			if code != exitOK || !strings.Contains(out+errs, "lost") {
				t.Fatalf("forced import: %d out %s err %s", code, out, errs)
			}
			if listed() {
				t.Fatal("the forced empty list still matches")
			}
		})
	}
}

// screenPartner posts a one-line plan with a listed partner to base's
// /api/v1/screen and returns the plan report.
func screenPartner(t *testing.T, base, partner string) tradeplan.PlanReport {
	t.Helper()
	doc := `{"plan":{"id":"p","country":"CN"},"lines":[{"direction":"import","description":"milled rice","hs":"100630",
		"quantity":10,"unit":"t","origin":"KP","partner":{"name":"` + partner + `","country":"KP"}}]}`
	resp, err := http.Post(base+"/api/v1/screen", "application/json", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("screen: %d %s", resp.StatusCode, b)
	}
	var rep tradeplan.Report
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Plans) != 1 {
		t.Fatalf("screen answer %v: %s", err, b)
	}
	return rep.Plans[0]
}

func partyFinding(r tradeplan.PlanReport, id string) bool {
	for _, l := range r.Lines {
		for _, f := range l.Findings {
			if f.Match != nil && f.Match.EntryID == id {
				return true
			}
		}
	}
	return false
}

// TestAttackRunningServersSeeNewLists (issue 12 item 13): two servers on
// one database, started with no list; each answers that partners were not
// screened. A list imported through the store while they run is used by
// both for the next screening, without a restart.
func TestAttackRunningServersSeeNewLists(t *testing.T) {
	needLists(t)
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			a, _, _ := startServe(t, dsn)
			b, _, _ := startServe(t, dsn)
			const name, id = "Korea Mining Development Trading Corporation", "KPe.001"
			for _, base := range []string{a, b} {
				r := screenPartner(t, base, name)
				if partyFinding(r, id) {
					t.Fatalf("%s matched %s with no list loaded", base, id)
				}
				if len(r.Lists) != 0 || !strings.Contains(strings.Join(r.Notices, " "), "NOT screened") {
					t.Fatalf("%s: the answer does not say partners were not screened: lists %v notices %v", base, r.Lists, r.Notices)
				}
			}
			ctx := context.Background()
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			d, err := parties.ReadDataset(testUNList)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.PutDataset(ctx, d); err != nil {
				t.Fatal(err)
			}
			for _, base := range []string{a, b} {
				// The public endpoint checks the lists at most every
				// server.PublicListsMaxAge; licensing screenings at once
				// (TestLiveListsLicensingSeesImportAtOnce).
				var r tradeplan.PlanReport
				for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
					if r = screenPartner(t, base, name); partyFinding(r, id) {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("%s does not match %s 30 s after the list was imported: %+v", base, id, r.Lines[0].Findings)
					}
				}
				if len(r.Lists) != 1 || r.Lists[0].Name != "un" || r.Lists[0].Version != d.Version || len(r.Notices) != 0 {
					t.Fatalf("%s: lists %+v notices %v", base, r.Lists, r.Notices)
				}
			}
		})
	}
}

// TestScreenReportsSayNoLists: every format of `tradeplan screen` says in
// the report itself, not only on stderr, when partners were not screened,
// and names the lists when they were.
func TestScreenReportsSayNoLists(t *testing.T) {
	noDB := filepath.Join(t.TempDir(), "none.db")
	for _, f := range []string{"text", "json", "csv"} {
		t.Run(f, func(t *testing.T) {
			code, out, errs := runWith(t, map[string]string{"TRADEPLAN_DB": noDB}, "", "screen", "--format", f, "../../examples/cn-importer-2027.yaml")
			if code == exitUsage || code == exitFailure {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if !strings.Contains(out, "NOT screened") {
				t.Errorf("the %s report does not say partners were not screened:\n%.600s", f, out)
			}
			code, out, errs = runWith(t, map[string]string{"TRADEPLAN_DB": noDB}, "", "screen", "--format", f, "--lists", fixtureUN, "../../examples/cn-importer-2027.yaml")
			if code == exitUsage || code == exitFailure {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if strings.Contains(out, "NOT screened") || !strings.Contains(out, "un 2026-01-02") && !strings.Contains(out, `"version":"2026-01-02"`) {
				t.Errorf("the %s report with a list does not name it:\n%.600s", f, out)
			}
		})
	}
}

// TestLiveListsLicensingSeesImportAtOnce: the engine a licensing decision
// screens with (maxAge 0) is the one of the lists stored at that moment,
// imported by another process a moment before, on each engine; a public
// screening may use lists checked up to its maxAge ago.
func TestLiveListsLicensingSeesImportAtOnce(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			ctx := context.Background()
			server, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer server.Close()
			if err := server.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			base, lists, err := wireBase(ctx, server, engineOptions{})
			if err != nil {
				t.Fatal(err)
			}
			eng, err := withLists(base, lists)
			if err != nil {
				t.Fatal(err)
			}
			live := newLiveLists(server, base, eng, store.DatasetsStamp(lists), testLog(t))
			if e := live.Current(ctx, 0); e.Parties != nil {
				t.Fatal("lists before any import")
			}
			other, err := store.Open(ctx, dsn) // another process's handle
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			d, err := parties.ReadDataset(fixtureUN)
			if err != nil {
				t.Fatal(err)
			}
			if err := other.PutDataset(ctx, d); err != nil {
				t.Fatal(err)
			}
			if e := live.Current(ctx, time.Hour); e.Parties != nil {
				t.Fatal("a screening that accepts lists an hour old checked them anyway")
			}
			e := live.Current(ctx, 0)
			if e.Parties == nil || len(e.Parties.Search(parties.Query{Name: "Lee Tae Son"})) == 0 {
				t.Fatal("the licensing screening does not see the list imported a moment before")
			}
			if got, _ := e.Screener.Lists(); len(got) != 1 || got[0].Version != d.Version {
				t.Fatalf("screener lists %+v", got)
			}
			if e2 := live.Current(ctx, time.Hour); e2.Screener != e.Screener {
				t.Fatal("the public screening does not share the engine loaded")
			}
		})
	}
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
