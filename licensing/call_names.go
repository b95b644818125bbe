package licensing

import (
	"context"

	"github.com/tradeplan/tradeplan"
)

// CallOrgNames names the organisations of a call's report that the actor
// may see (those Call lists for it): the issuer of a call addresses
// organisations outside its own tree, and its reviewers see their plans,
// so they see their names too.
func (s *Service) CallOrgNames(ctx context.Context, a tradeplan.Actor, callID int64) (map[int64]string, error) {
	rep, err := s.callReport(ctx, a, callID, true)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	err = s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		for _, sub := range rep.Standing.Submissions {
			if _, ok := names[sub.Organisation]; ok {
				continue
			}
			o, err := tx.Organisation(ctx, sub.Organisation)
			if err != nil {
				return err
			}
			names[o.ID] = o.Name
		}
		return nil
	})
	return names, err
}
