package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// The web interface, driven over HTTP like a browser without JavaScript: a
// cookie jar, forms posted as application/x-www-form-urlencoded or
// multipart/form-data, redirects looked at rather than followed.

// uiPlanYAML is a province's plan: a seafood export banned by UNSCR 2371
// (2017) OP9, and a clear import of rice.
const uiPlanYAML = `plan:
  id: ui-test
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
`

// browser is a user agent with a cookie jar that does not follow redirects.
type browser struct {
	t  *testing.T
	h  *harness
	hc *http.Client
}

type htmlPage struct {
	t      *testing.T
	method string
	path   string
	status int
	header http.Header
	body   string
}

func (h *harness) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: h.t, h: h, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, body io.Reader, contentType string) *htmlPage {
	b.t.Helper()
	req, err := http.NewRequest(method, b.h.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	return &htmlPage{t: b.t, method: method, path: path, status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

func (b *browser) get(path string) *htmlPage { return b.do(http.MethodGet, path, nil, "") }

func (b *browser) post(path string, form url.Values) *htmlPage {
	return b.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// postFile posts a multipart form with one file field.
func (b *browser) postFile(path string, form url.Values, field, filename, content string) *htmlPage {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		b.t.Fatal(err)
	}
	io.WriteString(fw, content)
	mw.Close()
	return b.do(http.MethodPost, path, &buf, mw.FormDataContentType())
}

func (p *htmlPage) want(status int) *htmlPage {
	p.t.Helper()
	if p.status != status {
		p.t.Fatalf("%s %s: status %d, want %d; body:\n%s", p.method, p.path, p.status, status, p.body)
	}
	return p
}

// redirectsTo checks a 303 to a location starting with prefix.
func (p *htmlPage) redirectsTo(prefix string) string {
	p.t.Helper()
	loc := p.header.Get("Location")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		p.t.Fatalf("%s %s: status %d Location %q, want 303 to %s...; body:\n%s", p.method, p.path, p.status, loc, prefix, p.body)
	}
	return loc
}

func (p *htmlPage) contains(parts ...string) *htmlPage {
	p.t.Helper()
	text := htmlText(p.body)
	for _, s := range parts {
		if !strings.Contains(p.body, s) && !strings.Contains(text, s) {
			p.t.Errorf("%s %s: page lacks %q; text:\n%s", p.method, p.path, s, text)
		}
	}
	return p
}

func (p *htmlPage) lacks(parts ...string) *htmlPage {
	p.t.Helper()
	for _, s := range parts {
		if strings.Contains(p.body, s) {
			p.t.Errorf("%s %s: page contains %q", p.method, p.path, s)
		}
	}
	return p
}

var csrfFieldRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf returns the hidden csrf_token of the page's forms.
func (p *htmlPage) csrf() string {
	p.t.Helper()
	m := csrfFieldRE.FindStringSubmatch(p.body)
	if m == nil {
		p.t.Fatalf("%s %s: no csrf_token field in the page", p.method, p.path)
	}
	return m[1]
}

// htmlText is the page's text with tags removed and spaces collapsed, for
// looking for phrases that span elements.
func htmlText(body string) string {
	d := xml.NewDecoder(strings.NewReader(body))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if cd, ok := tok.(xml.CharData); ok {
			b.Write(cd)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// checkHTML parses a page and reports anything a strict Content Security
// Policy would block or that leaves a form control without a label: script
// and style elements, style and on* attributes, javascript: URLs; and every
// security header the server promises.
func checkHTML(t *testing.T, p *htmlPage) {
	t.Helper()
	if ct := p.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s %s: Content-Type %q", p.method, p.path, ct)
	}
	for name, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'", "X-Content-Type-Options": "nosniff",
		"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
	} {
		if got := p.header.Get(name); !strings.Contains(got, want) {
			t.Errorf("%s %s: header %s = %q, want %q", p.method, p.path, name, got, want)
		}
	}
	if !strings.HasPrefix(p.body, "<!doctype html>") {
		t.Errorf("%s %s: no doctype", p.method, p.path)
	}
	d := xml.NewDecoder(strings.NewReader(p.body))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	labelFor, ids := map[string]bool{}, map[string]bool{}
	type control struct{ id, name string }
	var controls []control
	inLabel, titles, mains, h1s := 0, 0, 0, 0
	lang := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s %s: HTML does not parse: %v", p.method, p.path, err)
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(el.Name.Local)
			attr := map[string]string{}
			for _, a := range el.Attr {
				an := strings.ToLower(a.Name.Local)
				attr[an] = a.Value
				if an == "style" || strings.HasPrefix(an, "on") {
					t.Errorf("%s %s: <%s %s=...>: inline style or script", p.method, p.path, name, an)
				}
				if strings.Contains(strings.ToLower(a.Value), "javascript:") {
					t.Errorf("%s %s: <%s %s=%q>: javascript: URL", p.method, p.path, name, an, a.Value)
				}
			}
			if id := attr["id"]; id != "" {
				if ids[id] {
					t.Errorf("%s %s: id %q used twice", p.method, p.path, id)
				}
				ids[id] = true
			}
			switch name {
			case "script", "style":
				t.Errorf("%s %s: <%s> element", p.method, p.path, name)
			case "link":
				if attr["rel"] == "stylesheet" && !strings.HasPrefix(attr["href"], "/static/") {
					t.Errorf("%s %s: stylesheet %q not from /static/", p.method, p.path, attr["href"])
				}
			case "html":
				lang = attr["lang"]
			case "title":
				// An SVG chart's <title> names the drawing, not the page.
				if el.Name.Space != "http://www.w3.org/2000/svg" {
					titles++
				}
			case "main":
				mains++
			case "h1":
				h1s++
			case "label":
				inLabel++
				if f := attr["for"]; f != "" {
					labelFor[f] = true
				}
			case "input", "select", "textarea":
				typ := attr["type"]
				if typ == "hidden" || typ == "submit" {
					continue
				}
				if inLabel > 0 {
					continue
				}
				controls = append(controls, control{attr["id"], attr["name"]})
			}
		case xml.EndElement:
			if strings.ToLower(el.Name.Local) == "label" && inLabel > 0 {
				inLabel--
			}
		}
	}
	if lang == "" || titles != 1 || mains != 1 || h1s < 1 {
		t.Errorf("%s %s: lang %q, %d titles, %d main, %d h1", p.method, p.path, lang, titles, mains, h1s)
	}
	for _, c := range controls {
		if c.id == "" || !labelFor[c.id] {
			t.Errorf("%s %s: form control %q (id %q) has no label", p.method, p.path, c.name, c.id)
		}
	}
}

