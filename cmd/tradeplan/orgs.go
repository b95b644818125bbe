package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
)

func runOrgs(ctx context.Context, e *env, args []string) int {
	return runVerb(ctx, e, "orgs", args, []verb{{"add", runOrgsAdd}, {"list", runOrgsList},
		{"delegate", runOrgsDelegate}, {"undelegate", runOrgsUndelegate}, {"delegations", runOrgsDelegations}})
}

func runOrgsAdd(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "orgs add", "orgs add --name NAME --kind KIND [--parent ID] [--country CC] [--db DSN]")
	dsn := dbFlag(fs)
	name := fs.String("name", "", "the organisation's name (required)")
	kind := fs.String("kind", "", "authority, province, agency, site or company (required)")
	parent := fs.Int64("parent", 0, "the parent organisation's ID (none: a root)")
	country := fs.String("country", "", "ISO 3166 alpha-2 country code")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 || *name == "" || *kind == "" {
		fs.Usage()
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "orgs add", err)
	}
	defer db.Close()
	acc := accounts.NewService(db)
	o, err := acc.CreateOrg(cliActorContext(ctx, e), tradeplan.Organisation{
		ParentID: *parent, Name: *name, Kind: tradeplan.OrgKind(*kind), Country: *country,
	})
	if err != nil {
		return dbFail(e, "orgs add", err)
	}
	fmt.Fprintf(e.stdout, "organisation %d: %s (%s)\n", o.ID, o.Name, o.Kind)
	return exitOK
}

func runOrgsList(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "orgs list", "orgs list [--under ID] [--json] [--db DSN]")
	dsn := dbFlag(fs)
	under := fs.Int64("under", 0, "only this organisation and those below it")
	asJSON := fs.Bool("json", false, "print JSON")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "orgs list", err)
	}
	defer db.Close()
	acc := accounts.NewService(db)
	var f tradeplan.OrgFilter
	if *under != 0 {
		f.Under = under
	}
	orgs, err := acc.Orgs(ctx, f)
	if err != nil {
		return dbFail(e, "orgs list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, orgs); err != nil {
			return dbFail(e, "orgs list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPARENT\tKIND\tCOUNTRY\tNAME")
	for _, o := range orgs {
		parent := "-"
		if o.ParentID != 0 {
			parent = fmt.Sprint(o.ParentID)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", o.ID, parent, o.Kind, dash(o.Country), o.Name)
	}
	tw.Flush()
	return exitOK
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
