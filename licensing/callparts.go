package licensing

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
)

// OrgBatchTx reads, in one query, what a call's report and page would
// otherwise read organisation by organisation: each a round trip to the
// database, a hundred of them for a call of a hundred plans. The store's
// transactions implement it; without it the reads go one by one.
type OrgBatchTx interface {
	// OrgNames names the organisations ids; ENotFound when one is not
	// on record, as Organisation.
	OrgNames(ctx context.Context, ids []int64) (map[int64]string, error)
	// SiteFilesOf lists the site file versions of each organisation of
	// orgs without their content, oldest first, as SiteFiles; an
	// organisation with none has none in the map.
	SiteFilesOf(ctx context.Context, orgs []int64) (map[int64][]SiteFile, error)
}

// preloadSiteFiles reads the site file lists of the organisations of the
// submitted plans among plans that the pass has not assessed, once: every
// organisation asked is then known to the pass, with or without files.
func (p *callPass) preloadSiteFiles(ctx context.Context, tx Tx, plans []tradeplan.PlanRecord) error {
	bt, ok := tx.(OrgBatchTx)
	if !ok || p.siteFiles != nil {
		return nil
	}
	seen := map[int64]bool{}
	var orgs []int64
	for _, rec := range plans {
		if pp, ok := p.plans[rec.ID]; ok && pp.assessed && pp.rec.Version == rec.Version {
			continue
		}
		if o := rec.Organisation; rec.Status != tradeplan.PlanDraft && !seen[o] {
			seen[o] = true
			orgs = append(orgs, o)
		}
	}
	if len(orgs) < 2 {
		return nil
	}
	sort.Slice(orgs, func(i, j int) bool { return orgs[i] < orgs[j] })
	fs, err := bt.SiteFilesOf(ctx, orgs)
	if err != nil {
		return err
	}
	p.siteFiles = make(map[int64][]SiteFile, len(orgs))
	for _, o := range orgs {
		p.siteFiles[o] = fs[o]
	}
	return nil
}

// orgNames names the organisations ids, in one query where the store can.
func orgNames(ctx context.Context, tx Tx, ids []int64) (map[int64]string, error) {
	if bt, ok := tx.(OrgBatchTx); ok && len(ids) > 1 {
		return bt.OrgNames(ctx, ids)
	}
	names := map[int64]string{}
	for _, id := range ids {
		if _, ok := names[id]; ok {
			continue
		}
		o, err := tx.Organisation(ctx, id)
		if err != nil {
			return nil, err
		}
		names[o.ID] = o.Name
	}
	return names, nil
}

// entryOrderIndex is EntryOrder's order over items by index: sorting
// indexes moves an int where sorting the items moves a whole EntryItem
// (some 200 bytes) at every swap.
func entryOrderIndex(items []EntryItem, keep []int) {
	sort.SliceStable(keep, func(i, j int) bool {
		a, b := &items[keep[i]], &items[keep[j]]
		if ra, rb := rankOf(a.Necessity), rankOf(b.Necessity); ra != rb {
			return ra < rb
		}
		if (a.Status == LineApproved) != (b.Status == LineApproved) {
			return a.Status == LineApproved
		}
		if a.Verdict != b.Verdict {
			return a.Verdict < b.Verdict
		}
		return a.Value.Cmp(b.Value) > 0
	})
}

// What each submitted plan adds to its call's report, kept between reads
// (partCache): the decoded current version, the state of its lines and
// the assessment of its export lines, which a read after a change would
// otherwise fetch, decode and compute again for every plan of the call,
// when the change touched one plan or none of them (a crossing's capacity,
// the budget). A plan's part is kept with the plan's revision, which the
// store's triggers move on every change to a row the part rests on
// (PlanRevTx), and is used only by a read that finds the same revision,
// version, organisation and status of the plan in its own transaction, for
// a plan its own query returned, over the same period of the same call.
// What is kept does not depend on who reads: the report is put together
// per read from the parts of the plans the reader sees.

// PlanRev is the revision of a submitted plan of a call, with the row of
// the plan as the same statement read it.
type PlanRev struct {
	Plan         int64
	Version      int
	Organisation int64
	Status       tradeplan.PlanStatus
	Rev          int64
}

