package licensing

import (
	"context"
	"sync"

	"github.com/tradeplan/tradeplan"
)

// A call's report in one pass: each submitted plan's current version, its
// line states, its organisation's lineage and the assessment of its export
// lines are read and computed once per request (callPass) and shared by the
// totals, the imports-first order, the feasibility totals and the import
// ranking; and what a whole call's report computes is kept (reportCache)
// until a row it rests on changes, which the store says with a stamp
// (CallStampTx) taken in the reader's transaction.

// CallStampTx is a store that says when what a call's report rests on last
// changed. The store's transactions implement it; a store without it (a
// test's) computes the report on every read.
type CallStampTx interface {
	// CallReportStamp changes whenever a change to a row the report of
	// call id reads commits: the call, its plans, their versions,
	// decisions, assessments, compliance decisions and tier upgrades, its
	// budget, organisations, crossings and their capacity, site files.
	CallReportStamp(ctx context.Context, id int64) (string, error)
}

// CallPlansTx reads the rows of the current versions of a call's
// submitted plans (status not draft), each kind in one query, ordered by
// plan and then as the reads of one plan version order them. The store's
// transactions implement it; without it the pass reads plan by plan.
type CallPlansTx interface {
	CallVersions(ctx context.Context, callID int64) ([]tradeplan.PlanVersion, error)
	CallDecisions(ctx context.Context, callID int64) ([]tradeplan.LineDecision, error)
	CallAssessments(ctx context.Context, callID int64) ([]tradeplan.LineAssessment, error)
	CallComplianceDecisions(ctx context.Context, callID int64) ([]tradeplan.ComplianceDecision, error)
}

// preload reads, in one query a kind, the submitted plans among plans
// that the pass has not read.
func (p *callPass) preload(ctx context.Context, tx Tx, plans []tradeplan.PlanRecord) error {
	bt, ok := tx.(CallPlansTx)
	if !ok {
		return nil
	}
	missing := map[int64]tradeplan.PlanRecord{}
	for _, rec := range plans {
		if _, ok := p.plans[rec.ID]; !ok && rec.Status != tradeplan.PlanDraft && rec.CallID == p.c.ID {
			missing[rec.ID] = rec
		}
	}
	if err := p.fromKept(ctx, tx, missing); err != nil {
		return err
	}
	if len(missing) < 2 {
		return nil
	}
	vs, err := bt.CallVersions(ctx, p.c.ID)
	if err != nil {
		return err
	}
	ds, err := bt.CallDecisions(ctx, p.c.ID)
	if err != nil {
		return err
	}
	as, err := bt.CallAssessments(ctx, p.c.ID)
	if err != nil {
		return err
	}
	cs, err := bt.CallComplianceDecisions(ctx, p.c.ID)
	if err != nil {
		return err
	}
	dsOf := map[int64][]tradeplan.LineDecision{}
	for _, d := range ds {
		dsOf[d.PlanID] = append(dsOf[d.PlanID], d)
	}
	asOf := map[int64][]tradeplan.LineAssessment{}
	for _, a := range as {
		asOf[a.PlanID] = append(asOf[a.PlanID], a)
	}
	csOf := map[int64][]tradeplan.ComplianceDecision{}
	for _, c := range cs {
		csOf[c.PlanID] = append(csOf[c.PlanID], c)
	}
	for _, v := range vs {
		rec, ok := missing[v.PlanID]
		if !ok || rec.Version != v.Version {
			continue // a plan the reader does not see, or one changed since the reader's list
		}
		p.plans[v.PlanID] = &passPlan{rec: rec, ver: v, sts: lineStatesOf(v, dsOf[v.PlanID], asOf[v.PlanID], csOf[v.PlanID])}
	}
	return nil
}

// passPlan is a submitted plan as the pass read it.
type passPlan struct {
	rec tradeplan.PlanRecord
	ver tradeplan.PlanVersion
	sts []LineState
	// The assessment of the export lines (assessVersion), once computed.
	assessed bool
	pf       PlanFeasibility
	lfs      []*LineFeasibility
}

// callPass reads what the report of one call rests on at most once in a
// transaction.
type callPass struct {
	c       tradeplan.Call
	plans   map[int64]*passPlan
	lineage map[int64][]tradeplan.Organisation
	sites   siteCache
	// upgrades are the tier upgrades of the plan versions preloadRanking
	// read (callbatch.go); nil until it has.
	upgrades map[planKey][]TierUpgrade
	// siteFiles are the site file lists of the organisations
	// preloadSiteFiles read (callparts.go); nil until it has.
	siteFiles map[int64][]SiteFile
	// kept is the cache of plans' parts the pass takes from and adds to
	// (callparts.go), nil for none: set only for a read-only transaction,
	// whose reads are all committed. revs are the revisions of the call's
	// plans, read before anything else of theirs (nil until read); fresh
	// the plans whose parts the pass computed.
	kept  *partCache
	revs  map[int64]PlanRev
	fresh []*passPlan
}

func newCallPass(c tradeplan.Call) *callPass {
	return &callPass{c: c, plans: map[int64]*passPlan{}, lineage: map[int64][]tradeplan.Organisation{}, sites: siteCache{}}
}

