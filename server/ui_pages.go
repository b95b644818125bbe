package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store"
)

// ---- the landing page and public screening ----

type homeView struct {
	Format string // the format chosen in the form
	Text   string // the pasted document, shown again
	Report *tradeplan.PlanReport
	Error  *errorView
}

// uiExamplePlan is a short plan for the landing page's "fill in an example"
// link: the report's province, one banned export and two imports. Partner
// names are invented.
const uiExamplePlan = `plan:
  id: example
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H1
lines:
  - direction: export
    description: salted pollack
    hs: "0305.69"
    quantity: 300
    unit: t
    value: 420000
    currency: USD
    partner: {name: Example Seafood Trading Co., country: CN}
    crossing: Namyang-Tumen
  - direction: import
    description: urea fertiliser
    hs: "3102.10"
    quantity: 4000
    unit: t
    value: 1400000
    currency: USD
    necessity: critical
    purpose: spring planting
    partner: {name: Example Agricultural Supplies Co., country: CN}
    crossing: Namyang-Tumen
  - direction: import
    description: diesel fuel
    hs: "2710.19"
    quantity: 500
    unit: t
    value: 450000
    currency: USD
    necessity: essential
    purpose: fishing fleet and generators
    partner: {name: Example Energy Co., country: CN}
    crossing: Rason-Quanhe
`

func (u *ui) home(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	v := homeView{Format: "auto"}
	if r.URL.Query().Get("example") != "" {
		v.Text, v.Format = uiExamplePlan, "yaml"
	}
	u.render(w, r, http.StatusOK, "home", q, page{Title: "Screen a trade plan", Nav: "home", Data: v})
	return nil
}

// screen screens a pasted or uploaded plan document without signing in. It
// stores nothing. A document with problems is shown again with every problem
// at its line.
func (u *ui) screen(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	if err := parseForm(r); err != nil {
		return err
	}
	v := homeView{Format: r.PostForm.Get("format"), Text: r.PostForm.Get("document")}
	if v.Format == "" {
		v.Format = "auto"
	}
	status := http.StatusOK
	rep, err := u.screenForm(r, v.Format, v.Text)
	if err != nil {
		ev := u.errorView(r, err)
		if ev.Status >= 500 {
			return err
		}
		v.Error, status = &ev, ev.Status
	} else {
		v.Report = &rep
	}
	u.render(w, r, status, "home", q, page{Title: "Screening report", Nav: "home", Data: v})
	return nil
}

func (u *ui) screenForm(r *http.Request, format, text string) (tradeplan.PlanReport, error) {
	name, body, err := formDocument(r, "file", text)
	if err != nil {
		return tradeplan.PlanReport{}, err
	}
	f, err := documentFormat(format, name, body)
	if err != nil {
		return tradeplan.PlanReport{}, err
	}
	p, err := plan.ParseWith(body, name, f, u.s.planLimits())
	if err != nil {
		return tradeplan.PlanReport{}, err
	}
	sc := u.s.engine(r.Context(), PublicListsMaxAge).Screener
	if sc == nil {
		return tradeplan.PlanReport{}, tradeplan.Errorf(tradeplan.EInternal, "no screener configured")
	}
	// The landing page is public screening: lists and rules only, no
	// organisation's stored match decisions.
	return sc.Plan(r.Context(), p, screen.Options{NoDecisions: true})
}

// formDocument returns the uploaded file of the form field, or else the
// pasted text.
func formDocument(r *http.Request, field, text string) (name string, body []byte, err error) {
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File[field]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return "", nil, err
			}
			defer f.Close()
			body, err := io.ReadAll(f)
			if err != nil {
				return "", nil, err
			}
			name := fhs[0].Filename
			if name == "" || len(name) > 200 || strings.ContainsAny(name, "/\\") {
				name = "upload"
			}
			return name, body, nil
		}
	}
	if strings.TrimSpace(text) == "" {
		return "", nil, tradeplan.Errorf(tradeplan.EInvalid, "paste a plan document or choose a file")
	}
	return "pasted", []byte(text), nil
}

