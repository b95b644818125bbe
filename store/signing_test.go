package store_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/permitsig"
	"github.com/tradeplan/tradeplan/store"
)

func flourPlan(n int) *tradeplan.Plan {
	p := &tradeplan.Plan{Organisation: "province"}
	for i := 0; i < n; i++ {
		p.Lines = append(p.Lines, tradeplan.Line{Direction: tradeplan.Import, Description: "Wheat flour", HS: "110100", Origin: "CN", Destination: "KP",
			Quantity: tradeplan.D(500), Unit: "t", Value: tradeplan.D(200000), Currency: "USD", Crossing: "namyang-tumen",
			Partner: &tradeplan.Party{Name: "Tumen Grain", Country: "CN"}})
	}
	return p
}

// issueFlour issues n flour permits to the submitter's province.
func issueFlour(t testing.TB, f *licFixture, sub tradeplan.Actor, n int) []tradeplan.Permit {
	t.Helper()
	ctx := context.Background()
	rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, sub, f.call.ID, 0, flourPlan(n)))
	var out []tradeplan.Permit
	for i := 1; i <= n; i++ {
		_, p, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, i, licensing.Approval{Reason: "bread"})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestPermitSigning: a permit is signed when issued; its signed form
// verifies offline with the public keys; rotation keeps it valid and signs
// the next with the new key; a revoked permit is genuine but revoked; a
// tampered document names the changed fields; a forged or unknown number
// is told apart.
func TestPermitSigning(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		p1 := issueFlour(t, f, f.provA, 1)[0]
		s1 := must[permitsig.Signed](t)(f.svc.SignedPermit(ctx, f.provA, p1.ID))
		keys := must[[]permitsig.PublicKey](t)(f.svc.SigningKeys(ctx))
		if len(keys) != 1 || keys[0].RetiredAt != nil {
			t.Fatalf("keys after the first permit: %+v", keys)
		}
		if r := permitsig.Verify(s1, keys); !r.OK() {
			t.Fatalf("offline: %+v", r)
		}
		if s1.Number != p1.Number || s1.HolderName != "North Hamgyong" || s1.HolderCountry != "KP" || s1.Quantity != "500" ||
			s1.Crossing != "namyang-tumen" || s1.ValidFrom != "2027-01-01" || s1.Issuer != strconv.FormatInt(f.authority.ID, 10) {
			t.Fatalf("signed fields %+v", s1.Document)
		}
		// Another organisation's permit is not found, signed or not.
		_, err := f.svc.SignedPermit(ctx, f.provB, p1.ID)
		wantCode(t, err, tradeplan.ENotFound)

		// Rotation: only the authority's own administrator.
		_, err = f.svc.RotateSigningKey(ctx, f.provA)
		wantCode(t, err, tradeplan.EForbidden)
		_, err = f.svc.RotateSigningKey(ctx, f.rev)
		wantCode(t, err, tradeplan.EForbidden)
		k2 := must[permitsig.PublicKey](t)(f.svc.RotateSigningKey(ctx, f.admin))
		p2 := issueFlour(t, f, f.provB, 1)[0]
		s2 := must[permitsig.Signed](t)(f.svc.SignedPermit(ctx, f.provB, p2.ID))
		if s2.Key != k2.ID || s2.Key == s1.Key {
			t.Fatalf("after rotation signed with %s, want %s (old %s)", s2.Key, k2.ID, s1.Key)
		}
		keys = must[[]permitsig.PublicKey](t)(f.svc.SigningKeys(ctx))
		if len(keys) != 2 || keys[0].RetiredAt == nil || keys[1].RetiredAt != nil {
			t.Fatalf("keys after rotation: %+v", keys)
		}
		for _, s := range []permitsig.Signed{s1, s2} {
			if r := permitsig.Verify(s, keys); !r.OK() {
				t.Fatalf("%s after rotation: %+v", s.Number, r)
			}
			v := must[licensing.Verification](t)(f.svc.VerifyDocument(ctx, s.Text()))
			if !v.Genuine || v.Status != tradeplan.PermitIssued || v.CrossingStatus != tradeplan.CrossingClosed || v.QuantityLeft.Cmp(tradeplan.D(500)) != 0 {
				t.Fatalf("online %s: %+v", s.Number, v)
			}
		}

		// Revoked: genuine, and revoked.
		must[licensing.PermitView](t)(f.svc.SetPermitStatus(ctx, f.admin, p1.ID, tradeplan.PermitRevoked, "end-user doubts"))
		v := must[licensing.Verification](t)(f.svc.VerifyNumber(ctx, strings.ToLower(p1.Number), s1.VerificationCode()))
		if !v.Genuine || v.Outcome != permitsig.Genuine || v.Status != tradeplan.PermitRevoked || !strings.Contains(v.Reason, "revoked") {
			t.Fatalf("revoked by number: %+v", v)
		}
		v = must[licensing.Verification](t)(f.svc.VerifyDocument(ctx, s1.Text()))
		if !v.Genuine || v.Status != tradeplan.PermitRevoked {
			t.Fatalf("revoked by document: %+v", v)
		}

		// Tampered: the quantity raised, the holder changed.
		bad := s2
		bad.Quantity, bad.HolderName = "5000", "North Hamgyong"
		v = must[licensing.Verification](t)(f.svc.VerifyDocument(ctx, bad.Text()))
		if v.Genuine || v.Outcome != permitsig.Tampered || strings.Join(v.Tampered, ",") != "holder-name,quantity" || v.Status != "" || v.QuantityLeft != nil {
			t.Fatalf("tampered: %+v", v)
		}
		// Another permit's signature under this number.
		swap := s1
		swap.Number = s2.Number
		v = must[licensing.Verification](t)(f.svc.VerifyDocument(ctx, swap.Text()))
		if v.Genuine || v.Outcome != permitsig.Tampered {
			t.Fatalf("signature of another permit: %+v", v)
		}

		// A number with a wrong check character, and one never issued.
		forged := p2.Number[:len(p2.Number)-1] + string(otherChar(p2.Number[len(p2.Number)-1]))
		v = must[licensing.Verification](t)(f.svc.VerifyNumber(ctx, forged, s2.VerificationCode()))
		if v.Genuine || v.Outcome != licensing.NotAPermitNumber || v.Status != "" {
			t.Fatalf("forged check character: %+v", v)
		}
		never := licensing.FormatPermitNumber("2027H1", tradeplan.Import, 999999)
		v = must[licensing.Verification](t)(f.svc.VerifyNumber(ctx, never, s2.VerificationCode()))
		if v.Genuine || v.Outcome != licensing.NoSuchPermit {
			t.Fatalf("never issued: %+v", v)
		}
		if res := must[store.VerifyResult](t)(db.VerifyAudit(ctx)); !res.OK {
			t.Fatalf("audit chain: %+v", res)
		}
	})
}

