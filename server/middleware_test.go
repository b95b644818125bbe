package server

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// TestErrorMapping drives writeError through a handler for each kind of
// error: the status follows the code, client-safe messages pass, internal
// causes never reach the client and are logged at Error.
func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name    string
		err     error
		status  int
		code    string
		message string
		logged  bool
	}{
		{"invalid", tradeplan.Errorf(tradeplan.EInvalid, "name: empty"), 400, "invalid", "name: empty", false},
		{"wrapped not found", fmt.Errorf("load plan 7: %w", tradeplan.Errorf(tradeplan.ENotFound, "plan 7 not found")), 404, "not_found", "plan 7 not found", false},
		{"conflict", tradeplan.Errorf(tradeplan.EConflict, "cap spent"), 409, "conflict", "cap spent", false},
		{"forbidden", tradeplan.Errorf(tradeplan.EForbidden, "no"), 403, "forbidden", "no", false},
		{"unauthorized", tradeplan.Errorf(tradeplan.EUnauthorized, "log in"), 401, "unauthorized", "log in", false},
		{"plain error", errors.New("pq: password authentication failed for user secret_admin"), 500, "internal", "internal error", true},
		{"internal domain error", &tradeplan.Error{Code: tradeplan.EInternal, Message: "disk /var/lib/x full"}, 500, "internal", "internal error", true},
		{"unknown code", &tradeplan.Error{Code: "weird", Message: "leak me"}, 500, "internal", "internal error", true},
		{"body too large", &http.MaxBytesError{Limit: 10}, 413, "too_large", "request body too large: the limit is 10 bytes", false},
		{"unavailable", &tradeplan.Error{Code: EUnavailable, Message: "database unavailable", Err: errors.New("dial unix /tmp/secret")}, 503, "unavailable", "service unavailable", true},
		{"client gone", context.Canceled, 499, "", "", false},
		{"details", withDetails(tradeplan.Errorf(tradeplan.EConflict, "line 3 is prohibited"), map[string]any{"line": 3}), 409, "conflict", "line 3 is prohibited", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			h := s.handle(func(w http.ResponseWriter, r *http.Request) error { return tt.err })
			w := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/x", nil)
			if tt.status == 499 {
				ctx, cancel := context.WithCancel(req.Context())
				cancel()
				req = req.WithContext(ctx)
			}
			h.ServeHTTP(w, req)
			if tt.status == 499 {
				if w.Code != 499 || strings.Contains(logs.String(), "level=ERROR") {
					t.Errorf("client gone: status %d, logs %s", w.Code, logs.String())
				}
				return
			}
			r := &response{t: t, method: "GET", path: "/x", status: w.Code, header: w.Header(), body: w.Body.Bytes()}
			e := r.wantError(tt.status, tt.code)
			if e.Message != tt.message {
				t.Errorf("message %q, want %q", e.Message, tt.message)
			}
			if tt.logged != strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("logged at error = %v, want %v: %s", !tt.logged, tt.logged, logs.String())
			}
			if tt.logged && !strings.Contains(logs.String(), tt.err.Error()) {
				t.Errorf("the cause is not in the log: %s", logs.String())
			}
			if tt.name == "details" && !strings.Contains(w.Body.String(), `"details":{"line":3}`) {
				t.Errorf("details missing: %s", w.Body.String())
			}
		})
	}
}

