package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/parties"
)

const partiesUsage = `usage:
  tradeplan parties screen [--format text|json] [--top N] [--lists PATH,...]
        [--country CC] [--dob DATE] [--kind party|individual|entity|vessel]
        [--imo NUMBER] [--all] NAME...
  tradeplan parties explain [--lists PATH,...] [--country CC] [--dob DATE] --id LIST:ID NAME
  tradeplan parties compare [--kind individual|entity|vessel] [--lists PATH,...]
        [--format text|json|csv] (NAME1 NAME2 | --pairs FILE)

NAME "-" reads one name per line from standard input. --lists reads list files
directly (a UN XML file, an OFAC CSV folder); without it the lists imported
into the database (TRADEPLAN_DB, default ./tradeplan.db) are used.
Exit status 1 when any name has a strong or possible match.
explain shows how NAME scores against one entry (--id un:KPi.002 or
ofac:SDN-12216), however low the score.
`

func runParties(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, partiesUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "screen":
	case "explain":
		return partiesExplain(ctx, e, args[1:])
	case "compare":
		return partiesCompare(ctx, e, args[1:])
	default:
		fmt.Fprintf(e.stderr, "tradeplan parties: unknown verb %q (want screen, explain or compare)\n", args[0])
		fmt.Fprint(e.stderr, partiesUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("parties screen", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output format: text or json")
	top := fs.Int("top", 5, "at most N matches per name")
	lists := fs.String("lists", "", "comma-separated list files or folders (default: the database)")
	country := fs.String("country", "", "ISO 3166 alpha-2 code of the party's nationality or seat")
	dob := fs.String("dob", "", "date of birth: YYYY, YYYY-MM or YYYY-MM-DD")
	kind := fs.String("kind", "", "party, individual, entity or vessel (default: any)")
	imo := fs.String("imo", "", "IMO number of a vessel")
	all := fs.Bool("all", false, "show matches below the possible threshold too (score >= 0.5)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "tradeplan parties screen: --format %q: want text or json\n", *format)
		return exitUsage
	}
	if *dob != "" {
		if err := parties.CheckDOB(*dob); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan parties screen: --dob: %v\n", err)
			return exitUsage
		}
	}
	names := fs.Args()
	// Names from standard input are read one at a time as they are screened,
	// so that each result is written as soon as it is ready and memory stays
	// flat in the number of names; the first is read before the lists are
	// loaded, so that no input is still a usage error.
	var stdin *bufio.Scanner
	var next func() (string, bool)
	if len(names) == 1 && names[0] == "-" {
		names = nil
		stdin = bufio.NewScanner(e.stdin)
		next = func() (string, bool) {
			for stdin.Scan() {
				if s := strings.TrimSpace(stdin.Text()); s != "" {
					return s, true
				}
			}
			return "", false
		}
		if n, ok := next(); ok {
			names = []string{n}
		} else if err := stdin.Err(); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan parties screen: read stdin: %v\n", err)
			return exitFailure
		}
	} else {
		rest := names
		names, next = nil, func() (string, bool) {
			if len(rest) == 0 {
				return "", false
			}
			n := rest[0]
			rest = rest[1:]
			return n, true
		}
		if n, ok := next(); ok {
			names = []string{n}
		}
	}
	if len(names) == 0 && *imo == "" {
		fmt.Fprint(e.stderr, "tradeplan parties screen: no NAME given\n")
		fmt.Fprint(e.stderr, partiesUsage)
		return exitUsage
	}
	if len(names) == 0 {
		names = []string{""}
	}
	ix, err := loadPartyIndex(ctx, e, *lists)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan parties screen: %v\n", err)
		if tradeplan.ErrorCode(err) == tradeplan.EInvalid || tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			return exitUsage
		}
		return exitFailure
	}
	out := newPartyResults(e.stdout, *format == "json")
	found := false
	for n, more := names[0], true; more; n, more = next() {
		q := parties.Query{Name: n, Country: *country, DOB: *dob, Kind: *kind, Top: *top, IMO: *imo}
		if *all {
			q.MinScore = 0.5
		}
		r := parties.NewResult(n, ix.Search(q))
		if r.Written != "" {
			found = true // a person must see it
		}
		for _, m := range r.Matches {
			if m.Strength != "" {
				found = true
			}
		}
		if err := out.write(&r); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan parties screen: %v\n", err)
			return exitFailure
		}
	}
	if stdin != nil {
		if err := stdin.Err(); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan parties screen: read stdin: %v\n", err)
			return exitFailure
		}
	}
	if err := out.close(); err != nil {
		fmt.Fprintf(e.stderr, "tradeplan parties screen: %v\n", err)
		return exitFailure
	}
	if found {
		return exitFindings
	}
	return exitOK
}

func partiesExplain(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("parties explain", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	lists := fs.String("lists", "", "comma-separated list files or folders (default: the database)")
	id := fs.String("id", "", "the entry: LIST:ID, e.g. un:KPi.002 or ofac:SDN-12216")
	country := fs.String("country", "", "ISO 3166 alpha-2 code of the party's nationality or seat")
	dob := fs.String("dob", "", "date of birth: YYYY, YYYY-MM or YYYY-MM-DD")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	list, entry, ok := strings.Cut(*id, ":")
	if !ok || list == "" || entry == "" || fs.NArg() != 1 {
		fmt.Fprint(e.stderr, "tradeplan parties explain: want --id LIST:ID and one NAME\n")
		return exitUsage
	}
	if *dob != "" {
		if err := parties.CheckDOB(*dob); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan parties explain: --dob: %v\n", err)
			return exitUsage
		}
	}
	ix, err := loadPartyIndex(ctx, e, *lists)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan parties explain: %v\n", err)
		return exitFailure
	}
	m, err := ix.Explain(parties.Query{Name: fs.Arg(0), Country: *country, DOB: *dob}, list, entry)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan parties explain: %v\n", err)
		return exitUsage
	}
	s := m.Strength
	if s == "" {
		s = "below the possible threshold"
	}
	fmt.Fprintf(e.stdout, "%s against %s %s %s\nscore %.3f (%s)\n%s\n", fs.Arg(0), m.List, m.ID, m.Name, m.Score, s, m.Explanation)
	return exitOK
}

// loadPartyIndex loads the lists from files (a comma-separated list of
// paths) or, when none is given, from the database.
func loadPartyIndex(ctx context.Context, e *env, lists string) (*parties.Index, error) {
	if lists != "" {
		var paths []string
		for _, p := range strings.Split(lists, ",") {
			if p = strings.TrimSpace(p); p != "" {
				paths = append(paths, p)
			}
		}
		return parties.LoadFiles(paths...)
	}
	db, err := openMigrated(ctx, e, "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return parties.LoadStore(ctx, db)
}