// documentFormat is the format chosen, else the file's extension, else a
// guess from the first character: { or [ is JSON, a first line with commas
// and no colon is CSV, anything else YAML.
func documentFormat(choice, name string, body []byte) (plan.Format, error) {
	if choice != "" && choice != "auto" {
		f, ok := plan.ParseFormat(choice)
		if !ok {
			return "", tradeplan.Errorf(tradeplan.EInvalid, "format: want auto, yaml, json or csv")
		}
		return f, nil
	}
	if f, ok := plan.FormatFromName(name); ok {
		return f, nil
	}
	t := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return plan.JSON, nil
	}
	first, _, _ := bytes.Cut(t, []byte("\n"))
	if bytes.Count(first, []byte(",")) >= 2 && !bytes.Contains(first, []byte(":")) {
		return plan.CSV, nil
	}
	return plan.YAML, nil
}

// ---- signing in and out ----

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
			next = "/plans"
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
		next = "/plans"
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
	if ok, wait := u.s.loginIP.allow(clientIP(r)); !ok {
		return u.s.rateLimited(r, wait, "ip")
	}
	if ok, wait := u.s.loginEmail.allow(email); !ok {
		return u.s.rateLimited(r, wait, "email")
	}
	if u.s.store == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no store configured")
	}
	usr, err := u.s.store.Authenticate(r.Context(), email, password)
	if err != nil {
		if tradeplan.ErrorCode(err) == tradeplan.EUnauthorized {
			u.s.log.WarnContext(r.Context(), "login failed", "remote", clientIP(r))
		}
		return err
	}
	ctx := tradeplan.WithActor(r.Context(), tradeplan.Actor{User: usr, Via: "session"})
	token, csrf, err := u.s.store.CreateSession(ctx, usr.ID, u.s.cfg.SessionTTL)
	if err != nil {
		return err
	}
	expires := u.s.clock().Add(u.s.cfg.SessionTTL)
	http.SetCookie(w, u.s.cookie(sessionCookie, token, true, expires))
	http.SetCookie(w, u.s.cookie(csrfCookie, csrf, false, expires))
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", MaxAge: -1, HttpOnly: true,
		Secure: !u.s.cfg.InsecureCookies, SameSite: http.SameSiteStrictMode})
	return nil
}

func (u *ui) logout(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := u.s.store.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, u.s.cookie(sessionCookie, "", true, time.Time{}))
	http.SetCookie(w, u.s.cookie(csrfCookie, "", false, time.Time{}))
	return u.redirect(w, r, "/", "You are signed out.")
}

// ---- helpers ----

func (u *ui) service() (*licensing.Service, error) {
	if u.svc == nil {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "no store configured")
	}
	return u.svc, nil
}

// orgNames names the organisations of the actor's subtree.
func (u *ui) orgNames(ctx context.Context, a tradeplan.Actor) (map[int64]string, error) {
	orgs, err := u.s.store.Orgs(ctx, tradeplan.OrgFilter{Under: &a.Org.ID})
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

// ---- plans ----

type planRow struct {
	Plan     tradeplan.PlanRecord
	Org      string
	Period   string
	Summary  *tradeplan.Summary
	Pending  int
	Approved int
	Refused  int
}

type plansView struct {
	Plans     []planRow
	OpenCalls []licensing.CallView
	CanUpload bool
	Orgs      map[int64]string
}

func (u *ui) plans(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	ctx, a := r.Context(), q.actor
	recs, err := svc.Plans(ctx, a, 0)
	if err != nil {
		return err
	}
	names, err := u.orgNames(ctx, a)
	if err != nil {
		return err
	}
	v := plansView{Orgs: names, CanUpload: a.User.Role == tradeplan.RoleSubmitter || a.User.Role == tradeplan.RoleAdmin}
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID > recs[j].ID })
	for i, rec := range recs {
		row := planRow{Plan: rec, Org: orgLabel(names, rec.Organisation)}
		if i < 200 { // the counts of the newest 200 plans; older ones link to their page
			d, err := svc.Plan(ctx, a, rec.ID, 0)
			if err != nil {
				return err
			}
			row.Summary, row.Period = d.Summary, d.Period
			for _, l := range d.Lines {
				switch l.Status {
				case licensing.LineApproved:
					row.Approved++
				case licensing.LineRefused:
					row.Refused++
				default:
					row.Pending++
				}
			}
		}
		v.Plans = append(v.Plans, row)
	}
	if v.CanUpload {
		calls, err := svc.Calls(ctx, a)
		if err != nil {
			return err
		}
		for _, c := range calls {
			if c.Status == licensing.CallOpen || (c.AllowLate && c.ClosedAt == nil) {
				v.OpenCalls = append(v.OpenCalls, c)
			}
		}
	}
	u.render(w, r, http.StatusOK, "plans", q, page{Title: "Plans", Nav: "plans", Data: v})
	return nil
}

