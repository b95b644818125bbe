package server

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// TestAttackOutsideWindowCountsOnce: a holder moves the permit's whole
// quantity the day before its window opens, then the whole quantity again
// inside it. The first crossing is flagged outside-validity and still
// counts (the goods crossed on this permit's word), so the second is
// over the balance: a permit covers its quantity once (docs/enforcement.md).
func TestAttackOutsideWindowCountsOnce(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng)
		pm, _, _ := piecesPermit(t, h)
		h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
		compliance := h.token("authority-compliance")
		prov := h.orgs["province"].ID
		head := "declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"
		row := func(num, date string, qty int) string {
			return fmt.Sprintf("%s,%d,%s,%s,CN,KP,691110,porcelain tableware,%d,pcs,%d,USD,Namyang-Tumen\n", num, prov, pm.Number, date, qty, qty*50)
		}
		before := pm.ValidFrom.AddDate(0, 0, -1).Format(time.DateOnly)
		inside := pm.ValidFrom.AddDate(0, 0, 3).Format(time.DateOnly)
		flags := func(batch, csv string) map[string][]string {
			var res licensing.IntakeResult
			compliance.do(http.MethodPost, "/api/v1/declarations?batch="+batch, head+csv, "text/csv").want(http.StatusCreated).decode(&res)
			var ds []licensing.Declaration
			compliance.get("/api/v1/declarations?batch=" + res.Batch).want(http.StatusOK).decode(&ds)
			out := map[string][]string{}
			for _, d := range ds {
				for _, f := range d.Flags {
					out[d.Number] = append(out[d.Number], f.Rule)
				}
			}
			return out
		}
		has := func(fl map[string][]string, num, rule string) bool {
			for _, r := range fl[num] {
				if r == rule {
					return true
				}
			}
			return false
		}
		if fl := flags("early", row("EARLY-1", before, 1000)); !has(fl, "EARLY-1", licensing.FlagOutsideValidity) {
			t.Fatalf("a crossing the day before the window: flags %v", fl)
		}
		if fl := flags("again", row("AGAIN-1", inside, 1000)); !has(fl, "AGAIN-1", licensing.FlagOverBalance) {
			t.Fatalf("the whole quantity again inside the window is not over the balance: flags %v", fl)
		}
	})
}
