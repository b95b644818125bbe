package screen

import (
	"strings"
	"testing"
)

// TestIsKP: isKP answers as the Unicode case folding of the trimmed code
// does, for every string of two bytes and for longer ones (the Kelvin sign
// folds to k).
func TestIsKP(t *testing.T) {
	ref := func(c string) bool { return strings.EqualFold(strings.TrimSpace(c), "KP") }
	for a := range 256 {
		for b := range 256 {
			c := string([]byte{byte(a), byte(b)})
			if got, want := isKP(c), ref(c); got != want {
				t.Fatalf("isKP(%q) = %v, want %v", c, got, want)
			}
		}
	}
	for _, c := range []string{"", "K", "KP", "kp", " KP", "KP ", " kp\t", "\u212AP", "\u212Ap", "K P", "KPX", "ＫＰ", "KR"} {
		if got, want := isKP(c), ref(c); got != want {
			t.Errorf("isKP(%q) = %v, want %v", c, got, want)
		}
	}
}
