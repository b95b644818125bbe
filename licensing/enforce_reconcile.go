package licensing

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Reconciliation of a batch as set-based work. Before the transaction the
// batch is checked whole (declarants, directions) and each distinct line is
// screened once, in parallel, while its digest is made on another core;
// inside it the current versions, the permits, the crossings and the
// declarations already counted against them are read in a few large
// queries, matching, checks and balances are computed on every core, and
// the rows are written in bulk: each permit's total once. The batch is held
// once as given (in) and once as the new versions written; nothing else of
// it is kept a declaration at a time but indexes and flags.

// ImportDeclarations loads a batch of customs declarations in one
// transaction: all of it or, on any error, none. A batch id loaded before
// with the same content changes nothing and says so; with other content it
// is refused. A declaration number loaded before with other facts is a
// correction: its new version supersedes the old, and the balances of the
// permits either matched follow. The authority's compliance officers and
// administrators load declarations of the organisations in its
// jurisdiction. in is read, and changed only to resolve declarants given
// by name.
func (s *Service) ImportDeclarations(ctx context.Context, a tradeplan.Actor, batch string, in []DeclarationInput) (IntakeResult, error) {
	batch = strings.TrimSpace(batch)
	if batch == "" || len(batch) > 64 || tradeplan.CheckText(batch, false) != "" {
		return IntakeResult{}, tradeplan.Errorf(tradeplan.EInvalid, "batch: an id of 1 to 64 characters is required (the same id twice loads once)")
	}
	if err := dupNumbers(in); err != nil {
		return IntakeResult{}, err
	}
	ctx = tradeplan.WithActor(ctx, a)

	// Before the transaction: who declared, and what screening says of
	// each distinct line as of its date. The transaction checks both
	// again; what changed meanwhile is screened there.
	var screened map[string]screenOutcome
	var orgs map[int64]tradeplan.Organisation
	loaded := false
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := s.authorize(ctx, tx, a, ActImportDeclarations)
		if err != nil {
			return err
		}
		dt, err := declTx(tx)
		if err != nil {
			return err
		}
		// Declarants given by name are resolved first: the batch's digest
		// is of the organisations, however written.
		if err := resolveDeclarants(ctx, dt, pr, in); err != nil {
			return err
		}
		if _, err := dt.DeclarationBatch(ctx, batch); err == nil {
			loaded = true
			return nil
		}
		orgs, err = s.declarants(ctx, tx, pr, in)
		return err
	})
	if err != nil {
		return IntakeResult{}, err
	}
	// From here on in is only read: its digest is made on a core of its
	// own while the batch is checked and reconciled, and waited for where
	// it is needed (a replay, the batch's row).
	digest := digestAsync(in)
	resolved := declarantIDs(in)
	sctx := s.beforeScreening(ctx)
	if !loaded {
		dirs, err := directions(in, orgs)
		if err != nil {
			return IntakeResult{}, err
		}
		if screened, err = s.screenBatch(sctx, batchLines{in: in, dirs: dirs, orgs: orgs}, nil, nil); err != nil {
			return IntakeResult{}, err
		}
	}

	var res IntakeResult
	err = s.store.Update(sctx, func(ctx context.Context, tx Tx) error {
		res = IntakeResult{Batch: batch, Count: len(in), Rules: map[string]int{}}
		dt, err := declTx(tx)
		if err != nil {
			return err
		}
		if err := dt.LockDeclarationIntake(ctx); err != nil {
			return err
		}
		pr, err := s.authorize(ctx, tx, a, ActImportDeclarations)
		if err != nil {
			return err
		}
		if resolved != nil {
			again, err := resolveDeclarantIDs(ctx, dt, pr, in)
			if err != nil {
				return err
			}
			if !slices.Equal(resolved, again) {
				return tradeplan.Errorf(tradeplan.EConflict, "batch %s: an organisation named in it was renamed or added while it loaded; load it again", batch)
			}
		}
		if b, err := dt.DeclarationBatch(ctx, batch); err == nil {
			if b.Digest != digest() {
				return tradeplan.Errorf(tradeplan.EConflict, "batch %s was loaded on %s with other content; a correction goes in a batch of its own", batch, b.LoadedAt.Format(time.DateOnly))
			}
			res.Replayed, res.Count = true, b.Count
			return nil
		} else if tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return err
		}
		orgs, err := s.declarants(ctx, tx, pr, in)
		if err != nil {
			return err
		}
		dirs, err := directions(in, orgs)
		if err != nil {
			return err
		}
		r := reconciler{s: s, tx: tx, dt: dt, batch: batch, by: a.Label(), now: s.now(), orgs: orgs, screened: screened,
			lines: batchLines{in: in, dirs: dirs, orgs: orgs}}
		return r.run(ctx, &res, pr, digest)
	})
	if err != nil {
		digest() // in is the caller's again only once the digest is made
	}
	return res, err
}

