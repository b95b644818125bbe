package licensing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Re-screening: when a sanctions list or a rule pack changes, every issued
// or suspended permit and the declaration of every open case is screened
// again with the new data. An issued permit whose goods, holder's route,
// partner or vessel is now prohibited is suspended pending review, audited
// with the finding that caused it, and listed for compliance as a case.

// FlagRescreen is the rule of a case opened for a permit that re-screening
// hit.
const FlagRescreen = "rescreen-hit"

// RescreenResult is what a re-screening found.
type RescreenResult struct {
	Reason    string   `json:"reason"`
	Permits   int      `json:"permits_screened"`
	Hit       int      `json:"permits_hit"` // now prohibited
	Suspended []string `json:"suspended"`   // the numbers of the permits suspended now
	Cases     int      `json:"cases_screened"`
	CasesHit  int      `json:"cases_hit"` // declarations of open cases now prohibited
	Opened    int      `json:"cases_opened"`
}

// Rescreen screens every issued or suspended permit and the declaration of
// every open case again, as of today (or the first day of a permit's window,
// when later), in one transaction. The authority's compliance officers and
// administrators, or the system after a list update.
func (s *Service) Rescreen(ctx context.Context, a tradeplan.Actor, reason string) (RescreenResult, error) {
	res := RescreenResult{Reason: strings.TrimSpace(reason)}
	if res.Reason == "" {
		return res, tradeplan.Errorf(tradeplan.EInvalid, "rescreen: a reason is required (the list or rule pack that changed)")
	}
	if s.screen == nil {
		return res, tradeplan.Errorf(tradeplan.EInternal, "rescreen: no screener configured")
	}
	ctx = s.beforeScreening(tradeplan.WithActor(ctx, a))
	// Before the transaction, each distinct permit line is screened once,
	// on every core; the transaction screens only what changed meanwhile.
	var screened map[string]screenOutcome
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := s.authorize(ctx, tx, a, ActRescreen)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		now := s.now()
		holders := map[int64]tradeplan.Organisation{}
		var ds []Declaration
		for _, st := range []tradeplan.PermitStatus{tradeplan.PermitIssued, tradeplan.PermitSuspended} {
			ps, err := tx.Permits(ctx, PermitFilter{Holders: orgs, Issuers: issuers, Status: st})
			if err != nil {
				return err
			}
			for _, p := range ps {
				if EffectiveStatus(p, now) == tradeplan.PermitExpired {
					continue
				}
				if _, ok := holders[p.Holder]; !ok {
					if holders[p.Holder], err = tx.Organisation(ctx, p.Holder); err != nil {
						return err
					}
				}
				ds = append(ds, permitLine(p, now))
			}
		}
		screened, err = s.screenBatch(ctx, declarationLines{ds, holders}, nil, nil)
		return err
	})
	if err != nil {
		return res, err
	}
	err = s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		res = RescreenResult{Reason: res.Reason}
		pr, err := s.authorize(ctx, tx, a, ActRescreen)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		now := s.now()
		holders := map[int64]tradeplan.Organisation{}
		var hits []Declaration   // cases to open, one per permit hit
		mine := map[int64]bool{} // holders in the actor's own tree: it decides nothing about them
		ownTree := func(org int64) (bool, error) {
			if v, ok := mine[org]; ok || a.IsSystem() {
				return v, nil
			}
			l, err := tx.OrgLineage(ctx, org)
			if err != nil {
				return false, err
			}
			mine[org] = Authorize(pr, ActRescreen, On(l)) != nil
			return mine[org], nil
		}
		var all []tradeplan.Permit // read before any is suspended
		for _, st := range []tradeplan.PermitStatus{tradeplan.PermitIssued, tradeplan.PermitSuspended} {
			ps, err := tx.Permits(ctx, PermitFilter{Holders: orgs, Issuers: issuers, Status: st})
			if err != nil {
				return err
			}
			all = append(all, ps...)
		}
		for _, p := range all {
			if EffectiveStatus(p, now) == tradeplan.PermitExpired {
				continue
			}
			if own, err := ownTree(p.Holder); err != nil {
				return err
			} else if own {
				continue
			}
			res.Permits++
			f, err := s.screenPermit(ctx, tx, p, now, holders, screened)
			if err != nil {
				return err
			}
			if f == nil {
				continue
			}
			res.Hit++
			why := "re-screening after " + res.Reason + ": " + f.Message
			if p.Status == tradeplan.PermitIssued {
				// Read again holding the row: a use may have changed it.
				if p, err = tx.Permit(ctx, p.ID); err != nil {
					return err
				}
				before := p
				if err := Transition(&p, tradeplan.PermitSuspended, why, now); err != nil {
					return err
				}
				if err := holdCrossingOf(ctx, tx, before, p); err != nil {
					return err
				}
				if err := tx.UpdatePermit(ctx, p); err != nil {
					return err
				}
				if err := tx.Audit(ctx, "permit.suspend", subject("permit", p.ID), p.Holder, before,
					map[string]any{"permit": p, "finding": f, "rescreen": res.Reason}); err != nil {
					return err
				}
				res.Suspended = append(res.Suspended, p.Number)
			}
			hits = append(hits, Declaration{Number: "permit " + p.Number, Declarant: p.Holder,
				Flags: []Flag{{Rule: FlagRescreen, Declaration: "permit " + p.Number, Permit: p.Number, Figures: "after " + res.Reason, Message: why, Citations: f.Citations}}})
		}
		// The declarations of open cases, as of the day they crossed.
		if ct, ok := tx.(CaseTx); ok {
			if dt, ok := tx.(DeclarationTx); ok {
				cs, err := ct.Cases(ctx, CaseFilter{Subjects: orgs})
				if err != nil {
					return err
				}
				seen := map[string]bool{}
				for _, c := range cs {
					if c.Status == CaseClosed || c.Rule == FlagRescreen || seen[c.Declaration] {
						continue
					}
					seen[c.Declaration] = true
					d, err := dt.CurrentDeclaration(ctx, c.Declaration)
					if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
						continue
					} else if err != nil {
						return err
					}
					res.Cases++
					org, err := tx.Organisation(ctx, d.Declarant)
					if err != nil {
						return err
					}
					fs, err := s.screenDeclaration(ctx, d, org, d.Matched)
					if err != nil {
						return err
					}
					fs = slices.DeleteFunc(fs, func(f Flag) bool { return f.Rule != FlagProhibited })
					if len(fs) == 0 {
						continue
					}
					res.CasesHit++
					d.Flags = fs
					hits = append(hits, d)
				}
			}
		}
		if res.Opened, err = openCases(ctx, tx, now, hits); err != nil {
			return err
		}
		if bt, ok := tx.(ScreeningBasisTx); ok && s.rules != "" && a.IsSystem() && orgs == nil {
			// A re-screening of every permit: what the next start compares with.
			if err := bt.PutScreeningBasis(ctx, ScreeningBasis{RulesDigest: s.rules, Reason: res.Reason, At: now}); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, "rescreen", "rescreen:"+res.Reason, pr.Authority(), nil, res)
	})
	return res, err
}

