package hs

import (
	"reflect"
	"testing"
)

// CheckCode's table of plain codes must answer exactly as the full check,
// for every code of every nomenclature in use, and cost no allocation.
func TestCheckCodeTable(t *testing.T) {
	n22, n17 := loadFull(t)
	full, err := New(n22, n17)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		c    *Classifier
		min  int // codes the table must hold at least
	}{
		{"embedded default", defaultClassifier(t), 1228 + 5612},
		{"hs2022 and hs2017 imported", full, 1228 + 5612},
	} {
		t.Run(tt.name, func(t *testing.T) {
			table := tt.c.fast()
			if len(table) < tt.min {
				t.Fatalf("table holds %d codes, want at least %d", len(table), tt.min)
			}
			for code, a := range table {
				b, err := tt.c.checkCode(code)
				if err != nil || !reflect.DeepEqual(a, b) {
					t.Fatalf("table %q = %+v; checkCode gives %+v, %v", code, a, b, err)
				}
			}
			// codes outside the table still get the full check
			for _, code := range []string{"0305.69", "0305690000", "030599", "0399", "7701", "12AB", "03056"} {
				a, err := tt.c.CheckCode(code)
				b, err2 := tt.c.checkCode(code)
				if !reflect.DeepEqual(a, b) || (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
					t.Errorf("CheckCode(%q) = %+v, %v; checkCode gives %+v, %v", code, a, err, b, err2)
				}
			}
			for _, code := range []string{"030569", "0305", "847130"} {
				if n := testing.AllocsPerRun(100, func() { _, _ = tt.c.CheckCode(code) }); n != 0 {
					t.Errorf("CheckCode(%q): %v allocations, want 0", code, n)
				}
			}
		})
	}
	// an HS 2017 code is in the table only when HS 2017 is imported, with its note
	if _, ok := defaultClassifier(t).fast()["030510"]; ok {
		t.Error("030510 (HS 2017 only) in the embedded default's table")
	}
	if a, ok := full.fast()["030510"]; !ok || a.Note == "" {
		t.Errorf("030510 with HS 2017 imported: %+v, %v", a, ok)
	}
}