// digestAsync starts BatchDigest(in) on a goroutine of its own and returns
// the wait for it; in must not change until then.
func digestAsync(in []DeclarationInput) func() string {
	done := make(chan struct{})
	var d string
	go func() {
		defer close(done)
		d = BatchDigest(in)
	}()
	return func() string {
		<-done
		return d
	}
}

// declarantIDs are the declarants of the declarations given by name, in
// order; nil when none is.
func declarantIDs(in []DeclarationInput) []int64 {
	var out []int64
	for _, d := range in {
		if d.DeclarantName != "" {
			out = append(out, d.Declarant)
		}
	}
	return out
}

// directions are the declarations' directions (direction), in order, or
// every problem of those that cannot have one, placed.
func directions(in []DeclarationInput, orgs map[int64]tradeplan.Organisation) ([]tradeplan.Direction, error) {
	var probs tradeplan.Problems
	out := make([]tradeplan.Direction, len(in))
	for i := range in {
		dir, err := direction(in[i], orgs[in[i].Declarant])
		if te, ok := err.(*tradeplan.Error); ok {
			probs = append(probs, te.Problems...)
		}
		out[i] = dir
	}
	return out, probs.Err("declarations")
}

// batchLines is a batch as given with what intake derives of each
// declaration without reading anything more: its direction and its
// declarant's organisation.
type batchLines struct {
	in   []DeclarationInput
	dirs []tradeplan.Direction
	orgs map[int64]tradeplan.Organisation
}

// number is declaration i's number as stored.
func (b batchLines) number(i int) string { return strings.TrimSpace(b.in[i].Number) }

// slugs keeps the crossing ids of the crossings as written: a batch names
// few crossings, and each is made once (one per goroutine).
type slugs map[string]string

func (c slugs) of(s string) string {
	if v, ok := c[s]; ok {
		return v
	}
	v := CrossingSlug(s)
	c[s] = v
	return v
}

// declaration is declaration i as a declaration before matching (the new
// version the batch writes of it, but for its version, id and match).
func (b batchLines) declaration(i int, sl slugs, d *Declaration) {
	in := &b.in[i]
	l := &in.Line
	*d = Declaration{Number: strings.TrimSpace(in.Number), Line: l.Pos.Line, Date: l.Date, Declarant: in.Declarant,
		Direction: b.dirs[i], Description: l.Description, HS: l.HS, Origin: l.Origin, Destination: l.Destination, Partner: l.Partner, Vessel: l.Vessel,
		Crossing: sl.of(l.Crossing), PermitNumber: strings.ToUpper(strings.TrimSpace(in.Permit)), Quantity: l.Quantity, Unit: l.Unit,
		Value: l.Value, Currency: l.Currency, Current: true, Flags: []Flag{}}
}

// screenKey appends to buf what screening reads of declaration i (see
// screenKeyOf).
func (b batchLines) screenKey(buf []byte, i int, sl slugs) []byte {
	in := &b.in[i]
	l := &in.Line
	return appendScreenKey(buf, b.orgs[in.Declarant].Country, b.dirs[i], l.Description, l.HS, l.Origin, l.Destination, sl.of(l.Crossing),
		l.Quantity, l.Unit, l.Value, l.Currency, l.Date, l.Partner, l.Vessel)
}

