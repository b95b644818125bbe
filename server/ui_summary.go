package server

import (
	"html/template"
	"net/url"
	"sort"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// listFuncs are the template functions of the lists, charts and summaries
// (widgets.html).
var listFuncs = template.FuncMap{
	"planSummary": planSummaryOf,
	"callCharts":  callChartsOf,
	"strs":        func(s ...string) []string { return s },
	"triple":      func(a int, b, c string) triple { return triple{A: a, B: b, C: c} },
	"chartsURL":   func(q url.Values) string { return listURL("/permits/charts", q, 0) },
}

type countRow struct {
	Name string
	N    int
}

// currencyBalance is a plan's exports against its imports in one currency,
// exactly.
type currencyBalance struct {
	Currency                  string
	Exports, Imports, Balance tradeplan.Decimal
}

// planSummary is the top of a plan's page: lines by verdict and by
// decision, the value balance per currency, and the lines waiting for a
// decision.
type planSummary struct {
	PlanID   int64
	Version  int
	Document bool // a submitted document to download
	Verdicts []countRow
	Statuses []countRow
	Balance  []currencyBalance
	Needing  []licensing.LineView
}

func planSummaryOf(d licensing.PlanDetail) *planSummary {
	s := &planSummary{PlanID: d.Plan.ID, Version: d.Version, Document: d.Plan.Status != tradeplan.PlanDraft}
	verdicts := map[string]int{}
	statuses := map[string]int{}
	bal := map[string]*currencyBalance{}
	for _, l := range d.Lines {
		v := "not screened"
		if l.Verdict != nil {
			v = l.Verdict.String()
		}
		verdicts[v]++
		statuses[l.Status]++
		if l.Status == licensing.LinePending {
			s.Needing = append(s.Needing, l)
		}
		if l.Value.IsZero() {
			continue
		}
		cur := l.Currency
		if cur == "" {
			cur = "(none)"
		}
		b := bal[cur]
		if b == nil {
			b = &currencyBalance{Currency: cur}
			bal[cur] = b
		}
		if l.Direction == tradeplan.Export {
			b.Exports = b.Exports.Add(l.Value)
		} else {
			b.Imports = b.Imports.Add(l.Value)
		}
	}
	for _, v := range []string{"prohibited", "review", "capped", "clear", "not screened"} {
		if verdicts[v] > 0 {
			s.Verdicts = append(s.Verdicts, countRow{v, verdicts[v]})
		}
	}
	for _, st := range []string{licensing.LinePending, licensing.LineApproved, licensing.LineRefused} {
		s.Statuses = append(s.Statuses, countRow{st, statuses[st]})
	}
	for _, b := range bal {
		b.Balance = b.Exports.Sub(b.Imports)
		s.Balance = append(s.Balance, *b)
	}
	sort.Slice(s.Balance, func(i, j int) bool { return s.Balance[i].Currency < s.Balance[j].Currency })
	return s
}

// triple carries a few values into a partial template.
type triple struct {
	A int
	B string
	C string
}
