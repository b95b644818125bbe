package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
)

// TestGracefulShutdown starts a request, shuts the server down while the
// request's body is still arriving, and checks that the request completes
// with a whole response, that Serve waits for it, and that no new
// connection is accepted afterwards.
func TestGracefulShutdown(t *testing.T) {
	h := newHarness(t, "sqlite")
	conn, err := net.Dial("tcp", h.base[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := examplePlan
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /api/v1/screen?as_of=2023-01-15 HTTP/1.1\r\nHost: test\r\nContent-Type: application/yaml\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:half])
	// Let the server start reading the request before the shutdown.
	time.Sleep(100 * time.Millisecond)
	h.stop()
	select {
	case err := <-h.served:
		t.Fatalf("Serve returned while a request was in flight: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	// New connections are refused once shutdown has begun.
	if c2, err := net.DialTimeout("tcp", h.base[len("http://"):], time.Second); err == nil {
		c2.Close()
		t.Error("a new connection was accepted during shutdown")
	}
	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("in-flight request: status %d", resp.StatusCode)
	}
	var rep tradeplan.Report
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || len(rep.Plans) != 1 || len(rep.Plans[0].Lines) != 2 {
		t.Fatalf("in-flight response is not a whole report: %v %+v", err, rep)
	}
	select {
	case err := <-h.served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
		h.served <- nil // for the harness cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the in-flight request finished")
	}
}

// TestLoginRateLimit: attempts are limited per email and per IP with a
// token bucket; a 429 says when to retry, and the bucket refills with time.
func TestLoginRateLimit(t *testing.T) {
	h := newHarness(t, "sqlite", func(c *Config) {
		c.LoginPerEmail = Rate{Burst: 3, Every: 10 * time.Second}
		c.LoginPerIP = Rate{Burst: 6, Every: 30 * time.Second}
	})
	c := h.anon()
	attempt := func(email, password string) *response {
		return c.post("/api/v1/login", map[string]string{"email": email, "password": password})
	}
	for i := 0; i < 3; i++ {
		attempt("province-admin@example.org", "wrong password!").wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)
	}
	// The fourth attempt on the email is refused, even with the right
	// password, and says when to come back.
	r := attempt("Province-Admin@example.org", h.password)
	r.wantError(http.StatusTooManyRequests, ERateLimited)
	if got := r.header.Get("Retry-After"); got != "10" {
		t.Errorf("Retry-After %q, want 10", got)
	}
	// Other emails still work from this IP, until the IP's bucket is empty.
	attempt("province-submitter@example.org", h.password).want(http.StatusOK)
	attempt("province-reviewer@example.org", h.password).want(http.StatusOK)
	r = attempt("importer-admin@example.org", h.password)
	r.wantError(http.StatusTooManyRequests, ERateLimited)
	if got := r.header.Get("Retry-After"); got != "30" {
		t.Errorf("Retry-After %q, want 30 (the IP bucket)", got)
	}
	// Time refills both buckets.
	h.clock.advance(30 * time.Second)
	attempt("province-admin@example.org", h.password).want(http.StatusOK)
}

// TestServeStopsOnContext: Serve returns nil once its context is cancelled
// with nothing in flight, and ListenAndServe reports a bad address.
func TestServeStopsOnContext(t *testing.T) {
	s := New(Config{})
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not stop")
	}
	if err := s.ListenAndServe(context.Background(), "256.0.0.1:bad"); err == nil {
		t.Fatal("ListenAndServe on a bad address: no error")
	}
}

// TestHealthzDatabaseDown: a load balancer sees 503 when the database is
// gone, with nothing of the cause.
func TestHealthzDatabaseDown(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.anon().get("/healthz").want(http.StatusOK)
	h.db.Close()
	e := h.anon().get("/healthz").wantError(http.StatusServiceUnavailable, EUnavailable)
	if e.Message != "service unavailable" {
		t.Errorf("message %q", e.Message)
	}
}