type reconciler struct {
	s        *Service
	tx       Tx
	dt       DeclarationTx
	batch    string
	by       string
	now      time.Time
	orgs     map[int64]tradeplan.Organisation
	screened map[string]screenOutcome
	lines    batchLines
}

// candKey indexes the permits a declaration without a permit number may
// match: MatchPermit wants the same holder, direction and crossing, and HS
// codes that agree in at least their first four digits.
type candKey struct {
	holder   int64
	dir      tradeplan.Direction
	crossing string
	hs4      string
}

func candKeyOf(holder int64, dir tradeplan.Direction, crossing, hs string) (candKey, bool) {
	if len(hs) < 4 {
		return candKey{}, false
	}
	return candKey{holder, dir, crossing, hs[:4]}, true
}

// run reconciles the batch of r.lines, which it does not change (a
// transaction retried runs it again from the start).
func (r *reconciler) run(ctx context.Context, res *IntakeResult, pr Principal, digest func() string) error {
	b := r.lines
	n := len(b.in)
	numbers := make([]string, n)
	for i := range numbers {
		numbers[i] = b.number(i)
	}
	cur, err := r.dt.CurrentDeclarations(ctx, numbers)
	if err != nil {
		return err
	}
	// Declaration numbers are one namespace across authorities: a number
	// whose current version another jurisdiction's declarant holds is never
	// corrected from here (it would move that authority's permit balances),
	// nor taken as unchanged; the batch is refused at the number.
	var foreign tradeplan.Problems
	for i, num := range numbers {
		if c, ok := cur[num]; ok && !pr.governs(c.Declarant, c.Declarant) {
			pos := b.in[i].Pos
			pos.Column, pos.Path = 0, joinPath(pos.Path, "declaration")
			foreign.Add(pos, "", "declaration number %s is already held outside your jurisdiction; a correction must come from the authority that loaded it", num)
		}
	}
	if err := foreign.Err("declarations"); err != nil {
		return err
	}
	// Which declarations are new versions, and what they may match.
	fresh := make([]int32, 0, n) // indexes in b.in of the new versions, in batch order
	var superseded []string
	replaced := map[string]bool{}
	var named []string
	var holders, oldPermits []int64
	seenHolder := map[int64]bool{}
	for i, num := range numbers {
		c, ok := cur[num]
		switch {
		case ok && sameFacts(c, &b.in[i], b.dirs[i]):
			res.Unchanged++
			continue
		case ok:
			res.Corrected++
			superseded = append(superseded, num)
			replaced[num] = true
			if c.PermitID != 0 {
				oldPermits = append(oldPermits, c.PermitID)
			}
		default:
			res.Loaded++
		}
		fresh = append(fresh, int32(i))
		if pn := strings.TrimSpace(b.in[i].Permit); pn != "" {
			named = append(named, strings.ToUpper(pn))
		} else if d := b.in[i].Declarant; !seenHolder[d] {
			seenHolder[d] = true
			holders = append(holders, d)
		}
	}
	// Numbers that do not parse match no permit: MatchPermit flags them
	// before looking.
	named = slices.DeleteFunc(dedupe(named), func(pn string) bool { _, err := ParsePermitNumber(pn); return err != nil })
	ps, err := r.dt.PermitsForMatching(ctx, named, holders, dedupe(oldPermits))
	if err != nil {
		return err
	}
	m := permitIndex{at: make(map[int64]int32, len(ps)), byNumber: make(map[string]int32, len(ps)), cands: map[candKey][]tradeplan.Permit{},
		parsed: make(map[string]bool, len(named))}
	for _, pn := range named {
		m.parsed[pn] = true
	}
	for i := range ps {
		p := &ps[i]
		if _, ok := m.at[p.ID]; ok {
			continue
		}
		m.at[p.ID], m.byNumber[p.Number] = int32(len(m.ps)), int32(len(m.ps))
		m.ps = append(m.ps, *p)
		if seenHolder[p.Holder] {
			if k, ok := candKeyOf(p.Holder, p.Direction, p.Crossing, p.HS); ok {
				m.cands[k] = append(m.cands[k], *p)
			}
		}
	}
	for _, cs := range m.cands {
		slices.SortFunc(cs, betterPermit)
	}
	crossings, err := readCrossings(ctx, r.tx, b, fresh)
	if err != nil {
		return err
	}

	// Matching and the checks of each new version on its own, on every
	// core: ds[k] is the new version of b.in[fresh[k]], its id -(k+1) until
	// its row is written (balance tells declarations apart by id).
	ds := make([]Declaration, len(fresh))
	onPermit := make([]int32, len(fresh)) // the index in m.ps of the permit ds[k] matched, or -1
	late := make([][]int32, parallelism())
	forChunks(len(fresh), func(w, lo, hi int) {
		sl, days := slugs{}, crossingDays{}
		var key []byte
		for k := lo; k < hi; k++ {
			i := int(fresh[k])
			d := &ds[k]
			b.declaration(i, sl, d)
			d.Version = cur[d.Number].Version + 1
			d.Batch, d.LoadedBy, d.LoadedAt = r.batch, r.by, r.now
			d.ID = -int64(k + 1)
			pi, flags := m.match(d)
			d.Flags = append(d.Flags, flags...)
			onPermit[k] = pi
			if pi >= 0 {
				p := &m.ps[pi]
				d.PermitID, d.Matched = p.ID, p.Number
				open, why := days.on(crossings, d.Crossing, d.Date)
				d.Flags = append(d.Flags, CheckAgainstPermit(*d, *p, open, why)...)
				_, convErr := tradeplan.ConvertUnit(d.Quantity, d.Unit, p.Unit)
				d.Counted = p.Holder == d.Declarant && convErr == nil
			}
			key = b.screenKey(key[:0], i, sl)
			if o, ok := r.screened[string(key)]; ok {
				d.Flags = append(d.Flags, o.flags(d.Number, d.Matched, d.Date)...)
			} else {
				late[w] = append(late[w], int32(k))
			}
		}
	})
	// Lines not screened before the transaction (their declarant's
	// country changed meanwhile) are screened now; their flags come last
	// as for the others, before the balance's.
	if lateAll := slices.Concat(late...); len(lateAll) > 0 {
		slices.Sort(lateAll)
		at := make([]int32, len(lateAll))
		for j, k := range lateAll {
			at[j] = fresh[k]
		}
		if r.screened, err = r.s.screenBatch(ctx, b, at, r.screened); err != nil {
			return err
		}
		sl := slugs{}
		var key []byte
		for _, k := range lateAll {
			d := &ds[k]
			key = b.screenKey(key[:0], int(fresh[k]), sl)
			d.Flags = append(d.Flags, r.screened[string(key)].flags(d.Number, d.Matched, d.Date)...)
		}
	}

	// Balances: every affected permit's total from its current
	// declarations, those of this batch and those standing from before.
	affected := make([]bool, len(m.ps))
	for _, pi := range onPermit {
		if pi >= 0 {
			affected[pi] = true
		}
	}
	for _, id := range oldPermits {
		pi, ok := m.at[id]
		if !ok {
			return fmt.Errorf("reconcile: permit %d not read", id)
		}
		affected[pi] = true
	}
	var ids []int64
	for pi, ok := range affected {
		if ok {
			ids = append(ids, m.ps[pi].ID)
		}
	}
	slices.Sort(ids)
	others, err := r.dt.CurrentOnPermits(ctx, ids)
	if err != nil {
		return err
	}
	// Each affected permit's declarations as pointers, grouped by a
	// counting sort: those standing from before, then the batch's in
	// batch order.
	start := make([]int32, len(m.ps)+1)
	otherAt := make([]int32, len(others))
	for j := range others {
		otherAt[j] = -1
		if d := &others[j]; !replaced[d.Number] {
			pi, ok := m.at[d.PermitID]
			if !ok {
				return fmt.Errorf("reconcile: permit %d not read", d.PermitID)
			}
			otherAt[j] = pi
			start[pi+1]++
		}
	}
	for _, pi := range onPermit {
		if pi >= 0 {
			start[pi+1]++
		}
	}
	for pi := range m.ps {
		start[pi+1] += start[pi]
	}
	grouped := make([]*Declaration, start[len(m.ps)])
	next := slices.Clone(start[:len(m.ps)])
	for j, pi := range otherAt {
		if pi >= 0 {
			grouped[next[pi]] = &others[j]
			next[pi]++
		}
	}
	for k, pi := range onPermit {
		if pi >= 0 {
			grouped[next[pi]] = &ds[k]
			next[pi]++
		}
	}
	tolerances := map[string]tradeplan.Decimal{}
	for _, id := range ids {
		u := m.ps[m.at[id]].Unit
		if _, ok := tolerances[u]; !ok {
			if tolerances[u], err = r.dt.UnitTolerance(ctx, u); err != nil {
				return err
			}
		}
	}
	totals := make([]tradeplan.Decimal, len(ids))
	reflags := make([][]reflag, len(ids)) // of other batches' declarations whose balance flag changed
	forChunks(len(ids), func(_, lo, hi int) {
		for j := lo; j < hi; j++ {
			pi := m.at[ids[j]]
			p := &m.ps[pi]
			tol := tolerances[p.Unit]
			on := grouped[start[pi]:start[pi+1]]
			total, over := balance(*p, on, tol)
			totals[j] = total
			for _, d := range on {
				if d.ID < 0 { // of this batch: on this permit alone
					if f, ok := over[d.ID]; ok {
						d.Flags = append(d.Flags, f)
					}
					continue
				}
				flags := slices.DeleteFunc(slices.Clone(d.Flags), func(f Flag) bool { return f.Rule == FlagOverBalance })
				if f, ok := over[d.ID]; ok {
					flags = append(flags, f)
				}
				if len(flags) != len(d.Flags) || !slices.EqualFunc(flags, d.Flags, func(a, b Flag) bool { return a.Rule == b.Rule && a.Figures == b.Figures }) {
					reflags[j] = append(reflags[j], reflag{d, flags})
				}
			}
		}
	})
	var reflagged []Declaration
	for _, rs := range reflags {
		for _, x := range rs {
			if err := r.dt.SetDeclarationFlags(ctx, x.d.ID, x.flags); err != nil {
				return err
			}
			x.d.Flags = x.flags
			reflagged = append(reflagged, *x.d)
		}
	}

	if err := r.dt.AddDeclarationBatch(ctx, DeclarationBatch{ID: r.batch, Digest: digest(), Count: n, LoadedBy: r.by, LoadedAt: r.now}); err != nil {
		return err
	}
	if err := r.dt.SupersedeDeclarations(ctx, superseded); err != nil {
		return err
	}
	if err := r.dt.InsertDeclarations(ctx, r.batch, ds); err != nil {
		return err
	}
	byID := make(map[int64]tradeplan.Decimal, len(ids))
	for j, id := range ids {
		byID[id] = totals[j]
	}
	if err := r.dt.PutPermitsDeclared(ctx, byID, r.now); err != nil {
		return err
	}
	res.Current = ds // in batch order
	for i := range ds {
		d := &ds[i]
		if len(d.Flags) > 0 {
			res.Flagged++
		}
		for i, f := range d.Flags {
			if !slices.ContainsFunc(d.Flags[:i], func(g Flag) bool { return g.Rule == f.Rule }) {
				res.Rules[f.Rule]++
			}
		}
	}
	if res.Cases, err = openCases(ctx, r.tx, r.now, reflagged, ds); err != nil {
		return err
	}
	summary := map[string]any{"batch": r.batch, "digest": digest(), "loaded": res.Loaded, "corrected": res.Corrected, "unchanged": res.Unchanged,
		"flagged": res.Flagged, "cases": res.Cases, "permits": ids}
	return r.tx.Audit(ctx, "declarations.import", "declarations:"+r.batch, pr.Authority(), nil, summary)
}

