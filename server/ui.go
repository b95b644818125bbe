package server

// The web interface: server-rendered HTML pages for people in a browser, beside
// the JSON API. Plain HTML forms, no JavaScript; html/template with every
// template parsed at start-up from the embedded web/ folder; one stylesheet
// served under a content-hash URL with a year-long cache. Pages sign in with
// the same session cookie as POST /api/v1/login; a form that changes state
// carries the session's CSRF token in a hidden csrf_token field. Every rule
// is the licensing service's: the pages call the methods the JSON handlers
// call and show what they answer. docs/ui.md lists the pages.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

//go:embed web/templates/*.html web/static/*
var webFS embed.FS

const (
	csrfField   = "csrf_token"
	flashCookie = "tp_flash"
	// loginCookie holds the pre-session token that the login form echoes, so
	// that another site cannot sign a browser in (login CSRF).
	loginCookie = "tp_login"
)

// ui holds the parsed templates and the hashed stylesheet.
type ui struct {
	s     *Server
	svc   *licensing.Service
	pages map[string]*template.Template
	// static maps a hashed file name ("app.3f2a9c1d.css") to its content.
	static map[string]staticFile
	css    string // the stylesheet's URL
}

type staticFile struct {
	body  []byte
	ctype string
}

// uiTemplates are parsed once, when the first server is made (New): a
// broken template stops the server at start rather than a page at run
// time, and a command that serves no pages does not pay for parsing them.
var uiTemplates = sync.OnceValue(mustParsePages)

var uiStatic, uiCSS = mustHashStatic()

// pageNames are the pages; each file web/templates/NAME.html defines
// "title" and "content" and is rendered inside layout.html.
var pageNames = []string{"home", "login", "plans", "plan", "calls", "call", "permits", "crossings", "audit", "error",
	"permit-print", "verify", "declarations", "cases",
	"permitcharts", "caps", "orgs",
	"declarations-import",
	"crossing-confirm", "sites", "sitefile"}

func mustParsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.New(name).Funcs(uiFuncs).Funcs(listFuncs)
		t = template.Must(t.ParseFS(webFS, "web/templates/layout.html", "web/templates/parts.html", "web/templates/widgets.html", "web/templates/imports.html", "web/templates/"+name+".html"))
		t = template.Must(t.ParseFS(webFS, "web/templates/part-*.html")) // partials any page may use
		if t.Lookup("content") == nil || t.Lookup("title") == nil {
			panic("server: template " + name + ".html must define title and content")
		}
		out[name] = t
	}
	return out
}

func mustHashStatic() (map[string]staticFile, string) {
	out := map[string]staticFile{}
	css := ""
	ents, err := fs.ReadDir(webFS, "web/static")
	if err != nil {
		panic(err)
	}
	for _, e := range ents {
		b, err := fs.ReadFile(webFS, "web/static/"+e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		name := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:6]) + ext
		ctype := "application/octet-stream"
		switch ext {
		case ".css":
			ctype = "text/css; charset=utf-8"
		case ".svg":
			ctype = "image/svg+xml"
		}
		out[name] = staticFile{body: b, ctype: ctype}
		if e.Name() == "app.css" {
			css = "/static/" + name
		}
	}
	if css == "" {
		panic("server: web/static/app.css missing")
	}
	return out, css
}

func newUI(s *Server) *ui {
	u := &ui{s: s, pages: uiTemplates(), static: uiStatic, css: uiCSS}
	if s.store != nil {
		u.svc = newLicensingService(s)
	}
	return u
}

// serveStatic serves an embedded file by its hashed name, cached for a year:
// a changed file has a new name.
func (u *ui) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := u.static[r.PathValue("file")]
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("not found\n"))
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(f.body)
	}
}

// uiReq is what a page handler knows of its request.
type uiReq struct {
	actor  tradeplan.Actor
	signed bool   // a live session
	csrf   string // the session's CSRF token
	flash  string
	// formErr and status: a refused form shown again on its page (onForm).
	formErr *formError
	status  int
}

