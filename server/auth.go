package server

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Cookie and header names.
const (
	sessionCookie = "tp_session"
	csrfCookie    = "tp_csrf"
	csrfHeader    = "X-CSRF-Token"
)

// actor returns the request's actor; for handlers behind s.authed only.
func actor(r *http.Request) tradeplan.Actor {
	a, ok := tradeplan.ActorFrom(r.Context())
	if !ok || a.IsSystem() {
		// s.authed guarantees an actor; reaching here is a routing mistake.
		panic("server: handler needs s.authed")
	}
	return a
}

// authed wraps a handler that needs a logged-in user: a bearer token
// (Authorization: Bearer ...) or a session cookie, which on unsafe methods
// must come with the session's CSRF token in X-CSRF-Token. Without either
// the answer is 401. The handler finds the actor with ActorFrom.
func (s *Server) authed(h handlerFunc) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.authenticate(r)
		if err != nil {
			return err
		}
		noteActor(r, a.Label())
		return h(w, r.WithContext(tradeplan.WithActor(r.Context(), a)))
	})
}

func (s *Server) authenticate(r *http.Request) (tradeplan.Actor, error) {
	if s.accounts == nil {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EInternal, "no store configured")
	}
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		tok = strings.TrimSpace(tok)
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
			return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "malformed Authorization header: want Bearer TOKEN")
		}
		if len(tok) > 256 {
			return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "unknown API token")
		}
		return s.accounts.TokenActor(r.Context(), tok)
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "log in first, or send an API token as Authorization: Bearer TOKEN")
	}
	if len(c.Value) > 256 {
		return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EUnauthorized, "no such session: log in again")
	}
	a, sess, err := s.accounts.SessionActor(r.Context(), c.Value)
	if err != nil {
		return tradeplan.Actor{}, err
	}
	if !safeMethod(r.Method) {
		got := r.Header.Get(csrfHeader)
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
			return tradeplan.Actor{}, tradeplan.Errorf(tradeplan.EForbidden, "missing or wrong %s header: send the csrf_token of your login", csrfHeader)
		}
	}
	return a, nil
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// Login.

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type loginResponse struct {
	User      tradeplan.User         `json:"user"`
	Org       tradeplan.Organisation `json:"org"`
	CSRFToken string                 `json:"csrf_token"`
	ExpiresAt time.Time              `json:"expires_at"`
}

// login checks an email and password and starts a session. Attempts are
// rate limited per client IP and per email, successful or not.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req loginRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(req.Email))
	var ps tradeplan.Problems
	if email == "" {
		ps.Add(tradeplan.Position{Path: "email"}, "", "missing")
	}
	if req.Password == "" {
		ps.Add(tradeplan.Position{Path: "password"}, "", "missing")
	}
	if err := ps.Err("login"); err != nil {
		return err
	}
	if ok, wait := s.loginIP.allow(limitKey(clientIP(r))); !ok {
		return s.rateLimited(r, wait, "login attempts", "ip")
	}
	if ok, wait := s.loginEmail.allow(email); !ok {
		return s.rateLimited(r, wait, "login attempts", "email")
	}
	if s.accounts == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no store configured")
	}
	l, err := s.accounts.Login(r.Context(), email, req.Password, s.cfg.SessionTTL)
	if err != nil {
		if tradeplan.ErrorCode(err) == tradeplan.EUnauthorized {
			s.log.WarnContext(r.Context(), "login failed", "remote", clientIP(r))
		}
		return err
	}
	expires := s.clock().Add(s.cfg.SessionTTL)
	http.SetCookie(w, s.cookie(sessionCookie, l.Token, true, expires))
	http.SetCookie(w, s.cookie(csrfCookie, l.CSRF, false, expires))
	writeJSON(w, http.StatusOK, loginResponse{User: l.User, Org: l.Org, CSRFToken: l.CSRF, ExpiresAt: expires.UTC()})
	return nil
}

// rateLimited is the 429 answer, with Retry-After, to too many of what
// (login attempts, permit verifications) by one key (ip, email).
func (s *Server) rateLimited(r *http.Request, wait time.Duration, what, by string) error {
	s.log.WarnContext(r.Context(), "rate limited", "what", what, "by", by, "remote", clientIP(r))
	return &retryAfterError{
		err:     tradeplan.Errorf(ERateLimited, "too many %s: try again in %d s", what, sinceSeconds(wait)),
		seconds: sinceSeconds(wait),
	}
}

func (s *Server) cookie(name, value string, httpOnly bool, expires time.Time) *http.Cookie {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/",
		HttpOnly: httpOnly, Secure: !s.cfg.InsecureCookies, SameSite: http.SameSiteStrictMode,
	}
	if value == "" {
		c.MaxAge = -1
	} else {
		c.Expires = expires
		c.MaxAge = int(time.Until(expires) / time.Second)
		if c.MaxAge <= 0 {
			c.MaxAge = int(s.cfg.SessionTTL / time.Second)
		}
	}
	return c
}

// logout ends the session of the request's cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	a := actor(r)
	if a.Via != "session" {
		// A token is a named credential scripts may share: a logout does
		// not revoke it behind its owner's back, nor pretend to (a 204
		// would leave a client believing it is dead). The answer says
		// which token stays valid and how to revoke it.
		return withDetails(tradeplan.Errorf(tradeplan.EInvalid,
			"logout ends a browser session; API token %d, which this request used, stays valid: revoke it with DELETE /api/v1/tokens/%d", a.TokenID, a.TokenID),
			map[string]any{"token_id": a.TokenID, "revoke": "DELETE " + fmt.Sprintf("/api/v1/tokens/%d", a.TokenID)})
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return tradeplan.Errorf(tradeplan.EUnauthorized, "no session")
	}
	if err := s.accounts.Logout(r.Context(), c.Value); err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(sessionCookie, "", true, time.Time{}))
	http.SetCookie(w, s.cookie(csrfCookie, "", false, time.Time{}))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meResponse struct {
	User    tradeplan.User         `json:"user"`
	Org     tradeplan.Organisation `json:"org"`
	Via     string                 `json:"via"`
	TokenID int64                  `json:"token_id,omitempty"`
}

// me returns the actor.
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	a := actor(r)
	writeJSON(w, http.StatusOK, meResponse{User: a.User, Org: a.Org, Via: a.Via, TokenID: a.TokenID})
	return nil
}
