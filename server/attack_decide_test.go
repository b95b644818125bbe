package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// The attacks of issues 12 (items 1, 2, 3, 5, 6) and 24 (items 1 to 4) on
// the licence decision, through the API (and the web forms where they
// exist) on each engine. Each test is a hostile applicant's or careless
// operator's way to a permit for what the UN bans or beyond a cap.

// listParties is a sanctions list for the attacks: "Hwang Sok H" is a
// possible match (0.885) with a partner in CN and a strong one (0.955) with
// a partner in KP; "Yuk Tung Energy" matches strongly when listed.
type listParties struct{ yukTung bool }

func (p listParties) ScreenParty(q tradeplan.Party) []tradeplan.Finding {
	name := strings.ToLower(q.Name)
	match := func(id, listed string, score float64, strength string) []tradeplan.Finding {
		out := tradeplan.Review
		if strength == "strong" {
			out = tradeplan.Prohibited
		}
		return []tradeplan.Finding{{Kind: tradeplan.KindParty, Outcome: out,
			Summary: fmt.Sprintf("%s match (%.3f) with a designated party on the UN list: %s (%s)", strength, score, listed, id),
			Basis:   &tradeplan.Basis{Citation: "UN 1718 list"},
			Match: &tradeplan.Match{List: "un", EntryID: id, Name: listed, MatchedName: listed, Query: name,
				Score: score, Strength: strength, EntryVersion: "v1"}}}
	}
	switch {
	case strings.Contains(name, "hwang sok"):
		if q.Country == "KP" {
			return match("KPi.003", "HWANG SOK HWA", 0.955, "strong")
		}
		return match("KPi.003", "HWANG SOK HWA", 0.885, "possible")
	case p.yukTung && strings.Contains(name, "yuk tung"):
		return match("KPe.075", "YUK TUNG ENERGY PTE LTD", 0.99, "strong")
	}
	return nil
}

func (listParties) ScreenVessel(tradeplan.Vessel) []tradeplan.Finding { return nil }

var (
	attackOnce sync.Once
	attackCl   *hs.Classifier
	attackEng  *rules.Engine
	attackErr  error
)

// withLists screens with the classifier, the goods rules, listParties and
// the match decisions stored in the harness's database, as the server
// does; listed says whether Yuk Tung Energy is on the list yet.
func withLists(t *testing.T, listed bool) harnessOption {
	attackOnce.Do(func() {
		if attackEng, attackErr = rules.Default(); attackErr != nil {
			return
		}
		attackCl, attackErr = hs.Default()
	})
	if attackErr != nil {
		t.Fatalf("screener: %v", attackErr)
	}
	return func(c *Config) {
		c.Screener = screen.New(screen.Config{Classifier: attackCl, Goods: attackEng, NewLedger: rules.NewLedger,
			Parties: listParties{yukTung: listed}, Decisions: c.Store})
	}
}

// attack is a harness with an authority reviewer and compliance officer,
// an agency submitter and a call for 2027-H2 open to anyone.
type attack struct {
	h          *harness
	admin      *client
	reviewer   *client
	compliance *client
	province   *client
	agency     *client
	call       licensing.CallView
}

func newAttack(t *testing.T, eng string, opts ...harnessOption) *attack {
	h := newHarness(t, eng, append([]harnessOption{withLists(t, false)}, opts...)...)
	h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
	h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
	h.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
	a := &attack{h: h, admin: h.token("authority-admin"), reviewer: h.token("authority-reviewer"),
		compliance: h.token("authority-compliance"), province: h.token("province-submitter"), agency: h.token("agency-submitter")}
	a.admin.post("/api/v1/crossings", map[string]any{"id": "rajin-port", "name": "Rajin port", "kind": "port", "countries": []string{"KP", "CN"}}).want(http.StatusCreated)
	a.call = a.openCall("2027-H2")
	return a
}

func (a *attack) openCall(period string) licensing.CallView {
	var c licensing.CallView
	a.admin.post("/api/v1/calls", map[string]any{"period": period, "deadline": "2027-03-31"}).want(http.StatusCreated).decode(&c)
	return c
}

