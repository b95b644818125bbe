package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Opening or closing a crossing changes which permits can be used, so the
// crossings page's form does nothing at once: it answers a confirmation
// that says how many issued permits name the crossing (and which, the
// first crossingConfirmShown), and only a post of that confirmation, with
// the token it carries, changes the crossing. The token binds what was
// shown (the crossing, its status, the change, the reason, the count and
// the permits listed) to the session: a post without it, or one whose
// count has changed since it was shown, is answered with the confirmation
// again, with nothing changed.

const crossingConfirmShown = 10

type crossingConfirmView struct {
	Crossing tradeplan.Crossing
	Verb     string // open or close: the last part of the form's path
	Reason   string
	Count    int // every issued permit naming the crossing, whoever holds it
	Hidden   int // of them, those held outside what the administrator sees
	Impact   string
	Permits  []licensing.PermitView
	More     int
	Orgs     map[int64]string
	Token    string
	// Stale: a confirmation was posted, but what it showed has changed
	// since (Was was the count then).
	Stale bool
	Was   string
	// Changes is the number of events in the crossing's history.
	Changes int
}

// crossingConfirmToken is the token of a confirmation of v, keyed with the
// session's CSRF token. It binds the crossing's history (its length and
// when the status last changed), so that a used confirmation, replayed after the crossing was changed
// back, is asked again.
func crossingConfirmToken(csrf string, v *crossingConfirmView) string {
	m := hmac.New(sha256.New, []byte(csrf))
	parts := []string{"crossing-confirm", v.Crossing.ID, string(v.Crossing.Status), v.Crossing.Since.UTC().Format(time.RFC3339Nano), strconv.Itoa(v.Changes), v.Verb, v.Reason, strconv.Itoa(v.Count), v.Impact}
	for _, p := range v.Permits {
		parts = append(parts, strconv.FormatInt(p.ID, 10))
	}
	m.Write([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(m.Sum(nil))
}

func (u *ui) setCrossing(to tradeplan.CrossingStatus) uiHandler {
	verb := "close"
	if to == tradeplan.CrossingOpen {
		verb = "open"
	}
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		svc, err := u.service()
		if err != nil {
			return err
		}
		ctx := r.Context()
		id := r.PathValue("id")
		h, err := svc.Crossing(ctx, q.actor, id)
		if err != nil {
			return err
		}
		if !svc.Allowed(ctx, q.actor, licensing.ActManageCrossing, 0) {
			return tradeplan.Errorf(tradeplan.EForbidden, "opening or closing a crossing is for the authority's administrators")
		}
		reason := strings.TrimSpace(r.PostForm.Get("reason"))
		if reason == "" {
			return &tradeplan.Error{Code: tradeplan.EInvalid, Message: "reason: say why the crossing is to " + verb,
				Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: "reason"}, Message: "say why the crossing is to " + verb}}}
		}
		if h.Crossing.Status == to {
			return tradeplan.Errorf(tradeplan.EConflict, "crossing %s is already %s", h.Crossing.Name, to)
		}
		pg, err := svc.PermitPage(ctx, q.actor, licensing.PermitQuery{Crossing: id, Status: tradeplan.PermitIssued, Limit: crossingConfirmShown})
		if err != nil {
			return err
		}
		// The count is every permit the change stops or frees, whatever
		// jurisdiction holds it; the list, those the administrator sees.
		imp, err := svc.CrossingImpact(ctx, q.actor, id)
		if err != nil {
			return err
		}
		v := crossingConfirmView{Crossing: h.Crossing, Verb: verb, Reason: reason, Count: imp.Count, Hidden: max(0, imp.Count-pg.Total),
			Impact: imp.Digest, Permits: pg.Permits, More: max(0, min(pg.Total, imp.Count)-len(pg.Permits)), Changes: len(h.Events)}
		v.Token = crossingConfirmToken(q.csrf, &v)
		posted := r.PostForm.Get("confirm_token")
		if posted != "" && hmac.Equal([]byte(posted), []byte(v.Token)) {
			// The impact is checked again in the change's own transaction:
			// a permit issued at the crossing since is asked about again.
			c, err := svc.SetCrossingConfirmed(ctx, q.actor, id, to, reason, imp.Digest)
			if err == nil {
				return u.redirect(w, r, "/crossings#crossing-"+c.ID, "Crossing "+c.Name+" is now "+string(c.Status)+".")
			}
			if !errors.Is(err, licensing.ErrCrossingImpactChanged) {
				return err
			}
			if imp, err = svc.CrossingImpact(ctx, q.actor, id); err != nil {
				return err
			}
			v.Count, v.Hidden, v.Impact = imp.Count, max(0, imp.Count-pg.Total), imp.Digest
			v.Token = crossingConfirmToken(q.csrf, &v)
		}
		status := http.StatusOK
		if posted != "" {
			v.Stale, v.Was, status = true, r.PostForm.Get("count"), http.StatusConflict
		}
		if v.Orgs, err = u.orgNames(ctx, q.actor); err != nil {
			return err
		}
		for _, p := range v.Permits {
			u.nameOrgs(ctx, v.Orgs, p.Holder)
		}
		title := "Open " + h.Crossing.Name + "?"
		if verb == "close" {
			title = "Close " + h.Crossing.Name + "?"
		}
		u.render(w, r, status, "crossing-confirm", q, page{Title: title, Nav: "crossings", Data: v})
		return nil
	}
}
