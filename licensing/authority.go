package licensing

import (
	"context"
	"slices"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// The service's side of the permission table (permissions.go): it loads
// what Authorize needs from the store, and keeps the authority's
// jurisdiction (what it may see to decide on) and its delegations.

// loadPrincipal loads the actor's lineage and standing delegation, and the
// jurisdiction of the authority it exercises.
func loadPrincipal(ctx context.Context, tx Tx, a tradeplan.Actor) (Principal, error) {
	p := Principal{Actor: a}
	if a.IsSystem() {
		return p, nil
	}
	var err error
	if p.Lineage, err = tx.OrgLineage(ctx, a.User.OrgID); err != nil {
		return p, err
	}
	if len(p.Lineage) > 0 && p.Lineage[0].Kind != tradeplan.OrgAuthority {
		ds, err := tx.Delegations(ctx, DelegationFilter{Office: a.User.OrgID, Active: true})
		if err != nil {
			return p, err
		}
		if len(ds) > 0 {
			p.Delegation = &ds[0]
		}
	}
	if auth := p.Authority(); auth > 0 {
		if p.Jurisdiction, err = tx.Subtree(ctx, auth); err != nil {
			return p, err
		}
	}
	return p, nil
}

// authorize checks that a may take act about the organisations orgs (their
// plans, permits or crossings), and returns the principal it checked.
func (s *Service) authorize(ctx context.Context, tx Tx, a tradeplan.Actor, act Action, orgs ...int64) (Principal, error) {
	p, err := loadPrincipal(ctx, tx, a)
	if err != nil {
		return p, err
	}
	var t Target
	seen := map[int64]bool{}
	for _, o := range orgs {
		if o == 0 || seen[o] || a.IsSystem() {
			continue
		}
		seen[o] = true
		l, err := tx.OrgLineage(ctx, o)
		if err != nil {
			return p, err
		}
		t.Subjects = append(t.Subjects, l)
	}
	return p, Authorize(p, act, t)
}

// authorizeNoTarget checks an action about no organisation, outside any
// transaction of the caller.
func (s *Service) authorizeNoTarget(ctx context.Context, a tradeplan.Actor, act Action) (Principal, error) {
	var p Principal
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		p, err = s.authorize(ctx, tx, a, act)
		return err
	})
	return p, err
}

// governs reports whether p, as an authority, may see a plan or permit of
// organisation org under a call issued by issuer: the subject or the call's
// issuer is within the authority's tree.
func (p Principal) governs(org, issuer int64) bool {
	if p.Actor.IsSystem() {
		return true
	}
	if p.Authority() == 0 || p.Actor.User.Role == tradeplan.RoleSubmitter {
		return false
	}
	_, a := slices.BinarySearch(p.Jurisdiction, org)
	_, b := slices.BinarySearch(p.Jurisdiction, issuer)
	return a || b
}

// scope is the PlanFilter.Orgs and Issuers of what p may see: the actor's
// own (a submitter's organisation, anyone else's subtree) and, for an
// authority or its delegate, its tree and the calls issued in it.
func (p Principal) scope() (orgs, issuers []int64) {
	orgs = visibleOrgs(p.Actor)
	if orgs == nil || p.Authority() <= 0 || p.Actor.User.Role == tradeplan.RoleSubmitter {
		return orgs, nil
	}
	merged := slices.Clone(orgs)
	for _, o := range p.Jurisdiction {
		if !slices.Contains(merged, o) {
			merged = append(merged, o)
		}
	}
	slices.Sort(merged)
	return merged, slices.Clone(p.Jurisdiction)
}

// canSee reports whether p may see a plan or permit of org under a call
// issued by issuer.
func (p Principal) canSee(org, issuer int64) bool {
	return CanSeePlan(p.Actor, org) || p.governs(org, issuer)
}

// ---- delegations ----

