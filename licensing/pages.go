package licensing

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Lists a person works through: a page of plans or permits at a time, with
// filters and a search, newest first, by keyset (the ID the last page ended
// at), so that page 500 costs what page 1 costs.

// DefaultPageSize and MaxPageSize bound PlanQuery.Limit and PermitQuery.Limit.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// PlanQuery selects a page of plans. Zero fields do not filter.
type PlanQuery struct {
	CallID int64
	Org    int64 // one organisation (within what the actor sees)
	Status tradeplan.PlanStatus
	Late   bool   // only plans submitted late
	Search string // in the plan's title, case-insensitive
	Before int64  // only plans with ID < Before: the page after one ending there
	Limit  int    // DefaultPageSize when 0, at most MaxPageSize
	Rows   bool   // read each plan's PlanRow too
	Oldest bool   // oldest first (the first page only: Before is ignored)
}

// PermitQuery selects a page of permits. Zero fields do not filter.
// Status is the effective status (an issued permit past its window is
// expired).
type PermitQuery struct {
	CallID    int64
	PlanID    int64
	Holder    int64
	Status    tradeplan.PermitStatus
	Crossing  string
	Direction tradeplan.Direction
	Search    string // in the number, HS code or description, case-insensitive
	Before    int64
	Limit     int
}

// PlanRow is what a list shows of a plan beside its record: the
// screening's summary (nil before screening), its lines and the decisions
// on them.
type PlanRow struct {
	Summary  *tradeplan.Summary
	Lines    int
	Approved int
	Refused  int
}

// Pending is the lines not yet decided.
func (r PlanRow) Pending() int { return max(0, r.Lines-r.Approved-r.Refused) }

// PlanPage is one page of plans: Total counts every plan the query
// selects (all pages); Next is the Before of the next page, 0 when this is
// the last.
type PlanPage struct {
	Plans []tradeplan.PlanRecord
	Rows  map[int64]PlanRow // by plan ID, when asked for (PlanQuery.Rows)
	Total int
	Next  int64
}

// PermitPage is one page of permits, as PlanPage.
type PermitPage struct {
	Permits []PermitView
	Total   int
	// More: there are more than Total (CountCap) permits; a search is not
	// counted to its end.
	More bool
	Next int64
}

// CountCap is how far a search of permits is counted: a PageTx's
// PermitPage may stop counting at CountCap+1 when it cannot count the
// selection from summary rows (a text, plan or call filter).
const CountCap = 1000

// PageTx is what paged lists need of a transaction beyond Tx: the store
// filters, counts and cuts in SQL. A Tx without it is paged in memory.
// The rows come newest (highest ID) first; at most limit of them, and the
// count of all that match without Before.
type PageTx interface {
	PlanPage(ctx context.Context, f PlanFilter, q PlanQuery, limit int) ([]tradeplan.PlanRecord, int, error)
	PermitPage(ctx context.Context, f PermitFilter, q PermitQuery, now time.Time, limit int) ([]tradeplan.Permit, int, error)
	// PermitStats counts the permits f and q select (but for q.Before) by
	// effective status and by how much of their quantity is used.
	PermitStats(ctx context.Context, f PermitFilter, q PermitQuery, now time.Time) (PermitStats, error)
	// PlanRows reads the figures of list rows of the plans' current versions.
	PlanRows(ctx context.Context, plans []tradeplan.PlanRecord) (map[int64]PlanRow, error)
	// PlanCounts counts the plans f selects by call and status.
	PlanCounts(ctx context.Context, f PlanFilter) ([]PlanCount, error)
}

// PlanCount is how many plans of a call have a status.
type PlanCount struct {
	CallID int64
	Status tradeplan.PlanStatus
	N      int
}

func pageLimit(n int) int {
	if n <= 0 {
		return DefaultPageSize
	}
	return min(n, MaxPageSize)
}

