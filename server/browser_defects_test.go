package server

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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
