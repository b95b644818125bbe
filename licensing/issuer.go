package licensing

import (
	"context"

	"github.com/tradeplan/tradeplan"
)

// CallIssuer returns the organisation that issued a call: a call is an
// order every user may read, its issuer with it, whatever tree the issuer
// is in.
func (s *Service) CallIssuer(ctx context.Context, a tradeplan.Actor, callID int64) (tradeplan.Organisation, error) {
	var o tradeplan.Organisation
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		c, err := tx.Call(ctx, callID)
		if err != nil {
			return err
		}
		o, err = tx.Organisation(ctx, c.Issuer)
		return err
	})
	return o, err
}
