package server

import (
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestBrowserSignIn checks the harness itself: Chromium starts, reaches the
// server, and signs in through the form as each role.
func TestBrowserSignIn(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			h := newHarness(t, eng)
			b := h.chrome(laptopWidth)
			for _, key := range []string{"province-submitter", "province-reviewer", "province-compliance", "province-admin"} {
				b.signIn(key)
				role := b.text("header .who .role")
				if want := strings.TrimPrefix(key, "province-"); role != want {
					t.Errorf("%s: header role %q, want %q", key, role, want)
				}
				b.submit(`form[action="/logout"] button`)
				b.text("header .who a[href='/login']")
			}
		})
	}
}
