package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
)

const screenUsage = `usage: tradeplan screen [flags] FILE...

Screens every line of each plan (YAML or JSON) or bulk line file (CSV) and
prints a report. FILE "-" reads standard input. The input format follows the
file extension, or --input-format.

Exit status: 0 when every line is clear, 1 when any line is not, 2 for bad
input or usage, 3 for any other failure.

flags:
`

func runScreen(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("screen", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	format := fs.String("format", "text", "output format: text, json or csv")
	inFormat := fs.String("input-format", "", "input format: yaml, json or csv (default: from the file extension)")
	asOf := fs.String("as-of", "", "screen under the rules in force on this day, YYYY-MM-DD (default: today)")
	sitesPath := fs.String("sites", "", "site `file` (YAML or JSON): add the export-feasibility block to each export line (docs/feasibility.md)")
	var eo engineOptions
	eo.flags(fs)
	fs.Usage = func() { fmt.Fprint(e.stderr, screenUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return usageStatus(err)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "tradeplan screen: no input files (use - for standard input)")
		fs.Usage()
		return exitUsage
	}
	out, err := screen.ParseFormat(*format)
	if err != nil {
		fmt.Fprintln(e.stderr, "tradeplan screen:", tradeplan.ErrorMessage(err))
		return exitUsage
	}
	var opts screen.Options
	if *asOf != "" {
		d, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan screen: --as-of: want a date YYYY-MM-DD, got %q\n", *asOf)
			return exitUsage
		}
		opts.AsOf = d
	}
	var forced plan.Format
	if *inFormat != "" {
		f, ok := plan.FormatFromName("x." + strings.ToLower(*inFormat))
		if !ok {
			fmt.Fprintf(e.stderr, "tradeplan screen: --input-format: want yaml, json or csv, got %q\n", *inFormat)
			return exitUsage
		}
		forced = f
	}

	// Read and check every plan document before screening anything.
	inputs, status := readInputs(e, fs.Args(), forced)
	sites, status := screenSites(e, *sitesPath, inputs, status)
	if status != exitOK {
		return status
	}

	eng, err := openEngine(ctx, e, eo)
	if err != nil {
		return dbFail(e, "screen", err)
	}
	defer eng.close()
	defer pauseGCFor(streamHeadroom)()

	// The report goes to a spool first: a CSV file with a bad line anywhere
	// must not leave a partial report behind. A new, empty file as standard
	// output is its own spool: written as the report is, emptied again on
	// failure (a large report is then written once, not twice).
	sp := &spool{}
	sp.direct(e.stdout)
	defer sp.discard()
	rw := screen.NewReportWriter(sp, out, out == screen.Text && colorOK(e))
	var total tradeplan.Summary
	for _, in := range inputs {
		var sum tradeplan.Summary
		if in.plan != nil {
			rep, err := eng.screener.Plan(ctx, in.plan, opts)
			if err != nil {
				fmt.Fprintln(e.stderr, "tradeplan screen:", err)
				return exitFailure
			}
			if sites != nil {
				if err := addFeasibility(in.plan, &rep, sites); err != nil {
					return reportInputError(e, err)
				}
			}
			if err := writePlan(rw, rep); err != nil {
				fmt.Fprintln(e.stderr, "tradeplan screen:", err)
				return exitFailure
			}
			sum = rep.Summary
		} else {
			sum, err = screenCSV(ctx, eng.screener, rw, in, opts)
			if err != nil {
				return reportInputError(e, err)
			}
		}
		total.Lines += sum.Lines
		total.Prohibited += sum.Prohibited
		total.Capped += sum.Capped
		total.Review += sum.Review
		total.Clear += sum.Clear
	}
	if err := rw.Close(); err != nil {
		fmt.Fprintln(e.stderr, "tradeplan screen:", err)
		return exitFailure
	}
	if err := sp.copyTo(e.stdout); err != nil {
		fmt.Fprintln(e.stderr, "tradeplan screen:", err)
		return exitFailure
	}
	if total.Clear == total.Lines {
		return exitOK
	}
	return exitFindings
}

// input is one file to screen: a parsed plan document, or a CSV line file
// to stream.
type input struct {
	arg  string // as named on the command line; "-" for standard input
	name string // as shown in messages
	plan *tradeplan.Plan
	csv  io.Reader
	file *os.File
}

func readInputs(e *env, names []string, forced plan.Format) ([]input, int) {
	var inputs []input
	status := exitOK
	for _, name := range names {
		var r io.Reader
		display := name
		if name == "-" {
			r = e.stdin
			display = "<stdin>"
		} else {
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintf(e.stderr, "tradeplan screen: %v\n", friendlyOpenError(err))
				status = exitUsage
				continue
			}
			r = f
		}
		f := forced
		if f == "" {
			var ok bool
			if f, ok = plan.FormatFromName(name); !ok {
				if name != "-" {
					fmt.Fprintf(e.stderr, "tradeplan screen: %s: cannot tell the format from the extension (want .yaml, .yml, .json or .csv); use --input-format\n", name)
					status = exitUsage
					continue
				}
				br := bufio.NewReader(r)
				f, r = sniffFormat(br), br
			}
		}
		if f == plan.CSV {
			in := input{arg: name, name: display, csv: r}
			if c, ok := r.(*os.File); ok {
				in.file = c
			}
			inputs = append(inputs, in)
			continue
		}
		p, err := plan.Read(r, display, f)
		if c, ok := r.(*os.File); ok {
			c.Close()
		}
		if err != nil {
			reportInputError(e, err)
			status = exitUsage
			continue
		}
		inputs = append(inputs, input{arg: name, name: display, plan: p})
	}
	return inputs, status
}

