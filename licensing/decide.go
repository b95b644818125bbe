package licensing

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// The licence decision in one place. Approving a line, in full or reduced,
// singly or in bulk, goes through decide, in the transaction that records
// the decision and issues the permit. It re-derives everything the licence
// rests on from the stored facts at that moment: the organisation's country
// and the line's route, the days the permit can be used, the text as
// written, the lists, rules and caps current now, and the compliance
// decisions bound to their facts. What was screened when the plan arrived
// is a preview for the people deciding, never the licence's ground.

// resolvePlan settles a plan of organisation org for call c: its country is
// the organisation's (a document that names another is refused), every
// line's date falls within the call's period, and every line's route makes
// sense for the country: an export leaves it, an import arrives in it. A
// missing origin of an export or destination of an import is the country.
// All problems come back at once, at their line and field.
func resolvePlan(org tradeplan.Organisation, c tradeplan.Call, p *tradeplan.Plan) error {
	var ps tradeplan.Problems
	if org.Country == "" {
		return tradeplan.Errorf(tradeplan.EInvalid, "organisation %d (%s) has no country: an administrator must set it before it can plan trade", org.ID, org.Name)
	}
	if p.Country != "" && p.Country != org.Country {
		ps.Add(tradeplan.Position{Path: "country"}, "", "a plan's country is its organisation's, %s: the document says %s", org.Country, p.Country)
	}
	p.Country = org.Country
	span := c.Span()
	for i := range p.Lines {
		l := &p.Lines[i]
		path := fmt.Sprintf("lines[%d]", i+1)
		if !l.Date.IsZero() && !span.Contains(l.Date) {
			ps.Add(tradeplan.Position{Path: path + ".date"}, "", "%s is outside the period %s of call %d (%s to %s)",
				l.Date.Format(time.DateOnly), c.Period, c.ID, c.From.Format(time.DateOnly), c.To.Format(time.DateOnly))
		}
		ps = append(ps, resolveRoute(l, org.Country, path)...)
	}
	return ps.Err("plan")
}

// resolveRoute checks a line's route against the plan's country and fills
// in the side that is the country when it is left out, or the direction
// when the route gives it. Transit through the
// country is not a plan line: it is refused here.
func resolveRoute(l *tradeplan.Line, country, path string) tradeplan.Problems {
	var ps tradeplan.Problems
	at := func(f string) tradeplan.Position { return tradeplan.Position{Path: path + "." + f} }
	if l.Direction == "" {
		// A line file of customs records gives the route, not the
		// direction: the side that is the plan's country says it.
		switch {
		case l.Origin == country && l.Destination != country:
			l.Direction = tradeplan.Export
		case l.Destination == country && l.Origin != country:
			l.Direction = tradeplan.Import
		default:
			ps.Add(at("direction"), "", "is empty and the route does not say it: give export or import, or an origin or a destination that is %s, the plan's country (origin %q, destination %q)",
				country, l.Origin, l.Destination)
			return ps
		}
	}
	switch l.Direction {
	case tradeplan.Export:
		switch l.Origin {
		case "":
			l.Origin = country
		case country:
		default:
			ps.Add(at("origin"), "", "an export of a plan of %s leaves %s: origin must be %s or left out; got %s", country, country, country, l.Origin)
		}
		if l.Destination == country {
			ps.Add(at("destination"), "", "an export of a plan of %s goes abroad: destination may not be %s", country, country)
		}
	case tradeplan.Import:
		switch l.Destination {
		case "":
			l.Destination = country
		case country:
		default:
			ps.Add(at("destination"), "", "an import of a plan of %s arrives in %s: destination must be %s or left out; got %s", country, country, country, l.Destination)
		}
		if l.Origin == country {
			ps.Add(at("origin"), "", "an import of a plan of %s comes from abroad: origin may not be %s", country, country)
		}
	}
	return ps
}

// validity is the window a permit issued now for call c can be used in:
// from the first day of the period, or today once it has begun, to its
// last day.
func validity(c tradeplan.Call, now time.Time) (from, to time.Time, err error) {
	from = c.From
	if today := asOf(c, now); today.After(from) {
		from = today
	}
	if from.After(c.To) {
		return from, c.To, tradeplan.Errorf(tradeplan.EConflict, "the period %s of call %d ended on %s: no permit can be issued for it", c.Period, c.ID, c.To.Format(time.DateOnly))
	}
	return from, c.To, nil
}

type inTransactionKey struct{}

