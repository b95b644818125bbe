package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

func TestMain(m *testing.M) {
	installAPIValidator()
	storetest.Main(m, reportAPIValidation)
}

// harness is a real server on a loopback port over a fresh database, with
// two organisation trees and users of each role.
type harness struct {
	t     *testing.T
	db    *store.DB
	srv   *Server
	base  string
	clock *fakeClock

	dsn      string
	stop     context.CancelFunc
	served   chan error
	orgs     map[string]tradeplan.Organisation
	users    map[string]tradeplan.User
	password string
	// tampered: the test edits the database behind the store, so the
	// state check at its end does not apply.
	tampered bool
}

// fakeClock is a settable clock for rate limits.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testLogger writes to the test log, so that a failing test shows the
// server's side.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tlogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tlogWriter struct{ t *testing.T }

func (w tlogWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

var (
	screenerOnce sync.Once
	screener     *screen.Screener
	screenerErr  error
)

// testScreener screens with the embedded goods rules (no classifier, no
// lists): enough to see a ban cited through the HTTP layer.
func testScreener(t testing.TB) *screen.Screener {
	screenerOnce.Do(func() {
		eng, err := rules.Default()
		if err != nil {
			screenerErr = err
			return
		}
		screener = screen.New(screen.Config{Goods: eng, NewLedger: rules.NewLedger})
	})
	if screenerErr != nil {
		t.Fatalf("rules: %v", screenerErr)
	}
	return screener
}

type harnessOption func(*Config)

func newHarness(t *testing.T, engine string, opts ...harnessOption) *harness {
	t.Helper()
	dsn := storetest.DSN(t, engine)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}
	cfg := Config{
		Store:           db,
		Screener:        testScreener(t),
		Parties:         fakeParties{},
		Logger:          testLogger(t),
		Clock:           clock.now,
		MaxBodyBytes:    64 << 10,
		InsecureCookies: true,
		ShutdownTimeout: 10 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{t: t, db: db, dsn: dsn, clock: clock, orgs: map[string]tradeplan.Organisation{}, users: map[string]tradeplan.User{},
		password: "correct horse battery staple"}
	h.seed()
	h.start(cfg)
	t.Cleanup(h.checkState)
	return h
}

// start serves cfg on a loopback port until the test ends.
func (h *harness) start(cfg Config) {
	t := h.t
	h.srv = New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.base = "http://" + ln.Addr().String()
	registerAPIServer(t, h.base)
	ctx, cancel := context.WithCancel(context.Background())
	h.stop = cancel
	h.served = make(chan error, 1)
	go func() { h.served <- h.srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-h.served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Serve did not return after shutdown")
		}
	})
}

// seed makes two organisation trees:
//
//	authority (Trade Authority)
//	  province (North Hamgyong Provincial Trade Bureau)
//	    agency (Chongjin Marine Products Trading Agency)
//	importer (Hunchun importer), a root of its own
//
// and users: admin, compliance, reviewer and submitter of the province;
// an admin of the authority; admin and submitter of the importer.
func (h *harness) seed() {
	ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
	org := func(key string, parent int64, name string, kind tradeplan.OrgKind, country string) {
		o, err := h.db.CreateOrg(ctx, tradeplan.Organisation{ParentID: parent, Name: name, Kind: kind, Country: country})
		if err != nil {
			h.t.Fatalf("seed org %s: %v", key, err)
		}
		h.orgs[key] = o
	}
	org("authority", 0, "Trade Authority", tradeplan.OrgAuthority, "KP")
	org("province", h.orgs["authority"].ID, "North Hamgyong Provincial Trade Bureau", tradeplan.OrgProvince, "KP")
	org("agency", h.orgs["province"].ID, "Chongjin Marine Products Trading Agency", tradeplan.OrgAgency, "KP")
	org("importer", 0, "Hunchun importer", tradeplan.OrgCompany, "CN")
	user := func(key, orgKey string, role tradeplan.Role) {
		u, err := h.db.CreateUser(ctx, tradeplan.User{OrgID: h.orgs[orgKey].ID, Email: key + "@example.org", Name: key, Role: role}, h.password)
		if err != nil {
			h.t.Fatalf("seed user %s: %v", key, err)
		}
		h.users[key] = u
	}
	user("authority-admin", "authority", tradeplan.RoleAdmin)
	user("province-admin", "province", tradeplan.RoleAdmin)
	user("province-compliance", "province", tradeplan.RoleCompliance)
	user("province-reviewer", "province", tradeplan.RoleReviewer)
	user("province-submitter", "province", tradeplan.RoleSubmitter)
	user("importer-admin", "importer", tradeplan.RoleAdmin)
	user("importer-submitter", "importer", tradeplan.RoleSubmitter)
}

