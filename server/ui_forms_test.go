package server

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

var confirmTokenRE = regexp.MustCompile(`name="confirm_token" value="([0-9a-f]+)"`)
var confirmCountRE = regexp.MustCompile(`name="count" value="(\d+)"`)

// confirmation reads the hidden fields of a crossing confirmation page.
func (p *htmlPage) confirmation() (token, count string) {
	p.t.Helper()
	m, c := confirmTokenRE.FindStringSubmatch(p.body), confirmCountRE.FindStringSubmatch(p.body)
	if m == nil || c == nil {
		p.t.Fatalf("%s %s: not a confirmation page (no confirm_token or count):\n%s", p.method, p.path, htmlText(p.body))
	}
	return m[1], c[1]
}

// setCrossingConfirmed opens or closes (verb) a crossing through its form
// and the confirmation, as an administrator's browser b does.
func setCrossingConfirmed(t *testing.T, b *browser, id, verb, reason string) {
	t.Helper()
	cr := b.get("/crossings").want(http.StatusOK)
	path := "/crossings/" + id + "/" + verb
	conf := b.post(path, url.Values{"reason": {reason}, csrfField: {cr.csrf()}}).want(http.StatusOK).contains("Nothing changes until you confirm")
	tok, n := conf.confirmation()
	b.post(path, url.Values{"reason": {reason}, csrfField: {conf.csrf()}, "count": {n}, "confirm_token": {tok}}).redirectsTo("/crossings")
}

// TestUICrossingConfirm: opening a crossing is asked first, with how many
// issued permits it affects and which; nothing changes until the
// confirmation is posted with its token; a post without it, with a forged
// one, from another session, with another reason, or after the permits it
// counted have changed is asked again, with nothing changed.
func TestUICrossingConfirm(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			_, loc, _ := uiWorkSetup(t, h)
			svc, sys := h.srv.Licensing(), tradeplan.SystemActor("test")
			pid := mustInt(t, strings.TrimPrefix(loc, "/plans/"))
			if _, _, err := svc.ApproveLine(context.Background(), sys, pid, 4, licensing.Approval{Reason: "food"}); err != nil {
				t.Fatal(err)
			}
			pg, err := svc.PermitPage(context.Background(), sys, licensing.PermitQuery{Crossing: "namyang-tumen", Status: tradeplan.PermitIssued})
			if err != nil || pg.Total != 1 {
				t.Fatalf("permits naming the crossing: %d, %v; want 1", pg.Total, err)
			}
			permit := pg.Permits[0]
			status := func() tradeplan.CrossingStatus {
				t.Helper()
				c, err := svc.Crossing(context.Background(), sys, "namyang-tumen")
				if err != nil {
					t.Fatal(err)
				}
				return c.Crossing.Status
			}
			const path = "/crossings/namyang-tumen/open"

			adm := h.browser()
			adm.login("authority-admin")
			csrf := adm.get("/crossings").want(http.StatusOK).csrf()
			conf := adm.post(path, url.Values{"reason": {"customs resumes"}, csrfField: {csrf}}).want(http.StatusOK)
			checkHTML(t, conf)
			conf.contains("<h1>Open Namyang-Tumen bridge?</h1>", "Opening it lets 1 issued permit naming it be used", permit.Number,
				"Nothing changes until you confirm", "Yes, open Namyang-Tumen bridge (1 permit)")
			tok, n := conf.confirmation()
			if n != "1" || status() != tradeplan.CrossingClosed {
				t.Fatalf("after the form: count %s, crossing %s; want 1 and still closed", n, status())
			}

			// Posted directly, with a confirm field but no token, or a forged
			// one: asked (again), nothing changed.
			adm.post(path, url.Values{"reason": {"customs resumes"}, "confirm": {"yes"}, csrfField: {csrf}}).want(http.StatusOK).contains("Nothing changes until you confirm")
			adm.post(path, url.Values{"reason": {"customs resumes"}, "count": {"1"}, "confirm_token": {strings.Repeat("0", 64)}, csrfField: {csrf}}).
				want(http.StatusConflict).contains("Confirm again")
			// The confirmation of another reason, or of another session.
			adm.post(path, url.Values{"reason": {"something else"}, "count": {"1"}, "confirm_token": {tok}, csrfField: {csrf}}).want(http.StatusConflict)
			adm2 := h.browser()
			adm2.login("authority-admin")
			adm2.post(path, url.Values{"reason": {"customs resumes"}, "count": {"1"}, "confirm_token": {tok}, csrfField: {adm2.get("/crossings").csrf()}}).want(http.StatusConflict)
			if status() != tradeplan.CrossingClosed {
				t.Fatal("the crossing changed without its confirmation")
			}

			// The count changes after the confirmation was shown (the permit
			// is suspended): the stale confirmation is asked again.
			if _, err := svc.SetPermitStatus(context.Background(), sys, permit.ID, tradeplan.PermitSuspended, "inspection"); err != nil {
				t.Fatal(err)
			}
			again := adm.post(path, url.Values{"reason": {"customs resumes"}, "count": {n}, "confirm_token": {tok}, csrfField: {csrf}}).want(http.StatusConflict)
			checkHTML(t, again)
			again.contains("Confirm again", "(1 issued permit then)", "Opening it lets 0 issued permits").lacks(permit.Number)
			if status() != tradeplan.CrossingClosed {
				t.Fatal("a stale confirmation opened the crossing")
			}
			tok2, n2 := again.confirmation()
			adm.post(path, url.Values{"reason": {"customs resumes"}, "count": {n2}, "confirm_token": {tok2}, csrfField: {csrf}}).redirectsTo("/crossings")
			if status() != tradeplan.CrossingOpen {
				t.Fatal("the confirmed change was not made")
			}

			// Who may not open or close it is refused before any
			// confirmation; an unknown crossing is not found.
			rev := h.browser()
			rev.login("authority-reviewer")
			rev.post("/crossings/namyang-tumen/close", url.Values{"reason": {"x"}, csrfField: {rev.get("/crossings").csrf()}}).want(http.StatusForbidden).lacks("confirm_token")
			adm.post("/crossings/nowhere/close", url.Values{"reason": {"x"}, csrfField: {csrf}}).want(http.StatusNotFound)
		})
	}
}
