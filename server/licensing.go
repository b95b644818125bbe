package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
)

// The licensing workflow's API: calls for plans, plans and their review,
// permits and crossings. The rules are package licensing's; these handlers
// parse requests, call the service and write its answers.

// licensingAPI holds the service the workflow's handlers call.
type licensingAPI struct {
	s   *Server
	svc *licensing.Service
}

// Licensing returns the server's licensing service (nil without a store),
// for the demo seeder and tests.
func (s *Server) Licensing() *licensing.Service {
	if s.store == nil {
		return nil
	}
	return newLicensingService(s)
}

func newLicensingService(s *Server) *licensing.Service {
	return licensing.NewService(licensing.Config{
		Store: s.store.Licensing(),
		Screen: func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
			maxAge := time.Duration(0)
			if licensing.InTransaction(ctx) {
				maxAge = decisionListsMaxAge // Refresh checked the lists just before
			}
			sc := s.engine(ctx, maxAge).Screener
			if sc == nil {
				return tradeplan.PlanReport{}, tradeplan.Errorf(tradeplan.EInternal, "no screener configured")
			}
			return sc.Plan(ctx, p, screen.ForUsage(asOf, usage))
		},
		// The goods rules do not change with the lists: the days they change
		// on need no fresh check of the stored lists.
		RuleChanges: func(from, to time.Time) []time.Time {
			if sc := s.engine(context.Background(), PublicListsMaxAge).Screener; sc != nil {
				return sc.Changes(from, to)
			}
			return nil
		},
		Refresh:      func(ctx context.Context) { s.engine(ctx, 0) },
		Clock:        s.clock,
		MaxPlanLines: s.cfg.MaxPlanLines,
		RulesDigest:  s.cfg.RulesDigest,
	})
}

// decisionListsMaxAge: within a transaction that screens, the lists checked
// by Refresh just before it began are used without another look at the
// database, which would take a second pooled connection while the
// transaction holds one.
const decisionListsMaxAge = time.Minute

func newLicensingAPI(s *Server) *licensingAPI {
	l := &licensingAPI{s: s}
	if s.store != nil {
		l.svc = newLicensingService(s)
	}
	return l
}

// h serves f to a signed-in actor, or an internal error without a store.
func (l *licensingAPI) h(f handlerFunc) http.Handler {
	return l.s.authed(func(w http.ResponseWriter, r *http.Request) error {
		if l.svc == nil {
			return tradeplan.Errorf(tradeplan.EInternal, "no store configured")
		}
		return f(w, r)
	})
}

// licErr attaches the findings that stop a line to the error's details.
func licErr(err error) error {
	if fe, ok := licensing.AsFindings(err); ok {
		return withDetails(err, map[string]any{"line": fe.Line, "findings": fe.Findings})
	}
	return err
}

func queryID(q map[string][]string, name string) (int64, error) {
	v := ""
	if vs := q[name]; len(vs) > 0 {
		v = vs[0]
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, &tradeplan.Error{Code: tradeplan.EInvalid, Message: name + ": want a positive integer, got " + quoteShort(v),
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: name}, Message: "want a positive integer"}}}
	}
	return n, nil
}

func pathLine(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("line"))
	if err != nil || n < 1 {
		return 0, tradeplan.Errorf(tradeplan.ENotFound, "line %s not found", quoteShort(r.PathValue("line")))
	}
	return n, nil
}

// ---- calls ----

type callRequest struct {
	Period          string  `json:"period"`
	Deadline        string  `json:"deadline"`
	Guidance        string  `json:"guidance"`
	Organisations   []int64 `json:"organisations"`
	AllowLate       bool    `json:"allow_late"`
	ForbidOwnReview *bool   `json:"forbid_own_review"`
	IncludeOffices  bool    `json:"include_offices"`
}