// uploadPlan creates a plan for a call from an uploaded or pasted document
// and, unless kept as a draft, submits it (screening it), as POST
// /api/v1/calls/{id}/plans?submit=true does.
func (u *ui) uploadPlan(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	callID, err := strconv.ParseInt(r.PostForm.Get("call"), 10, 64)
	if err != nil || callID < 1 {
		return tradeplan.Errorf(tradeplan.EInvalid, "call: choose the call the plan answers")
	}
	name, body, err := formDocument(r, "file", r.PostForm.Get("document"))
	if err != nil {
		return err
	}
	f, err := documentFormat(r.PostForm.Get("format"), name, body)
	if err != nil {
		return err
	}
	doc, err := plan.ParseWith(body, name, f, u.s.planLimits())
	if err != nil {
		return err
	}
	a := q.actor
	rec, err := svc.CreatePlan(r.Context(), a, licensing.PlanInput{CallID: callID, Plan: doc})
	if err != nil {
		return err
	}
	to := "/plans/" + strconv.FormatInt(rec.ID, 10)
	if r.PostForm.Get("draft") == "yes" {
		return u.redirect(w, r, to, "Plan "+strconv.FormatInt(rec.ID, 10)+" saved as a draft: submit it to have it screened.")
	}
	if _, err := svc.SubmitPlan(r.Context(), a, rec.ID); err != nil {
		return err
	}
	return u.redirect(w, r, to, "Plan "+strconv.FormatInt(rec.ID, 10)+" submitted and screened.")
}

type planView struct {
	D          licensing.PlanDetail
	Org        string
	Call       licensing.CallView
	Reviewer   bool // may decide lines (the service still has the last word)
	Compliance bool
	Submitter  bool             // may submit the draft
	Amender    bool             // may upload an amended version
	Permits    map[int64]string // permit numbers by id
}

func (u *ui) plan(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	version := 0
	if s := r.URL.Query().Get("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no version %s", id, quoteShort(s))
		}
		version = n
	}
	ctx, a := r.Context(), q.actor
	d, err := svc.Plan(ctx, a, id, version)
	if err != nil {
		return err
	}
	names, err := u.orgNames(ctx, a)
	if err != nil {
		return err
	}
	cr, err := svc.Call(ctx, a, d.Plan.CallID)
	if err != nil {
		return err
	}
	v := planView{D: d, Org: orgLabel(names, d.Plan.Organisation), Call: cr.Call, Permits: map[int64]string{}}
	// The forms offered are what the permission table lets the actor do.
	current := d.Version == d.Plan.Version
	org := d.Plan.Organisation
	v.Reviewer = current && d.Plan.Status != tradeplan.PlanDraft && svc.Allowed(ctx, a, licensing.ActReviewLine, org)
	v.Compliance = current && d.Plan.Status != tradeplan.PlanDraft && svc.Allowed(ctx, a, licensing.ActDecideFinding, org)
	v.Submitter = current && d.Plan.Status == tradeplan.PlanDraft && svc.Allowed(ctx, a, licensing.ActWritePlan, org)
	v.Amender = current && d.Plan.Status != tradeplan.PlanDraft && svc.Allowed(ctx, a, licensing.ActWritePlan, org)
	ps, err := svc.Permits(ctx, a, licensing.PermitFilter{PlanID: id})
	if err != nil {
		return err
	}
	for _, p := range ps {
		v.Permits[p.ID] = p.Number
	}
	u.render(w, r, http.StatusOK, "plan", q, page{Title: "Plan " + strconv.FormatInt(id, 10) + ": " + d.Plan.Title, Nav: "plans", Data: v})
	return nil
}

func planURL(id int64, line int) string {
	s := "/plans/" + strconv.FormatInt(id, 10)
	if line > 0 {
		s += "#line-" + strconv.Itoa(line)
	}
	return s
}

func (u *ui) submitPlan(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	if _, err := svc.SubmitPlan(r.Context(), q.actor, id); err != nil {
		return err
	}
	return u.redirect(w, r, planURL(id, 0), "Plan submitted and screened.")
}

