package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// piecesPermit issues a permit for 1,000 pieces of porcelain tableware to the
// province and moves the clock into its window, with its crossing open.
func piecesPermit(t *testing.T, h *harness) (tradeplan.Permit, *client, *client) {
	t.Helper()
	h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
	admin := h.token("authority-admin")
	admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge", "status": "open"}).want(http.StatusCreated)
	call := h.openCall(admin, map[string]any{"organisations": []int64{h.orgs["province"].ID}})
	province := h.token("province-submitter")
	var pd licensing.PlanDetail
	province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), planDoc("p", "province",
		`  - {direction: import, description: porcelain tableware, hs: "6911.10", quantity: 1000, unit: pcs, value: 50000, currency: USD, crossing: Namyang-Tumen, partner: {name: Jingdezhen Demo Porcelain, country: CN}}
`), "application/yaml").want(http.StatusCreated).decode(&pd)
	reviewer := h.token("authority-reviewer")
	// A reduced approval must be whole pieces too.
	e := reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", pd.Plan.ID), map[string]any{"quantity": 999.5, "reason": "tableware"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
	problemAt(t, e, "quantity")
	var ar approveResponse
	reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", pd.Plan.ID), map[string]any{"reason": "tableware"}).want(http.StatusOK).decode(&ar)
	h.clock.advance(140 * 24 * time.Hour) // into the period
	return ar.Permit, province, admin
}

// TestAttackFractionalPieces: half a vase crossed under a permit counted in
// pieces, through the API, the web form and a customs declaration; a plan
// asked for 2.5 pieces. A count of pieces is whole on every path.
func TestAttackFractionalPieces(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng)
		pm, province, _ := piecesPermit(t, h)
		use := fmt.Sprintf("/api/v1/permits/%d/use", pm.ID)
		for _, q := range []any{0.5, 10.25, "1e-3"} {
			e := province.post(use, map[string]any{"quantity": q, "value": 10, "reference": "half a vase"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			problemAt(t, e, "quantity")
		}
		// The web form.
		b := h.browser()
		b.login("province-submitter")
		pg := b.get("/permits").want(http.StatusOK)
		b.post(fmt.Sprintf("/permits/%d/use", pm.ID), url.Values{csrfField: {pg.csrf()}, "quantity": {"0.5"}, "value": {"10"}, "reference": {"half a vase"}}).want(http.StatusBadRequest)
		var pv licensing.PermitView
		province.get(fmt.Sprintf("/api/v1/permits/%d", pm.ID)).want(http.StatusOK).decode(&pv)
		if !pv.QuantityUsed.IsZero() || len(pv.Uses) != 0 {
			t.Fatalf("a fraction of a piece was drawn: %+v", pv)
		}
		province.post(use, map[string]any{"quantity": 2, "value": 100, "reference": "two plates"}).want(http.StatusOK)

		// A customs declaration of 2.5 pieces is bad input at its line and field.
		h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
		compliance := h.token("authority-compliance")
		csv := fmt.Sprintf("declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"+
			"CD-1,%d,%s,2027-07-20,CN,KP,691110,porcelain tableware,2,pcs,100,USD,Namyang-Tumen\n"+
			"CD-2,%d,%s,2027-07-20,CN,KP,691110,porcelain tableware,2.5,pcs,100,USD,Namyang-Tumen\n", h.orgs["province"].ID, pm.Number, h.orgs["province"].ID, pm.Number)
		e := compliance.do(http.MethodPost, "/api/v1/declarations?batch=frac", csv, "text/csv").wantError(http.StatusBadRequest, tradeplan.EInvalid)
		if len(e.Problems) != 1 || e.Problems[0].Line != 3 || e.Problems[0].Path != "quantity" {
			t.Fatalf("2.5 pieces not placed: %+v", e)
		}
		// Pairs and dozens count pieces too: half a pair is one shoe, not a pair.
		for _, unit := range []string{"pairs", "doz"} {
			bad := strings.Replace(csv, "2.5,pcs", "0.5,"+unit, 1)
			compliance.do(http.MethodPost, "/api/v1/declarations?batch=frac-"+unit, bad, "text/csv").wantError(http.StatusBadRequest, tradeplan.EInvalid)
		}

		// A plan line of 2.5 pieces, by document and line by line.
		call := h.openCall(h.token("authority-admin"), map[string]any{"organisations": []int64{h.orgs["province"].ID}, "period": "2027-H2", "deadline": "2027-12-31"})
		e = province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID), planDoc("p2", "province",
			`  - {direction: import, description: porcelain tableware, hs: "6911.10", quantity: 2.5, unit: pcs, value: 50, currency: USD, origin: CN}
`), "application/yaml").wantError(http.StatusBadRequest, tradeplan.EInvalid)
		problemAt(t, e, "quantity")
		var draft licensing.PlanDetail
		province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID), nil, "").want(http.StatusCreated).decode(&draft)
		e = province.post(fmt.Sprintf("/api/v1/plans/%d/lines", draft.Plan.ID), map[string]any{"direction": "import", "description": "vases", "quantity": 2.5, "unit": "pcs"}).
			wantError(http.StatusBadRequest, tradeplan.EInvalid)
		problemAt(t, e, "quantity")
		// Tonnes stay divisible.
		province.post(fmt.Sprintf("/api/v1/plans/%d/lines", draft.Plan.ID), map[string]any{"direction": "import", "description": "milled rice", "quantity": 2.5, "unit": "t"}).want(http.StatusCreated)
	})
}

// TestAttackScreenRateLimit: the open screening endpoints had no limit per
// client, so one anonymous client could keep every screening slot busy
// (the landing page's form took no slot at all). They now share one bucket
// per client address with Retry-After, like login and verification.
func TestAttackScreenRateLimit(t *testing.T) {
	h := newHarness(t, "sqlite", func(c *Config) {
		c.ScreenPerIP = Rate{Burst: 4, Every: 10 * time.Second}
	})
	c := h.anon()
	doc := planDoc("p", "province", riceLine)
	calls := []func() *response{
		func() *response { return c.do(http.MethodPost, "/api/v1/screen", doc, "application/yaml") },
		func() *response {
			return c.post("/api/v1/parties/compare", map[string]any{"name1": "Kim Yong Chol", "name2": "KIM, Yong Chol", "kind": "individual"})
		},
		func() *response {
			return c.post("/api/v1/parties/screen", map[string]any{"names": []string{"Lee Je Son"}})
		},
	}
	for i, call := range calls {
		if r := call(); r.status == http.StatusTooManyRequests {
			t.Fatalf("request %d refused: %s", i+1, r.body)
		}
	}
	b := h.browser()
	b.post("/screen", url.Values{"document": {doc}}).want(http.StatusOK)
	for _, call := range calls {
		r := call()
		r.wantError(http.StatusTooManyRequests, ERateLimited)
		if got := r.header.Get("Retry-After"); got != "10" {
			t.Errorf("%s: Retry-After %q, want 10", r.path, got)
		}
	}
	if p := b.post("/screen", url.Values{"document": {doc}}); p.status != http.StatusTooManyRequests {
		t.Errorf("landing page after the bucket is empty: %d, want 429", p.status)
	}
	h.clock.advance(10 * time.Second)
	calls[0]().want(http.StatusOK)
}
