package hs

import (
	"strings"
	"testing"
)

// "X for Y": the goods X are classified, the use Y weighs less, and the
// evidence names the words read as the use.
func TestClassifyGoodsNotTheirUse(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		name, desc, want string
		use              string // the words the evidence names as the use; "" for none
	}{
		{"fuel for boats", "diesel fuel for fishing boats", "271019", "fishing boats"},
		{"fuel for vessels, with a quantity", "gas oil for fishing vessels, 300 MT", "271019", "fishing vessels 300 mt"},
		{"nets for trawlers", "fishing nets for trawlers, nylon", "560811", "trawlers nylon"},
		{"propellers for vessels", "ship propellers for cargo vessels", "848710", "cargo vessels"},
		{"rope for boats", "nylon rope for fishing boats", "560750", "fishing boats"},
		{"propellers for boats", "propellers for fishing boats", "848710", "fishing boats"},
		{"propeller for a vessel", "bronze propeller for fishing vessel", "848710", "fishing vessel"},
		{"used in", "diesel fuel used in fishing boats", "271019", "fishing boats"},
		// the use still counts where the code needs it
		{"tyres for buses", "tyres for buses", "401120", "buses"},
		{"engine for motorcycles", "petrol engine 150cc for motorcycles", "840732", "motorcycles"},
		// a use named by a function heading
		{"machines for packing", "machines for packing tea", "842240", "packing tea"},
		{"equipment for filtering water", "equipment for filtering drinking water", "842121", "filtering drinking water"},
		{"instrument for blood pressure", "instrument for measuring blood pressure, digital", "901890", "measuring blood pressure digital"},
		// negatives: no use read
		// parts go with the goods they are for: the use is the goods
		{"parts for engines", "spare parts for fishing-boat diesel engines", "840999", ""},
		{"parts used in", "parts used in marine diesel engines", "840999", ""},
		{"for inside a phrase", "fish meal for human consumption", "", ""},
		{"for first", "for fishing boats", "890200", ""},
		{"no for", "fishing boats", "890200", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.desc, 3)
			if len(got) == 0 {
				t.Fatalf("Classify(%q): no candidate", tt.desc)
			}
			if tt.want != "" && got[0].Code != tt.want {
				t.Errorf("Classify(%q) = %s first (%v), want %s", tt.desc, got[0].Code, got[0].Evidence, tt.want)
			}
			note := ""
			for _, e := range got[0].Evidence {
				if strings.HasPrefix(e, "use named after") {
					note = e
				}
			}
			switch {
			case tt.use == "" && note != "":
				t.Errorf("Classify(%q): evidence reads a use: %q", tt.desc, note)
			case tt.use != "" && !strings.Contains(note, ": "+tt.use+" ("):
				t.Errorf("Classify(%q): evidence %q, want the use %q named", tt.desc, note, tt.use)
			}
		})
	}
}
