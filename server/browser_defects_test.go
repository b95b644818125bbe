package server

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tradeplan/tradeplan"
)

// One browser test per defect of issue 17 (each failed before its fix).

// TestBrowserNotFoundPage: an unknown URL shows a browser an HTML page with
// a way back, never raw JSON; the API and a client asking for JSON still
// get the JSON error shape.
func TestBrowserNotFoundPage(t *testing.T) {
	h := newHarness(t, "sqlite")
	b := h.chrome(laptopWidth)
	for _, signed := range []bool{false, true} {
		if signed {
			b.signIn("province-reviewer")
		}
		b.open("/no/such/page")
		if got := b.text("h1"); got != "Not found" {
			t.Errorf("signed in %v: h1 %q, want Not found", signed, got)
		}
		b.wantText("There is no page at \"/no/such/page\"")
		if n := eval[int](b, `document.querySelectorAll("pre").length + (document.body.innerText.trim().startsWith("{") ? 1 : 0)`); n != 0 {
			t.Errorf("signed in %v: the page shows JSON", signed)
		}
		if n := eval[int](b, `document.querySelectorAll('main a[href]').length`); n == 0 {
			t.Errorf("signed in %v: the 404 page has no link back into the site", signed)
		}
	}
	for _, c := range []struct{ path, accept, want string }{
		{"/api/v1/nothing", "text/html", "application/json"},
		{"/no/such/page", "application/json", "application/json"},
		{"/no/such/page", "", "application/json"},
		{"/no/such/page", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "text/html; charset=utf-8"},
	} {
		req, _ := http.NewRequest(http.MethodGet, h.base+c.path, nil)
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != c.want {
			t.Errorf("GET %s Accept %q: %d %q, want 404 %q; %s", c.path, c.accept, resp.StatusCode, resp.Header.Get("Content-Type"), c.want, body)
		}
		if strings.HasPrefix(c.want, "text/html") && strings.Contains(string(body), "no such endpoint") {
			t.Errorf("GET %s: the HTML page shows the API's words", c.path)
		}
	}
}

// TestBrowserDeadlineDate: a deadline is entered in a date field and shown
// as the date entered, on the call, the list of calls and the upload form;
// never as the midnight after it.
func TestBrowserDeadlineDate(t *testing.T) {
	h := newHarness(t, "sqlite")
	b := h.chrome(laptopWidth)
	b.signIn("authority-admin")
	b.open("/calls")
	if typ := eval[string](b, `document.querySelector("#deadline").type`); typ != "date" {
		t.Errorf("the deadline field is <input type=%s>, want date", typ)
	}
	b.fill("#period", "2027-H2")
	b.do("enter the date", chromedp.SetValue(chromedp.CSS("#deadline"), "2027-05-31"))
	b.do("tick the province", chromedp.Click(chromedp.CSS(`input[name=org][value="`+strconv.FormatInt(h.orgs["province"].ID, 10)+`"]`)))
	b.submit(`form[action="/calls"] button[type=submit]`)
	if !strings.HasPrefix(b.location(), "/calls/") {
		t.Fatalf("opening the call went to %s", b.location())
	}
	for _, path := range []string{b.location(), "/calls"} {
		b.open(path)
		b.wantText("2027-05-31")
		if strings.Contains(b.pageText(), "2027-06-01") {
			t.Errorf("%s shows the deadline as 2027-06-01", path)
		}
	}
	b.signIn("province-submitter")
	b.open("/plans")
	if got := b.text(`select[name=call]`); !strings.Contains(got, "deadline 2027-05-31") {
		t.Errorf("the upload form names the call %q, want its deadline 2027-05-31", got)
	}
}

