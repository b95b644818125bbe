package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// formErrorJS is the text of the error shown inside the form sel, "" when
// there is none.
func formErrorJS(sel string) string {
	return fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.innerText : "" })()`, sel+" .error")
}

// wantBeside checks that the page, still at the form's POST URL and not an
// error page, shows an error inside the form sel that says each part.
func (b *tab) wantBeside(sel, postPath string, parts ...string) {
	b.t.Helper()
	if loc := b.location(); !strings.HasPrefix(loc, postPath) {
		b.t.Errorf("after the refused post the browser is at %s, want the form's page answered at %s", loc, postPath)
	}
	if h1 := b.text("main h1"); slices.Contains([]string{"That did not work", "Not allowed", "Not found", "Refused", "Too large"}, h1) {
		b.t.Errorf("%s: an error page (%q), not the form's page", postPath, h1)
	}
	if n := eval[int](b, `document.querySelectorAll("main h1").length`); n != 1 {
		b.t.Errorf("%s: %d h1 elements, want 1", postPath, n)
	}
	got := eval[string](b, formErrorJS(sel))
	if got == "" {
		b.t.Errorf("%s: no error inside %s; the page shows:\n%s", postPath, sel, b.pageText())
		return
	}
	for _, p := range parts {
		if !strings.Contains(got, p) {
			b.t.Errorf("%s: the error beside the form says %q, want %q in it", postPath, got, p)
		}
	}
}

// wantValue checks that field sel holds value (what was typed is kept).
func (b *tab) wantValue(sel, value string) {
	b.t.Helper()
	if got := eval[string](b, fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != value {
		b.t.Errorf("%s holds %q after the refused post, want what was typed: %q", sel, got, value)
	}
}

func (b *tab) wantChecked(sel string) {
	b.t.Helper()
	if !eval[bool](b, fmt.Sprintf(`document.querySelector(%q).checked`, sel)) {
		b.t.Errorf("%s is not ticked after the refused post", sel)
	}
}

// TestBrowserFormErrorsBeside: on the calls, call, crossings, permits and
// users pages, a form the service refuses is answered by its own page with
// the error beside the form, in the user's words, and the form as it was
// filled in; nothing is changed.
func TestBrowserFormErrorsBeside(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	narrowScene(t, h, call.ID)
	h.clock.advance(132 * 24 * time.Hour) // 2027-07-11: the permits' window
	b := h.chrome(laptopWidth)
	b.signIn("authority-admin")

	t.Run("calls", func(t *testing.T) {
		b.t = t
		b.open("/calls")
		b.fill("#period", "2027-H9")
		b.setValue("#deadline", "2027-05-31")
		b.setValue("#guidance", "Only lawful goods, please.")
		prov := fmt.Sprintf(`form[action="/calls"] input[name=org][value="%d"]`, h.orgs["province"].ID)
		b.do("tick the province", clickAction(prov))
		b.submit(`form[action="/calls"] button[type=submit]`)
		b.wantBeside(`form[action="/calls"]`, "/calls", "period")
		b.wantValue("#period", "2027-H9")
		b.wantValue("#deadline", "2027-05-31")
		b.wantValue("#guidance", "Only lawful goods, please.")
		b.wantChecked(prov)
	})

	t.Run("budget", func(t *testing.T) {
		b.t = t
		callPath := "/calls/" + strconv.FormatInt(call.ID, 10)
		b.open(callPath)
		sel := `form[action="` + callPath + `/budget"]`
		b.fill("#b-receipts", "12,5")
		b.fill("#b-src", "central bank notice 7")
		b.submit(sel + ` button[type=submit]`)
		b.wantBeside(sel, callPath+"/budget", "receipts", "12,5")
		b.wantValue("#b-receipts", "12,5")
		b.wantValue("#b-src", "central bank notice 7")
	})

	t.Run("crossing capacity", func(t *testing.T) {
		b.t = t
		b.open("/crossings")
		sel := `form[action="/crossings/namyang-tumen/capacity"]`
		b.do("open the capacity form", clickAction(`#crossing-namyang-tumen details summary`))
		b.fill("#cap-t-namyang-tumen", "lots")
		b.fill("#cap-trucks-namyang-tumen", "40")
		b.submit(sel + ` button[type=submit]`)
		b.wantBeside(sel, "/crossings/namyang-tumen/capacity", "tonnes per week", "lots")
		b.wantValue("#cap-t-namyang-tumen", "lots")
		b.wantValue("#cap-trucks-namyang-tumen", "40")
	})

	t.Run("crossing close", func(t *testing.T) {
		b.t = t
		b.open("/crossings")
		sel := `form[action="/crossings/namyang-tumen/close"]`
		b.fill(sel+" input[name=reason]", "   ")
		b.submit(sel + ` button[type=submit]`)
		b.wantBeside(sel, "/crossings/namyang-tumen/close", "say why")
	})

	t.Run("users", func(t *testing.T) {
		b.t = t
		b.open("/orgs")
		sel := `form[action="/users"]`
		b.do("open the user form", clickAction(`details:has(form[action="/users"]) summary`))
		b.fill("#u-email", "new.reviewer@example.org")
		b.fill("#u-name", "New Reviewer")
		b.setValue("#u-role", "reviewer")
		b.fill("#u-password", "short")
		b.submit(sel + ` button[type=submit]`)
		b.wantBeside(sel, "/users", "password", "at least "+strconv.Itoa(tradeplan.MinPasswordLen))
		b.wantValue("#u-email", "new.reviewer@example.org")
		b.wantValue("#u-name", "New Reviewer")
		b.wantValue("#u-role", "reviewer")
		b.wantValue("#u-password", "") // a password is never sent back
	})

	t.Run("permit use", func(t *testing.T) {
		b.t = t
		b.signIn("province-submitter")
		b.open("/permits?crossing=namyang-tumen")
		row := eval[string](b, `(() => { for (const r of document.querySelectorAll("main tbody tr")) { if (r.querySelector('form[action*="/use"]')) return r.id } return "" })()`)
		if row == "" {
			t.Fatal("no usable permit on the permits page")
		}
		id := strings.TrimPrefix(row, "permit-")
		sel := "#" + row + ` form[action*="/use"]`
		b.do("open the use form", clickAction("#"+row+" details summary"))
		b.fill("#uq-"+id, "99999999")
		b.fill("#ur-"+id, "CN-TRUCK-0042")
		b.submit(sel + ` button[type=submit]`)
		b.wantBeside(sel, "/permits/"+id+"/use", "99")
		b.wantValue("#uq-"+id, "99999999")
		b.wantValue("#ur-"+id, "CN-TRUCK-0042")
		// The list's filter is kept: the page is the list the form was on.
		if got := eval[string](b, `document.querySelector("#mf-crossing").value`); got != "namyang-tumen" {
			t.Errorf("the permits filter after the refused post is %q, want namyang-tumen", got)
		}
	})
}

