package server

// Tests in a real browser: chromedp drives Debian's Chromium, headless, against
// the real server of the test harness (newHarness: a loopback port, a fresh
// database). Each test gets its own Chromium with a fresh profile and a hard
// timeout; nothing sleeps: every step waits for an element or a condition.
//
// Chromium is /usr/bin/chromium (apt-get install chromium), or the program
// named by TRADEPLAN_CHROMIUM. Without it the tests skip, except under CI=true
// or TRADEPLAN_REQUIRE_BROWSER=1 (.ci/run sets it), where they fail.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// browserTestTimeout bounds one browser test from Chromium's start to its
// last step: generous, for a loaded two-core machine.
const browserTestTimeout = 4 * time.Minute

// browserStepTimeout bounds one step (a page load, a wait for an element).
const browserStepTimeout = 60 * time.Second

func browserRequired() bool {
	return os.Getenv("CI") == "true" || os.Getenv("TRADEPLAN_REQUIRE_BROWSER") == "1"
}

// chromiumPath is the browser to drive, or "" when there is none.
func chromiumPath() string {
	if p := os.Getenv("TRADEPLAN_CHROMIUM"); p != "" {
		if p, err := exec.LookPath(p); err == nil {
			return p
		}
		return ""
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// needBrowser skips the test when Chromium is missing, or fails it when a
// browser is required.
func needBrowser(t *testing.T) string {
	t.Helper()
	p := chromiumPath()
	if p != "" {
		return p
	}
	msg := "browser tests need Chromium: apt-get install chromium (or set TRADEPLAN_CHROMIUM to a Chromium or Chrome binary)"
	if browserRequired() {
		t.Fatalf("%s; a browser is required here (CI=true or TRADEPLAN_REQUIRE_BROWSER=1)", msg)
	}
	t.Skip(msg + "; left out")
	return ""
}

// tab is one browser tab driven by a test, signed in as at most one user.
type tab struct {
	t    *testing.T
	h    *harness
	ctx  context.Context
	logs *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// laptopWidth and phoneWidth are the widths the pages are checked at.
const (
	laptopWidth = 1280
	phoneWidth  = 390
)

// chrome starts a headless Chromium with a fresh profile and opens a tab
// at width CSS pixels (a phone's, with mobile emulation, when under 600).
// Chromium stops when the test ends.
func (h *harness) chrome(width int) *tab {
	t := h.t
	t.Helper()
	exe := needBrowser(t)
	logs := &syncBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("no-proxy-server", true),
		chromedp.WindowSize(laptopWidth, 900),
		chromedp.CombinedOutput(logs),
	}
	if os.Geteuid() == 0 {
		// Chromium's sandbox cannot run as root (CI containers); the pages
		// are our own server's.
		opts = append(opts, chromedp.NoSandbox)
	}
	deadline, cancelDeadline := context.WithTimeout(context.Background(), browserTestTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(deadline, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	tb := &tab{t: t, h: h, ctx: ctx, logs: logs}
	t.Cleanup(func() {
		if t.Failed() {
			tb.dump()
		}
		cancelCtx()
		cancelAlloc()
		cancelDeadline()
	})
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start Chromium %s: %v\nits output:\n%s", exe, err, logs.String())
	}
	t.Logf("Chromium started in %v", time.Since(start).Round(time.Millisecond))
	tb.resize(width)
	return tb
}

// resize sets the viewport's width in CSS pixels; under 600 it emulates a
// phone (meta viewport honoured, touch).
func (b *tab) resize(width int) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	height := int64(900)
	if width < 600 {
		height = 844
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
	}
	b.do(fmt.Sprintf("resize to %d px", width), chromedp.EmulateViewport(int64(width), height, opts...))
}

// run runs one action with the step timeout and returns its value; an error
// fails the test.
func run[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("%w (step timeout %v, test timeout %v)", err, browserStepTimeout, browserTestTimeout)
		}
		b.t.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// do runs actions in order with the step timeout; an error fails the test.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	run(b, what, chromedp.Steps(steps...))
}

// dump logs where the tab is and what it shows, for a failing test.
func (b *tab) dump() {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Logf("browser: could not read the page: %v", err)
		return
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 4000 {
		text = text[:4000] + "…"
	}
	b.t.Logf("browser was at %s showing:\n%s", loc, text)
}

// open loads path of the server and waits until the document is ready.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.h.base+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// submit clicks the element sel (a submit button or a link, a CSS selector)
// and waits until the next page has loaded: the old document is marked, and
// the wait ends when a complete document without the mark is there.
func (b *tab) submit(sel string) {
	b.t.Helper()
	b.do("click "+sel,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`window.__tpOld = true`)(ctx, t)
			return err
		}),
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.Func(waitNewDocument),
	)
}

// waitNewDocument waits until the marked document is gone and its successor
// is complete. Each check is one evaluation, retried while the navigation
// destroys the context it ran in.
func waitNewDocument(ctx context.Context, t *chromedp.Target) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		done, err := chromedp.Evaluate[bool](`!window.__tpOld && document.readyState === "complete"`)(ctx, t)
		if err == nil && done {
			return nil
		}
		select {
		case <-ctx.Done():
			if err != nil {
				return fmt.Errorf("waiting for the next page: %w (last check: %v)", ctx.Err(), err)
			}
			return fmt.Errorf("waiting for the next page: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

// fill types value into the form field sel after clearing it.
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	b.do("fill "+sel, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value))
}

// setValue sets a form field's value at once (a pasted document, a date).
func (b *tab) setValue(sel, value string) {
	b.t.Helper()
	b.do("set "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// plansPathRE matches a plan's page.
var plansPathRE = regexp.MustCompile(`^/plans/\d+(\?.*)?$`)

// signIn signs in through the login form as the harness user key (for
// example "province-reviewer": the reviewer of the province; the harness
// has a user of each role) and waits for the page after it.
func (b *tab) signIn(key string) {
	b.t.Helper()
	if _, ok := b.h.users[key]; !ok {
		b.t.Fatalf("signIn: no harness user %q", key)
	}
	// A new sign-in starts from no session: the login page sends a
	// signed-in browser on to its plans.
	b.do("forget the session", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
	b.open("/login")
	b.fill("#email", key+"@example.org")
	b.fill("#password", b.h.password)
	b.submit(`form[action="/login"] button[type=submit]`)
	who := b.text("header .who")
	if !strings.Contains(who, key+"@example.org") {
		b.t.Fatalf("signIn %s: the page header shows %q, not the user", key, who)
	}
}

// text is the visible text of the first element matching the CSS selector
// sel, waiting for it.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return run(b, "read "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// pageText is the visible text of the whole page.
func (b *tab) pageText() string {
	b.t.Helper()
	return run(b, "read the page", chromedp.Evaluate[string](`document.body.innerText`))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	return run(b, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// location is the tab's current URL without the server's base.
func (b *tab) location() string {
	b.t.Helper()
	return strings.TrimPrefix(run(b, "location", chromedp.Location()), b.h.base)
}

// wantText fails the test unless the page shows every part.
func (b *tab) wantText(parts ...string) {
	b.t.Helper()
	text := b.pageText()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			b.t.Errorf("page %s does not show %q", b.location(), p)
		}
	}
}
