package licensing

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Reconciliation of a batch as set-based work. Before the transaction the
// batch is checked whole (declarants, directions) and each distinct line is
// screened once, in parallel; inside it the current versions, the permits
// and the declarations already counted against them are read in a few
// large queries, matching, flags and balances are computed in memory with
// maps, and the rows are written in bulk: each permit's total once.

// ImportDeclarations loads a batch of customs declarations in one
// transaction: all of it or, on any error, none. A batch id loaded before
// with the same content changes nothing and says so; with other content it
// is refused. A declaration number loaded before with other facts is a
// correction: its new version supersedes the old, and the balances of the
// permits either matched follow. The authority's compliance officers and
// administrators load declarations of the organisations in its
// jurisdiction.
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
	digest := BatchDigest(in)
	resolved := declarantIDs(in)
	sctx := s.beforeScreening(ctx)
	var base []Declaration // the inputs as declarations, made once
	if !loaded {
		if err := setDirections(in, orgs); err != nil {
			return IntakeResult{}, err
		}
		base = baseDeclarations(in)
		if screened, err = s.screenBatch(sctx, base, orgs, nil); err != nil {
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
			if err := resolveDeclarants(ctx, dt, pr, in); err != nil {
				return err
			}
			if !slices.Equal(resolved, declarantIDs(in)) {
				return tradeplan.Errorf(tradeplan.EConflict, "batch %s: an organisation named in it was renamed or added while it loaded; load it again", batch)
			}
		}
		if b, err := dt.DeclarationBatch(ctx, batch); err == nil {
			if b.Digest != digest {
				return tradeplan.Errorf(tradeplan.EConflict, "batch %s was loaded on %s with other content; a correction goes in a batch of its own", batch, b.LoadedAt.Format(time.DateOnly))
			}
			res.Replayed, res.Count = true, b.Count
			return nil
		} else if tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return err
		}
		now := s.now()
		if err := dt.AddDeclarationBatch(ctx, DeclarationBatch{ID: batch, Digest: digest, Count: len(in), LoadedBy: a.Label(), LoadedAt: now}); err != nil {
			return err
		}
		orgs, err := s.declarants(ctx, tx, pr, in)
		if err != nil {
			return err
		}
		if err := setDirections(in, orgs); err != nil {
			return err
		}
		if base == nil {
			base = baseDeclarations(in)
		}
		for i := range base { // setDirections again, in the transaction
			base[i].Direction = in[i].Line.Direction
		}
		r := reconciler{s: s, tx: tx, dt: dt, batch: batch, by: a.Label(), now: now, orgs: orgs, screened: screened}
		return r.run(ctx, in, base, &res, pr, digest)
	})
	return res, err
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

// setDirections gives each declaration its direction, or places every one
// that cannot have one.
func setDirections(in []DeclarationInput, orgs map[int64]tradeplan.Organisation) error {
	var probs tradeplan.Problems
	for i := range in {
		dir, err := direction(in[i], orgs[in[i].Declarant])
		if te, ok := err.(*tradeplan.Error); ok {
			probs = append(probs, te.Problems...)
		}
		in[i].Line.Direction = dir
	}
	return probs.Err("declarations")
}

// baseDeclarations are the inputs as declarations, before matching.
func baseDeclarations(in []DeclarationInput) []Declaration {
	out := make([]Declaration, len(in))
	for i := range in {
		d := &in[i]
		l := &d.Line
		out[i] = Declaration{Number: strings.TrimSpace(d.Number), Line: l.Pos.Line, Date: l.Date, Declarant: d.Declarant,
			Direction: l.Direction, Description: l.Description, HS: l.HS, Origin: l.Origin, Destination: l.Destination, Partner: l.Partner, Vessel: l.Vessel,
			Crossing: CrossingSlug(l.Crossing), PermitNumber: strings.ToUpper(strings.TrimSpace(d.Permit)), Quantity: l.Quantity, Unit: l.Unit,
			Value: l.Value, Currency: l.Currency, Current: true, Flags: []Flag{}}
	}
	return out
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
}

// candKey indexes the permits a declaration without a permit number may
// match: MatchPermit wants the same holder, direction and crossing, and HS
// codes that agree in at least their first four digits.
func candKey(holder int64, dir tradeplan.Direction, crossing, hs string) string {
	if len(hs) < 4 {
		return ""
	}
	return fmt.Sprintf("%d|%s|%s|%s", holder, dir, crossing, hs[:4])
}

