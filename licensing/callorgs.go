package licensing

import (
	"context"
	"slices"

	"github.com/tradeplan/tradeplan"
)

// CallTakes returns nil when organisation org (lineage: org first, then its
// ancestors) may submit to call c: the call names it, or names one of its
// ancestors and takes plans from offices under the organisations it names.
// A call that names nobody takes plans from any organisation.
func CallTakes(c tradeplan.Call, lineage []tradeplan.Organisation) error {
	if len(c.Organisations) == 0 || len(lineage) == 0 {
		return nil
	}
	if slices.Contains(c.Organisations, lineage[0].ID) {
		return nil
	}
	if c.IncludeOffices {
		for _, o := range lineage[1:] {
			if slices.Contains(c.Organisations, o.ID) {
				return nil
			}
		}
		return tradeplan.Errorf(tradeplan.EForbidden, "call %d is addressed to organisations %v and the offices under them; organisation %d is none of them", c.ID, c.Organisations, lineage[0].ID)
	}
	return tradeplan.Errorf(tradeplan.EForbidden, "call %d is addressed to organisations %v only; organisation %d is not one of them", c.ID, c.Organisations, lineage[0].ID)
}

// checkCallOrg applies CallTakes to a plan of organisation org.
func (s *Service) checkCallOrg(ctx context.Context, tx Tx, c tradeplan.Call, org int64) error {
	if len(c.Organisations) == 0 {
		return nil
	}
	l, err := tx.OrgLineage(ctx, org)
	if err != nil {
		return err
	}
	return CallTakes(c, l)
}

// crossingHolders are the organisations holding a standing permit (issued or
// suspended) through crossing id: opening or closing it decides about their
// permits.
func crossingHolders(ctx context.Context, tx Tx, id string) ([]int64, error) {
	var out []int64
	for _, st := range []tradeplan.PermitStatus{tradeplan.PermitIssued, tradeplan.PermitSuspended} {
		ps, err := tx.Permits(ctx, PermitFilter{Crossing: id, Status: st})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if !slices.Contains(out, p.Holder) {
				out = append(out, p.Holder)
			}
		}
	}
	return out, nil
}
