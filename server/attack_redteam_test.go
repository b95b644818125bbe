package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
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

// TestAttackDeclarationGames: a declarant's games with customs
// declarations: the same batch again with one byte changed, another
// holder's permit number, a forged check character, a date outside the
// permit's window, a correction that moves the goods to another holder's
// permit, and two batches at once. Each is flagged or refused, and the
// permit's balance counts only its holder's goods.
func TestAttackDeclarationGames(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng)
		pm, _, _ := piecesPermit(t, h)
		h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
		compliance := h.token("authority-compliance")
		prov, agency := h.orgs["province"].ID, h.orgs["agency"].ID
		head := "declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"
		row := func(num string, declarant int64, permit, date string, qty int) string {
			return fmt.Sprintf("%s,%d,%s,%s,CN,KP,691110,porcelain tableware,%d,pcs,%d,USD,Namyang-Tumen\n", num, declarant, permit, date, qty, qty*50)
		}
		load := func(batch, csv string) licensing.IntakeResult {
			var res licensing.IntakeResult
			compliance.do(http.MethodPost, "/api/v1/declarations?batch="+batch, head+csv, "text/csv").want(http.StatusCreated).decode(&res)
			return res
		}
		flagged := func(res licensing.IntakeResult, num, rule string) {
			t.Helper()
			var ds []licensing.Declaration
			compliance.get("/api/v1/declarations?batch=" + res.Batch).want(http.StatusOK).decode(&ds)
			for _, d := range ds {
				if d.Number != num {
					continue
				}
				for _, f := range d.Flags {
					if f.Rule == rule {
						return
					}
				}
				t.Errorf("%s: no %s flag: %+v", num, rule, d.Flags)
				return
			}
			t.Errorf("%s not in the batch", num)
		}
		used := func() tradeplan.Decimal {
			var ds []licensing.Declaration
			compliance.get(fmt.Sprintf("/api/v1/declarations?permit=%d", pm.ID)).want(http.StatusOK).decode(&ds)
			sum := tradeplan.D(0)
			for _, d := range ds {
				if d.Counted && d.Current {
					sum = sum.Add(d.Quantity)
				}
			}
			return sum
		}
		b1 := row("CD-1", prov, pm.Number, "2027-07-20", 10)
		load("b1", b1)
		// The same batch id, one byte changed: refused, nothing changes.
		compliance.do(http.MethodPost, "/api/v1/declarations?batch=b1", head+strings.Replace(b1, ",10,", ",11,", 1), "text/csv").wantError(http.StatusConflict, tradeplan.EConflict)
		if u := used(); u.Cmp(tradeplan.D(10)) != 0 {
			t.Fatalf("after a changed replay: %s used", u)
		}
		// Another holder's permit number, a forged check character, a date
		// outside the window.
		forged := pm.Number[:len(pm.Number)-1] + map[bool]string{true: "A", false: "B"}[!strings.HasSuffix(pm.Number, "A")]
		res := load("b2", row("CD-2", agency, pm.Number, "2027-07-21", 5)+row("CD-3", prov, forged, "2027-07-21", 5)+row("CD-4", prov, pm.Number, "2028-02-01", 5))
		flagged(res, "CD-2", licensing.FlagOtherHolder)
		flagged(res, "CD-3", licensing.FlagBadPermitNumber)
		flagged(res, "CD-4", licensing.FlagOutsideValidity)
		// A correction moving CD-1 to the agency: no longer the holder's goods.
		res = load("b3", row("CD-1", agency, pm.Number, "2027-07-20", 10))
		if res.Corrected != 1 {
			t.Fatalf("correction %+v", res)
		}
		flagged(res, "CD-1", licensing.FlagOtherHolder)
		// Two batches at once: both load, one after the other, and the
		// balance counts both.
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i := range 2 {
			wg.Go(func() {
				codes[i] = compliance.do(http.MethodPost, fmt.Sprintf("/api/v1/declarations?batch=par-%d", i), head+row(fmt.Sprintf("CD-P%d", i), prov, pm.Number, "2027-07-22", 7), "text/csv").status
			})
		}
		wg.Wait()
		if codes[0] != http.StatusCreated || codes[1] != http.StatusCreated {
			t.Fatalf("two batches at once: %v", codes)
		}
		// CD-4 is outside the window but the holder's: it counts, flagged.
		if u, want := used(), tradeplan.D(5+14); u.Cmp(want) != 0 {
			t.Errorf("declared on the permit %s, want %s", u, want)
		}
	})
}

