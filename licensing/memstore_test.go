package licensing

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
)

// memStore is an in-memory Store for the service's tests: one transaction
// at a time, rolled back by restoring a copy of the state.
type memStore struct {
	mu sync.Mutex
	st *memState
}

type memState struct {
	calls       map[int64]tradeplan.Call
	plans       map[int64]tradeplan.PlanRecord
	versions    map[string]tradeplan.PlanVersion
	decisions   []tradeplan.LineDecision
	assessments []tradeplan.LineAssessment
	compliance  []tradeplan.ComplianceDecision
	matches     []tradeplan.MatchDecision
	seqs        map[string]int64
	permits     map[int64]tradeplan.Permit
	uses        []tradeplan.PermitUse
	crossings   map[string]tradeplan.Crossing
	events      []tradeplan.CrossingEvent
	audit       []string
	nextID      int64
	orgs        map[int64]tradeplan.Organisation
	delegations []Delegation
}

func newMemStore() *memStore {
	return &memStore{st: &memState{
		calls: map[int64]tradeplan.Call{}, plans: map[int64]tradeplan.PlanRecord{},
		versions: map[string]tradeplan.PlanVersion{}, seqs: map[string]int64{},
		permits: map[int64]tradeplan.Permit{}, crossings: map[string]tradeplan.Crossing{},
		orgs: map[int64]tradeplan.Organisation{}, nextID: 100,
	}}
}

