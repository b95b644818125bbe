package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/tradeplan/tradeplan/screen"
)

// FuzzOpenEndpoints sends arbitrary queries, content types and bodies to the
// endpoints that need no login. Whatever comes in, the answer is never a
// 5xx and every error is the one JSON error shape.
func FuzzOpenEndpoints(f *testing.F) {
	f.Add(uint8(0), "as_of=2023-01-15", "application/yaml", []byte(examplePlan))
	f.Add(uint8(0), "", "application/json", []byte(jsonPlan))
	f.Add(uint8(0), "", "text/csv", []byte("direction,description,hs,origin,destination\nexport,dried clams,030772,KP,CN\n"))
	f.Add(uint8(0), "", "application/yaml", []byte("plan: [\n"))
	f.Add(uint8(1), "", "application/json", []byte(`{"names": ["Tanchon Commercial Bank"], "top": 3}`))
	f.Add(uint8(1), "x=1", "application/json", []byte(`{"names": [""]}`))
	f.Add(uint8(2), "", "application/json", []byte(`{"email": "a@b.c"`))
	f.Add(uint8(3), "", "", []byte(nil))
	f.Add(uint8(0), "as_of=%zz", "text/csv; charset=\"", []byte("\xff\xfe"))
	paths := []struct{ method, path string }{
		{"POST", "/api/v1/screen"}, {"POST", "/api/v1/parties/screen"}, {"POST", "/api/v1/login"}, {"GET", "/api/v1/openapi.json"},
	}
	s := New(Config{Screener: screen.New(screen.Config{}), Parties: fakeParties{}, MaxBodyBytes: 1 << 16,
		LoginPerIP: Rate{Burst: -1}, LoginPerEmail: Rate{Burst: -1}})
	f.Fuzz(func(t *testing.T, which uint8, rawQuery, contentType string, body []byte) {
		p := paths[int(which)%len(paths)]
		r := httptest.NewRequest(p.method, p.path, bytes.NewReader(body))
		r.URL.RawQuery = rawQuery
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		// Login reaches the store only with a well-formed request; there is
		// none here, so a 500 "no store configured" is the one expected 5xx.
		if w.Code >= 500 && !(p.path == "/api/v1/login" && bytes.Contains(w.Body.Bytes(), []byte(`"internal"`))) {
			t.Fatalf("%s %s?%s (%q, %d bytes): status %d: %s", p.method, p.path, rawQuery, contentType, len(body), w.Code, w.Body.String())
		}
		if w.Code >= 400 {
			var e errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error.Code == "" || statusOf(e.Error.Code) != w.Code {
				t.Fatalf("status %d with body %s", w.Code, w.Body.String())
			}
		}
	})
}

// FuzzRemoteIP: any X-Forwarded-For yields an address that is the peer or
// one written in the header, never a panic.
func FuzzRemoteIP(f *testing.F) {
	f.Add("10.0.0.5:80", "198.51.100.1, 10.0.0.9")
	f.Add("[::1]:1", "::ffff:1.2.3.4")
	f.Add("203.0.113.1:5", ",,,")
	f.Add("bad", "1.1.1.1")
	s := New(Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}})
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		got := s.remoteIP(r)
		if got != peerIP(remote) {
			if _, err := netip.ParseAddr(got); err != nil {
				t.Fatalf("remoteIP = %q: neither the peer nor an address", got)
			}
		}
	})
}