// TestMiddleware: headers on every answer, HSTS only over TLS, a panic is a
// clean 500, and an unknown path is a JSON 404.
func TestMiddleware(t *testing.T) {
	var logs bytes.Buffer
	s := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Clock: func() time.Time { return time.Unix(0, 0) }})
	s.mux.Handle("GET /test/panic", s.handle(func(w http.ResponseWriter, r *http.Request) error { panic("boom: secret") }))

	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/test/panic", nil))
	r := &response{t: t, method: "GET", path: "/test/panic", status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	if e := r.wantError(500, tradeplan.EInternal); strings.Contains(e.Message, "secret") {
		t.Errorf("panic text reached the client: %q", e.Message)
	}
	if !strings.Contains(logs.String(), "boom: secret") {
		t.Error("panic not logged")
	}
	if w.Header().Get("X-Frame-Options") != "DENY" || w.Header().Get("Strict-Transport-Security") != "" {
		t.Errorf("headers on a plain HTTP error: %v", w.Header())
	}

	req := httptest.NewRequest("GET", "/nowhere", nil)
	req.TLS = &tls.ConnectionState{}
	w = httptest.NewRecorder()
	s.ServeHTTP(w, req)
	r = &response{t: t, method: "GET", path: "/nowhere", status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	r.wantError(404, tradeplan.ENotFound)
	if !strings.HasPrefix(w.Header().Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS over TLS: %v", w.Header())
	}
	if !strings.Contains(logs.String(), "status=404") {
		t.Errorf("no access log line: %s", logs.String())
	}

	// The access log names the actor that authenticated.
	s.mux.Handle("GET /test/who", s.handle(func(w http.ResponseWriter, r *http.Request) error {
		noteActor(r, "user:7 clerk@example.org")
		w.WriteHeader(http.StatusNoContent)
		return nil
	}))
	logs.Reset()
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/test/who", nil))
	if !strings.Contains(logs.String(), `actor="user:7 clerk@example.org"`) || !strings.Contains(logs.String(), "status=204") {
		t.Errorf("access log without the actor: %s", logs.String())
	}
}

func TestLimiter(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newLimiter(Rate{Burst: 2, Every: 10 * time.Second}, func() time.Time { return now })
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a"); ok != want {
			t.Fatalf("attempt %d: allowed %v, want %v", i+1, ok, want)
		}
	}
	if ok, wait := l.allow("a"); ok || wait != 10*time.Second {
		t.Fatalf("empty bucket: ok %v wait %v", ok, wait)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Fatal("keys share a bucket")
	}
	now = now.Add(5 * time.Second)
	if ok, wait := l.allow("a"); ok || wait != 5*time.Second {
		t.Fatalf("half refilled: ok %v wait %v", ok, wait)
	}
	now = now.Add(5 * time.Second)
	if ok, _ := l.allow("a"); !ok {
		t.Fatal("refilled bucket refused")
	}
	// Full buckets are forgotten after a sweep.
	now = now.Add(time.Hour)
	l.allow("c")
	if _, ok := l.buckets["b"]; ok {
		t.Error("idle bucket kept")
	}
	if off := newLimiter(Rate{Burst: -1}, time.Now); !func() bool { ok, _ := off.allow("x"); return ok }() {
		t.Error("a disabled limiter refused")
	}
}

func TestClientIP(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:5555":    "127.0.0.1",
		"[::1]:5555":        "::1",
		"10.0.0.7":          "10.0.0.7",
		"[fe80::1%eth0]:80": "fe80::1%eth0",
	} {
		if got := peerIP(addr); got != want {
			t.Errorf("peerIP(%q) = %q, want %q", addr, got, want)
		}
	}

	s := New(Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}})
	tests := []struct {
		name   string
		remote string
		xff    []string
		want   string
	}{
		{"direct client, header ignored", "203.0.113.9:4000", []string{"198.51.100.1"}, "203.0.113.9"},
		{"through a trusted proxy", "10.0.0.5:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client-forged hops to the left are ignored", "10.0.0.5:4000", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted hops", "10.0.0.5:4000", []string{"198.51.100.1, 10.0.0.9"}, "198.51.100.1"},
		{"hops across header lines", "10.0.0.5:4000", []string{"198.51.100.1", "10.0.0.9"}, "198.51.100.1"},
		{"trusted proxy without the header", "10.0.0.5:4000", nil, "10.0.0.5"},
		{"garbage hop", "10.0.0.5:4000", []string{"198.51.100.1, not-an-ip"}, "10.0.0.5"},
		{"ipv6 proxy, mapped client", "[::1]:4000", []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.remoteIP(r); got != tt.want {
				t.Errorf("remoteIP = %q, want %q", got, tt.want)
			}
		})
	}
}
