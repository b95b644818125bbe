package licensing

import (
	"context"
	"sort"
	"time"

	"github.com/tradeplan/tradeplan"
)

// CapTx is what the cap ledger needs of a transaction beyond Tx: the
// permits that draw on some cap, with their draws. A Tx without it reads
// every permit.
type CapTx interface {
	CapPermits(ctx context.Context) ([]tradeplan.Permit, error)
}

// CapWindow is one window of a cap: its limit, what permits hold of it
// (CapDraw, exactly) and the draws by the day each permit was issued.
type CapWindow struct {
	Cap      string
	From, To time.Time
	Limit    tradeplan.Decimal
	Unit     string
	Held     tradeplan.Decimal // by every permit, of every organisation
	Left     tradeplan.Decimal // Limit - Held, never below zero
	Days     []CapDay
	// Permits are the draws of the permits the reader may see.
	Permits []CapPermit
}

// CapDay is what permits issued on a day hold of a window.
type CapDay struct {
	Day  time.Time
	Held tradeplan.Decimal
}

// CapPermit is one visible permit's draw on a window.
type CapPermit struct {
	PermitID int64
	Number   string
	Holder   int64
	Status   tradeplan.PermitStatus
	Drawn    tradeplan.Decimal // at issue
	Held     tradeplan.Decimal // now (CapDraw)
	IssuedAt time.Time
}

// CapLedger lists every cap window that permits draw on, with what they
// hold of it now. A cap is shared by every organisation, and its totals are
// what screening already tells each applicant (used and left); the permits
// behind the totals are listed only where the reader may see them.
func (s *Service) CapLedger(ctx context.Context, a tradeplan.Actor) ([]CapWindow, error) {
	var out []CapWindow
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		var ps []tradeplan.Permit
		if ct, ok := tx.(CapTx); ok {
			ps, err = ct.CapPermits(ctx)
		} else {
			ps, err = tx.Permits(ctx, PermitFilter{})
		}
		if err != nil {
			return err
		}
		type key struct {
			cap      string
			from, to time.Time
		}
		idx := map[key]int{}
		days := map[key]map[time.Time]tradeplan.Decimal{}
		for _, p := range ps {
			for _, c := range p.Caps {
				k := key{c.Cap, c.From.UTC(), c.To.UTC()}
				i, ok := idx[k]
				if !ok {
					i = len(out)
					idx[k] = i
					out = append(out, CapWindow{Cap: c.Cap, From: k.from, To: k.to, Limit: c.Limit, Unit: c.Unit})
					days[k] = map[time.Time]tradeplan.Decimal{}
				}
				held := CapDraw(p, c)
				w := &out[i]
				w.Held = w.Held.Add(held)
				y, m, d := p.IssuedAt.UTC().Date()
				day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
				days[k][day] = days[k][day].Add(held)
				if CanSeePlan(a, p.Holder) || pr.governs(p.Holder, p.Holder) {
					w.Permits = append(w.Permits, CapPermit{PermitID: p.ID, Number: p.Number, Holder: p.Holder, Status: EffectiveStatus(p, s.now()),
						Drawn: c.Quantity, Held: held, IssuedAt: p.IssuedAt})
				}
			}
		}
		for k, i := range idx {
			w := &out[i]
			w.Left = tradeplan.MaxDecimal(tradeplan.Decimal{}, w.Limit.Sub(w.Held))
			for d, h := range days[k] {
				w.Days = append(w.Days, CapDay{Day: d, Held: h})
			}
			sort.Slice(w.Days, func(a, b int) bool { return w.Days[a].Day.Before(w.Days[b].Day) })
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool {
		if out[i].Cap != out[j].Cap {
			return out[i].Cap < out[j].Cap
		}
		return out[i].From.Before(out[j].From)
	})
	return out, err
}
