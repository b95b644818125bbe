package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// narrowScene sets the scene for the main pages to have rows: the report's
// plan submitted, its clear lines approved (permits issued), its banned
// lines refused, Namyang-Tumen open. It returns the plan's page.
func narrowScene(t *testing.T, h *harness, call int64) string {
	t.Helper()
	id := submitPlanHTTP(t, h, call, reportPlan(t))
	plan := "/plans/" + strconv.FormatInt(id, 10)
	rev := h.browser()
	rev.login("authority-reviewer")
	pg := rev.get(plan).want(http.StatusOK)
	rev.post(plan+"/refuse-prohibited", url.Values{"reason": {"UN bans"}, csrfField: {pg.csrf()}}).redirectsTo(plan)
	rev.post(plan+"/approve-clear", url.Values{"reason": {"necessary imports"}, csrfField: {pg.csrf()}}).redirectsTo(plan)
	adm := h.browser()
	adm.login("authority-admin")
	setCrossingConfirmed(t, adm, "namyang-tumen", "open", "customs resumes")
	return plan
}

// overflowJS lists what is wider than the page: the page itself, and
// every table whose content or box reaches past the viewport's width.
const overflowJS = `(() => {
  const W = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > W) out.push("the page is " + document.documentElement.scrollWidth + " px wide in " + W);
  document.querySelectorAll("main table").forEach((t, i) => {
    const r = t.getBoundingClientRect();
    if (t.scrollWidth > W || r.right > W + 1 || r.left < -1)
      out.push("table " + (i+1) + (t.className ? " (" + t.className + ")" : "") + ": content " + t.scrollWidth + " px, right edge " + Math.round(r.right) + " px, page " + W + " px");
  });
  return out;
})()`

// TestBrowserPhoneWidth: at 390 px no table of the main pages is wider
// than the page: verdicts, the border and usability stay in view (tables
// stack their rows on narrow screens).
func TestBrowserPhoneWidth(t *testing.T) {
	h, call := browserHarness(t, "sqlite")
	plan := narrowScene(t, h, call.ID)
	b := h.chrome(phoneWidth)
	if w := eval[int](b, `document.documentElement.clientWidth`); w != phoneWidth {
		b.open("/login")
		if w = eval[int](b, `document.documentElement.clientWidth`); w != phoneWidth {
			t.Fatalf("the page is %d px wide, want %d", w, phoneWidth)
		}
	}
	check := func(who, path string) {
		t.Helper()
		if got := eval[[]string](b, overflowJS); len(got) > 0 {
			t.Errorf("%s at %d px, %s: %s", path, phoneWidth, who, strings.Join(got, "; "))
		}
	}
	// The public screening report of the report's plan.
	b.open("/")
	b.setValue("#document", reportPlan(t))
	b.submit(`form[action^="/screen"] button[type=submit]`)
	b.text("table.report")
	check("anyone", "the screening report")
	for _, v := range []struct {
		who   string
		pages []string
	}{
		{"province-submitter", []string{"/plans", plan, "/permits"}},
		{"authority-reviewer", []string{"/plans", plan, "/calls", "/calls/" + strconv.FormatInt(call.ID, 10)}},
		{"authority-admin", []string{"/crossings", "/permits", "/audit"}},
	} {
		b.signIn(v.who)
		for _, p := range v.pages {
			b.open(p)
			check(v.who, p)
		}
	}
	// On the permits page each permit shows its border and usability.
	b.signIn("province-submitter")
	b.open("/permits")
	for _, cls := range []string{".border", ".usable, .unusable", ".status"} {
		visible := eval[bool](b, `(() => { const e = document.querySelector("main tbody tr `+strings.ReplaceAll(cls, ", ", `, main tbody tr `)+`"); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth; })()`)
		if !visible {
			t.Errorf("/permits at %d px: the first permit's %s is not in view", phoneWidth, cls)
		}
	}
}
