package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"strings"
	"text/tabwriter"

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
	if len(names) == 1 && names[0] == "-" {
		names = nil
		sc := bufio.NewScanner(e.stdin)
		for sc.Scan() {
			if s := strings.TrimSpace(sc.Text()); s != "" {
				names = append(names, s)
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan parties screen: read stdin: %v\n", err)
			return exitFailure
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
	type jsonMatch struct {
		List        string  `json:"list"`
		ID          string  `json:"id"`
		Name        string  `json:"name"`
		MatchedName string  `json:"matched_name"`
		Score       float64 `json:"score"`
		Strength    string  `json:"strength"`
		Citation    string  `json:"citation"`
		Version     string  `json:"entry_version"`
		Explanation string  `json:"explanation"`
	}
	type jsonResult struct {
		Query   string      `json:"query"`
		Key     string      `json:"key"`
		Written string      `json:"written,omitempty"` // how the name is written, when its letters are not what they seem
		Matches []jsonMatch `json:"matches"`
	}
	var results []jsonResult
	found := false
	for _, n := range names {
		q := parties.Query{Name: n, Country: *country, DOB: *dob, Kind: *kind, Top: *top, IMO: *imo}
		if *all {
			q.MinScore = 0.5
		}
		r := jsonResult{Query: n, Key: parties.Normalize(n), Matches: []jsonMatch{}}
		if r.Written, _ = parties.WrittenNote(n); r.Written != "" {
			found = true // a person must see it
		}
		for _, m := range ix.Search(q) {
			if m.Strength != "" {
				found = true
			}
			r.Matches = append(r.Matches, jsonMatch{m.List, m.ID, m.Name, m.MatchedName, m.Score, m.Strength, m.Citation, m.Version, m.Explanation})
		}
		results = append(results, r)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"results": results}); err != nil {
			return exitFailure
		}
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, r := range results {
			fmt.Fprintf(tw, "%s\n", r.Query)
			if r.Written != "" {
				fmt.Fprintf(tw, "  review: name %s\n", r.Written)
			}
			if len(r.Matches) == 0 {
				fmt.Fprintf(tw, "  no match\n")
			}
			for _, m := range r.Matches {
				s := m.Strength
				if s == "" {
					s = "-"
				}
				fmt.Fprintf(tw, "  %.3f\t%s\t%s %s\t%s\n", m.Score, s, m.List, m.ID, m.Name)
				fmt.Fprintf(tw, "  \t\t%s\n", m.Explanation)
			}
		}
		tw.Flush()
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
