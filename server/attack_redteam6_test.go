package server

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// TestAttackScreenLimitRotatingClients (redteam, wave 6): the open
// screening endpoints were limited per client address only. A client
// rotating addresses (many /64s, a botnet, a proxy pool) screened without
// any bound; a signed-in caller shared the budget of its office's address
// and was refused with it. Now anonymous requests share a ceiling over
// every address; a signed-in caller (API token or session) has a budget
// per account, whatever its address, not spent by the anonymous; and one
// ceiling over all screening bounds a caller rotating accounts.
func TestAttackScreenLimitRotatingClients(t *testing.T) {
	h := newHarness(t, "sqlite", func(c *Config) {
		c.ScreenPerIP = Rate{Burst: 100, Every: 10 * time.Second}
		c.ScreenAnonymous = Rate{Burst: 3, Every: 10 * time.Second}
		c.ScreenPerAccount = Rate{Burst: 2, Every: 10 * time.Second}
		c.ScreenTotal = Rate{Burst: 8, Every: 10 * time.Second}
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	})
	compare := func(c *client, from string) *response {
		return c.do(http.MethodPost, "/api/v1/parties/compare", map[string]any{"name1": "Kim Yong Chol", "name2": "KIM, Yong Chol", "kind": "individual"},
			"", "X-Forwarded-For", from)
	}
	anon := h.anon()
	for i := range 3 {
		compare(anon, "198.51.100."+strconv.Itoa(i+1)).want(http.StatusOK)
	}
	// A fourth address: its own bucket is full, the ceiling is not.
	compare(anon, "198.51.100.77").wantError(http.StatusTooManyRequests, ERateLimited)
	compare(anon, "2001:db8:9::1").wantError(http.StatusTooManyRequests, ERateLimited)
	b := h.browser()
	if p := b.post("/screen", url.Values{"document": {planDoc("p", "province", riceLine)}}); p.status != http.StatusTooManyRequests {
		t.Errorf("landing page from a new address after the anonymous ceiling: %d, want 429", p.status)
	}

	// Signed in: the account's own budget, from the same (spent) addresses
	// or any other; a bad token is anonymous.
	tok := h.token("province-submitter")
	compare(tok, "198.51.100.1").want(http.StatusOK)
	compare(tok, "203.0.113.9").want(http.StatusOK)
	compare(tok, "203.0.113.10").wantError(http.StatusTooManyRequests, ERateLimited)
	bad := &client{h: h, hc: anon.hc, bearer: "not-a-token"}
	compare(bad, "203.0.113.11").wantError(http.StatusTooManyRequests, ERateLimited)
	sess := h.session("province-reviewer")
	compare(sess, "203.0.113.12").want(http.StatusOK)

	// Rotating accounts: each has its budget, the ceiling over all holds.
	n := 0
	for _, key := range []string{"province-admin", "province-compliance", "importer-admin", "importer-submitter", "authority-admin"} {
		c := h.token(key)
		for range 2 {
			if compare(c, "203.0.113.50").status == http.StatusOK {
				n++
			}
		}
	}
	// 8 in all: 3 anonymous, 2 + 1 above, so 2 more.
	if n != 2 {
		t.Errorf("%d screenings by rotating accounts after the ceiling's 8, want 2", n)
	}
	h.clock.advance(10 * time.Second)
	compare(tok, "203.0.113.9").want(http.StatusOK)
}
