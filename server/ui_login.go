package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

type loginView struct {
	Next  string
	Email string
	Token string // the pre-session token the form echoes
	Error *errorView
}

func (u *ui) loginPage(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	next := localPath(r.URL.Query().Get("next"))
	if q.signed {
		if next == "" {
			next = "/"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	v := loginView{Next: next, Token: u.loginToken(w)}
	u.render(w, r, http.StatusOK, "login", q, page{Title: "Sign in", Nav: "login", Data: v})
	return nil
}

// loginToken sets a fresh pre-session token cookie and returns it for the
// form: a SameSite=Strict cookie that another site's form cannot send.
func (u *ui) loginToken(w http.ResponseWriter) string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic("server: no randomness: " + err.Error())
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/login", MaxAge: 3600, HttpOnly: true,
		Secure: !u.s.cfg.InsecureCookies, SameSite: http.SameSiteStrictMode})
	return tok
}

// loginSubmit checks the email and password with the same rate limits and
// store calls as POST /api/v1/login, and starts the same session.
func (u *ui) loginSubmit(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := loginView{Next: localPath(r.PostForm.Get("next")), Email: strings.TrimSpace(r.PostForm.Get("email"))}
	err := u.login(w, r, v.Email, r.PostForm.Get("password"), r.PostForm.Get(csrfField))
	if err != nil {
		ev := u.errorView(r, err)
		if ev.Status >= 500 {
			return err
		}
		var ra *retryAfterError
		if asRetry(err, &ra) {
			w.Header().Set("Retry-After", strconv.Itoa(ra.seconds))
		}
		v.Error, v.Token = &ev, u.loginToken(w)
		u.render(w, r, ev.Status, "login", q, page{Title: "Sign in", Nav: "login", Data: v})
		return nil
	}
	next := v.Next
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func asRetry(err error, ra **retryAfterError) bool {
	for e := err; e != nil; {
		if x, ok := e.(*retryAfterError); ok {
			*ra = x
			return true
		}
		un, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = un.Unwrap()
	}
	return false
}

func (u *ui) login(w http.ResponseWriter, r *http.Request, emailIn, password, token string) error {
	c, cerr := r.Cookie(loginCookie)
	if cerr != nil || c.Value == "" || token == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(token)) != 1 {
		return tradeplan.Errorf(tradeplan.EForbidden, "the sign-in form has expired or did not come from this site: try again")
	}
	email := strings.ToLower(strings.TrimSpace(emailIn))
	var ps tradeplan.Problems
	if email == "" {
		ps.Add(tradeplan.Position{Path: "email"}, "", "missing")
	}
	if password == "" {
		ps.Add(tradeplan.Position{Path: "password"}, "", "missing")
	}
	if err := ps.Err("sign in"); err != nil {
		return err
	}
	if ok, wait := u.s.loginIP.allow(limitKey(clientIP(r))); !ok {
		return u.s.rateLimited(r, wait, "login attempts", "ip")
	}
	if ok, wait := u.s.loginEmail.allow(email); !ok {
		return u.s.rateLimited(r, wait, "login attempts", "email")
	}
	if u.s.accounts == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no store configured")
	}
	l, err := u.s.accounts.Login(r.Context(), email, password, u.s.cfg.SessionTTL)
	if err != nil {
		if tradeplan.ErrorCode(err) == tradeplan.EUnauthorized {
			u.s.log.WarnContext(r.Context(), "login failed", "remote", clientIP(r))
		}
		return err
	}
	expires := u.s.clock().Add(u.s.cfg.SessionTTL)
	http.SetCookie(w, u.s.cookie(sessionCookie, l.Token, true, expires))
	http.SetCookie(w, u.s.cookie(csrfCookie, l.CSRF, false, expires))
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true,
		Secure: !u.s.cfg.InsecureCookies, SameSite: http.SameSiteStrictMode})
	return nil
}

func (u *ui) logout(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := u.s.accounts.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, u.s.cookie(sessionCookie, "", true, time.Time{}))
	http.SetCookie(w, u.s.cookie(csrfCookie, "", false, time.Time{}))
	return u.redirect(w, r, "/", "You are signed out.")
}