type uiHandler func(w http.ResponseWriter, r *http.Request, q *uiReq) error

// page is the data of every page: the layout's, and the page's own in Data.
type page struct {
	Title  string
	Nav    string
	Actor  tradeplan.Actor
	Signed bool
	CSRF   string
	Flash  string
	CSS    string
	Data   any
	// FormErr is the refused form of this page, if any (ui_formerr.go).
	FormErr *formError
}

// public serves a page open to everyone; a signed-in user is recognised
// for the header.
func (u *ui) public(h uiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := &uiReq{}
		if a, csrf, err := u.session(r); err == nil {
			q.actor, q.signed, q.csrf = a, true, csrf
		}
		q.flash = u.takeFlash(w, r)
		if err := h(w, r, q); err != nil {
			u.fail(w, r, q, err)
		}
	})
}

// authed serves a page that needs a signed-in user. Without a session a GET
// is sent to the login page (and back after); anything else is refused. A
// POST must carry the session's CSRF token in the csrf_token form field (or
// the X-CSRF-Token header), compared in constant time.
func (u *ui) authed(h uiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := &uiReq{}
		a, csrf, err := u.session(r)
		if err != nil {
			if safeMethod(r.Method) && tradeplan.ErrorCode(err) == tradeplan.EUnauthorized {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			u.fail(w, r, q, err)
			return
		}
		q.actor, q.signed, q.csrf = a, true, csrf
		if !safeMethod(r.Method) {
			if err := parseForm(r); err != nil {
				u.fail(w, r, q, err)
				return
			}
			got := r.PostForm.Get(csrfField)
			if got == "" {
				got = r.Header.Get(csrfHeader)
			}
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
				u.fail(w, r, q, tradeplan.Errorf(tradeplan.EForbidden, "this form has expired or did not come from this site: reload the page and try again"))
				return
			}
		}
		q.flash = u.takeFlash(w, r)
		r = r.WithContext(tradeplan.WithActor(r.Context(), a))
		if err := h(w, r, q); err != nil {
			u.fail(w, r, q, err)
		}
	})
}