// planDoc is a plan document for the KP organisations with the given lines
// (YAML flow mappings).
func decideDoc(country string, lines ...string) string {
	var b strings.Builder
	b.WriteString("plan:\n  id: attack\n  organisation: attacker\n")
	if country != "" {
		b.WriteString("  country: " + country + "\n")
	}
	b.WriteString("  period: 2027-H2\nlines:\n")
	for _, l := range lines {
		b.WriteString("  - " + l + "\n")
	}
	return b.String()
}

func (a *attack) submit(c *client, callID int64, doc string) *response {
	return c.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", callID), doc, "application/yaml")
}

func (a *attack) submitOK(c *client, callID int64, doc string) licensing.PlanDetail {
	var pd licensing.PlanDetail
	a.submit(c, callID, doc).want(http.StatusCreated).decode(&pd)
	return pd
}

func (a *attack) approve(planID int64, line int, body map[string]any) *response {
	if body == nil {
		body = map[string]any{}
	}
	if _, ok := body["reason"]; !ok {
		body["reason"] = "needed"
	}
	return a.reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/%d/approve", planID, line), body)
}

func (a *attack) permits(planID int64) []licensing.PermitView {
	var ps []licensing.PermitView
	a.reviewer.get(fmt.Sprintf("/api/v1/permits?plan=%d", planID)).want(http.StatusOK).decode(&ps)
	return ps
}

func problemAt(t *testing.T, e errorDetail, path string) {
	t.Helper()
	for _, p := range e.Problems {
		if strings.Contains(p.Path, path) || strings.Contains(p.Message, path) {
			return
		}
	}
	t.Fatalf("error %q has no problem at %s: %+v", e.Message, path, e.Problems)
}

func onEngines(t *testing.T, fn func(t *testing.T, eng string)) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			fn(t, eng)
		})
	}
}

// Issue 12.1: salted pollack amended to HS 9503.00 keeping the words, and
// packaged crab meat assessed as 9503.00 by a reviewer, stay prohibited;
// no compliance decision clears them and no approval issues a permit.
func TestAttackRecodedBannedLine(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP",
			`{direction: export, description: salted pollack, hs: "0305.69", quantity: 10, unit: t, value: 1000, currency: USD, destination: CN, crossing: Rajin port}`,
			`{direction: export, description: packaged crab meat, quantity: 10, unit: t, value: 1000, currency: USD, destination: CN, crossing: Rajin port}`))
		// The submitter re-codes the pollack, keeping the words.
		var amended licensing.PlanDetail
		a.province.do(http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/amend?reason=corrected+code", pd.Plan.ID), decideDoc("KP",
			`{direction: export, description: salted pollack, hs: "9503.00", quantity: 10, unit: t, value: 1000, currency: USD, destination: CN, crossing: Rajin port}`,
			`{direction: export, description: packaged crab meat, quantity: 10, unit: t, value: 1000, currency: USD, destination: CN, crossing: Rajin port}`),
			"application/yaml").want(http.StatusOK).decode(&amended)
		// The reviewer assesses the crab meat as toys.
		var lv licensing.LineView
		a.reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/2/assess", pd.Plan.ID), map[string]any{"hs": "9503.00", "reason": "toys"}).want(http.StatusOK).decode(&lv)
		for _, l := range append(amended.Lines[:1], lv) {
			if l.Verdict == nil || *l.Verdict != tradeplan.Prohibited {
				t.Errorf("line %d %q re-coded to 9503.00 is %v, want prohibited; findings %+v", l.Index, l.Description, l.Verdict, l.Findings)
			}
			for _, f := range l.Findings {
				if f.Outcome == tradeplan.Review {
					a.compliance.post(fmt.Sprintf("/api/v1/plans/%d/lines/%d/compliance", pd.Plan.ID, l.Index),
						map[string]any{"finding": f.Key, "decision": "cleared", "reason": "the code is 9503.00"})
				}
			}
			a.approve(pd.Plan.ID, l.Index, nil).wantError(http.StatusConflict, tradeplan.EConflict)
		}
		if ps := a.permits(pd.Plan.ID); len(ps) != 0 {
			t.Fatalf("permits issued for re-coded seafood: %+v", ps)
		}
	})
}

