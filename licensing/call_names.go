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
	var ids []int64
	for _, sub := range rep.Standing.Submissions {
		ids = append(ids, sub.Organisation)
	}
	var names map[int64]string
	err = s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		names, err = orgNames(ctx, tx, ids)
		return err
	})
	return names, err
}
