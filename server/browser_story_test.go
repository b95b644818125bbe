package server

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestBrowserStory walks the news report's story in a real browser, each
// role in turn, on each engine: the province uploads the report's plan;
// compliance decides the review; the reviewer refuses every banned export
// (each citing its resolution) and approves the clear imports in bulk; the
// administrator opens the crossing; once the period begins the province
// records goods crossing under the rice permit; the administrator reads it
// all in the audit log.
func TestBrowserStory(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) { browserStory(t, eng) })
	}
}

func browserStory(t *testing.T, engine string) {
	h, _ := browserHarness(t, engine)
	b := h.chrome(laptopWidth)

	// The province uploads the report's plan.
	b.signIn("province-submitter")
	plan := b.uploadPlan(reportPlan(t))
	b.wantText("submitted and screened", "20 lines")

	// Compliance upholds the review of the salted pine mushrooms (0711.59
	// banned, 2003.90 not): the classification stands.
	b.signIn("authority-compliance")
	b.open(plan)
	form := `#line-5 form.compliance`
	b.do("uphold", chromedp.SetValue(chromedp.CSS(form+` select[name=decision]`), "upheld"))
	b.fill(form+` input[name=reason]`, "brine-salted, provisionally preserved: 0711.59")
	b.submit(form + ` button[type=submit]`)
	if got := b.text("#line-5"); !strings.Contains(got, "upheld") {
		t.Errorf("line 5 after the compliance decision:\n%s", got)
	}

	// The reviewer refuses the banned exports, each with its citation, and
	// approves the clear imports in bulk.
	b.signIn("authority-reviewer")
	b.open(plan)
	b.submit(`form[action$="/refuse-prohibited"] button[type=submit]`)
	b.wantText("prohibited lines refused")
	for n := 1; n <= 10; n++ {
		got := b.text("#line-" + strconv.Itoa(n) + " .decision")
		if !strings.Contains(got, "Refused") || !strings.Contains(got, "Citing UNSCR") {
			t.Errorf("export line %d: %q, want refused citing its resolution", n, got)
		}
	}
	b.fill(`form[action$="/approve-clear"] input[name=reason]`, "necessary imports for the province")
	b.submit(`form[action$="/approve-clear"] button[type=submit]`)
	b.wantText("8 clear lines approved; 8 permits issued.")
	for n := 12; n <= 19; n++ {
		if got := b.text("#line-" + strconv.Itoa(n) + " .decision"); !strings.Contains(got, "Approved") {
			t.Errorf("import line %d: %q, want approved", n, got)
		}
	}

	// The administrator opens Namyang-Tumen.
	b.signIn("authority-admin")
	b.open("/crossings")
	b.fill(`form[action="/crossings/namyang-tumen/open"] input[name=reason]`, "customs resumes")
	b.submit(`form[action="/crossings/namyang-tumen/open"] button[type=submit]`)
	b.wantText("Nothing changes until you confirm")
	b.submit(`#confirm-form button[type=submit]`)
	b.wantText("is now open")

	// The period begins: the rice permit is usable, and the province records
	// a truck crossing under it.
	h.clock.advance(132 * 24 * time.Hour) // 2027-07-11
	b.signIn("province-submitter")
	b.open("/permits")
	row := eval[string](b, `(() => { for (const r of document.querySelectorAll("main tbody tr")) { if (r.innerText.includes("milled rice")) return r.id } return "" })()`)
	if row == "" {
		t.Fatal("no permit for the milled rice")
	}
	use := "#" + row + ` form[action$="/use"]`
	b.do("open the form", chromedp.Click(chromedp.CSS("#"+row+` details summary`)))
	b.fill(use+` input[name=quantity]`, "40")
	b.fill(use+` input[name=value]`, "20800")
	b.fill(use+` input[name=reference]`, "truck 27-0711")
	b.submit(use + ` button[type=submit]`)
	b.wantText("Recorded on permit", "40 t")

	// The administrator reads the story in the audit log.
	b.signIn("authority-admin")
	b.open("/audit")
	actions := b.text("main table tbody")
	for _, a := range []string{"permit.use", "crossing.open", "permit.issue", "line.refuse", "line.compliance"} {
		if !strings.Contains(actions, a) {
			t.Errorf("the audit log lacks %s", a)
		}
	}
}