// submitPlanHTTP uploads and submits a plan for call as the province's
// submitter, over plain HTTP (setting the scene, not under test), and
// returns its id.
func submitPlanHTTP(t *testing.T, h *harness, call int64, doc string) int64 {
	t.Helper()
	sub := h.browser()
	sub.login("province-submitter")
	pg := sub.get("/plans").want(http.StatusOK)
	loc := sub.postFile("/plans", url.Values{"call": {strconv.FormatInt(call, 10)}, csrfField: {pg.csrf()}}, "file", "plan.yaml", doc).redirectsTo("/plans/")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/plans/"), 10, 64)
	if err != nil {
		t.Fatalf("upload went to %s", loc)
	}
	return id
}

// defectPlan has a prohibited export, a clear import, a line in doubt
// between a banned and a lawful code, a declared code the description
// contradicts, and an import whose description cannot be read (review).
const defectPlan = `plan:
  id: defects
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H2
lines:
  - direction: export
    description: salted pollack
    hs: "0305.69"
    quantity: 300
    unit: t
    value: 420000
    currency: USD
    partner: {name: Tumen Demo Seafood Co., country: CN}
    crossing: Namyang-Tumen
  - direction: import
    description: milled rice
    hs: "1006.30"
    quantity: 100
    unit: t
    value: 50000
    currency: USD
    partner: {name: Yanji Demo Grain Co., country: CN}
    crossing: Namyang-Tumen
  - direction: export
    description: salted pine mushrooms
    quantity: 12
    unit: t
    value: 360000
    currency: USD
    partner: {name: Yanji Demo Mountain Produce Co., country: CN}
    crossing: Namyang-Tumen
  - direction: import
    description: milled rice
    hs: "1101.00"
    quantity: 50
    unit: t
    value: 20000
    currency: USD
    partner: {name: Yanji Demo Grain Co., country: CN}
    crossing: Namyang-Tumen
  - direction: import
    description: qwzx sundries
    hs: "3920.10"
    quantity: 5
    unit: t
    value: 9000
    currency: USD
    partner: {name: Yanji Demo Plastics Co., country: CN}
    crossing: Namyang-Tumen
`

// importerPlan is a Chinese company's plan: rice sold to the DPRK.
const importerPlan = `plan:
  id: importer
  organisation: Hunchun importer
  country: CN
  period: 2027-H2
lines:
  - direction: export
    description: milled rice
    hs: "1006.30"
    quantity: 100
    unit: t
    value: 50000
    currency: USD
    partner: {name: Rason Demo Food Co., country: KP}
    crossing: Namyang-Tumen
`

// orgByNumber is how a page names an organisation it has no name for
// ("organisation 7"); words like "the organisation cap" do not match.
var orgByNumber = regexp.MustCompile(`(?i)\borganisation \d`)