// run reconciles base, the declarations of in, which it does not change
// (a transaction retried runs it again).
func (r *reconciler) run(ctx context.Context, in []DeclarationInput, base []Declaration, res *IntakeResult, pr Principal, digest string) error {
	numbers := make([]string, len(base))
	for i, d := range base {
		numbers[i] = d.Number
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
	for i, d := range base {
		if c, ok := cur[d.Number]; ok && !pr.governs(c.Declarant, c.Declarant) {
			pos := in[i].Pos
			pos.Column, pos.Path = 0, joinPath(pos.Path, "declaration")
			foreign.Add(pos, "", "declaration number %s is already held outside your jurisdiction; a correction must come from the authority that loaded it", d.Number)
		}
	}
	if err := foreign.Err("declarations"); err != nil {
		return err
	}
	affected := map[int64]bool{}
	fresh := make([]Declaration, 0, len(base)) // the new versions, in batch order
	var superseded []string
	replaced := map[string]bool{}
	var named []string
	var holders, oldPermits []int64
	seenHolder := map[int64]bool{}
	for i, d := range base {
		c, ok := cur[d.Number]
		switch {
		case ok && sameFacts(c, in[i]):
			res.Unchanged++
			continue
		case ok:
			res.Corrected++
			superseded = append(superseded, d.Number)
			replaced[d.Number] = true
			if c.PermitID != 0 {
				affected[c.PermitID] = true
				oldPermits = append(oldPermits, c.PermitID)
			}
		default:
			res.Loaded++
		}
		d.Version, d.Batch, d.LoadedBy, d.LoadedAt = c.Version+1, r.batch, r.by, r.now
		fresh = append(fresh, d)
		if d.PermitNumber != "" {
			if _, err := ParsePermitNumber(d.PermitNumber); err == nil {
				named = append(named, d.PermitNumber)
			}
		} else if !seenHolder[d.Declarant] {
			seenHolder[d.Declarant] = true
			holders = append(holders, d.Declarant)
		}
	}
	ps, err := r.dt.PermitsForMatching(ctx, dedupe(named), holders, dedupe(oldPermits))
	if err != nil {
		return err
	}
	byID := make(map[int64]*tradeplan.Permit, len(ps))
	byNumber := make(map[string]*tradeplan.Permit, len(ps))
	cands := map[string][]tradeplan.Permit{}
	for i := range ps {
		p := &ps[i]
		if byID[p.ID] != nil {
			continue
		}
		byID[p.ID], byNumber[p.Number] = p, p
		if seenHolder[p.Holder] {
			k := candKey(p.Holder, p.Direction, p.Crossing, p.HS)
			cands[k] = append(cands[k], *p)
		}
	}

	for _, cs := range cands {
		slices.SortFunc(cs, betterPermit)
	}
	crossings := crossingDays{tx: r.tx, open: map[string]crossingState{}, events: map[string][]tradeplan.CrossingEvent{}}
	var late []int // declarations whose line was not screened before the transaction
	keys := make([]string, len(fresh))
	for i := range fresh {
		d := &fresh[i]
		d.ID = -int64(i + 1) // until the rows are written: Balance tells declarations apart by id
		var p *tradeplan.Permit
		var flags []Flag
		if d.PermitNumber != "" {
			p, flags = MatchPermit(*d, byNumber[d.PermitNumber], nil)
		} else {
			p, flags = matchSorted(*d, cands[candKey(d.Declarant, d.Direction, d.Crossing, d.HS)])
		}
		d.Flags = append(d.Flags, flags...)
		if p != nil {
			d.PermitID, d.Matched = p.ID, p.Number
			open, why, err := crossings.on(ctx, d.Crossing, d.Date)
			if err != nil {
				return err
			}
			d.Flags = append(d.Flags, CheckAgainstPermit(*d, *p, open, why)...)
			_, convErr := tradeplan.ConvertUnit(d.Quantity, d.Unit, p.Unit)
			d.Counted = p.Holder == d.Declarant && convErr == nil
			affected[p.ID] = true
		}
		keys[i] = screenKey(d, r.orgs[d.Declarant].Country)
		if _, ok := r.screened[keys[i]]; !ok {
			late = append(late, i)
		}
	}
	if len(late) > 0 {
		ds := make([]Declaration, len(late))
		for j, i := range late {
			ds[j] = fresh[i]
		}
		if r.screened, err = r.s.screenBatch(ctx, ds, r.orgs, r.screened); err != nil {
			return err
		}
	}
	for i := range fresh {
		d := &fresh[i]
		d.Flags = append(d.Flags, r.screened[keys[i]].flags(d.Number, d.Matched, d.Date)...)
	}

	// Balances: every affected permit's total from its current
	// declarations, those of this batch and those standing from before.
	ids := make([]int64, 0, len(affected))
	for id := range affected {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	others, err := r.dt.CurrentOnPermits(ctx, ids)
	if err != nil {
		return err
	}
	// Pointers, not copies: a batch of a million declarations is moved
	// and sorted by permit as pointers.
	onPermit := make(map[int64][]*Declaration, len(ids))
	for i := range others {
		if d := &others[i]; !replaced[d.Number] {
			onPermit[d.PermitID] = append(onPermit[d.PermitID], d)
		}
	}
	freshAt := make(map[int64]int, len(fresh))
	for i := range fresh {
		d := &fresh[i]
		freshAt[d.ID] = i
		if d.PermitID != 0 {
			onPermit[d.PermitID] = append(onPermit[d.PermitID], d)
		}
	}
	tolerances := map[string]tradeplan.Decimal{}
	totals := make(map[int64]tradeplan.Decimal, len(ids))
	var reflagged []Declaration // of other batches, whose balance flag changed
	for _, id := range ids {
		p := byID[id]
		if p == nil {
			return fmt.Errorf("reconcile: permit %d not read", id)
		}
		tol, ok := tolerances[p.Unit]
		if !ok {
			if tol, err = r.dt.UnitTolerance(ctx, p.Unit); err != nil {
				return err
			}
			tolerances[p.Unit] = tol
		}
		total, over := balance(*p, onPermit[id], tol)
		totals[id] = total
		for _, d := range onPermit[id] {
			if i, ok := freshAt[d.ID]; ok {
				if f, ok := over[d.ID]; ok {
					fresh[i].Flags = append(fresh[i].Flags, f)
				}
				continue
			}
			flags := slices.DeleteFunc(slices.Clone(d.Flags), func(f Flag) bool { return f.Rule == FlagOverBalance })
			if f, ok := over[d.ID]; ok {
				flags = append(flags, f)
			}
			if len(flags) != len(d.Flags) || !slices.EqualFunc(flags, d.Flags, func(a, b Flag) bool { return a.Rule == b.Rule && a.Figures == b.Figures }) {
				if err := r.dt.SetDeclarationFlags(ctx, d.ID, flags); err != nil {
					return err
				}
				d.Flags = flags
				reflagged = append(reflagged, *d)
			}
		}
	}

	if err := r.dt.SupersedeDeclarations(ctx, superseded); err != nil {
		return err
	}
	if err := r.dt.InsertDeclarations(ctx, r.batch, fresh); err != nil {
		return err
	}
	if err := r.dt.PutPermitsDeclared(ctx, totals, r.now); err != nil {
		return err
	}
	res.Current = fresh // in batch order
	for i := range fresh {
		d := &fresh[i]
		if len(d.Flags) > 0 {
			res.Flagged++
		}
		for i, f := range d.Flags {
			if !slices.ContainsFunc(d.Flags[:i], func(g Flag) bool { return g.Rule == f.Rule }) {
				res.Rules[f.Rule]++
			}
		}
	}
	if res.Cases, err = openCases(ctx, r.tx, r.now, reflagged, fresh); err != nil {
		return err
	}
	summary := map[string]any{"batch": r.batch, "digest": digest, "loaded": res.Loaded, "corrected": res.Corrected, "unchanged": res.Unchanged,
		"flagged": res.Flagged, "cases": res.Cases, "permits": ids}
	return r.tx.Audit(ctx, "declarations.import", "declarations:"+r.batch, pr.Authority(), nil, summary)
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

// crossingDays answers crossingOn for many declarations, reading each
// crossing and its history once.
type crossingDays struct {
	tx     Tx
	open   map[string]crossingState // by crossing and day
	events map[string][]tradeplan.CrossingEvent
}

func (c *crossingDays) on(ctx context.Context, id string, day time.Time) (bool, string, error) {
	k := id + "|" + day.Format(time.DateOnly)
	if st, ok := c.open[k]; ok {
		return st.open, st.why, nil
	}
	open, why, err := crossingOn(ctx, c.tx, id, day)
	if err != nil {
		return false, "", err
	}
	c.open[k] = crossingState{open, why}
	return open, why, nil
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

// screenKey names what screening reads of a declaration: its line as of
// its date in its declarant's country. Two declarations with the same key
// screen alike, whatever their numbers.
func screenKey(d *Declaration, country string) string {
	var b strings.Builder
	for _, f := range []string{country, string(d.Direction), d.Description, d.HS, d.Origin, d.Destination, d.Crossing,
		d.Quantity.String(), d.Unit, d.Value.String(), d.Currency, d.Date.Format(time.DateOnly)} {
		b.WriteString(f)
		b.WriteByte(0)
	}
	if p := d.Partner; p != nil {
		b.WriteString("p\x00" + p.Name + "\x00" + p.Country + "\x00")
	}
	if v := d.Vessel; v != nil {
		b.WriteString("v\x00" + v.Name + "\x00" + v.IMO + "\x00" + v.Flag + "\x00")
	}
	return b.String()
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

// screenBatch screens each distinct line of ds once, on every core, adding
// the outcomes to known (a new map when nil) by screenKey.
func (s *Service) screenBatch(ctx context.Context, ds []Declaration, orgs map[int64]tradeplan.Organisation, known map[string]screenOutcome) (map[string]screenOutcome, error) {
	if known == nil {
		known = map[string]screenOutcome{}
	}
	type job struct {
		key string
		d   *Declaration
	}
	var jobs []job
	queued := map[string]bool{}
	for i := range ds {
		k := screenKey(&ds[i], orgs[ds[i].Declarant].Country)
		if _, ok := known[k]; ok || queued[k] {
			continue
		}
		queued[k] = true
		jobs = append(jobs, job{k, &ds[i]})
	}
	if s.screen == nil {
		for _, j := range jobs {
			known[j.key] = screenOutcome{}
		}
		return known, nil
	}
	out := make([]screenOutcome, len(jobs))
	errs := make([]error, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = s.screenLine(ctx, *jobs[i].d, orgs[jobs[i].d.Declarant].Country)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, j := range jobs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		known[j.key] = out[i]
	}
	return known, nil
}