// plan reads rec's current version and the state of its lines, once.
func (p *callPass) plan(ctx context.Context, tx Tx, rec tradeplan.PlanRecord) (*passPlan, error) {
	if pp, ok := p.plans[rec.ID]; ok && pp.rec.Version == rec.Version {
		return pp, nil
	}
	v, err := tx.PlanVersion(ctx, rec.ID, rec.Version)
	if err != nil {
		return nil, err
	}
	sts, err := lineStates(ctx, tx, v)
	if err != nil {
		return nil, err
	}
	pp := &passPlan{rec: rec, ver: v, sts: sts}
	p.plans[rec.ID] = pp
	return pp, nil
}

// assess computes the feasibility blocks of pp's export lines, once.
func (p *callPass) assess(ctx context.Context, tx Tx, pp *passPlan) (PlanFeasibility, []*LineFeasibility, error) {
	if !pp.assessed {
		pf, lfs, err := assessVersion(ctx, tx, pp.rec.Organisation, p.c, pp.ver, p.sites, p.siteFiles)
		if err != nil {
			return pf, nil, err
		}
		pp.pf, pp.lfs, pp.assessed = pf, lfs, true
		p.fresh = append(p.fresh, pp)
	}
	return pp.pf, pp.lfs, nil
}

// lineageOf reads the lineage of organisation org, once.
func (p *callPass) lineageOf(ctx context.Context, tx Tx, org int64) ([]tradeplan.Organisation, error) {
	if l, ok := p.lineage[org]; ok {
		return l, nil
	}
	l, err := tx.OrgLineage(ctx, org)
	if err != nil {
		return nil, err
	}
	p.lineage[org] = l
	return l, nil
}

// reportParts are the parts of a call's report computed from its submitted
// plans: what a reader who is not a submitter sees of the plans it may see.
type reportParts struct {
	Totals       *Totals
	ImportsFirst []EntryItem
	Feasibility  *CallFeasibility
}

// parts computes the report's parts over plans (the reader's, in the
// order of their ids), drafts left out.
func (p *callPass) parts(ctx context.Context, tx Tx, plans []tradeplan.PlanRecord) (reportParts, error) {
	var out reportParts
	var vs []tradeplan.PlanVersion
	var items []EntryItem
	var pps []*passPlan
	if err := p.preload(ctx, tx, plans); err != nil {
		return out, err
	}
	for _, rec := range plans {
		if rec.Status == tradeplan.PlanDraft {
			continue
		}
		pp, err := p.plan(ctx, tx, rec)
		if err != nil {
			return out, err
		}
		pps = append(pps, pp)
		vs = append(vs, pp.ver)
		items = append(items, entryItems(rec, pp.sts)...)
	}
	t := CallTotals(vs)
	out.Totals = &t
	out.ImportsFirst = EntryOrder(items)
	f, err := p.feasibility(ctx, tx, pps)
	if err != nil {
		return out, err
	}
	out.Feasibility = f
	return out, nil
}

// reportCache keeps the report of each call as a reader that sees all its
// plans sees it, with the stamp of the rows it was computed from. What it
// keeps is shared by every reader and never changed after it is kept.
type reportCache struct {
	mu sync.Mutex
	m  map[int64]*cachedReport
}

// maxCachedReports bounds the calls whose report is kept; beyond it the
// cache starts again (a call's report is one read away).
const maxCachedReports = 256

type cachedReport struct {
	stamp string
	// plans are the ids and versions of the submitted plans the parts
	// were computed over, in order.
	plans   []planKey
	parts   *reportParts
	imports *ImportsView
}

type planKey struct {
	id      int64
	version int
}

func submittedKeys(plans []tradeplan.PlanRecord) []planKey {
	var out []planKey
	for _, p := range plans {
		if p.Status != tradeplan.PlanDraft {
			out = append(out, planKey{p.ID, p.Version})
		}
	}
	return out
}

func sameKeys(a, b []planKey) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// get returns what is kept for call id at stamp, or an empty entry to fill.
func (rc *reportCache) get(id int64, stamp string) cachedReport {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if e, ok := rc.m[id]; ok && e.stamp == stamp {
		return *e
	}
	return cachedReport{stamp: stamp}
}

// put keeps e for call id, beside what is kept at the same stamp.
func (rc *reportCache) put(id int64, e cachedReport) {
	if e.stamp == "" {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.m == nil || len(rc.m) >= maxCachedReports {
		rc.m = map[int64]*cachedReport{}
	}
	old, ok := rc.m[id]
	if ok && old.stamp == e.stamp {
		if e.parts == nil {
			e.parts, e.plans = old.parts, old.plans
		}
		if e.imports == nil {
			e.imports = old.imports
		}
	}
	rc.m[id] = &e
}

// callStamp is the stamp of call id's report in tx; "" when the store
// keeps none.
func callStamp(ctx context.Context, tx Tx, id int64) (string, error) {
	st, ok := tx.(CallStampTx)
	if !ok {
		return "", nil
	}
	return st.CallReportStamp(ctx, id)
}