// TestAttackSiteFileGames: an office holding the authority's delegation
// accepts its own tree's site files; an office uploads its parent's file;
// an applicant uploads a bigger file after submitting, to have its exports
// assessed against it once accepted.
func TestAttackSiteFileGames(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng)
		h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
		h.addUser("agency-reviewer", "agency", tradeplan.RoleReviewer)
		h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
		admin := h.token("authority-admin")
		reviewer := h.token("authority-reviewer")
		province := h.token("province-submitter")
		prov, agency := h.orgs["province"].ID, h.orgs["agency"].ID
		provSites, agencySites := fmt.Sprintf("/api/v1/orgs/%d/sites", prov), fmt.Sprintf("/api/v1/orgs/%d/sites", agency)
		province.do(http.MethodPut, provSites, hairSites, "application/yaml").want(http.StatusCreated)
		h.token("agency-submitter").do(http.MethodPut, agencySites, hairSites, "application/yaml").want(http.StatusCreated)

		// An office uploads its parent's file: not its to write.
		if r := h.token("agency-submitter").do(http.MethodPut, provSites, strings.Replace(hairSites, "quantity: 9,", "quantity: 900,", 1), "application/yaml"); r.status < 400 {
			t.Fatalf("an office uploaded its parent's site file: %d %s", r.status, r.body)
		}
		// The authority delegates to the agency: it decides in the
		// authority's name, never about its own tree.
		admin.post("/api/v1/delegations", map[string]any{"office": agency, "reason": "site visits in the north"}).want(http.StatusCreated)
		delegate := h.token("agency-reviewer")
		for _, p := range []string{provSites, agencySites} {
			if r := delegate.post(p+"/versions/1/accept", map[string]string{"reason": "ours"}); r.status < 400 {
				t.Fatalf("a delegate accepted its own tree's file %s: %d %s", p, r.status, r.body)
			}
		}

		// Submitted with version 1; version 2, uploaded after, is accepted:
		// the plan stays assessed against version 1.
		admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
		call := h.openCall(admin, map[string]any{"organisations": []int64{prov}})
		var pd licensing.PlanDetail
		province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), hairPlan, "application/yaml").want(http.StatusCreated).decode(&pd)
		h.clock.advance(time.Hour)
		province.do(http.MethodPut, provSites, strings.Replace(hairSites, "quantity: 9,", "quantity: 900,", 1), "application/yaml").want(http.StatusCreated)
		reviewer.post(provSites+"/versions/2/accept", map[string]string{"reason": "counted"}).want(http.StatusOK)
		reviewer.get(fmt.Sprintf("/api/v1/plans/%d", pd.Plan.ID)).want(http.StatusOK).decode(&pd)
		if f := pd.Lines[0].Feasibility; f != nil && f.SiteVersion == 2 {
			t.Fatalf("a site file uploaded after submission assessed the plan: %+v", f.Feasibility)
		}
	})
}

// TestAttackHTMLInjection: markup in an organisation's name, a plan's goods
// and partner reaches the pages only as text.
func TestAttackHTMLInjection(t *testing.T) {
	h := newHarness(t, "sqlite")
	admin := h.token("authority-admin")
	importerAdmin := h.token("importer-admin")
	const evil = `<img src=x onerror=alert(1)>`
	importerAdmin.post("/api/v1/orgs", map[string]any{"parent_id": h.orgs["importer"].ID, "name": "Branch " + evil, "kind": "company", "country": "CN"}).want(http.StatusCreated)
	call := h.openCall(admin, map[string]any{"organisations": []int64{h.orgs["importer"].ID}})
	var pd licensing.PlanDetail
	h.token("importer-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID),
		"plan:\n  id: x\n  organisation: x\n  country: CN\n  period: 2027-H2\nlines:\n  - {direction: export, description: 'rice "+evil+"', hs: \"1006.30\", quantity: 1, unit: t, value: 1, currency: USD, destination: KP, partner: {name: 'P "+evil+"', country: KP}}\n",
		"application/yaml").want(http.StatusCreated).decode(&pd)
	b := h.browser()
	b.login("importer-admin")
	for _, p := range []string{"/orgs", "/plans", fmt.Sprintf("/plans/%d", pd.Plan.ID), fmt.Sprintf("/calls/%d", call.ID), "/audit"} {
		pg := b.get(p).want(http.StatusOK)
		if strings.Contains(pg.body, evil) {
			t.Errorf("%s: markup from the data is in the page unescaped", p)
		}
		if (p == "/orgs" || strings.HasPrefix(p, "/plans/")) && !strings.Contains(pg.body, "&lt;img src=x") {
			t.Errorf("%s: the name is not shown as text", p)
		}
	}
}
