package server

import (
	"net/http"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/accounts"
)

// TestAttackScreenMadeUpTokensRotating (redteam, wave 8): a made-up API
// token was looked up once the address's budget paid for it, before the
// ceiling over anonymous requests was asked: a client rotating addresses
// (a proxy pool, many /64s), each with a full budget, bought a database
// read with every request, however spent the anonymous ceiling was. A
// credential not known valid is anonymous until looked up, so the look-up
// is paid by the anonymous ceiling too (given back when valid), or, with it
// spent, from a small allowance over all addresses; a token seen valid
// lately is still served from its account's budget with no read.
func TestAttackScreenMadeUpTokensRotating(t *testing.T) {
	var acc *countingAccounts
	h := newHarness(t, "sqlite", func(c *Config) {
		c.ScreenPerIP = Rate{Burst: 3, Every: 10 * time.Second}
		c.ScreenAnonymous = Rate{Burst: 5, Every: 10 * time.Second}
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
	// A valid token, seen once.
	if got := compare(tok, "192.0.2.1"); got != http.StatusOK {
		t.Fatalf("valid token: %d", got)
	}
	before := acc.n.Load()
	served := 0
	for i := range 200 {
		fake := &client{h: h, hc: anon.hc, bearer: "tp_madeup" + strconv.Itoa(i)}
		if compare(fake, "2001:db8:"+strconv.FormatInt(int64(i), 16)+"::1") == http.StatusOK {
			served++
		}
	}
	lookups := acc.n.Load() - before
	if served > 5 {
		t.Errorf("%d made-up tokens from rotating addresses served, want at most the anonymous ceiling's 5", served)
	}
	if max := int64(5 + screenLookupAllRate.Burst); lookups > max {
		t.Errorf("200 made-up tokens from 200 addresses cost %d look-ups, want at most %d (the anonymous ceiling and the look-up allowance over all)", lookups, max)
	}
	// The valid token, known: served from its account's budget, no read.
	before = acc.n.Load()
	for i := range 5 {
		if got := compare(tok, "2001:db8:ffff:"+strconv.Itoa(i)+"::1"); got != http.StatusOK {
			t.Fatalf("known valid token during the flood: %d", got)
		}
	}
	if n := acc.n.Load() - before; n != 0 {
		t.Errorf("a known token was looked up %d times", n)
	}
}
