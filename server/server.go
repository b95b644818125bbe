// Package server is the JSON API of tradeplan over HTTP: routing (every
// route in routes.go), one error shape and one place that maps errors to
// statuses (errors.go), sessions, API tokens and CSRF (auth.go), rate limits
// of login attempts, the account and audit endpoints, stateless screening
// endpoints, and graceful shutdown. It stores and decides nothing itself:
// accounts go through tradeplan.AccountService (package accounts), licensing
// through licensing.Service, both over package store; screening is package
// screen's.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store"
)

// Config is everything a Server needs. Zero durations and sizes take the
// defaults listed beside them.
type Config struct {
	Store *store.DB
	// Accounts keeps organisations, users, tokens, sessions and the audit
	// log; default accounts.NewService(Store). Tests may give a fake.
	Accounts tradeplan.AccountService
	Screener *screen.Screener
	// Parties answers POST /api/v1/parties/screen; when nil, that endpoint
	// answers 404 saying that no sanctions lists are loaded.
	Parties PartyIndex
	// Engine, when set, gives the screener and party index of the
	// sanctions lists stored now, so that lists imported while the server
	// runs are used without a restart; Screener and Parties are then
	// ignored. maxAge is how long ago the lists may have been checked:
	// 0 for licensing decisions, which must use the lists of the moment;
	// PublicListsMaxAge for the public screening endpoints and pages.
	Engine func(ctx context.Context, maxAge time.Duration) Engine
	Logger *slog.Logger
	Clock  func() time.Time // default time.Now

	MaxBodyBytes    int64         // default 8 MiB
	ReadTimeout     time.Duration // default 30 s (whole request, body included)
	WriteTimeout    time.Duration // default 60 s
	IdleTimeout     time.Duration // default 120 s
	ShutdownTimeout time.Duration // how long in-flight requests may take to finish; default 30 s

	// InsecureCookies drops the Secure attribute of the session cookies, for
	// plain HTTP on loopback (tests, the demo). Never in production.
	InsecureCookies bool
	// SessionTTL is how long a session lasts from login; default 12 h.
	SessionTTL time.Duration

	// LoginPerIP and LoginPerEmail limit login attempts; defaults 20 at once
	// then one every 3 s per IP, 5 at once then one every 20 s per email.
	// A Burst below zero turns a limit off.
	LoginPerIP    Rate
	LoginPerEmail Rate
	// VerifyPerIP limits the open permit verifications (API and page) per
	// client address, so that permits' status and balance cannot be read
	// off in bulk by counting through numbers; default 60 at once, then
	// one a second.
	VerifyPerIP Rate
	// ScreenPerIP limits the open screening endpoints (plans, party names,
	// name comparisons; API and landing page) per client address; default
	// DefaultScreenPerIP.
	ScreenPerIP Rate
	// ScreenPerAccount, ScreenAnonymous and ScreenTotal limit the same
	// endpoints per signed-in account, over every anonymous request, and
	// over every request (screenlimit.go); zero for the default, which is
	// off when ScreenPerIP is off.
	ScreenPerAccount Rate
	ScreenAnonymous  Rate
	ScreenTotal      Rate

	// TrustedProxies are the load balancers and reverse proxies in front of
	// the server. From these peers (only), the client address for login
	// rate limits and logs is taken from X-Forwarded-For.
	TrustedProxies []netip.Prefix

	// MaxScreening bounds the screening requests (plans and party names)
	// worked on at once; others wait their turn. It bounds the memory that
	// parsed documents and reports hold. Default 4 per CPU.
	MaxScreening int

	// MaxPlanLines is the most lines a plan document may have on every
	// path that reads one (screening, creating, editing and amending a
	// plan, web uploads) and the most a stored plan may reach by adding
	// lines; default DefaultMaxPlanLines, below zero no limit.
	MaxPlanLines int
	// RulesDigest names the rule packs the screener applies (the rules
	// engine's Digest): re-screenings record it, and RescreenIfRulesChanged
	// compares with it.
	RulesDigest string

	// AccessLog is the level of the per-request log line; default Info.
	AccessLog slog.Level
}

// Engine is what one screening uses: the screener and the party index of
// the same sanctions lists (Parties nil when none is loaded).
type Engine struct {
	Screener *screen.Screener
	Parties  PartyIndex
}

// PublicListsMaxAge is how stale the lists of the public screening
// endpoints and pages may be: checking them costs a query, a good part of
// a screening's time, so it is done at most this often there.
const PublicListsMaxAge = time.Second

