package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

const declarationsUsage = `usage:
  tradeplan declarations import [--batch ID] [--db DSN] FILE
  tradeplan declarations list [--batch ID] [--permit ID] [--flagged] [--json] [--db DSN]
  tradeplan declarations tolerance [--db DSN] UNIT PERCENT

A declaration file is a bulk line file (see 'tradeplan screen') with the
columns declaration, declarant (the organisation's id) and, when declared,
permit; date, crossing, quantity and unit are required in every row. A batch
loads whole or not at all, once per id (default: the file's name): the same
batch again changes nothing and says so. A declaration number loaded again
with other facts is a correction; the permit's declared total follows.
Each declaration is matched to a permit and flagged for every rule it breaks
(docs/enforcement.md). tolerance sets the percent a permit's quantity may be
passed by in a unit before a declaration is flagged over its balance.
`

func runDeclarations(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, declarationsUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "import":
		return declarationsImport(ctx, e, args[1:])
	case "list":
		return declarationsList(ctx, e, args[1:])
	case "tolerance":
		return declarationsTolerance(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "tradeplan declarations: unknown verb %q (want import, list or tolerance)\n", args[0])
	fmt.Fprint(e.stderr, declarationsUsage)
	return exitUsage
}

func declarationsImport(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "declarations import", "declarations import [--batch ID] [--db DSN] FILE")
	batch := fs.String("batch", "", "the batch `id` (default: the file's name)")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "tradeplan declarations import: want one declaration file")
		return exitUsage
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan declarations import: %v\n", err)
		return exitUsage
	}
	defer f.Close()
	in, err := licensing.ReadDeclarationsCSV(f, name)
	if err != nil {
		printProblems(e, "declarations import", err)
		return exitUsage
	}
	if *batch == "" {
		*batch = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	db, _, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "declarations import", err)
	}
	defer db.Close()
	// Declarations are screened as of their dates with the rules and the
	// lists the database holds, as the server screens them.
	svc, err := enforcementService(ctx, e, db)
	if err != nil {
		return dbFail(e, "declarations import", err)
	}
	res, err := svc.ImportDeclarations(cliActorContext(ctx, e), workflowActor, *batch, in)
	if err != nil {
		if tradeplan.ErrorCode(err) == tradeplan.EInvalid {
			printProblems(e, "declarations import", err)
			return exitUsage
		}
		return dbFail(e, "declarations import", err)
	}
	if res.Replayed {
		fmt.Fprintf(e.stdout, "batch %s was loaded before with the same content: nothing changed\n", res.Batch)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "batch %s: %d loaded, %d corrected, %d unchanged; %d flagged\n", res.Batch, res.Loaded, res.Corrected, res.Unchanged, res.Flagged)
	for _, d := range res.Current {
		for _, fl := range d.Flags {
			fmt.Fprintf(e.stdout, "  %s  %s  %s\n", d.Number, fl.Rule, fl.Message)
		}
	}
	if res.Flagged > 0 {
		return exitFindings
	}
	return exitOK
}

// printProblems prints an error's problems one a line, at their places.
func printProblems(e *env, what string, err error) {
	te, ok := err.(*tradeplan.Error)
	if !ok || len(te.Problems) == 0 {
		fmt.Fprintf(e.stderr, "tradeplan %s: %s\n", what, tradeplan.ErrorMessage(err))
		return
	}
	for _, p := range te.Problems {
		fmt.Fprintln(e.stderr, p.String())
	}
}

func declarationsList(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "declarations list", "declarations list [--batch ID] [--permit ID] [--flagged] [--json] [--db DSN]")
	batch := fs.String("batch", "", "only this batch's")
	permit := fs.Int64("permit", 0, "only those matched to this permit `id`")
	flagged := fs.Bool("flagged", false, "only those with a flag")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "declarations list", err)
	}
	defer db.Close()
	ds, err := svc.Declarations(ctx, workflowActor, licensing.DeclarationFilter{Batch: *batch, PermitID: *permit, Flagged: *flagged})
	if err != nil {
		return dbFail(e, "declarations list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, ds); err != nil {
			return dbFail(e, "declarations list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DECLARATION\tV\tDATE\tDECLARANT\tDIR\tHS\tQUANTITY\tCROSSING\tPERMIT\tFLAGS")
	for _, d := range ds {
		var rules []string
		for _, f := range d.Flags {
			rules = append(rules, f.Rule)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%s\t%s %s\t%s\t%s\t%s\n", d.Number, d.Version, d.Date.Format(time.DateOnly), d.Declarant, d.Direction, d.HS,
			d.Quantity, d.Unit, d.Crossing, d.Matched, strings.Join(rules, ","))
	}
	tw.Flush()
	return exitOK
}

func declarationsTolerance(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "declarations tolerance", "declarations tolerance [--db DSN] UNIT PERCENT")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(e.stderr, "tradeplan declarations tolerance: want a unit and a percent: t 2")
		return exitUsage
	}
	pct, err := tradeplan.ParseDecimal(fs.Arg(1))
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan declarations tolerance: percent: %v\n", tradeplan.ErrorMessage(err))
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "declarations tolerance", err)
	}
	defer db.Close()
	if err := svc.SetTolerance(cliActorContext(ctx, e), workflowActor, fs.Arg(0), pct); err != nil {
		return dbFail(e, "declarations tolerance", err)
	}
	fmt.Fprintf(e.stdout, "tolerance for %s: %s%%\n", fs.Arg(0), pct)
	return exitOK
}
