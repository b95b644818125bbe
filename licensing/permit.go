package licensing

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// permitTransitions lists, for each status, the statuses a permit may move to.
// Revoked, expired and exhausted are final: a revoked permit is never
// reinstated (a new approval is needed), an expired one has no window left
// and an exhausted one no balance.
var permitTransitions = map[tradeplan.PermitStatus][]tradeplan.PermitStatus{
	tradeplan.PermitIssued:    {tradeplan.PermitSuspended, tradeplan.PermitRevoked, tradeplan.PermitExpired, tradeplan.PermitExhausted},
	tradeplan.PermitSuspended: {tradeplan.PermitIssued, tradeplan.PermitRevoked, tradeplan.PermitExpired},
}

// PermitStatuses lists every permit status.
var PermitStatuses = []tradeplan.PermitStatus{
	tradeplan.PermitIssued, tradeplan.PermitSuspended, tradeplan.PermitRevoked,
	tradeplan.PermitExpired, tradeplan.PermitExhausted,
}

// ValidPermitStatus reports whether s is a permit status.
func ValidPermitStatus(s tradeplan.PermitStatus) bool {
	for _, v := range PermitStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// CanTransition reports whether a permit may move from one status to another.
func CanTransition(from, to tradeplan.PermitStatus) bool {
	for _, s := range permitTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Transition moves p to status to, recording why, or returns an EConflict
// error saying why it may not.
func Transition(p *tradeplan.Permit, to tradeplan.PermitStatus, reason string, at time.Time) error {
	if !ValidPermitStatus(to) {
		return tradeplan.Errorf(tradeplan.EInvalid, "unknown permit status %q", to)
	}
	if !CanTransition(p.Status, to) {
		if p.Status == to {
			return tradeplan.Errorf(tradeplan.EConflict, "permit %s is already %s", p.Number, to)
		}
		return tradeplan.Errorf(tradeplan.EConflict, "permit %s is %s and cannot become %s", p.Number, p.Status, to)
	}
	p.Status = to
	p.StatusReason = reason
	p.UpdatedAt = at
	return nil
}

// Draw takes quantity and value from p's balances, exactly. A draw may not
// exceed a balance (one smallest unit more is refused); when the quantity
// balance (or a value balance the permit has) is used up, the permit becomes
// exhausted.
func Draw(p *tradeplan.Permit, quantity, value tradeplan.Decimal, at time.Time) error {
	var ps tradeplan.Problems
	if quantity.Sign() <= 0 {
		ps.Add(tradeplan.Position{Path: "quantity"}, "", "must be more than zero, got %s", quantity)
	} else if msg := tradeplan.CheckWhole(quantity, p.Unit); msg != "" {
		ps.Add(tradeplan.Position{Path: "quantity"}, "", "%s", msg)
	}
	if value.Sign() < 0 {
		ps.Add(tradeplan.Position{Path: "value"}, "", "must not be negative, got %s", value)
	}
	if err := ps.Err("permit use"); err != nil {
		return err
	}
	if p.Status != tradeplan.PermitIssued {
		return tradeplan.Errorf(tradeplan.EConflict, "permit %s is %s", p.Number, p.Status)
	}
	if left := p.QuantityLeft(); quantity.Cmp(left) > 0 {
		return tradeplan.Errorf(tradeplan.EConflict, "permit %s: %s %s requested, %s %s left", p.Number, quantity, p.Unit, left, p.Unit)
	}
	if left := p.ValueLeft(); p.Value.Sign() > 0 && value.Cmp(left) > 0 {
		return tradeplan.Errorf(tradeplan.EConflict, "permit %s: value %s %s requested, %s %s left", p.Number, value, p.Currency, left, p.Currency)
	}
	p.QuantityUsed = p.QuantityUsed.Add(quantity)
	p.ValueUsed = p.ValueUsed.Add(value)
	p.UpdatedAt = at
	if p.QuantityUsed.Cmp(p.Quantity) >= 0 || (p.Value.Sign() > 0 && p.ValueUsed.Cmp(p.Value) >= 0) {
		p.Status = tradeplan.PermitExhausted
		p.StatusReason = "balance used up"
	}
	return nil
}

// Within reports whether at falls in the permit's validity window: from
// its first day to the end of its last (the window Usable and the
// declaration flags both judge by).
func Within(p tradeplan.Permit, at time.Time) bool {
	return !at.Before(p.ValidFrom) && at.Before(endOfDay(p.ValidTo))
}

// endOfDay returns the first instant after day t (UTC).
func endOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// Usable reports whether goods may cross under p at crossing c at the given
// time, and if not, every reason why. Approval is not enough: the permit must
// be issued, within its window, with a balance left, and its crossing must be
// open.
func Usable(p tradeplan.Permit, c tradeplan.Crossing, at time.Time) (bool, string) {
	var why []string
	if p.Status != tradeplan.PermitIssued {
		r := fmt.Sprintf("permit %s is %s", p.Number, p.Status)
		if p.StatusReason != "" {
			r += ": " + p.StatusReason
		}
		why = append(why, r)
	}
	if at.Before(p.ValidFrom) {
		why = append(why, fmt.Sprintf("permit %s is valid from %s", p.Number, p.ValidFrom.Format(time.DateOnly)))
	}
	if !at.Before(endOfDay(p.ValidTo)) {
		why = append(why, fmt.Sprintf("permit %s was valid until %s", p.Number, p.ValidTo.Format(time.DateOnly)))
	}
	if p.QuantityLeft().Sign() <= 0 && p.Status == tradeplan.PermitIssued {
		why = append(why, fmt.Sprintf("permit %s has no balance left", p.Number))
	}
	if p.Crossing != "" && c.ID != p.Crossing {
		why = append(why, fmt.Sprintf("permit %s is for crossing %s, not %s", p.Number, p.Crossing, c.ID))
	} else if r := crossingLeadsElsewhere(p, c); r != "" {
		why = append(why, r)
	} else if c.Status != tradeplan.CrossingOpen {
		r := fmt.Sprintf("crossing %s is %s", c.ID, c.Status)
		if !c.Since.IsZero() {
			r += " since " + c.Since.UTC().Format(time.DateOnly)
		}
		if c.Reason != "" {
			r += ": " + c.Reason
		}
		why = append(why, r)
	}
	if len(why) > 0 {
		return false, strings.Join(why, "; ")
	}
	return true, ""
}

// EffectiveStatus is the permit's status as of at: an issued or suspended
// permit whose window has passed is expired even before the sweep that
// records it.
func EffectiveStatus(p tradeplan.Permit, at time.Time) tradeplan.PermitStatus {
	if (p.Status == tradeplan.PermitIssued || p.Status == tradeplan.PermitSuspended) && !at.Before(endOfDay(p.ValidTo)) {
		return tradeplan.PermitExpired
	}
	return p.Status
}

// CapDraw is how much of a cap a permit holds: all of its draw while it is
// issued or suspended (the goods may still cross), and only the share
// actually used once it is revoked, expired or exhausted: the draw times
// the share used, rounded half-even to the cap unit's places.
func CapDraw(p tradeplan.Permit, c tradeplan.CapUse) tradeplan.Decimal {
	switch p.Status {
	case tradeplan.PermitIssued, tradeplan.PermitSuspended:
		return c.Quantity
	}
	if p.Quantity.Sign() <= 0 {
		return tradeplan.Decimal{}
	}
	if p.QuantityUsed.Cmp(p.Quantity) >= 0 {
		return c.Quantity
	}
	d, _ := c.Quantity.Mul(p.QuantityUsed).QuoRound(p.Quantity, tradeplan.Places(c.Unit))
	return d
}

// Permit numbers read "TP-2027H1-I-000042-X": the prefix, the period, the
// direction (E export, I import), a sequence within the period, and a check
// character (Luhn mod 36 over the period, direction and sequence) that
// catches a mistyped or swapped character.
const permitPrefix = "TP"

// PermitNumber is a parsed permit number.
type PermitNumber struct {
	Period    string // "2027H1"
	Direction tradeplan.Direction
	Seq       int64
}

// PeriodCode turns a period into the compact form used in permit numbers:
// "2027-H1" -> "2027H1"; a period given by dates -> its first day, "20270101".
func PeriodCode(p tradeplan.Period) string {
	l := strings.ToUpper(strings.ReplaceAll(p.Label, "-", ""))
	if len(l) >= 4 && len(l) <= 6 && isAlnum(l) && isDigits(l[:4]) {
		return l
	}
	if p.From.IsZero() {
		return "0000"
	}
	return p.From.UTC().Format("20060102")
}

// FormatPermitNumber builds a permit number.
func FormatPermitNumber(periodCode string, dir tradeplan.Direction, seq int64) string {
	d := "I"
	if dir == tradeplan.Export {
		d = "E"
	}
	body := fmt.Sprintf("%s%s%06d", periodCode, d, seq)
	return fmt.Sprintf("%s-%s-%s-%06d-%c", permitPrefix, periodCode, d, seq, luhn36(body))
}

// ParsePermitNumber reads and checks a permit number.
func ParsePermitNumber(s string) (PermitNumber, error) {
	bad := func(why string) (PermitNumber, error) {
		return PermitNumber{}, tradeplan.Errorf(tradeplan.EInvalid, "permit number %q: %s (want TP-2027H1-I-000042-X)", s, why)
	}
	parts := strings.Split(strings.ToUpper(strings.TrimSpace(s)), "-")
	if len(parts) != 5 || parts[0] != permitPrefix {
		return bad("five parts separated by '-', starting TP")
	}
	period, d, seqs, check := parts[1], parts[2], parts[3], parts[4]
	if len(period) < 4 || len(period) > 8 || !isAlnum(period) || !isDigits(period[:4]) {
		return bad("the period must start with a year")
	}
	var dir tradeplan.Direction
	switch d {
	case "E":
		dir = tradeplan.Export
	case "I":
		dir = tradeplan.Import
	default:
		return bad("the direction must be E or I")
	}
	if len(seqs) < 6 || len(seqs) > 12 || !isDigits(seqs) {
		return bad("the sequence must be 6 to 12 digits")
	}
	seq, err := strconv.ParseInt(seqs, 10, 64)
	if err != nil {
		return bad("the sequence is out of range")
	}
	if len(check) != 1 || rune(check[0]) != luhn36(period+d+seqs) {
		return bad("the check character does not match")
	}
	return PermitNumber{Period: period, Direction: dir, Seq: seq}, nil
}

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// luhn36 is the Luhn mod N check character over 0-9A-Z.
func luhn36(s string) rune {
	const n = len(alnum)
	factor, sum := 2, 0
	for i := len(s) - 1; i >= 0; i-- {
		code := strings.IndexByte(alnum, s[i])
		if code < 0 {
			code = 0
		}
		add := factor * code
		factor = 3 - factor
		sum += add/n + add%n
	}
	return rune(alnum[(n-sum%n)%n])
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(alnum, s[i]) < 0 {
			return false
		}
	}
	return s != ""
}

// crossingLeadsElsewhere says why goods of permit p may not pass crossing c
// of known sides: the crossing does not touch the holder's side of the
// route, or leads to another country than the permit's (a permit for
// goods to China used at a crossing into Russia). "" when it may.
func crossingLeadsElsewhere(p tradeplan.Permit, c tradeplan.Crossing) string {
	if len(c.Countries) == 0 {
		return ""
	}
	home, away := p.Origin, p.Destination
	if p.Direction == tradeplan.Import {
		home, away = p.Destination, p.Origin
	}
	if home == "" {
		return ""
	}
	if !slices.ContainsFunc(c.Countries, func(x string) bool { return strings.EqualFold(x, home) }) {
		return fmt.Sprintf("crossing %s joins %s, not %s, the permit's country", c.ID, strings.Join(c.Countries, " and "), home)
	}
	if other := otherSide(c.Countries, home); other != "" && !strings.EqualFold(other, away) {
		return fmt.Sprintf("crossing %s leads to %s, and permit %s is for goods %s %s", c.ID, other, p.Number,
			map[bool]string{true: "from", false: "to"}[p.Direction == tradeplan.Import], away)
	}
	return ""
}

// PermitView is a permit as shown: approval and the border are separate.
// Approved says the permit stands (issued); BorderOpen says whether its
// crossing is open now; Usable says whether goods may cross under it now,
// and Reason why not.
type PermitView struct {
	tradeplan.Permit
	Effective      tradeplan.PermitStatus   `json:"effective_status"`
	Approved       bool                     `json:"approved"`
	CrossingStatus tradeplan.CrossingStatus `json:"crossing_status,omitempty"`
	BorderOpen     bool                     `json:"border_open"`
	Usable         bool                     `json:"usable"`
	Reason         string                   `json:"reason,omitempty"`
	QuantityLeft   tradeplan.Decimal        `json:"quantity_left"`
	ValueLeft      tradeplan.Decimal        `json:"value_left"`
	Uses           []tradeplan.PermitUse    `json:"uses,omitempty"`
}

func viewPermit(p tradeplan.Permit, crossings map[string]tradeplan.Crossing, now time.Time) PermitView {
	v := PermitView{Permit: p, Effective: EffectiveStatus(p, now), QuantityLeft: p.QuantityLeft(), ValueLeft: p.ValueLeft()}
	v.Approved = v.Effective == tradeplan.PermitIssued
	c, ok := crossings[p.Crossing]
	if ok {
		v.CrossingStatus = c.Status
		v.BorderOpen = c.Status == tradeplan.CrossingOpen
	} else {
		c = tradeplan.Crossing{ID: p.Crossing, Status: tradeplan.CrossingClosed, Reason: "no such crossing is registered"}
		if p.Crossing == "" {
			c.Reason = "the permit names no crossing"
		}
	}
	v.Usable, v.Reason = Usable(p, c, now)
	return v
}

func (s *Service) crossingMap(ctx context.Context, tx Tx) (map[string]tradeplan.Crossing, error) {
	cs, err := tx.Crossings(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]tradeplan.Crossing, len(cs))
	for _, c := range cs {
		m[c.ID] = c
	}
	return m, nil
}

