package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"
)

// The authority's delegations to its offices (docs/workflow.md, "Who may do
// what"), made from the command line as the system actor.

func runOrgsDelegate(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "orgs delegate", "orgs delegate --authority ID --office ID --reason TEXT [--db DSN]")
	dsn := dbFlag(fs)
	authority := fs.Int64("authority", 0, "the authority's organisation `id` (required)")
	office := fs.Int64("office", 0, "the office's organisation `id`, under the authority (required)")
	reason := fs.String("reason", "", "why the office decides in the authority's name (required)")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 || *authority == 0 || *office == 0 || *reason == "" {
		fs.Usage()
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "orgs delegate", err)
	}
	defer db.Close()
	d, err := svc.Delegate(ctx, workflowActor, *authority, *office, *reason)
	if err != nil {
		return dbFail(e, "orgs delegate", err)
	}
	fmt.Fprintf(e.stdout, "delegation %d: organisation %d decides in the name of authority %d\n", d.ID, d.Office, d.Authority)
	return exitOK
}

func runOrgsUndelegate(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "orgs undelegate", "orgs undelegate --reason TEXT [--db DSN] DELEGATION-ID")
	dsn := dbFlag(fs)
	reason := fs.String("reason", "", "why the delegation ends (required)")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if fs.NArg() != 1 || err != nil || *reason == "" {
		fs.Usage()
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "orgs undelegate", err)
	}
	defer db.Close()
	d, err := svc.RevokeDelegation(ctx, workflowActor, id, *reason)
	if err != nil {
		return dbFail(e, "orgs undelegate", err)
	}
	fmt.Fprintf(e.stdout, "delegation %d revoked: organisation %d no longer decides for authority %d\n", d.ID, d.Office, d.Authority)
	return exitOK
}

func runOrgsDelegations(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "orgs delegations", "orgs delegations [--json] [--db DSN]")
	dsn := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "orgs delegations", err)
	}
	defer db.Close()
	ds, err := svc.Delegations(ctx, workflowActor)
	if err != nil {
		return dbFail(e, "orgs delegations", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, ds); err != nil {
			return dbFail(e, "orgs delegations", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAUTHORITY\tOFFICE\tGRANTED\tREVOKED\tREASON")
	for _, d := range ds {
		revoked := "-"
		if d.RevokedAt != nil {
			revoked = d.RevokedAt.Format(time.DateOnly)
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\n", d.ID, d.Authority, d.Office, d.GrantedAt.Format(time.DateOnly), revoked, d.Reason)
	}
	if err := tw.Flush(); err != nil {
		return dbFail(e, "orgs delegations", err)
	}
	return exitOK
}