// PlanPage lists a page of the plans the actor may see (as Plans).
func (s *Service) PlanPage(ctx context.Context, a tradeplan.Actor, q PlanQuery) (PlanPage, error) {
	limit := pageLimit(q.Limit)
	q.Search = strings.TrimSpace(q.Search)
	var out PlanPage
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		f := PlanFilter{CallID: q.CallID, Orgs: orgs, Issuers: issuers}
		var recs []tradeplan.PlanRecord
		if pt, ok := tx.(PageTx); ok {
			recs, out.Total, err = pt.PlanPage(ctx, f, q, limit+1)
			if err != nil {
				return err
			}
		} else {
			all, err := tx.Plans(ctx, f)
			if err != nil {
				return err
			}
			if !q.Oldest {
				slices.Reverse(all)
			}
			for _, p := range all {
				if planMatches(p, q) {
					out.Total++
					if (q.Before == 0 || q.Oldest || p.ID < q.Before) && len(recs) <= limit {
						recs = append(recs, p)
					}
				}
			}
		}
		if len(recs) > limit {
			recs = recs[:limit]
			if !q.Oldest {
				out.Next = recs[limit-1].ID
			}
		}
		out.Plans = recs
		if q.Rows {
			out.Rows, err = planRows(ctx, tx, recs)
		}
		return err
	})
	if out.Plans == nil {
		out.Plans = []tradeplan.PlanRecord{}
	}
	return out, err
}

func planMatches(p tradeplan.PlanRecord, q PlanQuery) bool {
	return (q.Org == 0 || p.Organisation == q.Org) && (q.Status == "" || p.Status == q.Status) &&
		(!q.Late || p.Late) && (q.Search == "" || strings.Contains(strings.ToLower(p.Title), strings.ToLower(q.Search)))
}

// PermitPage lists a page of the permits the actor may see (as Permits).
func (s *Service) PermitPage(ctx context.Context, a tradeplan.Actor, q PermitQuery) (PermitPage, error) {
	limit := pageLimit(q.Limit)
	q.Search = strings.TrimSpace(q.Search)
	var out PermitPage
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		f := PermitFilter{Holders: orgs, Issuers: issuers, PlanID: q.PlanID, CallID: q.CallID, Crossing: q.Crossing}
		now := s.now()
		var ps []tradeplan.Permit
		if pt, ok := tx.(PageTx); ok {
			ps, out.Total, err = pt.PermitPage(ctx, f, q, now, limit+1)
			if err != nil {
				return err
			}
			if out.Total > CountCap && !countable(f, q) {
				out.Total, out.More = CountCap, true
			}
		} else {
			all, err := tx.Permits(ctx, f)
			if err != nil {
				return err
			}
			slices.Reverse(all)
			for _, p := range all {
				if permitMatches(p, q, now) {
					out.Total++
					if (q.Before == 0 || p.ID < q.Before) && len(ps) <= limit {
						ps = append(ps, p)
					}
				}
			}
		}
		if len(ps) > limit {
			ps = ps[:limit]
			out.Next = ps[limit-1].ID
		}
		cm, err := s.crossingMap(ctx, tx)
		if err != nil {
			return err
		}
		out.Permits = make([]PermitView, len(ps))
		for i, p := range ps {
			out.Permits[i] = viewPermit(p, cm, now)
		}
		return nil
	})
	return out, err
}

// countable reports whether a PageTx counts the permits f and q select
// to the end (see CountCap).
func countable(f PermitFilter, q PermitQuery) bool {
	return f.PlanID == 0 && f.CallID == 0 && q.Search == ""
}

func permitMatches(p tradeplan.Permit, q PermitQuery, now time.Time) bool {
	if q.Search != "" {
		s := strings.ToLower(q.Search)
		if !strings.Contains(strings.ToLower(p.Number), s) && !strings.Contains(strings.ToLower(p.HS), s) &&
			!strings.Contains(strings.ToLower(p.Description), s) {
			return false
		}
	}
	return (q.Holder == 0 || p.Holder == q.Holder) && (q.Status == "" || EffectiveStatus(p, now) == q.Status) &&
		(q.Direction == "" || p.Direction == q.Direction)
}

// PlanCounts counts the plans the actor may see by call and status.
func (s *Service) PlanCounts(ctx context.Context, a tradeplan.Actor) ([]PlanCount, error) {
	var out []PlanCount
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		f := PlanFilter{Orgs: orgs, Issuers: issuers}
		if pt, ok := tx.(PageTx); ok {
			out, err = pt.PlanCounts(ctx, f)
			return err
		}
		all, err := tx.Plans(ctx, f)
		if err != nil {
			return err
		}
		idx := map[PlanCount]int{}
		for _, p := range all {
			k := PlanCount{CallID: p.CallID, Status: p.Status}
			if i, ok := idx[k]; ok {
				out[i].N++
				continue
			}
			idx[k] = len(out)
			k.N = 1
			out = append(out, k)
		}
		return nil
	})
	return out, err
}

