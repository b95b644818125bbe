package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// uiWorkDoc has a line for each state the worklists tell apart: a review
// (an exemption a compliance officer must confirm), a capped import, a
// prohibited export and a clear import.
const uiWorkDoc = `plan:
  id: work-test
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H2
lines:
  - {direction: import, description: "lathes for the repair shop", hs: "8458.11", quantity: 2, unit: pcs, value: 90000.10, currency: USD,
     origin: CN, crossing: Namyang-Tumen, exemption: "1718 Committee exemption 2027/01"}
  - {direction: import, description: diesel fuel, hs: "2710.19", quantity: 500, unit: t, value: 450000.20, currency: USD,
     origin: CN, crossing: Namyang-Tumen}
  - {direction: export, description: "=HYPERLINK(salted pollack)", hs: "0305.69", quantity: 300, unit: t, value: 420000.05, currency: USD,
     destination: CN, crossing: Namyang-Tumen}
  - {direction: import, description: milled rice, hs: "1006.30", quantity: 100, unit: t, value: 50000, currency: EUR,
     origin: CN, crossing: Namyang-Tumen}
`

// uiWorkSetup opens the call, signs in the submitter and uploads
// uiWorkDoc, and returns the plan's path.
func uiWorkSetup(t *testing.T, h *harness) (call licensing.CallView, loc string, sub *browser) {
	t.Helper()
	uiAddUser(t, h, "authority-reviewer", "authority", tradeplan.RoleReviewer)
	uiAddUser(t, h, "authority-compliance", "authority", tradeplan.RoleCompliance)
	call = uiSeed(t, h)
	sub = h.browser()
	sub.login("province-submitter")
	// Before the upload: the deadline, and no plan yet.
	home := sub.get("/").want(http.StatusOK)
	checkHTML(t, home)
	home.contains("What needs you now", "No plan yet", fmt.Sprintf("call %d", call.ID), "days left")
	loc = sub.post("/plans", url.Values{"call": {fmt.Sprint(call.ID)}, "document": {uiWorkDoc}, csrfField: {sub.get("/plans").csrf()}}).
		redirectsTo("/plans/")
	return call, loc, sub
}

