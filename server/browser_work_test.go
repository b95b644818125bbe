package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// Browser tests of the worklists, the plan summary, the charts, a CSV
// download and paging (issue 17, "What to add"), in Chromium.

// browserWorkSetup opens the call and has the province's submitter upload
// uiWorkDoc through the plain HTTP client; it returns the plan's path.
func browserWorkSetup(t *testing.T, h *harness) (licensing.CallView, string) {
	t.Helper()
	call := uiSeed(t, h)
	sub := h.browser()
	sub.login("province-submitter")
	loc := sub.post("/plans", url2(call.ID, uiWorkDoc, sub.get("/plans").csrf())).redirectsTo("/plans/")
	return call, loc
}

func url2(call int64, doc, csrf string) map[string][]string {
	return map[string][]string{"call": {fmt.Sprint(call)}, "document": {doc}, csrfField: {csrf}}
}

// TestBrowserWorklists: after sign-in each role lands on its worklist.
func TestBrowserWorklists(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			h := newHarness(t, eng)
			_, loc := browserWorkSetup(t, h)
			id := strings.TrimPrefix(loc, "/plans/")
			b := h.chrome(laptopWidth)
			for _, c := range []struct {
				key  string
				want []string
			}{
				{"province-submitter", []string{"What needs you now", "Answered: plan " + id, "Calls by deadline"}},
				{"province-reviewer", []string{"Plans with lines waiting for you", "Plan " + id + ": North Hamgyong Provincial Trade Bureau", "4 pending lines"}},
				{"province-compliance", []string{"Open review findings and party matches", "Plan " + id + " line 1", "Open enforcement cases"}},
				{"province-admin", []string{"What needs you now", "Crossings", "namyang-tumen", "Sanctions lists and data"}},
			} {
				b.signIn(c.key)
				if got := b.location(); got != "/" {
					t.Errorf("%s lands on %q after sign-in, want the worklist at /", c.key, got)
				}
				b.wantText(c.want...)
				b.submit(`form[action="/logout"] button`)
			}
			b.signIn("importer-admin")
			if text := b.pageText(); strings.Contains(text, "North Hamgyong") {
				t.Errorf("another organisation's worklist shows the province: %s", text)
			}
		})
	}
}

// TestBrowserPlanSummary: the summary is at the top of the plan, its lines
// folded, each opened on demand without JavaScript of ours.
func TestBrowserPlanSummary(t *testing.T) {
	h := newHarness(t, "sqlite")
	_, loc := browserWorkSetup(t, h)
	b := h.chrome(phoneWidth)
	b.signIn("province-reviewer")
	b.open(loc)
	b.wantText("Lines by verdict", "Exports against imports, by value", "-120\u202f000.25", "Lines that need a decision (4)")
	sel := `.plan-summary details`
	if open := eval[bool](b, `document.querySelector("`+sel+`").open`); open {
		t.Error("a folded line is open before it is asked for")
	}
	if vis := eval[bool](b, `document.querySelector("`+sel+` ul").checkVisibility()`); vis {
		t.Error("a folded line's needs are visible before it is opened")
	}
	b.do("open line 1", chromedp.Click(chromedp.CSS(sel+" summary")))
	if vis := eval[bool](b, `document.querySelector("`+sel+` ul").checkVisibility()`); !vis {
		t.Error("line 1 does not open on a click")
	}
	if !strings.Contains(b.text(sel+" ul"), "a compliance officer's decision") {
		t.Errorf("line 1 opened shows %q", b.text(sel+" ul"))
	}
	// The summary comes before the lines.
	if before := eval[bool](b, `!!(document.querySelector(".plan-summary").compareDocumentPosition(document.querySelector("#line-1")) & Node.DOCUMENT_POSITION_FOLLOWING)`); !before {
		t.Error("the summary is not above the lines")
	}
}

// TestBrowserChartsAndCSV: a chart is an image with its figures in a table
// beside it; the CSV link downloads the selection.
func TestBrowserChartsAndCSV(t *testing.T) {
	h := newHarness(t, "sqlite")
	_, loc := browserWorkSetup(t, h)
	pid := mustInt(t, strings.TrimPrefix(loc, "/plans/"))
	if _, _, err := h.srv.Licensing().ApproveLine(context.Background(), tradeplan.SystemActor("test"), pid, 4, licensing.Approval{Reason: "food"}); err != nil {
		t.Fatal(err)
	}
	b := h.chrome(laptopWidth)
	b.signIn("province-admin")
	b.open("/permits")
	b.submit(`a[href^="/permits/charts"]`)
	b.wantText("Permits by status", "Permits by the quantity used", "none used")
	if n := eval[int](b, `document.querySelectorAll("figure.chart svg[role=img] title").length`); n < 2 {
		t.Errorf("%d charts with a title, want 2", n)
	}
	if w := eval[float64](b, `document.querySelector("figure.chart svg").getBoundingClientRect().width`); w < 100 {
		t.Errorf("the chart is drawn %v px wide", w)
	}
	if got := b.text(`#permits-status-cap + .chart-pair table tbody tr:first-child td`); got != "1" {
		t.Errorf("issued permits in the chart's table: %q, want 1", got)
	}

	// The CSV download, as a person clicks it.
	dir := t.TempDir()
	b.open("/permits")
	progress := chromedp.Events(b.ctx, cdpbrowser.DownloadProgress)
	b.do("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)})
		return err
	}), chromedp.Click(chromedp.CSS(`a[href^="/permits.csv"]`)))
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("download canceled")
		}
	}
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) != 2 || rows[0][0] != "permit" || rows[1][6] != "milled rice" {
		t.Errorf("downloaded CSV: %q, %v", rows, err)
	}
	if b.location() != "/permits" {
		t.Errorf("the download left the page for %s", b.location())
	}
}

// TestBrowserPaging: the plans list, two at a time, with a filter kept on
// every page.
func TestBrowserPaging(t *testing.T) {
	h := newHarness(t, "sqlite")
	browserWorkSetup(t, h)
	b := h.chrome(laptopWidth)
	b.signIn("province-admin")
	b.open("/audit?limit=2")
	first := b.text("table tbody tr th")
	b.submit(`a[rel=next]`)
	if loc := b.location(); !strings.Contains(loc, "before=") || !strings.Contains(loc, "limit=2") {
		t.Errorf("next page at %q", loc)
	}
	second := b.text("table tbody tr th")
	if mustInt(t, second) >= mustInt(t, first) {
		t.Errorf("page 2 starts at entry %s, page 1 at %s: want older entries", second, first)
	}
	b.submit(`.pager a[href="/audit?limit=2"]`)
	if got := b.text("table tbody tr th"); got != first {
		t.Errorf("first page again starts at %s, want %s", got, first)
	}
	// The plans filter, by status, kept in the CSV link.
	b.open("/plans")
	b.do("choose submitted", chromedp.SetValue(chromedp.CSS("#pf-status"), "submitted"))
	b.submit(`form.filters button[type=submit]`)
	b.wantText("1 in all")
	if href := eval[string](b, `document.querySelector('a[href^="/plans.csv"]').getAttribute("href")`); href != "/plans.csv?status=submitted" {
		t.Errorf("CSV link %q", href)
	}
}