// EndOfDay is the first instant after day t (UTC): a permit valid to day t
// may be used until then.
func EndOfDay(t time.Time) time.Time { return endOfDay(t) }

// PermitStats counts permits by effective status and by how much of their
// quantity is used: Used[0] none, [1] some, [2] all of it.
type PermitStats struct {
	ByStatus map[tradeplan.PermitStatus]int
	Used     [3]int
	Total    int
}

// Add counts n permits of a status and a state of use (see Used).
func (st *PermitStats) Add(status tradeplan.PermitStatus, used, n int) {
	if st.ByStatus == nil {
		st.ByStatus = map[tradeplan.PermitStatus]int{}
	}
	st.ByStatus[status] += n
	st.Used[max(0, min(2, used))] += n
	st.Total += n
}

// UsedState is how much of p's quantity is used (see PermitStats.Used).
func UsedState(p tradeplan.Permit) int {
	switch {
	case p.QuantityUsed.Sign() <= 0:
		return 0
	case p.QuantityUsed.Cmp(p.Quantity) >= 0:
		return 2
	}
	return 1
}

// PermitStats counts the permits the actor may see that q selects (see
// PermitStats), for charts of a whole selection rather than a page.
func (s *Service) PermitStats(ctx context.Context, a tradeplan.Actor, q PermitQuery) (PermitStats, error) {
	q.Search = strings.TrimSpace(q.Search)
	q.Before = 0
	var st PermitStats
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		f := PermitFilter{Holders: orgs, Issuers: issuers, PlanID: q.PlanID, CallID: q.CallID, Crossing: q.Crossing}
		now := s.now()
		if pt, ok := tx.(PageTx); ok {
			st, err = pt.PermitStats(ctx, f, q, now)
			return err
		}
		all, err := tx.Permits(ctx, f)
		if err != nil {
			return err
		}
		for _, p := range all {
			if permitMatches(p, q, now) {
				st.Add(EffectiveStatus(p, now), UsedState(p), 1)
			}
		}
		return nil
	})
	return st, err
}

// PlanDocument returns the document of a version of a plan the actor may
// see (version 0: the current one), as stored: the parsed plan, which
// plan.Write writes back as YAML or JSON for an amendment to start from.
func (s *Service) PlanDocument(ctx context.Context, a tradeplan.Actor, id int64, version int) (tradeplan.PlanVersion, error) {
	var v tradeplan.PlanVersion
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		rec, err := loadPlan(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if version == 0 {
			version = rec.Version
		}
		if version < 1 || version > rec.Version {
			return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no version %d (versions 1 to %d)", id, version, rec.Version)
		}
		v, err = tx.PlanVersion(ctx, id, version)
		return err
	})
	return v, err
}

// planRows reads the list figures of plans: in two queries from a PageTx,
// else from each plan's current version.
func planRows(ctx context.Context, tx Tx, recs []tradeplan.PlanRecord) (map[int64]PlanRow, error) {
	if pt, ok := tx.(PageTx); ok {
		return pt.PlanRows(ctx, recs)
	}
	out := make(map[int64]PlanRow, len(recs))
	for _, rec := range recs {
		v, err := tx.PlanVersion(ctx, rec.ID, rec.Version)
		if err != nil {
			return nil, err
		}
		r := PlanRow{Lines: len(v.Plan.Lines)}
		if v.Report != nil {
			sum := v.Report.Summary
			r.Summary = &sum
		}
		ds, err := tx.Decisions(ctx, rec.ID, rec.Version)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if d.Decision == tradeplan.DecisionApprove {
				r.Approved++
			} else {
				r.Refused++
			}
		}
		out[rec.ID] = r
	}
	return out, nil
}

// AllowedFor reports, for each organisation, whether the actor may take the
// action on it (as Allowed), in one transaction: a list page asks it of
// every holder it shows.
func (s *Service) AllowedFor(ctx context.Context, a tradeplan.Actor, act Action, orgs []int64) map[int64]bool {
	out := make(map[int64]bool, len(orgs))
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		p, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			if _, done := out[o]; done {
				continue
			}
			var t Target
			if !a.IsSystem() && o != 0 {
				l, err := tx.OrgLineage(ctx, o)
				if err != nil {
					out[o] = false
					continue
				}
				t.Subjects = append(t.Subjects, l)
			}
			out[o] = Authorize(p, act, t) == nil
		}
		return nil
	})
	if err != nil {
		return map[int64]bool{}
	}
	return out
}
