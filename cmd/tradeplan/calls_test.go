package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// wf runs a workflow command in-process against the database dsn.
func wf(t *testing.T, dsn string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "TRADEPLAN_DB" {
			return dsn
		}
		return ""
	}}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestWorkflowCommands(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tp.db")
	ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	auth, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "Trade Authority", Kind: tradeplan.OrgAuthority})
	if err != nil {
		t.Fatal(err)
	}
	prov, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "North Hamgyong", Kind: tradeplan.OrgProvince, ParentID: auth.ID, Country: "KP"})
	if err != nil {
		t.Fatal(err)
	}
	site, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "Customs office", Kind: tradeplan.OrgSite, ParentID: auth.ID})
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "Hunchun importer", Kind: tradeplan.OrgCompany})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	deadline := time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)
	orgArg := func(o tradeplan.Organisation) string { return tradeplan.DecimalInt(o.ID).String() }

	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"open needs period and deadline", []string{"calls", "open"}, exitUsage, "", "--period: is required"},
		{"open with a bad period", []string{"calls", "open", "--period", "2027-H3", "--deadline", deadline}, exitUsage, "", "--period"},
		{"open", []string{"calls", "open", "--period", "2027-H1", "--deadline", deadline, "--guidance", "realistic exports, necessary imports",
			"--org", orgArg(prov), "--issuer", orgArg(auth)}, exitOK, "call 1 opened: plans for 2027-H1 (2027-01-01 to 2027-06-30)", ""},
		{"open with a deadline past", []string{"calls", "open", "--period", "2027-H1", "--deadline", "2020-01-01"}, exitUsage, "", "must be in the future"},
		{"list", []string{"calls", "list"}, exitOK, "2027-H1", ""},
		{"show", []string{"calls", "show", "1"}, exitOK, "0 submitted, 1 missing, 0 late", ""},
		{"show a missing call", []string{"calls", "show", "9"}, exitUsage, "", "call 9 not found"},
		{"unknown verb", []string{"calls", "reopen"}, exitUsage, "", "unknown verb"},
		{"add crossing", []string{"crossings", "add", "--id", "namyang-tumen", "--name", "Namyang-Tumen bridge", "--kind", "bridge", "--country", "KP,CN"}, exitOK, "crossing namyang-tumen added (closed)", ""},
		{"add it twice", []string{"crossings", "add", "--id", "namyang-tumen", "--name", "again"}, exitUsage, "", "already exists"},
		{"add a bad crossing", []string{"crossings", "add", "--id", "Bad Id", "--kind", "tunnel"}, exitUsage, "", "3 problems"},
		{"close a closed crossing", []string{"crossings", "close", "--reason", "x", "namyang-tumen"}, exitUsage, "", "already closed"},
		{"open without a reason", []string{"crossings", "open", "namyang-tumen"}, exitUsage, "", "reason is required"},
		{"open", []string{"crossings", "open", "--reason", "customs resumed", "namyang-tumen"}, exitOK, "crossing namyang-tumen is open", ""},
		{"list crossings", []string{"crossings", "list"}, exitOK, "namyang-tumen", ""},
		{"history", []string{"crossings", "history", "namyang-tumen"}, exitOK, "customs resumed", ""},
		{"permits none yet", []string{"permits", "list"}, exitOK, "NUMBER", ""},
		{"permits bad status", []string{"permits", "list", "--status", "approved"}, exitUsage, "", "--status"},
		{"permits expire", []string{"permits", "expire"}, exitOK, "0 permit(s) expired", ""},
		{"delegate to an office", []string{"orgs", "delegate", "--authority", orgArg(auth), "--office", orgArg(site), "--reason", "customs at Namyang"}, exitOK,
			"delegation 1: organisation " + orgArg(site) + " decides in the name of authority " + orgArg(auth), ""},
		{"delegate it twice", []string{"orgs", "delegate", "--authority", orgArg(auth), "--office", orgArg(site), "--reason", "again"}, exitUsage, "", "already holds a delegation"},
		{"delegate from a province", []string{"orgs", "delegate", "--authority", orgArg(prov), "--office", orgArg(site), "--reason", "x"}, exitUsage, "", "only an authority delegates"},
		{"delegate to an organisation outside", []string{"orgs", "delegate", "--authority", orgArg(auth), "--office", orgArg(other), "--reason", "x"}, exitUsage, "", "not an office under authority"},
		{"delegate without a reason", []string{"orgs", "delegate", "--authority", orgArg(auth), "--office", orgArg(site)}, exitUsage, "", "usage: tradeplan orgs delegate"},
		{"delegations", []string{"orgs", "delegations"}, exitOK, "customs at Namyang", ""},
		{"undelegate", []string{"orgs", "undelegate", "--reason", "office closed", "1"}, exitOK, "delegation 1 revoked", ""},
		{"undelegate twice", []string{"orgs", "undelegate", "--reason", "again", "1"}, exitUsage, "", "already revoked"},
		{"import for an organisation the call does not name", []string{"plans", "import", "--call", "1", "--org", orgArg(other), "../../examples/nhg-2023-h1.yaml"}, exitUsage, "", "call 1 is addressed to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := wf(t, dsn, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.err) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout with %q, stderr with %q", code, tc.code, out, errs, tc.out, tc.err)
			}
		})
	}

	code, out, _ := wf(t, dsn, "crossings", "history", "--json", "namyang-tumen")
	var h licensing.CrossingHistory
	if code != exitOK || json.Unmarshal([]byte(out), &h) != nil || len(h.Events) != 2 || h.Events[1].By != "system:cli" {
		t.Fatalf("history JSON (exit %d): %s", code, out)
	}
	code, out, _ = wf(t, dsn, "calls", "list", "--json")
	var calls []licensing.CallView
	if code != exitOK || json.Unmarshal([]byte(out), &calls) != nil || len(calls) != 1 || !calls[0].ForbidOwnReview || calls[0].Issuer != auth.ID {
		t.Fatalf("calls JSON (exit %d): %s", code, out)
	}
}

