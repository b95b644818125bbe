package server

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestNoListCheckInsideATransaction: a licensing transaction that screens
// (approvals, uses) never asks for a fresh look at the stored lists from
// inside: that look takes a second pooled connection while the transaction
// holds one, and as many approvals at once as the pool has connections
// would wait for each other for ever. The lists are checked just before the
// transaction begins.
func TestNoListCheckInsideATransaction(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			var mu sync.Mutex
			var inside, before int
			h := newHarness(t, eng, func(c *Config) {
				c.Engine = func(ctx context.Context, maxAge time.Duration) Engine {
					if maxAge == 0 {
						mu.Lock()
						if licensing.InTransaction(ctx) {
							inside++
						} else {
							before++
						}
						mu.Unlock()
					}
					return Engine{Screener: c.Screener, Parties: c.Parties}
				}
			})
			h.addUser("authority-reviewer", "authority", "reviewer")
			admin := h.token("authority-admin")
			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge", "status": "open"}).want(http.StatusCreated)
			call := h.openCall(admin, map[string]any{"organisations": []int64{h.orgs["province"].ID}})
			var prov licensing.PlanDetail
			h.token("province-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID),
				planDoc("p", "province", riceLine, riceLine), "application/yaml").want(http.StatusCreated).decode(&prov)
			rev := h.token("authority-reviewer")
			rev.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", prov.Plan.ID), map[string]any{"reason": "rice"}).want(http.StatusOK)
			rev.post(fmt.Sprintf("/api/v1/plans/%d/approve-clear", prov.Plan.ID), map[string]any{"reason": "rice"}).want(http.StatusOK)
			mu.Lock()
			defer mu.Unlock()
			if inside != 0 {
				t.Errorf("%d fresh looks at the stored lists from inside a transaction", inside)
			}
			if before == 0 {
				t.Errorf("the lists were never checked before an approval")
			}
		})
	}
}
