package feasibility

import (
	"math"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
)

// storeSite is the site of the storage tests, worked by hand: 6 working
// days (2027-01-04, a Monday, to 2027-01-09); one line at 1.25 t of ore
// an hour, availability 1, yield 1, under 1x8: it draws 10 t a day, and
// line-hours allow 1 x 1.25 x 1 x 8 x 6 x 1 = 60 t. Workers to spare,
// power not limited.
const storeSite = `
policy: {max_hours_per_day: 12, max_hours_per_week: 72, days_per_week: 6, absence: 0}
shift_patterns: [1x8]
sites:
  - id: s
    workers: 100
STORAGE
    stock: [{item: ore, quantity: 40, unit: t SHELF}]
    supply: [{item: ore, date: ARRIVES, quantity: 30, unit: t}]
    processes:
      - {id: p, input: ore, output: concentrate, hs: "2611", yield: 1, lines: 1, rate: 1.25, availability: 1, crew: 10, kwh_per_tonne: 1}
`

var week = tradeplan.Period{Label: "2027-01-04/2027-01-09", From: day("2027-01-04"), To: day("2027-01-09")}

func TestStorageBinds(t *testing.T) {
	tests := []struct {
		name                         string
		storage, shelf, arrives      string
		material, storage_, quantity float64
		binding                      string
	}{
		// Day 1: the store of 50 t takes the 40 t on hand and 10 t of the
		// 30 arriving; 20 t refused. Storage 50 x 1, material 70 x 1, line
		// hours 60: storage binds.
		{"full on arrival", "    storage: {capacity: 50, unit: t}", "", "2027-01-04", 70, 50, 50, "storage"},
		{"in kg", "    storage: {capacity: 50000, unit: kg}", "", "2027-01-04", 70, 50, 50, "storage"},
		// Days 1 and 2 draw 10 t each: on day 3 the store holds 20 t and has
		// room for all 30; storage 70 = material; line hours bind at 60.
		{"drawn before arrival", "    storage: {capacity: 50, unit: t}", "", "2027-01-06", 70, 70, 60, "line_hours"},
		// The 40 t on hand keep one day: day 1 draws 10 t, the other 30 t
		// spoil and leave the store, so the 30 t of day 2 find room. Stock
		// counts min(taken 40, usable 10 x 1 day) = 10, supply 30: 40, as
		// material. Had the spoiled lot kept its room, storage would be 30.
		{"spoiled lots leave", "    storage: {capacity: 50, unit: t}", ", shelf_days: 1", "2027-01-05", 40, 40, 40, "material"},
		{"no storage", "", "", "2027-01-04", 70, math.NaN(), 60, "line_hours"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := sitesOf(t, storeSite, "STORAGE\n", tc.storage+"\n", " SHELF", tc.shelf, "ARRIVES", tc.arrives)
			f := check1(t, s, week, 65)
			if f.Binding != tc.binding || f.Quantity != tc.quantity || limit(f, "material") != tc.material || limit(f, "line_hours") != 60 {
				t.Fatalf("binding %s, quantity %v, material %v, line_hours %v: %+v", f.Binding, f.Quantity, limit(f, "material"), limit(f, "line_hours"), f.Constraints)
			}
			got := limit(f, "storage")
			if math.IsNaN(tc.storage_) != math.IsNaN(got) || !math.IsNaN(got) && got != tc.storage_ {
				t.Fatalf("storage limit %v, want %v: %+v", got, tc.storage_, f.Constraints)
			}
			if tc.binding == "storage" && !strings.Contains(f.Reason, "storage binds") {
				t.Fatalf("reason %q", f.Reason)
			}
		})
	}
}

func TestStorageParse(t *testing.T) {
	for _, tc := range []struct{ storage, want string }{
		{"    storage: {capacity: 0}", "sites[1].storage.capacity: expected a number above 0"},
		{"    storage: {capacity: 5, unit: pcs}", "sites[1].storage.unit: expected a unit of mass"},
		{"    storage: {capacity: 5, unit: t, room: 3}", "sites[1].storage.room: unknown field"},
	} {
		doc := strings.NewReplacer("STORAGE\n", tc.storage+"\n", " SHELF", "", "ARRIVES", "2027-01-04").Replace(storeSite)
		_, err := Parse([]byte(doc), "sites.yaml", plan.YAML)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "sites.yaml:7:") {
			t.Errorf("%s: %v; want %q at line 7", tc.storage, err, tc.want)
		}
	}
}
