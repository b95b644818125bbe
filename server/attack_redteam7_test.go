package server

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
)

// countingAccounts counts the credential look-ups the server makes.
type countingAccounts struct {
	tradeplan.AccountService
	n atomic.Int64
}

func (c *countingAccounts) TokenActor(ctx context.Context, tok string) (tradeplan.Actor, error) {
	c.n.Add(1)
	return c.AccountService.TokenActor(ctx, tok)
}

func (c *countingAccounts) SessionActor(ctx context.Context, tok string) (tradeplan.Actor, tradeplan.Session, error) {
	c.n.Add(1)
	return c.AccountService.SessionActor(ctx, tok)
}

// TestAttackScreenMadeUpTokensFlood (redteam, wave 7): a made-up API token
// on the open screening endpoints was looked up in the database before the
// address's limit refused the request: an unauthenticated flood cost a read
// each. Now a credential not seen valid is looked up only once the
// address's budget pays for it (or a small allowance of look-ups of the
// address's own), while a valid account behind an address spent by its
// neighbours is still recognised and served from its own budget.
func TestAttackScreenMadeUpTokensFlood(t *testing.T) {
	var acc *countingAccounts
	h := newHarness(t, "sqlite", func(c *Config) {
		c.ScreenPerIP = Rate{Burst: 3, Every: 10 * time.Second}
		c.ScreenAnonymous = Rate{Burst: 1000, Every: time.Millisecond}
		c.ScreenPerAccount = Rate{Burst: 100, Every: time.Millisecond}
		c.ScreenTotal = Rate{Burst: 1000, Every: time.Millisecond}
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
		acc = &countingAccounts{AccountService: accounts.NewService(c.Store)}
		c.Accounts = acc
	})
	compare := func(c *client, from string) int {
		return c.do(http.MethodPost, "/api/v1/parties/compare", map[string]any{"name1": "Kim Yong Chol", "name2": "KIM, Yong Chol", "kind": "individual"},
			"", "X-Forwarded-For", from).status
	}
	tok := h.token("province-submitter")
	anon := h.anon()
	flood := func(from string, n int) (ok int, lookups int64) {
		before := acc.n.Load()
		for i := range n {
			fake := &client{h: h, hc: anon.hc, bearer: "tp_madeup" + strconv.Itoa(i)}
			if compare(fake, from) == http.StatusOK {
				ok++
			}
		}
		return ok, acc.n.Load() - before
	}
	const addr = "198.51.100.7"
	ok, lookups := flood(addr, 40)
	if ok != 3 {
		t.Errorf("%d made-up tokens served from one address, want its 3", ok)
	}
	if max := int64(3 + screenLookupRate.Burst); lookups > max {
		t.Errorf("40 made-up tokens cost %d look-ups, want at most %d (the address's budget and look-up allowance)", lookups, max)
	}
	// The valid account behind that address: recognised once the
	// allowance refills, served from its own budget, then known.
	h.clock.advance(screenLookupRate.Every)
	if got := compare(tok, addr); got != http.StatusOK {
		t.Fatalf("valid token behind an address spent by made-up ones: %d", got)
	}
	flood(addr, 20)
	before := acc.n.Load()
	for range 5 {
		if got := compare(tok, addr); got != http.StatusOK {
			t.Fatalf("known valid token behind a flooded address: %d", got)
		}
	}
	if n := acc.n.Load() - before; n != 0 {
		t.Errorf("a known token was looked up %d times to pick its budget", n)
	}
	// Neighbours spending an address anonymously: a valid account never
	// seen before is recognised there, and spends none of it.
	const other = "198.51.100.8"
	for compare(anon, other) == http.StatusOK {
	}
	rev := h.token("province-reviewer")
	for range 3 {
		if got := compare(rev, other); got != http.StatusOK {
			t.Fatalf("valid token behind an address its neighbours spent: %d", got)
		}
	}
}

// TestAttackScreenCrossSiteSpendsVictimBudget (redteam, wave 7): the
// screening endpoints picked the budget of a request's session cookie
// without its CSRF token, so another site's page, posting to them from a
// signed-in victim's browser (a form, or a fetch that sends cookies),
// spent the victim's account budget. A session cookie picks the account's
// budget only with the session's CSRF token or from a page of this site
// (Sec-Fetch-Site or Origin); anything else is anonymous.
func TestAttackScreenCrossSiteSpendsVictimBudget(t *testing.T) {
	h := newHarness(t, "sqlite", func(c *Config) {
		c.ScreenPerIP = Rate{Burst: 100, Every: 10 * time.Second}
		c.ScreenAnonymous = Rate{Burst: 100, Every: 10 * time.Second}
		c.ScreenPerAccount = Rate{Burst: 2, Every: 10 * time.Second}
		c.ScreenTotal = Rate{Burst: 1000, Every: time.Millisecond}
	})
	victim := h.session("province-reviewer")
	forged := &client{h: h, hc: victim.hc} // the victim's cookies, not its CSRF token
	body := map[string]any{"name1": "Kim Yong Chol", "name2": "KIM, Yong Chol", "kind": "individual"}
	for _, hdr := range [][]string{
		{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		{"Sec-Fetch-Site", "same-site", "Origin", "https://evil." + "example.org"},
		{"Origin", "https://evil.example"},
		{"Origin", "null"},
		{}, // no browser headers at all
		{csrfHeader, "not-the-token"},
	} {
		for range 3 {
			forged.do(http.MethodPost, "/api/v1/parties/compare", body, "", hdr...).want(http.StatusOK)
		}
	}
	// The landing page's form, posted from another site.
	for range 3 {
		r := forged.do(http.MethodPost, "/screen", url.Values{"document": {planDoc("p", "province", riceLine)}}.Encode(), "application/x-www-form-urlencoded",
			"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if r.status != http.StatusOK {
			t.Fatalf("cross-site landing page post: %d", r.status)
		}
	}
	// The victim's budget is whole: two, then refused.
	victim.do(http.MethodPost, "/api/v1/parties/compare", body, "").want(http.StatusOK)
	victim.do(http.MethodPost, "/api/v1/parties/compare", body, "").want(http.StatusOK)
	victim.do(http.MethodPost, "/api/v1/parties/compare", body, "").wantError(http.StatusTooManyRequests, ERateLimited)
	// A page of this site (no CSRF header: the landing page's form) spends
	// the account's budget: spent, it is refused.
	u, _ := url.Parse(h.base)
	forged.do(http.MethodPost, "/api/v1/parties/compare", body, "", "Sec-Fetch-Site", "same-origin").wantError(http.StatusTooManyRequests, ERateLimited)
	forged.do(http.MethodPost, "/api/v1/parties/compare", body, "", "Origin", "http://"+u.Host).wantError(http.StatusTooManyRequests, ERateLimited)
}