// TestUIWorklists: the first page after sign-in says what needs each role
// now, and nothing of another organisation.
func TestUIWorklists(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			call, loc, sub := uiWorkSetup(t, h)
			id := strings.TrimPrefix(loc, "/plans/")

			home := sub.get("/").want(http.StatusOK)
			home.contains("Answered", "plan "+id, "(submitted)").lacks("No plan yet")

			rev := h.browser()
			rev.login("authority-reviewer")
			rh := rev.get("/").want(http.StatusOK)
			checkHTML(t, rh)
			rh.contains("Plans with lines waiting for you", "Plan "+id+": North Hamgyong Provincial Trade Bureau", "4 pending lines",
				"Calls by deadline", fmt.Sprintf("/plans?call=%d&amp;status=submitted", call.ID))

			co := h.browser()
			co.login("authority-compliance")
			ch := co.get("/").want(http.StatusOK)
			checkHTML(t, ch)
			ch.contains("Open review findings and party matches", "Plan "+id+" line 1", "lathes for the repair shop", "Open enforcement cases")
			ch.lacks("Plan " + id + " line 4") // the clear line asks nothing of them

			adm := h.browser()
			adm.login("authority-admin")
			ah := adm.get("/").want(http.StatusOK)
			checkHTML(t, ah)
			ah.contains("Crossings", "namyang-tumen", "Sanctions lists and data")

			// Decided: once every line is decided the applicant sees it.
			ctx := context.Background()
			svc := h.srv.Licensing()
			sys := tradeplan.SystemActor("test")
			pid := mustInt(t, id)
			if _, err := svc.RefuseProhibited(ctx, sys, pid, "UN ban"); err != nil {
				t.Fatal(err)
			}
			for _, l := range []int{1, 2, 4} {
				if _, err := svc.RefuseLine(ctx, sys, pid, l, "not this period"); err != nil {
					t.Fatal(err)
				}
			}
			sub.get("/").want(http.StatusOK).contains("What the authority decided", "every line decided, 0 approved")
			rev.get("/").want(http.StatusOK).contains("No line is waiting for a decision")

			// Another organisation: its own worklist, nothing of the province.
			other := h.browser()
			other.login("importer-admin")
			other.get("/").want(http.StatusOK).lacks("North Hamgyong", "Plan "+id)
		})
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// TestUIPlanSummaryExportsDocuments: the plan's summary (counts, the
// currency balance exactly, the lines needing a decision, folded), its
// lines as CSV with formulas neutralised, its document to amend from; and
// all of it 404 to another organisation.
func TestUIPlanSummaryExportsDocuments(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			_, loc, sub := uiWorkSetup(t, h)
			pp := sub.get(loc).want(http.StatusOK)
			checkHTML(t, pp)
			pp.contains("Lines by verdict", "Lines by decision", "Exports against imports, by value", "Lines that need a decision (4)")
			// USD: 420 000.05 out, 90 000.10 + 450 000.20 in; EUR: 50 000 in. Exact, never 1e5 or a float.
			pp.contains("420\u202f000.05", "540\u202f000.3", "-120\u202f000.25", "-50\u202f000")
			if n := strings.Count(pp.body, "<details><summary>Line "); n != 4 {
				t.Errorf("%d folded lines, want 4", n)
			}

			csvp := sub.get(loc + "/lines.csv").want(http.StatusOK)
			if cd := csvp.header.Get("Content-Disposition"); cd != `attachment; filename=plan-`+strings.TrimPrefix(loc, "/plans/")+`-v1-lines.csv` {
				t.Errorf("Content-Disposition %q", cd)
			}
			if ct := csvp.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("Content-Type %q", ct)
			}
			rows, err := csv.NewReader(strings.NewReader(csvp.body)).ReadAll()
			if err != nil || len(rows) != 5 {
				t.Fatalf("lines.csv: %d rows, %v", len(rows), err)
			}
			if rows[3][2] != "'=HYPERLINK(salted pollack)" || rows[3][14] != "prohibited" || rows[2][6] != "500" {
				t.Errorf("lines.csv row 3: %q; row 2: %q", rows[3], rows[2])
			}

			// The document, written back, reads as the same plan: an amendment starts from it.
			for _, f := range []plan.Format{plan.YAML, plan.JSON} {
				d := sub.get(loc + "/document." + string(f)).want(http.StatusOK)
				if !strings.Contains(d.header.Get("Content-Disposition"), "attachment") {
					t.Errorf("document.%s: Content-Disposition %q", f, d.header.Get("Content-Disposition"))
				}
				p, err := plan.Parse([]byte(d.body), "document."+string(f), f)
				if err != nil {
					t.Fatalf("document.%s does not read back: %v\n%s", f, err, d.body)
				}
				if len(p.Lines) != 4 || p.Lines[1].Value.String() != "450000.2" || p.Lines[0].Exemption == "" {
					t.Errorf("document.%s: %d lines, %+v", f, len(p.Lines), p.Lines)
				}
			}
			id := strings.TrimPrefix(loc, "/plans/")
			am := sub.get(loc + "/document.yaml")
			sub.post(loc+"/amend", url.Values{"document": {strings.Replace(am.body, "quantity: 500", "quantity: 400", 1)}, "reason": {"less diesel"},
				csrfField: {pp.csrf()}}).redirectsTo(loc)
			sub.get(loc).want(http.StatusOK).contains("Changes from version 1", "500 → 400")

			// Another organisation: not found, for every download.
			other := h.browser()
			other.login("importer-admin")
			for _, p := range []string{loc + "/lines.csv", loc + "/document.yaml", loc + "/document.json", loc + "/document.yaml?version=1"} {
				other.get(p).want(http.StatusNotFound).lacks("lathes", "HYPERLINK")
			}
			other.get("/plans.csv").want(http.StatusOK).lacks("North Hamgyong", "plan:"+id)
			other.get("/permits.csv").want(http.StatusOK).lacks("lathes", "diesel")
			other.get("/audit.csv").want(http.StatusOK).lacks("plan:"+id, "North Hamgyong")
			other.get("/audit?subject=plan:" + id).want(http.StatusOK).contains("No entries.")
		})
	}
}