// permitLine is what remains of a permit as a declaration of its holder
// on the first day it can still be used, for screening.
func permitLine(p tradeplan.Permit, now time.Time) Declaration {
	day := now
	if p.ValidFrom.After(day) {
		day = p.ValidFrom
	}
	d := Declaration{Number: "permit " + p.Number, Direction: p.Direction, Description: p.Description, HS: p.HS, Origin: p.Origin,
		Destination: p.Destination, Partner: p.Partner, Crossing: p.Crossing, Quantity: p.QuantityLeft(), Unit: p.Unit,
		Value: p.ValueLeft(), Currency: p.Currency, Date: day, Declarant: p.Holder}
	if d.Quantity.Sign() <= 0 {
		d.Quantity = p.Quantity
	}
	return d
}

// screenPermit screens what remains of a permit as a line of its holder's
// country, on the first day it can still be used; the flag of a prohibited
// finding, or nil. A line screened before (known, by screenKey) is not
// screened again; holders caches the holders read.
func (s *Service) screenPermit(ctx context.Context, tx Tx, p tradeplan.Permit, now time.Time, holders map[int64]tradeplan.Organisation, known map[string]screenOutcome) (*Flag, error) {
	holder, ok := holders[p.Holder]
	if !ok {
		var err error
		if holder, err = tx.Organisation(ctx, p.Holder); err != nil {
			return nil, err
		}
		holders[p.Holder] = holder
	}
	d := permitLine(p, now)
	k := screenKey(&d, holder.Country)
	o, ok := known[k]
	if !ok {
		var err error
		if o, err = s.screenLine(ctx, d, holder.Country); err != nil {
			return nil, fmt.Errorf("rescreen permit %s: %w", p.Number, err)
		}
	}
	for _, f := range o.flags(d.Number, p.Number, d.Date) {
		if f.Rule == FlagProhibited {
			f.Message = strings.Replace(f.Message, "declaration permit ", "permit ", 1)
			return &f, nil
		}
	}
	return nil, nil
}

// ScreeningBasis is what the last re-screening of every permit screened
// with: the digest of the rule packs, why and when.
type ScreeningBasis struct {
	RulesDigest string    `json:"rules_digest"`
	Reason      string    `json:"reason"`
	At          time.Time `json:"at"`
}

// ScreeningBasisTx reads and records the screening basis. The store's
// transactions implement it.
type ScreeningBasisTx interface {
	// ScreeningBasis is the one recorded; ENotFound before the first.
	ScreeningBasis(ctx context.Context) (ScreeningBasis, error)
	PutScreeningBasis(ctx context.Context, b ScreeningBasis) error
}

// RescreenIfRulesChanged re-screens every issued or suspended permit and
// every open case, as the system, when the rule packs the service screens
// with are not those the last re-screening used (none recorded counts as
// other packs): a server started with a new or changed pack applies it to
// what it issued before. It says whether it ran.
func (s *Service) RescreenIfRulesChanged(ctx context.Context) (RescreenResult, bool, error) {
	if s.rules == "" || s.screen == nil {
		return RescreenResult{}, false, nil
	}
	var before ScreeningBasis
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		bt, ok := tx.(ScreeningBasisTx)
		if !ok {
			return tradeplan.Errorf(tradeplan.EInternal, "the store keeps no screening basis")
		}
		var err error
		before, err = bt.ScreeningBasis(ctx)
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			return nil
		}
		return err
	})
	if err != nil || before.RulesDigest == s.rules {
		return RescreenResult{}, false, err
	}
	reason := "rule packs " + short(s.rules)
	if before.RulesDigest != "" {
		reason = "rule pack change " + short(before.RulesDigest) + " to " + short(s.rules)
	}
	res, err := s.Rescreen(ctx, tradeplan.SystemActor("rules"), reason)
	return res, err == nil, err
}

func short(digest string) string { return digest[:min(12, len(digest))] }
