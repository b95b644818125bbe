package licensing

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

var crossingID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// CrossingKinds lists the kinds of crossing.
var CrossingKinds = []string{"road", "rail", "bridge", "port", "air"}

// ValidateCrossing checks a new crossing's fields, all problems at once.
func ValidateCrossing(c tradeplan.Crossing) error {
	var ps tradeplan.Problems
	if !crossingID.MatchString(c.ID) {
		ps.Add(tradeplan.Position{Path: "id"}, "", "must be 1 to 63 lower-case letters, digits and '-', starting with a letter or digit; got %q", c.ID)
	}
	if strings.TrimSpace(c.Name) == "" {
		ps.Add(tradeplan.Position{Path: "name"}, "", "is required")
	}
	if c.Kind != "" && !contains(CrossingKinds, c.Kind) {
		ps.Add(tradeplan.Position{Path: "kind"}, "", "must be one of %s; got %q", strings.Join(CrossingKinds, ", "), c.Kind)
	}
	for i, cc := range c.Countries {
		if len(cc) != 2 || strings.ToUpper(cc) != cc {
			ps.Add(tradeplan.Position{Path: "countries[" + itoa(i) + "]"}, "", "must be an ISO 3166 alpha-2 code such as CN; got %q", cc)
		}
	}
	if c.Status != tradeplan.CrossingOpen && c.Status != tradeplan.CrossingClosed {
		ps.Add(tradeplan.Position{Path: "status"}, "", "must be open or closed; got %q", c.Status)
	}
	return ps.Err("crossing")
}

// SetCrossingStatus opens or closes c, returning the event for its history.
// Setting the status it already has is a conflict: the history records
// changes only.
func SetCrossingStatus(c *tradeplan.Crossing, to tradeplan.CrossingStatus, reason, by string, at time.Time) (tradeplan.CrossingEvent, error) {
	if to != tradeplan.CrossingOpen && to != tradeplan.CrossingClosed {
		return tradeplan.CrossingEvent{}, tradeplan.Errorf(tradeplan.EInvalid, "crossing status must be open or closed; got %q", to)
	}
	if c.Status == to {
		return tradeplan.CrossingEvent{}, tradeplan.Errorf(tradeplan.EConflict, "crossing %s is already %s", c.ID, to)
	}
	c.Status, c.Since, c.Reason = to, at, reason
	return tradeplan.CrossingEvent{Crossing: c.ID, Status: to, Reason: reason, By: by, At: at}, nil
}

// CrossingStatusAt is the status a crossing had at t according to its
// history; before the first event it was closed.
func CrossingStatusAt(events []tradeplan.CrossingEvent, t time.Time) tradeplan.CrossingStatus {
	es := append([]tradeplan.CrossingEvent(nil), events...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].At.Before(es[j].At) })
	st := tradeplan.CrossingClosed
	for _, e := range es {
		if e.At.After(t) {
			break
		}
		st = e.Status
	}
	return st
}

func contains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// CrossingSlug turns a crossing as plans write it ("Rajin port",
// "Namyang-Tumen") into a crossing id ("rajin-port", "namyang-tumen"):
// lower case, runs of other characters become one '-'.
func CrossingSlug(s string) string {
	if isSlug(s) {
		return s
	}
	return makeSlug(s)
}

// makeSlug is CrossingSlug writing the id anew.
func makeSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// isSlug reports whether CrossingSlug(s) is s: lower-case letters and
// digits in runs joined by single dashes.
func isSlug(s string) bool {
	if s == "" {
		return false
	}
	dash := true // no dash first
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			dash = false
		case c == '-' && !dash:
			dash = true
		default:
			return false
		}
	}
	return !dash
}

