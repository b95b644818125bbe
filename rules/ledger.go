package rules

import (
	"context"
	"fmt"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Ledger accounts the use of caps across the lines of a plan, in line order,
// on top of what issued permits already use (CapUsage). One ledger serves
// one screening run from one goroutine.
type Ledger struct {
	usage tradeplan.CapUsage
	used  map[capWindow]tradeplan.Decimal
}

type capWindow struct {
	cap      string
	from, to time.Time
}

// NewLedger returns a ledger that starts each cap window from usage (issued
// permits); usage may be nil, for none.
func NewLedger(usage tradeplan.CapUsage) tradeplan.CapLedger {
	return &Ledger{usage: usage, used: map[capWindow]tradeplan.Decimal{}}
}

// Apply draws one line's findings on their caps. For each finding with a
// CapUse it sets Used (drawn before this line, permits included), Remaining
// (left after it) and Excess (the part of this line beyond the cap). A
// capped finding whose line crosses the cap becomes prohibited: the part
// within the cap is lawful, the excess is not, and the summary and notes say
// how much. Every draw counts, whatever the line's verdict, so later lines
// see the plan's full demand. Two findings of one line on the same cap window
// draw once.
func (l *Ledger) Apply(ctx context.Context, findings []tradeplan.Finding) error {
	// Caps drawn by this line; a line meets few caps, so a slice will do.
	var drawnBuf [4]drawnCap
	drawn := drawnBuf[:0]
	for i := range findings {
		f := &findings[i]
		c := f.Cap
		if c == nil || c.From.IsZero() {
			continue
		}
		k := capWindow{c.Cap, c.From, c.To}
		if d, ok := findDrawn(drawn, k); ok {
			c.Used, c.Remaining, c.Excess = d.Used, d.Remaining, d.Excess
			l.mark(f)
			continue
		}
		used, ok := l.used[k]
		if !ok {
			if l.usage != nil {
				u, err := l.usage.CapUsed(ctx, c.Cap, c.From, c.To)
				if err != nil {
					return fmt.Errorf("cap %s use from permits: %w", c.Cap, err)
				}
				used = u
			}
		}
		// Exact figures: a cap filled to the last unit is within it; one
		// smallest unit more is beyond it (docs/quantities.md).
		after := used.Add(c.Quantity)
		c.Used = used
		c.Remaining = tradeplan.Decimal{}
		c.Excess = tradeplan.Decimal{}
		if over := after.Sub(c.Limit); over.Sign() > 0 {
			c.Excess = tradeplan.MinDecimal(c.Quantity, over)
		} else {
			c.Remaining = over.Neg()
		}
		l.used[k] = after
		drawn = append(drawn, drawnCap{k, *c})
		l.mark(f)
	}
	return nil
}

type drawnCap struct {
	k   capWindow
	use tradeplan.CapUse
}

func findDrawn(ds []drawnCap, k capWindow) (tradeplan.CapUse, bool) {
	for _, d := range ds {
		if d.k.cap == k.cap && d.k.from.Equal(k.from) && d.k.to.Equal(k.to) {
			return d.use, true
		}
	}
	return tradeplan.CapUse{}, false
}

func (l *Ledger) mark(f *tradeplan.Finding) {
	c := f.Cap
	if c.Excess.Sign() <= 0 {
		if f.Outcome == tradeplan.Capped {
			f.Notes = append(f.Notes[:len(f.Notes):len(f.Notes)], fmt.Sprintf("within cap %s: %s %s used before this line, %s %s left after it",
				c.Cap, fmtQty(c.Used), c.Unit, fmtQty(c.Remaining), c.Unit))
		}
		return
	}
	within := c.Quantity.Sub(c.Excess)
	msg := fmt.Sprintf("crosses cap %s (%s %s, window %s to %s): %s %s used before this line; of its %s %s, %s are within the cap and %s beyond it are prohibited",
		c.Cap, fmtQty(c.Limit), c.Unit, c.From.Format(dateLayout), c.To.Format(dateLayout), fmtQty(c.Used), c.Unit, fmtQty(c.Quantity), c.Unit, fmtQty(within), fmtQty(c.Excess))
	f.Notes = append(f.Notes[:len(f.Notes):len(f.Notes)], msg)
	if f.Outcome == tradeplan.Capped {
		f.Outcome = tradeplan.Prohibited
		f.Summary += fmt.Sprintf(": %s %s beyond the cap are prohibited", fmtQty(c.Excess), c.Unit)
	}
}

// fmtQty prints a figure exactly.
func fmtQty(f tradeplan.Decimal) string { return f.String() }
