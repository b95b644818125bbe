package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/parties"
)

const partiesCompareUsage = `usage:
  tradeplan parties compare [--kind individual|entity|vessel] [--lists PATH,...]
        [--format text|json|csv] NAME1 NAME2
  tradeplan parties compare [--kind ...] [--lists PATH,...] [--format csv|json|text] --pairs FILE

Scores NAME1 against NAME2 as if NAME2 were a list entry of that kind (default
entity), with score, band (strong, possible or none) and explanation. Word
weights come from the lists given with --lists, or else from the lists imported
into the database when there are any. --pairs reads a CSV file (- for standard
input) with columns name1,name2 and an optional kind, a header row allowed, and
writes one row per pair in the same order: name1,name2,kind,score,band,explanation
(csv is the default format with --pairs).
`

func partiesCompare(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("parties compare", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, partiesCompareUsage) }
	kind := fs.String("kind", parties.Entity, "individual, entity or vessel: what NAME2 is")
	lists := fs.String("lists", "", "comma-separated list files or folders for word weights (default: the database, if it has lists)")
	format := fs.String("format", "", "output format: text, json or csv (default text, csv with --pairs)")
	pairsFile := fs.String("pairs", "", "a CSV file of pairs: name1,name2[,kind]")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	fail := func(code int, f string, a ...any) int {
		fmt.Fprintf(e.stderr, "tradeplan parties compare: "+f+"\n", a...)
		return code
	}
	if !validCompareKind(*kind) {
		return fail(exitUsage, "--kind %q: want individual, entity or vessel", *kind)
	}
	if *format == "" {
		*format = "text"
		if *pairsFile != "" {
			*format = "csv"
		}
	}
	if *format != "text" && *format != "json" && *format != "csv" {
		return fail(exitUsage, "--format %q: want text, json or csv", *format)
	}
	type pair struct{ a, b, kind string }
	var pairs []pair
	switch {
	case *pairsFile != "" && fs.NArg() == 0:
		var r io.Reader = e.stdin
		name := "standard input"
		if *pairsFile != "-" {
			f, err := os.Open(*pairsFile)
			if err != nil {
				return fail(exitUsage, "%v", err)
			}
			defer f.Close()
			r, name = f, *pairsFile
		}
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		for line := 1; ; line++ {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return fail(exitUsage, "%s: %v", name, err)
			}
			l, _ := cr.FieldPos(0)
			if len(rec) < 2 || len(rec) > 3 {
				return fail(exitUsage, "%s:%d: %d fields, want name1,name2[,kind]", name, l, len(rec))
			}
			if line == 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "name1") && strings.EqualFold(strings.TrimSpace(rec[1]), "name2") {
				continue // a header
			}
			p := pair{rec[0], rec[1], *kind}
			if len(rec) == 3 && strings.TrimSpace(rec[2]) != "" {
				p.kind = strings.ToLower(strings.TrimSpace(rec[2]))
				if !validCompareKind(p.kind) {
					return fail(exitUsage, "%s:%d: kind: %q: want individual, entity or vessel", name, l, rec[2])
				}
			}
			for i, n := range []string{p.a, p.b} {
				if strings.TrimSpace(n) == "" {
					return fail(exitUsage, "%s:%d: name%d: empty", name, l, i+1)
				}
			}
			pairs = append(pairs, p)
		}
	case *pairsFile == "" && fs.NArg() == 2:
		pairs = append(pairs, pair{fs.Arg(0), fs.Arg(1), *kind})
	default:
		fmt.Fprint(e.stderr, partiesCompareUsage)
		return exitUsage
	}
	ix, err := compareIndex(ctx, e, *lists)
	if err != nil {
		return fail(exitFailure, "%v", err)
	}
	out := make([]parties.Comparison, 0, len(pairs))
	for i, p := range pairs {
		c, err := ix.Compare(p.a, p.b, p.kind)
		if err != nil {
			if *pairsFile != "" {
				return fail(exitUsage, "%s: pair %d: %v", *pairsFile, i+1, err)
			}
			return fail(exitUsage, "%v", err)
		}
		out = append(out, c)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if *pairsFile == "" {
			enc.Encode(out[0])
		} else {
			enc.Encode(struct {
				Results []parties.Comparison `json:"results"`
			}{out})
		}
	case "csv":
		w := csv.NewWriter(e.stdout)
		w.Write([]string{"name1", "name2", "kind", "score", "band", "explanation"})
		for _, c := range out {
			w.Write(tradeplan.CSVRow([]string{c.Name1, c.Name2, c.Kind, strconv.FormatFloat(c.Score, 'f', 3, 64), c.Band, c.Explanation}))
		}
		w.Flush()
	default:
		for _, c := range out {
			fmt.Fprintf(e.stdout, "%s ~ %s (%s)\nscore %.3f (%s)\n%s\n", c.Name1, c.Name2, c.Kind, c.Score, c.Band, c.Explanation)
		}
	}
	return exitOK
}

func validCompareKind(k string) bool {
	for _, c := range parties.CompareKinds {
		if k == c {
			return true
		}
	}
	return false
}

// compareIndex loads the lists for word weights: from files, or from the
// database when it exists and has lists; nil (no lists) otherwise.
func compareIndex(ctx context.Context, e *env, lists string) (*parties.Index, error) {
	if lists != "" {
		return loadPartyIndex(ctx, e, lists)
	}
	db, err := openExisting(ctx, e, "")
	if err != nil || db == nil {
		return nil, err
	}
	defer db.Close()
	ix, err := parties.LoadStore(ctx, db)
	if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
		return nil, nil
	}
	return ix, err
}