// AddCrossing registers a crossing, closed unless c.Status says open.
func (s *Service) AddCrossing(ctx context.Context, a tradeplan.Actor, c tradeplan.Crossing) (tradeplan.Crossing, error) {
	if c.Status == "" {
		c.Status = tradeplan.CrossingClosed
	}
	if c.Countries == nil {
		c.Countries = []string{}
	}
	if err := ValidateCrossing(c); err != nil {
		return c, err
	}
	now := s.now()
	c.Since, c.CreatedAt = now, now
	if c.Reason == "" {
		c.Reason = "registered"
	}
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := s.authorize(ctx, tx, a, ActAddCrossing); err != nil {
			return err
		}
		if _, err := tx.Crossing(ctx, c.ID); err == nil {
			return tradeplan.Errorf(tradeplan.EConflict, "crossing %s already exists", c.ID)
		} else if tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return err
		}
		if err := tx.CreateCrossing(ctx, c); err != nil {
			return err
		}
		if err := tx.AddCrossingEvent(ctx, tradeplan.CrossingEvent{Crossing: c.ID, Status: c.Status, Reason: c.Reason, By: a.Label(), At: now}); err != nil {
			return err
		}
		return tx.Audit(ctx, "crossing.add", "crossing:"+c.ID, a.Org.ID, nil, c)
	})
	return c, err
}

// SetCrossing opens or closes a crossing, with a reason, recording it in the
// crossing's history.
func (s *Service) SetCrossing(ctx context.Context, a tradeplan.Actor, id string, to tradeplan.CrossingStatus, reason string) (tradeplan.Crossing, error) {
	return s.setCrossing(ctx, a, id, to, reason, nil)
}

// setCrossing is SetCrossing, with check (when not nil) run in its
// transaction once the crossing's row is held, before the change.
func (s *Service) setCrossing(ctx context.Context, a tradeplan.Actor, id string, to tradeplan.CrossingStatus, reason string,
	check func(ctx context.Context, tx Tx, c tradeplan.Crossing) error) (tradeplan.Crossing, error) {
	if strings.TrimSpace(reason) == "" {
		return tradeplan.Crossing{}, tradeplan.Errorf(tradeplan.EInvalid, "crossing %s: reason is required", id)
	}
	var c tradeplan.Crossing
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		// The row first: a permit is issued at the crossing only under its
		// lock, so the holders read next are those of the commit.
		var err error
		if c, err = tx.Crossing(ctx, id); err != nil {
			return err
		}
		holders, err := crossingHolders(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActManageCrossing, holders...); err != nil {
			return err
		}
		if err := s.governsCrossing(ctx, tx, a, id, "opening or closing"); err != nil {
			return err
		}
		if check != nil {
			if err := check(ctx, tx, c); err != nil {
				return err
			}
		}
		before := c
		e, err := SetCrossingStatus(&c, to, strings.TrimSpace(reason), a.Label(), s.now())
		if err != nil {
			return err
		}
		if err := tx.UpdateCrossing(ctx, c); err != nil {
			return err
		}
		if err := tx.AddCrossingEvent(ctx, e); err != nil {
			return err
		}
		action := "crossing.close"
		if to == tradeplan.CrossingOpen {
			action = "crossing.open"
		}
		// The entry belongs to the actor's organisation, so that the audit
		// log of the authority that opened or closed the crossing shows it.
		return tx.Audit(ctx, action, "crossing:"+c.ID, a.Org.ID, before, c)
	})
	return c, err
}

// Crossings lists every crossing. Border status is public to every user.
func (s *Service) Crossings(ctx context.Context, a tradeplan.Actor) ([]tradeplan.Crossing, error) {
	out := []tradeplan.Crossing{}
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		cs, err := tx.Crossings(ctx)
		if err != nil {
			return err
		}
		out = append(out, cs...)
		return withCapacity(ctx, tx, out)
	})
	return out, err
}

// CrossingHistory is a crossing with every change of its status, oldest
// first.
type CrossingHistory struct {
	Crossing tradeplan.Crossing        `json:"crossing"`
	Events   []tradeplan.CrossingEvent `json:"events"`
}

// Crossing shows one crossing and its history.
func (s *Service) Crossing(ctx context.Context, a tradeplan.Actor, id string) (CrossingHistory, error) {
	var h CrossingHistory
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if h.Crossing, err = tx.Crossing(ctx, id); err != nil {
			return err
		}
		one := []tradeplan.Crossing{h.Crossing}
		if err := withCapacity(ctx, tx, one); err != nil {
			return err
		}
		h.Crossing = one[0]
		h.Events, err = tx.CrossingEvents(ctx, id)
		if h.Events == nil {
			h.Events = []tradeplan.CrossingEvent{}
		}
		return err
	})
	return h, err
}