// CallFromRequest builds a call from its period label and deadline text,
// all problems at once. Calls forbid reviewing one's own plans unless told.
func CallFromRequest(period, deadline, guidance string, orgs []int64, allowLate bool, forbidOwn *bool) (tradeplan.Call, error) {
	var ps tradeplan.Problems
	c := tradeplan.Call{Guidance: guidance, Organisations: orgs, AllowLate: allowLate, ForbidOwnReview: true}
	if forbidOwn != nil {
		c.ForbidOwnReview = *forbidOwn
	}
	if p, err := plan.ParsePeriod(period); err != nil {
		ps.Add(tradeplan.Position{Path: "period"}, "", "%s", tradeplan.ErrorMessage(err))
	} else {
		c.Period, c.From, c.To = p.Label, p.From, p.To
	}
	if d, err := licensing.ParseDeadline(deadline); err != nil {
		ps.Add(tradeplan.Position{Path: "deadline"}, "", "%s", tradeplan.ErrorMessage(err))
	} else {
		c.Deadline = d
	}
	return c, ps.Err("call")
}

func (l *licensingAPI) listCalls(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	cs, err := l.svc.Calls(r.Context(), actor(r))
	if err != nil {
		return err
	}
	if cs == nil {
		cs = []licensing.CallView{}
	}
	writeJSON(w, http.StatusOK, cs)
	return nil
}

func (l *licensingAPI) openCall(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req callRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	c, err := CallFromRequest(req.Period, req.Deadline, req.Guidance, req.Organisations, req.AllowLate, req.ForbidOwnReview)
	if err != nil {
		return err
	}
	c.IncludeOffices = req.IncludeOffices
	c, err = l.svc.OpenCall(r.Context(), actor(r), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, licensing.CallView{Call: c, Status: licensing.CallStatus(c, l.s.clock())})
	return nil
}

func (l *licensingAPI) closeCall(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "call")
	if err != nil {
		return err
	}
	c, err := l.svc.CloseCall(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, licensing.CallView{Call: c, Status: licensing.CallStatus(c, l.s.clock())})
	return nil
}

// ---- plans ----

// readOptionalPlan reads a plan document, or none from an empty body.
func (s *Server) readOptionalPlan(r *http.Request) (*tradeplan.Plan, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return s.readPlan(r)
}

// createPlan creates a plan for a call from an uploaded document (YAML,
// JSON or CSV by Content-Type), or an empty draft from an empty body;
// ?submit=true submits it at once.
func (l *licensingAPI) createPlan(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "org", "submit")
	if err != nil {
		return err
	}
	callID, err := pathID(r, "call")
	if err != nil {
		return err
	}
	org, err := queryID(q, "org")
	if err != nil {
		return err
	}
	submit := q.Get("submit") == "true"
	doc, err := l.s.readOptionalPlan(r)
	if err != nil {
		return err
	}
	if submit && (doc == nil || len(doc.Lines) == 0) {
		return tradeplan.Errorf(tradeplan.EInvalid, "submit=true needs a plan document with lines")
	}
	a := actor(r)
	rec, err := l.svc.CreatePlan(r.Context(), a, licensing.PlanInput{CallID: callID, Organisation: org, Plan: doc})
	if err != nil {
		return err
	}
	if submit {
		if _, err = l.svc.SubmitPlan(r.Context(), a, rec.ID); err != nil {
			// The draft stays; say where, so that it can be submitted again.
			return withDetails(err, map[string]any{"plan": rec.ID, "status": tradeplan.PlanDraft})
		}
	}
	d, err := l.svc.Plan(r.Context(), a, rec.ID, 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (l *licensingAPI) listPlans(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "call")
	if err != nil {
		return err
	}
	call, err := queryID(q, "call")
	if err != nil {
		return err
	}
	ps, err := l.svc.Plans(r.Context(), actor(r), call)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ps)
	return nil
}

