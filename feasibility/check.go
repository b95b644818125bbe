package feasibility

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Solver names how the lines of one site are solved together.
const (
	Greedy = "greedy" // in plan order: each line takes what earlier lines left
	LP     = "lp"     // a linear programme minimising weighted shortfall
)

// Options tune the check.
type Options struct {
	Solver string // Greedy (the default) or LP
}

// Check assesses every export line of plan p against sites, given the
// screening report rep of p (its lines in the same order): the verdict of
// each line decides whether it is assessed at all. It returns one block per
// line of p, nil for an import. A lawful export line whose site or process
// cannot be found, or whose unit does not fit its process, is a problem at
// that line; then the error lists them all and no block is returned.
func Check(p *tradeplan.Plan, rep *tradeplan.PlanReport, sites *Sites, opts Options) ([]*tradeplan.Feasibility, error) {
	if rep != nil && len(rep.Lines) != len(p.Lines) {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "feasibility: the report has %d lines, the plan %d", len(rep.Lines), len(p.Lines))
	}
	out := make([]*tradeplan.Feasibility, len(p.Lines))
	var probs tradeplan.Problems
	bySite := map[*Site][]*job{}
	var order []*Site
	for i := range p.Lines {
		l := &p.Lines[i]
		if l.Direction != tradeplan.Export {
			continue
		}
		var lr *tradeplan.LineReport
		if rep != nil {
			lr = &rep.Lines[i]
		}
		f, j := prepare(p, l, lr, sites, &probs)
		out[i] = f
		if j == nil {
			continue
		}
		if bySite[j.site] == nil {
			order = append(order, j.site)
		}
		bySite[j.site] = append(bySite[j.site], j)
	}
	if err := probs.Err("feasibility of " + planName(p)); err != nil {
		return nil, err
	}
	solver := opts.Solver
	if solver == "" {
		solver = Greedy
	}
	for _, s := range order {
		solveSite(s, bySite[s], p.Period, solver)
	}
	return out, nil
}

func planName(p *tradeplan.Plan) string {
	if p.File != "" {
		return p.File
	}
	return "plan " + p.ID
}

// job is one assessed line: its site, its process and its target in the
// process's output unit.
type job struct {
	line   *tradeplan.Line
	f      *tradeplan.Feasibility
	site   *Site
	proc   *Process
	factor float64 // process units per line unit
	target float64 // in process units
	// per unit of output: input, scheduled line-hours, worker-hours, kWh
	in, lh, wh, kwh float64
	alloc           float64
}

