package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan/licensing"
)

const casesUsage = `usage:
  tradeplan cases list [--status open|investigating|closed] [--json] [--db DSN]
  tradeplan cases show [--db DSN] ID
  tradeplan cases assign [--note TEXT] [--db DSN] ID USER_ID
  tradeplan cases investigate [--note TEXT] [--db DSN] ID
  tradeplan cases note [--db DSN] ID TEXT
  tradeplan cases close --outcome violation|no-violation|corrected|referred --reason TEXT [--db DSN] ID

Every flag of a customs declaration opens a case, one per declaration and
rule (docs/enforcement.md). The queue lists the most severe and oldest first.
An open case is set to investigating; notes are added to a case until it is
closed, each with who wrote it and when. A case is assigned to a compliance officer of the authority, and closed only
with an outcome and a reason; a closed case changes no more. Every change is
in the audit log.
`

func runCases(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, casesUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "list":
		return casesList(ctx, e, args[1:])
	case "show":
		return casesShow(ctx, e, args[1:])
	case "assign":
		return casesChange(ctx, e, "assign", args[1:])
	case "close":
		return casesChange(ctx, e, "close", args[1:])
	case "investigate":
		return casesChange(ctx, e, "investigate", args[1:])
	case "note":
		return casesChange(ctx, e, "note", args[1:])
	}
	fmt.Fprintf(e.stderr, "tradeplan cases: unknown verb %q (want list, show, assign, investigate, note or close)\n", args[0])
	fmt.Fprint(e.stderr, casesUsage)
	return exitUsage
}

func casesList(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "cases list", "cases list [--status S] [--json] [--db DSN]")
	status := fs.String("status", "", "only cases in this status")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "cases list", err)
	}
	defer db.Close()
	cs, err := svc.Cases(ctx, workflowActor, licensing.CaseFilter{Status: *status})
	if err != nil {
		return dbFail(e, "cases list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, cs); err != nil {
			return dbFail(e, "cases list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tSEVERITY\tSTATUS\tRULE\tDECLARATION\tPERMIT\tSUBJECT\tASSIGNEE\tOPENED")
	for _, c := range cs {
		as := "-"
		if c.Assignee != 0 {
			as = strconv.FormatInt(c.Assignee, 10)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", c.ID, c.Severity, c.Status, c.Rule, c.Declaration, c.Permit, c.Subject, as, c.OpenedAt.Format(time.DateOnly))
	}
	tw.Flush()
	return exitOK
}

func caseID(e *env, what, s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		fmt.Fprintf(e.stderr, "tradeplan cases %s: %q is not a case id\n", what, s)
		return 0, false
	}
	return id, true
}

func casesShow(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "cases show", "cases show [--db DSN] ID")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "tradeplan cases show: want one case id")
		return exitUsage
	}
	id, ok := caseID(e, "show", fs.Arg(0))
	if !ok {
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "cases show", err)
	}
	defer db.Close()
	c, err := svc.CaseByID(ctx, workflowActor, id)
	if err != nil {
		return dbFail(e, "cases show", err)
	}
	fmt.Fprintf(e.stdout, "case %d  %s  %s  %s\n", c.ID, c.Severity, c.Status, c.Rule)
	fmt.Fprintf(e.stdout, "declaration %s  permit %s  subject organisation %d\n%s\n", c.Declaration, c.Permit, c.Subject, c.Summary)
	if len(c.Citations) > 0 {
		fmt.Fprintf(e.stdout, "citations: %s\n", strings.Join(c.Citations, "; "))
	}
	for _, n := range c.Notes {
		fmt.Fprintf(e.stdout, "  %s %s: %s\n", n.At.Format(time.DateOnly), n.By, n.Text)
	}
	if c.Status == licensing.CaseClosed {
		fmt.Fprintf(e.stdout, "closed %s: %s: %s\n", c.ClosedAt.Format(time.DateOnly), c.Outcome, c.Reason)
	}
	return exitOK
}

func casesChange(ctx context.Context, e *env, verb string, args []string) int {
	fs := dbFlags(e, "cases "+verb, "cases "+verb+" ...")
	note := fs.String("note", "", "a note on the case")
	outcome := fs.String("outcome", "", "violation, no-violation, corrected or referred")
	reason := fs.String("reason", "", "why the case is closed")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	want := map[string]int{"assign": 2, "close": 1, "investigate": 1, "note": 2}[verb]
	if fs.NArg() != want {
		fmt.Fprint(e.stderr, casesUsage)
		return exitUsage
	}
	id, ok := caseID(e, verb, fs.Arg(0))
	if !ok {
		return exitUsage
	}
	ch := licensing.CaseChange{Note: *note, Close: verb == "close", Investigate: verb == "investigate", Outcome: *outcome, Reason: *reason}
	if verb == "note" {
		if *note != "" || strings.TrimSpace(fs.Arg(1)) == "" {
			fmt.Fprintln(e.stderr, "tradeplan cases note: want a case id and the note's text (no --note)")
			return exitUsage
		}
		ch.Note = fs.Arg(1)
	}
	if verb == "assign" {
		u, err := strconv.ParseInt(fs.Arg(1), 10, 64)
		if err != nil || u < 1 {
			fmt.Fprintf(e.stderr, "tradeplan cases assign: %q is not a user id\n", fs.Arg(1))
			return exitUsage
		}
		ch.Assignee = u
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "cases "+verb, err)
	}
	defer db.Close()
	c, err := svc.ChangeCase(cliActorContext(ctx, e), workflowActor, id, ch)
	if err != nil {
		return dbFail(e, "cases "+verb, err)
	}
	fmt.Fprintf(e.stdout, "case %d is %s\n", c.ID, c.Status)
	return exitOK
}
