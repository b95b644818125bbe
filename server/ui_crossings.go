package server

import (
	"net/http"

	"github.com/tradeplan/tradeplan/licensing"
)

type crossingsView struct {
	Crossings []licensing.CrossingHistory
	Admin     bool
	// Affects counts, by crossing, the issued permits naming it that the
	// administrator may see: what opening or closing it changes.
	Affects map[string]int
}

func (u *ui) crossings(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	cs, err := svc.Crossings(r.Context(), q.actor)
	if err != nil {
		return err
	}
	v := crossingsView{Admin: svc.Allowed(r.Context(), q.actor, licensing.ActManageCrossing, 0)}
	for _, c := range cs {
		h, err := svc.Crossing(r.Context(), q.actor, c.ID)
		if err != nil {
			return err
		}
		// Newest change first.
		for i, j := 0, len(h.Events)-1; i < j; i, j = i+1, j-1 {
			h.Events[i], h.Events[j] = h.Events[j], h.Events[i]
		}
		v.Crossings = append(v.Crossings, h)
		if v.Admin {
			if v.Affects == nil {
				v.Affects = map[string]int{}
			}
			// Every jurisdiction's, as the confirmation counts them.
			imp, err := svc.CrossingImpact(r.Context(), q.actor, c.ID)
			if err != nil {
				return err
			}
			v.Affects[c.ID] = imp.Count
		}
	}
	u.render(w, r, http.StatusOK, "crossings", q, page{Title: "Crossings", Nav: "crossings", Data: v})
	return nil
}
