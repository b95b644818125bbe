package server

import (
	"net/http"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

type crossingsView struct {
	Crossings []licensing.CrossingHistory
	Admin     bool
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
	}
	u.render(w, r, http.StatusOK, "crossings", q, page{Title: "Crossings", Nav: "crossings", Data: v})
	return nil
}

func (u *ui) setCrossing(to tradeplan.CrossingStatus) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		svc, err := u.service()
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		c, err := svc.SetCrossing(r.Context(), q.actor, id, to, r.PostForm.Get("reason"))
		if err != nil {
			return err
		}
		return u.redirect(w, r, "/crossings#crossing-"+c.ID, "Crossing "+c.Name+" is now "+string(c.Status)+".")
	}
}