// uiSeed registers the crossing and opens a call for 2027-H2 that the
// province must answer, as the system would from the command line.
func uiSeed(t *testing.T, h *harness) licensing.CallView {
	t.Helper()
	svc := h.srv.Licensing()
	ctx := context.Background()
	sys := tradeplan.SystemActor("test")
	if _, err := svc.AddCrossing(ctx, sys, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen bridge", Kind: "bridge",
		Countries: []string{"KP", "CN"}}); err != nil {
		t.Fatal(err)
	}
	c, err := CallFromRequest("2027-H2", "2027-03-31", "Realistic exports and absolutely necessary imports.",
		[]int64{h.orgs["province"].ID}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Issuer = h.orgs["authority"].ID
	c, err = svc.OpenCall(ctx, sys, c)
	if err != nil {
		t.Fatal(err)
	}
	return licensing.CallView{Call: c, Status: licensing.CallOpen}
}

// uiAddUser adds a user with the harness's password.
func uiAddUser(t *testing.T, h *harness, key, orgKey string, role tradeplan.Role) {
	t.Helper()
	ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
	u, err := h.db.CreateUser(ctx, tradeplan.User{OrgID: h.orgs[orgKey].ID, Email: key + "@example.org", Name: key, Role: role}, h.password)
	if err != nil {
		t.Fatalf("user %s: %v", key, err)
	}
	h.users[key] = u
}

