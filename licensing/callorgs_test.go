package licensing

import (
	"testing"

	"github.com/tradeplan/tradeplan"
)

func TestCallTakes(t *testing.T) {
	named := tradeplan.Call{ID: 1, Organisations: []int64{2}}
	offices := tradeplan.Call{ID: 2, Organisations: []int64{2}, IncludeOffices: true}
	open := tradeplan.Call{ID: 3}
	for _, tc := range []struct {
		name string
		c    tradeplan.Call
		org  int64
		ok   bool
	}{
		{"named", named, 2, true},
		{"office of a named one, not included", named, 3, false},
		{"office of a named one, included", offices, 3, true},
		{"parent of a named one", offices, 1, false},
		{"a stranger", offices, 5, false},
		{"a stranger's branch", named, 6, false},
		{"a call that names nobody", open, 6, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CallTakes(tc.c, permLineage(tc.org))
			if (err == nil) != tc.ok {
				t.Fatalf("got %v, want ok %v", err, tc.ok)
			}
			if err != nil && tradeplan.ErrorCode(err) != tradeplan.EForbidden {
				t.Fatalf("code %s", tradeplan.ErrorCode(err))
			}
		})
	}
}

// TestImportPlanUnnamed: the command line's plans import goes through the
// same check as the API, whoever acts.
func TestImportPlanUnnamed(t *testing.T) {
	f := newFixture(t, func(c *tradeplan.Call) { c.Organisations = []int64{2} })
	_, err := f.svc.ImportPlan(f.ctx, tradeplan.SystemActor("cli"), f.call.ID, 3, seafoodPlan())
	if tradeplan.ErrorCode(err) != tradeplan.EForbidden {
		t.Fatalf("import for an organisation the call does not name: %v", err)
	}
	if _, err := f.svc.ImportPlan(f.ctx, tradeplan.SystemActor("cli"), f.call.ID, 2, seafoodPlan()); err != nil {
		t.Fatal(err)
	}
}

func TestCheckUseUnitValue(t *testing.T) {
	p := tradeplan.Permit{Number: "TP-1", Quantity: tradeplan.D(1000), Value: tradeplan.D(50000), Unit: "pcs", Currency: "USD"}
	for _, tc := range []struct {
		name    string
		p       tradeplan.Permit
		q, v    float64
		allowed bool
	}{
		{"one piece at the value of a thousand", p, 1, 50000, false},
		{"one piece a cent above", p, 1, 50.01, false},
		{"at the approved unit value", p, 10, 500, true},
		{"below it", p, 10, 300, true},
		{"rounding of a third", tradeplan.Permit{Quantity: tradeplan.D(3), Value: tradeplan.D(100), Currency: "USD"}, 1, 33.34, true},
		{"a cent beyond the rounding of a third", tradeplan.Permit{Quantity: tradeplan.D(3), Value: tradeplan.D(100), Currency: "USD"}, 1, 33.35, false},
		{"two thirds", tradeplan.Permit{Quantity: tradeplan.D(3), Value: tradeplan.D(100), Currency: "USD"}, 2, 66.67, true},
		{"at the approved unit value exactly, in yen", tradeplan.Permit{Quantity: tradeplan.D(3), Value: tradeplan.D(100), Currency: "JPY"}, 1, 34, true},
		{"no value declared", p, 5, 0, true},
		{"a permit approved with no value", tradeplan.Permit{Quantity: tradeplan.D(10)}, 1, 1e6, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckUseUnitValue(tc.p, tradeplan.D(tc.q), tradeplan.D(tc.v))
			if (err == nil) != tc.allowed {
				t.Fatalf("got %v, want allowed %v", err, tc.allowed)
			}
		})
	}
}