// TestUIFormErrorsStatus: the same refusals over plain HTTP (both engines):
// the answer is the form's page at the error's status, nothing is changed,
// and what must stay an error page does (another tree's record: 404; a form
// not offered: 403).
func TestUIFormErrorsStatus(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, engine)
			call := uiSeed(t, h)
			adm := h.browser()
			adm.login("authority-admin")
			calls := adm.get("/calls").want(http.StatusOK)
			p := adm.post("/calls", url.Values{"period": {"2027-H9"}, "deadline": {"2027-05-31"}, "guidance": {"kept <b>"}, csrfField: {calls.csrf()}}).
				want(http.StatusBadRequest).contains("<h1>Calls for plans</h1>", "kept &lt;b&gt;")
			checkHTML(t, p)
			adm.get("/calls").want(http.StatusOK).lacks("2027-H9")

			cr := adm.get("/crossings").want(http.StatusOK)
			p = adm.post("/crossings/namyang-tumen/capacity", url.Values{"tonnes_per_week": {"lots"}, csrfField: {cr.csrf()}}).
				want(http.StatusBadRequest).contains("<h1>Border crossings</h1>", `value="lots"`)
			checkHTML(t, p)

			users := adm.get("/orgs").want(http.StatusOK)
			p = adm.post("/users", url.Values{"email": {"x@example.org"}, "role": {"reviewer"}, "org": {strconv.FormatInt(h.orgs["authority"].ID, 10)},
				"password": {"short"}, csrfField: {users.csrf()}}).want(http.StatusBadRequest).contains("<h1>Organisations and users</h1>", `value="x@example.org"`).lacks(`value="short"`)
			checkHTML(t, p)

			// Another tree's user disabled from this admin's page: not
			// found, an error page, never the other tree's data.
			adm.post(fmt.Sprintf("/users/%d/disable", h.users["importer-admin"].ID), url.Values{csrfField: {users.csrf()}}).want(http.StatusNotFound)
			// A form the page never offers (the province's reviewer opening
			// a call): refused on an error page.
			rev := h.browser()
			rev.login("province-reviewer")
			rc := rev.get("/calls").want(http.StatusOK)
			rev.post("/calls", url.Values{"period": {"2027-H2"}, "deadline": {"2027-05-31"}, csrfField: {rc.csrf()}}).want(http.StatusForbidden)

			// A list's refused filter: the list without it, the error beside
			// the filter form, the other filters kept.
			for path, want := range map[string][]string{
				"/plans?status=lost&q=rice":                          {"<h1>Plans</h1>", "status: want draft, submitted or decided", `value="rice"`},
				"/permits?direction=sideways&crossing=namyang-tumen": {"<h1>Permits</h1>", "direction: want export or import", `value="namyang-tumen"`},
				"/audit?limit=5000&action=plan.":                     {"Audit", "limit", `value="plan."`},
			} {
				p := adm.get(path).want(http.StatusBadRequest).contains(want...)
				checkHTML(t, p)
				if !regexp.MustCompile(`(?s)<div class="error" role="alert">((?:[^<]|<[^f])*)<form method="get"|</form>\s*<div class="error" role="alert">`).MatchString(p.body) {
					t.Errorf("%s: the error is not beside the filter form", path)
				}
			}

			// The call page's close form without its tick.
			cp := adm.get(fmt.Sprintf("/calls/%d", call.ID)).want(http.StatusOK)
			adm.post(fmt.Sprintf("/calls/%d/close", call.ID), url.Values{csrfField: {cp.csrf()}}).want(http.StatusBadRequest).
				contains("tick the box", fmt.Sprintf("Call %d", call.ID))
			if c, err := h.srv.Licensing().Call(t.Context(), tradeplan.SystemActor("test"), call.ID); err != nil || c.Call.Status != licensing.CallOpen {
				t.Errorf("the call after a refused close: %v %v", c.Call.Status, err)
			}
		})
	}
}