// amendPlan uploads a new version of a submitted plan with a reason; it is
// screened, and decisions carry over to unchanged lines.
func (u *ui) amendPlan(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	name, body, err := formDocument(r, "file", r.PostForm.Get("document"))
	if err != nil {
		return err
	}
	f, err := documentFormat(r.PostForm.Get("format"), name, body)
	if err != nil {
		return err
	}
	doc, err := plan.ParseWith(body, name, f, u.s.planLimits())
	if err != nil {
		return err
	}
	v, err := svc.AmendPlan(r.Context(), q.actor, id, doc, r.PostForm.Get("reason"))
	if err != nil {
		return err
	}
	return u.redirect(w, r, planURL(id, 0), "Version "+strconv.Itoa(v.Version)+" submitted and screened.")
}

func (u *ui) approveClear(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	res, err := svc.ApproveClear(r.Context(), q.actor, id, r.PostForm.Get("reason"))
	if err != nil {
		return err
	}
	return u.redirect(w, r, planURL(id, 0), plural(len(res.Decisions), "clear line")+" approved; "+plural(len(res.Permits), "permit")+" issued.")
}

func (u *ui) refuseProhibited(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	res, err := svc.RefuseProhibited(r.Context(), q.actor, id, r.PostForm.Get("reason"))
	if err != nil {
		return err
	}
	return u.redirect(w, r, planURL(id, 0), plural(len(res.Decisions), "prohibited line")+" refused, each citing its findings.")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

func (u *ui) lineParams(r *http.Request) (*licensing.Service, int64, int, error) {
	svc, err := u.service()
	if err != nil {
		return nil, 0, 0, err
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return nil, 0, 0, err
	}
	n, err := pathLine(r)
	return svc, id, n, err
}

func (u *ui) approveLine(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, id, n, err := u.lineParams(r)
	if err != nil {
		return err
	}
	ap := licensing.Approval{Reason: r.PostForm.Get("reason")}
	if ap.Quantity, err = formDecimal(r, "quantity"); err != nil {
		return err
	}
	if ap.Value, err = formDecimal(r, "value"); err != nil {
		return err
	}
	d, p, err := svc.ApproveLine(r.Context(), q.actor, id, n, ap)
	if err != nil {
		return err
	}
	what := "approved"
	if d.Reduced {
		what = "approved (reduced)"
	}
	return u.redirect(w, r, planURL(id, n), "Line "+strconv.Itoa(n)+" "+what+": permit "+p.Number+" issued. It is usable only while its crossing is open.")
}

func (u *ui) refuseLine(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, id, n, err := u.lineParams(r)
	if err != nil {
		return err
	}
	if _, err := svc.RefuseLine(r.Context(), q.actor, id, n, r.PostForm.Get("reason")); err != nil {
		return err
	}
	return u.redirect(w, r, planURL(id, n), "Line "+strconv.Itoa(n)+" refused.")
}

func (u *ui) assessLine(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, id, n, err := u.lineParams(r)
	if err != nil {
		return err
	}
	lv, err := svc.AssessLine(r.Context(), q.actor, id, n, r.PostForm.Get("hs"), r.PostForm.Get("reason"))
	if err != nil {
		return err
	}
	msg := "Line " + strconv.Itoa(n) + " assessed as " + hsFormat(lv.AssessedHS) + " and screened again"
	if lv.Verdict != nil {
		msg += ": " + lv.Verdict.String()
	}
	return u.redirect(w, r, planURL(id, n), msg+".")
}

func (u *ui) decideFinding(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, id, n, err := u.lineParams(r)
	if err != nil {
		return err
	}
	d, err := svc.DecideFindingWith(r.Context(), q.actor, id, n, licensing.ComplianceInput{Finding: r.PostForm.Get("finding"),
		Decision: r.PostForm.Get("decision"), Reason: r.PostForm.Get("reason"), Evidence: r.PostForm.Get("evidence"),
		General: r.PostForm.Get("general") == "yes"})
	if err != nil {
		return err
	}
	return u.redirect(w, r, planURL(id, n), "Finding "+d.Finding+" on line "+strconv.Itoa(n)+" "+d.Decision+".")
}

// ---- calls ----

type callsView struct {
	Calls   []licensing.CallView
	Issuers map[int64]string
	// Orgs are the organisations an administrator may name in a new call.
	Orgs []tradeplan.Organisation
}

func (u *ui) calls(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	cs, err := svc.Calls(r.Context(), q.actor)
	if err != nil {
		return err
	}
	v := callsView{Calls: cs, Issuers: map[int64]string{}}
	for _, c := range cs {
		if _, ok := v.Issuers[c.Issuer]; !ok {
			v.Issuers[c.Issuer] = u.issuerName(r.Context(), c.Issuer)
		}
	}
	if svc.Allowed(r.Context(), q.actor, licensing.ActOpenCall, 0) {
		if v.Orgs, err = u.s.store.Orgs(r.Context(), tradeplan.OrgFilter{Under: &q.actor.Org.ID}); err != nil {
			return err
		}
	}
	u.render(w, r, http.StatusOK, "calls", q, page{Title: "Calls for plans", Nav: "calls", Data: v})
	return nil
}

// openCall opens a call for plans from the form, as POST /api/v1/calls
// does: the period and deadline read by CallFromRequest, the service checks
// the role and the organisations.
func (u *ui) openCall(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	var orgs []int64
	for _, s := range r.PostForm["org"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return tradeplan.Errorf(tradeplan.EInvalid, "organisations: %s is not an organisation", quoteShort(s))
		}
		orgs = append(orgs, id)
	}
	forbid := r.PostForm.Get("allow_own_review") != "yes"
	c, err := CallFromRequest(r.PostForm.Get("period"), r.PostForm.Get("deadline"), r.PostForm.Get("guidance"), orgs,
		r.PostForm.Get("allow_late") == "yes", &forbid)
	if err != nil {
		return err
	}
	c.IncludeOffices = r.PostForm.Get("include_offices") == "yes"
	c, err = svc.OpenCall(r.Context(), q.actor, c)
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/calls/"+strconv.FormatInt(c.ID, 10), "Call "+strconv.FormatInt(c.ID, 10)+" for "+c.Period+" is open.")
}