// Issue 12.1, the doubt: a classification review can be cleared only with
// the evidence recorded, never by a plain "cleared".
func TestAttackClassificationDoubtNeedsEvidence(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		// An invalid declared code is a classification review.
		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP",
			`{direction: import, description: milled rice, hs: "9999.99", quantity: 10, unit: t, value: 1000, currency: USD, origin: CN, crossing: Rajin port}`))
		key := ""
		for _, f := range pd.Lines[0].Findings {
			if f.Kind == tradeplan.KindClassification && f.Outcome == tradeplan.Review {
				key = f.Key
			}
		}
		if key == "" {
			t.Fatalf("no classification review: %+v", pd.Lines[0].Findings)
		}
		path := fmt.Sprintf("/api/v1/plans/%d/lines/1/compliance", pd.Plan.ID)
		e := a.compliance.post(path, map[string]any{"finding": key, "decision": "cleared", "reason": "fine"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
		problemAt(t, e, "evidence")
		a.compliance.post(path, map[string]any{"finding": key, "decision": "cleared", "reason": "rice",
			"evidence": "commercial invoice 2027/114 and phytosanitary certificate: milled rice, HS 1006.30"}).want(http.StatusOK)
	})
}

// Issue 12.2: an organisation in the DPRK cannot make its plan Vietnamese
// by writing country: VN, on any path.
func TestAttackPlanCountryFromDocument(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		vn := decideDoc("VN", `{direction: export, description: frozen shrimp, hs: "0306.17", quantity: 10, unit: t, value: 1000, currency: USD, destination: CN}`)
		e := a.submit(a.province, a.call.ID, vn).wantError(http.StatusBadRequest, tradeplan.EInvalid)
		problemAt(t, e, "country")
		// A draft edited into another country.
		var draft licensing.PlanDetail
		a.province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", a.call.ID), nil, "").want(http.StatusCreated).decode(&draft)
		if draft.Country != "KP" {
			t.Errorf("a plan created with no document is of %q, want the organisation's KP", draft.Country)
		}
		// A line added through the API with no route takes the country's side.
		a.province.post(fmt.Sprintf("/api/v1/plans/%d/lines", draft.Plan.ID), map[string]any{"direction": "import", "description": "milled rice",
			"hs": "1006.30", "quantity": 10, "unit": "t", "value": 1000, "currency": "USD", "origin": "CN"}).want(http.StatusCreated)
		a.province.post(fmt.Sprintf("/api/v1/plans/%d/lines", draft.Plan.ID), map[string]any{"direction": "import", "description": "wheat",
			"hs": "1001.99", "quantity": 10, "unit": "t", "value": 1000, "currency": "USD", "origin": "CN", "destination": "CN"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
		e = a.province.do(http.MethodPut, fmt.Sprintf("/api/v1/plans/%d", draft.Plan.ID), vn, "application/yaml").wantError(http.StatusBadRequest, tradeplan.EInvalid)
		problemAt(t, e, "country")
		a.province.post(fmt.Sprintf("/api/v1/plans/%d/submit", draft.Plan.ID), nil).want(http.StatusOK)
		// An amendment into another country.
		e = a.province.do(http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/amend?reason=x", draft.Plan.ID), vn, "application/yaml").wantError(http.StatusBadRequest, tradeplan.EInvalid)
		problemAt(t, e, "country")
		// The web upload.
		b := a.h.browser()
		b.login("province-submitter")
		form := url.Values{"call": {strconv.FormatInt(a.openCall("2027-H1").ID, 10)}, "document": {vn}, "format": {"yaml"}}
		form.Set(csrfField, b.get("/plans").want(http.StatusOK).csrf())
		p := b.post("/plans", form)
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "country") {
			t.Fatalf("web upload of a VN plan by a KP organisation: status %d\n%s", p.status, p.body)
		}
	})
}