// Permits lists the permits the actor may see.
func (s *Service) Permits(ctx context.Context, a tradeplan.Actor, f PermitFilter) ([]PermitView, error) {
	out := []PermitView{}
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		want := f.Holders
		if issuers == nil {
			f.Holders = intersect(f.Holders, orgs)
		} else {
			f.Holders, f.Issuers = orgs, issuers
		}
		ps, err := tx.Permits(ctx, f)
		if err != nil {
			return err
		}
		cm, err := s.crossingMap(ctx, tx)
		if err != nil {
			return err
		}
		now := s.now()
		for _, p := range ps {
			if issuers != nil && want != nil && !contains(want, p.Holder) {
				continue
			}
			out = append(out, viewPermit(p, cm, now))
		}
		return nil
	})
	return out, err
}

// intersect combines a requested filter with the visible set (nil: all).
func intersect(want, visible []int64) []int64 {
	if visible == nil {
		return want
	}
	if want == nil {
		return visible
	}
	out := []int64{}
	for _, w := range want {
		if contains(visible, w) {
			out = append(out, w)
		}
	}
	return out
}

func loadPermit(ctx context.Context, tx Tx, a tradeplan.Actor, id int64) (tradeplan.Permit, error) {
	p, err := tx.Permit(ctx, id)
	if err != nil {
		return p, err
	}
	if CanSeePlan(a, p.Holder) {
		return p, nil
	}
	// An authority sees the permits issued under its calls.
	c, err := tx.Call(ctx, p.CallID)
	if err != nil {
		return p, err
	}
	pr, err := loadPrincipal(ctx, tx, a)
	if err != nil {
		return p, err
	}
	if !pr.governs(p.Holder, c.Issuer) {
		return tradeplan.Permit{}, tradeplan.Errorf(tradeplan.ENotFound, "permit %d not found", id)
	}
	return p, nil
}

