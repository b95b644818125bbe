package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/permitsig"
	"github.com/tradeplan/tradeplan/store/storetest"
)

const enforcePlan = `plan:
  id: province-2027
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H2
lines:
  - {direction: import, description: milled rice, hs: "1006.30", quantity: 500, unit: t, value: 260000, currency: USD, crossing: Namyang-Tumen, partner: {name: Yanbian Demo Grain, country: CN}}
`

// TestVerifyPermits: the signed permit of an approved line, its printable
// page with a QR code, verification by number and by signed form with no
// account (revealing nothing of the holder), key rotation by the
// authority's administrator only, and the pages' and API's answers to a
// forged number, a tampered field and another organisation.
func TestVerifyPermits(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			province, ar := issueEnforcePermit(h)
			admin := h.token("authority-admin")
			importer := h.token("importer-admin")
			anon := h.anon()
			pm := fmt.Sprintf("/api/v1/permits/%d", ar.Permit.ID)

			signed := province.get(pm + "/signed").want(http.StatusOK)
			if ct := signed.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Fatalf("signed form content type %q", ct)
			}
			importer.get(pm+"/signed").wantError(http.StatusNotFound, tradeplan.ENotFound)
			anon.get(pm + "/signed").want(http.StatusUnauthorized)

			// Offline: the public keys, with no account, verify the text.
			var keys struct {
				Keys []permitsig.PublicKey `json:"keys"`
			}
			anon.get("/api/v1/keys").want(http.StatusOK).decode(&keys)
			doc, err := permitsig.Parse(signed.body)
			if err != nil {
				t.Fatal(err)
			}
			if r := permitsig.Verify(doc, keys.Keys); !r.OK() || doc.Number != ar.Permit.Number {
				t.Fatalf("offline: %+v %s", r, doc.Number)
			}

			// By number, with no account: genuine, status, crossing, balance; nothing else.
			code := doc.VerificationCode()
			v := anon.get("/api/v1/verify/" + ar.Permit.Number + "?code=" + code).want(http.StatusOK)
			got := verification(v)
			if !got.Genuine || got.Status != tradeplan.PermitIssued || got.CrossingStatus != tradeplan.CrossingClosed || got.QuantityLeft.Cmp(tradeplan.D(500)) != 0 {
				t.Fatalf("verify by number: %+v", got)
			}
			for _, secret := range []string{"North Hamgyong", "Yanbian", "rice", "1006", "260000", "holder"} {
				if strings.Contains(string(v.body), secret) {
					t.Errorf("verify by number reveals %q: %s", secret, v.body)
				}
			}
			forged := ar.Permit.Number[:len(ar.Permit.Number)-1] + map[bool]string{true: "1", false: "0"}[strings.HasSuffix(ar.Permit.Number, "0")]
			got = verification(anon.get("/api/v1/verify/" + forged + "?code=" + code).want(http.StatusOK))
			if got.Genuine || got.Outcome != licensing.NotAPermitNumber {
				t.Fatalf("forged number: %+v", got)
			}

			// By signed form: genuine; a tampered quantity is named.
			got = verification(anon.do(http.MethodPost, "/api/v1/verify", signed.body, "text/plain").want(http.StatusOK))
			if !got.Genuine {
				t.Fatalf("verify the signed form: %+v", got)
			}
			tampered := strings.Replace(string(signed.body), "quantity: 500\n", "quantity: 5000\n", 1)
			got = verification(anon.do(http.MethodPost, "/api/v1/verify", tampered, "text/plain; charset=utf-8").want(http.StatusOK))
			if got.Genuine || got.Outcome != permitsig.Tampered || strings.Join(got.Tampered, ",") != "quantity" || got.Status != "" {
				t.Fatalf("tampered quantity: %+v", got)
			}
			anon.do(http.MethodPost, "/api/v1/verify", "TRADEPLAN-PERMIT/1\nnumber: x\n", "text/plain").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			anon.do(http.MethodPost, "/api/v1/verify", signed.body, "application/json").want(http.StatusUnsupportedMediaType)

			// Rotation: not the province, not anonymous; the old permit still verifies.
			h.token("province-admin").post("/api/v1/keys/rotate", nil).wantError(http.StatusForbidden, tradeplan.EForbidden)
			anon.post("/api/v1/keys/rotate", nil).want(http.StatusUnauthorized)
			var k permitsig.PublicKey
			admin.post("/api/v1/keys/rotate", nil).want(http.StatusOK).decode(&k)
			got = verification(anon.do(http.MethodPost, "/api/v1/verify", signed.body, "text/plain").want(http.StatusOK))
			if !got.Genuine || got.Key == k.ID {
				t.Fatalf("old permit after rotation: %+v (new key %s)", got, k.ID)
			}

			// Revoked: genuine but revoked.
			admin.post(pm+"/revoke", map[string]string{"reason": "end-user doubts"}).want(http.StatusOK)
			got = verification(anon.get("/api/v1/verify/" + strings.ToLower(ar.Permit.Number) + "?code=" + code).want(http.StatusOK))
			if !got.Genuine || got.Status != tradeplan.PermitRevoked {
				t.Fatalf("revoked: %+v", got)
			}

			// The pages: the printable permit with its QR code; the public verification page.
			page := province.get(fmt.Sprintf("/permits/%d/print", ar.Permit.ID)).want(http.StatusOK)
			for _, want := range []string{"<svg", "QR code of the signed permit", ar.Permit.Number, "TRADEPLAN-PERMIT/1"} {
				if !strings.Contains(string(page.body), want) {
					t.Errorf("print page lacks %q", want)
				}
			}
			h.session("importer-admin").get(fmt.Sprintf("/permits/%d/print", ar.Permit.ID)).want(http.StatusNotFound)
			vp := anon.get("/verify?number=" + ar.Permit.Number + "&code=" + code).want(http.StatusOK)
			if !strings.Contains(string(vp.body), "Genuine, but revoked") || strings.Contains(string(vp.body), "Yanbian") {
				t.Fatalf("verify page: %s", vp.body)
			}
		})
	}
}

