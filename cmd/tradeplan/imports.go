package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/feasibility"
	"github.com/tradeplan/tradeplan/imports"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
)

const importsUsage = `usage: tradeplan imports rank [flags] PLAN...

Screens the plans (YAML or JSON), then ranks their import lines: each line's
tier (from its HS code; a claimed necessity counts only after a reviewer's
upgrade), the foreign-currency budget (receipts, lawful exports x margin,
reserves above a floor), the allocation by tier, and with --crossings the
entry schedule per crossing and week. See docs/imports.md.

Exit status: 0 when ranked, 2 for bad input or a budget refused, 3 for any
other failure.

flags:
`

// importsFlags are the flags of imports rank.
type importsFlags struct {
	receipts, currency, reserves, floor, budget, override string
	rates, tiers, crossings, upgrades, format, asOf       string
	sites, perWeek                                        string
	weeks                                                 int
	whatIf                                                bool
	eo                                                    engineOptions
}

func runImports(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "rank" {
		fmt.Fprint(e.stderr, importsUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return exitOK
		}
		return exitUsage
	}
	fs := flag.NewFlagSet("imports rank", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var f importsFlags
	fs.StringVar(&f.receipts, "receipts", "0", "foreign currency in hand, in --currency")
	fs.StringVar(&f.currency, "currency", "USD", "the budget's `currency` (ISO 4217)")
	fs.StringVar(&f.reserves, "reserves", "0", "reserves, in --currency")
	fs.StringVar(&f.floor, "reserves-floor", "0", "the part of the reserves never spent, in --currency")
	fs.StringVar(&f.budget, "budget", "", "the budget the authority states, in --currency (default: what receipts, exports and reserves give)")
	fs.StringVar(&f.override, "override", "", "the authority's `reason` for a --budget above what is available (recorded in the output)")
	fs.StringVar(&f.rates, "rates", "", "exchange rates `file` (YAML; docs/imports.md#rates)")
	fs.StringVar(&f.tiers, "tiers", "", "tiers `file` (YAML; default: the built-in tiers)")
	fs.StringVar(&f.crossings, "crossings", "", "crossings `file` with weekly capacity (YAML): gives the entry schedule")
	fs.StringVar(&f.sites, "sites", "", "site `file` (YAML or JSON): lawful exports count at what the sites can deliver (docs/feasibility.md)")
	fs.StringVar(&f.upgrades, "upgrades", "", "reviewers' tier upgrades `file` (YAML)")
	fs.StringVar(&f.format, "format", "text", "output format: text, json or csv")
	fs.StringVar(&f.asOf, "as-of", "", "screen under the rules in force on this day, YYYY-MM-DD (default: today)")
	fs.IntVar(&f.weeks, "weeks", 0, "weeks in the schedule (default: the plans' period)")
	fs.StringVar(&f.perWeek, "currency-per-week", "", "the currency that arrives each week, in --currency: goods enter only as it arrives (default: the whole budget from week 1)")
	fs.BoolVar(&f.whatIf, "what-if", false, fmt.Sprintf("also solve the ranking as a linear programme, for comparing budgets (at most %d lines x weeks x crossings)", imports.MaxWhatIfVariables))
	f.eo.flags(fs)
	fs.Usage = func() { fmt.Fprint(e.stderr, importsUsage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		return usageStatus(err)
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "tradeplan imports rank: no plan files")
		fs.Usage()
		return exitUsage
	}
	fail := func(err error) int {
		if tradeplan.ErrorCode(err) == tradeplan.EInvalid {
			return reportInputError(e, err)
		}
		return dbFail(e, "imports rank", err)
	}
	switch f.format {
	case imports.Text, imports.JSON, imports.CSV:
	default:
		fmt.Fprintf(e.stderr, "tradeplan imports rank: --format: want text, json or csv, got %q\n", f.format)
		return exitUsage
	}
	o, err := f.options()
	if err != nil {
		return fail(err)
	}
	var sopts screen.Options
	if f.asOf != "" {
		d, err := time.Parse(time.DateOnly, f.asOf)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan imports rank: --as-of: want a date YYYY-MM-DD, got %q\n", f.asOf)
			return exitUsage
		}
		sopts.AsOf = d
	}

	inputs, status := readInputs(e, fs.Args(), "")
	if status != exitOK {
		return status
	}
	var feas *siteFeasibility
	if f.sites != "" {
		sites, status := readSites(e, f.sites)
		if status != exitOK {
			return status
		}
		feas = &siteFeasibility{sites: sites, reports: map[*tradeplan.Plan]*tradeplan.PlanReport{}}
		o.Feasibility = feas
	}
	for _, in := range inputs {
		if in.plan == nil {
			if in.file != nil {
				in.file.Close()
			}
			fmt.Fprintf(e.stderr, "tradeplan imports rank: %s: a line file (CSV) has no plan to rank; give plan documents (YAML or JSON)\n", in.name)
			return exitUsage
		}
	}
	eng, err := openEngine(ctx, e, f.eo)
	if err != nil {
		return dbFail(e, "imports rank", err)
	}
	defer eng.close()
	// Caps are counted on top of the permits issued, as approval counts
	// them, when there is a database to read them from.
	capNotice := "issued permits NOT counted against sanctions caps: no database (--db or TRADEPLAN_DB)"
	db, err := openExisting(ctx, e, f.eo.dsn)
	if err != nil {
		return dbFail(e, "imports rank", err)
	}
	if db != nil {
		defer db.Close()
		sopts.Usage = db
		dsn := f.eo.dsn
		if dsn == "" {
			dsn = defaultDSN(e)
		}
		capNotice = "sanctions caps counted on top of the permits issued in " + redactDSN(dsn)
	}
	var entries []imports.Entry
	for _, in := range inputs {
		rep, err := eng.screener.Plan(ctx, in.plan, sopts)
		if err != nil {
			return dbFail(e, "imports rank", err)
		}
		entries = append(entries, imports.Entry{Plan: in.plan, Report: &rep})
		if feas != nil {
			feas.reports[in.plan] = &rep
		}
	}
	res, err := imports.Rank(entries, o)
	if err != nil {
		return fail(err)
	}
	res.Notices = append(res.Notices, capNotice)
	if f.whatIf {
		if res.WhatIf, err = imports.WhatIf(entries, o); err != nil {
			return fail(err)
		}
	}
	var buf bytes.Buffer
	if err := imports.Write(&buf, res, f.format); err != nil {
		return dbFail(e, "imports rank", err)
	}
	if _, err := buf.WriteTo(e.stdout); err != nil {
		return exitFailure
	}
	return exitOK
}