// login signs a browser in through the login form.
func (b *browser) login(userKey string) {
	b.t.Helper()
	lp := b.get("/login").want(http.StatusOK)
	b.post("/login", url.Values{"email": {userKey + "@example.org"}, "password": {b.h.password},
		csrfField: {lp.csrf()}, "next": {"/plans"}}).redirectsTo("/plans")
}

func TestUIPublicScreen(t *testing.T) {
	h := newHarness(t, "sqlite")
	b := h.browser()
	home := b.get("/").want(http.StatusOK)
	checkHTML(t, home)
	home.contains("Screen a plan", `action="/screen#result"`, `href="/login"`)

	// The example fills the form; screened, it is caught and cites its source.
	ex := b.get("/?example=1").want(http.StatusOK).contains("salted pollack")
	checkHTML(t, ex)
	b.post("/screen", url.Values{"document": {uiExamplePlan}}).want(http.StatusOK).
		contains("UNSCR 2371 (2017) OP9", "3102.10", "diesel fuel")

	// Pasted YAML.
	p := b.postFile("/screen", url.Values{"document": {uiPlanYAML}, "format": {"auto"}}, "file", "", "").want(http.StatusOK)
	checkHTML(t, p)
	p.contains("Screening report", "salted pollack", "prohibited", "UNSCR 2371 (2017) OP9", "0305.69", "declared",
		"KP → CN", "Namyang-Tumen", "milled rice", "clear")
	if !regexp.MustCompile(`<span class="verdict v-prohibited">prohibited</span>`).MatchString(p.body) {
		t.Error("no prohibited verdict badge")
	}

	// The same as an uploaded file, the format from its name; and urlencoded.
	b.postFile("/screen", url.Values{"format": {"auto"}}, "file", "plan.yaml", uiPlanYAML).want(http.StatusOK).
		contains("UNSCR 2371 (2017) OP9")
	b.post("/screen", url.Values{"document": {uiPlanYAML}, "format": {"yaml"}}).want(http.StatusOK).
		contains("UNSCR 2371 (2017) OP9")

	// A bad document: every problem at its line, the text kept for editing.
	bad := strings.Replace(uiPlanYAML, "unit: t\n    value: 50000", "unit: bushels of gold\n    value: 50000", 1)
	p = b.post("/screen", url.Values{"document": {bad}}).want(http.StatusBadRequest)
	checkHTML(t, p)
	p.contains("pasted:", "unit", "bushels of gold")
	b.post("/screen", url.Values{"document": {"  "}}).want(http.StatusBadRequest).contains("paste a plan document")
	b.post("/screen", url.Values{"document": {uiPlanYAML}, "format": {"xml"}}).want(http.StatusBadRequest)

	// The stylesheet: hashed name, a year's cache; anything else is 404.
	m := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(home.body)
	if m == nil {
		t.Fatal("no hashed stylesheet link")
	}
	css := b.get(m[1]).want(http.StatusOK)
	if !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.header.Get("Cache-Control"), "immutable") ||
		!strings.Contains(css.body, ".v-prohibited") {
		t.Errorf("stylesheet: %v", css.header)
	}
	b.get("/static/app.000000000000.css").want(http.StatusNotFound)
	b.get("/static/app.css").want(http.StatusNotFound)
}

func TestUIWorkflow(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			uiWorkflow(t, newHarness(t, eng))
		})
	}
}

