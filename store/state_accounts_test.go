package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
)

// TestAttackAccountsBehindTheStore (redteam, wave 5): who may do what is
// security state like a permit: a submitter made an administrator, an
// organisation moved under another authority, a revoked token revived, a
// password hash replaced, a user or token inserted, each with SQL behind
// the store's back, is reported by VerifyState. What the store itself
// writes (a disabled user, a new password, a revoked token, a token's
// last use) verifies.
func TestAttackAccountsBehindTheStore(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := tradeplan.WithActor(context.Background(), tradeplan.SystemActor("test"))
		auth := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Authority", Kind: tradeplan.OrgAuthority, Country: "KP"}))
		other := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Other authority", Kind: tradeplan.OrgAuthority, Country: "KP"}))
		prov := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{ParentID: auth.ID, Name: "Province", Kind: tradeplan.OrgProvince, Country: "KP"}))
		sub := must[tradeplan.User](t)(db.CreateUser(ctx, tradeplan.User{OrgID: prov.ID, Email: "sub@example.org", Name: "sub", Role: tradeplan.RoleSubmitter}, "correct horse battery staple"))
		adm := must[tradeplan.User](t)(db.CreateUser(ctx, tradeplan.User{OrgID: auth.ID, Email: "adm@example.org", Name: "adm", Role: tradeplan.RoleAdmin}, "correct horse battery staple"))
		secret, tok, err := db.CreateToken(ctx, sub.ID, "ci")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenUser(ctx, secret); err != nil { // its last use is written
			t.Fatal(err)
		}
		must[tradeplan.User](t)(db.SetUserDisabled(ctx, adm.ID, true))
		must[tradeplan.User](t)(db.SetUserDisabled(ctx, adm.ID, false))
		if err := db.SetPassword(ctx, adm.ID, "another long pass phrase"); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("what the store wrote does not verify: %+v", res.Problems)
		}
		raw := store.Raw(db)
		id := func(v int64) string { return strconv.FormatInt(v, 10) }
		seen := 0
		for _, s := range []struct {
			name, sql string
			args      []any
			row       string
		}{
			{"a submitter made an administrator", "UPDATE users SET role = 'admin' WHERE id = ?", []any{sub.ID}, "users[id=" + id(sub.ID) + "]"},
			{"an organisation moved to another jurisdiction", "UPDATE organisations SET parent_id = ? WHERE id = ?", []any{other.ID, prov.ID},
				"organisations[id=" + id(prov.ID) + "]"},
			{"an organisation made an authority", "UPDATE organisations SET kind = 'authority' WHERE id = ?", []any{prov.ID}, "organisations[id=" + id(prov.ID) + "]"},
			{"a revoked token revived", "UPDATE api_tokens SET revoked_at = NULL WHERE id = ?", []any{tok.ID}, "api_tokens[id=" + id(tok.ID) + "]"},
			{"a password hash replaced", "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = ?) WHERE id = ?", []any{sub.ID, adm.ID},
				"users[id=" + id(adm.ID) + "]"},
			{"a disabled flag cleared", "UPDATE users SET disabled = NOT disabled WHERE id = ?", []any{adm.ID}, "users[id=" + id(adm.ID) + "]"},
			{"a user inserted", `INSERT INTO users (org_id, email, name, role, password_hash, created_at, disabled)
				SELECT org_id, 'mole@example.org', name, 'admin', password_hash, created_at, disabled FROM users WHERE id = ?`, []any{adm.ID}, "users[id="},
			{"a token inserted", `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at)
				SELECT user_id, name, prefix, 'forged-hash', created_at FROM api_tokens WHERE id = ?`, []any{tok.ID}, "api_tokens[id="},
		} {
			if _, err := raw.ExecContext(ctx, store.Rebind(db, s.sql), s.args...); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			res := must[store.StateResult](t)(db.VerifyState(ctx))
			found := false
			for _, p := range res.Problems {
				found = found || strings.HasPrefix(p.Row, s.row)
			}
			if res.OK || !found || len(res.Problems) < seen {
				t.Fatalf("%s: not reported (%s): %+v", s.name, s.row, res.Problems)
			}
			seen = len(res.Problems)
		}
	})
}
