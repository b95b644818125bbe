package store_test

import (
	"context"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// TestDeclarationNumberOfAnotherJurisdiction: declaration numbers are one
// namespace, so a second authority's officer loading a declaration under a
// number the first authority's declarant already holds must not correct
// (supersede) it: that would move the first authority's permit balance
// from outside its tree. The batch is refused whole, at the declaration's
// number, and the first declaration and its permit's balance stand. On
// each engine.
func TestDeclarationNumberOfAnotherJurisdiction(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		pn := f.permit.Number
		f.mustLoad(t, "a1", f.decl("CD-77", f.orgA, "2027-02-10", 10, pn))
		before := declared(t, db, f.permit.ID)

		other := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Other Ministry", Kind: tradeplan.OrgAuthority}))
		otherOrg := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Other Province", Kind: tradeplan.OrgProvince, ParentID: other.ID, Country: "KP"}))
		officer := tradeplan.Actor{User: tradeplan.User{ID: 99, OrgID: other.ID, Role: tradeplan.RoleCompliance, Email: "other-compliance@x"},
			Org: other, Subtree: []int64{other.ID, otherOrg.ID}, Via: "token"}
		for i, d := range []licensing.DeclarationJSON{
			f.decl("CD-77", otherOrg, "2027-02-11", 1, ""),  // different facts: would be a correction
			f.decl("CD-77", otherOrg, "2027-02-10", 10, pn), // the same facts but its own declarant
		} {
			in, err := licensing.DeclarationsFromJSON([]licensing.DeclarationJSON{d})
			if err != nil {
				t.Fatal(err)
			}
			r, err := f.svc.ImportDeclarations(ctx, officer, "other-"+string(rune('a'+i)), in)
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Errorf("case %d: %+v, %v; want the number refused as another jurisdiction's", i, r, err)
			}
		}
		if got := declared(t, db, f.permit.ID); got != before {
			t.Errorf("the first authority's permit: declared %s, was %s", got, before)
		}
		ds := must[[]licensing.Declaration](t)(f.svc.Declarations(ctx, tradeplan.SystemActor("test"), licensing.DeclarationFilter{Batch: "a1"}))
		if d := byNumber(ds, "CD-77"); d.Declarant != f.orgA.ID || !d.Current {
			t.Errorf("CD-77 after the other authority's batches: %+v", d)
		}
	})
}
