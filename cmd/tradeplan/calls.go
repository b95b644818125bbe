package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/imports"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/store"
)

const callsUsage = `usage:
  tradeplan calls open --period 2027-H1 --deadline DATE [--guidance TEXT] [--org ID]...
        [--issuer ID] [--allow-late] [--allow-own-review] [--db DSN]
  tradeplan calls list [--json] [--db DSN]
  tradeplan calls show [--json] [--db DSN] ID

open asks organisations (--org, repeatable) to submit their plans for a period
by a deadline (a date: plans are taken until the end of that day, UTC; or an
RFC 3339 time). Reviewers may not decide on their own organisation's plans
unless --allow-own-review; plans after the deadline are refused unless
--allow-late. show lists who has submitted, who is late, and the totals of the
submitted plans by goods and crossing. The database is --db, else
$TRADEPLAN_DB, else ./tradeplan.db.
`

// workflowActor is who the command line acts as: the system, recorded as
// "system:cli" in the audit log.
var workflowActor = tradeplan.SystemActor("cli")

// openWorkflow opens (and migrates) the database and the licensing service
// over it. The command line does not screen: plans are submitted through
// the server.
func openWorkflow(ctx context.Context, e *env, dsn string) (*store.DB, *licensing.Service, error) {
	db, err := openMigrated(ctx, e, dsn)
	if err != nil {
		return nil, nil, err
	}
	return db, licensing.NewService(licensing.Config{Store: db.Licensing()}), nil
}

// idListFlag collects repeatable organisation ids ("--org 2 --org 3" or "--org 2,3").
type idListFlag []int64

func (f *idListFlag) String() string {
	s := make([]string, len(*f))
	for i, v := range *f {
		s[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(s, ",")
}

func (f *idListFlag) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 1 {
			return fmt.Errorf("want an organisation id, got %q", p)
		}
		*f = append(*f, n)
	}
	return nil
}

// workflowFail reports err and returns the exit status of its code.
func runCalls(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, callsUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "open":
		return callsOpen(ctx, e, args[1:])
	case "list":
		return callsList(ctx, e, args[1:])
	case "show":
		return callsShow(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "tradeplan calls: unknown verb %q (want open, list or show)\n", args[0])
	fmt.Fprint(e.stderr, callsUsage)
	return exitUsage
}

func callsOpen(ctx context.Context, e *env, args []string) int {
	fs := verbFlags(e, "calls", "open", callsUsage)
	period := fs.String("period", "", "the period plans cover: 2027-H1, 2027-Q3, 2027 or FROM/TO")
	deadline := fs.String("deadline", "", "plans are taken until the end of this `date` (or an RFC 3339 time)")
	guidance := fs.String("guidance", "", "what the call asks for, in words")
	var orgs idListFlag
	fs.Var(&orgs, "org", "an organisation `id` that must submit (repeatable)")
	issuer := fs.Int64("issuer", 0, "the issuing authority's organisation `id`")
	allowLate := fs.Bool("allow-late", false, "take plans after the deadline, marked late")
	allowOwn := fs.Bool("allow-own-review", false, "let reviewers decide on their own organisation's plans")
	offices := fs.Bool("include-offices", false, "take plans from the offices under the organisations named by --org too")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan calls open: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	var ps tradeplan.Problems
	c := tradeplan.Call{Guidance: *guidance, Organisations: orgs, Issuer: *issuer, AllowLate: *allowLate, ForbidOwnReview: !*allowOwn, IncludeOffices: *offices}
	if *period == "" {
		ps.Add(tradeplan.Position{Path: "--period"}, "", "is required, e.g. 2027-H1")
	} else if p, err := plan.ParsePeriod(*period); err != nil {
		ps.Add(tradeplan.Position{Path: "--period"}, "", "%s", tradeplan.ErrorMessage(err))
	} else {
		c.Period, c.From, c.To = p.Label, p.From, p.To
	}
	if *deadline == "" {
		ps.Add(tradeplan.Position{Path: "--deadline"}, "", "is required, e.g. 2026-12-31")
	} else if d, err := licensing.ParseDeadline(*deadline); err != nil {
		ps.Add(tradeplan.Position{Path: "--deadline"}, "", "%s", tradeplan.ErrorMessage(err))
	} else {
		c.Deadline = d
	}
	if err := ps.Err("calls open"); err != nil {
		return dbFail(e, "calls open", err)
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "calls open", err)
	}
	defer db.Close()
	c, err = svc.OpenCall(ctx, workflowActor, c)
	if err != nil {
		return dbFail(e, "calls open", err)
	}
	fmt.Fprintf(e.stdout, "call %d opened: plans for %s (%s to %s) by %s\n", c.ID, c.Period,
		c.From.Format(time.DateOnly), c.To.Format(time.DateOnly), licensing.DeadlineText(c.Deadline))
	return exitOK
}

