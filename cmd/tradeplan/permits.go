package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

const permitsUsage = `usage:
  tradeplan permits list [--status S] [--plan ID] [--call ID] [--json] [--db DSN]
  tradeplan permits expire [--db DSN]
  tradeplan permits signed [--db DSN] ID
  tradeplan permits verify [--keys FILE | --db DSN] FILE|-
  tradeplan permits rescreen --reason TEXT [--db DSN]

Each permit shows whether it stands (APPROVED) and, apart from that, whether
its crossing is open (BORDER) and so whether goods may cross under it now
(USABLE). Statuses: issued, suspended, revoked, expired, exhausted. expire
records as expired every issued or suspended permit whose window has passed.
signed prints a permit's signed form (what its QR code carries). verify checks
a signed form: with --keys (from 'tradeplan keys list --public') offline, by
the signature alone; else against the database too, which also tells its
status today (a revoked permit is genuine but revoked). It exits 0 for a
genuine permit that stands, 1 for one that is not genuine or no longer stands.
rescreen screens every issued or suspended permit and every open case again
with the stored lists and rules (run after 'lists import' and 'lists update'
by themselves): a permit now prohibited is suspended pending review.
`

func runPermits(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, permitsUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "expire":
		return permitsExpire(ctx, e, args[1:])
	case "signed":
		return permitsSigned(ctx, e, args[1:])
	case "verify":
		return permitsVerify(ctx, e, args[1:])
	case "rescreen":
		return permitsRescreen(ctx, e, args[1:])
	}
	if args[0] != "list" {
		fmt.Fprintf(e.stderr, "tradeplan permits: unknown verb %q (want list, expire, signed, verify or rescreen)\n", args[0])
		fmt.Fprint(e.stderr, permitsUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("permits list", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	status := fs.String("status", "", "only permits in this status")
	planID := fs.Int64("plan", 0, "only permits of this plan `id`")
	callID := fs.Int64("call", 0, "only permits of this call `id`")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan permits list: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	f := licensing.PermitFilter{PlanID: *planID, CallID: *callID, Status: tradeplan.PermitStatus(*status)}
	if f.Status != "" && !licensing.ValidPermitStatus(f.Status) {
		fmt.Fprintf(e.stderr, "tradeplan permits list: --status: want issued, suspended, revoked, expired or exhausted, got %q\n", *status)
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "permits list", err)
	}
	defer db.Close()
	ps, err := svc.Permits(ctx, workflowActor, f)
	if err != nil {
		return dbFail(e, "permits list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, ps); err != nil {
			return dbFail(e, "permits list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	name := orgNamer(ctx, db)
	fmt.Fprintln(tw, "NUMBER\tHOLDER\tDIR\tHS\tGOODS\tLEFT\tVALID\tSTATUS\tAPPROVED\tCROSSING\tBORDER\tUSABLE")
	yn := map[bool]string{true: "yes", false: "no"}
	for _, p := range ps {
		border := "closed"
		if p.BorderOpen {
			border = "open"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s/%s %s\t%s..%s\t%s\t%s\t%s\t%s\t%s\n", p.Number, name(p.Holder), p.Direction, p.HS,
			shorten(p.Description, 30), fmtNum(p.QuantityLeft), fmtNum(p.Quantity), p.Unit, p.ValidFrom.Format(time.DateOnly),
			p.ValidTo.Format(time.DateOnly), p.Effective, yn[p.Approved], p.Crossing, border, yn[p.Usable])
	}
	tw.Flush()
	return exitOK
}

func permitsExpire(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("permits expire", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan permits expire: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "permits expire", err)
	}
	defer db.Close()
	n, err := svc.ExpirePermits(ctx, workflowActor)
	if err != nil {
		return dbFail(e, "permits expire", err)
	}
	fmt.Fprintf(e.stdout, "%d permit(s) expired\n", n)
	return exitOK
}