// engine returns the screener and party index to screen with, of lists
// checked at most maxAge ago.
func (s *Server) engine(ctx context.Context, maxAge time.Duration) Engine {
	if s.cfg.Engine != nil {
		return s.cfg.Engine(ctx, maxAge)
	}
	return Engine{Screener: s.screener, Parties: s.parties}
}

// DefaultMaxPlanLines is the default of Config.MaxPlanLines: some twenty
// times the largest plan of the examples' kind, while a plan's report and
// page stay a few megabytes.
const DefaultMaxPlanLines = 10000

// Server serves the API. Create it with New.
type Server struct {
	cfg         Config
	store       *store.DB
	accounts    tradeplan.AccountService
	screener    *screen.Screener
	parties     PartyIndex
	log         *slog.Logger
	clock       func() time.Time
	maxBody     int64
	accessLevel slog.Level
	mux         *http.ServeMux
	// htmlNotFound answers a browser's request for an unknown page with
	// the web interface's 404 page (ui_notfound.go).
	htmlNotFound http.Handler

	loginIP    *limiter
	verifyIP   *limiter
	screenIP   *limiter
	screenMore screenLimiters // per account, anonymous ceiling, total ceiling
	loginEmail *limiter
	screening  chan struct{} // a semaphore of MaxScreening slots
}

// New builds a Server and registers its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 8 << 20
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 60 * time.Second
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 120 * time.Second
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 30 * time.Second
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.MaxScreening <= 0 {
		cfg.MaxScreening = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.MaxPlanLines == 0 {
		cfg.MaxPlanLines = DefaultMaxPlanLines
	}
	if cfg.Accounts == nil && cfg.Store != nil {
		cfg.Accounts = accounts.NewService(cfg.Store)
	}
	if cfg.LoginPerIP == (Rate{}) {
		cfg.LoginPerIP = Rate{Burst: 20, Every: 3 * time.Second}
	}
	if cfg.LoginPerEmail == (Rate{}) {
		cfg.LoginPerEmail = Rate{Burst: 5, Every: 20 * time.Second}
	}
	if cfg.VerifyPerIP == (Rate{}) {
		cfg.VerifyPerIP = Rate{Burst: 60, Every: time.Second}
	}
	cfg.screenDefaults()
	if cfg.ScreenPerIP == (Rate{}) {
		cfg.ScreenPerIP = DefaultScreenPerIP
	}
	s := &Server{
		cfg:         cfg,
		store:       cfg.Store,
		accounts:    cfg.Accounts,
		screener:    cfg.Screener,
		parties:     cfg.Parties,
		log:         cfg.Logger,
		clock:       cfg.Clock,
		maxBody:     cfg.MaxBodyBytes,
		accessLevel: cfg.AccessLog,
		mux:         http.NewServeMux(),
		loginIP:     newLimiter(cfg.LoginPerIP, cfg.Clock),
		loginEmail:  newLimiter(cfg.LoginPerEmail, cfg.Clock),
		verifyIP:    newLimiter(cfg.VerifyPerIP, cfg.Clock),
		screenIP:    newLimiter(cfg.ScreenPerIP, cfg.Clock),
		screenMore:  newScreenLimiters(cfg),
		screening:   make(chan struct{}, cfg.MaxScreening),
	}
	s.routes(s.mux)
	return s
}

// Handler returns the server's HTTP handler, middleware included.
func (s *Server) Handler() http.Handler { return s }

// ListenAndServe listens on addr and serves until ctx is done; see Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is done (the command cancels it on SIGTERM
// and interrupt). Then it stops accepting connections, lets in-flight
// requests finish within ShutdownTimeout, and returns nil. Requests run with
// their own contexts, not ctx, so that a shutdown never cuts one short.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", slog.String("addr", ln.Addr().String()))
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests", slog.Duration("timeout", s.cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	s.log.Info("stopped")
	return nil
}

// pingStore checks that the database answers, within two seconds.
func (s *Server) pingStore(r *http.Request) error {
	if s.store == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no store configured")
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.store.AppliedMigrations(ctx); err != nil {
		return &tradeplan.Error{Code: EUnavailable, Message: "database unavailable", Err: err}
	}
	return nil
}

// acquireScreening waits for a screening slot; release it with the returned
// function. It fails only when the client gives up waiting.
func (s *Server) acquireScreening(r *http.Request) (func(), error) {
	select {
	case s.screening <- struct{}{}:
		return func() { <-s.screening }, nil
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
}
