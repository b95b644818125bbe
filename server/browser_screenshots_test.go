package server

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserScreenshots writes PNGs of the main pages at a laptop's and a
// phone's width into $TRADEPLAN_SCREENSHOTS (make screenshots: docs/screenshots),
// over the scene of TestBrowserPhoneWidth. Without the variable it skips.
func TestBrowserScreenshots(t *testing.T) {
	dir := os.Getenv("TRADEPLAN_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TRADEPLAN_SCREENSHOTS=DIR (make screenshots) to write the pages' PNGs")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h, call := browserHarness(t, "sqlite")
	plan := narrowScene(t, h, call.ID)
	sites := fmt.Sprintf("/orgs/%d/sites", h.orgs["province"].ID)
	h.session("province-submitter").do(http.MethodPut, "/api/v1"+sites, hairSites, "application/yaml").want(http.StatusCreated)
	shots := []struct{ who, name, path string }{
		{"", "screen", "/"},
		{"authority-reviewer", "plans", "/plans"},
		{"authority-reviewer", "plan", plan},
		{"authority-reviewer", "call", "/calls/" + strconv.FormatInt(call.ID, 10)},
		{"authority-admin", "crossings", "/crossings"},
		{"authority-admin", "audit", "/audit"},
		{"province-submitter", "permits", "/permits"},
		{"authority-reviewer", "sites", "/sites"},
		{"authority-reviewer", "sitefile", sites + "/1"},
		{"authority-admin", "crossing-confirm", "/crossings"},
	}
	for _, width := range []int{laptopWidth, phoneWidth} {
		b := h.chrome(width)
		signed := ""
		for _, s := range shots {
			if s.who != signed && s.who != "" {
				b.signIn(s.who)
				signed = s.who
			}
			if s.name == "screen" {
				b.open("/")
				b.setValue("#document", reportPlan(t))
				b.submit(`form[action^="/screen"] button[type=submit]`)
				b.text("table.report")
			} else {
				b.open(s.path)
			}
			if s.name == "crossing-confirm" {
				sel := `form[action="/crossings/namyang-tumen/close"]`
				b.fill(sel+" input[name=reason]", "flood on the Tumen")
				b.submit(sel + " button[type=submit]")
				b.text("#confirm-form")
			}
			png := run(b, "screenshot "+s.path, chromedp.CaptureScreenshot())
			name := filepath.Join(dir, s.name+"-"+strconv.Itoa(width)+".png")
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%d bytes)", name, len(png))
		}
	}
}
