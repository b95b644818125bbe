package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/svgchart"
	"github.com/tradeplan/tradeplan/licensing"
)

type capWindowView struct {
	licensing.CapWindow
	Chart svgchart.Chart
}

type capsView struct {
	Windows []capWindowView
	Orgs    map[int64]string
}

// caps is the cap ledger: each cap window that permits draw on, what they
// hold of it against its limit, drawn over the window, and the permits the
// reader may see behind it.
func (u *ui) caps(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	ws, err := svc.CapLedger(r.Context(), q.actor)
	if err != nil {
		return err
	}
	names, err := u.orgNames(r.Context(), q.actor)
	if err != nil {
		return err
	}
	v := capsView{Orgs: names}
	for i, cw := range ws {
		var labels, texts []string
		var vals []float64
		var sum tradeplan.Decimal
		for _, d := range cw.Days {
			sum = sum.Add(d.Held)
			labels = append(labels, d.Day.Format(time.DateOnly))
			vals = append(vals, sum.Float64())
			texts = append(texts, fmtNum(sum))
		}
		title := "Cap " + cw.Cap + ", " + cw.From.Format(time.DateOnly) + " to " + cw.To.Format(time.DateOnly) + ": held by permits, by the day issued"
		ch := svgchart.Lines("cap-"+strconv.Itoa(i), title, cw.Unit, labels,
			[]svgchart.Series{{Name: "held", Values: vals, Texts: texts}},
			&svgchart.Ref{Label: "cap", Value: cw.Limit.Float64(), Text: fmtNum(cw.Limit)})
		ch.Table.Head[0] = "issued by"
		v.Windows = append(v.Windows, capWindowView{CapWindow: cw, Chart: ch})
	}
	u.render(w, r, http.StatusOK, "caps", q, page{Title: "Cap ledger", Nav: "caps", Data: v})
	return nil
}