// TestUIListsPaging: plans, permits and audit a page at a time, with the
// filters kept across pages and in the CSV link; every row once.
func TestUIListsPaging(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			ctx := context.Background()
			sys := tradeplan.SystemActor("test")
			svc := h.srv.Licensing()
			uiSeed(t, h)
			c, err := CallFromRequest("2027-H2", "2027-03-31", "open to all", nil, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			c.Issuer = h.orgs["authority"].ID
			if c, err = svc.OpenCall(ctx, sys, c); err != nil {
				t.Fatal(err)
			}
			actx := tradeplan.WithActor(ctx, sys)
			var titles []string
			for i := range 5 {
				o, err := h.db.CreateOrg(actx, tradeplan.Organisation{ParentID: h.orgs["province"].ID, Name: fmt.Sprintf("Paging agency %d", i),
					Kind: tradeplan.OrgAgency, Country: "KP"})
				if err != nil {
					t.Fatal(err)
				}
				doc, err := plan.Parse([]byte(strings.Replace(uiPlanYAML, "North Hamgyong Provincial Trade Bureau", o.Name, 1)), "p.yaml", plan.YAML)
				if err != nil {
					t.Fatal(err)
				}
				rec, err := svc.CreatePlan(ctx, sys, licensing.PlanInput{CallID: c.ID, Organisation: o.ID, Plan: doc})
				if err != nil {
					t.Fatal(err)
				}
				if i%2 == 0 {
					if _, err := svc.SubmitPlan(ctx, sys, rec.ID); err != nil {
						t.Fatal(err)
					}
				}
				titles = append(titles, rec.Title)
			}
			adm := h.browser()
			adm.login("province-admin")
			seen := map[string]int{}
			next := "/plans?q=paging+agency&limit=2"
			pages := 0
			for next != "" {
				p := adm.get(next).want(http.StatusOK)
				checkHTML(t, p)
				p.contains("5 in all")
				// The rows' plans (the organisation filter lists every agency too).
				for _, m := range regexp.MustCompile(`<th scope="row"><a href="/plans/\d+">\d+: (Paging agency \d)</a>`).FindAllStringSubmatch(p.body, -1) {
					seen[m[1]]++
				}
				pages++
				m := regexp.MustCompile(`href="(/plans\?[^"]*before=[0-9]+[^"]*)" rel="next"`).FindStringSubmatch(p.body)
				next = ""
				if m != nil {
					next = html.UnescapeString(m[1])
					if !strings.Contains(next, "q=paging+agency") || !strings.Contains(next, "limit=2") {
						t.Errorf("next page %q loses the filters", next)
					}
				}
				if pages > 5 {
					t.Fatal("paging does not end")
				}
			}
			if pages != 3 || len(seen) != len(titles) {
				t.Errorf("%d pages, plans seen %v; want 3 pages and each of %d plans", pages, seen, len(titles))
			}
			for _, ti := range titles {
				if seen[ti] != 1 {
					t.Errorf("plan %q seen %d times over the pages, want once", ti, seen[ti])
				}
			}
			// Filters: status, and the CSV of the same selection.
			p := adm.get("/plans?q=paging&status=draft").want(http.StatusOK).contains("2 in all")
			p.contains(`href="/plans.csv?q=paging&amp;status=draft"`)
			rows, err := csv.NewReader(strings.NewReader(adm.get("/plans.csv?q=paging&status=draft").want(http.StatusOK).body)).ReadAll()
			if err != nil || len(rows) != 3 {
				t.Errorf("plans.csv of the drafts: %d rows, %v", len(rows), err)
			}
			adm.get("/plans?status=lost").want(http.StatusBadRequest).contains("status: want draft, submitted or decided")
			adm.get("/plans?before=x").want(http.StatusBadRequest)
			adm.get("/permits?status=lost").want(http.StatusBadRequest)
			adm.get("/plans?limit=5000").want(http.StatusBadRequest)
			// A search is text, never a pattern: % and _ match themselves.
			adm.get("/plans?q=%25").want(http.StatusOK).contains("0 in all")
			adm.get("/plans?q=paging_agency").want(http.StatusOK).contains("0 in all")

			// The audit log, a page at a time, newest first, filtered by action.
			au := adm.get("/audit?limit=3").want(http.StatusOK)
			checkHTML(t, au)
			m := regexp.MustCompile(`href="(/audit\?[^"]*before=([0-9]+)[^"]*)" rel="next"`).FindStringSubmatch(au.body)
			if m == nil {
				t.Fatal("audit: no next page")
			}
			au2 := adm.get(html.UnescapeString(m[1])).want(http.StatusOK)
			seqs := regexp.MustCompile(`<th scope="row">([0-9]+)</th>`).FindAllStringSubmatch(au.body+au2.body, -1)
			if len(seqs) != 6 {
				t.Fatalf("audit: %d rows on two pages of 3", len(seqs))
			}
			for i := 1; i < len(seqs); i++ {
				if mustInt(t, seqs[i][1]) >= mustInt(t, seqs[i-1][1]) {
					t.Errorf("audit rows not newest first: %v", seqs)
				}
			}
			adm.get("/audit?action=plan.submit").want(http.StatusOK).contains("plan.submit").lacks("org.create")
		})
	}
}