// TestBrowserCallNamesAndPlans: the authority that issued a call sees who
// submitted, by name, and can open each plan; the counts agree with the
// plans.
func TestBrowserCallNamesAndPlans(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	// The importer, outside the authority's tree, is addressed by a second call.
	svc := h.srv.Licensing()
	c2, err := CallFromRequest("2027-H2", "2027-03-31", "", []int64{h.orgs["province"].ID, h.orgs["importer"].ID}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	c2.Issuer = h.orgs["authority"].ID
	if c2, err = svc.OpenCall(t.Context(), tradeplan.SystemActor("test"), c2); err != nil {
		t.Fatal(err)
	}
	imp := h.browser()
	imp.login("importer-submitter")
	pg := imp.get("/plans").want(http.StatusOK)
	imp.postFile("/plans", url.Values{"call": {strconv.FormatInt(c2.ID, 10)}, csrfField: {pg.csrf()}}, "file", "p.yaml",
		importerPlan).redirectsTo("/plans/")
	submitPlanHTTP(t, h, c2.ID, uiPlanYAML)
	_ = call

	b := h.chrome(laptopWidth)
	b.signIn("authority-reviewer")
	b.open("/calls/" + strconv.FormatInt(c2.ID, 10))
	b.wantText("2 submitted", "0 required and missing", "Hunchun importer", "North Hamgyong Provincial Trade Bureau")
	if orgByNumber.MatchString(b.pageText()) {
		t.Errorf("the call page names an organisation by its number:\n%s", b.pageText())
	}
	// The plans of the submissions table (the import ranking below it links
	// plans by their lines too).
	links := eval[[]string](b, `[...document.querySelectorAll('main table.submissions a[href^="/plans/"]')].map(a => a.getAttribute("href"))`)
	if len(links) != 2 {
		t.Fatalf("the call page links %d plans, want 2: %v", len(links), links)
	}
	for _, l := range links {
		b.open(l)
		if got := b.text("h1"); got == "Not found" {
			t.Errorf("%s: the issuing authority's reviewer gets Not found", l)
		}
		if orgByNumber.MatchString(b.text("dl.facts")) {
			t.Errorf("%s names its organisation by number", l)
		}
	}
	b.open("/plans")
	if orgByNumber.MatchString(b.text("main table")) {
		t.Errorf("the plans list names an organisation by its number:\n%s", b.text("main table"))
	}
}

// TestBrowserAuditShowsCrossings: the administrator who opens and closes
// a crossing finds both at the top of the audit page.
func TestBrowserAuditShowsCrossings(t *testing.T) {
	h, _ := browserHarness(t, "sqlite")
	b := h.chrome(laptopWidth)
	b.signIn("authority-admin")
	for _, verb := range []string{"open", "close"} {
		b.open("/crossings")
		sel := `form[action="/crossings/namyang-tumen/` + verb + `"]`
		b.fill(sel+` input[name=reason]`, "season "+verb)
		b.submit(sel + ` button[type=submit]`)
		b.submit(`#confirm-form button[type=submit]`)
	}
	b.open("/audit")
	// The entries' own rows (not the rows of the change tables nested in
	// them), and the action as the page shows it.
	actions := eval[[]string](b, `[...document.querySelectorAll("main tr.audit-entry")].slice(0, 2).map(r => r.querySelector("td.audit-action").innerText.trim())`)
	if len(actions) != 2 || actions[0] != "crossing.close" || actions[1] != "crossing.open" {
		t.Errorf("the newest audit entries are %v, want [crossing.close crossing.open]", actions)
	}
}

// TestBrowserNoFormsThatOnlyFail: no Approve on a line that can never be
// approved (the reason shown instead), no "Submit a plan" for a call the
// organisation has answered (its plan named instead), no "Record goods
// crossing" on a permit that is not usable (why shown instead).
func TestBrowserNoFormsThatOnlyFail(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	id := submitPlanHTTP(t, h, call.ID, uiPlanYAML)
	plan := "/plans/" + strconv.FormatInt(id, 10)
	b := h.chrome(laptopWidth)

	b.signIn("authority-reviewer")
	b.open(plan)
	if n := eval[int](b, `document.querySelectorAll('form[action$="/lines/1/approve"]').length`); n != 0 {
		t.Errorf("the prohibited line 1 offers an Approve form")
	}
	if got := b.text("#cannot-1"); !strings.Contains(got, "UNSCR 2371 (2017) OP9") {
		t.Errorf("line 1 does not say why it cannot be approved: %q", got)
	}
	if n := eval[int](b, `document.querySelectorAll('form[action$="/lines/2/approve"]').length`); n != 1 {
		t.Errorf("the clear line 2 offers %d Approve forms, want 1", n)
	}
	b.fill(`form[action$="/approve-clear"] input[name=reason]`, "necessary food import")
	b.submit(`form[action$="/approve-clear"] button[type=submit]`)

	b.signIn("province-submitter")
	b.open("/plans")
	if n := eval[int](b, `document.querySelectorAll('form[method=post][action="/plans"]').length`); n != 0 {
		t.Errorf("the upload form is offered for call %d, which plan %d answers", call.ID, id)
	}
	b.wantText("answered by plan " + strconv.FormatInt(id, 10))
	b.open("/permits")
	if n := eval[int](b, `document.querySelectorAll('form[action$="/use"]').length`); n != 0 {
		t.Errorf("a form to record goods crossing is offered on a permit that is not usable")
	}
	b.wantText("no")
	if why := b.text("main table tbody td:nth-child(10)"); !strings.Contains(why, "closed") && !strings.Contains(why, "valid from") {
		t.Errorf("the permit does not say why it is not usable: %q", why)
	}
}

// TestBrowserVerdictsAgree: a review a compliance officer cleared no longer
// shows as "review" once the line is approved; a code in doubt is not shown
// as 100% certain; a note that the description contradicts the declared code
// is not a green "clear"; and a compliance decision has no default.
func TestBrowserVerdictsAgree(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	id := submitPlanHTTP(t, h, call.ID, defectPlan)
	plan := "/plans/" + strconv.FormatInt(id, 10)
	b := h.chrome(laptopWidth)
	b.signIn("authority-compliance")
	b.open(plan)
	if got := b.text("#line-3 table.codes"); strings.Contains(got, "100%") || !strings.Contains(got, "in doubt") {
		t.Errorf("line 3, in doubt between two codes, shows %q", got)
	}
	if got := b.text("#line-4 ul.findings"); !strings.Contains(got, "not the declared") || strings.Contains(got, "clear") {
		t.Errorf("line 4's code mismatch reads %q (want a note, not clear)", got)
	}
	sel := `#line-5 form.compliance`
	if n := eval[int](b, `document.querySelectorAll("`+sel+`").length`); n != 1 {
		t.Fatalf("line 5 has %d compliance forms, want 1", n)
	}
	if v := eval[string](b, `document.querySelector("`+sel+` select[name=decision]").value`); v != "" {
		t.Errorf("the compliance decision defaults to %q", v)
	}
	// Submitting without choosing is stopped by the browser: nothing is recorded.
	b.fill(sel+` input[name=reason]`, "invoice and sample seen")
	b.fill(sel+` input[name=evidence]`, "invoice 2027/114, sample photographs")
	b.do("submit without a decision", chromedp.Click(chromedp.CSS(sel+` button[type=submit]`)))
	if valid := eval[bool](b, `document.querySelector("`+sel+` select[name=decision]").checkValidity()`); valid {
		t.Errorf("the decision field accepts no choice")
	}
	b.do("choose cleared", chromedp.SetValue(chromedp.CSS(sel+` select[name=decision]`), "cleared"))
	b.submit(sel + ` button[type=submit]`)
	b.signIn("authority-reviewer")
	b.open(plan)
	b.fill(`#line-5 form[action$="/approve"] input[name=reason]`, "plastics for greenhouses")
	b.submit(`#line-5 form[action$="/approve"] button[type=submit]`)
	if got := b.text("#line-h-5"); strings.Contains(got, "review approved") || !strings.Contains(got, "review cleared") {
		t.Errorf("line 5, review cleared and approved, is headed %q", got)
	}
}

// TestBrowserNoticeInView: after a decision on a line the page opens at the
// line and its notice is in view, beside it.
func TestBrowserNoticeInView(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	id := submitPlanHTTP(t, h, call.ID, defectPlan)
	b := h.chrome(laptopWidth)
	b.signIn("authority-reviewer")
	b.open("/plans/" + strconv.FormatInt(id, 10))
	b.fill(`#line-2 form[action$="/approve"] input[name=reason]`, "food")
	b.submit(`#line-2 form[action$="/approve"] button[type=submit]`)
	notice := b.text(`[role=status]`)
	if !strings.Contains(notice, "Line 2 approved") {
		t.Fatalf("the notice reads %q", notice)
	}
	top := eval[float64](b, `document.querySelector("[role=status]").getBoundingClientRect().top`)
	bottom := eval[float64](b, `document.querySelector("[role=status]").getBoundingClientRect().bottom`)
	height := eval[float64](b, `window.innerHeight`)
	if top < 0 || bottom > height {
		t.Errorf("the notice is out of sight: top %v, bottom %v, window %v", top, bottom, height)
	}
	if in := eval[bool](b, `document.querySelector("#line-2").contains(document.querySelector("[role=status]"))`); !in {
		t.Errorf("the notice is not beside line 2")
	}
}

// TestBrowserErrorsBesideTheForm: a refused form is shown again on its own
// page with the error beside it, in the user's words (no document paths,
// file names or numbers for names), and with what was typed still there.
func TestBrowserErrorsBesideTheForm(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	b := h.chrome(laptopWidth)
	b.signIn("province-submitter")
	bad := strings.Replace(uiPlanYAML, "unit: t\n    value: 50000", "unit: tonz\n    value: 50000", 1)
	b.open("/plans")
	b.setValue("#document", bad)
	b.submit(`form#upload-form button[type=submit]`)
	if loc := b.location(); loc != "/plans" {
		t.Errorf("the refused upload is shown at %s", loc)
	}
	msg := b.text(`form#upload-form [role=alert]`)
	for _, want := range []string{"line 2, unit", "tonz"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the upload error %q does not say %q", msg, want)
		}
	}
	for _, internal := range []string{"lines[", "-:", "findings["} {
		if strings.Contains(msg, internal) {
			t.Errorf("the upload error %q shows the internal %q", msg, internal)
		}
	}
	if got := eval[string](b, `document.querySelector("#document").value`); got != bad {
		t.Errorf("the pasted plan is lost: the field holds %d characters, want %d", len(got), len(bad))
	}

	id := submitPlanHTTP(t, h, call.ID, uiPlanYAML)
	b.signIn("authority-reviewer")
	plan := "/plans/" + strconv.FormatInt(id, 10)
	b.open(plan)
	form := `#line-2 form[action$='/lines/2/approve']`
	b.fill(form+` input[name=quantity]`, "900")
	b.fill(form+` input[name=reason]`, "the whole harvest")
	b.submit(form + ` button[type=submit]`)
	if got := b.text(form + ` [role=alert]`); !strings.Contains(got, "may not exceed") {
		t.Errorf("the approval's error beside its form reads %q", got)
	}
	if q := eval[string](b, `document.querySelector("`+form+` input[name=quantity]").value`); q != "900" {
		t.Errorf("the quantity typed is lost: %q", q)
	}
	if r := eval[string](b, `document.querySelector("`+form+` input[name=reason]").value`); r != "the whole harvest" {
		t.Errorf("the reason typed is lost: %q", r)
	}
}

