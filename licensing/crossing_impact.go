package licensing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// ErrCrossingImpactChanged: what opening or closing a crossing affects has
// changed since the administrator was shown it.
var ErrCrossingImpactChanged = errors.New("crossing impact changed")

// CrossingImpact is what opening or closing a crossing changes: the permits
// naming it that are issued and not past their window, whoever holds them
// (a crossing is shared by every jurisdiction that licenses trade through
// it). Digest binds the permits and the crossing's state, so that a
// confirmation of it is a confirmation of exactly this change.
type CrossingImpact struct {
	Count  int
	Digest string
}

// crossingImpact reads the impact inside tx. In a write transaction the
// caller holds the crossing's row first: a permit is issued at a crossing
// only under that row's lock (decide), so none is issued between this read
// and the commit.
func crossingImpact(ctx context.Context, tx Tx, c tradeplan.Crossing, events int, now time.Time) (CrossingImpact, error) {
	ps, err := tx.Permits(ctx, PermitFilter{Crossing: c.ID, Status: tradeplan.PermitIssued})
	if err != nil {
		return CrossingImpact{}, err
	}
	var ids []int64
	for _, p := range ps {
		if EffectiveStatus(p, now) == tradeplan.PermitIssued {
			ids = append(ids, p.ID)
		}
	}
	slices.Sort(ids)
	parts := []string{"crossing-impact", c.ID, string(c.Status), c.Since.UTC().Format(time.RFC3339Nano), strconv.Itoa(events)}
	for _, id := range ids {
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return CrossingImpact{Count: len(ids), Digest: hex.EncodeToString(sum[:])}, nil
}

// CrossingImpact tells an administrator who may open or close crossings
// what changing crossing id would affect now, every jurisdiction's permits
// counted (only the count of those the administrator may not see).
func (s *Service) CrossingImpact(ctx context.Context, a tradeplan.Actor, id string) (CrossingImpact, error) {
	var out CrossingImpact
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := s.authorize(ctx, tx, a, ActManageCrossing); err != nil {
			return err
		}
		c, err := tx.Crossing(ctx, id)
		if err != nil {
			return err
		}
		evs, err := tx.CrossingEvents(ctx, id)
		if err != nil {
			return err
		}
		out, err = crossingImpact(ctx, tx, c, len(evs), s.now())
		return err
	})
	return out, err
}

// SetCrossingConfirmed opens or closes a crossing as SetCrossing does, but
// only if what it affects is still what digest (a CrossingImpact's) says,
// checked in the change's own transaction; otherwise it changes nothing and
// answers a conflict wrapping ErrCrossingImpactChanged.
func (s *Service) SetCrossingConfirmed(ctx context.Context, a tradeplan.Actor, id string, to tradeplan.CrossingStatus, reason, digest string) (tradeplan.Crossing, error) {
	return s.setCrossing(ctx, a, id, to, reason, func(ctx context.Context, tx Tx, c tradeplan.Crossing) error {
		evs, err := tx.CrossingEvents(ctx, id)
		if err != nil {
			return err
		}
		now, err := crossingImpact(ctx, tx, c, len(evs), s.now())
		if err != nil {
			return err
		}
		if now.Digest != digest {
			return &tradeplan.Error{Code: tradeplan.EConflict, Err: ErrCrossingImpactChanged,
				Message: "crossing " + c.Name + ": what this change affects has changed since it was confirmed (" + strconv.Itoa(now.Count) + " issued permits now); confirm again"}
		}
		return nil
	})
}

// governsCrossing refuses a change of crossing id to an authority that does
// not govern every permit naming it that is issued or suspended: another
// jurisdiction's administrator would otherwise stop that authority's
// permits, or reopen a crossing it closed and make them usable again on
// its word (TestAttackCrossingOfAnotherJurisdiction).
func (s *Service) governsCrossing(ctx context.Context, tx Tx, a tradeplan.Actor, id, what string) error {
	if a.IsSystem() {
		return nil
	}
	pr, err := loadPrincipal(ctx, tx, a)
	if err != nil {
		return err
	}
	issuers := map[int64]int64{}
	n := 0
	for _, st := range []tradeplan.PermitStatus{tradeplan.PermitIssued, tradeplan.PermitSuspended} {
		ps, err := tx.Permits(ctx, PermitFilter{Crossing: id, Status: st})
		if err != nil {
			return err
		}
		for _, p := range ps {
			issuer, ok := issuers[p.CallID]
			if !ok {
				c, err := tx.Call(ctx, p.CallID)
				if err != nil {
					return err
				}
				issuer, issuers[p.CallID] = c.Issuer, c.Issuer
			}
			if !pr.governs(p.Holder, issuer) {
				n++
			}
		}
	}
	if n > 0 {
		return tradeplan.Errorf(tradeplan.EForbidden, "%s crossing %s is for the authorities whose permits name it: %d issued or suspended permits naming it are of another jurisdiction",
			what, id, n)
	}
	return nil
}

// holdCrossingOf takes the row of the crossing permit p names, in tx,
// before a change that makes p count at that crossing (issued) or stop
// counting there. Every such change (issue, reinstate, suspend, revoke,
// expire, use to exhaustion) then takes turns with a confirmed opening or
// closing of the crossing (SetCrossingConfirmed), which reads the permits
// that count under the same lock: a permit reinstated while an
// administrator confirms a change of its crossing either lands before the
// check, which then sees it, or after the change
// (TestAttackReinstateSerialisedWithCrossing).
func holdCrossingOf(ctx context.Context, tx Tx, before, after tradeplan.Permit) error {
	if before.Crossing == "" || (before.Status == tradeplan.PermitIssued) == (after.Status == tradeplan.PermitIssued) {
		return nil
	}
	_, err := tx.Crossing(ctx, before.Crossing)
	if err != nil && tradeplan.ErrorCode(err) == tradeplan.ENotFound {
		return nil // a permit naming a crossing no longer listed: nothing to take turns with
	}
	return err
}