// TestUIChartsAndPermitExports: the permits' charts (by status, by use)
// with their tables, the call's standing and totals by HS chapter, the
// permits CSV; another organisation sees none of it.
func TestUIChartsAndPermitExports(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			call, loc, sub := uiWorkSetup(t, h)
			ctx := context.Background()
			pid := mustInt(t, strings.TrimPrefix(loc, "/plans/"))
			if _, _, err := h.srv.Licensing().ApproveLine(ctx, tradeplan.SystemActor("test"), pid, 4, licensing.Approval{Reason: "food"}); err != nil {
				t.Fatal(err)
			}
			rev := h.browser()
			rev.login("authority-reviewer")
			pl := rev.get("/permits?direction=import").want(http.StatusOK)
			checkHTML(t, pl)
			pl.contains("1 in all", "milled rice", `href="/permits/charts?direction=import"`, `href="/permits.csv?direction=import"`)
			rev.get("/permits?direction=export").want(http.StatusOK).contains("0 in all").lacks("milled rice")

			ch := rev.get("/permits/charts?direction=import").want(http.StatusOK)
			checkHTML(t, ch)
			ch.contains(`role="img"`, "Permits by status", "Permits by the quantity used")
			if !regexp.MustCompile(`<th scope="row">issued</th><td class="num">1</td>`).MatchString(ch.body) ||
				!regexp.MustCompile(`<th scope="row">none used</th><td class="num">1</td>`).MatchString(ch.body) {
				t.Errorf("chart tables lack the figures:\n%s", ch.body)
			}

			cp := rev.get(fmt.Sprintf("/calls/%d", call.ID)).want(http.StatusOK)
			checkHTML(t, cp)
			cp.contains("Standing of the call", "Value of imports by HS chapter, USD", "chapter 27", "450\u202f000.2 USD",
				"Value of imports by HS chapter, EUR", "chapter 10")

			pc := sub.get("/permits.csv").want(http.StatusOK)
			rows, err := csv.NewReader(strings.NewReader(pc.body)).ReadAll()
			if err != nil || len(rows) != 2 || rows[1][6] != "milled rice" || rows[1][9] != "100" || rows[1][18] != "issued" {
				t.Errorf("permits.csv: %q, %v", rows, err)
			}
			if cd := pc.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=permits-") {
				t.Errorf("Content-Disposition %q", cd)
			}

			other := h.browser()
			other.login("importer-admin")
			other.get("/permits/charts").want(http.StatusOK).contains("No permit matches").lacks("milled rice")
			other.get("/permits").want(http.StatusOK).contains("0 in all")
		})
	}
}