// clickAction clicks the element sel without waiting for a new page (a
// summary that opens its details, a checkbox).
func clickAction(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

// TestBrowserCrossingConfirm: closing a crossing in the browser shows how
// many permits it stops and which, changes nothing until confirmed, asks
// again when the count changed meanwhile, and fits a phone's width.
func TestBrowserCrossingConfirm(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	narrowScene(t, h, call.ID) // Namyang-Tumen open, the report's imports approved
	svc, sys := h.srv.Licensing(), tradeplan.SystemActor("test")
	pg, err := svc.PermitPage(t.Context(), sys, licensing.PermitQuery{Crossing: "namyang-tumen", Status: tradeplan.PermitIssued})
	if err != nil || pg.Total < 2 {
		t.Fatalf("issued permits naming Namyang-Tumen: %d, %v; want 2 or more", pg.Total, err)
	}
	status := func() tradeplan.CrossingStatus {
		t.Helper()
		c, err := svc.Crossing(t.Context(), sys, "namyang-tumen")
		if err != nil {
			t.Fatal(err)
		}
		return c.Crossing.Status
	}
	b := h.chrome(phoneWidth)
	b.signIn("authority-admin")
	b.open("/crossings")
	sel := `form[action="/crossings/namyang-tumen/close"]`
	b.fill(sel+" input[name=reason]", "flood on the Tumen")
	b.submit(sel + " button[type=submit]")
	if h1 := b.text("main h1"); h1 != "Close Namyang-Tumen bridge?" {
		t.Errorf("the confirmation's heading is %q", h1)
	}
	b.wantText(fmt.Sprintf("Closing it stops %d issued permits naming it", pg.Total), pg.Permits[0].Number, "Nothing changes until you confirm")
	if got := eval[[]string](b, overflowJS); len(got) > 0 {
		t.Errorf("the confirmation at %d px: %s", phoneWidth, strings.Join(got, "; "))
	}
	if status() != tradeplan.CrossingOpen {
		t.Fatal("the crossing closed before the confirmation")
	}
	// Meanwhile a permit is suspended: the confirmation is stale.
	if _, err := svc.SetPermitStatus(t.Context(), sys, pg.Permits[0].ID, tradeplan.PermitSuspended, "inspection"); err != nil {
		t.Fatal(err)
	}
	b.submit("#confirm-form button[type=submit]")
	b.wantText("Confirm again", fmt.Sprintf("(%d issued permits then)", pg.Total), fmt.Sprintf("Closing it stops %d issued permit", pg.Total-1))
	if status() != tradeplan.CrossingOpen {
		t.Fatal("a stale confirmation closed the crossing")
	}
	b.submit("#confirm-form button[type=submit]")
	b.wantText("Crossing Namyang-Tumen bridge is now closed.")
	if status() != tradeplan.CrossingClosed {
		t.Fatal("the confirmed close was not made")
	}
}

// forgePost builds, in the page, a form the page does not offer (action,
// with the page's CSRF token and fields) and submits it, as a hostile user
// would post directly.
func (b *tab) forgePost(action string, fields map[string]string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const f = document.createElement("form"); f.method = "post"; f.action = %q;
  const add = (n, v) => { const i = document.createElement("input"); i.type = "hidden"; i.name = n; i.value = v; f.appendChild(i) };
  add("csrf_token", document.querySelector("input[name=csrf_token]").value);
  const fs = %s; for (const k in fs) add(k, fs[k]);
  const s = document.createElement("button"); s.type = "submit"; s.id = "forged-submit"; f.appendChild(s);
  document.querySelector("main").appendChild(f); return true })()`, action, jsonObject(fields))
	eval[bool](b, js)
	b.submit("#forged-submit")
}

func jsonObject(m map[string]string) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, strconv.Quote(k)+":"+strconv.Quote(v))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// TestBrowserSiteFiles: the site file pages in a browser, as each role:
// the applicant uploads (a bad file answered beside the form at its line
// and column, the text kept), is not offered the review and is refused a
// forged one; the province's own reviewer is refused too; another tree
// finds nothing; the authority's reviewer accepts with a reason after a
// refusal without one, at a phone's width with no table wider than the page.
func TestBrowserSiteFiles(t *testing.T) {
	h, _ := browserHarness(t, "sqlite")
	prov := h.orgs["province"].ID
	versions := fmt.Sprintf("/orgs/%d/sites", prov)
	v1 := versions + "/1"
	b := h.chrome(laptopWidth)

	b.signIn("province-submitter")
	b.open("/sites")
	b.submit(`main a[href="` + versions + `"]`)
	b.setValue("#sites-document", badHairSites)
	b.submit(`#sites-upload button[type=submit]`)
	b.wantBeside("#sites-upload", versions, fmt.Sprintf("line %d, column 16, site 1, process 1, yield", yieldLine(t)), "nothing was stored")
	b.wantValue("#sites-document", badHairSites)
	b.setValue("#sites-document", hairSites)
	b.submit(`#sites-upload button[type=submit]`)
	if loc := b.location(); loc != v1 {
		t.Fatalf("the upload went to %s, want %s", loc, v1)
	}
	b.wantText("Site file version 1 stored with 1 sites", "claimed", "Hoeryong hair products factory")
	if eval[bool](b, `!!document.querySelector("#sites-accept, #sites-reject")`) {
		t.Error("the applicant is offered the review of its own site file")
	}
	b.forgePost(v1+"/accept", map[string]string{"reason": "our own figures"})
	if h1 := b.text("main h1"); !strings.Contains(h1, "Not allowed") && !strings.Contains(h1, "Forbidden") && !strings.Contains(h1, "Refused") {
		t.Errorf("a forged acceptance by the applicant: heading %q, want a refusal", h1)
	}

	b.signIn("province-reviewer")
	b.open(v1)
	if eval[bool](b, `!!document.querySelector("#sites-accept")`) {
		t.Error("the province's own reviewer is offered the review")
	}
	b.forgePost(v1+"/accept", map[string]string{"reason": "ours"})
	b.wantText("the authority")

	b.signIn("importer-admin")
	b.open(v1)
	b.wantText("Not found")
	if strings.Contains(b.pageText(), "hoeryong") {
		t.Error("another tree sees the site file")
	}

	b.resize(phoneWidth)
	b.signIn("authority-reviewer")
	b.open("/sites")
	b.wantText("North Hamgyong Provincial Trade Bureau", "version 1")
	for _, p := range []string{"/sites", versions, v1} {
		b.open(p)
		if got := eval[[]string](b, overflowJS); len(got) > 0 {
			t.Errorf("%s at %d px: %s", p, phoneWidth, strings.Join(got, "; "))
		}
	}
	b.fill("#accept-reason", "   ")
	b.submit("#sites-accept button[type=submit]")
	b.wantBeside("#sites-accept", v1+"/accept", "reason")
	b.fill("#accept-reason", "inspected on 2027-03-02")
	b.submit("#sites-accept button[type=submit]")
	b.wantText("Site file version 1 is accepted.", "inspected on 2027-03-02")
	if vs, err := h.srv.Licensing().SiteVersions(t.Context(), tradeplan.SystemActor("test"), prov); err != nil || len(vs) != 1 || vs[0].Status != licensing.SitesAccepted {
		t.Errorf("stored: %+v %v; want version 1 accepted", vs, err)
	}
}
