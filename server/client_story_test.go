package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	apiclient "github.com/tradeplan/tradeplan/api/client"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestGeneratedClientStory walks the licensing story with the client
// generated from api/openapi.json (api/client) and nothing else: no request
// is built by hand and no answer decoded into the server's own types. Its
// requests go through http.DefaultTransport, so the validator checks each
// of them and each answer against the document as well (apivalidate_test.go).
func TestGeneratedClientStory(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng, withClassifier(t))
			h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
			generatedClientStory(t, h)
		})
	}
}

// login signs in as user key with the generated client and returns a client
// that carries the session cookie and sends the login's CSRF token.
func (h *harness) login(ctx context.Context, key string) *apiclient.ClientWithResponses {
	t := h.t
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	anon, err := apiclient.NewClientWithResponses(h.base, apiclient.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	lr, err := anon.LoginWithResponse(ctx, apiclient.LoginJSONRequestBody{Email: key + "@example.org", Password: h.password})
	if err != nil {
		t.Fatalf("login %s: %v", key, err)
	}
	if lr.JSON200 == nil || lr.JSON200.CsrfToken == "" {
		t.Fatalf("login %s: %d %s", key, lr.StatusCode(), lr.Body)
	}
	if got := lr.JSON200.User.Email; string(got) != key+"@example.org" {
		t.Fatalf("login %s answers user %q", key, got)
	}
	csrf := lr.JSON200.CsrfToken
	c, err := apiclient.NewClientWithResponses(h.base, apiclient.WithHTTPClient(hc),
		apiclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("X-CSRF-Token", csrf)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// want fails the test unless the call succeeded with status.
func want(t *testing.T, what string, status int, err error, resp interface {
	StatusCode() int
}, body []byte) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.StatusCode() != status {
		t.Fatalf("%s: status %d, want %d: %s", what, resp.StatusCode(), status, body)
	}
}

// sameDecimal compares a decimal of an answer with the expected one by
// value (the text may carry trailing zeros).
func sameDecimal(t *testing.T, what string, got *json.Number, want string) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: missing, want %s", what, want)
	}
	g, err := tradeplan.ParseDecimal(got.String())
	if err != nil {
		t.Fatalf("%s: %q: %v", what, got, err)
	}
	if g.Cmp(tradeplan.MustDecimal(want)) != 0 {
		t.Fatalf("%s: %s, want %s", what, got, want)
	}
}

