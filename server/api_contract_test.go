package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestAPIContractEmptyCallTotals: a call with no plans answers its totals
// as empty arrays, as the document says, never null (a typed client fails
// to decode null into an array).
func TestAPIContractEmptyCallTotals(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			admin := h.session("authority-admin")
			var call licensing.CallView
			admin.post("/api/v1/calls", map[string]any{
				"period": "2027-H2", "deadline": "2027-03-31",
				"organisations": []int64{h.orgs["province"].ID},
			}).want(http.StatusCreated).decode(&call)
			var raw struct {
				Totals map[string]json.RawMessage `json:"totals"`
			}
			admin.get(fmt.Sprintf("/api/v1/calls/%d", call.ID)).want(http.StatusOK).decode(&raw)
			for _, k := range []string{"goods", "crossings"} {
				if got := string(raw.Totals[k]); got != "[]" {
					t.Errorf("totals.%s = %s, want []", k, got)
				}
			}
		})
	}
}