// issuerName names the authority that issued a call: a call is an order
// every user may read, its issuer with it.
func (u *ui) issuerName(ctx context.Context, id int64) string {
	o, err := u.s.store.Org(ctx, id)
	if err != nil {
		return "organisation " + strconv.FormatInt(id, 10)
	}
	return o.Name
}

type callView struct {
	R      licensing.CallReport
	Issuer string
	Orgs   map[int64]string
}

func (u *ui) call(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "call")
	if err != nil {
		return err
	}
	rep, err := svc.Call(r.Context(), q.actor, id)
	if err != nil {
		return err
	}
	names, err := u.orgNames(r.Context(), q.actor)
	if err != nil {
		return err
	}
	v := callView{R: rep, Issuer: u.issuerName(r.Context(), rep.Call.Issuer), Orgs: names}
	u.render(w, r, http.StatusOK, "call", q, page{Title: "Call " + strconv.FormatInt(id, 10) + " for " + rep.Call.Period, Nav: "calls", Data: v})
	return nil
}

// ---- permits and crossings ----

// permitAction is a change of a permit's status offered as a form.
type permitAction struct {
	Verb  string // suspend, reinstate, revoke: the last part of the form's path
	Label string
}

type permitRow struct {
	licensing.PermitView
	Actions []permitAction
	CanUse  bool // the holder may record goods crossing under it
}

type permitsView struct {
	Permits []permitRow
	Orgs    map[int64]string
}

var permitActions = []struct {
	to tradeplan.PermitStatus
	permitAction
}{
	{tradeplan.PermitSuspended, permitAction{"suspend", "Suspend"}},
	{tradeplan.PermitIssued, permitAction{"reinstate", "Reinstate"}},
	{tradeplan.PermitRevoked, permitAction{"revoke", "Revoke for good"}},
}

func (u *ui) permits(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	ps, err := svc.Permits(r.Context(), q.actor, licensing.PermitFilter{})
	if err != nil {
		return err
	}
	names, err := u.orgNames(r.Context(), q.actor)
	if err != nil {
		return err
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].ID > ps[j].ID })
	// The authority changes a permit's status and the holder uses it (the
	// permission table); the forms offered are the transitions the permit's
	// state machine allows.
	v := permitsView{Orgs: names}
	manages, uses := map[int64]bool{}, map[int64]bool{}
	for _, p := range ps {
		if _, ok := manages[p.Holder]; !ok {
			manages[p.Holder] = svc.Allowed(r.Context(), q.actor, licensing.ActPermitStatus, p.Holder)
			uses[p.Holder] = svc.Allowed(r.Context(), q.actor, licensing.ActUsePermit, p.Holder)
		}
	}
	for _, p := range ps {
		row := permitRow{PermitView: p}
		row.CanUse = uses[p.Holder] && p.Effective == tradeplan.PermitIssued
		if manages[p.Holder] {
			for _, a := range permitActions {
				if licensing.CanTransition(p.Status, a.to) {
					row.Actions = append(row.Actions, a.permitAction)
				}
			}
		}
		v.Permits = append(v.Permits, row)
	}
	u.render(w, r, http.StatusOK, "permits", q, page{Title: "Permits", Nav: "permits", Data: v})
	return nil
}

