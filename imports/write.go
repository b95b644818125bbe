package imports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tradeplan/tradeplan"
)

// Output formats.
const (
	Text = "text"
	JSON = "json"
	CSV  = "csv"
)

// Write writes r in format (text, json or csv).
func Write(w io.Writer, r *Result, format string) error {
	switch format {
	case Text, "":
		return writeText(w, r)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case CSV:
		return writeCSV(w, r)
	}
	return tradeplan.Errorf(tradeplan.EInvalid, "unknown format %q (want text, json or csv)", format)
}

func writeText(out io.Writer, r *Result) error {
	ew := &errWriter{w: out}
	w := ew
	b := &r.Budget
	fmt.Fprintf(w, "IMPORTS FIRST: %d import lines, budget %s %s (tiers: %s)\n", len(r.Lines), b.Total, r.Currency, r.Policy)
	for _, n := range r.Notices {
		fmt.Fprintf(w, "notice: %s\n", n)
	}
	fmt.Fprintf(w, "\nBUDGET (%s)\n", r.Currency)
	row := func(name string, amount tradeplan.Decimal, note string) {
		fmt.Fprint(w, strings.TrimRight(fmt.Sprintf("  %-16s %16s  %s", name, amount, note), " ")+"\n")
	}
	row("receipts", b.Receipts.Amount, b.Receipts.Note)
	row("lawful exports", b.Exports.Amount, b.Exports.Note)
	row("reserves", b.Reserves.Amount, b.Reserves.Note)
	row("available", b.Available, "")
	if b.Stated != nil {
		note := "as stated by the authority"
		if b.Override != "" {
			note = "OVERRIDE by the authority: " + b.Override
		}
		row("stated", *b.Stated, note)
	}
	row("allocated", b.Total, "")
	row("unallocated", b.Unallocated, "")
	for _, l := range b.Exports.Lines {
		fmt.Fprintf(w, "  + %s:%d %s: %s %s counted (%s)\n", l.Plan, l.Line, l.Description, l.Counted, r.Currency, l.Reason)
	}
	for _, l := range b.NotCounted {
		fmt.Fprintf(w, "  - %s:%d %s: %s %s not counted (%s)\n", l.Plan, l.Line, l.Description, l.Value, l.Currency, l.Reason)
	}

	fmt.Fprintf(w, "\nTIERS (%s)\n", r.Currency)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "  tier\tshare\treserved\tfrom above\tneed\tfunded\tsecond round\tpassed on\t\n")
	for _, t := range r.Tiers {
		if t.Deferred {
			fmt.Fprintf(tw, "  T%d %s\t-\t-\t-\t-\t-\t-\t-\t(deferred)\n", t.Tier, t.Name)
			continue
		}
		fmt.Fprintf(tw, "  T%d %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", t.Tier, t.Name, percent(t.Share), t.Reserved, t.FromAbove, t.Need, t.Funded, t.Leftover, t.PassedOn)
	}
	tw.Flush()

	fmt.Fprintf(w, "\nLINES (tier, then plan order; values in %s)\n", r.Currency)
	for _, l := range r.Lines {
		src := l.TierSource
		fmt.Fprintf(w, "  %s:%d  T%d %s  %s  %s of %s  %s\n", l.Plan, l.Line, l.Tier, src, strings.ToUpper(l.Status), l.FundedValue, l.Value, l.Description)
		if l.Week != "" {
			fmt.Fprintf(w, "      enters: week %s through %s\n", l.Week, l.Crossing)
		}
		if l.Waiting != "" {
			fmt.Fprintf(w, "      waits: %s\n", l.Waiting)
		}
		if l.Claim != "" {
			fmt.Fprintf(w, "      claim: %s\n", l.Claim)
		}
		fmt.Fprintf(w, "      why: %s\n", l.Reason)
	}

	if s := r.Schedule; s != nil {
		fmt.Fprintf(w, "\nSCHEDULE (%d weeks from %s; a waiting line moves one tier ahead every %d weeks)\n", s.Weeks, s.Start, s.AgingWeeks)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  crossing\tweek\tload t\tcapacity t\tvehicles\tlines\n")
		closed := map[string][]int{}
		var names []string
		for _, sl := range s.Slots {
			if sl.Closed {
				if closed[sl.Crossing] == nil {
					names = append(names, sl.Crossing)
				}
				closed[sl.Crossing] = append(closed[sl.Crossing], sl.Week)
				continue
			}
			if len(sl.Lines) == 0 {
				continue
			}
			var vs, ls []string
			for _, v := range sl.Vehicles {
				vs = append(vs, fmt.Sprintf("%s %d/%d", v.Kind, v.Used, v.Capacity))
			}
			for _, x := range sl.Lines {
				ls = append(ls, fmt.Sprintf("%s:%d T%d %st", x.Plan, x.Line, x.Tier, x.Tonnes))
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\n", sl.Crossing, sl.Week, sl.Load, sl.Capacity, strings.Join(vs, ", "), strings.Join(ls, ", "))
		}
		tw.Flush()
		for _, n := range names {
			fmt.Fprintf(w, "  %s carries nothing: closed in weeks %s\n", n, weekRanges(closed[n]))
		}
		for _, wt := range s.Waiting {
			fmt.Fprintf(w, "  waiting: %s:%d T%d %st: %s\n", wt.Plan, wt.Line, wt.Tier, wt.Tonnes, wt.Reason)
		}
	}
	if wi := r.WhatIf; wi != nil {
		fmt.Fprintf(w, "\nWHAT-IF (the same ranking as a linear programme, tier by tier; %s, rounded down to the cent)\n", r.Currency)
		for i, t := range wi.Tiers {
			greedy := ""
			if i < len(r.Tiers) {
				greedy = fmt.Sprintf(" (greedy %s)", r.Tiers[i].Funded)
			}
			fmt.Fprintf(w, "  T%d funded %s%s\n", t.Tier, t.Funded, greedy)
		}
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// csvHeader is the header of the CSV output: one row per line (kind line),
// per part of the budget (kind budget), per tier (kind tier) and per
// crossing week that carries or is closed (kind slot).
var csvHeader = []string{"kind", "plan", "line", "description", "hs", "tier", "tier_source", "status", "value", "funded_value",
	"funded_quantity", "unit", "currency", "week", "crossing", "reason"}

func writeCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, l := range r.Lines {
		cw.Write(tradeplan.CSVRow([]string{"line", l.Plan, strconv.Itoa(l.Line), l.Description, l.HS, strconv.Itoa(l.Tier), l.TierSource, l.Status,
			l.Value.String(), l.FundedValue.String(), l.FundedQty.String(), l.Unit, l.Currency, l.Week, l.Crossing, joinReason(l.Reason, l.Claim, l.Waiting)}))
	}
	b := &r.Budget
	part := func(name string, amount tradeplan.Decimal, note string) {
		cw.Write(tradeplan.CSVRow([]string{"budget", "", "", name, "", "", "", "", "", amount.String(), "", "", r.Currency, "", "", note}))
	}
	part("receipts", b.Receipts.Amount, b.Receipts.Note)
	part("lawful exports", b.Exports.Amount, b.Exports.Note)
	part("reserves", b.Reserves.Amount, b.Reserves.Note)
	part("available", b.Available, "")
	if b.Stated != nil {
		part("stated", *b.Stated, b.Override)
	}
	part("allocated", b.Total, "")
	part("unallocated", b.Unallocated, "")
	for _, t := range r.Tiers {
		status := ""
		if t.Deferred {
			status = Deferred
		}
		cw.Write(tradeplan.CSVRow([]string{"tier", "", "", t.Name, "", strconv.Itoa(t.Tier), "", status, t.Need.String(), t.Funded.String(), "", "", r.Currency, "", "",
			fmt.Sprintf("share %s: reserved %s, from above %s, second round %s, passed on %s", percent(t.Share), t.Reserved, t.FromAbove, t.Leftover, t.PassedOn)}))
	}
	if wi := r.WhatIf; wi != nil {
		for _, t := range wi.Tiers {
			cw.Write(tradeplan.CSVRow([]string{"whatif", "", "", "", "", strconv.Itoa(t.Tier), "", "", "", t.Funded.String(), "", "", r.Currency, "", "", "linear programme, tier by tier"}))
		}
	}
	if s := r.Schedule; s != nil {
		for _, sl := range s.Slots {
			if !sl.Closed && len(sl.Lines) == 0 {
				continue
			}
			status, note := "", ""
			if sl.Closed {
				status = "closed"
			} else {
				note = fmt.Sprintf("load %s t of %s t", sl.Load, sl.Capacity)
				for _, v := range sl.Vehicles {
					note += fmt.Sprintf(", %s %d/%d", v.Kind, v.Used, v.Capacity)
				}
			}
			cw.Write(tradeplan.CSVRow([]string{"slot", "", "", "", "", "", "", status, "", "", sl.Load.String(), "t", "", strconv.Itoa(sl.Week), sl.Crossing, note}))
		}
	}
	cw.Flush()
	return cw.Error()
}

func joinReason(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

// weekRanges writes sorted weeks as ranges: 1-4, 9.
func weekRanges(ws []int) string {
	var out []string
	for i := 0; i < len(ws); {
		j := i
		for j+1 < len(ws) && ws[j+1] == ws[j]+1 {
			j++
		}
		if j > i {
			out = append(out, fmt.Sprintf("%d-%d", ws[i], ws[j]))
		} else {
			out = append(out, strconv.Itoa(ws[i]))
		}
		i = j + 1
	}
	return strings.Join(out, ", ")
}
