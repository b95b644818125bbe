package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/feasibility"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
)

const feasibilityUsage = `usage: tradeplan feasibility --sites SITES.yaml [flags] PLAN...

Screens each plan (YAML or JSON), then checks every lawful export line
against the site its source names in the site file: the quantity the site
can deliver in the plan's period, the constraint that binds it (material,
line_hours, labour, power), and the shift pattern, hours and extra workers
its target would need. Prohibited lines are never assessed. The site file
format is in docs/feasibility.md.

Exit status: 0 when every assessed line is feasible in full, 1 when some
line is short, 2 for bad input or usage, 3 for any other failure.

flags:
`

func runFeasibility(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("feasibility", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	sitesPath := fs.String("sites", "", "site `file` (YAML or JSON; required)")
	format := fs.String("format", "text", "output format: text, json or csv")
	solver := fs.String("solver", feasibility.Greedy, "how lines of one site share it: greedy (plan order) or lp (least weighted shortfall)")
	asOf := fs.String("as-of", "", "screen under the rules in force on this day, YYYY-MM-DD (default: today)")
	var eo engineOptions
	eo.flags(fs)
	fs.Usage = func() { fmt.Fprint(e.stderr, feasibilityUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(e.stderr, "tradeplan feasibility: "+format+"\n", args...)
		return exitUsage
	}
	if *sitesPath == "" {
		fs.Usage()
		return fail("--sites is required")
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fail("no plan files")
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		return fail("--format: want text, json or csv, got %q", *format)
	}
	if *solver != feasibility.Greedy && *solver != feasibility.LP {
		return fail("--solver: want greedy or lp, got %q", *solver)
	}
	var opts screen.Options
	if *asOf != "" {
		d, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			return fail("--as-of: want a date YYYY-MM-DD, got %q", *asOf)
		}
		opts.AsOf = d
	}
	sites, status := readSites(e, *sitesPath)
	var plans []*tradeplan.Plan
	for _, name := range fs.Args() {
		f, ok := plan.FormatFromName(name)
		if !ok || f == plan.CSV {
			fmt.Fprintf(e.stderr, "tradeplan feasibility: %s: want a plan document (.yaml, .yml or .json): a line file has no period\n", name)
			status = exitUsage
			continue
		}
		fh, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan feasibility: %v\n", friendlyOpenError(err))
			status = exitUsage
			continue
		}
		p, err := plan.Read(fh, name, f)
		fh.Close()
		if err != nil {
			reportInputError(e, err)
			status = exitUsage
			continue
		}
		plans = append(plans, p)
	}
	if status != exitOK {
		return status
	}
	eng, err := openEngine(ctx, e, eo)
	if err != nil {
		return dbFail(e, "feasibility", err)
	}
	defer eng.close()
	var results []feasibility.PlanResult
	for _, p := range plans {
		rep, err := eng.screener.Plan(ctx, p, opts)
		if err != nil {
			fmt.Fprintln(e.stderr, "tradeplan feasibility:", err)
			return exitFailure
		}
		blocks, err := feasibility.Check(p, &rep, sites, feasibility.Options{Solver: *solver})
		if err != nil {
			status = max(status, reportInputError(e, err))
			continue
		}
		results = append(results, feasibility.Result(p, &rep, blocks, *sitesPath))
	}
	if status != exitOK {
		return status
	}
	switch *format {
	case "json":
		err = feasibility.WriteJSON(e.stdout, results)
	case "csv":
		err = feasibility.WriteCSV(e.stdout, results)
	default:
		err = feasibility.WriteText(e.stdout, results)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "tradeplan feasibility:", err)
		return exitFailure
	}
	if feasibility.Short(results) {
		return exitFindings
	}
	return exitOK
}

// readSites reads a site file named on the command line; the status is
// exitUsage when it is bad (its problems printed, each at its place).
func readSites(e *env, path string) (*feasibility.Sites, int) {
	f, ok := plan.FormatFromName(path)
	if !ok || f == plan.CSV {
		fmt.Fprintf(e.stderr, "tradeplan: --sites %s: want a site file (.yaml, .yml or .json)\n", path)
		return nil, exitUsage
	}
	fh, err := os.Open(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan: --sites: %v\n", friendlyOpenError(err))
		return nil, exitUsage
	}
	defer fh.Close()
	s, err := feasibility.Read(fh, path, f)
	if err != nil {
		return nil, reportInputError(e, err)
	}
	return s, exitOK
}

// screenSites reads the site file of screen --sites, when one is named:
// the block needs a plan's period, so line files are refused with it.
func screenSites(e *env, path string, inputs []input, status int) (*feasibility.Sites, int) {
	if path == "" {
		return nil, status
	}
	for _, in := range inputs {
		if in.plan == nil {
			fmt.Fprintf(e.stderr, "tradeplan screen: --sites: %s is a line file, which has no period; give plan documents (YAML or JSON)\n", in.name)
			status = exitUsage
		}
	}
	sites, st := readSites(e, path)
	return sites, max(status, st)
}

// addFeasibility puts the export-feasibility block on each export line of
// a screened plan.
func addFeasibility(p *tradeplan.Plan, rep *tradeplan.PlanReport, sites *feasibility.Sites) error {
	blocks, err := feasibility.Check(p, rep, sites, feasibility.Options{})
	if err != nil {
		return err
	}
	for i, b := range blocks {
		rep.Lines[i].Feasibility = b
	}
	return nil
}