// Delegate grants office the right to decide in the name of the actor's
// authority (see Delegation). An administrator of an organisation of kind
// authority only, for an office in its tree that is not of kind authority
// (an authority decides in its own right) and holds no standing delegation.
func (s *Service) Delegate(ctx context.Context, a tradeplan.Actor, authority, office int64, reason string) (Delegation, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Delegation{}, tradeplan.Errorf(tradeplan.EInvalid, "delegation: reason is required")
	}
	if !a.IsSystem() {
		authority = a.User.OrgID
	}
	d := Delegation{Authority: authority, Office: office, Reason: reason, GrantedBy: a.Label(), GrantedAt: s.now()}
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := s.authorize(ctx, tx, a, ActDelegate); err != nil {
			return err
		}
		auth, err := tx.OrgLineage(ctx, authority)
		if err != nil {
			return err
		}
		if auth[0].Kind != tradeplan.OrgAuthority {
			return tradeplan.Errorf(tradeplan.EInvalid, "delegation: organisation %d is of kind %s; only an authority delegates", authority, auth[0].Kind)
		}
		off, err := tx.OrgLineage(ctx, office)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(off[1:], func(o tradeplan.Organisation) bool { return o.ID == authority }) {
			return tradeplan.Errorf(tradeplan.EInvalid, "delegation: organisation %d is not an office under authority %d", office, authority)
		}
		if off[0].Kind == tradeplan.OrgAuthority {
			return tradeplan.Errorf(tradeplan.EInvalid, "delegation: organisation %d is an authority: it decides in its own right", office)
		}
		d.ID = 0
		if err := tx.AddDelegation(ctx, &d); err != nil {
			return err
		}
		return tx.Audit(ctx, "delegation.grant", subject("delegation", d.ID), office, nil, d)
	})
	return d, err
}

// RevokeDelegation ends a standing delegation, with a reason.
func (s *Service) RevokeDelegation(ctx context.Context, a tradeplan.Actor, id int64, reason string) (Delegation, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Delegation{}, tradeplan.Errorf(tradeplan.EInvalid, "delegation: reason is required")
	}
	var d Delegation
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := s.authorize(ctx, tx, a, ActDelegate); err != nil {
			return err
		}
		var err error
		if d, err = tx.Delegation(ctx, id); err != nil {
			return err
		}
		if !a.IsSystem() && d.Authority != a.User.OrgID {
			return tradeplan.Errorf(tradeplan.ENotFound, "delegation %d not found", id)
		}
		if d.RevokedAt != nil {
			return tradeplan.Errorf(tradeplan.EConflict, "delegation %d is already revoked", id)
		}
		before := d
		now := s.now()
		d.RevokedBy, d.RevokedAt = a.Label()+": "+reason, &now
		if err := tx.RevokeDelegation(ctx, d); err != nil {
			return err
		}
		return tx.Audit(ctx, "delegation.revoke", subject("delegation", d.ID), d.Office, before, d)
	})
	return d, err
}

// Delegations lists the delegations of the actor's authority (the system
// actor: all), oldest first.
func (s *Service) Delegations(ctx context.Context, a tradeplan.Actor) ([]Delegation, error) {
	var out []Delegation
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		f := DelegationFilter{}
		if !a.IsSystem() {
			if _, err := s.authorize(ctx, tx, a, ActDelegate); err != nil {
				return err
			}
			f.Authority = a.User.OrgID
		}
		var err error
		out, err = tx.Delegations(ctx, f)
		return err
	})
	return out, err
}

// Allowed reports whether a may take act about organisation org (0: none),
// for pages that offer only what the actor may do. It decides nothing: the
// use case itself checks again.
func (s *Service) Allowed(ctx context.Context, a tradeplan.Actor, act Action, org int64) bool {
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var orgs []int64
		if org != 0 {
			orgs = append(orgs, org)
		}
		_, err := s.authorize(ctx, tx, a, act, orgs...)
		return err
	})
	return err == nil
}

// visibleOrgs is the PlanFilter.Orgs of what a may see: nil for all.
func visibleOrgs(a tradeplan.Actor) []int64 {
	switch {
	case a.IsSystem():
		return nil
	case a.User.Role == tradeplan.RoleSubmitter:
		return []int64{a.User.OrgID}
	default:
		if a.Subtree == nil {
			return []int64{}
		}
		return a.Subtree
	}
}