// options reads the flags and the files they name; every figure exactly.
func (f *importsFlags) options() (imports.Options, error) {
	var o imports.Options
	cur, ok := plan.Currency(f.currency)
	if !ok {
		return o, tradeplan.Errorf(tradeplan.EInvalid, "--currency: want an ISO 4217 code (USD), got %q", f.currency)
	}
	o.Currency = cur
	amount := func(name, s string) (tradeplan.Decimal, error) {
		v, err := tradeplan.ParseDecimal(strings.TrimSpace(s))
		if err != nil {
			return v, tradeplan.Errorf(tradeplan.EInvalid, "--%s: want an amount; found %q: %v", name, s, err)
		}
		if v.Sign() < 0 {
			return v, tradeplan.Errorf(tradeplan.EInvalid, "--%s: want an amount at least 0, got %s", name, s)
		}
		if msg := tradeplan.CheckAmount(v); msg != "" {
			return v, tradeplan.Errorf(tradeplan.EInvalid, "--%s: %s", name, msg)
		}
		return v, nil
	}
	var err error
	if o.Receipts, err = amount("receipts", f.receipts); err != nil {
		return o, err
	}
	if o.Reserves, err = amount("reserves", f.reserves); err != nil {
		return o, err
	}
	if o.ReservesFloor, err = amount("reserves-floor", f.floor); err != nil {
		return o, err
	}
	if f.budget != "" {
		b, err := amount("budget", f.budget)
		if err != nil {
			return o, err
		}
		o.Budget = &b
	}
	o.Override = f.override
	if f.perWeek != "" {
		if o.CurrencyPerWeek, err = amount("currency-per-week", f.perWeek); err != nil {
			return o, err
		}
	}
	if f.override != "" && f.budget == "" {
		return o, tradeplan.Errorf(tradeplan.EInvalid, "--override: gives the reason for a --budget above what is available; no --budget given")
	}
	if f.weeks < 0 || f.weeks > 520 {
		return o, tradeplan.Errorf(tradeplan.EInvalid, "--weeks: want 1 to 520, got %d", f.weeks)
	}
	o.Weeks = f.weeks
	if f.tiers != "" {
		if o.Policy, err = imports.LoadPolicy(f.tiers); err != nil {
			return o, err
		}
	}
	if f.rates != "" {
		if o.Rates, err = imports.LoadRates(f.rates); err != nil {
			return o, err
		}
	}
	if f.crossings != "" {
		if o.Crossings, err = imports.LoadCrossings(f.crossings); err != nil {
			return o, err
		}
	}
	if f.upgrades != "" {
		if o.Upgrades, err = imports.LoadUpgrades(f.upgrades); err != nil {
			return o, err
		}
	}
	return o, nil
}

// siteFeasibility answers the ranking's question, how much of an export
// line can really be delivered, with the export-feasibility check of each
// plan against the site file, computed once a plan.
type siteFeasibility struct {
	sites   *feasibility.Sites
	reports map[*tradeplan.Plan]*tradeplan.PlanReport
	lines   map[*tradeplan.Plan]map[int]feasibility.LineQuantity
}

// HasSite reports whether the site file has a site of that id or name
// (imports.SiteFile: spares for its lawful exports count in T2).
func (s *siteFeasibility) HasSite(ref string) bool { return s.sites.Site(ref) != nil }

func (s *siteFeasibility) FeasibleQuantity(p *tradeplan.Plan, l *tradeplan.Line) (tradeplan.Decimal, bool, error) {
	qs, ok := s.lines[p]
	if !ok {
		all, err := feasibility.FeasibleQuantities(p, s.reports[p], s.sites, feasibility.Options{})
		if err != nil {
			return tradeplan.Decimal{}, false, err
		}
		qs = make(map[int]feasibility.LineQuantity, len(all))
		for _, q := range all {
			qs[q.Index] = q
		}
		if s.lines == nil {
			s.lines = map[*tradeplan.Plan]map[int]feasibility.LineQuantity{}
		}
		s.lines[p] = qs
	}
	q, ok := qs[l.Index]
	if !ok || !q.Assessed {
		return l.Quantity, false, nil // not assessed (no site named): counted as planned
	}
	// The check works in floating point; its figure is cut to the line's
	// own places so that rounding never counts more than can be delivered.
	d, ok := tradeplan.DecimalFromFloat(q.Quantity)
	if !ok {
		return tradeplan.Decimal{}, false, fmt.Errorf("line %d: feasible quantity %v out of range", l.Index, q.Quantity)
	}
	return tradeplan.MinDecimal(d, l.Quantity), true, nil
}