func (l *licensingAPI) getPlan(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "version")
	if err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	v, err := queryID(q, "version")
	if err != nil {
		return err
	}
	d, err := l.svc.Plan(r.Context(), actor(r), id, int(v))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (l *licensingAPI) detail(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	d, err := l.svc.Plan(r.Context(), actor(r), id, 0)
	if err != nil {
		return err
	}
	writeJSON(w, status, d)
	return nil
}

func (l *licensingAPI) editPlan(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	doc, err := l.s.readPlan(r)
	if err != nil {
		return err
	}
	if _, err := l.svc.EditPlan(r.Context(), actor(r), id, doc); err != nil {
		return err
	}
	return l.detail(w, r, id, http.StatusOK)
}

// lineRequest is one line entered through the API.
type lineRequest struct {
	Direction   string            `json:"direction"`
	Description string            `json:"description"`
	HS          string            `json:"hs"`
	Origin      string            `json:"origin"`
	Destination string            `json:"destination"`
	Quantity    tradeplan.Decimal `json:"quantity"`
	Unit        string            `json:"unit"`
	Value       tradeplan.Decimal `json:"value"`
	Currency    string            `json:"currency"`
	Partner     *tradeplan.Party  `json:"partner"`
	Vessel      *struct {
		Name string `json:"name"`
		IMO  string `json:"imo"`
		Flag string `json:"flag"`
	} `json:"vessel"`
	Crossing  string `json:"crossing"`
	Necessity string `json:"necessity"`
	Purpose   string `json:"purpose"`
	Source    string `json:"source"`
	Exemption string `json:"exemption"`
}

func (lr *lineRequest) figures() map[string]*tradeplan.Decimal {
	return map[string]*tradeplan.Decimal{"quantity": &lr.Quantity, "value": &lr.Value}
}

func (lr lineRequest) line() tradeplan.Line {
	l := tradeplan.Line{
		Direction: tradeplan.Direction(strings.ToLower(strings.TrimSpace(lr.Direction))), Description: strings.TrimSpace(lr.Description),
		HS: strings.NewReplacer(".", "", " ", "").Replace(lr.HS), Origin: strings.ToUpper(lr.Origin), Destination: strings.ToUpper(lr.Destination),
		Quantity: lr.Quantity, Unit: lr.Unit, Value: lr.Value, Currency: strings.ToUpper(lr.Currency), Partner: lr.Partner,
		Crossing: lr.Crossing, Necessity: tradeplan.Necessity(lr.Necessity), Purpose: lr.Purpose, Exemption: lr.Exemption,
	}
	if u, ok := tradeplan.LookupUnit(lr.Unit); ok {
		l.Unit = u.Symbol
	}
	if lr.Vessel != nil {
		l.Vessel = &tradeplan.Vessel{Name: lr.Vessel.Name, IMO: strings.TrimPrefix(strings.ToUpper(lr.Vessel.IMO), "IMO"), Flag: strings.ToUpper(lr.Vessel.Flag)}
	}
	if lr.Source != "" {
		l.Source = &tradeplan.Source{Site: lr.Source}
	}
	return l
}

func (l *licensingAPI) addLine(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	var req lineRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if _, err := l.svc.AddLine(r.Context(), actor(r), id, req.line()); err != nil {
		return err
	}
	return l.detail(w, r, id, http.StatusCreated)
}

func (l *licensingAPI) removeLine(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	n, err := pathLine(r)
	if err != nil {
		return err
	}
	if _, err := l.svc.RemoveLine(r.Context(), actor(r), id, n); err != nil {
		return err
	}
	return l.detail(w, r, id, http.StatusOK)
}

func (l *licensingAPI) submitPlan(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	if _, err := l.svc.SubmitPlan(r.Context(), actor(r), id); err != nil {
		return err
	}
	return l.detail(w, r, id, http.StatusOK)
}