// InTransaction reports whether ctx is that of a Service transaction that
// screens (a licence decision, a permit use): the screener's lists were
// brought up to date just before it began (Config.Refresh).
func InTransaction(ctx context.Context) bool { return ctx.Value(inTransactionKey{}) != nil }

// beforeScreening refreshes the screener's lists and marks ctx as that of
// the transaction about to begin.
func (s *Service) beforeScreening(ctx context.Context) context.Context {
	if s.refresh != nil {
		s.refresh(ctx)
	}
	return context.WithValue(ctx, inTransactionKey{}, true)
}

// txUsage reads caps and general match decisions inside the decision's
// transaction, so that the screening sees what the transaction sees.
type txUsage struct{ tx Tx }

func (u txUsage) CapUsed(ctx context.Context, capID string, from, to time.Time) (tradeplan.Decimal, error) {
	return u.tx.CapUsed(ctx, capID, from, to)
}

func (u txUsage) MatchDecision(ctx context.Context, query, list, entryID string) (tradeplan.MatchDecision, bool, error) {
	return u.tx.MatchDecision(ctx, query, list, entryID)
}

// maxScreenDays bounds the days a decision screens a line on.
const maxScreenDays = 128

// screenValidity screens line l as licensed, on every day within [from, to]
// on which its verdict may change: the first and last days, each day a rule
// comes into force or lapses, and the first day of each cap window the
// validity reaches.
func (s *Service) screenValidity(ctx context.Context, tx Tx, p tradeplan.Plan, l tradeplan.Line, from, to time.Time) ([]time.Time, []tradeplan.LineReport, error) {
	if s.screen == nil {
		return nil, nil, tradeplan.Errorf(tradeplan.EInternal, "no screener configured: no licence can be decided")
	}
	days := []time.Time{from}
	seen := map[time.Time]bool{from: true}
	if s.changes != nil {
		for _, d := range s.changes(from, to) {
			if !seen[d] {
				seen[d] = true
				days = append(days, d)
			}
		}
	}
	var reps []tradeplan.LineReport
	for i := 0; i < len(days); i++ {
		if i == maxScreenDays {
			return nil, nil, tradeplan.Errorf(tradeplan.EConflict, "line %d: its validity %s to %s spans more than %d cap windows", l.Index, from.Format(time.DateOnly), to.Format(time.DateOnly), maxScreenDays)
		}
		p.Lines = []tradeplan.Line{l}
		r, err := s.screen(ctx, &p, days[i], txUsage{tx})
		if err != nil {
			return nil, nil, fmt.Errorf("screen line %d as of %s: %w", l.Index, days[i].Format(time.DateOnly), err)
		}
		if len(r.Lines) != 1 {
			return nil, nil, fmt.Errorf("screen line %d: %d lines reported for 1", l.Index, len(r.Lines))
		}
		reps = append(reps, r.Lines[0])
		for _, f := range r.Lines[0].Findings {
			if f.Cap == nil {
				continue
			}
			if next := f.Cap.To.AddDate(0, 0, 1); !next.After(to) && !seen[next] {
				seen[next] = true
				days = append(days, next)
			}
		}
		if i == len(days)-1 && !seen[to] {
			seen[to] = true
			days = append(days, to)
		}
	}
	return days, reps, nil
}