// prepare makes the block of an export line and, when it is to be
// assessed, its job.
func prepare(p *tradeplan.Plan, l *tradeplan.Line, lr *tradeplan.LineReport, sites *Sites, probs *tradeplan.Problems) (*tradeplan.Feasibility, *job) {
	f := &tradeplan.Feasibility{Target: l.Quantity.Float64(), Unit: l.Unit}
	if lr != nil && lr.Verdict == tradeplan.Prohibited {
		f.Reason = "not assessed: the line is prohibited, and no production plan is made for goods that may not be exported"
		f.Target = 0
		for _, fd := range lr.Findings {
			if fd.Outcome == tradeplan.Prohibited {
				if fd.Basis != nil && fd.Basis.Citation != "" {
					f.Citation = fd.Basis.Citation
					if fd.Basis.Rule != "" {
						f.Citation += " [" + fd.Basis.Rule + "]"
					}
				} else {
					f.Citation = fd.Kind + ": " + fd.Summary
				}
				break
			}
		}
		return f, nil
	}
	if l.Source == nil || l.Source.Site == "" {
		f.Reason = "not assessed: the line names no source site"
		return f, nil
	}
	f.Site = l.Source.Site
	if l.Quantity.Sign() <= 0 {
		f.Reason = "not assessed: the line gives no quantity"
		return f, nil
	}
	if p.Period.From.IsZero() {
		f.Reason = "not assessed: the plan gives no period"
		return f, nil
	}
	pos := l.Pos
	if pos.Path == "" {
		pos.Path = fmt.Sprintf("lines[%d]", l.Index)
	}
	at := func(field string) tradeplan.Position {
		q := pos
		q.Path += "." + field
		return q
	}
	site := sites.Site(l.Source.Site)
	if site == nil {
		probs.Add(at("source.site"), "", "unknown site %q: %s names no such site (its sites: %s)", l.Source.Site, sites.File, strings.Join(sites.IDs(), ", "))
		return f, nil
	}
	f.Site = site.ID
	hs := l.HS
	if lr != nil && lr.HS.Code != "" {
		hs = lr.HS.Code
	}
	proc := site.Match(hs, l.Description)
	if proc == nil {
		probs.Add(pos, "", "no process of site %s (%s) makes %q (HS %s): give the site a process whose output or hs matches the line", site.ID, sites.File, l.Description, orNone(hs))
		return f, nil
	}
	f.Process = proc.ID
	lu, ok := tradeplan.LookupUnit(l.Unit)
	if !ok {
		probs.Add(at("unit"), "", "unknown unit %q", l.Unit)
		return f, nil
	}
	cu, factor := canonical(lu)
	if cu != proc.Unit {
		probs.Add(at("unit"), "", "the line is in %s, process %s of site %s makes %s counted in %s: state the line in a unit of the same kind", l.Unit, proc.ID, site.ID, proc.Output, proc.Unit)
		return f, nil
	}
	f.Assessed = true
	f.DefaultsUsed = proc.Defaults
	out := proc.Rate * proc.Availability * proc.Yield // output per running line-hour
	j := &job{line: l, f: f, site: site, proc: proc, factor: factor, target: l.Quantity.Float64() * factor,
		in: 1 / proc.Yield, lh: 1 / out, wh: float64(proc.Crew) / out, kwh: proc.KWhPerOutput}
	return f, j
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Site returns the site of an id or a name (case and spacing aside), or
// nil.
func (s *Sites) Site(ref string) *Site {
	s.once.Do(func() {
		s.byKey = make(map[string]*Site, 2*len(s.Sites))
		for _, st := range s.Sites {
			if k := itemKey(st.Name); k != "" {
				s.byKey[k] = st
			}
		}
		for _, st := range s.Sites { // an id wins over a name
			s.byKey[itemKey(st.ID)] = st
		}
	})
	return s.byKey[itemKey(ref)]
}

// IDs lists the sites' ids.
func (s *Sites) IDs() []string {
	ids := make([]string, len(s.Sites))
	for i, st := range s.Sites {
		ids[i] = st.ID
	}
	return ids
}

// Match returns the process of the site that makes goods of HS code hs or
// of the description: the longest HS match first (either code a prefix of
// the other), else an output named in the description.
func (st *Site) Match(hs, desc string) *Process {
	var best *Process
	bestLen := 0
	for _, pr := range st.Processes {
		if pr.HS == "" || hs == "" {
			continue
		}
		if strings.HasPrefix(hs, pr.HS) || strings.HasPrefix(pr.HS, hs) {
			if n := min(len(pr.HS), len(hs)); n > bestLen {
				best, bestLen = pr, n
			}
		}
	}
	if best != nil {
		return best
	}
	d := itemKey(desc)
	for _, pr := range st.Processes {
		if o := itemKey(pr.Output); o != "" && (d == o || strings.Contains(d, o) || strings.Contains(o, d) && d != "") {
			return pr
		}
	}
	return nil
}

// WorkingDays counts the working days from from to to (inclusive) when
// the week has perWeek working days: Monday first, so 6 leaves Sunday off
// and 5 the weekend.
func WorkingDays(from, to time.Time, perWeek int) int {
	if to.Before(from) {
		return 0
	}
	days := int(to.Sub(from).Hours()/24+0.5) + 1
	n := days / 7 * perWeek
	for d := from.AddDate(0, 0, days/7*7); !d.After(to); d = d.AddDate(0, 0, 1) {
		if (int(d.Weekday())+6)%7 < perWeek {
			n++
		}
	}
	return n
}

// resources is what a site has for the period under one pattern, and
// what the lines solved so far have used of it.
type resources struct {
	pat      Pattern
	days     int
	present  float64            // workers present on a day
	item     map[string]float64 // input available, by item: the storage limit when the site has one
	free     map[string]float64 // input available were storage not limited
	itemText map[string]string  // how it was made up
	stored   map[string]string  // how storage limited it
	kwh      float64            // +Inf when not limited
	lineH    map[*Process]float64
	staffH   map[*Process]float64 // line-hours the workers can staff, process alone
	staffed  map[*Process]int
	workerH  float64
}

func newResources(st *Site, per tradeplan.Period, pat Pattern) *resources {
	pol := st.Policy
	r := &resources{pat: pat, days: WorkingDays(per.From, per.To, pol.DaysPerWeek), present: st.Workers * (1 - pol.Absence),
		item: map[string]float64{}, free: map[string]float64{}, itemText: map[string]string{}, stored: map[string]string{},
		lineH: map[*Process]float64{}, staffH: map[*Process]float64{}, staffed: map[*Process]int{}}
	d := float64(r.days)
	nh := float64(pat.Shifts) * pat.Hours
	r.workerH = r.present * pat.Hours * d
	r.kwh = math.Inf(1)
	if st.PowerGiven {
		r.kwh = st.KWhPerDay * d
	}
	// Throughput of the item's processes at full speed, for perishables.
	through := map[string]float64{}
	for _, pr := range st.Processes {
		r.lineH[pr] = float64(pr.Lines) * nh * d
		staffed := min(pr.Lines, int(math.Floor(r.present/float64(pr.Crew*pat.Shifts)+1e-9)))
		r.staffed[pr] = staffed
		r.staffH[pr] = float64(staffed) * nh * d
		through[pr.inputKey] += float64(pr.Lines) * pr.Rate * pr.Availability * nh
	}
	var stock, supply, lost = map[string]float64{}, map[string]float64{}, map[string]float64{}
	var received []float64 // by receipt: what the store had room for
	refused := map[string]float64{}
	if st.StorageGiven {
		received = storeReceipts(st, per, through)
	}
	for i, rc := range st.Receipts {
		k := rc.key
		at := rc.At
		if at.IsZero() {
			at = per.From
		}
		if at.After(per.To) {
			continue // arrives after the period
		}
		q := rc.Quantity
		if rc.ShelfDays > 0 {
			start := at
			if start.Before(per.From) {
				start = per.From
			}
			end := at.AddDate(0, 0, rc.ShelfDays-1)
			if end.After(per.To) {
				end = per.To
			}
			usable := through[k] * float64(WorkingDays(start, end, pol.DaysPerWeek))
			if usable < q {
				lost[k] += q - usable
				q = usable
			}
		}
		if rc.Stock {
			stock[k] += q
		} else {
			supply[k] += q
		}
		r.free[k] += q
		if received != nil && received[i] < q {
			// What the store had no room for; what it took may still spoil.
			refused[k] += q - received[i]
			q = received[i]
		}
		r.item[k] += q
	}
	for k, q := range refused {
		r.stored[k] = fmt.Sprintf("; %s refused for want of room in a store of %s t", fig3(q), fig(st.StorageT))
	}
	for k := range r.item {
		t := fmt.Sprintf("stock %s + supply %s", fig3(stock[k]), fig3(supply[k]))
		if lost[k] > 0 {
			t += fmt.Sprintf(" (%s past its shelf life before it could be processed)", fig3(lost[k]))
		}
		r.itemText[k] = t
	}
	return r
}

// limits is what each constraint allows a job given what is left.
type limits struct {
	material, storage, lineHours, labour, power float64
}

func (r *resources) limits(j *job, left *usage) limits {
	k := j.proc.inputKey
	var l limits
	l.material = math.Max(0, r.free[k]-left.item[k]) / j.in
	l.storage = math.Max(0, r.item[k]-left.item[k]) / j.in
	l.lineHours = math.Max(0, r.lineH[j.proc]-left.lineH[j.proc]) / j.lh
	l.labour = math.Min(math.Max(0, r.staffH[j.proc]-left.lineH[j.proc])/j.lh, math.Max(0, r.workerH-left.workerH)/j.wh)
	l.power = math.Inf(1)
	if j.kwh > 0 {
		l.power = math.Max(0, r.kwh-left.kwh) / j.kwh
	}
	return l
}

func (l limits) min() (float64, string) {
	best, name := l.material, "material"
	if l.storage < best-1e-9 {
		best, name = l.storage, "storage"
	}
	if l.lineHours < best-1e-9 {
		best, name = l.lineHours, "line_hours"
	}
	if l.labour < best-1e-9 {
		best, name = l.labour, "labour"
	}
	if l.power < best-1e-9 {
		best, name = l.power, "power"
	}
	return best, name
}

// usage is what some lines draw of a site's resources.
type usage struct {
	item    map[string]float64
	lineH   map[*Process]float64
	workerH float64
	kwh     float64
}

func newUsage() *usage { return &usage{item: map[string]float64{}, lineH: map[*Process]float64{}} }

func (u *usage) add(j *job, q float64) {
	u.item[j.proc.inputKey] += q * j.in
	u.lineH[j.proc] += q * j.lh
	u.workerH += q * j.wh
	u.kwh += q * j.kwh
}

// usageOf is what the jobs other than skip draw at allocations alloc;
// only the jobs before skip in plan order when earlier is set.
func usageOf(jobs []*job, alloc []float64, skip int, earlier bool) *usage {
	u := newUsage()
	for i, j := range jobs {
		if i == skip || earlier && i > skip {
			continue
		}
		u.add(j, alloc[i])
	}
	return u
}

// greedy allocates in plan order.
func greedy(r *resources, jobs []*job) []float64 {
	alloc := make([]float64, len(jobs))
	u := newUsage()
	for i, j := range jobs {
		c, _ := r.limits(j, u).min()
		alloc[i] = math.Max(0, math.Min(j.target, c))
		u.add(j, alloc[i])
	}
	return alloc
}

// weights: each line's shortfall counts as a share of its target (lines
// in tonnes and in pieces weigh alike), and an earlier line a little more
// than a later one, so that ties go in plan order as in the greedy pass.
func weights(jobs []*job) []float64 {
	w := make([]float64, len(jobs))
	for i, j := range jobs {
		w[i] = (1 + 1e-6*float64(len(jobs)-i)) / j.target
	}
	return w
}

func shortfall(jobs []*job, alloc []float64) float64 {
	s := 0.0
	for i, w := range weights(jobs) {
		s += w * math.Max(0, jobs[i].target-alloc[i])
	}
	return s
}

// solveSite solves the lines of one site under each pattern the policy
// allows, keeps the first under which every line is met (else the one of
// least weighted shortfall) and writes each line's block.
func solveSite(st *Site, jobs []*job, per tradeplan.Period, solver string) {
	var best *resources
	var bestAlloc []float64
	bestShort := math.Inf(1)
	res := make([]*resources, len(st.Patterns()))
	for i, pat := range st.Patterns() {
		res[i] = newResources(st, per, pat)
	}
	for _, r := range res {
		var alloc []float64
		if solver == LP {
			alloc = solveLP(r, jobs)
		} else {
			alloc = greedy(r, jobs)
		}
		sh := shortfall(jobs, alloc)
		if sh < bestShort-1e-9 {
			best, bestAlloc, bestShort = r, alloc, sh
		}
		if sh <= 1e-9 {
			break
		}
	}
	if best == nil {
		for _, j := range jobs {
			j.f.Reason = fmt.Sprintf("no shift pattern of the site file is allowed by the policy (at most %s hours a day and %s a week, %d days a week)",
				fig(st.Policy.MaxHoursPerDay), fig(st.Policy.MaxHoursPerWeek), st.Policy.DaysPerWeek)
			j.f.Target = j.target / j.factor
			j.f.Proposal = &tradeplan.Proposal{Reason: j.f.Reason}
		}
		return
	}
	for i, j := range jobs {
		j.alloc = bestAlloc[i]
		u := usageOf(jobs, bestAlloc, i, solver != LP)
		write(st, best, res, j, u)
		j.f.Solver = solver
	}
}

// Patterns lists the site file's shift patterns the site's policy allows,
// in order.
func (st *Site) Patterns() []Pattern { return st.patterns }

// allow sets the site's patterns (those of the file its policy allows)
// and the keys its items are matched by.
func (st *Site) allow(all []Pattern) {
	for _, pr := range st.Processes {
		pr.inputKey = itemKey(pr.Input)
	}
	for i := range st.Receipts {
		st.Receipts[i].key = itemKey(st.Receipts[i].Item)
	}
	st.patterns = nil
	for _, p := range all {
		if st.Policy.Allowed(p) {
			st.patterns = append(st.patterns, p)
		}
	}
}

// write fills a job's block from the resources r under the chosen pattern
// and the usage u of the other lines.
func write(st *Site, r *resources, res []*resources, j *job, u *usage) {
	f := j.f
	l := r.limits(j, u)
	capacity, binding := l.min()
	to := func(v float64) float64 { return round3(v / j.factor) }
	f.Target = to(j.target)
	f.Quantity = to(math.Min(j.alloc, j.target))
	f.Capacity = to(capacity)
	f.Binding = binding
	f.Pattern = r.pat.String()
	f.HoursPerWorkerDay = r.pat.Hours
	f.HoursPerWorkerWeek = r.pat.Hours * float64(st.Policy.DaysPerWeek)
	f.WorkingDays = r.days
	pr := j.proc
	k := pr.inputKey
	pu := pr.InputUnit
	d := float64(r.days)
	cons := []tradeplan.Constraint{
		{Name: "material", Limit: l.material, Detail: fmt.Sprintf("%s - %s taken by other lines = %s %s of %s, x yield %s",
			orText(r.itemText[k], "no stock or supply"), fig3(u.item[k]), fig3(math.Max(0, r.free[k]-u.item[k])), pu, pr.Input, fig(pr.Yield))},
		{Name: "line_hours", Limit: l.lineHours, Detail: fmt.Sprintf("%d lines x %s %s/h x availability %s x %s h/day x %s days x yield %s, less %s line-hours of other lines",
			pr.Lines, fig(pr.Rate), pu, fig(pr.Availability), r.pat, fig(d), fig(pr.Yield), fig3(u.lineH[pr]))},
		{Name: "labour", Limit: l.labour, Detail: fmt.Sprintf("%s workers x (1 - absence %s) = %s present; crews of %d x %d shifts staff %d of %d lines; %s worker-hours, less %s of other lines",
			fig(st.Workers), fig(st.Policy.Absence), fig3(r.present), pr.Crew, r.pat.Shifts, r.staffed[pr], pr.Lines, fig3(r.workerH), fig3(u.workerH))},
	}
	if st.StorageGiven {
		cons = append(cons, tradeplan.Constraint{Name: "storage", Limit: l.storage, Detail: fmt.Sprintf("what a store of %s t could take of %s as it arrived%s, - %s taken by other lines, x yield %s",
			fig(st.StorageT), pr.Input, orText(r.stored[k], ": all of it"), fig3(u.item[k]), fig(pr.Yield))})
	}
	if !math.IsInf(l.power, 1) {
		cons = append(cons, tradeplan.Constraint{Name: "power", Limit: l.power, Detail: fmt.Sprintf("%s kWh/day x %s days, less %s kWh of other lines, / %s kWh per %s",
			fig(st.KWhPerDay), fig(d), fig3(u.kwh), fig(j.kwh), pr.Unit)})
	}
	for i := range cons {
		c := &cons[i]
		c.Limit = to(c.Limit)
		c.Slack = round3(math.Max(0, c.Limit-f.Quantity))
	}
	if strings.Contains(cons[0].Detail, "past its shelf life") {
		f.Reason = "perishable input: only what can be processed within its shelf life counts"
	}
	f.Constraints = cons
	f.Proposal = propose(st, res, j, u)
	f.ExtraWorkers = f.Proposal.ExtraWorkers
	if f.Quantity < f.Target && f.Reason == "" {
		f.Reason = fmt.Sprintf("short by %s %s: %s binds", fig3(f.Target-f.Quantity), f.Unit, binding)
	}
}

// propose finds the first allowed pattern under which the job's target is
// met given the others' usage u: with the site's workers, or else with
// extra workers.
func propose(st *Site, res []*resources, j *job, u *usage) *tradeplan.Proposal {
	pol := st.Policy
	mk := func(pat Pattern, extra int) *tradeplan.Proposal {
		return &tradeplan.Proposal{Met: true, Pattern: pat.String(), HoursPerWorkerDay: pat.Hours,
			HoursPerWorkerWeek: pat.Hours * float64(pol.DaysPerWeek), ExtraWorkers: extra}
	}
	const tol = 1e-9
	for _, r := range res {
		if c, _ := r.limits(j, u).min(); c >= j.target*(1-tol) {
			return mk(r.pat, 0)
		}
	}
	reason := ""
	for _, r := range res {
		pat := r.pat
		l := r.limits(j, u)
		if m := math.Min(l.storage, math.Min(l.lineHours, l.power)); m < j.target*(1-tol) {
			if reason == "" {
				_, b := limits{material: l.material, storage: l.storage, lineHours: l.lineHours, labour: math.Inf(1), power: l.power}.min()
				reason = fmt.Sprintf("no pattern the policy allows meets the target: %s binds even with more workers", b)
			}
			continue
		}
		// Workers for the line-hours the process needs, in whole crews
		// per shift, and for the worker-hours of every line of the site.
		needLH := u.lineH[j.proc] + j.target*j.lh
		perLine := float64(pat.Shifts) * pat.Hours * float64(r.days)
		lines := math.Ceil(needLH/perLine - tol)
		need := math.Max(lines*float64(j.proc.Crew*pat.Shifts), (u.workerH+j.target*j.wh)/(pat.Hours*float64(r.days)))
		extra := int(math.Ceil(need/(1-pol.Absence) - st.Workers - tol))
		return mk(pat, max(extra, 0))
	}
	if len(st.Patterns()) == 0 {
		reason = "no shift pattern of the site file is allowed by the policy"
	}
	return &tradeplan.Proposal{Reason: reason}
}

func round3(v float64) float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	return math.Round(v*1000) / 1000
}

