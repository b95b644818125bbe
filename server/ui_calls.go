package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

type callsView struct {
	Calls   []licensing.CallView
	Issuers map[int64]string
	// Orgs are the organisations an administrator may name in a new call.
	Orgs []tradeplan.Organisation
}

func (u *ui) calls(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	cs, err := svc.Calls(r.Context(), q.actor)
	if err != nil {
		return err
	}
	v := callsView{Calls: cs, Issuers: map[int64]string{}}
	for _, c := range cs {
		if _, ok := v.Issuers[c.Issuer]; !ok {
			v.Issuers[c.Issuer] = u.issuerName(r.Context(), q.actor, c.ID, c.Issuer)
		}
	}
	if svc.Allowed(r.Context(), q.actor, licensing.ActOpenCall, 0) {
		if v.Orgs, err = u.s.accounts.Orgs(r.Context(), tradeplan.OrgFilter{Under: &q.actor.Org.ID}); err != nil {
			return err
		}
	}
	u.render(w, r, http.StatusOK, "calls", q, page{Title: "Calls for plans", Nav: "calls", Data: v})
	return nil
}

// openCall opens a call for plans from the form, as POST /api/v1/calls
// does: the period and deadline read by CallFromRequest, the service checks
// the role and the organisations.
func (u *ui) openCall(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	var orgs []int64
	for _, s := range r.PostForm["org"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return tradeplan.Errorf(tradeplan.EInvalid, "organisations: %s is not an organisation", quoteShort(s))
		}
		orgs = append(orgs, id)
	}
	forbid := r.PostForm.Get("allow_own_review") != "yes"
	c, err := CallFromRequest(r.PostForm.Get("period"), r.PostForm.Get("deadline"), r.PostForm.Get("guidance"), orgs,
		r.PostForm.Get("allow_late") == "yes", &forbid)
	if err != nil {
		return err
	}
	c.IncludeOffices = r.PostForm.Get("include_offices") == "yes"
	c, err = svc.OpenCall(r.Context(), q.actor, c)
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/calls/"+strconv.FormatInt(c.ID, 10), "Call "+strconv.FormatInt(c.ID, 10)+" for "+c.Period+" is open.")
}

// issuerName names the authority (id) that issued a call.
func (u *ui) issuerName(ctx context.Context, a tradeplan.Actor, callID, id int64) string {
	if u.svc == nil {
		return "organisation " + strconv.FormatInt(id, 10)
	}
	o, err := u.svc.CallIssuer(ctx, a, callID)
	if err != nil {
		return "organisation " + strconv.FormatInt(id, 10)
	}
	return o.Name
}

type callView struct {
	R      licensing.CallReport
	Issuer string
	Orgs   map[int64]string
	// CanClose offers the form that closes an open call: the service's
	// permission check for closing (an administrator of the issuer).
	CanClose bool
	// Imports is the ranking of the call's imports (ui_imports.go).
	Imports importsUI
}

func (u *ui) call(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "call")
	if err != nil {
		return err
	}
	rep, err := svc.Call(r.Context(), q.actor, id)
	if err != nil {
		return err
	}
	names, err := svc.CallOrgNames(r.Context(), q.actor, id)
	if err != nil {
		return err
	}
	v := callView{R: rep, Issuer: u.issuerName(r.Context(), q.actor, rep.Call.ID, rep.Call.Issuer), Orgs: names}
	v.CanClose = rep.Call.Status == licensing.CallOpen && svc.Allowed(r.Context(), q.actor, licensing.ActCloseCall, 0) && q.actor.CanSee(rep.Call.Issuer)
	v.Imports = u.callImports(r.Context(), q.actor, rep)
	u.render(w, r, http.StatusOK, "call", q, page{Title: "Call " + strconv.FormatInt(id, 10) + " for " + rep.Call.Period, Nav: "calls", Data: v})
	return nil
}

// closeCall closes an open call early (as POST /api/v1/calls/{id}/close):
// the form asks for a tick to confirm.
func (u *ui) closeCall(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "call")
	if err != nil {
		return err
	}
	if r.PostForm.Get("confirm") != "yes" {
		return &tradeplan.Error{Code: tradeplan.EInvalid, Message: "confirm: tick the box to close the call",
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: "confirm"}, Message: "tick the box to close the call"}}}
	}
	c, err := svc.CloseCall(r.Context(), q.actor, id)
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/calls/"+strconv.FormatInt(c.ID, 10), "Call "+strconv.FormatInt(c.ID, 10)+" is closed: it takes no more plans.")
}