func callsList(ctx context.Context, e *env, args []string) int {
	fs := verbFlags(e, "calls", "list", callsUsage)
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "calls list", err)
	}
	defer db.Close()
	cs, err := svc.Calls(ctx, workflowActor)
	if err != nil {
		return dbFail(e, "calls list", err)
	}
	if *asJSON {
		if cs == nil {
			cs = []licensing.CallView{}
		}
		if err := dbJSON(e.stdout, cs); err != nil {
			return dbFail(e, "calls list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	name := orgNamer(ctx, db)
	fmt.Fprintln(tw, "ID\tPERIOD\tDEADLINE\tSTATUS\tORGANISATIONS\tGUIDANCE")
	for _, c := range cs {
		orgs := make([]string, len(c.Organisations))
		for i, o := range c.Organisations {
			orgs[i] = name(o)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Period, licensing.DeadlineText(c.Deadline), c.Status, strings.Join(orgs, ", "), shorten(c.Guidance, 50))
	}
	tw.Flush()
	return exitOK
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func callsShow(ctx context.Context, e *env, args []string) int {
	fs := verbFlags(e, "calls", "show", callsUsage)
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "tradeplan calls show: want one call ID")
		return exitUsage
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id < 1 {
		fmt.Fprintf(e.stderr, "tradeplan calls show: want a call ID, got %q\n", fs.Arg(0))
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "calls show", err)
	}
	defer db.Close()
	rep, err := svc.Call(ctx, workflowActor, id)
	if err != nil {
		return dbFail(e, "calls show", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, rep); err != nil {
			return dbFail(e, "calls show", err)
		}
		return exitOK
	}
	c := rep.Call
	fmt.Fprintf(e.stdout, "call %d: %s (%s to %s), deadline %s, %s\n", c.ID, c.Period, c.From.Format(time.DateOnly),
		c.To.Format(time.DateOnly), licensing.DeadlineText(c.Deadline), c.Status)
	if c.Guidance != "" {
		fmt.Fprintf(e.stdout, "guidance: %s\n", c.Guidance)
	}
	st := rep.Standing
	fmt.Fprintf(e.stdout, "%d submitted, %d missing, %d late\n\n", st.Submitted, st.Missing, st.Late)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	name := orgNamer(ctx, db)
	fmt.Fprintln(tw, "ORGANISATION\tREQUIRED\tPLAN\tSTATUS\tLATE")
	for _, s := range st.Submissions {
		plan := "-"
		if s.Plan != 0 {
			plan = strconv.FormatInt(s.Plan, 10)
		}
		fmt.Fprintf(tw, "%s\t%v\t%s\t%s\t%v\n", name(s.Organisation), s.Required, plan, s.Status, s.Late)
	}
	tw.Flush()
	if rep.Totals != nil && len(rep.Totals.Goods) > 0 {
		fmt.Fprintln(e.stdout)
		tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DIRECTION\tHS\tLINES\tQUANTITY\tVALUE")
		for _, g := range rep.Totals.Goods {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s %s\t%s %s\n", g.Direction, g.HS, g.Lines, fmtNum(g.Quantity), g.Unit, fmtNum(g.Value), g.Currency)
		}
		tw.Flush()
		fmt.Fprintln(e.stdout)
		tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CROSSING\tDIRECTION\tLINES\tVALUE")
		for _, x := range rep.Totals.Crossings {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s %s\n", x.Crossing, x.Direction, x.Lines, fmtNum(x.Value), x.Currency)
		}
		tw.Flush()
	}
	if rk := importsRanking(rep); rk != nil {
		// The ranking of the call's imports (docs/imports.md#in-the-server).
		fmt.Fprintf(e.stdout, "\nimports first: budget %s %s, unallocated %s (docs/imports.md)\n", fmtNum(rk.Budget.Total), rk.Currency, fmtNum(rk.Budget.Unallocated))
		for _, n := range rk.Notices {
			fmt.Fprintln(e.stdout, "note: "+n)
		}
		tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RANK\tTIER\tSOURCE\tSTATUS\tFUNDED\tGOODS\tPLAN/LINE\tWEEK\tCROSSING")
		for i, l := range rk.Lines {
			fmt.Fprintf(tw, "%d\tT%d\t%s\t%s\t%s of %s %s\t%s\t%s/%d\t%s\t%s\n", i+1, l.Tier, l.TierSource, l.Status, fmtNum(l.FundedValue), fmtNum(l.Value), l.Currency,
				shorten(l.Description, 36), l.Plan, l.Line, dash(l.Week), dash(l.Crossing))
		}
		tw.Flush()
	} else if len(rep.ImportsFirst) > 0 {
		fmt.Fprintln(e.stdout, "\nimports first:")
		tw = tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RANK\tNECESSITY\tGOODS\tPLAN/LINE\tQUANTITY\tVERDICT\tSTATUS\tCROSSING")
		for _, it := range rep.ImportsFirst {
			nec := string(it.Necessity)
			if nec == "" {
				nec = "-"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d/%d\t%s %s\t%s\t%s\t%s\n", it.Rank, nec, shorten(it.Description, 36), it.Plan, it.Line,
				fmtNum(it.Quantity), it.Unit, it.Verdict, it.Status, it.Crossing)
		}
		tw.Flush()
	}
	return exitOK
}

func fmtNum(f tradeplan.Decimal) string { return f.String() }

// importsRanking is the ranking of a call's imports in its report, when the
// reader is the authority and it could be made.
func importsRanking(rep licensing.CallReport) *imports.Result {
	if rep.Imports == nil {
		return nil
	}
	return rep.Imports.Ranking
}
