package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
)

type classifyResult struct {
	Description  string                `json:"description"`
	Candidates   []tradeplan.Candidate `json:"candidates"`
	Alternatives []string              `json:"alternatives,omitempty"`
}

func runClassify(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	top := fs.Int("top", 3, "candidates per description")
	format := fs.String("format", "text", "output format: text or json")
	hsFile := fs.String("hs-file", "", "an HS nomenclature file (hs-csv or Comtrade JSON) to use beside the embedded data, without a database")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: tradeplan classify [--top N] [--format text|json] [--hs-file PATH] DESCRIPTION...")
		fmt.Fprintln(e.stderr, "  '-' reads one description per line from standard input.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *top < 1 || *top > 50 {
		fmt.Fprintf(e.stderr, "classify: --top %d: want 1 to 50\n", *top)
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "classify: --format %q: want text or json\n", *format)
		return exitUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	c, code := loadClassifier(ctx, e, *hsFile, "classify")
	if c == nil {
		return code
	}
	// Each description is classified and its result written as soon as it
	// is read, standard input included: memory stays flat in its size.
	w := bufio.NewWriter(e.stdout)
	var js *jsonResults
	if *format == "json" {
		js = &jsonResults{w: w}
	}
	n := 0
	emit := func(d string) error {
		cands := c.Classify(d, *top)
		if cands == nil {
			cands = []tradeplan.Candidate{}
		}
		r := classifyResult{Description: d, Candidates: cands, Alternatives: hs.Alternatives(cands)}
		if js != nil {
			return js.write(r)
		}
		if n > 0 {
			fmt.Fprintln(w)
		}
		n++
		writeClassifyText(w, r)
		return w.Flush()
	}
	for _, a := range fs.Args() {
		if a != "-" {
			if err := emit(a); err != nil {
				return exitFailure
			}
			continue
		}
		sc := bufio.NewScanner(e.stdin)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			if s := strings.TrimSpace(sc.Text()); s != "" {
				if err := emit(s); err != nil {
					return exitFailure
				}
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintf(e.stderr, "classify: reading standard input: %v\n", err)
			return exitFailure
		}
	}
	if js != nil {
		if err := js.close(); err != nil {
			return exitFailure
		}
		return exitOK
	}
	if err := w.Flush(); err != nil {
		return exitFailure
	}
	return exitOK
}

func writeClassifyText(w io.Writer, r classifyResult) {
	fmt.Fprintf(w, "%s\n", r.Description)
	if len(r.Candidates) == 0 {
		fmt.Fprintln(w, "  no candidate: no word of the description is known to the nomenclature or the lexicon")
		return
	}
	for i, cd := range r.Candidates {
		fmt.Fprintf(w, "  %d. %-8s %.2f  %s\n", i+1, hs.FormatCode(cd.Code), cd.Score, cd.Title)
		for _, ev := range cd.Evidence {
			fmt.Fprintf(w, "       %s\n", ev)
		}
	}
	switch {
	case len(r.Alternatives) > 0:
		fmt.Fprintf(w, "  in doubt: %s", hs.FormatCode(r.Candidates[0].Code))
		for _, a := range r.Alternatives {
			fmt.Fprintf(w, " or %s", hs.FormatCode(a))
		}
		fmt.Fprintln(w, " (scores within the doubt margin; a screening weighs both)")
	case r.Candidates[0].Score < hs.Confident:
		fmt.Fprintln(w, "  not confident: the words do not decide the code; check it")
	}
}

// loadClassifier builds the classifier: the embedded data, the nomenclature
// of --hs-file if given, else the HS datasets imported into the database
// (when there is one).
func loadClassifier(ctx context.Context, e *env, hsFile, cmd string) (*hs.Classifier, int) {
	if hsFile != "" {
		b, err := os.ReadFile(hsFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s: --hs-file: %v\n", cmd, err)
			return nil, exitUsage
		}
		n, err := hs.Parse(b, hsFile, "")
		if err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", cmd, err)
			return nil, exitUsage
		}
		c, err := hs.New(n)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s: %v\n", cmd, err)
			return nil, exitFailure
		}
		return c, exitOK
	}
	ds, err := storedHSDatasets(ctx, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: warning: imported HS datasets not used: %v\n", cmd, err)
	}
	c, err := hs.FromDatasets(ds...)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: warning: imported HS datasets not used: %v\n", cmd, err)
		c, err = hs.Default()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: %v\n", cmd, err)
		return nil, exitFailure
	}
	return c, exitOK
}

// storedHSDatasets reads the HS datasets kept in the database, the newest
// edition first. A SQLite file that does not exist means none (it is not
// created just to find that out).
func storedHSDatasets(ctx context.Context, e *env) ([]tradeplan.Dataset, error) {
	db, err := openExisting(ctx, e, "")
	if err != nil || db == nil {
		return nil, err
	}
	defer db.Close()
	list, err := db.Datasets(ctx)
	if err != nil {
		return nil, err
	}
	var out []tradeplan.Dataset
	for _, d := range list {
		if d.Kind != "hs" {
			continue
		}
		full, err := db.Dataset(ctx, d.Kind, d.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	// newest edition first: "hs2022" before "hs2017"
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name > out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}