// TestPermitsListShowsApprovalAndBorderApart issues a permit through the
// service and lists it: approved, with its crossing closed, not usable.
func TestPermitsListShowsApprovalAndBorderApart(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tp.db")
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	org, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "North Hamgyong", Kind: tradeplan.OrgProvince, Country: "KP"})
	if err != nil {
		t.Fatal(err)
	}
	clear := func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, _ tradeplan.CapUsage) (tradeplan.PlanReport, error) {
		r := tradeplan.PlanReport{AsOf: asOf.Format(time.DateOnly)}
		for i, l := range p.Lines {
			r.Lines = append(r.Lines, tradeplan.LineReport{Index: i + 1, Description: l.Description, HS: tradeplan.HSAssignment{Code: l.HS}})
			r.Summary.Add(tradeplan.Clear)
		}
		return r, nil
	}
	svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: clear})
	sys := tradeplan.SystemActor("test")
	if _, err := svc.AddCrossing(ctx, sys, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen"}); err != nil {
		t.Fatal(err)
	}
	period := licensing.NextHalf(time.Now())
	call, err := svc.OpenCall(ctx, sys, tradeplan.Call{Period: period.Label, From: period.From, To: period.To, Deadline: time.Now().AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := svc.ImportPlan(ctx, sys, call.ID, org.ID, &tradeplan.Plan{Lines: []tradeplan.Line{{Direction: tradeplan.Import,
		Description: "milled rice", HS: "100630", Quantity: tradeplan.D(500), Unit: "t", Value: tradeplan.D(250000), Currency: "USD", Crossing: "Namyang-Tumen"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ApproveClear(ctx, sys, rec.ID, "food"); err != nil {
		t.Fatal(err)
	}
	code, out, errs := wf(t, dsn, "permits", "list")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a header and one permit:\n%s", out)
	}
	f := strings.Fields(lines[1])
	n := len(f)
	if !strings.HasPrefix(f[0], "TP-") || f[n-5] != "issued" || f[n-4] != "yes" || f[n-3] != "namyang-tumen" || f[n-2] != "closed" || f[n-1] != "no" {
		t.Fatalf("permit row %q", lines[1])
	}
}

func TestPlansImportListShow(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tp.db")
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	org, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "North Hamgyong Provincial Trade Bureau", Kind: tradeplan.OrgProvince, Country: "KP"})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	id := fmtNum(tradeplan.D(float64(org.ID)))
	deadline := time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
	if code, _, errs := wf(t, dsn, "calls", "open", "--period", licensing.NextHalf(time.Now()).Label, "--deadline", deadline, "--org", id); code != exitOK {
		t.Fatal(errs)
	}
	// Issue 12.2: a KP organisation's plan written as Vietnamese.
	vn := filepath.Join(t.TempDir(), "vn.yaml")
	if err := os.WriteFile(vn, []byte("plan:\n  id: vn\n  organisation: North Hamgyong\n  country: VN\n  period: 2027-H1\nlines:\n"+
		"  - {direction: export, description: frozen shrimp, hs: \"0306.17\", quantity: 10, unit: t, value: 1000, currency: USD, destination: CN}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string
	}{
		{"import a plan whose document names another country", []string{"plans", "import", "--call", "1", "--org", id, vn}, exitUsage, "", "country: a plan's country is its organisation's, KP: the document says VN"},
		{"import more lines than allowed", []string{"plans", "import", "--call", "1", "--org", id, "--max-plan-lines", "19", "../../examples/nhg-2023-h1.yaml"}, exitUsage, "", "at most 19 lines"},
		{"import the report's plan", []string{"plans", "import", "--call", "1", "--org", id, "--max-plan-lines", "20", "../../examples/nhg-2023-h1.yaml"}, exitOK, "20 lines (", ""},
		{"import it twice", []string{"plans", "import", "--call", "1", "--org", id, "../../examples/nhg-2023-h1.yaml"}, exitUsage, "", "already has plan"},
		{"import a missing call", []string{"plans", "import", "--call", "7", "--org", id, "../../examples/nhg-2023-h1.yaml"}, exitUsage, "", "call 7 not found"},
		{"import a bad file name", []string{"plans", "import", "--call", "1", "--org", id, "plan.txt"}, exitUsage, "", "want a .yaml"},
		{"list", []string{"plans", "list", "--call", "1"}, exitOK, "submitted", ""},
		{"show", []string{"plans", "show", "1"}, exitOK, "UNSCR 2371 (2017) OP9", ""},
		{"the call ranks imports", []string{"calls", "show", "1"}, exitOK, "imports first: budget 0 USD", ""},
		{"show a missing plan", []string{"plans", "show", "5"}, exitUsage, "", "plan 5 not found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := wf(t, dsn, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.err) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout with %q, stderr with %q", code, tc.code, out, errs, tc.out, tc.err)
			}
		})
	}
	_, out, _ := wf(t, dsn, "plans", "show", "--json", "1")
	var d licensing.PlanDetail
	if err := json.Unmarshal([]byte(out), &d); err != nil || d.Summary == nil || d.Summary.Prohibited < 10 {
		t.Fatalf("plan JSON: %v %+v", err, d.Summary)
	}
}