// TestUIMissingActions: screening as of a chosen day, closing a call (its
// issuer's administrator only, confirmed), and what opening or closing a
// crossing affects, shown before it is done.
func TestUIMissingActions(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			call, loc, _ := uiWorkSetup(t, h)
			anon := h.browser()
			// Before UNSCR 2371 (2017) seafood exports were lawful.
			then := anon.post("/screen", url.Values{"document": {uiPlanYAML}, "as_of": {"2017-06-01"}}).want(http.StatusOK)
			checkHTML(t, then)
			then.contains("rules as of 2017-06-01", `value="2017-06-01"`).lacks("UNSCR 2371 (2017) OP9")
			anon.post("/screen", url.Values{"document": {uiPlanYAML}}).want(http.StatusOK).contains("UNSCR 2371 (2017) OP9")
			anon.post("/screen", url.Values{"document": {uiPlanYAML}, "as_of": {"last spring"}}).want(http.StatusBadRequest).
				contains("as_of", "want a date such as 2017-06-01", "last spring")

			// A crossing's issued permits, counted before it is closed.
			pid := mustInt(t, strings.TrimPrefix(loc, "/plans/"))
			if _, _, err := h.srv.Licensing().ApproveLine(context.Background(), tradeplan.SystemActor("test"), pid, 4, licensing.Approval{Reason: "food"}); err != nil {
				t.Fatal(err)
			}
			adm := h.browser()
			adm.login("authority-admin")
			cr := adm.get("/crossings").want(http.StatusOK)
			checkHTML(t, cr)
			cr.contains("Opening it lets 1 issued permit naming it be used", "/permits?crossing=namyang-tumen&amp;status=issued")
			other := h.browser()
			other.login("importer-admin")
			other.get("/crossings").want(http.StatusOK).lacks("1 issued permit")

			// Closing the call: offered to the issuer's administrator, refused to others.
			cp := fmt.Sprintf("/calls/%d", call.ID)
			rev := h.browser()
			rev.login("authority-reviewer")
			rp := rev.get(cp).want(http.StatusOK).lacks(cp + "/close")
			rev.post(cp+"/close", url.Values{"confirm": {"yes"}, csrfField: {rp.csrf()}}).want(http.StatusForbidden)
			// Another tree does not see a call that does not name it.
			other.get(cp).want(http.StatusNotFound).lacks(cp+"/close", "North Hamgyong")
			op := other.get("/crossings").want(http.StatusOK)
			other.post(cp+"/close", url.Values{"confirm": {"yes"}, csrfField: {op.csrf()}}).want(http.StatusForbidden).lacks("North Hamgyong")
			ap := adm.get(cp).want(http.StatusOK)
			checkHTML(t, ap)
			ap.contains(cp+"/close", "Close the call")
			adm.post(cp+"/close", url.Values{csrfField: {ap.csrf()}}).want(http.StatusBadRequest).contains("tick the box")
			adm.post(cp+"/close", url.Values{"confirm": {"yes"}}).want(http.StatusForbidden)
			adm.post(cp+"/close", url.Values{"confirm": {"yes"}, csrfField: {ap.csrf()}}).redirectsTo(cp)
			adm.get(cp).want(http.StatusOK).contains("is closed", "closed by hand").lacks(cp + "/close")
		})
	}
}

// TestUICapLedger: a cap's window, what permits hold of it exactly, drawn
// against the limit, and only the permits the reader may see listed.
func TestUICapLedger(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			_, loc, sub := uiWorkSetup(t, h)
			pid := mustInt(t, strings.TrimPrefix(loc, "/plans/"))
			if _, _, err := h.srv.Licensing().ApproveLine(context.Background(), tradeplan.SystemActor("test"), pid, 2, licensing.Approval{Reason: "fuel"}); err != nil {
				t.Fatal(err)
			}
			adm := h.browser()
			adm.login("authority-admin")
			cp := adm.get("/caps").want(http.StatusOK)
			checkHTML(t, cp)
			// 500 t of diesel at 8.5 bbl/t: 4 250 bbl of the 500 000 bbl cap.
			cp.contains("un-dprk/refined", "500\u202f000 bbl", "4\u202f250 bbl", "495\u202f750 bbl", `role="img"`, "TP-")
			sub.get("/caps").want(http.StatusOK).contains("4\u202f250 bbl", "TP-")
			other := h.browser()
			other.login("importer-admin")
			// The totals are what screening tells every applicant; the permit is not theirs.
			other.get("/caps").want(http.StatusOK).contains("495\u202f750 bbl").lacks("TP-", "North Hamgyong")
		})
	}
}

