package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
)

type planRow struct {
	Plan     tradeplan.PlanRecord
	Org      string
	Period   string
	Summary  *tradeplan.Summary
	Pending  int
	Approved int
	Refused  int
}

// answeredCall is an open call the actor's organisation has a plan for.
type answeredCall struct {
	Call licensing.CallView
	Plan int64
}

type plansView struct {
	Plans     []planRow
	OpenCalls []licensing.CallView
	Answered  []answeredCall
	CanUpload bool
	Orgs      map[int64]string
	Err       *formError // a refused upload
	Filter    url.Values
	Pager     pager
}

func (u *ui) plans(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	return u.plansPage(w, r, q, http.StatusOK, nil)
}

// plansPage renders the plans and the upload form, with the error of a
// refused upload beside it and the form as it was filled in.
func (u *ui) plansPage(w http.ResponseWriter, r *http.Request, q *uiReq, status int, fe *formError) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	ctx, a := r.Context(), q.actor
	pq, err := planQuery(r.URL.Query())
	if err != nil {
		return err
	}
	pq.Rows = true
	pg, err := svc.PlanPage(ctx, a, pq)
	if err != nil {
		return err
	}
	names, err := u.orgNames(ctx, a)
	if err != nil {
		return err
	}
	v := plansView{Orgs: names, CanUpload: a.User.Role == tradeplan.RoleSubmitter || a.User.Role == tradeplan.RoleAdmin,
		Filter: r.URL.Query(), Pager: newPager("/plans", "/plans.csv", r.URL.Query(), pg.Total, len(pg.Plans), pg.Next)}
	for _, rec := range pg.Plans {
		u.nameOrgs(ctx, names, rec.Organisation)
	}
	periods := map[int64]string{}
	if calls, err := svc.Calls(ctx, a); err == nil {
		for _, c := range calls {
			periods[c.ID] = c.Period
		}
	} else {
		return err
	}
	for _, rec := range pg.Plans {
		row := planRow{Plan: rec, Org: orgLabel(names, rec.Organisation), Period: periods[rec.CallID]}
		pr := pg.Rows[rec.ID]
		row.Summary, row.Approved, row.Refused, row.Pending = pr.Summary, pr.Approved, pr.Refused, pr.Pending()
		v.Plans = append(v.Plans, row)
	}
	if v.CanUpload {
		calls, err := svc.Calls(ctx, a)
		if err != nil {
			return err
		}
		// A call the organisation has answered takes no second plan: its
		// plan is amended instead, so the form is not offered for it.
		for _, c := range calls {
			if c.Status == licensing.CallOpen || (c.AllowLate && c.ClosedAt == nil) {
				own, err := svc.PlanPage(ctx, a, licensing.PlanQuery{CallID: c.ID, Org: a.Org.ID, Limit: 1})
				if err != nil {
					return err
				}
				if len(own.Plans) > 0 {
					v.Answered = append(v.Answered, answeredCall{Call: c, Plan: own.Plans[0].ID})
					continue
				}
				v.OpenCalls = append(v.OpenCalls, c)
			}
		}
	}
	v.Err = fe
	u.render(w, r, status, "plans", q, page{Title: "Plans", Nav: "plans", Data: v})
	return nil
}

// uploadPlan creates a plan for a call from an uploaded or pasted document
// and, unless kept as a draft, submits it (screening it), as POST
// /api/v1/calls/{id}/plans?submit=true does.
func (u *ui) uploadPlan(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	if err := u.upload(w, r, q); err != nil {
		if statusOf(tradeplan.ErrorCode(err)) >= 500 {
			return err
		}
		return u.plansPage(w, r, q, statusOf(tradeplan.ErrorCode(err)), u.newFormError(r, err))
	}
	return nil
}

func (u *ui) upload(w http.ResponseWriter, r *http.Request, q *uiReq) error {
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
	// Cleared: lines whose every review finding a compliance officer
	// cleared, so that their screening verdict "review" no longer stands.
	Cleared map[int]bool
	// FlashLine is the line a decision was just recorded on, whose notice
	// LineFlash is shown beside it (the page opens at the line).
	FlashLine int
	LineFlash string
	Err       *formError // a refused form of this page
}

func (u *ui) plan(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	return u.planPage(w, r, q, id, http.StatusOK, nil)
}

// onPlanForm runs the handler of a form on a plan's page; when the service
// refuses, the page is shown again with the error beside that form and
// the form as it was filled in.
func (u *ui) onPlanForm(h uiHandler) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		err := h(w, r, q)
		if err == nil {
			return nil
		}
		id, perr := uiPathID(r, "plan")
		status := statusOf(tradeplan.ErrorCode(err))
		if perr != nil || status >= 500 || status == http.StatusNotFound || status == http.StatusForbidden {
			return err
		}
		return u.planPage(w, r, q, id, status, u.newFormError(r, err))
	}
}

func (u *ui) planPage(w http.ResponseWriter, r *http.Request, q *uiReq, id int64, status int, fe *formError) error {
	svc, err := u.service()
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
	// The call as listed, not its report: the report sums every plan of
	// the call, which this page does not show.
	calls, err := svc.Calls(ctx, a)
	if err != nil {
		return err
	}
	u.nameOrgs(ctx, names, d.Plan.Organisation)
	var call licensing.CallView
	for _, c := range calls {
		if c.ID == d.Plan.CallID {
			call = c
		}
	}
	v := planView{D: d, Org: orgLabel(names, d.Plan.Organisation), Call: call, Permits: map[int64]string{}, Cleared: reviewsCleared(d.Lines)}
	if n, err := strconv.Atoi(r.URL.Query().Get("line")); err == nil && n > 0 && q.flash != "" {
		v.FlashLine, v.LineFlash, q.flash = n, q.flash, ""
	}
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
	v.Err = fe
	u.render(w, r, status, "plan", q, page{Title: "Plan " + strconv.FormatInt(id, 10) + ": " + d.Plan.Title, Nav: "plans", Data: v})
	return nil
}

// planURL is a plan's page, opened at a line (its notice shown beside it)
// when line > 0.
func planURL(id int64, line int) string {
	s := "/plans/" + strconv.FormatInt(id, 10)
	if line > 0 {
		s += "?line=" + strconv.Itoa(line) + "#line-" + strconv.Itoa(line)
	}
	return s
}

// reviewsCleared finds the lines whose verdict is review only because of
// findings a compliance officer has cleared.
func reviewsCleared(lines []licensing.LineView) map[int]bool {
	out := map[int]bool{}
	for _, l := range lines {
		if l.Verdict == nil || *l.Verdict != tradeplan.Review {
			continue
		}
		cleared := map[string]bool{}
		for _, c := range l.Compliance {
			if c.Decision == tradeplan.ComplianceCleared {
				cleared[c.Finding] = true
			}
		}
		all := true
		for _, f := range l.Findings {
			if f.Outcome == tradeplan.Review && !cleared[f.Key] {
				all = false
			}
		}
		out[l.Index] = all
	}
	return out
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