// Permit shows one permit with its uses.
func (s *Service) Permit(ctx context.Context, a tradeplan.Actor, id int64) (PermitView, error) {
	var v PermitView
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		p, err := loadPermit(ctx, tx, a, id)
		if err != nil {
			return err
		}
		cm, err := s.crossingMap(ctx, tx)
		if err != nil {
			return err
		}
		v = viewPermit(p, cm, s.now())
		if v.Uses, err = tx.PermitUses(ctx, id); err != nil {
			return err
		}
		if v.Uses == nil {
			v.Uses = []tradeplan.PermitUse{}
		}
		return nil
	})
	return v, err
}

// SetPermitStatus suspends, reinstates (issued) or revokes a permit, with a
// reason. Administrators and compliance officers over its holder only.
func (s *Service) SetPermitStatus(ctx context.Context, a tradeplan.Actor, id int64, to tradeplan.PermitStatus, reason string) (PermitView, error) {
	verb := map[tradeplan.PermitStatus]string{tradeplan.PermitSuspended: "suspend", tradeplan.PermitIssued: "reinstate", tradeplan.PermitRevoked: "revoke"}[to]
	if verb == "" {
		return PermitView{}, tradeplan.Errorf(tradeplan.EInvalid, "a permit can be set to suspended, issued or revoked by hand; got %q", to)
	}
	var v PermitView
	ctx = tradeplan.WithActor(ctx, a)
	if to == tradeplan.PermitIssued {
		ctx = s.beforeScreening(ctx) // a reinstatement screens the permit again
	}
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		// Another organisation's permit is not found, whatever the role.
		p, err := loadPermit(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActPermitStatus, p.Holder); err != nil {
			return err
		}
		if strings.TrimSpace(reason) == "" {
			return tradeplan.Errorf(tradeplan.EInvalid, "%s permit: reason is required", verb)
		}
		now := s.now()
		if EffectiveStatus(p, now) == tradeplan.PermitExpired && to != tradeplan.PermitRevoked {
			return tradeplan.Errorf(tradeplan.EConflict, "permit %s expired on %s", p.Number, p.ValidTo.Format(time.DateOnly))
		}
		if to == tradeplan.PermitIssued && p.Status == tradeplan.PermitSuspended {
			// Usable again: what remains of it is screened as the
			// re-screening screens it, and a permit no approval could
			// license today stays suspended (TestAttackReinstateProhibited).
			f, err := s.screenPermit(ctx, tx, p, now, map[int64]tradeplan.Organisation{}, map[string]screenOutcome{})
			if err != nil {
				return err
			}
			if f != nil {
				e := tradeplan.Errorf(tradeplan.EConflict, "permit %s cannot be reinstated: %s", p.Number, f.Message)
				if len(f.Citations) > 0 {
					e = tradeplan.Errorf(tradeplan.EConflict, "permit %s cannot be reinstated: %s (%s)", p.Number, f.Message, strings.Join(f.Citations, "; "))
				}
				return e
			}
		}
		before := p
		if err := Transition(&p, to, strings.TrimSpace(reason), now); err != nil {
			return err
		}
		if err := holdCrossingOf(ctx, tx, before, p); err != nil {
			return err
		}
		if err := tx.UpdatePermit(ctx, p); err != nil {
			return err
		}
		if err := tx.Audit(ctx, "permit."+verb, subject("permit", p.ID), p.Holder, before, p); err != nil {
			return err
		}
		cm, err := s.crossingMap(ctx, tx)
		v = viewPermit(p, cm, now)
		return err
	})
	return v, err
}

