package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// permitAction is a change of a permit's status offered as a form.
type permitAction struct {
	Verb  string // suspend, reinstate, revoke: the last part of the form's path
	Label string
}

type permitRow struct {
	licensing.PermitView
	Actions []permitAction
	CanUse  bool // the holder may record goods crossing under it
}

type permitsView struct {
	Permits []permitRow
	Orgs    map[int64]string
	Filter  url.Values
	Pager   pager
}

var permitActions = []struct {
	to tradeplan.PermitStatus
	permitAction
}{
	{tradeplan.PermitSuspended, permitAction{"suspend", "Suspend"}},
	{tradeplan.PermitIssued, permitAction{"reinstate", "Reinstate"}},
	{tradeplan.PermitRevoked, permitAction{"revoke", "Revoke for good"}},
}

func (u *ui) permits(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	pq, err := permitQuery(r.URL.Query())
	if err != nil {
		return err
	}
	pg, err := svc.PermitPage(r.Context(), q.actor, pq)
	if err != nil {
		return err
	}
	ps := pg.Permits
	names, err := u.orgNames(r.Context(), q.actor)
	if err != nil {
		return err
	}
	// The authority changes a permit's status and the holder uses it (the
	// permission table); the forms offered are the transitions the permit's
	// state machine allows.
	for _, p := range ps {
		u.nameOrgs(r.Context(), names, p.Holder)
	}
	v := permitsView{Orgs: names, Filter: r.URL.Query(),
		Pager: newPager("/permits", "/permits.csv", r.URL.Query(), pg.Total, len(ps), pg.Next)}
	v.Pager.More = pg.More
	holders := make([]int64, len(ps))
	for i, p := range ps {
		holders[i] = p.Holder
	}
	manages := svc.AllowedFor(r.Context(), q.actor, licensing.ActPermitStatus, holders)
	uses := svc.AllowedFor(r.Context(), q.actor, licensing.ActUsePermit, holders)
	for _, p := range ps {
		row := permitRow{PermitView: p}
		// Goods cross only under a usable permit (approved, in its window,
		// its crossing open); otherwise the Usable column says why.
		row.CanUse = uses[p.Holder] && p.Usable
		if manages[p.Holder] {
			for _, a := range permitActions {
				if licensing.CanTransition(p.Status, a.to) {
					row.Actions = append(row.Actions, a.permitAction)
				}
			}
		}
		v.Permits = append(v.Permits, row)
	}
	u.render(w, r, http.StatusOK, "permits", q, page{Title: "Permits", Nav: "permits", Data: v})
	return nil
}

// usePermit records goods crossing under a permit: the service refuses it
// unless the permit is usable now (issued, in its window, with a balance,
// its crossing open).
func (u *ui) usePermit(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "permit")
	if err != nil {
		return err
	}
	in := licensing.UseInput{Reference: r.PostForm.Get("reference")}
	qty, err := formDecimal(r, "quantity")
	if err != nil {
		return err
	}
	val, err := formDecimal(r, "value")
	if err != nil {
		return err
	}
	if qty != nil {
		in.Quantity = *qty
	}
	if val != nil {
		in.Value = *val
	}
	p, err := svc.UsePermit(r.Context(), q.actor, id, in)
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/permits#permit-"+strconv.FormatInt(id, 10),
		"Recorded on permit "+p.Number+": "+fmtNum(in.Quantity)+" "+p.Unit+"; "+fmtNum(p.QuantityLeft)+" "+p.Unit+" left.")
}

// permitStatus suspends, reinstates or revokes a permit with a reason,
// through the service (which checks the role, the holder and the transition).
func (u *ui) permitStatus(to tradeplan.PermitStatus) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		svc, err := u.service()
		if err != nil {
			return err
		}
		id, err := uiPathID(r, "permit")
		if err != nil {
			return err
		}
		p, err := svc.SetPermitStatus(r.Context(), q.actor, id, to, r.PostForm.Get("reason"))
		if err != nil {
			return err
		}
		return u.redirect(w, r, "/permits#permit-"+strconv.FormatInt(id, 10), "Permit "+p.Number+" is now "+string(p.Status)+".")
	}
}