func otherChar(c byte) byte {
	if c == '0' {
		return '1'
	}
	return '0'
}

// TestFirstKeyAndRotationsAtOnce: permits approved at the same moment on a
// database with no key yet are all signed with one key; rotations at once
// leave exactly one active key.
func TestFirstKeyAndRotationsAtOnce(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provA, f.call.ID, 0, flourPlan(4)))
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[i] = f.svc.ApproveLine(ctx, f.rev, rec.ID, i+1, licensing.Approval{Reason: "bread"})
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		keys := must[[]permitsig.PublicKey](t)(f.svc.SigningKeys(ctx))
		if len(keys) != 1 {
			t.Fatalf("%d keys after approvals at once, want 1", len(keys))
		}
		errs = make([]error, 3)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.RotateSigningKey(ctx, f.admin)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil && tradeplan.ErrorCode(err) != tradeplan.EConflict {
				t.Fatalf("rotation: %v", err)
			}
		}
		active := 0
		for _, k := range must[[]permitsig.PublicKey](t)(f.svc.SigningKeys(ctx)) {
			if k.RetiredAt == nil {
				active++
			}
		}
		if active != 1 {
			t.Fatalf("%d active keys after rotations at once", active)
		}
		for _, p := range must[[]licensing.PermitView](t)(f.svc.Permits(ctx, f.admin, licensing.PermitFilter{})) {
			s := must[permitsig.Signed](t)(f.svc.SignedPermit(ctx, f.admin, p.ID))
			if r := permitsig.Verify(s, must[[]permitsig.PublicKey](t)(f.svc.SigningKeys(ctx))); !r.OK() {
				t.Fatalf("%s: %+v", p.Number, r)
			}
		}
	})
}

// preSigning is a licensing store as before permits were signed: its
// transactions are plain licensing.Tx, so that permits issued on a schema
// older than migration 0200 are issued unsigned, as the code of that
// schema issued them.
type preSigning struct{ s licensing.Store }

type plainTx struct{ licensing.Tx }

func (p preSigning) View(ctx context.Context, fn func(context.Context, licensing.Tx) error) error {
	return p.s.View(ctx, func(ctx context.Context, tx licensing.Tx) error { return fn(ctx, plainTx{tx}) })
}

func (p preSigning) Update(ctx context.Context, fn func(context.Context, licensing.Tx) error) error {
	return p.s.Update(ctx, func(ctx context.Context, tx licensing.Tx) error { return fn(ctx, plainTx{tx}) })
}

func preSigningService(f *licFixture) *licensing.Service {
	return licensing.NewService(licensing.Config{Store: preSigning{f.db.Licensing()}, Screen: capScreen, Clock: func() time.Time { return *f.now }})
}