// decide is the licence decision on line st approved as d: the one place
// where a permit is issued. It runs in the transaction that records it.
func (s *Service) decide(ctx context.Context, tx Tx, a tradeplan.Actor, r reviewCtx, st LineState, d tradeplan.LineDecision) (tradeplan.LineDecision, tradeplan.Permit, error) {
	now := s.now()
	idx := st.Line.Index
	from, to, err := validity(r.call, now)
	if err != nil {
		return d, tradeplan.Permit{}, err
	}
	org, err := tx.Organisation(ctx, r.rec.Organisation)
	if err != nil {
		return d, tradeplan.Permit{}, err
	}
	// The facts as stored, resolved again: the organisation's country, the
	// route and the date.
	p := tradeplan.Plan{ID: fmt.Sprint(r.rec.ID), Organisation: r.ver.Plan.Organisation, Country: r.ver.Plan.Country,
		Period: r.call.Span(), Lines: []tradeplan.Line{st.Line}}
	if err := resolvePlan(org, r.call, &p); err != nil {
		return d, tradeplan.Permit{}, conflict(err, idx)
	}
	if slug := CrossingSlug(p.Lines[0].Crossing); slug != "" {
		c, err := tx.Crossing(ctx, slug)
		switch {
		case err == nil && len(c.Countries) > 0 && !contains(c.Countries, org.Country):
			return d, tradeplan.Permit{}, tradeplan.Errorf(tradeplan.EConflict, "line %d cannot be licensed: crossing %s joins %s, not %s, the country of the plan",
				idx, c.ID, strings.Join(c.Countries, " and "), org.Country)
		case err == nil:
			// A crossing between two countries leads to the other one: the
			// goods of an export through it go there, those of an import
			// come from there, whatever the line names ("diesel to Hong
			// Kong" through Dandong-Sinuiju goes to the DPRK). A line that
			// names no country there is screened as going there.
			if other := otherSide(c.Countries, org.Country); other != "" {
				l := &p.Lines[0]
				side, named := "to", &l.Destination
				if l.Direction == tradeplan.Import {
					side, named = "from", &l.Origin
				}
				if *named == "" {
					*named = other
				}
				if !strings.EqualFold(*named, other) {
					return d, tradeplan.Permit{}, tradeplan.Errorf(tradeplan.EConflict, "line %d cannot be licensed: crossing %s joins %s: goods of an %s through it go %s %s, not %s %s as the line says",
						idx, c.ID, strings.Join(c.Countries, " and "), l.Direction, side, other, side, *named)
				}
			}
		case tradeplan.ErrorCode(err) != tradeplan.ENotFound:
			return d, tradeplan.Permit{}, err
		}
	}
	// The line as licensed: the quantity and value approved, the reviewer's
	// code, and no date of its own (the rules are read on the days the
	// permit can be used).
	l := p.Lines[0]
	l.Index, l.Date, l.Quantity, l.Value = idx, time.Time{}, d.Quantity, d.Value
	if st.Assessment != nil {
		l.HS = st.Assessment.HS
	}
	days, reps, err := s.screenValidity(ctx, tx, p, l, from, to)
	if err != nil {
		return d, tradeplan.Permit{}, err
	}
	if err := judge(st, l, days, reps, from, to); err != nil {
		return d, tradeplan.Permit{}, err
	}
	caps, err := s.takeCaps(ctx, tx, l, reps)
	if err != nil {
		return d, tradeplan.Permit{}, err
	}
	d.Citations = nil
	for _, rep := range reps {
		fresh := LineState{Line: l, Report: &rep}
		for _, c := range fresh.Citations(tradeplan.Capped) {
			if !contains(d.Citations, c) {
				d.Citations = append(d.Citations, c)
			}
		}
	}
	code := PeriodCode(r.call.Span())
	seq, err := tx.NextPermitSeq(ctx, code)
	if err != nil {
		return d, tradeplan.Permit{}, err
	}
	hs := reps[0].HS.Code
	if hs == "" {
		hs = l.HS
	}
	if st.Assessment != nil {
		hs = st.Assessment.HS
	}
	pm := tradeplan.Permit{
		Number: FormatPermitNumber(code, l.Direction, seq), Holder: r.rec.Organisation, CallID: r.call.ID,
		PlanID: r.rec.ID, PlanVersion: r.ver.Version, Line: idx, Direction: l.Direction,
		Description: l.Description, HS: hs, Origin: l.Origin, Destination: l.Destination, Partner: l.Partner,
		Crossing: CrossingSlug(l.Crossing), Unit: l.Unit, Currency: l.Currency, Quantity: d.Quantity, Value: d.Value,
		ValidFrom: from, ValidTo: to, Status: tradeplan.PermitIssued, Caps: caps,
		Citations: d.Citations, IssuedBy: a.Label(), IssuedAt: now, UpdatedAt: now,
	}
	if err := tx.CreatePermit(ctx, &pm); err != nil {
		return d, pm, err
	}
	if err := sealPermit(ctx, tx, pm, r.call.Issuer); err != nil {
		return d, pm, err
	}
	d.PlanID, d.Version, d.PermitID, d.By, d.At = r.rec.ID, r.ver.Version, pm.ID, a.Label(), now
	if err := tx.AddDecision(ctx, d); err != nil {
		return d, pm, err
	}
	if err := tx.Audit(ctx, "line.approve", fmt.Sprintf("plan:%d/line:%d", r.rec.ID, idx), r.rec.Organisation, nil, d); err != nil {
		return d, pm, err
	}
	return d, pm, tx.Audit(ctx, "permit.issue", subject("permit", pm.ID), pm.Holder, nil, pm)
}