// Issue 12.3: an import of a KP plan that says destination CN, or an
// export that says origin CN, is an error at the line and field.
func TestAttackRouteMakesNoSense(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		e := a.submit(a.province, a.call.ID, decideDoc("KP",
			`{direction: import, description: diesel fuel, hs: "2710.19", quantity: 100, unit: t, value: 1000, currency: USD, origin: CN, destination: CN, crossing: Rajin port}`,
			`{direction: export, description: machinery parts, hs: "8431.39", quantity: 1, unit: t, value: 1000, currency: USD, origin: CN, destination: RU, crossing: Rajin port}`,
		)).wantError(http.StatusBadRequest, tradeplan.EInvalid)
		problemAt(t, e, "lines[1].destination")
		problemAt(t, e, "lines[2].origin")
		// A crossing between two other countries is no route of a KP plan.
		a.admin.post("/api/v1/crossings", map[string]any{"id": "hunchun-kraskino", "name": "Hunchun-Kraskino", "kind": "road", "countries": []string{"CN", "RU"}}).want(http.StatusCreated)
		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP",
			`{direction: import, description: milled rice, hs: "1006.30", quantity: 10, unit: t, value: 1000, currency: USD, origin: CN, crossing: Hunchun-Kraskino}`))
		a.approve(pd.Plan.ID, 1, nil).wantError(http.StatusConflict, tradeplan.EConflict)
	})
}

// Issue 12.5: diesel in pieces goes to review; once cleared it must still
// not be approved, since it cannot be counted against the barrel cap.
func TestAttackUnconvertibleCappedUnit(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP",
			`{direction: import, description: diesel fuel, hs: "2710.19", quantity: 1000000, unit: pcs, value: 1000, currency: USD, origin: CN, crossing: Rajin port}`))
		for _, f := range pd.Lines[0].Findings {
			if f.Outcome == tradeplan.Review {
				a.compliance.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/compliance", pd.Plan.ID),
					map[string]any{"finding": f.Key, "decision": "cleared", "reason": "pieces are drums"}).want(http.StatusOK)
			}
		}
		e := a.approve(pd.Plan.ID, 1, nil).wantError(http.StatusConflict, tradeplan.EConflict)
		if !strings.Contains(e.Message, "bbl") {
			t.Errorf("the refusal does not name the cap's unit: %q", e.Message)
		}
	})
}

// Issue 12.6: a permit valid from December 2027 through 2028 counts in
// both cap windows: 450,000 bbl then leave 50,000 bbl for 2028.
func TestAttackPermitSpansCapWindows(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		long := a.openCall("2027-12-01/2028-12-31")
		pd := a.submitOK(a.province, long.ID, decideDoc("KP",
			`{direction: import, description: diesel fuel, hs: "2710.19", quantity: 450000, unit: bbl, value: 1000, currency: USD, origin: CN, crossing: Rajin port}`))
		var ap struct {
			Permit tradeplan.Permit `json:"permit"`
		}
		a.approve(pd.Plan.ID, 1, nil).want(http.StatusOK).decode(&ap)
		spans2028 := false
		for _, c := range ap.Permit.Caps {
			spans2028 = spans2028 || !c.To.Before(ap.Permit.ValidTo)
		}
		if !spans2028 {
			t.Errorf("permit valid to %s draws only on %+v", ap.Permit.ValidTo.Format("2006-01-02"), ap.Permit.Caps)
		}
		h1 := a.openCall("2028-H1")
		pd2 := a.submitOK(a.agency, h1.ID, strings.Replace(decideDoc("KP",
			`{direction: import, description: diesel fuel, hs: "2710.19", quantity: 100000, unit: bbl, value: 1000, currency: USD, origin: CN, crossing: Rajin port}`), "2027-H2", "2028-H1", 1))
		a.approve(pd2.Plan.ID, 1, nil).wantError(http.StatusConflict, tradeplan.EConflict)
	})
}