// UseInput is goods crossing under a permit.
type UseInput struct {
	Quantity  tradeplan.Decimal
	Value     tradeplan.Decimal
	Crossing  string // "" for the permit's own crossing
	Reference string
}

// UsePermit draws on a permit's balance for goods crossing now. It is
// refused unless the permit is usable at that crossing now: issued, within
// its window, with a balance, and the crossing open.
func (s *Service) UsePermit(ctx context.Context, a tradeplan.Actor, id int64, in UseInput) (PermitView, error) {
	if err := in.check(); err != nil {
		return PermitView{}, err
	}
	var v PermitView
	ctx = s.beforeScreening(tradeplan.WithActor(ctx, a))
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		p, err := loadPermit(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActUsePermit, p.Holder); err != nil {
			return err
		}
		cid := CrossingSlug(in.Crossing)
		if cid == "" {
			cid = p.Crossing
		}
		if cid == "" {
			return tradeplan.Errorf(tradeplan.EInvalid, "permit use: crossing is required: permit %s names none", p.Number)
		}
		c, err := tx.Crossing(ctx, cid)
		if err != nil {
			return err
		}
		now := s.now()
		if ok, why := Usable(p, c, now); !ok {
			return tradeplan.Errorf(tradeplan.EConflict, "permit %s cannot be used now: %s", p.Number, why)
		}
		if err := CheckUseUnitValue(p, in.Quantity, in.Value); err != nil {
			return err
		}
		// The goods at this use's quantity and value, under the rules of
		// today: a value per piece above a luxury threshold (a permit
		// approved with no value has no approved unit value to hold it to),
		// or a ban that came into force since the permit was issued.
		if err := s.CheckUnitValue(ctx, p, in.Quantity, in.Value, now); err != nil {
			return err
		}
		before := p
		if err := Draw(&p, in.Quantity, in.Value, now); err != nil {
			return err
		}
		u := tradeplan.PermitUse{PermitID: p.ID, Quantity: in.Quantity, Value: in.Value, Crossing: cid,
			Reference: strings.TrimSpace(in.Reference), By: a.Label(), At: now}
		if err := tx.AddPermitUse(ctx, &u); err != nil {
			return err
		}
		if err := tx.UpdatePermit(ctx, p); err != nil {
			return err
		}
		if err := tx.Audit(ctx, "permit.use", subject("permit", p.ID), p.Holder, before, map[string]any{"permit": p, "use": u}); err != nil {
			return err
		}
		cm, err := s.crossingMap(ctx, tx)
		v = viewPermit(p, cm, now)
		v.Uses = []tradeplan.PermitUse{u}
		return err
	})
	return v, err
}

