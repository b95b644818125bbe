package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/permitsig"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestAttackVerifyEnumerate: permit numbers are sequential with a public
// check character, so an anonymous client counting through them read, by
// number alone, whether each was issued, its status, its crossing's and the
// quantity left of every holder. Verification by number now needs the
// verification code printed on the permit (derived from its signature,
// which the QR code carries): none is a 400, and a wrong one is answered
// exactly as a number never issued, on the API and the page; the right
// one, as printed (any case, with or without its hyphen), verifies.
func TestAttackVerifyEnumerate(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			province, ar := issueEnforcePermit(h)
			anon := h.anon()
			number := ar.Permit.Number
			never := licensing.FormatPermitNumber("2027H2", tradeplan.Import, 999999)

			// By number alone: refused, telling nothing.
			r := anon.get("/api/v1/verify/" + number)
			r.wantError(http.StatusBadRequest, tradeplan.EInvalid)
			for _, secret := range []string{"quantity_left", "issued", "genuine\":true", "500"} {
				if strings.Contains(string(r.body), secret) {
					t.Errorf("a number with no code tells %q: %s", secret, r.body)
				}
			}
			// A wrong code: the same answer as a number never issued.
			for _, wrong := range []string{"AAAAA-AAAAA", "0", strings.Repeat("Z", 10)} {
				got := anon.get("/api/v1/verify/" + number + "?code=" + url.QueryEscape(wrong)).want(http.StatusOK)
				none := anon.get("/api/v1/verify/" + never + "?code=" + url.QueryEscape(wrong)).want(http.StatusOK)
				if a, b := strings.ReplaceAll(string(got.body), number, "N"), strings.ReplaceAll(string(none.body), never, "N"); a != b {
					t.Errorf("code %q: an issued number answers\n%s\nand one never issued\n%s", wrong, got.body, none.body)
				}
				if v := verification(got); v.Genuine || v.Status != "" || v.QuantityLeft != nil || v.Outcome != licensing.NoSuchPermit {
					t.Errorf("code %q: %+v", wrong, v)
				}
			}
			// The page: no code, no verdict; a wrong code, not found.
			if p := anon.get("/verify?number=" + number).want(http.StatusOK); strings.Contains(string(p.body), "Genuine") || strings.Contains(string(p.body), "Quantity left") {
				t.Errorf("page by number alone: %s", p.body)
			}
			if p := anon.get("/verify?number=" + number + "&code=AAAAA-AAAAA").want(http.StatusOK); strings.Contains(string(p.body), "Genuine") || strings.Contains(string(p.body), "Quantity left") {
				t.Errorf("page with a wrong code: %s", p.body)
			}

			// The holder's printout carries the code; with it, anyone verifies.
			signed := province.get(fmt.Sprintf("/api/v1/permits/%d/signed", ar.Permit.ID)).want(http.StatusOK)
			doc, err := permitsig.Parse(signed.body)
			if err != nil {
				t.Fatal(err)
			}
			code := doc.VerificationCode()
			if len(code) != 11 || code[5] != '-' {
				t.Fatalf("verification code %q", code)
			}
			print := province.get(fmt.Sprintf("/permits/%d/print", ar.Permit.ID)).want(http.StatusOK)
			if !strings.Contains(string(print.body), code) {
				t.Errorf("the printout does not show the verification code %s", code)
			}
			for _, c := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", ""), " " + code + " "} {
				v := verification(anon.get("/api/v1/verify/" + number + "?code=" + url.QueryEscape(c)).want(http.StatusOK))
				if !v.Genuine || v.Status != tradeplan.PermitIssued || v.QuantityLeft == nil || v.QuantityLeft.Cmp(tradeplan.D(500)) != 0 {
					t.Errorf("code %q as printed: %+v", c, v)
				}
			}
			if p := anon.get("/verify?number=" + number + "&code=" + url.QueryEscape(code)).want(http.StatusOK); !strings.Contains(string(p.body), "Genuine") {
				t.Errorf("page with the code: %s", p.body)
			}
		})
	}
}