// client is an HTTP client acting as nobody, as a session, or as a token.
type client struct {
	h      *harness
	hc     *http.Client
	bearer string
	csrf   string
}

func (h *harness) anon() *client {
	return &client{h: h, hc: &http.Client{Timeout: 30 * time.Second}}
}

// session logs in as user key and returns a client with the session cookie
// and CSRF token.
func (h *harness) session(key string) *client {
	h.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{h: h, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	resp := c.post("/api/v1/login", map[string]string{"email": key + "@example.org", "password": h.password})
	resp.want(http.StatusOK)
	var lr struct {
		CSRF string `json:"csrf_token"`
	}
	resp.decode(&lr)
	if lr.CSRF == "" {
		h.t.Fatal("login: no csrf_token")
	}
	c.csrf = lr.CSRF
	return c
}

// token creates an API token for user key directly in the store.
func (h *harness) token(key string) *client {
	h.t.Helper()
	ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
	secret, _, err := h.db.CreateToken(ctx, h.users[key].ID, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	return &client{h: h, hc: &http.Client{Timeout: 30 * time.Second}, bearer: secret}
}

type response struct {
	t      *testing.T
	method string
	path   string
	status int
	header http.Header
	body   []byte
}

// do sends a request. body is sent as is when it is []byte or string (with
// contentType), else as JSON.
func (c *client) do(method, path string, body any, contentType string, hdr ...string) *response {
	c.h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.h.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
		if contentType == "" {
			contentType = "application/json"
		}
	}
	req, err := http.NewRequest(method, c.h.base+path, rd)
	if err != nil {
		c.h.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.csrf != "" && method != http.MethodGet {
		req.Header.Set(csrfHeader, c.csrf)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		c.h.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return &response{t: c.h.t, method: method, path: path, status: resp.StatusCode, header: resp.Header, body: b}
}

func (c *client) get(path string) *response { return c.do(http.MethodGet, path, nil, "") }
func (c *client) post(path string, body any) *response {
	return c.do(http.MethodPost, path, body, "")
}
func (c *client) delete(path string) *response { return c.do(http.MethodDelete, path, nil, "") }

func (r *response) want(status int) *response {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("%s %s: status %d, want %d; body %s", r.method, r.path, r.status, status, r.body)
	}
	return r
}

func (r *response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("%s %s: decode %s: %v", r.method, r.path, r.body, err)
	}
}

// apiError decodes the error shape and checks that it is the only shape.
func (r *response) apiError() errorDetail {
	r.t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		r.t.Fatalf("%s %s: error Content-Type %q, want application/json", r.method, r.path, ct)
	}
	var b errorBody
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		r.t.Fatalf("%s %s: error body %s is not the error shape: %v", r.method, r.path, r.body, err)
	}
	if b.Error.Code == "" || b.Error.Message == "" {
		r.t.Fatalf("%s %s: error body %s lacks a code or message", r.method, r.path, r.body)
	}
	if want := statusOf(b.Error.Code); want != r.status {
		r.t.Fatalf("%s %s: code %q goes with status %d, got %d", r.method, r.path, b.Error.Code, want, r.status)
	}
	return b.Error
}

// wantError checks the status and the error code.
func (r *response) wantError(status int, code string) errorDetail {
	r.t.Helper()
	r.want(status)
	e := r.apiError()
	if e.Code != code {
		r.t.Fatalf("%s %s: error code %q, want %q; body %s", r.method, r.path, e.Code, code, r.body)
	}
	return e
}

// fakeParties matches any name containing "Tanchon" against a made-up entry.
type fakeParties struct{}

func (fakeParties) Search(q parties.Query) []parties.Match {
	if !strings.Contains(strings.ToLower(q.Name), "tanchon") {
		return nil
	}
	return []parties.Match{{List: "un", ID: "KPe.TEST", Name: "TANCHON TEST BANK", MatchedName: "TANCHON TEST BANK",
		Score: 0.97, Strength: "strong", Citation: "test list", Explanation: "test"}}
}
