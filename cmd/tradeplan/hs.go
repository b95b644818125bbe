package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
)

func hsUsage(e *env) {
	fmt.Fprintln(e.stderr, `usage:
  tradeplan hs show [--hs-file PATH] CODE      a code, its chapter and heading, its subheadings
  tradeplan hs check [--hs-file PATH] CODE...  validate declared codes (exit 1 if any is invalid)
  tradeplan hs import [--name NAME] FILE       keep an official nomenclature (hs-csv or Comtrade JSON)
                                               in the database (TRADEPLAN_DB, default ./tradeplan.db)`)
}

func runHS(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		hsUsage(e)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	verb, rest := args[0], args[1:]
	fs := flag.NewFlagSet("hs "+verb, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var hsFile, name *string
	switch verb {
	case "show", "check":
		hsFile = fs.String("hs-file", "", "an HS nomenclature file to check against, without a database")
	case "import":
		name = fs.String("name", "", "dataset name (default from the file name, e.g. hs2022)")
	default:
		fmt.Fprintf(e.stderr, "hs: unknown verb %q\n", verb)
		hsUsage(e)
		return exitUsage
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	switch verb {
	case "import":
		if fs.NArg() != 1 {
			hsUsage(e)
			return exitUsage
		}
		return hsImport(ctx, e, fs.Arg(0), *name)
	case "show":
		if fs.NArg() != 1 {
			hsUsage(e)
			return exitUsage
		}
		c, code := loadClassifier(ctx, e, *hsFile, "hs show")
		if c == nil {
			return code
		}
		return hsShow(e, c, fs.Arg(0))
	default: // check
		if fs.NArg() == 0 {
			hsUsage(e)
			return exitUsage
		}
		c, code := loadClassifier(ctx, e, *hsFile, "hs check")
		if c == nil {
			return code
		}
		status := exitOK
		for _, a := range fs.Args() {
			as, err := c.CheckCode(a)
			if err != nil {
				fmt.Fprintf(e.stdout, "%s\tinvalid\t%s\n", a, tradeplan.ErrorMessage(err))
				status = exitFindings
				continue
			}
			line := fmt.Sprintf("%s\tok\t%s\t%s", a, hs.FormatCode(as.Code), as.Title)
			if as.Note != "" {
				line += "\t(" + as.Note + ")"
			}
			fmt.Fprintln(e.stdout, line)
		}
		return status
	}
}

func hsShow(e *env, c *hs.Classifier, arg string) int {
	as, err := c.CheckCode(arg)
	if err != nil {
		fmt.Fprintf(e.stderr, "hs show: %s\n", tradeplan.ErrorMessage(err))
		return exitUsage
	}
	code := as.Code
	noms := c.Nomenclatures()
	src := c.Base()
	if len(noms) > 0 {
		src = noms[0]
	}
	ch, _ := c.Base().Lookup(code[:2])
	if ch.Section != "" {
		for _, s := range c.Base().Sections() {
			if s.ID == ch.Section {
				fmt.Fprintf(e.stdout, "section %-4s %s\n", s.ID, s.Title)
			}
		}
	}
	fmt.Fprintf(e.stdout, "chapter %-4s %s\n", code[:2], ch.Title)
	h, _ := c.Base().Lookup(code[:4])
	fmt.Fprintf(e.stdout, "heading %s %s\n", code[:4], h.Title)
	if len(h.Keywords) > 0 {
		fmt.Fprintf(e.stdout, "  keywords: %s\n", strings.Join(h.Keywords, ", "))
	}
	if len(code) == 6 {
		fmt.Fprintf(e.stdout, "subheading %s %s\n", hs.FormatCode(code), c.Title(code))
	} else if kids := src.Children(code); len(kids) > 0 {
		fmt.Fprintf(e.stdout, "subheadings (%s):\n", src.Name)
		for _, k := range kids {
			fmt.Fprintf(e.stdout, "  %s %s\n", hs.FormatCode(k), c.Title(k))
		}
	}
	if as.Note != "" {
		fmt.Fprintf(e.stdout, "note: %s\n", as.Note)
	}
	if back, ok := hs.KnownSplits().Backward(code); ok {
		fmt.Fprintf(e.stdout, "HS 2017: from %s\n", strings.Join(formatCodes(back), ", "))
	}
	if fwd, note, ok := hs.KnownSplits().Forward(code); ok {
		fmt.Fprintf(e.stdout, "HS 2017 %s became in HS 2022: %s (%s)\n", hs.FormatCode(code), strings.Join(formatCodes(fwd), ", "), note)
	}
	return exitOK
}

func formatCodes(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = hs.FormatCode(c)
	}
	return out
}

func hsImport(ctx context.Context, e *env, path, name string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "hs import: %v\n", err)
		return exitUsage
	}
	d, _, err := hs.NewDataset(path, b, time.Now())
	if err != nil {
		fmt.Fprintf(e.stderr, "hs import: %v\n", err)
		return exitUsage
	}
	if name != "" {
		d.Name = name
	}
	db, err := openMigrated(ctx, e, "")
	if err != nil {
		fmt.Fprintf(e.stderr, "hs import: %s\n", tradeplan.ErrorMessage(err))
		return exitFailure
	}
	defer db.Close()
	if err := db.PutDataset(ctx, d); err != nil {
		fmt.Fprintf(e.stderr, "hs import: %s\n", tradeplan.ErrorMessage(err))
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "imported %s (%s): %d chapters, %d headings, %d subheadings; sha256 %s\n",
		d.Name, d.Format, d.Counts["chapters"], d.Counts["headings"], d.Counts["subheadings"], d.SHA256[:12])
	return exitOK
}