func (l *licensingAPI) amendPlan(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "reason")
	if err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	doc, err := l.s.readPlan(r)
	if err != nil {
		return err
	}
	if _, err := l.svc.AmendPlan(r.Context(), actor(r), id, doc, q.Get("reason")); err != nil {
		return licErr(err)
	}
	return l.detail(w, r, id, http.StatusOK)
}

func (l *licensingAPI) planDiff(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "from", "to")
	if err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	from, err := queryID(q, "from")
	if err != nil {
		return err
	}
	to, err := queryID(q, "to")
	if err != nil {
		return err
	}
	d, err := l.svc.PlanDiff(r.Context(), actor(r), id, int(from), int(to))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

// optionalReason reads {"reason": ...} from a body that may be empty.
func optionalReason(r *http.Request) (string, error) {
	if r.ContentLength == 0 {
		return "", nil
	}
	var req reasonRequest
	if err := decodeJSON(r, &req); err != nil {
		return "", err
	}
	return req.Reason, nil
}

func (l *licensingAPI) approveClear(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	res, err := l.svc.ApproveClear(r.Context(), actor(r), id, req.Reason)
	if err != nil {
		return licErr(err)
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (l *licensingAPI) refuseProhibited(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "plan")
	if err != nil {
		return err
	}
	reason, err := optionalReason(r)
	if err != nil {
		return err
	}
	res, err := l.svc.RefuseProhibited(r.Context(), actor(r), id, reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

type approveRequest struct {
	Quantity *tradeplan.Decimal `json:"quantity"`
	Value    *tradeplan.Decimal `json:"value"`
	Reason   string             `json:"reason"`
}

func (r *approveRequest) figures() map[string]*tradeplan.Decimal {
	return map[string]*tradeplan.Decimal{"quantity": r.Quantity, "value": r.Value}
}

type approveResponse struct {
	Decision tradeplan.LineDecision `json:"decision"`
	Permit   tradeplan.Permit       `json:"permit"`
}

// byID is the shape of every read of one thing by its numeric id: no query
// parameters, the id from the path (named kind in errors), the service's
// answer as JSON.
func byID[T any](kind string, get func(ctx context.Context, a tradeplan.Actor, id int64) (T, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := query(r); err != nil {
			return err
		}
		id, err := pathID(r, kind)
		if err != nil {
			return err
		}
		v, err := get(r.Context(), actor(r), id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
}

// onLine is the shape of every decision on one line of a plan: no query
// parameters, the plan id and line number from the path, a JSON body of
// type Req, and the service's answer as JSON.
func onLine[Req any](do func(ctx context.Context, a tradeplan.Actor, plan int64, line int, req Req) (any, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := query(r); err != nil {
			return err
		}
		id, err := pathID(r, "plan")
		if err != nil {
			return err
		}
		n, err := pathLine(r)
		if err != nil {
			return err
		}
		var req Req
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		v, err := do(r.Context(), actor(r), id, n, req)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
}

func (l *licensingAPI) approveLine(ctx context.Context, a tradeplan.Actor, plan int64, line int, req approveRequest) (any, error) {
	d, p, err := l.svc.ApproveLine(ctx, a, plan, line, licensing.Approval{Quantity: req.Quantity, Value: req.Value, Reason: req.Reason})
	if err != nil {
		return nil, licErr(err)
	}
	return approveResponse{Decision: d, Permit: p}, nil
}

func (l *licensingAPI) refuseLine(ctx context.Context, a tradeplan.Actor, plan int64, line int, req reasonRequest) (any, error) {
	return l.svc.RefuseLine(ctx, a, plan, line, req.Reason)
}

type assessRequest struct {
	HS     string `json:"hs"`
	Reason string `json:"reason"`
}

func (l *licensingAPI) assessLine(ctx context.Context, a tradeplan.Actor, plan int64, line int, req assessRequest) (any, error) {
	return l.svc.AssessLine(ctx, a, plan, line, req.HS, req.Reason)
}

type complianceRequest struct {
	Finding  string `json:"finding"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	Evidence string `json:"evidence"`
	General  bool   `json:"general"`
}

func (l *licensingAPI) decideFinding(ctx context.Context, a tradeplan.Actor, plan int64, line int, req complianceRequest) (any, error) {
	return l.svc.DecideFindingWith(ctx, a, plan, line, licensing.ComplianceInput{Finding: req.Finding, Decision: req.Decision,
		Reason: req.Reason, Evidence: req.Evidence, General: req.General})
}

func (l *licensingAPI) listPermits(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "plan", "call", "status")
	if err != nil {
		return err
	}
	var f licensing.PermitFilter
	if f.PlanID, err = queryID(q, "plan"); err != nil {
		return err
	}
	if f.CallID, err = queryID(q, "call"); err != nil {
		return err
	}
	if st := q.Get("status"); st != "" {
		f.Status = tradeplan.PermitStatus(st)
		if !licensing.ValidPermitStatus(f.Status) {
			return tradeplan.Errorf(tradeplan.EInvalid, "status: want issued, suspended, revoked, expired or exhausted, got %s", quoteShort(st))
		}
	}
	ps, err := l.svc.Permits(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ps)
	return nil
}

func (l *licensingAPI) permitStatus(to tradeplan.PermitStatus) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := query(r); err != nil {
			return err
		}
		id, err := pathID(r, "permit")
		if err != nil {
			return err
		}
		var req reasonRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		v, err := l.svc.SetPermitStatus(r.Context(), actor(r), id, to, req.Reason)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
}

type useRequest struct {
	Quantity  tradeplan.Decimal `json:"quantity"`
	Value     tradeplan.Decimal `json:"value"`
	Crossing  string            `json:"crossing"`
	Reference string            `json:"reference"`
}

func (r *useRequest) figures() map[string]*tradeplan.Decimal {
	return map[string]*tradeplan.Decimal{"quantity": &r.Quantity, "value": &r.Value}
}

func (l *licensingAPI) usePermit(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "permit")
	if err != nil {
		return err
	}
	var req useRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	v, err := l.svc.UsePermit(r.Context(), actor(r), id, licensing.UseInput{Quantity: req.Quantity, Value: req.Value, Crossing: req.Crossing, Reference: req.Reference})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// ---- crossings ----

func (l *licensingAPI) listCrossings(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	cs, err := l.svc.Crossings(r.Context(), actor(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cs)
	return nil
}

type crossingRequest struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`
	Countries []string `json:"countries"`
	Status    string   `json:"status"`
	Reason    string   `json:"reason"`
}

func (l *licensingAPI) addCrossing(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req crossingRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	c, err := l.svc.AddCrossing(r.Context(), actor(r), tradeplan.Crossing{ID: req.ID, Name: req.Name, Kind: req.Kind,
		Countries: req.Countries, Status: tradeplan.CrossingStatus(req.Status), Reason: req.Reason})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (l *licensingAPI) getCrossing(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	h, err := l.svc.Crossing(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (l *licensingAPI) crossingStatus(to tradeplan.CrossingStatus) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := query(r); err != nil {
			return err
		}
		var req reasonRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		c, err := l.svc.SetCrossing(r.Context(), actor(r), r.PathValue("id"), to, req.Reason)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, c)
		return nil
	}
}

// ---- delegations ----

type delegationRequest struct {
	Office int64  `json:"office"`
	Reason string `json:"reason"`
}

func (l *licensingAPI) listDelegations(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	ds, err := l.svc.Delegations(r.Context(), actor(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ds)
	return nil
}

func (l *licensingAPI) delegate(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req delegationRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	d, err := l.svc.Delegate(r.Context(), actor(r), 0, req.Office, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (l *licensingAPI) revokeDelegation(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "delegation")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	d, err := l.svc.RevokeDelegation(r.Context(), actor(r), id, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
