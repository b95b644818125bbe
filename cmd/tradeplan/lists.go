package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/parties"
)

// The official download locations; --un-url / --ofac-url (or the variables
// TRADEPLAN_UN_URL / TRADEPLAN_OFAC_URL) replace them.
const (
	defaultUNURL   = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
	defaultOFACURL = "https://www.treasury.gov/ofac/downloads/"
)

const listsUsage = `usage:
  tradeplan lists import [--force] PATH...   a UN XML file or an OFAC CSV folder (format detected)
  tradeplan lists update [--force] [--un-url URL] [--ofac-url URL] [--only un|ofac] [--timeout 60s]
  tradeplan lists status

Lists are kept in the database (TRADEPLAN_DB, default ./tradeplan.db). update
downloads the official files (UN: ` + defaultUNURL + `;
OFAC: ` + defaultOFACURL + `{sdn,alt,add,sdn_comments}.csv), verifies them by
parsing, and keeps the previous version of a list whose download or parse fails.

A new version that is older than the stored one (by the list's own date), or
that drops more than 10% of the stored entries, is refused, saying how many
entries and which would be lost, and the stored version is kept; --force
stores it anyway. Running servers use a new version from their next screening.
`

func runLists(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, listsUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "import":
		return listsImport(ctx, e, args[1:])
	case "update":
		return listsUpdate(ctx, e, args[1:])
	case "status":
		return listsStatus(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "tradeplan lists: unknown verb %q (want import, update or status)\n", args[0])
	fmt.Fprint(e.stderr, listsUsage)
	return exitUsage
}

func listsImport(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("lists import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	force := fs.Bool("force", false, "replace a stored list even with an older version or one that drops more than 10% of its entries")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprint(e.stderr, "tradeplan lists import: no PATH given\n")
		return exitUsage
	}
	// Read and verify everything before anything is stored.
	var ds []tradeplan.Dataset
	for _, p := range fs.Args() {
		d, err := parties.ReadDataset(p)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan lists import: %v\n", err)
			return exitUsage
		}
		ds = append(ds, d)
	}
	db, err := openMigrated(ctx, e, "")
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan lists import: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	// Every list is checked before any is stored: a refusal stores none.
	changes := make([]parties.ListChange, len(ds))
	refused := false
	for i, d := range ds {
		if changes[i], err = parties.Guard(ctx, db, d, *force); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan lists import: %s: %v\n", fs.Arg(i), err)
			refused = true
		}
	}
	if refused {
		fmt.Fprintln(e.stderr, "tradeplan lists import: nothing imported; the stored lists are kept")
		return exitFailure
	}
	// One transaction for every list of the command: all stored, or none.
	if err := parties.PutAll(ctx, db, ds, changes); err != nil {
		fmt.Fprintf(e.stderr, "tradeplan lists import: %v\n", err)
		fmt.Fprintln(e.stderr, "tradeplan lists import: nothing imported; the stored lists are kept")
		return exitFailure
	}
	for i, d := range ds {
		fmt.Fprintf(e.stdout, "imported %s (%s) version %s: %s\n", d.Name, d.Format, d.Version, countsText(d.Counts))
		if c := changes[i]; c.Lost > 0 || c.Older {
			fmt.Fprintf(e.stderr, "tradeplan lists import: warning: %s now has %s\n", d.Name, c.Summary())
		}
	}
	if err := rescreenAfter(ctx, e, db, "list import "+datasetNames(ds)); err != nil {
		fmt.Fprintf(e.stderr, "tradeplan lists import: the lists are imported, but re-screening the permits failed: %v; run 'tradeplan permits rescreen'\n", err)
		return exitFailure
	}
	return exitOK
}

func countsText(c map[string]int) string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, c[k]))
	}
	return strings.Join(parts, " ")
}

func listsStatus(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("lists status", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	db, err := openMigrated(ctx, e, "")
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan lists status: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	all, err := db.Datasets(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan lists status: %v\n", err)
		return exitFailure
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LIST\tFORMAT\tVERSION\tIMPORTED\tCOUNTS")
	n := 0
	for _, d := range all {
		if d.Kind != parties.KindList {
			continue
		}
		n++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Name, d.Format, d.Version, d.ImportedAt.UTC().Format(time.RFC3339), countsText(d.Counts))
	}
	tw.Flush()
	if n == 0 {
		fmt.Fprintln(e.stderr, "no sanctions list imported: run 'tradeplan lists import PATH' or 'tradeplan lists update'")
	}
	return exitOK
}

func listsUpdate(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("lists update", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	unURL := fs.String("un-url", envOr(e, "TRADEPLAN_UN_URL", defaultUNURL), "URL of the UN consolidated list XML")
	ofacURL := fs.String("ofac-url", envOr(e, "TRADEPLAN_OFAC_URL", defaultOFACURL), "base URL of the OFAC SDN CSV files")
	only := fs.String("only", "", "update only this list: un or ofac")
	timeout := fs.Duration("timeout", 60*time.Second, "timeout of each download")
	force := fs.Bool("force", false, "store a downloaded list even when older than the stored one or dropping more than 10% of its entries")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *only != "" && *only != "un" && *only != "ofac" {
		fmt.Fprintf(e.stderr, "tradeplan lists update: --only %q: want un or ofac\n", *only)
		return exitUsage
	}
	client := &http.Client{Timeout: *timeout}
	db, err := openMigrated(ctx, e, "")
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan lists update: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	var names []string
	if *only != "" {
		names = []string{*only}
	}
	failed := false
	var changed []string
	for _, r := range parties.UpdateWith(ctx, client, db, parties.Sources{UN: *unURL, OFAC: *ofacURL}, parties.UpdateOptions{Lists: names, Force: *force}) {
		switch {
		case r.Err != nil:
			failed = true
			fmt.Fprintf(e.stderr, "tradeplan lists update: %s: %v; the previous version is kept\n", r.List, r.Err)
		case r.Changed:
			changed = append(changed, r.List+" "+r.Version)
			fmt.Fprintf(e.stdout, "updated %s to version %s: %s\n", r.List, r.Version, countsText(r.Counts))
			if c := r.Change; c.Lost > 0 || c.Older {
				fmt.Fprintf(e.stderr, "tradeplan lists update: warning: %s now has %s\n", r.List, c.Summary())
			}
		default:
			fmt.Fprintf(e.stdout, "%s unchanged (version %s)\n", r.List, r.Version)
		}
	}
	if len(changed) > 0 {
		if err := rescreenAfter(ctx, e, db, "list update "+strings.Join(changed, ", ")); err != nil {
			fmt.Fprintf(e.stderr, "tradeplan lists update: re-screening the permits failed: %v; run 'tradeplan permits rescreen'\n", err)
			failed = true
		}
	}
	if failed {
		return exitFailure
	}
	return exitOK
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}
