package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// Issue 19, through licensing on each engine: the goods rules that now ask
// a question of fact (LPG, crude or condensate, the luxury list, aircraft
// spare parts) give review, and a review line is never approved without a
// decision; the word "aircraft" on steel bars is still prohibited and can
// never be approved.
func TestAttackGoodsQuestionsNeverClear(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		lines := []struct {
			doc     string
			rule    string
			verdict tradeplan.Verdict
		}{
			{`{direction: import, description: liquefied petroleum gas, hs: "2711.12", quantity: 100, unit: t, value: 50000, currency: USD, origin: CN, crossing: Rajin port}`, "un-dprk/2375-op13-lpg", tradeplan.Review},
			{`{direction: import, description: "crude oil or condensate, assay pending", hs: "2709.00", quantity: 1000, unit: t, value: 500000, currency: USD, origin: RU, crossing: Rajin port}`, "un-dprk/2375-op13-assay", tradeplan.Review},
			{`{direction: import, description: cognac, hs: "2208.20", quantity: 70, unit: l, value: 5600, currency: USD, origin: FR, crossing: Rajin port}`, "un-dprk/1718-lux-drink", tradeplan.Review},
			{`{direction: import, description: landing gear for Air Koryo Tu-204, hs: "8807.30", quantity: 1, unit: t, value: 50000, currency: USD, origin: RU, crossing: Rajin port}`, "un-dprk/2397-op7", tradeplan.Review},
			{`{direction: import, description: steel bars for aircraft spare parts, hs: "7214.20", quantity: 10, unit: t, value: 5000, currency: USD, origin: CN, crossing: Rajin port}`, "un-dprk/2397-op7", tradeplan.Prohibited},
		}
		var docs []string
		for _, l := range lines {
			docs = append(docs, l.doc)
		}
		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP", docs...))
		if len(pd.Lines) != len(lines) {
			t.Fatalf("%d lines stored, want %d", len(pd.Lines), len(lines))
		}
		for i, l := range lines {
			lv := pd.Lines[i]
			if lv.Verdict == nil || *lv.Verdict != l.verdict {
				t.Errorf("line %d (%s): verdict %v, want %s; findings %+v", i+1, l.rule, lv.Verdict, l.verdict, lv.Findings)
			}
			found := false
			for _, f := range lv.Findings {
				found = found || f.Basis != nil && f.Rule() == l.rule && f.Outcome == l.verdict
			}
			if !found {
				t.Errorf("line %d: no %s finding of %s: %+v", i+1, l.verdict, l.rule, lv.Findings)
			}
			e := a.approve(pd.Plan.ID, i+1, nil).wantError(http.StatusConflict, tradeplan.EConflict)
			if l.verdict == tradeplan.Prohibited && !strings.Contains(e.Message, "prohibited") {
				t.Errorf("line %d: refusal does not say prohibited: %q", i+1, e.Message)
			}
		}
		// A decision upholding the question's finding keeps the LPG line
		// from a permit too.
		for _, f := range pd.Lines[0].Findings {
			if f.Outcome == tradeplan.Review && f.Basis != nil && f.Rule() == "un-dprk/2375-op13-lpg" {
				a.compliance.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/compliance", pd.Plan.ID),
					map[string]any{"finding": f.Key, "decision": "upheld", "reason": "produced at a gas-processing plant: a natural gas liquid"}).want(http.StatusOK)
			}
		}
		a.approve(pd.Plan.ID, 1, nil).wantError(http.StatusConflict, tradeplan.EConflict)
	})
}