// ExpirePermits records as expired every issued or suspended permit whose
// window has passed, and returns how many.
func (s *Service) ExpirePermits(ctx context.Context, a tradeplan.Actor) (int, error) {
	n := 0
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		n = 0
		pr, err := s.authorize(ctx, tx, a, ActExpirePermits)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		ps, err := tx.Permits(ctx, PermitFilter{Holders: orgs, Issuers: issuers})
		if err != nil {
			return err
		}
		now := s.now()
		for _, p := range ps {
			if p.Status == tradeplan.PermitExpired || EffectiveStatus(p, now) != tradeplan.PermitExpired {
				continue
			}
			// Read again holding the row: a use or a revocation may have
			// changed it since the list was read.
			if p, err = tx.Permit(ctx, p.ID); err != nil {
				return err
			}
			if p.Status == tradeplan.PermitExpired || EffectiveStatus(p, now) != tradeplan.PermitExpired {
				continue
			}
			before := p
			if err := Transition(&p, tradeplan.PermitExpired, "validity window ended "+p.ValidTo.Format(time.DateOnly), now); err != nil {
				return err
			}
			if err := holdCrossingOf(ctx, tx, before, p); err != nil {
				return err
			}
			if err := tx.UpdatePermit(ctx, p); err != nil {
				return err
			}
			if err := tx.Audit(ctx, "permit.expire", subject("permit", p.ID), p.Holder, before, p); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