// clone deep-copies the state through JSON where values hold slices.
func (s *memState) clone() *memState {
	c := *s
	c.calls = cloneMap(s.calls)
	c.plans = cloneMap(s.plans)
	c.versions = map[string]tradeplan.PlanVersion{}
	for k, v := range s.versions {
		b, _ := json.Marshal(v)
		var nv tradeplan.PlanVersion
		_ = json.Unmarshal(b, &nv)
		c.versions[k] = nv
	}
	c.seqs = cloneMap(s.seqs)
	c.permits = cloneMap(s.permits)
	c.crossings = cloneMap(s.crossings)
	c.decisions = slices.Clone(s.decisions)
	c.assessments = slices.Clone(s.assessments)
	c.compliance = slices.Clone(s.compliance)
	c.matches = slices.Clone(s.matches)
	c.uses = slices.Clone(s.uses)
	c.events = slices.Clone(s.events)
	c.audit = slices.Clone(s.audit)
	c.orgs = cloneMap(s.orgs)
	c.delegations = slices.Clone(s.delegations)
	return &c
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (m *memStore) View(ctx context.Context, fn func(context.Context, Tx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fn(ctx, &memTx{st: m.st.clone()})
}

func (m *memStore) Update(ctx context.Context, fn func(context.Context, Tx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	tx := &memTx{st: m.st.clone()}
	if err := fn(ctx, tx); err != nil {
		return err
	}
	m.st = tx.st
	return nil
}

func (m *memStore) auditLog() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.st.audit)
}

type memTx struct{ st *memState }

func notFound(what string, id any) error {
	return tradeplan.Errorf(tradeplan.ENotFound, "%s %v not found", what, id)
}

func (t *memTx) id() int64 { t.st.nextID++; return t.st.nextID }

func (t *memTx) Audit(ctx context.Context, action, subject string, org int64, before, after any) error {
	a, _ := tradeplan.ActorFrom(ctx)
	t.st.audit = append(t.st.audit, fmt.Sprintf("%s %s %s", a.Label(), action, subject))
	return nil
}

func (t *memTx) Organisation(ctx context.Context, id int64) (tradeplan.Organisation, error) {
	if o, ok := t.st.orgs[id]; ok {
		return o, nil
	}
	return tradeplan.Organisation{}, notFound("organisation", id)
}

func (t *memTx) CreateCall(ctx context.Context, c *tradeplan.Call) error {
	c.ID = t.id()
	t.st.calls[c.ID] = *c
	return nil
}
func (t *memTx) UpdateCall(ctx context.Context, c tradeplan.Call) error {
	if _, ok := t.st.calls[c.ID]; !ok {
		return notFound("call", c.ID)
	}
	t.st.calls[c.ID] = c
	return nil
}
func (t *memTx) Call(ctx context.Context, id int64) (tradeplan.Call, error) {
	c, ok := t.st.calls[id]
	if !ok {
		return c, notFound("call", id)
	}
	return c, nil
}
func (t *memTx) Calls(ctx context.Context) ([]tradeplan.Call, error) {
	var out []tradeplan.Call
	for _, c := range t.st.calls {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (t *memTx) CreatePlan(ctx context.Context, p *tradeplan.PlanRecord) error {
	for _, x := range t.st.plans {
		if x.CallID == p.CallID && x.Organisation == p.Organisation {
			return tradeplan.Errorf(tradeplan.EConflict, "plan: already exists")
		}
	}
	p.ID = t.id()
	t.st.plans[p.ID] = *p
	return nil
}
func (t *memTx) UpdatePlan(ctx context.Context, p tradeplan.PlanRecord) error {
	if _, ok := t.st.plans[p.ID]; !ok {
		return notFound("plan", p.ID)
	}
	t.st.plans[p.ID] = p
	return nil
}
func (t *memTx) Plan(ctx context.Context, id int64) (tradeplan.PlanRecord, error) {
	p, ok := t.st.plans[id]
	if !ok {
		return p, notFound("plan", id)
	}
	return p, nil
}
func (t *memTx) Plans(ctx context.Context, f PlanFilter) ([]tradeplan.PlanRecord, error) {
	var out []tradeplan.PlanRecord
	for _, p := range t.st.plans {
		if (f.CallID == 0 || p.CallID == f.CallID) && t.inScope(f.Orgs, f.Issuers, p.Organisation, p.CallID) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
func vkey(id int64, v int) string { return fmt.Sprint(id, "/", v) }
func (t *memTx) PutPlanVersion(ctx context.Context, v tradeplan.PlanVersion) error {
	t.st.versions[vkey(v.PlanID, v.Version)] = v
	return nil
}
func (t *memTx) PlanVersion(ctx context.Context, id int64, v int) (tradeplan.PlanVersion, error) {
	pv, ok := t.st.versions[vkey(id, v)]
	if !ok {
		return pv, notFound("plan version", vkey(id, v))
	}
	return pv, nil
}
func (t *memTx) PlanVersions(ctx context.Context, id int64) ([]tradeplan.PlanVersion, error) {
	var out []tradeplan.PlanVersion
	for _, v := range t.st.versions {
		if v.PlanID == id {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

func (t *memTx) AddDecision(ctx context.Context, d tradeplan.LineDecision) error {
	for _, x := range t.st.decisions {
		if x.PlanID == d.PlanID && x.Version == d.Version && x.Line == d.Line {
			return tradeplan.Errorf(tradeplan.EConflict, "line %d already decided", d.Line)
		}
	}
	t.st.decisions = append(t.st.decisions, d)
	return nil
}
func (t *memTx) Decisions(ctx context.Context, id int64, v int) ([]tradeplan.LineDecision, error) {
	var out []tradeplan.LineDecision
	for _, d := range t.st.decisions {
		if d.PlanID == id && d.Version == v {
			out = append(out, d)
		}
	}
	return out, nil
}
func (t *memTx) PutAssessment(ctx context.Context, a tradeplan.LineAssessment) error {
	t.st.assessments = slices.DeleteFunc(t.st.assessments, func(x tradeplan.LineAssessment) bool {
		return x.PlanID == a.PlanID && x.Version == a.Version && x.Line == a.Line
	})
	t.st.assessments = append(t.st.assessments, a)
	return nil
}
func (t *memTx) Assessments(ctx context.Context, id int64, v int) ([]tradeplan.LineAssessment, error) {
	var out []tradeplan.LineAssessment
	for _, a := range t.st.assessments {
		if a.PlanID == id && a.Version == v {
			out = append(out, a)
		}
	}
	return out, nil
}
func (t *memTx) AddComplianceDecision(ctx context.Context, d tradeplan.ComplianceDecision) error {
	t.st.compliance = append(t.st.compliance, d)
	return nil
}
func (t *memTx) ComplianceDecisions(ctx context.Context, id int64, v int) ([]tradeplan.ComplianceDecision, error) {
	var out []tradeplan.ComplianceDecision
	for _, d := range t.st.compliance {
		if d.PlanID == id && d.Version == v {
			out = append(out, d)
		}
	}
	return out, nil
}
func (t *memTx) MatchDecision(ctx context.Context, query, list, entryID string) (tradeplan.MatchDecision, bool, error) {
	for i := len(t.st.matches) - 1; i >= 0; i-- {
		if d := t.st.matches[i]; d.Query == query && d.List == list && d.EntryID == entryID {
			return d, true, nil
		}
	}
	return tradeplan.MatchDecision{}, false, nil
}

func (t *memTx) PutMatchDecision(ctx context.Context, d tradeplan.MatchDecision) error {
	t.st.matches = append(t.st.matches, d)
	return nil
}

func (t *memTx) NextPermitSeq(ctx context.Context, period string) (int64, error) {
	t.st.seqs[period]++
	return t.st.seqs[period], nil
}
func (t *memTx) CreatePermit(ctx context.Context, p *tradeplan.Permit) error {
	p.ID = t.id()
	t.st.permits[p.ID] = *p
	return nil
}
func (t *memTx) UpdatePermit(ctx context.Context, p tradeplan.Permit) error {
	if _, ok := t.st.permits[p.ID]; !ok {
		return notFound("permit", p.ID)
	}
	t.st.permits[p.ID] = p
	return nil
}
func (t *memTx) Permit(ctx context.Context, id int64) (tradeplan.Permit, error) {
	p, ok := t.st.permits[id]
	if !ok {
		return p, notFound("permit", id)
	}
	return p, nil
}
func (t *memTx) Permits(ctx context.Context, f PermitFilter) ([]tradeplan.Permit, error) {
	var out []tradeplan.Permit
	for _, p := range t.st.permits {
		if t.inScope(f.Holders, f.Issuers, p.Holder, p.CallID) && (f.PlanID == 0 || p.PlanID == f.PlanID) &&
			(f.CallID == 0 || p.CallID == f.CallID) && (f.Status == "" || p.Status == f.Status) && (f.Crossing == "" || p.Crossing == f.Crossing) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
func (t *memTx) AddPermitUse(ctx context.Context, u *tradeplan.PermitUse) error {
	u.ID = t.id()
	t.st.uses = append(t.st.uses, *u)
	return nil
}
func (t *memTx) PermitUses(ctx context.Context, id int64) ([]tradeplan.PermitUse, error) {
	var out []tradeplan.PermitUse
	for _, u := range t.st.uses {
		if u.PermitID == id {
			out = append(out, u)
		}
	}
	return out, nil
}

func (t *memTx) LockCap(ctx context.Context, capID string) error { return nil }
func (t *memTx) CapUsed(ctx context.Context, capID string, from, to time.Time) (tradeplan.Decimal, error) {
	var used tradeplan.Decimal
	for _, p := range t.st.permits {
		for _, c := range p.Caps {
			if c.Cap == capID && !c.From.After(to) && !c.To.Before(from) {
				used = used.Add(CapDraw(p, c))
			}
		}
	}
	return used, nil
}

func (t *memTx) CreateCrossing(ctx context.Context, c tradeplan.Crossing) error {
	t.st.crossings[c.ID] = c
	return nil
}
func (t *memTx) UpdateCrossing(ctx context.Context, c tradeplan.Crossing) error {
	t.st.crossings[c.ID] = c
	return nil
}
func (t *memTx) Crossing(ctx context.Context, id string) (tradeplan.Crossing, error) {
	c, ok := t.st.crossings[id]
	if !ok {
		return c, notFound("crossing", id)
	}
	return c, nil
}
func (t *memTx) Crossings(ctx context.Context) ([]tradeplan.Crossing, error) {
	var out []tradeplan.Crossing
	for _, c := range t.st.crossings {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
func (t *memTx) AddCrossingEvent(ctx context.Context, e tradeplan.CrossingEvent) error {
	t.st.events = append(t.st.events, e)
	return nil
}
func (t *memTx) CrossingEvents(ctx context.Context, id string) ([]tradeplan.CrossingEvent, error) {
	var out []tradeplan.CrossingEvent
	for _, e := range t.st.events {
		if e.Crossing == id {
			out = append(out, e)
		}
	}
	return out, nil
}

// inScope is the store's scope filter: orgs nil and issuers nil match all.
func (t *memTx) inScope(orgs, issuers []int64, org, call int64) bool {
	if orgs == nil && issuers == nil {
		return true
	}
	if slices.Contains(orgs, org) {
		return true
	}
	return issuers != nil && slices.Contains(issuers, t.st.calls[call].Issuer)
}

func (t *memTx) OrgLineage(ctx context.Context, id int64) ([]tradeplan.Organisation, error) {
	var out []tradeplan.Organisation
	for next := id; next != 0; {
		o, ok := t.st.orgs[next]
		if !ok {
			return nil, notFound("organisation", next)
		}
		out = append(out, o)
		next = o.ParentID
	}
	return out, nil
}

func (t *memTx) Subtree(ctx context.Context, id int64) ([]int64, error) {
	if _, ok := t.st.orgs[id]; !ok {
		return nil, notFound("organisation", id)
	}
	out := []int64{id}
	for changed := true; changed; {
		changed = false
		for _, o := range t.st.orgs {
			if slices.Contains(out, o.ParentID) && !slices.Contains(out, o.ID) {
				out, changed = append(out, o.ID), true
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

func (t *memTx) AddDelegation(ctx context.Context, d *Delegation) error {
	for _, x := range t.st.delegations {
		if x.Office == d.Office && x.RevokedAt == nil {
			return tradeplan.Errorf(tradeplan.EConflict, "organisation %d already holds a delegation", d.Office)
		}
	}
	d.ID = t.id()
	t.st.delegations = append(t.st.delegations, *d)
	return nil
}

func (t *memTx) RevokeDelegation(ctx context.Context, d Delegation) error {
	for i, x := range t.st.delegations {
		if x.ID == d.ID {
			t.st.delegations[i] = d
			return nil
		}
	}
	return notFound("delegation", d.ID)
}

func (t *memTx) Delegation(ctx context.Context, id int64) (Delegation, error) {
	for _, x := range t.st.delegations {
		if x.ID == id {
			return x, nil
		}
	}
	return Delegation{}, notFound("delegation", id)
}

func (t *memTx) Delegations(ctx context.Context, f DelegationFilter) ([]Delegation, error) {
	out := []Delegation{}
	for _, x := range t.st.delegations {
		if (f.Office == 0 || x.Office == f.Office) && (f.Authority == 0 || x.Authority == f.Authority) && (!f.Active || x.RevokedAt == nil) {
			out = append(out, x)
		}
	}
	return out, nil
}