func generatedClientStory(t *testing.T, h *harness) {
	ctx := context.Background()
	admin := h.login(ctx, "authority-admin")
	reviewer := h.login(ctx, "authority-reviewer")
	province := h.login(ctx, "province-submitter")

	// The crossing, closed until the order opens it.
	cr, err := admin.AddCrossingWithResponse(ctx, nil, apiclient.CrossingCreate{
		Id: "rajin-port", Name: "Rajin port", Kind: ptr(apiclient.CrossingCreateKindPort), Countries: &[]string{"KP", "CN"}})
	want(t, "add crossing", http.StatusCreated, err, cr, cr.Body)
	if cr.JSON201.Status == nil || *cr.JSON201.Status != apiclient.CrossingStatusClosed {
		t.Fatalf("new crossing %+v", cr.JSON201)
	}

	// The call for the second half of 2027, to the province.
	oc, err := admin.OpenCallWithResponse(ctx, nil, apiclient.CallCreate{
		Period: "2027-H2", Deadline: "2027-03-31", Guidance: ptr("realistic exports and absolutely necessary imports"),
		Organisations: &[]int64{h.orgs["province"].ID}})
	want(t, "open call", http.StatusCreated, err, oc, oc.Body)
	if oc.JSON201.Id == nil || oc.JSON201.Status == nil || *oc.JSON201.Status != apiclient.CallStatusOpen {
		t.Fatalf("call %+v", oc.JSON201)
	}
	callID := *oc.JSON201.Id

	// The province submits the plan of the report, as the YAML file it is.
	doc, err := os.ReadFile("../examples/nhg-2023-h1.yaml")
	if err != nil {
		t.Fatalf("the example plan: %v", err)
	}
	cp, err := province.CreatePlanWithBodyWithResponse(ctx, callID,
		&apiclient.CreatePlanParams{Submit: ptr(apiclient.CreatePlanParamsSubmitTrue)}, "application/yaml", strings.NewReader(string(doc)))
	want(t, "submit plan", http.StatusCreated, err, cp, cp.Body)
	pd := cp.JSON201
	if pd.Plan == nil || pd.Plan.Id == nil || pd.Plan.Status == nil || *pd.Plan.Status != apiclient.PlanRecordStatusSubmitted || pd.Lines == nil || len(*pd.Lines) != 20 {
		t.Fatalf("submitted plan: %s", cp.Body)
	}
	planID := *pd.Plan.Id

	// The reviewer reads the lines: every export prohibited with its
	// citation; the diesel import capped.
	gp, err := reviewer.GetPlanWithResponse(ctx, planID, nil)
	want(t, "get plan", http.StatusOK, err, gp, gp.Body)
	var exports, firstExport, diesel int64
	for _, l := range *gp.JSON200.Lines {
		if l.Index == nil || l.Direction == nil || l.Verdict == nil {
			t.Fatalf("line without index, direction or verdict: %+v", l)
		}
		if *l.Direction == "export" {
			exports++
			if firstExport == 0 {
				firstExport = *l.Index
			}
			if *l.Verdict != apiclient.VerdictProhibited {
				t.Errorf("export %d is %s, want prohibited", *l.Index, *l.Verdict)
			}
		}
		if l.ApplicantHs != nil && strings.HasPrefix(*l.ApplicantHs, "2710") {
			diesel = *l.Index
			if *l.Verdict != apiclient.VerdictCapped {
				t.Errorf("diesel line %d is %s, want capped", diesel, *l.Verdict)
			}
		}
	}
	if exports != 10 || diesel == 0 {
		t.Fatalf("%d exports, diesel line %d", exports, diesel)
	}

	// A prohibited line cannot be approved: the typed 409 names the findings.
	al, err := reviewer.ApproveLineWithResponse(ctx, planID, firstExport, nil, apiclient.ApproveRequest{Reason: "foreign currency"})
	want(t, "approve a prohibited line", http.StatusConflict, err, al, al.Body)
	if al.JSON409 == nil || al.JSON409.Error.Code != apiclient.ErrorErrorCodeConflict || al.JSON409.Error.Details == nil ||
		!strings.Contains(string(al.Body), "UNSCR 2371 (2017) OP9") {
		t.Fatalf("409 without its findings: %s", al.Body)
	}

	// The exports refused with their citations; the clear imports approved.
	rp, err := reviewer.RefuseProhibitedLinesWithResponse(ctx, planID, nil, apiclient.ReasonRequest{Reason: ptr("UN sanctions")})
	want(t, "refuse prohibited", http.StatusOK, err, rp, rp.Body)
	if rp.JSON200.Decisions == nil || len(*rp.JSON200.Decisions) < int(exports) {
		t.Fatalf("refused: %s", rp.Body)
	}
	for _, d := range *rp.JSON200.Decisions {
		if d.Citations == nil || len(*d.Citations) == 0 || d.Decision == nil || *d.Decision != apiclient.LineDecisionDecisionRefuse {
			t.Errorf("refusal without a citation: %+v", d)
		}
	}
	ac, err := reviewer.ApproveClearLinesWithResponse(ctx, planID, nil, apiclient.ReasonRequired{Reason: "necessary imports"})
	want(t, "approve clear", http.StatusOK, err, ac, ac.Body)
	if ac.JSON200.Permits == nil || len(*ac.JSON200.Permits) < 6 {
		t.Fatalf("permits from the clear imports: %s", ac.Body)
	}
	bulkPermits := len(*ac.JSON200.Permits)

	// The diesel import approved: its permit draws 12000 bbl from the cap.
	ad, err := reviewer.ApproveLineWithResponse(ctx, planID, diesel, nil, apiclient.ApproveRequest{Reason: "fuel for the fishing fleet"})
	want(t, "approve diesel", http.StatusOK, err, ad, ad.Body)
	permit := ad.JSON200.Permit
	if permit == nil || permit.Id == nil || permit.Crossing == nil || *permit.Crossing != "rajin-port" || permit.Caps == nil || len(*permit.Caps) != 1 {
		t.Fatalf("diesel permit: %s", ad.Body)
	}
	sameDecimal(t, "diesel permit quantity", permit.Quantity, "12000")

	// The province lists its permits: the clear imports and the diesel.
	lp, err := province.ListPermitsWithResponse(ctx, &apiclient.ListPermitsParams{Status: ptr(apiclient.ListPermitsParamsStatusIssued)})
	want(t, "list permits", http.StatusOK, err, lp, lp.Body)
	if len(*lp.JSON200) != bulkPermits+1 {
		t.Fatalf("province lists %d permits, want %d", len(*lp.JSON200), bulkPermits+1)
	}

	// In the period, with the crossing closed: approved, not usable.
	h.clock.advance(131 * 24 * time.Hour) // mid July 2027
	gpm, err := province.GetPermitWithResponse(ctx, *permit.Id)
	want(t, "get permit", http.StatusOK, err, gpm, gpm.Body)
	if v := gpm.JSON200; v.Approved == nil || !*v.Approved || v.Usable == nil || *v.Usable || v.BorderOpen == nil || *v.BorderOpen {
		t.Fatalf("permit with the border closed: %s", gpm.Body)
	}
	use := apiclient.UseRequest{Quantity: "3000", Value: ptr(json.Number("280000")), Reference: ptr("CD-2027-0001")}
	up, err := province.UsePermitWithResponse(ctx, *permit.Id, nil, use)
	want(t, "use at a closed crossing", http.StatusConflict, err, up, up.Body)
	if up.JSON409 == nil || !strings.Contains(up.JSON409.Error.Message, "rajin-port is closed") {
		t.Fatalf("use refused for: %s", up.Body)
	}

	// The crossing opens; the permit is used.
	op, err := admin.OpenCrossingWithResponse(ctx, "rajin-port", nil, apiclient.ReasonRequired{Reason: "customs resumed"})
	want(t, "open crossing", http.StatusOK, err, op, op.Body)
	if op.JSON200.Status == nil || *op.JSON200.Status != apiclient.CrossingStatusOpen {
		t.Fatalf("opened crossing: %s", op.Body)
	}
	up, err = province.UsePermitWithResponse(ctx, *permit.Id, nil, use)
	want(t, "use permit", http.StatusOK, err, up, up.Body)
	if v := up.JSON200; v.Usable == nil || !*v.Usable || v.BorderOpen == nil || !*v.BorderOpen {
		t.Fatalf("after use: %s", up.Body)
	}
	sameDecimal(t, "quantity left", up.JSON200.QuantityLeft, "9000")
	sameDecimal(t, "quantity used", up.JSON200.QuantityUsed, "3000")

	// Everything above is in the audit chain, and the chain holds.
	av, err := admin.AuditVerifyWithResponse(ctx)
	want(t, "verify audit", http.StatusOK, err, av, av.Body)
	if !av.JSON200.Ok || av.JSON200.Entries == 0 {
		t.Fatalf("audit chain: %s", av.Body)
	}
	// (Crossing entries belong to no organisation, so no user's audit log
	// lists them; the permit's own entries are the holder's tree's.)
	for subject, actions := range map[string][]string{
		"permit:" + strconv.FormatInt(*permit.Id, 10): {"permit.issue", "permit.use"},
	} {
		lg, err := admin.AuditLogWithResponse(ctx, &apiclient.AuditLogParams{Subject: ptr(subject)})
		want(t, "audit log of "+subject, http.StatusOK, err, lg, lg.Body)
		var got []string
		for _, e := range lg.JSON200.Entries {
			got = append(got, e.Action)
		}
		if !slices.Equal(got, actions) {
			t.Errorf("audit log of %s: %v, want %v", subject, got, actions)
		}
	}
}

func ptr[T any](v T) *T { return &v }
