package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan"
)

const crossingsUsage = `usage:
  tradeplan crossings add --id ID --name NAME [--kind road|rail|bridge|port|air]
        [--country CC]... [--open] [--reason TEXT] [--db DSN]
  tradeplan crossings open --reason TEXT [--db DSN] ID
  tradeplan crossings close --reason TEXT [--db DSN] ID
  tradeplan crossings list [--json] [--db DSN]
  tradeplan crossings history [--json] [--db DSN] ID

A permit can be used only while its crossing is open: approval of a plan is not
the opening of the border. Every opening and closing is kept in the crossing's
history and the audit log. IDs are lower case with '-', e.g. namyang-tumen
(plans may write "Namyang-Tumen" or "Rajin port": the same crossing).
`

func runCrossings(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, crossingsUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "add":
		return crossingsAdd(ctx, e, args[1:])
	case "open":
		return crossingsSet(ctx, e, "open", tradeplan.CrossingOpen, args[1:])
	case "close":
		return crossingsSet(ctx, e, "close", tradeplan.CrossingClosed, args[1:])
	case "list":
		return crossingsList(ctx, e, args[1:])
	case "history":
		return crossingsHistory(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "tradeplan crossings: unknown verb %q (want add, open, close, list or history)\n", args[0])
	fmt.Fprint(e.stderr, crossingsUsage)
	return exitUsage
}

// crossingsFlags is the flag set of a crossings verb.
func crossingsFlags(e *env, verb string) *flag.FlagSet {
	return verbFlags(e, "crossings", verb, crossingsUsage)
}

// verbFlags is the flag set of a verb of a command with usage text; its
// --help prints the usage and the verb's flags (and dbParse exits 0).
func verbFlags(e *env, noun, verb, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(noun+" "+verb, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fmt.Fprintf(fs.Output(), "\nflags of '%s %s':\n", noun, verb)
		fs.PrintDefaults()
	}
	return fs
}

type stringsFlag []string

func (f *stringsFlag) String() string { return strings.Join(*f, ",") }
func (f *stringsFlag) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*f = append(*f, strings.ToUpper(p))
		}
	}
	return nil
}

func crossingsAdd(ctx context.Context, e *env, args []string) int {
	fs := crossingsFlags(e, "add")
	id := fs.String("id", "", "crossing `id`, lower case with '-': namyang-tumen")
	name := fs.String("name", "", "the crossing's name")
	kind := fs.String("kind", "", "road, rail, bridge, port or air")
	var countries stringsFlag
	fs.Var(&countries, "country", "a country on either side, ISO 3166 alpha-2 (repeatable)")
	open := fs.Bool("open", false, "register it open (default closed)")
	reason := fs.String("reason", "", "why, for its history")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan crossings add: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	c := tradeplan.Crossing{ID: *id, Name: *name, Kind: *kind, Countries: countries, Status: tradeplan.CrossingClosed, Reason: *reason}
	if *open {
		c.Status = tradeplan.CrossingOpen
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "crossings add", err)
	}
	defer db.Close()
	if c, err = svc.AddCrossing(ctx, workflowActor, c); err != nil {
		return dbFail(e, "crossings add", err)
	}
	fmt.Fprintf(e.stdout, "crossing %s added (%s)\n", c.ID, c.Status)
	return exitOK
}

func crossingsSet(ctx context.Context, e *env, verb string, to tradeplan.CrossingStatus, args []string) int {
	fs := crossingsFlags(e, verb)
	reason := fs.String("reason", "", "why (required), for the crossing's history")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(e.stderr, "tradeplan crossings %s: want one crossing ID\n", verb)
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "crossings "+verb, err)
	}
	defer db.Close()
	c, err := svc.SetCrossing(ctx, workflowActor, fs.Arg(0), to, *reason)
	if err != nil {
		return dbFail(e, "crossings "+verb, err)
	}
	fmt.Fprintf(e.stdout, "crossing %s is %s since %s: %s\n", c.ID, c.Status, c.Since.UTC().Format(time.RFC3339), c.Reason)
	return exitOK
}

func crossingsList(ctx context.Context, e *env, args []string) int {
	fs := crossingsFlags(e, "list")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "crossings list", err)
	}
	defer db.Close()
	cs, err := svc.Crossings(ctx, workflowActor)
	if err != nil {
		return dbFail(e, "crossings list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, cs); err != nil {
			return dbFail(e, "crossings list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tCOUNTRIES\tSTATUS\tSINCE\tREASON")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Name, c.Kind, strings.Join(c.Countries, "-"), c.Status,
			c.Since.UTC().Format("2006-01-02 15:04"), shorten(c.Reason, 40))
	}
	tw.Flush()
	return exitOK
}

func crossingsHistory(ctx context.Context, e *env, args []string) int {
	fs := crossingsFlags(e, "history")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "tradeplan crossings history: want one crossing ID")
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "crossings history", err)
	}
	defer db.Close()
	h, err := svc.Crossing(ctx, workflowActor, fs.Arg(0))
	if err != nil {
		return dbFail(e, "crossings history", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, h); err != nil {
			return dbFail(e, "crossings history", err)
		}
		return exitOK
	}
	fmt.Fprintf(e.stdout, "%s (%s): %s\n", h.Crossing.ID, h.Crossing.Name, h.Crossing.Status)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "AT\tSTATUS\tBY\tREASON")
	for _, ev := range h.Events {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", ev.At.UTC().Format("2006-01-02 15:04"), ev.Status, ev.By, ev.Reason)
	}
	tw.Flush()
	return exitOK
}