// TestCommandText: the administration commands store what their flags say,
// so their text is held to tradeplan.CheckText as the server's requests are.
func TestCommandText(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tp.db")
	tests := []struct {
		name string
		args []string
		errs string
	}{
		{"org name", []string{"orgs", "add", "--name", "Bad\x01Co", "--kind", "company", "--country", "CN"}, "--name: expected text without control characters"},
		{"org name on two lines", []string{"orgs", "add", "--name", "Bad\nCo", "--kind", "company", "--country", "CN"}, "--name: expected text without control characters; found a line break"},
		{"call guidance", []string{"calls", "open", "--period", "2027-H2", "--deadline", "2027-03-31", "--guidance", "a\xffb"}, "--guidance: expected UTF-8 text"},
		{"crossing name", []string{"crossings", "add", "--id", "x-y", "--name", "a\x1bb", "--kind", "road"}, "--name: expected text without control characters"},
		{"crossing reason", []string{"crossings", "close", "--reason", "a\x00", "x-y"}, "--reason: expected text without control characters; found a NUL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := wf(t, dsn, tc.args...)
			if code != exitUsage || !strings.Contains(errs, tc.errs) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errs, exitUsage, tc.errs)
			}
		})
	}
	// A guidance on several lines is text.
	if code, _, errs := wf(t, dsn, "calls", "open", "--period", "2027-H2", "--deadline", "2027-03-31", "--guidance", "realistic exports;\nnecessary imports"); code == exitUsage && strings.Contains(errs, "--guidance") {
		t.Fatalf("guidance on two lines refused: %s", errs)
	}
}
