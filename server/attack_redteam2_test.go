package server

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store/storetest"
	"net/http"
	"net/netip"
	"testing"
	"time"
)

// TestAttackScreenLimitIPv6Rotation: a client reaching us over IPv6 holds
// a whole /64 and may take a new address in it for every request; each
// address its own bucket would be no limit at all (and a map without
// bound). The limits count a /64 as one client, an IPv4-mapped address as
// the IPv4 address, and another /64 as another client. Login and
// verification limits key the same way.
func TestAttackScreenLimitIPv6Rotation(t *testing.T) {
	h := newHarness(t, "sqlite", func(c *Config) {
		c.ScreenPerIP = Rate{Burst: 2, Every: 10 * time.Second}
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	})
	c := h.anon()
	compare := func(from string) *response {
		return c.do(http.MethodPost, "/api/v1/parties/compare", map[string]any{"name1": "Kim Yong Chol", "name2": "KIM, Yong Chol", "kind": "individual"},
			"", "X-Forwarded-For", from)
	}
	compare("2001:db8:1:2::1").want(http.StatusOK)
	compare("2001:db8:1:2::2").want(http.StatusOK)
	compare("2001:db8:1:2:ffff:ffff:ffff:fffe").wantError(http.StatusTooManyRequests, ERateLimited)
	compare("2001:db8:1:3::1").want(http.StatusOK) // another /64: another client

	compare("192.0.2.7").want(http.StatusOK)
	compare("::ffff:192.0.2.7").want(http.StatusOK)
	compare("192.0.2.7").wantError(http.StatusTooManyRequests, ERateLimited)
}

func TestLimitKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2::1":      "2001:db8:1:2::/64",
		"2001:db8:1:2:aaaa::9": "2001:db8:1:2::/64",
		"fe80::1%eth0":         "fe80::/64",
		"not an address":       "not an address",
		"":                     "",
	} {
		if got := limitKey(in); got != want {
			t.Errorf("limitKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAttackCrossingConfirmReplay: a confirmation, once used, is not a
// standing order. After the crossing was opened with it and closed again
// by someone else, posting the same confirmation (the browser's back
// button, a replayed form) with the same reason, count and permits must
// ask again, not reopen the crossing.
func TestAttackCrossingConfirmReplay(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			uiWorkSetup(t, h)
			svc, sys := h.srv.Licensing(), tradeplan.SystemActor("test")
			status := func() tradeplan.CrossingStatus {
				t.Helper()
				c, err := svc.Crossing(context.Background(), sys, "namyang-tumen")
				if err != nil {
					t.Fatal(err)
				}
				return c.Crossing.Status
			}
			const path = "/crossings/namyang-tumen/open"
			adm := h.browser()
			adm.login("authority-admin")
			csrf := adm.get("/crossings").want(http.StatusOK).csrf()
			conf := adm.post(path, url.Values{"reason": {"customs resumes"}, csrfField: {csrf}}).want(http.StatusOK)
			tok, n := conf.confirmation()
			form := url.Values{"reason": {"customs resumes"}, "count": {n}, "confirm_token": {tok}, csrfField: {csrf}}
			adm.post(path, form).redirectsTo("/crossings")
			if status() != tradeplan.CrossingOpen {
				t.Fatal("the confirmed change was not made")
			}
			if _, err := svc.SetCrossing(context.Background(), sys, "namyang-tumen", tradeplan.CrossingClosed, "flooding"); err != nil {
				t.Fatal(err)
			}
			adm.post(path, form).want(http.StatusConflict).contains("Confirm again")
			if status() != tradeplan.CrossingClosed {
				t.Fatal("a used confirmation reopened the crossing after it was closed again")
			}
		})
	}
}

// TestAttackDeclarationCursor: a forged ?after= cursor is the client's
// text: bytes that are not UTF-8, a NUL, a date no database keeps, are
// answered 400 in words (or read as a place in the list), never 500. On
// each engine.
func TestAttackDeclarationCursor(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			compliance := h.token("authority-compliance")
			for _, c := range []string{"2027-07-10T00:00:00Z|\xff\xfe", "2027-07-10T00:00:00Z|a\x00b", "9999-12-31T23:59:59.999999999+14:00|x",
				"0000-01-01T00:00:00Z|x", "2027-07-10T00:00:00Z|" + strings.Repeat("é", 5000)} {
				r := compliance.get("/api/v1/declarations?after=" + base64.RawURLEncoding.EncodeToString([]byte(c)))
				if r.status != http.StatusOK && r.status != http.StatusBadRequest {
					t.Errorf("cursor %q: status %d, want 200 or 400: %s", c[:min(len(c), 40)], r.status, r.body)
				}
			}
			// The other query parameters of the API are the client's text too.
			for _, p := range []string{"/api/v1/declarations?batch=%ff%fe", "/api/v1/declarations?batch=a%00b", "/api/v1/audit?subject=%ff",
				"/api/v1/audit?subject=a%00b"} {
				if r := compliance.get(p); r.status != http.StatusOK && r.status != http.StatusBadRequest {
					t.Errorf("%s: status %d, want 200 or 400: %s", p, r.status, r.body)
				}
			}
		})
	}
}
