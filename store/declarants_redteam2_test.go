package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// TestAttackDeclarantLookAlikes: a declarant name is compared as it reads,
// not as it is encoded. The same name composed or decomposed, or in
// full-width letters, names the same organisation; and two organisations
// whose names differ only by look-alike letters (a Cyrillic "а" for a
// Latin "a") are never told apart silently: the name is ambiguous and the
// id is asked for, whichever of the two spellings the file uses. On each
// engine.
func TestAttackDeclarantLookAlikes(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDeclFixture(t, db)
		pn := f.permit.Number
		soc := must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: "Soci\u00e9t\u00e9 Mini\u00e8re", Kind: tradeplan.OrgProvince, ParentID: f.orgA.ID, Country: "KP"}))
		for _, n := range []string{"Rason Trading", "R\u0430son Trading"} { // the second with a Cyrillic а
			must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: n, Kind: tradeplan.OrgProvince, ParentID: f.orgA.ID, Country: "KP"}))
		}
		for i, tt := range []struct {
			name string
			want int64
		}{
			{"Socie\u0301te\u0301 Minie\u0300re", soc.ID}, // decomposed
			{"SOCIÉTÉ  minière", soc.ID},
			{"\uff32\uff39\uff21\uff2e\uff27\uff27\uff21\uff2e\uff27", f.orgB.ID}, // ＲＹＡＮＧＧＡＮＧ
		} {
			d := f.decl("L-"+string(rune('A'+i)), f.orgA, "2027-02-10", 1, "")
			d.Declarant = licensing.DeclarantRef{Name: tt.name}
			r, err := f.load(t, "l"+string(rune('a'+i)), d)
			if err != nil {
				t.Errorf("%q: %v", tt.name, err)
				continue
			}
			if got := r.Current[0].Declarant; got != tt.want {
				t.Errorf("%q: declarant %d, want %d", tt.name, got, tt.want)
			}
		}
		for i, n := range []string{"Rason Trading", "R\u0430son Trading", "RASON TRADING"} {
			bad := f.decl("L-9", f.orgA, "2027-02-12", 1, pn)
			bad.Declarant = licensing.DeclarantRef{Name: n}
			_, err := f.load(t, "l9"+string(rune('a'+i)), bad)
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid || !strings.Contains(err.Error(), "names 2 organisations in your jurisdiction") {
				t.Errorf("%q: %v; want it ambiguous between the two look-alike names", n, err)
			}
		}
	})
}
