package licensing

import (
	"context"

	"github.com/tradeplan/tradeplan"
)

// CallRankTx reads, in one query each, what the ranking of a call reads
// for each of its submitted plans: the lineage of their organisations and
// the tier upgrades of their current versions. The store's transactions
// implement it; without it the pass reads plan by plan.
type CallRankTx interface {
	// CallLineages returns the lineage (as OrgLineage) of every
	// organisation with a submitted plan in call id, by organisation.
	CallLineages(ctx context.Context, callID int64) (map[int64][]tradeplan.Organisation, error)
	// CallTierUpgrades returns, for every submitted plan of call id, its
	// current version and that version's tier upgrades by line.
	CallTierUpgrades(ctx context.Context, callID int64) ([]PlanUpgrades, error)
}

// PlanUpgrades are the tier upgrades of one plan version (none: empty).
type PlanUpgrades struct {
	PlanID   int64
	Version  int
	Upgrades []TierUpgrade
}

// preloadRanking reads the lineages and tier upgrades of the call's
// submitted plans, once.
func (p *callPass) preloadRanking(ctx context.Context, tx Tx) error {
	bt, ok := tx.(CallRankTx)
	if !ok || p.upgrades != nil {
		return nil
	}
	ls, err := bt.CallLineages(ctx, p.c.ID)
	if err != nil {
		return err
	}
	for org, l := range ls {
		if _, ok := p.lineage[org]; !ok {
			p.lineage[org] = l
		}
	}
	us, err := bt.CallTierUpgrades(ctx, p.c.ID)
	if err != nil {
		return err
	}
	p.upgrades = map[planKey][]TierUpgrade{}
	for _, u := range us {
		p.upgrades[planKey{u.PlanID, u.Version}] = u.Upgrades
	}
	return nil
}

// upgradesOf returns the tier upgrades of rec's current version: from
// what preloadRanking read when it read that version, else by a query.
func (p *callPass) upgradesOf(ctx context.Context, it ImportsTx, rec tradeplan.PlanRecord) ([]TierUpgrade, error) {
	if us, ok := p.upgrades[planKey{rec.ID, rec.Version}]; ok {
		return us, nil
	}
	return it.TierUpgrades(ctx, rec.ID, rec.Version)
}
