package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// TestDeclarantsByName: a declarant is given as customs writes it, by the
// organisation's name (case and spacing aside), resolved among the
// organisations the officer's authority governs, or by its id as before.
// The same batch by id is a replay of it by name. A name that names no
// organisation there (one of another authority's included) or more than
// one is an error placed at the declaration's declarant, and nothing
// loads. On each engine.
func TestDeclarantsByName(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		pn := f.permit.Number
		other := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Other Ministry", Kind: tradeplan.OrgAuthority}))
		must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Outside Trading", Kind: tradeplan.OrgProvince, ParentID: other.ID, Country: "KP"}))
		for _, parent := range []int64{f.orgA.ID, f.orgB.ID} {
			must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Rason Trading", Kind: tradeplan.OrgProvince, ParentID: parent, Country: "KP"}))
		}

		byName := f.decl("N-1", f.orgA, "2027-02-10", 5, pn)
		byName.Declarant = licensing.DeclarantRef{Name: "  north   HAMGYONG "}
		r := f.mustLoad(t, "n1", byName)
		if d := r.Current[0]; d.Declarant != f.orgA.ID || !d.Counted || d.Matched != pn || len(d.Flags) != 0 {
			t.Fatalf("by name: %+v", d)
		}
		if r := f.mustLoad(t, "n1", f.decl("N-1", f.orgA, "2027-02-10", 5, pn)); !r.Replayed {
			t.Fatalf("the batch by id is not a replay of it by name: %+v", r)
		}
		// The CSV column takes names and ids alike.
		csv := "declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,crossing\n" +
			"N-2,Ryanggang,,2027-02-11,CN,KP,110100,wheat flour,1,t,Namyang-Tumen\n" +
			"N-3," + strconv.FormatInt(f.orgA.ID, 10) + "," + pn + ",2027-02-11,CN,KP,110100,wheat flour,1,t,Namyang-Tumen\n"
		in := must[[]licensing.DeclarationInput](t)(licensing.ReadDeclarationsCSV(strings.NewReader(csv), "n.csv"))
		r = must[licensing.IntakeResult](t)(f.svc.ImportDeclarations(ctx, f.compliance, "n2", in))
		if byNumber(r.Current, "N-2").Declarant != f.orgB.ID || byNumber(r.Current, "N-3").Declarant != f.orgA.ID {
			t.Fatalf("CSV by name and id: %+v", r.Current)
		}

		for _, tt := range []struct{ name, want string }{
			{"Nowhere Co", `declarations[1].declarant: there is no organisation named "Nowhere Co" in your jurisdiction`},
			{"Outside Trading", `declarations[1].declarant: there is no organisation named "Outside Trading" in your jurisdiction`},
			{"rason trading", `declarations[1].declarant: "rason trading" names 2 organisations in your jurisdiction`},
		} {
			bad := f.decl("N-9", f.orgA, "2027-02-12", 1, pn)
			bad.Declarant = licensing.DeclarantRef{Name: tt.name}
			_, err := f.load(t, "n3", f.decl("N-8", f.orgA, "2027-02-12", 1, pn), bad)
			wantCode(t, err, tradeplan.EInvalid)
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if ds := must[[]licensing.Declaration](t)(f.svc.Declarations(ctx, f.compliance, licensing.DeclarationFilter{Batch: "n3"})); len(ds) != 0 {
				t.Fatalf("%s: a rejected batch loaded %d", tt.name, len(ds))
			}
		}
		if res := must[store.StateResult](t)(db.VerifyState(ctx)); !res.OK {
			t.Fatalf("state: %+v", res.Problems)
		}
	})
}
