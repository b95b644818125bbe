package store_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/permitsig"
	"github.com/tradeplan/tradeplan/store"
)

func storedPrivateKeys(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := store.Raw(db).Query("SELECT private_key FROM signing_keys ORDER BY created_at")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		rows.Scan(&v)
		out = append(out, v)
	}
	return out
}

// TestSigningKeysEncrypted: a key stored in the clear before a
// key-encryption key was set is encrypted once one is, retired keys too;
// new keys are stored encrypted; permits signed before and after verify;
// without the key, or with another, signing fails with a clear error and
// nothing is signed.
func TestSigningKeysEncrypted(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		p1 := issueFlour(t, f, f.provA, 1)[0] // a key in the clear, as before
		if ks := storedPrivateKeys(t, db); len(ks) != 1 || strings.HasPrefix(ks[0], "enc:") {
			t.Fatalf("before a key-encryption key: %q", ks)
		}
		kek := make([]byte, 32)
		rand.Read(kek)
		if err := db.SetKeyEncryptionKey(kek); err != nil {
			t.Fatal(err)
		}
		if n, err := db.SealSigningKeys(ctx); err != nil || n != 1 {
			t.Fatalf("sealed %d, %v", n, err)
		}
		if n, err := db.SealSigningKeys(ctx); err != nil || n != 0 {
			t.Fatalf("sealed again %d, %v", n, err)
		}
		must[permitsig.PublicKey](t)(f.svc.RotateSigningKey(ctx, f.admin))
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provB, f.call.ID, 0, flourPlan(2)))
		_, p2, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 1, licensing.Approval{Reason: "bread"})
		if err != nil {
			t.Fatal(err)
		}
		ks := storedPrivateKeys(t, db)
		if len(ks) != 2 {
			t.Fatalf("keys: %d", len(ks))
		}
		for _, k := range ks {
			if !strings.HasPrefix(k, "enc:v1:") {
				t.Fatalf("a private key stored in the clear: %.20s...", k)
			}
		}
		keys := must[[]permitsig.PublicKey](t)(f.svc.SigningKeys(ctx))
		for _, p := range []int64{p1.ID, p2.ID} {
			s := must[permitsig.Signed](t)(f.svc.SignedPermit(ctx, f.admin, p))
			if r := permitsig.Verify(s, keys); !r.OK() {
				t.Fatalf("permit %d: %+v", p, r)
			}
		}
		// Without the key-encryption key, or with another, nothing signs.
		store.ClearKeyEncryption(db)
		for _, set := range []func(){func() {}, func() { other := make([]byte, 32); db.SetKeyEncryptionKey(other) }} {
			set()
			_, _, err := f.svc.ApproveLine(ctx, f.rev, rec.ID, 2, licensing.Approval{Reason: "bread"})
			if err == nil || !strings.Contains(err.Error(), "signing key") {
				t.Fatalf("signing without the right key-encryption key: %v", err)
			}
		}
	})
}

// TestSigningKeysNotReKeyed: with the key-encryption key missing or
// changed, a rotation retired the encrypted signing key and made a new one
// (stored in the clear when none was set), so that permits went on being
// signed with a key nobody chose. The rotation is refused, nothing changes,
// and CheckSigningKeys says what is wrong before a server starts.
func TestSigningKeysNotReKeyed(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newLicFixture(t, db)
		if err := db.CheckSigningKeys(ctx); err != nil {
			t.Fatalf("no keys yet: %v", err)
		}
		kek := make([]byte, 32)
		rand.Read(kek)
		if err := db.SetKeyEncryptionKey(kek); err != nil {
			t.Fatal(err)
		}
		issueFlour(t, f, f.provA, 1)
		if err := db.CheckSigningKeys(ctx); err != nil {
			t.Fatalf("with the right key: %v", err)
		}
		keys := must[[]permitsig.PublicKey](t)(f.svc.SigningKeys(ctx))
		rec := must[tradeplan.PlanRecord](t)(f.svc.ImportPlan(ctx, f.provB, f.call.ID, 0, flourPlan(2)))
		for name, set := range map[string]func(){
			"missing": func() { store.ClearKeyEncryption(db) },
			"changed": func() { other := make([]byte, 32); rand.Read(other); db.SetKeyEncryptionKey(other) },
		} {
			set()
			err := db.CheckSigningKeys(ctx)
			if err == nil || !strings.Contains(err.Error(), "TRADEPLAN_KEY") {
				t.Errorf("%s key: check says %v", name, err)
			}
			_, _, err = f.svc.ApproveLine(ctx, f.rev, rec.ID, 1, licensing.Approval{Reason: "bread"})
			if tradeplan.ErrorCode(err) != tradeplan.EConflict || !strings.Contains(err.Error(), "TRADEPLAN_KEY") {
				t.Errorf("%s key: approval %v, want a conflict naming TRADEPLAN_KEY", name, err)
			}
			_, err = f.svc.RotateSigningKey(ctx, f.admin)
			if err == nil || !strings.Contains(err.Error(), "TRADEPLAN_KEY") {
				t.Errorf("%s key: rotation %v, want a refusal naming TRADEPLAN_KEY", name, err)
			}
			after := must[[]permitsig.PublicKey](t)(f.svc.SigningKeys(ctx))
			if len(after) != len(keys) || after[len(after)-1].RetiredAt != nil {
				t.Errorf("%s key: the keys changed: %+v", name, after)
			}
			for _, k := range storedPrivateKeys(t, db) {
				if !strings.HasPrefix(k, "enc:v1:") {
					t.Errorf("%s key: a private key stored in the clear", name)
				}
			}
		}
		db.SetKeyEncryptionKey(kek)
		must[permitsig.PublicKey](t)(f.svc.RotateSigningKey(ctx, f.admin))
	})
}