// reflag is a declaration of another batch and its flags as its permit's
// balance now stands.
type reflag struct {
	d     *Declaration
	flags []Flag
}

// permitIndex holds the permits a batch may match, each once: by id and by
// number (their index in ps), and those of the declarants that name none
// by candKey, in betterPermit order.
type permitIndex struct {
	ps       []tradeplan.Permit
	at       map[int64]int32
	byNumber map[string]int32
	cands    map[candKey][]tradeplan.Permit
	parsed   map[string]bool // the permit numbers declared that parse
}

// match is MatchPermit for d among the permits read: the index in ps of
// the permit matched (-1 for none) and the flags of the permit number.
func (m *permitIndex) match(d *Declaration) (int32, []Flag) {
	var p *tradeplan.Permit
	var flags []Flag
	if d.PermitNumber != "" {
		var named *tradeplan.Permit
		if pi, ok := m.byNumber[d.PermitNumber]; ok {
			named = &m.ps[pi]
		}
		if m.parsed[d.PermitNumber] {
			p, flags = matchNamed(*d, named)
		} else {
			p, flags = MatchPermit(*d, named, nil)
		}
	} else {
		var cs []tradeplan.Permit
		if k, ok := candKeyOf(d.Declarant, d.Direction, d.Crossing, d.HS); ok {
			cs = m.cands[k]
		}
		p, flags = matchSorted(*d, cs)
	}
	if p == nil {
		return -1, flags
	}
	return m.at[p.ID], flags
}