// PlanRevTx reads the revisions of a call's submitted plans. The store's
// transactions implement it; without it nothing is kept.
type PlanRevTx interface {
	// CallPlanRevisions gives the revision of every submitted plan of
	// call id that has one: a figure that changes whenever a change to a
	// row the plan's part reads commits (the plan, its versions, line
	// decisions, assessments and compliance decisions, its
	// organisation's site files), and never comes back.
	CallPlanRevisions(ctx context.Context, id int64) (map[int64]PlanRev, error)
}

// Bounds of the parts kept: plans, and their lines (a line's part, its
// decoded line and report with the line's state and block, takes a few
// KiB). Beyond either the cache starts again.
const (
	maxKeptParts = 4096
	maxKeptLines = 40000
)

// partCache is safe for concurrent use; its zero value is empty. What it
// keeps is never changed after it is kept.
type partCache struct {
	mu    sync.Mutex
	m     map[int64]*planPart
	lines int
}

type planPart struct {
	rev    PlanRev
	call   int64
	period string
	from   time.Time
	to     time.Time
	ver    tradeplan.PlanVersion
	sts    []LineState
	pf     PlanFeasibility
	lfs    []*LineFeasibility
}

func (pt *planPart) fits(rev PlanRev, c tradeplan.Call) bool {
	return pt.rev == rev && pt.call == c.ID && pt.period == c.Period && pt.from.Equal(c.From) && pt.to.Equal(c.To)
}

func (pc *partCache) get(rev PlanRev, c tradeplan.Call) *planPart {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pt, ok := pc.m[rev.Plan]; ok && pt.fits(rev, c) {
		return pt
	}
	return nil
}

func (pc *partCache) put(pts []*planPart) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	n := 0
	for _, pt := range pts {
		n += len(pt.sts)
	}
	if pc.m == nil || len(pc.m)+len(pts) > maxKeptParts || pc.lines+n > maxKeptLines {
		pc.m, pc.lines = map[int64]*planPart{}, 0
	}
	for _, pt := range pts {
		if old, ok := pc.m[pt.rev.Plan]; ok {
			pc.lines -= len(old.sts)
		}
		pc.m[pt.rev.Plan] = pt
		pc.lines += len(pt.sts)
	}
}

// revOf is the revision of rec as the pass read it, when it matches the
// row the reader's query returned; ok false when there is none to go by.
func (p *callPass) revOf(rec tradeplan.PlanRecord) (PlanRev, bool) {
	r, ok := p.revs[rec.ID]
	return r, ok && r.Version == rec.Version && r.Organisation == rec.Organisation && r.Status == rec.Status && rec.CallID == p.c.ID
}

// fromKept takes the kept parts of the plans among missing, read first
// of anything of theirs in the transaction, and removes them from missing.
func (p *callPass) fromKept(ctx context.Context, tx Tx, missing map[int64]tradeplan.PlanRecord) error {
	rt, ok := tx.(PlanRevTx)
	if p.kept == nil || !ok {
		return nil
	}
	if p.revs == nil {
		revs, err := rt.CallPlanRevisions(ctx, p.c.ID)
		if err != nil {
			return err
		}
		p.revs = revs
	}
	for id, rec := range missing {
		rev, ok := p.revOf(rec)
		if !ok {
			continue
		}
		if pt := p.kept.get(rev, p.c); pt != nil {
			p.plans[id] = &passPlan{rec: rec, ver: pt.ver, sts: pt.sts, assessed: true, pf: pt.pf, lfs: pt.lfs}
			delete(missing, id)
		}
	}
	return nil
}

// keep keeps the parts the pass computed, of the plans whose revision a
// second read finds unchanged: no change committed while they were read.
func (p *callPass) keep(ctx context.Context, tx Tx) error {
	if p.kept == nil || p.revs == nil || len(p.fresh) == 0 {
		return nil
	}
	again, err := tx.(PlanRevTx).CallPlanRevisions(ctx, p.c.ID)
	if err != nil {
		return err
	}
	var pts []*planPart
	for _, pp := range p.fresh {
		rev, ok := p.revOf(pp.rec)
		if !ok || again[pp.rec.ID] != rev {
			continue
		}
		pts = append(pts, &planPart{rev: rev, call: p.c.ID, period: p.c.Period, from: p.c.From, to: p.c.To,
			ver: pp.ver, sts: pp.sts, pf: pp.pf, lfs: pp.lfs})
	}
	p.fresh = nil
	p.kept.put(pts)
	return nil
}