// conflict turns the problems of line idx's stored facts, resolved as the
// one line of a plan, into a conflict: the request was well formed, the
// plan is what stands in the way.
func conflict(err error, idx int) error {
	e := &tradeplan.Error{Code: tradeplan.EConflict, Message: fmt.Sprintf("line %d cannot be licensed as stored: amend the plan: %s", idx, tradeplan.ErrorMessage(err))}
	if te, ok := err.(*tradeplan.Error); ok {
		for _, p := range te.Problems {
			p.Pos.Path = strings.Replace(p.Pos.Path, "lines[1]", fmt.Sprintf("lines[%d]", idx), 1)
			e.Problems = append(e.Problems, p)
		}
	}
	return e
}

// judge applies the rules of approval to the screenings of the line as
// licensed, one per day in days: nothing prohibited on any day; every
// review finding decided and cleared by a decision bound to its facts; every
// cap draw counted in the cap's unit. A refusal shows the difference from
// the screening at submission.
func judge(st LineState, l tradeplan.Line, days []time.Time, reps []tradeplan.LineReport, from, to time.Time) error {
	idx := l.Index
	var prohibited, pending []tradeplan.Finding
	var upheld, units []string
	for _, rep := range reps {
		for i, f := range rep.Findings {
			switch {
			case f.Outcome == tradeplan.Prohibited && f.Cap != nil && f.Cap.Excess.Sign() > 0:
				// Crossing a cap: takeCaps decides under the cap's lock.
			case f.Outcome == tradeplan.Prohibited:
				prohibited = appendFinding(prohibited, f)
			case f.Outcome == tradeplan.Review:
				switch cd := st.complianceFor(FindingKey(rep.Findings, i), f, &l); {
				case cd == nil:
					pending = appendFinding(pending, f)
				case cd.Decision == tradeplan.ComplianceUpheld:
					upheld = append(upheld, cd.Finding+" ("+cd.Reason+")")
				}
			}
			if f.Cap != nil && f.Cap.Quantity.Sign() <= 0 && l.Quantity.Sign() > 0 {
				units = append(units, fmt.Sprintf("cap %s counts %s, and %s %s cannot be counted in it: amend the line with its quantity in %s or a unit that converts to it",
					f.Cap.Cap, f.Cap.Unit, fnum(l.Quantity), l.Unit, f.Cap.Unit))
			}
		}
	}
	was := "not screened"
	if st.Report != nil {
		was = st.Verdict().String()
	}
	window := fmt.Sprintf("%s to %s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	switch {
	case len(prohibited) > 0:
		e := prohibitedError(idx, prohibited)
		e.(*tradeplan.Error).Message = fmt.Sprintf("line %d is prohibited and can never be approved: screened now for its validity %s it is prohibited (it was %s when screened before)", idx, window, was)
		return e
	case len(units) > 0:
		return tradeplan.Errorf(tradeplan.EConflict, "line %d cannot be approved: %s", idx, strings.Join(units, "; "))
	case len(upheld) > 0:
		return tradeplan.Errorf(tradeplan.EConflict, "line %d cannot be approved: compliance upheld %s", idx, strings.Join(upheld, ", "))
	case len(pending) > 0:
		var ws []string
		for _, f := range pending {
			ws = append(ws, findingText(f))
		}
		e := tradeplan.Errorf(tradeplan.EConflict, "line %d needs a compliance officer's decision first: screened now for its validity %s it has %d review finding(s) no decision on these facts covers (it was %s when screened before): %s",
			idx, window, len(pending), was, strings.Join(ws, "; "))
		e.Err = &FindingsError{Line: idx, Findings: pending}
		return e
	}
	return nil
}

func appendFinding(fs []tradeplan.Finding, f tradeplan.Finding) []tradeplan.Finding {
	for _, g := range fs {
		if g.Summary == f.Summary && g.Kind == f.Kind {
			return fs
		}
	}
	return append(fs, f)
}

