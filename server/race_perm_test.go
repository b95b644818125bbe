package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// twin starts a second server over its own handle on h's database: two
// stateless servers sharing one PostgreSQL (or two handles, each with its
// own writer, on one SQLite file). Clients of the twin are made with its
// methods as with h's.
func (h *harness) twin() *harness {
	t := h.t
	db, err := store.Open(context.Background(), h.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h2 := &harness{t: t, db: db, dsn: h.dsn, clock: h.clock, orgs: h.orgs, users: h.users, password: h.password}
	h2.start(Config{
		Store: db, Screener: testScreener(t), Parties: fakeParties{}, Logger: testLogger(t), Clock: h.clock.now,
		MaxBodyBytes: 64 << 10, InsecureCookies: true, ShutdownTimeout: 10 * time.Second,
	})
	return h2
}

// raceOutcome counts the answers of one kind of request in a race.
type raceOutcome struct {
	mu     sync.Mutex
	status map[string]map[int]int // request kind -> HTTP status -> count
	done   map[int64][]string     // permit -> status changes answered 200, in order
}

func (o *raceOutcome) add(kind string, status int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.status == nil {
		o.status = map[string]map[int]int{}
	}
	if o.status[kind] == nil {
		o.status[kind] = map[int]int{}
	}
	o.status[kind][status]++
}

// TestRaceTwoServers runs parallel uses, suspensions, reinstatements and
// revocations of permits, and approvals on one cap, through two servers on
// one database, then checks what must hold whatever the interleaving:
// every permit's used quantity is the sum of its uses and within its
// quantity, a revoked permit stays revoked, and the cap is not exceeded
// (issue 12 item 4: on PostgreSQL, 20 uses of 10 t on a 100 t permit had
// recorded 200 t, and revocations answered 200 with the permit still
// issued).
func TestRaceTwoServers(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			hA := newHarness(t, eng)
			hB := hA.twin()
			hA.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			hA.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			hA.addUser("agency-submitter", "agency", tradeplan.RoleSubmitter)
			admin := hA.token("authority-admin")
			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge", "status": "open"}).want(http.StatusCreated)
			admin.post("/api/v1/crossings", map[string]any{"id": "rajin-port", "name": "Rajin port", "kind": "port", "status": "open"}).want(http.StatusCreated)
			call := hA.openCall(admin, map[string]any{"organisations": []int64{hA.orgs["province"].ID}, "include_offices": true, "allow_late": true})

			// Five rice permits of 100 t; two diesel lines of 300,000 bbl on a
			// 500,000 bbl cap, one each from the province and the agency.
			const permits = 5
			lines := make([]string, permits)
			for i := range lines {
				lines[i] = riceLine
			}
			diesel := `  - {direction: import, description: diesel fuel, hs: "2710.19", quantity: 300000, unit: bbl, value: 24000000, currency: USD, crossing: Rajin port, partner: {name: Demo Fuel Co., country: CN}}
`
			var prov, ag licensing.PlanDetail
			hA.token("province-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID),
				planDoc("p", "province", append(lines, diesel)...), "application/yaml").want(http.StatusCreated).decode(&prov)
			hB.token("agency-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID),
				planDoc("a", "agency", diesel), "application/yaml").want(http.StatusCreated).decode(&ag)
			var bulk licensing.BulkResult
			hA.token("authority-reviewer").post(fmt.Sprintf("/api/v1/plans/%d/approve-clear", prov.Plan.ID), map[string]any{"reason": "rice"}).want(http.StatusOK).decode(&bulk)
			if len(bulk.Permits) != permits {
				t.Fatalf("%d permits", len(bulk.Permits))
			}
			hA.clock.advance(140 * 24 * time.Hour) // into the period: permits usable

			var out raceOutcome
			var wg sync.WaitGroup
			servers := []*harness{hA, hB}
			const usesPerPermit = 20 // of 10 t each on a 100 t permit
			users := map[*harness]*client{}
			officers := map[*harness]*client{}
			reviewers := map[*harness]*client{}
			for _, h := range servers {
				users[h] = h.token("province-submitter")
				officers[h] = h.token("authority-compliance")
				reviewers[h] = h.token("authority-reviewer")
			}
			start := make(chan struct{})
			for i, p := range bulk.Permits {
				pm := fmt.Sprintf("/api/v1/permits/%d", p.ID)
				for j := 0; j < usesPerPermit; j++ {
					c := users[servers[j%2]]
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						r := c.post(pm+"/use", map[string]any{"quantity": 10, "value": 5200, "reference": fmt.Sprintf("decl-%d-%d", i, j)})
						out.add("use", r.status)
					}()
				}
				// Permit 0 is revoked during its uses; permit 1 suspended;
				// permit 2 suspended and reinstated, then revoked; permits 3
				// and 4 only used.
				var acts []string
				switch i {
				case 0:
					acts = []string{"revoke"}
				case 1:
					acts = []string{"suspend"}
				case 2:
					acts = []string{"suspend", "reinstate", "revoke"}
				}
				if len(acts) > 0 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						for k, act := range acts {
							r := officers[servers[(i+k)%2]].post(pm+"/"+act, map[string]string{"reason": "race " + act})
							out.add(act, r.status)
							if r.status == http.StatusOK {
								out.mu.Lock()
								if out.done == nil {
									out.done = map[int64][]string{}
								}
								out.done[p.ID] = append(out.done[p.ID], act)
								out.mu.Unlock()
							}
						}
					}()
				}
			}
			// Two approvals that each fit the cap alone, not together, one
			// through each server.
			for k, pid := range []int64{prov.Plan.ID, ag.Plan.ID} {
				line := 1
				if pid == prov.Plan.ID {
					line = permits + 1
				}
				c := reviewers[servers[k]]
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					r := c.post(fmt.Sprintf("/api/v1/plans/%d/lines/%d/approve", pid, line), map[string]any{"reason": "fuel"})
					out.add("approve capped", r.status)
				}()
			}
			// A crossing the rice does not use opened and closed through both
			// servers at once, and
			// a draft submitted through both.
			site, err := hA.db.CreateOrg(tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test")),
				tradeplan.Organisation{ParentID: hA.orgs["province"].ID, Name: "Chongjin port", Kind: tradeplan.OrgSite, Country: "KP"})
			if err != nil {
				t.Fatal(err)
			}
			hA.orgs["site"] = site
			hA.addUser("site-submitter", "site", tradeplan.RoleSubmitter)
			var draft licensing.PlanDetail
			hA.token("site-submitter").do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans", call.ID), nil, "").want(http.StatusCreated).decode(&draft)
			hA.token("site-submitter").post(fmt.Sprintf("/api/v1/plans/%d/lines", draft.Plan.ID), map[string]any{"direction": "import", "description": "rope", "hs": "5607.49", "quantity": 1, "unit": "t"}).want(http.StatusCreated)
			for k := 0; k < 6; k++ {
				to := []string{"open", "close"}[k%2]
				c := hA.token("authority-admin")
				if k%3 == 0 {
					c = hB.token("authority-admin")
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					r := c.post("/api/v1/crossings/rajin-port/"+to, map[string]string{"reason": "race"})
					out.add("crossing "+to, r.status)
				}()
			}
			for _, h := range servers {
				c := h.token("site-submitter")
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					r := c.post(fmt.Sprintf("/api/v1/plans/%d/submit", draft.Plan.ID), nil)
					out.add("submit", r.status)
				}()
			}
			began := time.Now()
			close(start)
			wg.Wait()
			took := time.Since(began)

			// What must hold.
			var views []licensing.PermitView
			admin.get(fmt.Sprintf("/api/v1/permits?call=%d", call.ID)).want(http.StatusOK).decode(&views)
			okUses := 0
			var capHeld tradeplan.Decimal
			var capUse *tradeplan.CapUse
			for _, v := range views {
				var pv licensing.PermitView
				admin.get(fmt.Sprintf("/api/v1/permits/%d", v.ID)).want(http.StatusOK).decode(&pv)
				var sum tradeplan.Decimal
				for _, u := range pv.Uses {
					sum = sum.Add(u.Quantity)
				}
				okUses += len(pv.Uses)
				if !pv.QuantityUsed.Equal(sum) || pv.QuantityUsed.Cmp(pv.Quantity) > 0 || pv.QuantityLeft.Cmp(tradeplan.D(0)) < 0 || pv.ValueLeft.Cmp(tradeplan.D(0)) < 0 {
					t.Errorf("permit %s: used %v, sum of %d uses %v, quantity %v, left %v", pv.Number, pv.QuantityUsed, len(pv.Uses), sum, pv.Quantity, pv.QuantityLeft)
				}
				// The last change answered 200 is the status, unless the
				// uses exhausted the permit before it.
				want := tradeplan.PermitExhausted
				if acts := out.done[v.ID]; len(acts) > 0 {
					want = map[string]tradeplan.PermitStatus{"revoke": tradeplan.PermitRevoked, "suspend": tradeplan.PermitSuspended,
						"reinstate": tradeplan.PermitIssued}[acts[len(acts)-1]]
					if want == tradeplan.PermitIssued && pv.QuantityLeft.Cmp(tradeplan.D(0)) == 0 {
						want = tradeplan.PermitExhausted
					}
				}
				switch {
				case v.ID == bulk.Permits[0].ID || v.ID == bulk.Permits[1].ID || v.ID == bulk.Permits[2].ID:
					if pv.Status != want {
						t.Errorf("permit %s: %s after the changes %v answered 200, want %s", pv.Number, pv.Status, out.done[v.ID], want)
					}
				case len(pv.Caps) > 0:
					capHeld = capHeld.Add(pv.Caps[0].Quantity)
					capUse = &pv.Caps[0]
				default:
					if pv.Status != tradeplan.PermitExhausted || len(pv.Uses) != 10 {
						t.Errorf("permit %s only used: %s after %d uses", pv.Number, pv.Status, len(pv.Uses))
					}
				}
			}
			if okUses != out.status["use"][http.StatusOK] {
				t.Errorf("%d uses recorded, %d answered 200", okUses, out.status["use"][http.StatusOK])
			}
			for _, act := range []string{"revoke", "suspend", "reinstate"} {
				for st, n := range out.status[act] {
					if st != http.StatusOK && st != http.StatusConflict {
						t.Errorf("%s answered %d (%d times)", act, st, n)
					}
				}
			}
			for st := range out.status["use"] {
				if st != http.StatusOK && st != http.StatusConflict {
					t.Errorf("a use answered %d", st)
				}
			}
			if got := out.status["approve capped"]; got[http.StatusOK] != 1 || got[http.StatusConflict] != 1 {
				t.Errorf("approvals on one cap through two servers: %v, want one 200 and one 409", got)
			}
			if capUse == nil || capHeld.Cmp(capUse.Limit) > 0 {
				t.Errorf("cap held %v of %+v", capHeld, capUse)
			} else if used, err := hA.db.CapUsed(context.Background(), capUse.Cap, capUse.From, capUse.To); err != nil || used.Cmp(capUse.Limit) > 0 {
				t.Errorf("cap %s used %v of %v (%v)", capUse.Cap, used, capUse.Limit, err)
			}
			if got := out.status["submit"]; got[http.StatusOK] != 1 || got[http.StatusConflict] != 1 {
				t.Errorf("one draft submitted through two servers: %v, want one 200 and one 409", got)
			}
			var hist licensing.CrossingHistory
			admin.get("/api/v1/crossings/rajin-port").want(http.StatusOK).decode(&hist)
			changes := out.status["crossing open"][http.StatusOK] + out.status["crossing close"][http.StatusOK]
			if last := hist.Events[len(hist.Events)-1]; len(hist.Events) != 1+changes || last.Status != hist.Crossing.Status {
				t.Errorf("crossing %s after %d changes answered 200: %d events, the last %s", hist.Crossing.Status, changes, len(hist.Events), last.Status)
			}
			for i := 1; i < len(hist.Events); i++ {
				if hist.Events[i].Status == hist.Events[i-1].Status {
					t.Errorf("crossing history repeats %s: a change was made from a stale status", hist.Events[i].Status)
				}
			}
			var b strings.Builder
			fmt.Fprintf(&b, " (%v)", took.Round(time.Millisecond))
			for _, k := range []string{"use", "suspend", "reinstate", "revoke", "approve capped", "crossing open", "crossing close", "submit"} {
				fmt.Fprintf(&b, " %s %v;", k, out.status[k])
			}
			t.Logf("%s: %d permits x %d uses of 10 t through 2 servers; outcomes by status:%s", eng, permits, usesPerPermit, b.String())
		})
	}
}
