package parties

import (
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestCompareRefusesInvalidUTF8: the API refuses a name that is not UTF-8,
// but `tradeplan parties compare --pairs` went straight to Compare, scored
// the bytes and wrote them back into its CSV (redteam). Compare itself
// refuses them, on every path.
func TestCompareRefusesInvalidUTF8(t *testing.T) {
	for _, p := range [][2]string{{"\xff\xfe", "abc"}, {"Tanchon", "TANCHON \xc3"}} {
		_, err := NewIndex().Compare(p[0], p[1], Entity)
		if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
			t.Errorf("Compare(%q, %q): got %v, want an invalid-input error", p[0], p[1], err)
		}
	}
}