// issueEnforcePermit approves enforcePlan's line for the province, through
// the API: the permit, and the province's session.
func issueEnforcePermit(h *harness) (*client, approveResponse) {
	h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
	admin := h.token("authority-admin")
	reviewer := h.token("authority-reviewer")
	province := h.session("province-submitter")
	admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
	var call licensing.CallView
	admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-04-30", "organisations": []int64{h.orgs["province"].ID}}).want(http.StatusCreated).decode(&call)
	var pd licensing.PlanDetail
	province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), enforcePlan, "application/yaml").want(http.StatusCreated).decode(&pd)
	var ar approveResponse
	reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", pd.Plan.ID), map[string]any{"reason": "rice"}).want(http.StatusOK).decode(&ar)
	return province, ar
}

func verification(r *response) licensing.Verification {
	var v licensing.Verification
	r.decode(&v)
	return v
}

// TestDeclarationsAPI: a declaration file loaded through the API by the
// authority's compliance officer depletes the permit it names; the same
// batch again is a 200 replay; a batch with a bad row is a 400 with the
// row and field and loads nothing; the holder sees its declarations, another
// organisation none; nobody but the authority loads.
func TestDeclarationsAPI(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			admin := h.token("authority-admin")
			reviewer := h.token("authority-reviewer")
			compliance := h.token("authority-compliance")
			province := h.session("province-submitter")
			importer := h.token("importer-admin")

			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
			var call licensing.CallView
			admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-04-30", "organisations": []int64{h.orgs["province"].ID}}).want(http.StatusCreated).decode(&call)
			var pd licensing.PlanDetail
			province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), enforcePlan, "application/yaml").want(http.StatusCreated).decode(&pd)
			var ar approveResponse
			reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", pd.Plan.ID), map[string]any{"reason": "rice"}).want(http.StatusOK).decode(&ar)

			prov := h.orgs["province"].ID
			csv := fmt.Sprintf("declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"+
				"CD-1,%d,%s,2027-07-10,CN,KP,100630,milled rice,300,t,150000,USD,Namyang-Tumen\n"+
				"CD-2,%d,,2027-07-20,CN,KP,100630,milled rice,250,t,120000,USD,Namyang-Tumen\n", prov, ar.Permit.Number, prov)
			var res intakeAnswer
			compliance.do(http.MethodPost, "/api/v1/declarations?batch=customs-2027-07", csv, "text/csv").want(http.StatusCreated).decode(&res)
			if res.Loaded != 2 || res.Flagged != 2 || res.Count != 2 {
				t.Fatalf("loaded %+v", res)
			}
			// Crossing closed on those days; CD-2 also over the 500 t balance.
			if res.Rules[licensing.FlagCrossingClosed] != 2 || res.Rules[licensing.FlagOverBalance] != 1 {
				t.Fatalf("flags per rule: %v", res.Rules)
			}
			var page []licensing.Declaration
			compliance.get(res.DeclarationsURL).want(http.StatusOK).decode(&page)
			if len(page) != 2 || page[0].Number != "CD-1" || page[1].Number != "CD-2" {
				t.Fatalf("the batch's page: %+v", page)
			}
			for _, d := range page {
				if !slices.ContainsFunc(d.Flags, func(f licensing.Flag) bool { return f.Rule == licensing.FlagCrossingClosed }) {
					t.Errorf("%s: no crossing-closed flag: %+v", d.Number, d.Flags)
				}
			}
			if !slices.ContainsFunc(page[1].Flags, func(f licensing.Flag) bool { return f.Rule == licensing.FlagOverBalance }) {
				t.Errorf("CD-2 not over balance: %+v", page[1].Flags)
			}
			var again intakeAnswer
			compliance.do(http.MethodPost, "/api/v1/declarations?batch=customs-2027-07", csv, "text/csv").want(http.StatusOK).decode(&again)
			if !again.Replayed || again.Count != 2 || again.Loaded != 0 {
				t.Fatalf("replay %+v", again)
			}
			bad := strings.Replace(csv, ",250,t,", ",-250,t,", 1)
			e := compliance.do(http.MethodPost, "/api/v1/declarations?batch=other", bad, "text/csv").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			if len(e.Problems) != 1 || e.Problems[0].Line != 3 || e.Problems[0].Path != "quantity" {
				t.Fatalf("bad row not placed: %+v", e)
			}
			compliance.post("/api/v1/declarations", map[string]any{"batch": "json-1", "declarations": []map[string]any{{"declaration": "CD-9", "declarant": prov,
				"date": "2027-07-21", "origin": "CN", "destination": "KP", "hs": "100630", "crossing": "Namyang-Tumen", "quantity": 1, "unit": "t"}}}).want(http.StatusCreated)
			for _, c := range []*client{reviewer, province, admin.h.token("province-admin")} {
				c.do(http.MethodPost, "/api/v1/declarations?batch=x", csv, "text/csv").wantError(http.StatusForbidden, tradeplan.EForbidden)
			}
			var ds []licensing.Declaration
			province.get("/api/v1/declarations").want(http.StatusOK).decode(&ds)
			if len(ds) != 3 {
				t.Fatalf("holder sees %d declarations, want 3", len(ds))
			}
			importer.get("/api/v1/declarations").want(http.StatusOK).decode(&ds)
			if len(ds) != 0 {
				t.Fatalf("another organisation sees %d declarations", len(ds))
			}
			compliance.get(fmt.Sprintf("/api/v1/declarations?permit=%d&flagged=true", ar.Permit.ID)).want(http.StatusOK).decode(&ds)
			if len(ds) != 3 {
				t.Fatalf("flagged under the permit: %d", len(ds))
			}
			// The flags are cases in the compliance queue; the holder sees none.
			var cs []licensing.Case
			compliance.get("/api/v1/cases?status=open").want(http.StatusOK).decode(&cs)
			if res.Cases != 3 || len(cs) < res.Cases {
				t.Fatalf("queue of %d cases, %d opened", len(cs), res.Cases)
			}
			province.get("/api/v1/cases").wantError(http.StatusForbidden, tradeplan.EForbidden)
			h.token("province-compliance").get(fmt.Sprintf("/api/v1/cases/%d", cs[0].ID)).wantError(http.StatusForbidden, tradeplan.EForbidden)
			compliance.post(fmt.Sprintf("/api/v1/cases/%d", cs[0].ID), map[string]any{"close": true, "outcome": "violation"}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			var c licensing.Case
			compliance.post(fmt.Sprintf("/api/v1/cases/%d", cs[0].ID), map[string]any{"close": true, "outcome": "no-violation", "reason": "the crossing was open by arrangement"}).want(http.StatusOK).decode(&c)
			compliance.post(fmt.Sprintf("/api/v1/cases/%d", cs[0].ID), map[string]any{"note": "x"}).wantError(http.StatusConflict, tradeplan.EConflict)
			compliance.get("/api/v1/cases/999999").wantError(http.StatusNotFound, tradeplan.ENotFound)
			h.token("province-admin").do(http.MethodPut, "/api/v1/tolerances/t", map[string]any{"percent": 5}, "").wantError(http.StatusForbidden, tradeplan.EForbidden)
			admin.do(http.MethodPut, "/api/v1/tolerances/t", map[string]any{"percent": 5}, "").want(http.StatusOK)
			admin.do(http.MethodPut, "/api/v1/tolerances/t", map[string]any{"percent": 50}, "").wantError(http.StatusBadRequest, tradeplan.EInvalid)
			// The pages: declarations for the holder, the queue for compliance.
			dp := province.get("/declarations?flagged=1").want(http.StatusOK)
			if !strings.Contains(string(dp.body), "CD-2") || !strings.Contains(string(dp.body), "over-balance") {
				t.Fatalf("declarations page lacks CD-2's flag")
			}
			cpage := h.session("authority-compliance")
			qp := cpage.get("/cases?status=open").want(http.StatusOK)
			if !strings.Contains(string(qp.body), "crossing-closed") {
				t.Fatalf("cases page lacks the queue")
			}
			province.get("/cases").want(http.StatusForbidden)
			cpage.do(http.MethodPost, fmt.Sprintf("/cases/%d/close", cs[1].ID), "outcome=corrected&reason=", "application/x-www-form-urlencoded").want(http.StatusBadRequest)
			cpage.do(http.MethodPost, fmt.Sprintf("/cases/%d/close", cs[1].ID), "outcome=corrected&reason=declarant+corrected+the+figures", "application/x-www-form-urlencoded").want(http.StatusOK) // after the redirect
			compliance.get(fmt.Sprintf("/api/v1/cases/%d", cs[1].ID)).want(http.StatusOK).decode(&c)
			if c.Status != licensing.CaseClosed || c.Outcome != "corrected" {
				t.Fatalf("closed through the page: %+v", c)
			}
			var rs licensing.RescreenResult
			compliance.post("/api/v1/rescreen", map[string]string{"reason": "UN list 2027-07-01"}).want(http.StatusOK).decode(&rs)
			if rs.Permits != 1 || rs.Hit != 0 {
				t.Fatalf("rescreen %+v", rs)
			}
			province.post("/api/v1/rescreen", map[string]string{"reason": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
			compliance.post("/api/v1/rescreen", map[string]string{}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
		})
	}
}