// TestServersShareTheDatabase: the server keeps no session state of its own,
// so several servers over one database (PostgreSQL in production; a SQLite
// file here too) serve one user interchangeably.
func TestServersShareTheDatabase(t *testing.T) {
	t.Parallel()
	for _, engine := range storetestEngines(t) {
		t.Run(engine, func(t *testing.T) {
			a := newHarness(t, engine)
			db2, err := store.Open(t.Context(), a.dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db2.Close() })
			b := &harness{t: t, db: db2, clock: a.clock, orgs: a.orgs, users: a.users, password: a.password}
			b.start(Config{Store: db2, Screener: testScreener(t), Logger: testLogger(t), Clock: a.clock.now, InsecureCookies: true})

			onA := a.session("province-admin")
			onB := &client{h: b, hc: onA.hc, csrf: onA.csrf} // the same cookie jar and CSRF token, the other server
			// The jar holds cookies per host; both servers are 127.0.0.1.
			var me meResponse
			onB.get("/api/v1/me").want(http.StatusOK).decode(&me)
			if me.User.Email != "province-admin@example.org" {
				t.Fatalf("me on server B: %+v", me)
			}
			onB.post("/api/v1/orgs", map[string]any{"parent_id": a.orgs["province"].ID, "name": "Kimchaek port", "kind": "site"}).want(http.StatusCreated)
			onB.post("/api/v1/logout", nil).want(http.StatusNoContent)
			onA.get("/api/v1/me").wantError(http.StatusUnauthorized, tradeplan.EUnauthorized)
		})
	}
}

// TestScreeningSlots: screening requests beyond MaxScreening wait for a
// slot, and go on when one frees.
func TestScreeningSlots(t *testing.T) {
	h := newHarness(t, "sqlite", func(c *Config) { c.MaxScreening = 1 })
	h.srv.screening <- struct{}{} // another request holds the only slot
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", h.base+"/api/v1/screen", strings.NewReader(examplePlan))
		req.Header.Set("Content-Type", "application/yaml")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	select {
	case code := <-done:
		t.Fatalf("answered %d while no slot was free", code)
	case <-time.After(300 * time.Millisecond):
	}
	<-h.srv.screening // the slot frees
	select {
	case code := <-done:
		if code != http.StatusOK {
			t.Fatalf("after the slot freed: status %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the waiting request did not go on")
	}
}

// The open permit verifications are limited per client address, so that
// nobody reads every permit's status and balance by counting through
// numbers; the page and the API draw on one bucket.
func TestVerifyRateLimit(t *testing.T) {
	h := newHarness(t, "sqlite", func(c *Config) {
		c.VerifyPerIP = Rate{Burst: 3, Every: 10 * time.Second}
	})
	c := h.anon()
	for i := range 2 {
		if r := c.get(fmt.Sprintf("/api/v1/verify/P-2027-%06d", i)); r.status == http.StatusTooManyRequests {
			t.Fatalf("verification %d refused: %s", i+1, r.body)
		}
	}
	if r := c.get("/verify?number=P-2027-000009"); r.status == http.StatusTooManyRequests {
		t.Fatalf("third verification (the page) refused: %s", r.body)
	}
	r := c.get("/api/v1/verify/P-2027-000003")
	r.wantError(http.StatusTooManyRequests, ERateLimited)
	if got := r.header.Get("Retry-After"); got != "10" {
		t.Errorf("Retry-After %q, want 10", got)
	}
	if r := c.get("/verify?number=P-2027-000004"); r.status != http.StatusTooManyRequests {
		t.Errorf("page after the bucket is empty: %d, want 429", r.status)
	}
	// A client that is no trusted proxy cannot claim another address.
	if r := c.do(http.MethodGet, "/api/v1/verify/P-2027-000006", nil, "", "X-Forwarded-For", "203.0.113.9"); r.status != http.StatusTooManyRequests {
		t.Errorf("a forged X-Forwarded-For escaped the limit: %d, want 429", r.status)
	}
	h.clock.advance(10 * time.Second)
	if r := c.get("/api/v1/verify/P-2027-000005"); r.status == http.StatusTooManyRequests {
		t.Errorf("refused after the bucket refilled: %s", r.body)
	}
}
