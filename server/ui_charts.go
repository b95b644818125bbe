package server

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/svgchart"
	"github.com/tradeplan/tradeplan/licensing"
)

// The charts of the pages, drawn by internal/svgchart with their figures in
// a table beside them.

type permitCharts struct {
	Status svgchart.Chart
	Used   svgchart.Chart
	Total  int
	Back   string // the list of the same permits
}

// permitChartsPage draws the permits the list's filters select, every page
// of them: a page of its own, as it reads every permit of the selection
// while the list reads one page.
func (u *ui) permitChartsPage(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	if _, err := u.service(); err != nil {
		return err
	}
	pq, err := permitQuery(r.URL.Query())
	if err != nil {
		return err
	}
	c, err := u.permitCharts(r.Context(), q.actor, pq)
	if err != nil {
		return err
	}
	if c == nil {
		c = &permitCharts{}
	}
	c.Back = listURL("/permits", r.URL.Query(), 0)
	u.render(w, r, http.StatusOK, "permitcharts", q, page{Title: "Permits in charts", Nav: "permits", Data: c})
	return nil
}

// permitCharts draws the permits the list's filters select (every page of
// them): how many by effective status, and how much of their quantity is
// used.
func (u *ui) permitCharts(ctx context.Context, a tradeplan.Actor, q licensing.PermitQuery) (*permitCharts, error) {
	st, err := u.svc.PermitStats(ctx, a, q)
	if err != nil {
		return nil, err
	}
	if st.Total == 0 {
		return nil, nil
	}
	var bars []svgchart.Bar
	for _, s := range licensing.PermitStatuses {
		n := st.ByStatus[s]
		cls := ""
		switch s {
		case tradeplan.PermitIssued:
			cls = "ok"
		case tradeplan.PermitSuspended:
			cls = "warn"
		case tradeplan.PermitRevoked:
			cls = "bad"
		}
		bars = append(bars, svgchart.Bar{Label: string(s), Value: float64(n), Text: strconv.Itoa(n), Class: cls})
	}
	c := &permitCharts{Status: svgchart.Bars("permits-status", "Permits by status", "permits", bars), Total: st.Total}
	labels := []string{"none used", "some used", "all used"}
	bars = nil
	for i, n := range st.Used {
		bars = append(bars, svgchart.Bar{Label: labels[i], Value: float64(n), Text: strconv.Itoa(n)})
	}
	c.Used = svgchart.Bars("permits-used", "Permits by the quantity used", "permits", bars)
	return c, nil
}

type callCharts struct {
	Standing svgchart.Chart
	Chapters []svgchart.Chart
}

// callChartsOf draws a call's standing (submitted, late, missing) and, when
// the reader may see totals, the value of the submitted lines by HS
// chapter, one chart per direction and currency (values in different
// currencies are never added).
func callChartsOf(r licensing.CallReport) *callCharts {
	st := r.Standing
	c := &callCharts{Standing: svgchart.Bars("call-standing", "Standing of the call", "organisations", []svgchart.Bar{
		{Label: "submitted", Value: float64(st.Submitted), Text: strconv.Itoa(st.Submitted), Class: "ok"},
		{Label: "late", Value: float64(st.Late), Text: strconv.Itoa(st.Late), Class: "warn"},
		{Label: "required and missing", Value: float64(st.Missing), Text: strconv.Itoa(st.Missing), Class: "bad"},
	})}
	if r.Totals == nil {
		return c
	}
	type key struct {
		dir      tradeplan.Direction
		currency string
	}
	sums := map[key]map[string]tradeplan.Decimal{}
	for _, g := range r.Totals.Goods {
		if g.Value.IsZero() {
			continue
		}
		k := key{g.Direction, g.Currency}
		if sums[k] == nil {
			sums[k] = map[string]tradeplan.Decimal{}
		}
		ch := "none found"
		if len(g.HS) >= 2 {
			ch = "chapter " + g.HS[:2]
		}
		sums[k][ch] = sums[k][ch].Add(g.Value)
	}
	keys := make([]key, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].dir != keys[j].dir {
			return keys[i].dir < keys[j].dir
		}
		return keys[i].currency < keys[j].currency
	})
	for n, k := range keys {
		var bars []svgchart.Bar
		for ch, v := range sums[k] {
			bars = append(bars, svgchart.Bar{Label: ch, Value: v.Float64(), Text: fmtNum(v) + " " + k.currency})
		}
		sort.Slice(bars, func(i, j int) bool {
			if bars[i].Value != bars[j].Value {
				return bars[i].Value > bars[j].Value
			}
			return bars[i].Label < bars[j].Label
		})
		title := fmt.Sprintf("Value of %ss by HS chapter, %s", k.dir, k.currency)
		ch := svgchart.Bars(fmt.Sprintf("call-chapters-%d", n), title, k.currency, bars)
		ch.Table.Head = []string{"HS chapter", "value (" + k.currency + ")"}
		c.Chapters = append(c.Chapters, ch)
	}
	return c
}