func uiWorkflow(t *testing.T, h *harness) {
	uiAddUser(t, h, "authority-reviewer", "authority", tradeplan.RoleReviewer)
	call := uiSeed(t, h)

	// Pages need a session: a GET goes to the login page and back.
	anon := h.browser()
	anon.get("/plans").redirectsTo("/login?next=%2Fplans")
	anon.get("/plans/1").redirectsTo("/login?next=%2Fplans%2F1")
	anon.post("/plans/1/lines/1/refuse", url.Values{"reason": {"x"}}).want(http.StatusUnauthorized)
	// Login needs the form's token (no cross-site sign-in) and the password.
	anon.post("/login", url.Values{"email": {"province-submitter@example.org"}, "password": {h.password}}).want(http.StatusForbidden)
	lp := anon.get("/login").want(http.StatusOK)
	checkHTML(t, lp)
	wrong := anon.post("/login", url.Values{"email": {"province-submitter@example.org"}, "password": {"nope"}, csrfField: {lp.csrf()}}).
		want(http.StatusUnauthorized)
	checkHTML(t, wrong)
	// next= never leads off the site.
	lp = anon.get("/login?next=//evil.example/x").want(http.StatusOK).lacks("evil.example")
	if loc := anon.post("/login", url.Values{"email": {"province-submitter@example.org"}, "password": {h.password}, csrfField: {lp.csrf()},
		"next": {"https://evil.example/"}}).redirectsTo("/"); loc != "/" {
		t.Errorf("sign-in with a foreign next= leads to %q, want the worklist at /", loc)
	}

	// The submitter uploads the plan to the call; it is screened at submission.
	sub := h.browser()
	sub.login("province-submitter")
	plans := sub.get("/plans").want(http.StatusOK)
	checkHTML(t, plans)
	plans.contains("No plans yet", "Submit a plan", fmt.Sprintf(`<option value="%d">`, call.ID))
	loc := sub.postFile("/plans", url.Values{"call": {fmt.Sprint(call.ID)}, "format": {"auto"}, csrfField: {plans.csrf()}},
		"file", "nhg.yaml", uiPlanYAML).redirectsTo("/plans/")
	var planID int64
	fmt.Sscanf(strings.TrimPrefix(loc, "/plans/"), "%d", &planID)
	if planID == 0 {
		t.Fatalf("upload went to %q", loc)
	}
	pp := sub.get(loc).want(http.StatusOK)
	checkHTML(t, pp)
	pp.contains("submitted and screened", "North Hamgyong Provincial Trade Bureau", "salted pollack", "UNSCR 2371 (2017) OP9",
		"Applicant", "Reviewer", "not assessed", "0305.69", "prohibited: UNSCR 2371 (2017) OP9")
	pp.contains(`<span class="verdict v-prohibited">prohibited</span>`, `<span class="verdict v-clear">clear</span>`)
	pp.lacks(`/lines/1/approve"`) // a submitter gets no review forms
	sub.get("/plans").want(http.StatusOK).contains("submitted", "1 prohibited", "1 clear", "0 approved · 0 refused · 2 pending")

	// A reviewer of the authority reviews it.
	rev := h.browser()
	rev.login("authority-reviewer")
	rp := rev.get(loc).want(http.StatusOK)
	checkHTML(t, rp)
	// The prohibited line is offered no approval, only why; its refusal is.
	rp.contains(`/lines/1/refuse"`, `/lines/2/approve"`, "Approve clear lines", "Approval is not offered: prohibited")
	rp.lacks(`/lines/1/approve"`)
	csrf := rp.csrf()

	// Approving the prohibited export anyway (a forged form): the server
	// refuses, and says why.
	refused := rev.post(fmt.Sprintf("/plans/%d/lines/1/approve", planID), url.Values{"reason": {"competitive export"}, csrfField: {csrf}}).
		want(http.StatusConflict)
	checkHTML(t, refused)
	// The refusal is shown on the plan's own page, beside line 1.
	refused.contains("line 1 is prohibited and can never be approved", "UNSCR 2371 (2017) OP9", `id="line-1"`, "Decide many lines")

	// A form without the CSRF token, or with another, is rejected and changes nothing.
	rev.post(fmt.Sprintf("/plans/%d/lines/1/refuse", planID), url.Values{"reason": {"banned"}}).want(http.StatusForbidden).
		contains("did not come from this site")
	rev.post(fmt.Sprintf("/plans/%d/lines/1/refuse", planID), url.Values{"reason": {"banned"}, csrfField: {csrf + "x"}}).want(http.StatusForbidden)
	rev.get(loc).want(http.StatusOK).lacks("Refused</strong>")
	if d, err := h.srv.Licensing().Plan(context.Background(), tradeplan.SystemActor("test"), planID, 0); err != nil || d.Lines[0].Status != licensing.LinePending {
		t.Fatalf("line 1 after rejected forms: %+v, %v", d.Lines[0].Status, err)
	}

	// A reason is required: the problem is shown.
	rev.post(fmt.Sprintf("/plans/%d/lines/1/refuse", planID), url.Values{"reason": {""}, csrfField: {csrf}}).want(http.StatusBadRequest).
		contains("reason", "is required")
	// Refusing it works, and cites the resolution.
	rev.post(fmt.Sprintf("/plans/%d/lines/1/refuse", planID), url.Values{"reason": {"UN ban on seafood exports"}, csrfField: {csrf}}).
		redirectsTo(fmt.Sprintf("/plans/%d?line=1#line-1", planID))
	after := rev.get(loc).want(http.StatusOK)
	after.contains("Line 1 refused.", "Refused", "UN ban on seafood exports", "Citing UNSCR 2371 (2017) OP9")
	// The clear import in bulk; its permit is approved but the crossing closed.
	rev.post(fmt.Sprintf("/plans/%d/approve-clear", planID), url.Values{"reason": {"necessary food import"}, csrfField: {csrf}}).
		redirectsTo(fmt.Sprintf("/plans/%d", planID))
	after = rev.get(loc).want(http.StatusOK)
	checkHTML(t, after)
	after.contains("1 clear line approved; 1 permit issued.", "Approved", "necessary food import", "decided")

	permits := sub.get("/permits").want(http.StatusOK)
	checkHTML(t, permits)
	permits.contains("milled rice", "issued", "approved", "namyang-tumen", `<span class="border b-closed">closed</span>`,
		`<span class="unusable">no</span>`)

	// The submitter amends the plan: the refused export dropped, the approved
	// import unchanged (its decision carries over); a version 2 with the
	// difference shown.
	pp = sub.get(loc).want(http.StatusOK).contains("Amend the plan")
	rice := uiPlanYAML[:strings.Index(uiPlanYAML, "  - direction: export")] + uiPlanYAML[strings.Index(uiPlanYAML, "  - direction: import"):]
	sub.postFile(fmt.Sprintf("/plans/%d/amend", planID), url.Values{"reason": {""}, csrfField: {pp.csrf()}}, "file", "v2.yaml", rice).
		want(http.StatusBadRequest).contains("reason is required")
	sub.postFile(fmt.Sprintf("/plans/%d/amend", planID), url.Values{"reason": {"seafood export withdrawn"}, csrfField: {pp.csrf()}}, "file", "v2.yaml", rice).
		redirectsTo(loc)
	v2 := sub.get(loc).want(http.StatusOK)
	checkHTML(t, v2)
	v2.contains("Version 2 submitted and screened.", "Version 2 of 2", "Changes from version 1", "Line 1 of version 1 removed",
		"seafood export withdrawn", "Carried from version 1").lacks("salted pollack")
	sub.get(loc+"?version=1").want(http.StatusOK).contains("Version 1 of 2", "salted pollack")

	// The call: who has submitted.
	cp := rev.get(fmt.Sprintf("/calls/%d", call.ID)).want(http.StatusOK)
	checkHTML(t, cp)
	cp.contains("2027-H2", "1 submitted", "North Hamgyong Provincial Trade Bureau", "By goods", "1006.30")
	checkHTML(t, rev.get("/calls").want(http.StatusOK).contains(fmt.Sprintf("Call %d", call.ID), "Trade Authority"))

	// Crossings: only an administrator opens them; then the permit is usable.
	cr := rev.get("/crossings").want(http.StatusOK)
	checkHTML(t, cr)
	cr.contains("Namyang-Tumen bridge", "closed").lacks("/crossings/namyang-tumen/open")
	rev.post("/crossings/namyang-tumen/open", url.Values{"reason": {"x"}, csrfField: {csrf}}).want(http.StatusForbidden)
	adm := h.browser()
	adm.login("authority-admin")
	cr = adm.get("/crossings").want(http.StatusOK).contains(`action="/crossings/namyang-tumen/open"`)
	checkHTML(t, cr)
	adm.post("/crossings/namyang-tumen/open", url.Values{"reason": {""}, csrfField: {cr.csrf()}}).want(http.StatusBadRequest)
	setCrossingConfirmed(t, adm, "namyang-tumen", "open", "customs resumes")
	adm.get("/crossings").want(http.StatusOK).contains("is now open", "customs resumes", `action="/crossings/namyang-tumen/close"`)
	sub.get("/permits").want(http.StatusOK).contains(`<span class="border b-open">open</span>`, "is valid from 2027-07-01")
	sub.get("/permits").lacks("Change status")
	// The permit is not usable before its window: no form to record goods
	// crossing is offered, and a forged one is refused.
	up := sub.get("/permits").want(http.StatusOK).lacks("Record goods crossing")
	usePath := "/permits/" + regexp.MustCompile(`id="permit-(\d+)"`).FindStringSubmatch(up.body)[1] + "/use"
	sub.post(usePath, url.Values{"quantity": {"10"}, "value": {"5000"}, csrfField: {up.csrf()}}).want(http.StatusConflict).
		contains("cannot be used now")
	// An administrator suspends the permit and reinstates it.
	ap := adm.get("/permits").want(http.StatusOK).contains("Change status", "/suspend\"", "/revoke\"").lacks("/reinstate\"")
	checkHTML(t, ap)
	pid := regexp.MustCompile(`action="/permits/(\d+)/suspend"`).FindStringSubmatch(ap.body)[1]
	adm.post("/permits/"+pid+"/suspend", url.Values{"reason": {""}, csrfField: {ap.csrf()}}).want(http.StatusBadRequest)
	adm.post("/permits/"+pid+"/suspend", url.Values{"reason": {"inspection pending"}, csrfField: {ap.csrf()}}).redirectsTo("/permits")
	adm.get("/permits").contains("is now suspended", "inspection pending", "/reinstate\"")
	adm.post("/permits/"+pid+"/reinstate", url.Values{"reason": {"inspection passed"}, csrfField: {ap.csrf()}}).redirectsTo("/permits")
	sub.post("/permits/"+pid+"/revoke", url.Values{"reason": {"x"}, csrfField: {plans.csrf()}}).want(http.StatusForbidden)
	other0 := h.browser()
	other0.login("importer-admin")
	other0.post("/permits/"+pid+"/revoke", url.Values{"reason": {"x"}, csrfField: {other0.get("/permits").csrf()}}).want(http.StatusNotFound)
	h.clock.advance(130 * 24 * time.Hour) // into the permit's window, 2027-07
	sub.get("/permits").want(http.StatusOK).contains(`<span class="border b-open">open</span>`, `<span class="usable">yes</span>`)
	sub.post(usePath, url.Values{"quantity": {"10"}, "value": {"5000"}, "reference": {"CD-2027-0001"}, csrfField: {up.csrf()}}).
		redirectsTo("/permits")
	sub.get("/permits").want(http.StatusOK).contains("Recorded on permit", "90 t left", "90 of 100 t")
	// A decimal comma is refused at the field, never read as 15; a point is exact.
	sub.post(usePath, url.Values{"quantity": {"1,5"}, csrfField: {up.csrf()}}).want(http.StatusBadRequest).contains("quantity", "use a point: 1.5")
	sub.get("/permits").want(http.StatusOK).contains("90 of 100 t")
	sub.post(usePath, url.Values{"quantity": {"1.5"}, "value": {"0.1"}, csrfField: {up.csrf()}}).redirectsTo("/permits")
	sub.get("/permits").want(http.StatusOK).contains("88.5 t left", "88.5 of 100 t", "44\u202f999.9 of 50\u202f000 USD")

	// An administrator opens a call from the calls page.
	cl := adm.get("/calls").want(http.StatusOK).contains("Open a call", "North Hamgyong Provincial Trade Bureau")
	checkHTML(t, cl)
	rev.get("/calls").lacks("Open a call")
	adm.post("/calls", url.Values{"period": {"2028-H9"}, "deadline": {"soon"}, csrfField: {cl.csrf()}}).want(http.StatusBadRequest).
		contains("period", "deadline")
	nc := adm.post("/calls", url.Values{"period": {"2028-H1"}, "deadline": {"2027-12-31"}, "guidance": {"necessary imports first"},
		"org": {fmt.Sprint(h.orgs["province"].ID)}, csrfField: {cl.csrf()}}).redirectsTo("/calls/")
	adm.get(nc).want(http.StatusOK).contains("is open.", "2028-H1", "necessary imports first", "1 required and missing")

	// The audit log: administrators see the chain verified; submitters may not look.
	au := adm.get("/audit").want(http.StatusOK)
	checkHTML(t, au)
	au.contains("The whole chain verifies", "line.refuse", "permit.issue", "UN ban on seafood exports")
	sub.get("/audit").want(http.StatusForbidden)

	// Another organisation sees nothing of the plan: 404 on the page and its forms.
	other := h.browser()
	other.login("importer-admin")
	nf := other.get(loc).want(http.StatusNotFound)
	checkHTML(t, nf)
	nf.contains("Not found").lacks("salted pollack", "North Hamgyong")
	other.post(fmt.Sprintf("/plans/%d/lines/2/refuse", planID), url.Values{"reason": {"x"}, csrfField: {nf.csrf()}}).want(http.StatusNotFound)
	other.get("/plans").want(http.StatusOK).lacks("North Hamgyong", "salted pollack")
	other.get("/permits").want(http.StatusOK).lacks("milled rice")
	other.get("/plans/abc").want(http.StatusNotFound)
	other.get(fmt.Sprintf("/plans/%d?version=9", planID)).want(http.StatusNotFound)

	// Signing out ends the session.
	sub.post("/logout", url.Values{csrfField: {plans.csrf()}}).redirectsTo("/")
	sub.get("/plans").redirectsTo("/login")
}