// Issue 24.1: a line's date never moves the rules' date: a date outside
// the call's period is an error at the line's date; dates are shown with
// the rules' date and the diff shows their change.
func TestAttackLineDate(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		old := strings.Replace(decideDoc("KP",
			`{direction: export, description: salted pollack, hs: "0305.69", quantity: 10, unit: t, value: 1000, currency: USD, destination: CN, date: 2016-06-01}`,
			`{direction: import, description: diesel fuel, hs: "2710.19", quantity: 55000, unit: t, value: 1000, currency: USD, origin: CN, date: 2018-06-01}`),
			"period: 2027-H2", "period: 2016-01-01/2018-12-31", 1)
		e := a.submit(a.province, a.call.ID, old).wantError(http.StatusBadRequest, tradeplan.EInvalid)
		problemAt(t, e, "lines[1].date")
		problemAt(t, e, "lines[2].date")

		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP",
			`{direction: import, description: milled rice, hs: "1006.30", quantity: 10, unit: t, value: 1000, currency: USD, origin: CN, crossing: Rajin port}`))
		var amended licensing.PlanDetail
		a.province.do(http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/amend?reason=dated", pd.Plan.ID), decideDoc("KP",
			`{direction: import, description: milled rice, hs: "1006.30", quantity: 10, unit: t, value: 1000, currency: USD, origin: CN, crossing: Rajin port, date: 2027-08-01}`),
			"application/yaml").want(http.StatusOK).decode(&amended)
		if amended.Diff == nil || len(amended.Diff.Changed) != 1 || amended.Diff.Changed[0].Fields[0].Field != "date" {
			t.Fatalf("the diff does not show the date: %+v", amended.Diff)
		}
		l := amended.Lines[0]
		if l.Date != "2027-08-01" || l.RulesAsOf == "" || l.RulesAsOf == l.Date {
			t.Errorf("line date %q rules as of %q", l.Date, l.RulesAsOf)
		}
		a.h.browser()
		b := a.h.browser()
		b.login("authority-reviewer")
		b.get(fmt.Sprintf("/plans/%d", pd.Plan.ID)).want(http.StatusOK).contains("2027-08-01", "rules as of "+l.RulesAsOf)
	})
}

// Issue 24.2: a compliance officer's clearing of "Hwang Sok H" in CN does
// not clear the same name in KP (a strong match), in the amended plan or
// in another organisation's plan; nor the same facts in another
// organisation's plan.
func TestAttackMatchDecisionContext(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		line := func(country string) string {
			return `{direction: import, description: milled rice, hs: "1006.30", quantity: 10, unit: t, value: 1000, currency: USD, origin: CN, crossing: Rajin port, partner: {name: Hwang Sok H, country: ` + country + `}}`
		}
		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP", line("CN")))
		f := pd.Lines[0].Findings
		if len(f) == 0 || f[0].Outcome != tradeplan.Review {
			t.Fatalf("findings %+v", f)
		}
		a.compliance.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/compliance", pd.Plan.ID),
			map[string]any{"finding": f[0].Key, "decision": "cleared", "reason": "another person"}).want(http.StatusOK)
		// The same plan amended to a partner in KP: the decision does not carry.
		a.province.do(http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/amend?reason=x", pd.Plan.ID), decideDoc("KP", line("KP")), "application/yaml").want(http.StatusOK)
		a.approve(pd.Plan.ID, 1, nil).wantError(http.StatusConflict, tradeplan.EConflict)
		// Another organisation, partner in KP (strong) and in CN (same facts).
		other := a.submitOK(a.agency, a.call.ID, decideDoc("KP", line("KP"), strings.Replace(line("CN"), "milled rice", "wheat flour", 1)))
		for _, l := range other.Lines {
			if l.Verdict == nil || *l.Verdict == tradeplan.Clear {
				t.Errorf("agency line %d is %v: another organisation's decision applied", l.Index, l.Verdict)
			}
			a.approve(other.Plan.ID, l.Index, nil).wantError(http.StatusConflict, tradeplan.EConflict)
		}
		a.reviewer.post(fmt.Sprintf("/api/v1/plans/%d/approve-clear", other.Plan.ID), map[string]any{"reason": "x"}).want(http.StatusOK)
		if ps := a.permits(other.Plan.ID); len(ps) != 0 {
			t.Fatalf("permits from another organisation's decision: %+v", ps)
		}
	})
}