// session finds the actor of the request's session cookie, as the API's
// authenticate does for cookies. API tokens do not sign in pages.
func (u *ui) session(r *http.Request) (tradeplan.Actor, string, error) {
	if u.s.accounts == nil {
		return tradeplan.Actor{}, "", tradeplan.Errorf(tradeplan.EInternal, "no store configured")
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 256 {
		return tradeplan.Actor{}, "", tradeplan.Errorf(tradeplan.EUnauthorized, "sign in first")
	}
	a, sess, err := u.s.accounts.SessionActor(r.Context(), c.Value)
	if err != nil {
		return tradeplan.Actor{}, "", err
	}
	return a, sess.CSRF, nil
}

// parseForm parses a urlencoded or multipart body (the body size limit of
// ServeHTTP applies).
func parseForm(r *http.Request) error {
	var err error
	if mediaType(r) == "multipart/form-data" {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return tradeplan.Errorf(tradeplan.EInvalid, "the form could not be read: send it again from the page")
	}
	return checkValues(r.PostForm)
}

// render executes a page into a buffer, then writes it: a template error is
// a clean 500, never half a page.
func (u *ui) render(w http.ResponseWriter, r *http.Request, status int, name string, q *uiReq, p page) {
	t, ok := u.pages[name]
	if !ok {
		panic("server: no page template " + name)
	}
	p.Actor, p.Signed, p.CSRF, p.CSS = q.actor, q.signed, q.csrf, u.css
	if q.formErr != nil {
		p.FormErr, status = q.formErr, q.status
	}
	if p.Flash == "" {
		p.Flash = q.flash
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		u.s.log.ErrorContext(r.Context(), "render page", slog.String("page", name), slog.String("error", err.Error()))
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte("internal error\n"))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorView is what the error page shows: the status, the message safe to
// show (tradeplan.ErrorMessage), the problems of a document and the
// findings that stop a line, never internal text.
type errorView struct {
	Status   int
	Heading  string
	Message  string
	Problems []string
	Findings []tradeplan.Finding
	Back     string
}

func (u *ui) errorView(r *http.Request, err error) errorView {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = tooLarge(mbe.Limit)
	}
	code := tradeplan.ErrorCode(err)
	status := statusOf(code)
	v := errorView{Status: status, Message: tradeplan.ErrorMessage(err)}
	if status >= 500 {
		v.Message = "Something went wrong on our side. It has been logged; please try again later."
		u.s.log.ErrorContext(r.Context(), "request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.String("error", err.Error()))
	} else {
		var te *tradeplan.Error
		if errors.As(err, &te) {
			for _, p := range te.Problems {
				v.Problems = append(v.Problems, p.String())
			}
		}
		if fe, ok := licensing.AsFindings(err); ok {
			v.Findings = fe.Findings
		}
	}
	a, _ := tradeplan.ActorFrom(r.Context())
	name := u.orgNamer(r.Context(), a)
	v.Message = userWords(v.Message, name)
	for i := range v.Problems {
		v.Problems[i] = userWords(v.Problems[i], name)
	}
	v.Heading = map[int]string{
		http.StatusBadRequest:            "That did not work",
		http.StatusUnauthorized:          "Please sign in",
		http.StatusForbidden:             "Not allowed",
		http.StatusNotFound:              "Not found",
		http.StatusConflict:              "Refused",
		http.StatusRequestEntityTooLarge: "Too large",
		http.StatusTooManyRequests:       "Too many attempts",
	}[status]
	if v.Heading == "" {
		v.Heading = "Error"
	}
	return v
}

// fail shows the error page with the error's status.
func (u *ui) fail(w http.ResponseWriter, r *http.Request, q *uiReq, err error) {
	v := u.errorView(r, err)
	var ra *retryAfterError
	if errors.As(err, &ra) {
		w.Header().Set("Retry-After", strconv.Itoa(ra.seconds))
	}
	if !safeMethod(r.Method) {
		v.Back = backPath(r.URL.Path)
	}
	u.render(w, r, v.Status, "error", q, page{Title: v.Heading, Data: v})
}

// redirect answers a successful form post: 303 to a page, with a notice
// shown there once.
func (u *ui) redirect(w http.ResponseWriter, r *http.Request, to, notice string) error {
	if notice != "" {
		if len(notice) > 600 {
			notice = notice[:600] + "..."
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(notice)),
			Path: "/", MaxAge: 120, HttpOnly: true, Secure: !u.s.cfg.InsecureCookies, SameSite: http.SameSiteStrictMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// takeFlash reads and clears the notice of the last form post.
func (u *ui) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: !u.s.cfg.InsecureCookies, SameSite: http.SameSiteStrictMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) > 700 {
		return ""
	}
	return strings.ToValidUTF8(string(b), "?")
}

// localPath returns s when it is a path on this site ("/plans/3?x=1"),
// else "": the login page's next= never leads elsewhere.
func localPath(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") ||
		strings.ContainsAny(s, "\\\r\n\t") || len(s) > 2000 {
		return ""
	}
	if _, err := url.ParseRequestURI(s); err != nil {
		return ""
	}
	return s
}

// backPath is the page a form posted to path was on, for the error page's
// link back: /plans/3/lines/2/approve -> /plans/3, /crossings/x/open ->
// /crossings. (Referer is not sent: the server's Referrer-Policy is
// no-referrer.)
func backPath(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 0 || parts[0] == "" || parts[0] == "screen" || parts[0] == "logout":
		return "/"
	case parts[0] == "plans" && len(parts) >= 2:
		if _, err := strconv.ParseInt(parts[1], 10, 64); err == nil {
			return "/plans/" + parts[1]
		}
	}
	switch parts[0] {
	case "plans", "calls", "permits", "crossings", "login":
		return "/" + parts[0]
	}
	return "/"
}

// Template functions.

var uiFuncs = template.FuncMap{
	"num":      fmtNum,
	"nz":       func(d tradeplan.Decimal) bool { return !d.IsZero() },
	"date":     func(t time.Time) string { return fmtTime(t, time.DateOnly) },
	"datetime": func(t time.Time) string { return fmtTime(t, "2006-01-02 15:04 UTC") },
	"dateptr": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return fmtTime(*t, "2006-01-02 15:04 UTC")
	},
	"deadline":  licensing.DeadlineText,
	"formErr":   formErrFor,
	"formVal":   formVal,
	"formHas":   formHas,
	"actionQ":   actionQ,
	"who":       func(label string) string { return wordsUser.ReplaceAllString(label, "") },
	"filterErr": func(fe *formError, path string) *errorView { return formErrFor(fe, filterAction(path)) },
	// inDoubt: the classifier's best code is in doubt against another (its
	// confidence alone would read as certain).
	"inDoubt": func(a tradeplan.HSAssignment) bool { return strings.HasPrefix(a.Note, "in doubt") },
	"pct":     func(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" },
	"verdictClass": func(v fmt.Stringer) string {
		return "verdict v-" + v.String()
	},
	"join":     strings.Join,
	"hsfmt":    hsFormat,
	"add":      func(a, b int) int { return a + b },
	"hasRole":  hasRole,
	"orgName":  func(m map[int64]string, id int64) string { return orgLabel(m, id) },
	"str":      func(v any) string { return fmt.Sprint(v) },
	"eq2":      func(a, b string) bool { return a == b },
	"nonempty": func(s string) bool { return strings.TrimSpace(s) != "" },
	"short": func(s string, n int) string {
		if len(s) <= n {
			return s
		}
		return s[:n] + "…"
	},
}

func fmtTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(layout)
}