// TestBrowserExactBalances: a permit's balance is exact after uses whose
// figures binary floating point cannot hold (0.1 and 0.2 of 2,600,000 USD
// leave 2,599,999.7, never 2,599,999.6999999997 nor a rounded figure).
func TestBrowserExactBalances(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	narrowScene(t, h, call.ID)
	h.clock.advance(132 * 24 * time.Hour) // into the period: the permits are usable
	b := h.chrome(laptopWidth)
	b.signIn("province-submitter")
	for _, fig := range []string{"0.1", "0.2"} {
		b.open("/permits")
		row := eval[string](b, `(() => { for (const r of document.querySelectorAll("main tbody tr")) { if (r.innerText.includes("milled rice")) return r.id } return "" })()`)
		if row == "" {
			t.Fatal("no permit for the milled rice")
		}
		use := "#" + row + ` form[action$='/use']`
		b.do("open the form", chromedp.Click(chromedp.CSS("#"+row+` details summary`)))
		b.fill(use+` input[name=quantity]`, fig)
		b.fill(use+` input[name=value]`, fig)
		b.submit(use + ` button[type=submit]`)
	}
	b.open("/permits")
	row := eval[string](b, `(() => { for (const r of document.querySelectorAll("main tbody tr")) { if (r.innerText.includes("milled rice")) return r.innerText } return "" })()`)
	for _, want := range []string{"4\u202f999.7 of 5\u202f000 t", "2\u202f599\u202f999.7 of 2\u202f600\u202f000 USD"} {
		if !strings.Contains(row, want) {
			t.Errorf("the rice permit's row lacks %q:\n%s", want, row)
		}
	}
}
