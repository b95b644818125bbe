package parties

import "testing"

func TestStripVesselPrefix(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"motor tanker", "M/T YU JONG 2", "YU JONG 2"},
		{"motor vessel", "M/V JI SONG 6", "JI SONG 6"},
		{"dotted", "M.V. CHON MA SAN", "CHON MA SAN"},
		{"plain", "MV Chon Ma San", "Chon Ma San"},
		{"steamship", "S.S. Pioneer", "Pioneer"},
		{"no prefix", "CHON MA SAN", "CHON MA SAN"},
		{"prefix alone", "MV", "MV"},
		{"a name that starts like one", "MVP Star", "MVP Star"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stripVesselPrefix(tc.in); got != tc.want {
				t.Errorf("stripVesselPrefix(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestVesselPrefixReal: a listed ship written with its type prefix is the
// strong match its bare name is (on the real OFAC list).
func TestVesselPrefixReal(t *testing.T) {
	_, _, ix := realLists(t)
	for _, name := range []string{"M/T YU JONG 2", "M/V JI SONG 6", "M.V. CHON MA SAN", "MV CHON MA SAN"} {
		ms := ix.Search(Query{Name: name, Kind: VesselKind})
		if len(ms) == 0 || ms[0].Strength != Strong {
			t.Errorf("%q: %+v, want a strong match", name, ms)
		}
	}
}