// sniffFormat guesses the format of standard input from its first bytes.
func sniffFormat(br *bufio.Reader) plan.Format {
	head, _ := br.Peek(4096)
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	switch {
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return plan.JSON
	case bytes.HasPrefix(t, []byte("plan:")) || bytes.HasPrefix(t, []byte("lines:")) || bytes.HasPrefix(t, []byte("---")) || bytes.HasPrefix(t, []byte("#")):
		return plan.YAML
	}
	first, _, _ := bytes.Cut(t, []byte("\n"))
	if bytes.Count(first, []byte(",")) >= 2 {
		return plan.CSV
	}
	return plan.YAML
}

func screenCSV(ctx context.Context, s *screen.Screener, rw screen.ReportWriter, in input, opts screen.Options) (tradeplan.Summary, error) {
	if in.file != nil {
		defer in.file.Close()
	}
	cr, err := plan.NewCSVReader(in.csv, in.name)
	if err != nil {
		return tradeplan.Summary{}, err
	}
	lists, notices := s.Lists()
	if err := rw.BeginPlan(screen.PlanHeader{ID: plan.PlanIDFromFile(in.arg), File: in.name, AsOf: s.AsOf(opts).Format(time.DateOnly),
		Lists: lists, Notices: notices}); err != nil {
		return tradeplan.Summary{}, err
	}
	sum, err := s.StreamReport(ctx, cr, opts, rw)
	if err != nil {
		return sum, err
	}
	return sum, rw.EndPlan(sum)
}

func writePlan(rw screen.ReportWriter, p tradeplan.PlanReport) error {
	sum := p.Summary
	if err := rw.BeginPlan(screen.PlanHeader{ID: p.ID, Organisation: p.Organisation, Country: p.Country,
		Period: p.Period, File: p.File, AsOf: p.AsOf, Lists: p.Lists, Notices: p.Notices, Summary: &sum,
		Feasibility: screen.HasFeasibility(&p)}); err != nil {
		return err
	}
	for i := range p.Lines {
		if err := rw.Line(&p.Lines[i]); err != nil {
			return err
		}
	}
	return rw.EndPlan(p.Summary)
}

// reportInputError prints an input error with every problem on its own line
// and returns the exit status for it.
func reportInputError(e *env, err error) int {
	var te *tradeplan.Error
	if errors.As(err, &te) && te.Code == tradeplan.EInvalid {
		fmt.Fprintln(e.stderr, te.Message)
		for _, p := range te.Problems {
			fmt.Fprintln(e.stderr, "  "+p.String())
		}
		return exitUsage
	}
	fmt.Fprintln(e.stderr, "tradeplan screen:", err)
	return exitFailure
}

func friendlyOpenError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}

func usageStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

// colorOK reports whether the text report may be coloured: standard output
// is a terminal and NO_COLOR is not set.
func colorOK(e *env) bool {
	if e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" {
		return false
	}
	f, ok := e.stdout.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// spool holds output in memory up to a bound, then in a temporary file, so
// that it can be discarded whole; or, when standard output is an empty
// regular file, in that file, emptied again when discarded.
type spool struct {
	buf  bytes.Buffer
	file *os.File
	out  *os.File // the output file written directly, until copyTo
}

// direct makes w the spool when it is a regular file that is empty and
// written from its start (as "> report.csv" opens it).
func (s *spool) direct(w io.Writer) {
	f, ok := w.(*os.File)
	if !ok {
		return
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() != 0 {
		return
	}
	if off, err := f.Seek(0, io.SeekCurrent); err != nil || off != 0 {
		return
	}
	s.out = f
}

const spoolMemory = 8 << 20

func (s *spool) Write(p []byte) (int, error) {
	if s.out != nil {
		return s.out.Write(p)
	}
	if s.file == nil && s.buf.Len()+len(p) <= spoolMemory {
		return s.buf.Write(p)
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "tradeplan-report-*")
		if err != nil {
			return 0, err
		}
		s.file = f
		if _, err := s.buf.WriteTo(f); err != nil {
			return 0, err
		}
	}
	return s.file.Write(p)
}

func (s *spool) copyTo(w io.Writer) error {
	if s.out != nil {
		s.out = nil // written already: kept
		return nil
	}
	if s.file == nil {
		_, err := s.buf.WriteTo(w)
		return err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.file)
	return err
}

func (s *spool) discard() {
	if s.out != nil {
		s.out.Truncate(0)
		s.out.Seek(0, io.SeekStart)
		s.out = nil
	}
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
	s.buf.Reset()
}
