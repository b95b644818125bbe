package hs

import (
	"reflect"
	"strings"
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

// A code of HS 2017 that HS 2022 renumbered to one code (8803.30, parts of
// aircraft, became 8807.30) is read as that code, with a note, on every
// classifier: the rules then screen the aircraft parts as aircraft parts,
// not the description's guess. A code that split into several stays
// invalid (the declarant must choose); a code that never existed too.
func TestCheckCodeRenumbered(t *testing.T) {
	n22, _ := loadFull(t)
	only22, err := New(n22)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		c    *Classifier
	}{{"embedded default", defaultClassifier(t)}, {"hs2022 imported", only22}} {
		for _, tt := range []struct{ in, want, bad string }{
			{"8803.30", "880730", ""},
			{"880310", "880710", ""},
			{"8803.90", "880790", ""},
			{"8107.30", "811261", ""},
			{"8107.20", "811269", ""},
			{"8517.12", "", "8517.13"}, // split: smartphones or other telephones
			{"8803.40", "", "8803"},    // never a code
		} {
			a, err := c.c.CheckCode(tt.in)
			if tt.bad != "" {
				if err == nil || !strings.Contains(err.Error(), tt.bad) {
					t.Errorf("%s: CheckCode(%s) = %+v, %v; want an error naming %s", c.name, tt.in, a, err, tt.bad)
				}
				continue
			}
			if err != nil || a.Code != tt.want || !strings.Contains(a.Note, "HS 2017") || !strings.Contains(a.Note, FormatCode(tt.want)) {
				t.Errorf("%s: CheckCode(%s) = %+v, %v; want %s with a note on the renumbering", c.name, tt.in, a, err, tt.want)
			}
		}
	}
}