// Issue 24.3: a line screened clear before its partner was listed is not
// approved once the list names it, singly, in bulk, or through the web.
func TestAttackApprovalRescreens(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		line := `{direction: import, description: milled rice, hs: "1006.30", quantity: 10, unit: t, value: 1000, currency: USD, origin: CN, crossing: Rajin port, partner: {name: Yuk Tung Energy Pte Ltd, country: SG}}`
		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP", line, strings.Replace(line, "milled rice", "wheat flour", 1)))
		if pd.Summary == nil || pd.Summary.Clear != 2 {
			t.Fatalf("before the listing: %+v", pd.Summary)
		}
		// The list that names the partner is imported; the server restarts.
		cfg := a.h.srv.cfg
		withLists(t, true)(&cfg)
		a.h.start(cfg)
		e := a.approve(pd.Plan.ID, 1, nil).wantError(http.StatusConflict, tradeplan.EConflict)
		if !strings.Contains(e.Message, "prohibited") || !strings.Contains(e.Message, "clear") {
			t.Errorf("the refusal does not show the difference: %q", e.Message)
		}
		a.reviewer.post(fmt.Sprintf("/api/v1/plans/%d/approve-clear", pd.Plan.ID), map[string]any{"reason": "x"}).wantError(http.StatusConflict, tradeplan.EConflict)
		b := a.h.browser()
		b.login("authority-reviewer")
		page := b.get(fmt.Sprintf("/plans/%d", pd.Plan.ID)).want(http.StatusOK)
		b.post(fmt.Sprintf("/plans/%d/lines/2/approve", pd.Plan.ID), url.Values{"reason": {"x"}, csrfField: {page.csrf()}}).want(http.StatusConflict)
		if ps := a.permits(pd.Plan.ID); len(ps) != 0 {
			t.Fatalf("permits for a listed partner: %+v", ps)
		}
	})
}

// Issue 24.4: 1,000 porcelain pieces worth US$50,000 are clear (US$50 a
// piece); a reduced approval of 2 pieces keeping the value is US$25,000 a
// piece and prohibited, through the API and the web form.
func TestAttackReducedApprovalUnitValue(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		a := newAttack(t, eng)
		pd := a.submitOK(a.province, a.call.ID, decideDoc("KP",
			`{direction: import, description: porcelain tableware, hs: "6911.10", quantity: 1000, unit: pcs, value: 50000, currency: USD, origin: CN, crossing: Rajin port}`,
			`{direction: import, description: porcelain tableware for the hotel, hs: "6911.10", quantity: 1000, unit: pcs, value: 50000, currency: USD, origin: CN, crossing: Rajin port}`))
		if pd.Summary == nil || pd.Summary.Clear != 2 {
			t.Fatalf("tableware at US$50 a piece: %+v", pd.Summary)
		}
		a.approve(pd.Plan.ID, 1, map[string]any{"quantity": 2}).wantError(http.StatusConflict, tradeplan.EConflict)
		b := a.h.browser()
		b.login("authority-reviewer")
		page := b.get(fmt.Sprintf("/plans/%d", pd.Plan.ID)).want(http.StatusOK)
		b.post(fmt.Sprintf("/plans/%d/lines/2/approve", pd.Plan.ID), url.Values{"reason": {"x"}, "quantity": {"2"}, csrfField: {page.csrf()}}).want(http.StatusConflict)
		// Reduced in proportion, it is lawful.
		a.approve(pd.Plan.ID, 1, map[string]any{"quantity": 2, "value": 100}).want(http.StatusOK)
	})
}