// takeCaps checks the line's draws on caps, in every cap window its
// validity reaches (one screening per window), against every issued permit,
// holding each cap's lock until the transaction ends. A permit's draw on a
// cap is stored once, spanning the windows it counts in, so that it counts
// in each of them.
func (s *Service) takeCaps(ctx context.Context, tx Tx, l tradeplan.Line, reps []tradeplan.LineReport) ([]tradeplan.CapUse, error) {
	type draw struct {
		u tradeplan.CapUse
		f tradeplan.Finding
	}
	var draws []draw
	seen := map[string]bool{}
	for _, rep := range reps {
		for _, f := range rep.Findings {
			if f.Cap == nil {
				continue
			}
			k := f.Cap.Cap + "\x00" + f.Cap.From.Format(time.DateOnly)
			if !seen[k] {
				seen[k] = true
				draws = append(draws, draw{*f.Cap, f})
			}
		}
	}
	// Lock in a fixed order so that two approvals never wait on each other.
	sort.Slice(draws, func(i, j int) bool {
		if draws[i].u.Cap != draws[j].u.Cap {
			return draws[i].u.Cap < draws[j].u.Cap
		}
		return draws[i].u.From.Before(draws[j].u.From)
	})
	var out []tradeplan.CapUse
	for _, dr := range draws {
		u := dr.u
		if err := tx.LockCap(ctx, u.Cap); err != nil {
			return nil, err
		}
		used, err := tx.CapUsed(ctx, u.Cap, u.From, u.To)
		if err != nil {
			return nil, err
		}
		// Exact: filling the cap is allowed, one smallest unit more is not
		// (docs/quantities.md).
		left := tradeplan.MaxDecimal(u.Limit.Sub(used), tradeplan.Decimal{})
		if u.Quantity.Cmp(left) > 0 {
			e := tradeplan.Errorf(tradeplan.EConflict, "cap %s: %s %s left of %s %s for %s to %s, and line %d needs %s",
				u.Cap, fnum(left), u.Unit, fnum(u.Limit), u.Unit, u.From.Format(time.DateOnly), u.To.Format(time.DateOnly), l.Index, fnum(u.Quantity))
			e.Err = &FindingsError{Line: l.Index, Findings: []tradeplan.Finding{dr.f}}
			return nil, e
		}
		u.Used, u.Remaining, u.Excess = used, tradeplan.MaxDecimal(left.Sub(u.Quantity), tradeplan.Decimal{}), tradeplan.Decimal{}
		if n := len(out); n > 0 && out[n-1].Cap == u.Cap {
			// The same cap in a later window: one draw spanning both.
			prev := &out[n-1]
			prev.To = u.To
			prev.Quantity = tradeplan.MaxDecimal(prev.Quantity, u.Quantity)
			prev.Used = tradeplan.MaxDecimal(prev.Used, u.Used)
			prev.Remaining = tradeplan.MinDecimal(prev.Remaining, u.Remaining)
			continue
		}
		out = append(out, u)
	}
	return out, nil
}

// CheckUnitValue checks goods of permit p at quantity and value (a use, a
// declaration, a reduced approval) against the goods rules on day on: a
// value per piece above a rule's threshold (luxury goods by unit value), or
// any other ban the goods meet at that quantity and value, is an EConflict
// error carrying the findings. Caps are not counted here: the permit's draw
// on them was taken when it was issued. screen is the Service's ScreenFunc.
func CheckUnitValue(ctx context.Context, screen ScreenFunc, p tradeplan.Permit, quantity, value tradeplan.Decimal, on time.Time) error {
	if screen == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no screener configured")
	}
	l := tradeplan.Line{Index: 1, Direction: p.Direction, Description: p.Description, HS: p.HS, Origin: p.Origin,
		Destination: p.Destination, Quantity: quantity, Unit: p.Unit, Value: value, Currency: p.Currency, Crossing: p.Crossing}
	r, err := screen(ctx, &tradeplan.Plan{ID: p.Number, Lines: []tradeplan.Line{l}}, on, nil)
	if err != nil {
		return fmt.Errorf("check unit value of permit %s: %w", p.Number, err)
	}
	if len(r.Lines) != 1 {
		return fmt.Errorf("check unit value of permit %s: %d lines reported for 1", p.Number, len(r.Lines))
	}
	var bad []tradeplan.Finding
	for _, f := range r.Lines[0].Findings {
		if f.Kind == tradeplan.KindGoods && f.Cap == nil && f.Outcome == tradeplan.Prohibited {
			bad = append(bad, f)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	e := tradeplan.Errorf(tradeplan.EConflict, "permit %s: %s %s worth %s %s is prohibited: %s", p.Number, fnum(quantity), p.Unit, fnum(value), p.Currency, findingText(bad[0]))
	e.Err = &FindingsError{Line: p.Line, Findings: bad}
	return e
}

// CheckUnitValue is CheckUnitValue with the Service's screener.
func (s *Service) CheckUnitValue(ctx context.Context, p tradeplan.Permit, quantity, value tradeplan.Decimal, on time.Time) error {
	return CheckUnitValue(ctx, s.screen, p, quantity, value, on)
}

// otherSide is the country across a crossing between two countries from
// country, or "" for a crossing of one country (a port) or of unknown sides.
func otherSide(countries []string, country string) string {
	if len(countries) != 2 {
		return ""
	}
	switch {
	case strings.EqualFold(countries[0], country):
		return strings.ToUpper(countries[1])
	case strings.EqualFold(countries[1], country):
		return strings.ToUpper(countries[0])
	}
	return ""
}
