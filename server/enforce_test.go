package server

import (
	"fmt"
	"net/http"
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
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			admin := h.token("authority-admin")
			reviewer := h.token("authority-reviewer")
			province := h.session("province-submitter")
			importer := h.token("importer-admin")
			anon := h.anon()

			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
			var call licensing.CallView
			admin.post("/api/v1/calls", map[string]any{"period": "2027-H2", "deadline": "2027-04-30", "organisations": []int64{h.orgs["province"].ID}}).want(http.StatusCreated).decode(&call)
			var pd licensing.PlanDetail
			province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), enforcePlan, "application/yaml").want(http.StatusCreated).decode(&pd)
			var ar approveResponse
			reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", pd.Plan.ID), map[string]any{"reason": "rice"}).want(http.StatusOK).decode(&ar)
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
			v := anon.get("/api/v1/verify/" + ar.Permit.Number).want(http.StatusOK)
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
			got = verification(anon.get("/api/v1/verify/" + forged).want(http.StatusOK))
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
			got = verification(anon.get("/api/v1/verify/" + strings.ToLower(ar.Permit.Number)).want(http.StatusOK))
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
			vp := anon.get("/verify?number=" + ar.Permit.Number).want(http.StatusOK)
			if !strings.Contains(string(vp.body), "Genuine, but revoked") || strings.Contains(string(vp.body), "Yanbian") {
				t.Fatalf("verify page: %s", vp.body)
			}
		})
	}
}

func verification(r *response) licensing.Verification {
	var v licensing.Verification
	r.decode(&v)
	return v
}
