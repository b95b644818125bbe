package feasibility

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
)

// PlanResult is the feasibility report of one plan: each export line with
// its verdict and block.
type PlanResult struct {
	ID           string       `json:"id"`
	Organisation string       `json:"organisation,omitempty"`
	Period       string       `json:"period,omitempty"`
	File         string       `json:"file,omitempty"`
	Sites        string       `json:"sites"`
	Lines        []LineResult `json:"lines"`
}

// LineResult is one export line of a feasibility report.
type LineResult struct {
	Index       int                    `json:"index"`
	Pos         string                 `json:"pos,omitempty"`
	Description string                 `json:"description"`
	HS          string                 `json:"hs,omitempty"`
	Verdict     tradeplan.Verdict      `json:"verdict"`
	Feasibility *tradeplan.Feasibility `json:"feasibility"`
}

// Result makes the report of plan p from its screening report and blocks
// (as Check returns them).
func Result(p *tradeplan.Plan, rep *tradeplan.PlanReport, fs []*tradeplan.Feasibility, sitesFile string) PlanResult {
	r := PlanResult{ID: p.ID, Organisation: p.Organisation, Period: p.Period.Label, File: p.File, Sites: sitesFile, Lines: []LineResult{}}
	for i, f := range fs {
		if f == nil {
			continue
		}
		l := &p.Lines[i]
		lr := LineResult{Index: l.Index, Pos: l.Pos.String(), Description: l.Description, HS: l.HS, Feasibility: f}
		if rep != nil {
			lr.Verdict = rep.Lines[i].Verdict
			lr.HS = rep.Lines[i].HS.Code
		}
		r.Lines = append(r.Lines, lr)
	}
	return r
}

// Short reports whether any assessed line of the plans is short of its
// target.
func Short(plans []PlanResult) bool {
	for _, p := range plans {
		for _, l := range p.Lines {
			if l.Feasibility.Short() {
				return true
			}
		}
	}
	return false
}

// WriteJSON writes the reports as {"plans": [...]}.
func WriteJSON(w io.Writer, plans []PlanResult) error {
	if plans == nil {
		plans = []PlanResult{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"plans": plans})
}

// CSVColumns are the columns of the CSV report, one row per export line:
// the line, then the block's fields (tradeplan.FeasibilityColumns).
var CSVColumns = append([]string{"plan", "index", "description", "hs", "verdict"}, tradeplan.FeasibilityColumns...)

// WriteCSV writes one row per export line under one header.
func WriteCSV(w io.Writer, plans []PlanResult) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVColumns)
	for _, p := range plans {
		for _, l := range p.Lines {
			row := append([]string{p.ID, strconv.Itoa(l.Index), l.Description, l.HS, l.Verdict.String()}, l.Feasibility.Row()...)
			cw.Write(tradeplan.CSVRow(row))
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteText writes the reports for a reader: a row per export line, then
// its constraints and proposal.
func WriteText(w io.Writer, plans []PlanResult) error {
	for i, p := range plans {
		if i > 0 {
			fmt.Fprintln(w)
		}
		title := "Feasibility of plan " + p.ID
		if p.Organisation != "" {
			title += " — " + p.Organisation
		}
		fmt.Fprintln(w, title)
		var meta []string
		if p.Period != "" {
			meta = append(meta, "period "+p.Period)
		}
		if p.File != "" {
			meta = append(meta, "file "+p.File)
		}
		meta = append(meta, "sites "+p.Sites)
		fmt.Fprintf(w, "%s\n\n", strings.Join(meta, ", "))
		fmt.Fprintf(w, "%4s  %-28s  %-10s  %12s  %12s  %-10s  %s\n", "#", "GOODS", "VERDICT", "TARGET", "FEASIBLE", "BINDING", "PATTERN")
		assessed, short := 0, 0
		for _, l := range p.Lines {
			f := l.Feasibility
			if !f.Assessed {
				fmt.Fprintf(w, "%4d  %s  %-10s  %s\n", l.Index, pad(l.Description, 28), l.Verdict, f.Reason)
				if f.Citation != "" {
					fmt.Fprintf(w, "%6s%s\n", "", "finding: "+f.Citation)
				}
				continue
			}
			assessed++
			if f.Short() {
				short++
			}
			fmt.Fprintf(w, "%4d  %s  %-10s  %12s  %12s  %-10s  %s\n", l.Index, pad(l.Description, 28), l.Verdict,
				fig(f.Target)+" "+f.Unit, fig(f.Quantity)+" "+f.Unit, f.Binding, f.Pattern)
			fmt.Fprintf(w, "%6ssite %s, process %s, %d working days, %s h a day and %s a week per worker (%s)\n", "",
				f.Site, f.Process, f.WorkingDays, fig(f.HoursPerWorkerDay), fig(f.HoursPerWorkerWeek), f.Solver)
			for _, c := range f.Constraints {
				mark := " "
				if c.Name == f.Binding {
					mark = "*"
				}
				fmt.Fprintf(w, "%6s%s %-10s %12s  slack %-10s %s\n", "", mark, c.Name, fig(c.Limit), fig(c.Slack), c.Detail)
			}
			if f.Reason != "" {
				fmt.Fprintf(w, "%6s%s\n", "", f.Reason)
			}
			fmt.Fprintf(w, "%6sproposal for the target: %s\n", "", f.Proposal.String())
			for _, d := range f.DefaultsUsed {
				fmt.Fprintf(w, "%6sdefault used: %s\n", "", d)
			}
		}
		fmt.Fprintf(w, "\n%d export lines: %d assessed, %d feasible in full, %d short   (* = the binding constraint)\n",
			len(p.Lines), assessed, assessed-short, short)
	}
	return nil
}

// pad cuts or pads s to n runes.
func pad(s string, n int) string {
	c := utf8.RuneCountInString(s)
	if c > n {
		r := []rune(s)
		return string(r[:n-1]) + "…"
	}
	return s + strings.Repeat(" ", n-c)
}
