package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
)

const plansUsage = `usage:
  tradeplan plans import --call ID --org ID [--draft] [--max-plan-lines N] [--db DSN] FILE
  tradeplan plans list [--call ID] [--json] [--db DSN]
  tradeplan plans show [--version N] [--json] [--db DSN] ID

import stores a plan document (YAML, JSON or CSV) as an organisation's plan for
a call and submits it: it is screened with the embedded rules and the lists and
nomenclatures imported into the database, and the report is kept with it
(--draft stores it unsubmitted). show lists each line's applicant and assessed
HS codes, verdict, status and what a pending line still needs.
`

func runPlans(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, plansUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "import":
		return plansImport(ctx, e, args[1:])
	case "list":
		return plansList(ctx, e, args[1:])
	case "show":
		return plansShow(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "tradeplan plans: unknown verb %q (want import, list or show)\n", args[0])
	fmt.Fprint(e.stderr, plansUsage)
	return exitUsage
}

func plansImport(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("plans import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	callID := fs.Int64("call", 0, "the call `id`")
	org := fs.Int64("org", 0, "the organisation `id` the plan is for")
	draft := fs.Bool("draft", false, "store it as a draft, not submitted")
	maxLinesFlag := maxPlanLinesFlag(e, fs)
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	maxLines, ok := maxPlanLines(e, "plans import", *maxLinesFlag)
	if !ok {
		return exitUsage
	}
	if fs.NArg() != 1 || *callID < 1 || *org < 1 {
		fmt.Fprintln(e.stderr, "tradeplan plans import: want --call ID, --org ID and one FILE")
		return exitUsage
	}
	file := fs.Arg(0)
	f, ok := plan.FormatFromName(file)
	if !ok {
		fmt.Fprintf(e.stderr, "tradeplan plans import: %s: want a .yaml, .yml, .json or .csv file\n", file)
		return exitUsage
	}
	r, err := os.Open(file)
	if err != nil {
		return dbFail(e, "plans import", err)
	}
	doc, err := plan.ReadWith(r, file, f, plan.Limits{MaxLines: max(maxLines, 0)})
	r.Close()
	if err != nil {
		return dbFail(e, "plans import", err)
	}
	db, _, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "plans import", err)
	}
	defer db.Close()
	eng, err := wire(ctx, db, engineOptions{})
	if err != nil {
		return dbFail(e, "plans import", err)
	}
	scr := eng.screener
	svc := licensing.NewService(licensing.Config{Store: db.Licensing(),
		Screen: func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
			return scr.Plan(ctx, p, screen.ForUsage(asOf, usage))
		}, RuleChanges: scr.Changes, MaxPlanLines: maxLines})
	rec, err := svc.CreatePlan(ctx, workflowActor, licensing.PlanInput{CallID: *callID, Organisation: *org, Plan: doc})
	if err != nil {
		return dbFail(e, "plans import", err)
	}
	if !*draft {
		if rec, err = svc.SubmitPlan(ctx, workflowActor, rec.ID); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan plans import: plan %d stored as a draft\n", rec.ID)
			return dbFail(e, "plans import", err)
		}
	}
	d, err := svc.Plan(ctx, workflowActor, rec.ID, 0)
	if err != nil {
		return dbFail(e, "plans import", err)
	}
	fmt.Fprintf(e.stdout, "plan %d of organisation %d for call %d: %s, %d lines", rec.ID, rec.Organisation, rec.CallID, rec.Status, len(d.Lines))
	if d.Summary != nil {
		fmt.Fprintf(e.stdout, " (%d prohibited, %d review, %d capped, %d clear)", d.Summary.Prohibited, d.Summary.Review, d.Summary.Capped, d.Summary.Clear)
	}
	fmt.Fprintln(e.stdout)
	return exitOK
}

func plansList(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("plans list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	callID := fs.Int64("call", 0, "only plans of this call `id`")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "plans list", err)
	}
	defer db.Close()
	ps, err := svc.Plans(ctx, workflowActor, *callID)
	if err != nil {
		return dbFail(e, "plans list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, ps); err != nil {
			return dbFail(e, "plans list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	name := orgNamer(ctx, db)
	fmt.Fprintln(tw, "ID\tCALL\tORGANISATION\tTITLE\tSTATUS\tVERSION\tLATE\tSUBMITTED")
	for _, p := range ps {
		sub := "-"
		if p.SubmittedAt != nil {
			sub = p.SubmittedAt.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%d\t%v\t%s\n", p.ID, p.CallID, name(p.Organisation), shorten(p.Title, 40), p.Status, p.Version, p.Late, sub)
	}
	tw.Flush()
	return exitOK
}

func plansShow(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("plans show", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	version := fs.Int("version", 0, "the version (default: the current one)")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "tradeplan plans show: want one plan ID")
		return exitUsage
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id < 1 {
		fmt.Fprintf(e.stderr, "tradeplan plans show: want a plan ID, got %q\n", fs.Arg(0))
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "plans show", err)
	}
	defer db.Close()
	d, err := svc.Plan(ctx, workflowActor, id, *version)
	if err != nil {
		return dbFail(e, "plans show", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, d); err != nil {
			return dbFail(e, "plans show", err)
		}
		return exitOK
	}
	fmt.Fprintf(e.stdout, "plan %d (%s) of organisation %d for call %d (%s, %s): %s, version %d of %d\n", d.Plan.ID, d.Plan.Title,
		d.Plan.Organisation, d.Plan.CallID, d.Period, d.CallStatus, d.Plan.Status, d.Version, len(d.Versions))
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tDIR\tGOODS\tAPPLICANT HS\tASSESSED HS\tVERDICT\tSTATUS\tCITATIONS / NEEDS")
	for _, l := range d.Lines {
		verdict := "-"
		if l.Verdict != nil {
			verdict = l.Verdict.String()
		}
		var notes []string
		if l.Decision != nil {
			notes = append(notes, l.Decision.Citations...)
			if l.Decision.PermitID != 0 {
				notes = append(notes, fmt.Sprintf("permit %d", l.Decision.PermitID))
			}
		} else {
			notes = l.Needs
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.Index, l.Direction, shorten(l.Description, 36), l.ApplicantHS, l.AssessedHS,
			verdict, l.Status, shorten(strings.Join(notes, "; "), 80))
	}
	tw.Flush()
	return exitOK
}