// usePermit records goods crossing under a permit: the service refuses it
// unless the permit is usable now (issued, in its window, with a balance,
// its crossing open).
func (u *ui) usePermit(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "permit")
	if err != nil {
		return err
	}
	in := licensing.UseInput{Reference: r.PostForm.Get("reference")}
	qty, err := formDecimal(r, "quantity")
	if err != nil {
		return err
	}
	val, err := formDecimal(r, "value")
	if err != nil {
		return err
	}
	if qty != nil {
		in.Quantity = *qty
	}
	if val != nil {
		in.Value = *val
	}
	p, err := svc.UsePermit(r.Context(), q.actor, id, in)
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/permits#permit-"+strconv.FormatInt(id, 10),
		"Recorded on permit "+p.Number+": "+fmtNum(in.Quantity)+" "+p.Unit+"; "+fmtNum(p.QuantityLeft)+" "+p.Unit+" left.")
}

// permitStatus suspends, reinstates or revokes a permit with a reason,
// through the service (which checks the role, the holder and the transition).
func (u *ui) permitStatus(to tradeplan.PermitStatus) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		svc, err := u.service()
		if err != nil {
			return err
		}
		id, err := uiPathID(r, "permit")
		if err != nil {
			return err
		}
		p, err := svc.SetPermitStatus(r.Context(), q.actor, id, to, r.PostForm.Get("reason"))
		if err != nil {
			return err
		}
		return u.redirect(w, r, "/permits#permit-"+strconv.FormatInt(id, 10), "Permit "+p.Number+" is now "+string(p.Status)+".")
	}
}

type crossingsView struct {
	Crossings []licensing.CrossingHistory
	Admin     bool
}

func (u *ui) crossings(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	cs, err := svc.Crossings(r.Context(), q.actor)
	if err != nil {
		return err
	}
	v := crossingsView{Admin: svc.Allowed(r.Context(), q.actor, licensing.ActManageCrossing, 0)}
	for _, c := range cs {
		h, err := svc.Crossing(r.Context(), q.actor, c.ID)
		if err != nil {
			return err
		}
		// Newest change first.
		for i, j := 0, len(h.Events)-1; i < j; i, j = i+1, j-1 {
			h.Events[i], h.Events[j] = h.Events[j], h.Events[i]
		}
		v.Crossings = append(v.Crossings, h)
	}
	u.render(w, r, http.StatusOK, "crossings", q, page{Title: "Crossings", Nav: "crossings", Data: v})
	return nil
}

func (u *ui) setCrossing(to tradeplan.CrossingStatus) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		svc, err := u.service()
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		c, err := svc.SetCrossing(r.Context(), q.actor, id, to, r.PostForm.Get("reason"))
		if err != nil {
			return err
		}
		return u.redirect(w, r, "/crossings#crossing-"+c.ID, "Crossing "+c.Name+" is now "+string(c.Status)+".")
	}
}

// ---- audit ----

type auditView struct {
	Entries []tradeplan.AuditEntry
	Verify  *store.VerifyResult
}

// audit shows the newest entries of the actor's subtree (administrators and
// compliance officers, as GET /api/v1/audit) and, to administrators, the
// result of walking the chain (as GET /api/v1/audit/verify).
func (u *ui) audit(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	a := q.actor
	if err := requireRole(a, tradeplan.RoleAdmin, tradeplan.RoleCompliance); err != nil {
		return err
	}
	ctx := r.Context()
	res, err := u.s.store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	const n = 100
	entries, err := u.s.store.AuditLog(ctx, store.AuditFilter{OrgIDs: a.Subtree, AfterSeq: max(0, res.HeadSeq-5*n), Limit: 5 * n})
	if err != nil {
		return err
	}
	if len(entries) > n {
		entries = entries[len(entries)-n:]
	}
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	v := auditView{Entries: entries}
	if a.User.Role == tradeplan.RoleAdmin {
		v.Verify = &res
	}
	u.render(w, r, http.StatusOK, "audit", q, page{Title: "Audit log", Nav: "audit", Data: v})
	return nil
}