func fig3(v float64) string { return fig(round3(v)) }

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// storeReceipts follows a site's store through the period, day by day,
// and returns for each receipt what the store had room for. On each day
// the lots past their shelf life leave the store; the receipts of the day
// come in as far as the store has room (stock on hand first, in the order
// of the file), the rest is refused; then, on a working day, the site's
// lines draw their input at full speed, the lot that spoils first first.
// Only items counted by mass occupy the store.
func storeReceipts(st *Site, per tradeplan.Period, through map[string]float64) []float64 {
	type lot struct {
		key    string
		left   float64
		expiry time.Time // zero: does not spoil
	}
	received := make([]float64, len(st.Receipts))
	byDay := map[time.Time][]int{}
	for i, rc := range st.Receipts {
		at := rc.At
		if at.IsZero() || at.Before(per.From) {
			at = per.From
		}
		if at.After(per.To) {
			continue
		}
		if st.unitOfItems[rc.key] != "t" {
			received[i] = rc.Quantity
			continue
		}
		byDay[at] = append(byDay[at], i)
	}
	var lots []*lot
	held := 0.0
	for d := per.From; !d.After(per.To); d = d.AddDate(0, 0, 1) {
		kept := lots[:0]
		for _, l := range lots {
			if !l.expiry.IsZero() && l.expiry.Before(d) {
				held -= l.left
				continue
			}
			kept = append(kept, l)
		}
		lots = kept
		for _, i := range byDay[d] {
			rc := st.Receipts[i]
			take := math.Max(0, math.Min(rc.Quantity, st.StorageT-held))
			received[i] = take
			if take <= 0 {
				continue
			}
			held += take
			l := &lot{key: rc.key, left: take}
			if rc.ShelfDays > 0 {
				start := rc.At
				if start.IsZero() {
					start = per.From
				}
				l.expiry = start.AddDate(0, 0, rc.ShelfDays-1)
			}
			lots = append(lots, l)
		}
		if (int(d.Weekday())+6)%7 >= st.Policy.DaysPerWeek {
			continue
		}
		sort.SliceStable(lots, func(a, b int) bool {
			ea, eb := lots[a].expiry, lots[b].expiry
			return !ea.IsZero() && (eb.IsZero() || ea.Before(eb))
		})
		draw := map[string]float64{}
		for k, v := range through {
			draw[k] = v
		}
		for _, l := range lots {
			take := math.Min(l.left, draw[l.key])
			l.left -= take
			draw[l.key] -= take
			held -= take
		}
	}
	return received
}