// fmtNum writes a figure exactly, with thousands separated by a narrow
// no-break space: 1 234 567.5. Pages are the only place figures are grouped.
func fmtNum(d tradeplan.Decimal) string { return d.Grouped("\u202f") }

// hsFormat writes an HS code with its dots: 030569 -> 0305.69.
func hsFormat(code string) string {
	switch {
	case len(code) >= 8:
		return code[:4] + "." + code[4:6] + "." + code[6:]
	case len(code) == 6:
		return code[:4] + "." + code[4:]
	}
	return code
}

func hasRole(a tradeplan.Actor, roles ...string) bool {
	for _, r := range roles {
		if string(a.User.Role) == r {
			return true
		}
	}
	return false
}

func orgLabel(m map[int64]string, id int64) string {
	if n, ok := m[id]; ok {
		return n
	}
	return "organisation " + strconv.FormatInt(id, 10)
}

func (u *ui) service() (*licensing.Service, error) {
	if u.svc == nil {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "no store configured")
	}
	return u.svc, nil
}

// orgNames names the organisations of the actor's subtree.
func (u *ui) orgNames(ctx context.Context, a tradeplan.Actor) (map[int64]string, error) {
	orgs, err := u.s.accounts.Orgs(tradeplan.WithActor(ctx, a), tradeplan.OrgFilter{Under: &a.Org.ID})
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		m[o.ID] = o.Name
	}
	return m, nil
}

func uiPathID(r *http.Request, what string) (int64, error) { return pathID(r, what) }

// formDecimal reads an optional figure with the one number parser: a point
// as the decimal separator, a comma refused ("1,5" is never read as 15);
// nil when the field is empty.
func formDecimal(r *http.Request, name string) (*tradeplan.Decimal, error) {
	s := strings.TrimSpace(r.PostForm.Get(name))
	if s == "" {
		return nil, nil
	}
	d, err := tradeplan.ParseDecimal(s)
	if err != nil {
		msg := "want a number, got " + quoteShort(s) + ": " + err.Error()
		return nil, &tradeplan.Error{Code: tradeplan.EInvalid, Message: name + ": " + msg,
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: name}, Message: msg}}}
	}
	return &d, nil
}