// parallelism is how many goroutines the batch's work is spread over.
func parallelism() int { return max(1, runtime.GOMAXPROCS(0)) }

// forChunks calls fn on consecutive ranges [lo, hi) of [0, n), in chunks,
// from parallelism() goroutines at once; w is the goroutine's number.
func forChunks(n int, fn func(w, lo, hi int)) {
	const chunk = 2048
	workers := min(parallelism(), (n+chunk-1)/chunk)
	if workers <= 1 {
		if n > 0 {
			fn(0, 0, n)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				fn(w, lo, min(n, lo+chunk))
			}
		}()
	}
	wg.Wait()
}

// betterPermit orders the permits a declaration may match as MatchPermit
// prefers them: usable first, then the earliest window end, then the
// lowest id.
func betterPermit(a, b tradeplan.Permit) int {
	if c := usableRank(a) - usableRank(b); c != 0 {
		return c
	}
	if c := a.ValidTo.Compare(b.ValidTo); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// matchSorted is MatchPermit for a declaration naming no permit, over
// candidates in betterPermit order: the first that fits is the one
// MatchPermit would choose.
func matchSorted(d Declaration, sorted []tradeplan.Permit) (*tradeplan.Permit, []Flag) {
	for i := range sorted {
		p := &sorted[i]
		if p.Holder == d.Declarant && p.Direction == d.Direction && sameHS(p.HS, d.HS) && CrossingSlug(d.Crossing) == p.Crossing && Within(*p, d.Date) {
			return p, nil
		}
	}
	return MatchPermit(d, nil, nil)
}

func dedupe[T comparable](xs []T) []T {
	seen := make(map[T]bool, len(xs))
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

type crossingState struct {
	open bool
	why  string
}

// crossingOf is a crossing as read for a batch: found, and its history.
type crossingOf struct {
	found  bool
	c      tradeplan.Crossing
	events []tradeplan.CrossingEvent
}

// readCrossings reads each crossing the declarations of b at indexes
// name, and its history, once.
func readCrossings(ctx context.Context, tx Tx, b batchLines, indexes []int32) (map[string]*crossingOf, error) {
	out := map[string]*crossingOf{}
	sl := slugs{}
	for _, i := range indexes {
		id := sl.of(b.in[i].Line.Crossing)
		if _, ok := out[id]; ok {
			continue
		}
		c, err := tx.Crossing(ctx, id)
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			out[id] = &crossingOf{}
			continue
		} else if err != nil {
			return nil, err
		}
		evs, err := tx.CrossingEvents(ctx, id)
		if err != nil {
			return nil, err
		}
		out[id] = &crossingOf{found: true, c: c, events: evs}
	}
	return out, nil
}

// crossingDays answers crossingOn for many declarations from crossings
// read once, remembering each crossing's state on each day.
type crossingDays map[crossingDay]crossingState

type crossingDay struct {
	id  string
	day int64 // Unix seconds of the day's end
}

func (c crossingDays) on(cs map[string]*crossingOf, id string, day time.Time) (bool, string) {
	end := endOfDay(day)
	k := crossingDay{id, end.Unix()}
	if st, ok := c[k]; ok {
		return st.open, st.why
	}
	x := cs[id]
	if x == nil || !x.found {
		c[k] = crossingState{false, "no such crossing is registered"}
		return false, "no such crossing is registered"
	}
	open, why := openOn(x.c, x.events, end)
	c[k] = crossingState{open, why}
	return open, why
}

// screenOutcome is what screening says of a line: the verdict, the
// citations and what was found.
type screenOutcome struct {
	verdict tradeplan.Verdict
	cites   []string
	what    []string
}

// flags are the outcome's flags on declaration number, matched to permit.
func (o screenOutcome) flags(number, permit string, date time.Time) []Flag {
	day := date.Format(time.DateOnly)
	detail := strings.Join(append(slices.Clone(o.what), o.cites...), "; ")
	switch o.verdict {
	case tradeplan.Prohibited:
		return []Flag{{Rule: FlagProhibited, Declaration: number, Permit: permit, Citations: o.cites, Figures: "as of " + day,
			Message: fmt.Sprintf("declaration %s: prohibited as of %s: %s", number, day, detail)}}
	case tradeplan.Review:
		return []Flag{{Rule: FlagReview, Declaration: number, Permit: permit, Citations: o.cites, Figures: "as of " + day,
			Message: fmt.Sprintf("declaration %s needs review as of %s: %s", number, day, detail)}}
	}
	return nil
}

// appendScreenKey appends to buf what screening reads of a declaration:
// its line as of its date in its declarant's country. Two declarations
// with the same key screen alike, whatever their numbers.
func appendScreenKey(buf []byte, country string, dir tradeplan.Direction, description, hs, origin, destination, crossing string,
	quantity tradeplan.Decimal, unit string, value tradeplan.Decimal, currency string, date time.Time, p *tradeplan.Party, v *tradeplan.Vessel) []byte {
	for _, f := range [...]string{country, string(dir), description, hs, origin, destination, crossing} {
		buf = append(append(buf, f...), 0)
	}
	buf = append(quantity.Append(buf), 0)
	buf = append(append(buf, unit...), 0)
	buf = append(value.Append(buf), 0)
	buf = append(append(buf, currency...), 0)
	buf = append(date.AppendFormat(buf, time.DateOnly), 0)
	if p != nil {
		buf = append(append(append(append(append(buf, "p\x00"...), p.Name...), 0), p.Country...), 0)
	}
	if v != nil {
		buf = append(append(append(append(append(append(append(buf, "v\x00"...), v.Name...), 0), v.IMO...), 0), v.Flag...), 0)
	}
	return buf
}

// screenLine screens the declaration as a line of a plan of its
// declarant's country as of the day it crossed, with the pipeline the
// licence decision uses: prohibited goods, a listed partner or vessel.
func (s *Service) screenLine(ctx context.Context, d Declaration, country string) (screenOutcome, error) {
	l := d.line()
	l.Index = 1
	p := &tradeplan.Plan{ID: "declaration " + d.Number, Country: country, Lines: []tradeplan.Line{l}}
	rep, err := s.screen(ctx, p, d.Date, nil)
	if err != nil {
		return screenOutcome{}, fmt.Errorf("screen declaration %s: %w", d.Number, err)
	}
	if len(rep.Lines) == 0 {
		return screenOutcome{}, nil
	}
	lr := rep.Lines[0]
	o := screenOutcome{verdict: lr.Verdict}
	for _, f := range lr.Findings {
		if f.Outcome != lr.Verdict {
			continue
		}
		if f.Basis != nil && f.Basis.Citation != "" && !slices.Contains(o.cites, f.Basis.Citation) {
			o.cites = append(o.cites, f.Basis.Citation)
		}
		if f.Match != nil {
			o.what = append(o.what, fmt.Sprintf("%s matches %s (%s %s)", f.Match.Query, f.Match.Name, f.Match.List, f.Match.EntryID))
		} else if f.Summary != "" {
			o.what = append(o.what, f.Summary)
		}
	}
	return o, nil
}

// screenDeclaration is the screening flags of one declaration.
func (s *Service) screenDeclaration(ctx context.Context, d Declaration, org tradeplan.Organisation, permit string) ([]Flag, error) {
	if s.screen == nil {
		return nil, nil
	}
	o, err := s.screenLine(ctx, d, org.Country)
	if err != nil {
		return nil, err
	}
	return o.flags(d.Number, permit, d.Date), nil
}

// screenLines are declarations to screen: n of them, each with its
// screen key and as a declaration.
type screenLines interface {
	n() int
	screenKey(buf []byte, i int, sl slugs) []byte
	declaration(i int, sl slugs, d *Declaration)
	country(d *Declaration) string
}

func (b batchLines) n() int                        { return len(b.in) }
func (b batchLines) country(d *Declaration) string { return b.orgs[d.Declarant].Country }

// declarationLines are declarations made already, of the organisations
// orgs.
type declarationLines struct {
	ds   []Declaration
	orgs map[int64]tradeplan.Organisation
}

func (l declarationLines) n() int                                     { return len(l.ds) }
func (l declarationLines) country(d *Declaration) string              { return l.orgs[d.Declarant].Country }
func (l declarationLines) declaration(i int, _ slugs, d *Declaration) { *d = l.ds[i] }
func (l declarationLines) screenKey(buf []byte, i int, _ slugs) []byte {
	d := &l.ds[i]
	return appendScreenKey(buf, l.orgs[d.Declarant].Country, d.Direction, d.Description, d.HS, d.Origin, d.Destination, d.Crossing,
		d.Quantity, d.Unit, d.Value, d.Currency, d.Date, d.Partner, d.Vessel)
}

// screenKey is what screening reads of d, of an organisation of country
// (appendScreenKey).
func screenKey(d *Declaration, country string) string {
	return string(declarationLines{ds: []Declaration{*d}, orgs: map[int64]tradeplan.Organisation{d.Declarant: {Country: country}}}.screenKey(nil, 0, nil))
}

// screenBatch screens each distinct line of the declarations of b at
// indexes (every one when nil) once, on every core, adding the outcomes to
// known (a new map when nil) by their screen key.
func (s *Service) screenBatch(ctx context.Context, b screenLines, indexes []int32, known map[string]screenOutcome) (map[string]screenOutcome, error) {
	if known == nil {
		known = map[string]screenOutcome{}
	}
	type job struct {
		key string
		i   int
	}
	n := b.n()
	if indexes != nil {
		n = len(indexes)
	}
	at := func(k int) int {
		if indexes != nil {
			return int(indexes[k])
		}
		return k
	}
	// The keys are made on every core; each distinct one is kept once,
	// at its first declaration.
	found := make([][]job, parallelism())
	forChunks(n, func(w, lo, hi int) {
		sl := slugs{}
		var key []byte
		seen := map[string]bool{}
		for k := lo; k < hi; k++ {
			i := at(k)
			key = b.screenKey(key[:0], i, sl)
			if _, ok := known[string(key)]; ok || seen[string(key)] {
				continue
			}
			seen[string(key)] = true
			found[w] = append(found[w], job{string(key), i})
		}
	})
	var jobs []job
	queued := map[string]bool{}
	for _, j := range slices.SortedFunc(slices.Values(slices.Concat(found...)), func(a, b job) int { return cmp.Compare(a.i, b.i) }) {
		if !queued[j.key] {
			queued[j.key] = true
			jobs = append(jobs, j)
		}
	}
	if s.screen == nil {
		for _, j := range jobs {
			known[j.key] = screenOutcome{}
		}
		return known, nil
	}
	out := make([]screenOutcome, len(jobs))
	errs := make([]error, len(jobs))
	workers := min(parallelism(), len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sl := slugs{}
			var d Declaration
			for k := range next {
				i := jobs[k].i
				b.declaration(i, sl, &d)
				out[k], errs[k] = s.screenLine(ctx, d, b.country(&d))
			}
		}()
	}
	for k := range jobs {
		next <- k
	}
	close(next)
	wg.Wait()
	for k, j := range jobs {
		if errs[k] != nil {
			return nil, errs[k]
		}
		known[j.key] = out[k]
	}
	return known, nil
}