// TestUIErrorsHideInternals checks that a failure inside shows a friendly
// page with no internal text.
func TestUIErrorsHideInternals(t *testing.T) {
	h := newHarness(t, "sqlite")
	b := h.browser()
	b.login("province-admin")
	h.db.Close() // every query now fails inside
	p := b.get("/plans").want(http.StatusInternalServerError)
	checkHTML(t, p)
	p.contains("Something went wrong").lacks("sql", "database is closed")
}

func TestLocalPath(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"path", "/plans/3", "/plans/3"},
		{"query", "/plans?x=1", "/plans?x=1"},
		{"absolute", "http://127.0.0.1:8080/plans/3", ""},
		{"protocol relative", "//evil.example/x", ""},
		{"other scheme", "javascript:alert(1)", ""},
		{"backslash", "/\\evil.example", ""},
		{"relative", "plans", ""},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := localPath(tc.in); got != tc.want {
				t.Errorf("localPath(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestBackPath(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"line form", "/plans/3/lines/2/approve", "/plans/3"},
		{"bulk form", "/plans/12/approve-clear", "/plans/12"},
		{"upload", "/plans", "/plans"},
		{"crossing", "/crossings/namyang-tumen/open", "/crossings"},
		{"permit", "/permits/4/suspend", "/permits"},
		{"screen", "/screen", "/"},
		{"odd", "/plans/abc/submit", "/plans"},
		{"unknown", "/x/y", "/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := backPath(tc.in); got != tc.want {
				t.Errorf("backPath(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFmtNum(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   float64
		want string
	}{
		{"small", 12, "12"},
		{"thousands", 1234567.5, "1\u202f234\u202f567.5"},
		{"negative", -4200, "-4\u202f200"},
		{"fraction kept exactly", 0.123456, "0.123456"},
		{"never rounded up", 479999.999, "479\u202f999.999"},
		{"zero", 0, "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmtNum(tradeplan.D(tc.in)); got != tc.want {
				t.Errorf("fmtNum(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDocumentFormat(t *testing.T) {
	for _, tc := range []struct{ name, choice, file, body, want string }{
		{"chosen", "csv", "pasted", "plan: x", "csv"},
		{"extension", "auto", "plan.json", "x", "json"},
		{"json body", "auto", "pasted", " {\"plan\": {}}", "json"},
		{"csv body", "auto", "pasted", "direction,description,hs\nexport,x,0305", "csv"},
		{"yaml body", "auto", "pasted", "plan:\n  id: x", "yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := documentFormat(tc.choice, tc.file, []byte(tc.body))
			if err != nil || string(f) != tc.want {
				t.Errorf("got %q, %v; want %q", f, err, tc.want)
			}
		})
	}
}

// TestUIComplianceReview walks a line with review findings through the
// forms: a reviewer cannot approve it until a compliance officer clears each
// finding; a capped line is approved and its cap draw shown on the permit.
func TestUIComplianceReview(t *testing.T) {
	h := newHarness(t, "sqlite")
	uiAddUser(t, h, "authority-reviewer", "authority", tradeplan.RoleReviewer)
	uiAddUser(t, h, "authority-compliance", "authority", tradeplan.RoleCompliance)
	call := uiSeed(t, h)
	doc := `plan:
  id: review-test
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H2
lines:
  - {direction: import, description: "lathes for the repair shop", hs: "8458.11", quantity: 2, unit: pcs, value: 90000, currency: USD,
     origin: CN, crossing: Namyang-Tumen, exemption: "1718 Committee exemption 2027/01"}
  - {direction: import, description: diesel fuel, hs: "2710.19", quantity: 500, unit: t, value: 450000, currency: USD,
     origin: CN, crossing: Namyang-Tumen}
`
	sub := h.browser()
	sub.login("province-submitter")
	loc := sub.post("/plans", url.Values{"call": {fmt.Sprint(call.ID)}, "document": {doc}, csrfField: {sub.get("/plans").csrf()}}).
		redirectsTo("/plans/")

	rev := h.browser()
	rev.login("authority-reviewer")
	rp := rev.get(loc).want(http.StatusOK).contains("review", "a compliance officer's decision on goods:un-dprk/2375-op26")
	rp.lacks(`/lines/1/compliance"`) // reviewers do not decide findings
	id := strings.TrimPrefix(loc, "/plans/")
	rev.post("/plans/"+id+"/lines/1/approve", url.Values{"reason": {"needed"}, csrfField: {rp.csrf()}}).want(http.StatusConflict).
		contains("needs a compliance officer's decision on 2 finding(s) first", "UNSCR 2375 (2017) OP26")

	co := h.browser()
	co.login("authority-compliance")
	cp := co.get(loc).want(http.StatusOK)
	checkHTML(t, cp)
	keys := regexp.MustCompile(`name="finding" value="([^"]+)"`).FindAllStringSubmatch(cp.body, -1)
	if len(keys) != 2 {
		t.Fatalf("%d compliance forms, want 2 (one per review finding)", len(keys))
	}
	for _, k := range keys {
		co.post("/plans/"+id+"/lines/1/compliance", url.Values{"finding": {k[1]}, "decision": {"cleared"}, "reason": {"exemption 2027/01 confirmed with the Committee"},
			csrfField: {cp.csrf()}}).redirectsTo(loc + "?line=1#line-1")
	}
	co.get(loc).contains("cleared", "exemption 2027/01 confirmed with the Committee")

	rev.post("/plans/"+id+"/lines/1/approve", url.Values{"reason": {"exempted repair equipment"}, csrfField: {rp.csrf()}}).redirectsTo(loc + "?line=1#line-1")
	// The capped diesel, reduced.
	rev.post("/plans/"+id+"/lines/2/approve", url.Values{"quantity": {"900"}, "reason": {"x"}, csrfField: {rp.csrf()}}).want(http.StatusBadRequest).
		contains("may not exceed the 500 t requested")
	rev.post("/plans/"+id+"/lines/2/approve", url.Values{"quantity": {"250"}, "value": {"225000"}, "reason": {"half for the fleet"}, csrfField: {rp.csrf()}}).
		redirectsTo(loc + "?line=2#line-2")
	rev.get(loc).contains("Line 2 approved (reduced)", "Approved (reduced): 250 t", "decided")
	pm := sub.get("/permits").want(http.StatusOK)
	checkHTML(t, pm)
	pm.contains("diesel fuel", "250 of 250 t", "on cap un-dprk/refined", "lathes for the repair shop")
}
