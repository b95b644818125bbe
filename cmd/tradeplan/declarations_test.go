package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeclarationsCommands: a customs file through the command line. Wheat
// flour under its permit depletes it; salted pollack with no permit is
// flagged prohibited citing 2371 by the real screener; the same file again
// changes nothing; a file with a bad row loads nothing and says where.
func TestDeclarationsCommands(t *testing.T) {
	dir, dsn, _, org, p := issuedPermit(t, "Tumen Grain")
	day := p.ValidFrom.AddDate(0, 0, 10).Format("2006-01-02")
	file := filepath.Join(dir, "customs-1.csv")
	csv := fmt.Sprintf("declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"+
		"CD-1,%d,%s,%s,CN,KP,110100,wheat flour,300,t,120000,USD,Namyang-Tumen\n"+
		"CD-2,%d,,%s,KP,CN,030569,salted pollack,20,t,30000,USD,Namyang-Tumen\n", org.ID, p.Number, day, org.ID, day)
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := wf(t, dsn, "declarations", "import", file)
	if code != exitFindings || !strings.Contains(out, "batch customs-1: 2 loaded") || !strings.Contains(out, "CD-2  prohibited") ||
		!strings.Contains(out, "UNSCR 2371 (2017) OP9") || !strings.Contains(out, "CD-2  no-permit") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	if strings.Contains(out, "CD-1  over-balance") {
		t.Fatalf("CD-1 flagged over balance:\n%s", out)
	}
	code, out, _ = wf(t, dsn, "declarations", "import", file)
	if code != exitOK || !strings.Contains(out, "nothing changed") {
		t.Fatalf("replay: exit %d %s", code, out)
	}
	code, out, _ = wf(t, dsn, "declarations", "list", "--flagged")
	// The crossing was never opened: CD-1 crossed a closed border.
	if code != exitOK || !strings.Contains(out, "no-permit,prohibited") || !strings.Contains(out, "crossing-closed") || strings.Count(out, "\n") != 3 {
		t.Fatalf("list --flagged: exit %d\n%s", code, out)
	}
	bad := filepath.Join(dir, "customs-2.csv")
	os.WriteFile(bad, []byte(strings.Replace(strings.Replace(csv, "CD-1", "CD-3", 1), ",20,t,", ",20,tonz,", 1)), 0o600)
	code, _, errs = wf(t, dsn, "declarations", "import", bad)
	if code != exitUsage || !strings.Contains(errs, "customs-2.csv:3:") || !strings.Contains(errs, "tonz") {
		t.Fatalf("bad file: exit %d %s", code, errs)
	}
	code, out, _ = wf(t, dsn, "declarations", "list", "--batch", "customs-2")
	if code != exitOK || strings.Contains(out, "CD-3") {
		t.Fatalf("a rejected file left declarations:\n%s", out)
	}
	// The flags are cases.
	code, out, _ = wf(t, dsn, "cases", "list", "--status", "open")
	if code != exitOK || !strings.Contains(out, "critical  open    prohibited") {
		t.Fatalf("cases list: exit %d\n%s", code, out)
	}
	// Investigated, with notes, each audited.
	if code, out, errs := wf(t, dsn, "cases", "investigate", "--note", "truck held at Namyang", "1"); code != exitOK || !strings.Contains(out, "case 1 is investigating") {
		t.Fatalf("investigate: exit %d %s %s", code, out, errs)
	}
	if code, _, errs := wf(t, dsn, "cases", "investigate", "1"); code != exitFailure && code != exitUsage || !strings.Contains(errs, "already being investigated") {
		t.Fatalf("investigate twice: exit %d %s", code, errs)
	}
	if code, out, errs := wf(t, dsn, "cases", "note", "1", "driver's papers name another consignee"); code != exitOK || !strings.Contains(out, "investigating") {
		t.Fatalf("note: exit %d %s %s", code, out, errs)
	}
	if code, _, _ := wf(t, dsn, "cases", "note", "1"); code != exitUsage {
		t.Fatalf("note without text: exit %d", code)
	}
	if code, out, _ := wf(t, dsn, "cases", "show", "1"); code != exitOK || !strings.Contains(out, "truck held at Namyang") || !strings.Contains(out, "another consignee") {
		t.Fatalf("show after notes:\n%s", out)
	}
	if code, out, _ := wf(t, dsn, "audit", "list", "--json"); code != exitOK || (!strings.Contains(out, "case.investigate") || !strings.Contains(out, "case.note")) {
		t.Fatalf("audit lacks the case changes:\n%.2000s", out)
	}
	if code, _, errs := wf(t, dsn, "cases", "close", "--outcome", "violation", "1"); code != exitUsage || !strings.Contains(errs, "reason") {
		t.Fatalf("close without a reason: exit %d %s", code, errs)
	}
	if code, out, errs := wf(t, dsn, "cases", "close", "--outcome", "violation", "--reason", "seized at the bridge", "1"); code != exitOK || !strings.Contains(out, "closed") {
		t.Fatalf("close: exit %d %s %s", code, out, errs)
	}
	if code, out, _ := wf(t, dsn, "cases", "show", "1"); code != exitOK || !strings.Contains(out, "seized at the bridge") {
		t.Fatalf("show: %s", out)
	}
	if code, _, errs := wf(t, dsn, "declarations", "tolerance", "t", "2"); code != exitOK {
		t.Fatalf("tolerance: %s", errs)
	}
	if code, _, _ := wf(t, dsn, "declarations", "tolerance", "t", "20"); code != exitUsage {
		t.Fatalf("tolerance 20%%: exit %d", code)
	}
}

// TestListImportSuspendsPermit: the report's story continued. A permit
// issued while its partner was not screened; importing the real UN list,
// which designates the partner, suspends it pending review and opens a
// case, and the import's summary says so.
func TestListImportSuspendsPermit(t *testing.T) {
	needLists(t)
	_, dsn, _, _, p := issuedPermit(t, "Korea Mining Development Trading Corporation")
	code, out, errs := wf(t, dsn, "lists", "import", testUNList)
	if code != exitOK || !strings.Contains(out, "1 permits hit, 1 suspended pending review") || !strings.Contains(out, "suspended "+p.Number) {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = wf(t, dsn, "permits", "list", "--status", "suspended")
	if code != exitOK || !strings.Contains(out, p.Number) {
		t.Fatalf("suspended permits:\n%s", out)
	}
	code, out, _ = wf(t, dsn, "cases", "list")
	if code != exitOK || !strings.Contains(out, "rescreen-hit") || !strings.Contains(out, p.Number) {
		t.Fatalf("cases:\n%s", out)
	}
	// Running again suspends nothing twice.
	code, out, _ = wf(t, dsn, "permits", "rescreen", "--reason", "check")
	if code != exitOK || !strings.Contains(out, "1 permits hit, 0 suspended") || !strings.Contains(out, "0 cases opened") {
		t.Fatalf("again:\n%s", out)
	}
}