// TestUIOrgsUsers: an administrator manages the organisations and users of
// their subtree through the account service; nobody else's.
func TestUIOrgsUsers(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			adm := h.browser()
			adm.login("province-admin")
			op := adm.get("/orgs").want(http.StatusOK)
			checkHTML(t, op)
			op.contains("Chongjin Marine Products Trading Agency", "province-submitter@example.org").lacks("Hunchun importer", "importer-admin")
			prov := fmt.Sprint(h.orgs["province"].ID)
			adm.post("/orgs", url.Values{"name": {"Rason branch office"}, "parent": {prov}, "kind": {"agency"}, csrfField: {op.csrf()}}).redirectsTo("/orgs")
			adm.post("/users", url.Values{"email": {"new-reviewer@example.org"}, "name": {"New"}, "role": {"reviewer"}, "org": {prov},
				"password": {h.password}, csrfField: {op.csrf()}}).redirectsTo("/orgs")
			op = adm.get("/orgs").want(http.StatusOK).contains("Rason branch office", "new-reviewer@example.org")
			// The new reviewer signs in, then is disabled and cannot.
			nb := h.browser()
			h.users["new-reviewer"] = tradeplan.User{}
			nb.login("new-reviewer")
			uid := regexp.MustCompile(`action="/users/(\d+)/disable"`).FindAllStringSubmatch(op.body, -1)
			var newID string
			for _, m := range uid {
				if strings.Contains(op.body[strings.Index(op.body, m[0])-600:strings.Index(op.body, m[0])], "new-reviewer@example.org") {
					newID = m[1]
				}
			}
			if newID == "" {
				t.Fatal("no disable form for the new user")
			}
			adm.post("/users/"+newID+"/disable", url.Values{csrfField: {op.csrf()}}).redirectsTo("/orgs")
			nb.get("/plans").redirectsTo("/login")

			// Another tree's administrator: nothing of the province, and refused.
			other := h.browser()
			other.login("importer-admin")
			oo := other.get("/orgs").want(http.StatusOK).lacks("North Hamgyong", "province-submitter")
			other.post("/users", url.Values{"email": {"spy@example.org"}, "role": {"admin"}, "org": {prov}, "password": {"a long enough password"},
				csrfField: {oo.csrf()}}).wantOneOf(http.StatusForbidden, http.StatusNotFound)
			other.post("/orgs", url.Values{"name": {"Spy office"}, "parent": {prov}, "kind": {"agency"}, csrfField: {oo.csrf()}}).
				wantOneOf(http.StatusForbidden, http.StatusNotFound)
			other.post("/users/"+fmt.Sprint(h.users["province-submitter"].ID)+"/disable", url.Values{csrfField: {oo.csrf()}}).
				wantOneOf(http.StatusForbidden, http.StatusNotFound)
			adm.get("/orgs").want(http.StatusOK).lacks("spy@example.org", "Spy office")
			// Not an administrator: refused.
			sub := h.browser()
			sub.login("province-submitter")
			sub.get("/orgs").want(http.StatusForbidden)
		})
	}
}

func (p *htmlPage) wantOneOf(statuses ...int) *htmlPage {
	p.t.Helper()
	for _, s := range statuses {
		if p.status == s {
			return p
		}
	}
	p.t.Fatalf("%s %s: status %d, want one of %v; body:\n%.2000s", p.method, p.path, p.status, statuses, p.body)
	return p
}
