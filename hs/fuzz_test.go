package hs

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("section,hscode,description,parent,level\nI,03,Fish,TOTAL,2\nI,0303,\"Fish; frozen\",03,4\nI,030367,\"Fish; frozen, Alaska pollock\",0303,6\n"))
	f.Add([]byte("section,hscode,description,parent,level\nTOTAL,999999,x,9999,6\n,,,,\n"))
	f.Add([]byte("section,hscode\n\"unterminated"))
	f.Add([]byte("\ufeffsection,hscode,description,parent,level\nXXI,97,Art,TOTAL,2\nXXI,9701,\"Paintings\",97,4\nXXI,970191,x,9701,six\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseCSV(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if n != nil {
				t.Fatal("a nomenclature returned with an error")
			}
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Fatalf("want an invalid error, got %v", err)
			}
			return
		}
		for _, l := range []int{2, 4, 6} {
			for _, c := range n.Codes(l) {
				if e, ok := n.Lookup(c); !ok || len(c) != l || (l > 2 && e.Parent != c[:l-2]) {
					t.Fatalf("inconsistent entry %s: %+v", c, e)
				}
			}
		}
	})
}

func FuzzParseComtradeJSON(f *testing.F) {
	f.Add([]byte(`{"results":[{"id":"03","text":"03 - Fish","parent":"TOTAL"},{"id":"0303","text":"0303 - Fish; frozen","parent":"03"}]}`))
	f.Add([]byte(`{"more":false,"results":[{"id":"TOTAL"}]}`))
	f.Add([]byte(`{"results":[{"id":7}]}`))
	f.Add([]byte(`{"results":[`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseComtradeJSON(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if n != nil {
				t.Fatal("a nomenclature returned with an error")
			}
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Fatalf("want an invalid error, got %v", err)
			}
			return
		}
		if n.Count(2)+n.Count(4)+n.Count(6) == 0 {
			t.Fatal("an empty nomenclature without an error")
		}
	})
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"salted pollack", "Frz Alaska Pollack fillets 10kg", "", "   ", "명태 frozen", "0305.69",
		"salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted salted pollack",
		"\xff\xfe pine mushrooms in brine", "T-shirts 100% cotton knit; men's"} {
		f.Add(s, 3)
	}
	c, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, desc string, top int) {
		top = top % 20
		cands := c.Classify(desc, top)
		want := top
		if want <= 0 {
			want = 3
		}
		if len(cands) > want {
			t.Fatalf("%d candidates, asked for %d", len(cands), want)
		}
		seen := map[string]bool{}
		for i, cd := range cands {
			if cd.Score < 0 || cd.Score > 1 || (cd.Level != 2 && cd.Level != 4 && cd.Level != 6) || len(cd.Code) != cd.Level || len(cd.Evidence) == 0 || seen[cd.Code] {
				t.Fatalf("bad candidate %d for %q: %+v", i, desc, cd)
			}
			seen[cd.Code] = true
		}
		if _, err := c.CheckCode(desc); err != nil && tradeplan.ErrorCode(err) != tradeplan.EInvalid {
			t.Fatalf("CheckCode(%q): %v", desc, err)
		}
		_ = strings.TrimSpace(desc)
	})
}

// The ASCII fast path of tokens must split exactly as the general one.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"Men's T-Shirt 65% Poly", "salted  pollack,, 20kg", "", "a", "'", "x'y z", "A-B_C.D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := asciiTokens(nil, s)
		if !ok {
			return
		}
		slow := unicodeTokens(s)
		if strings.Join(fast, "|") != strings.Join(slow, "|") || len(fast) != len(slow) {
			t.Fatalf("tokens(%q): fast %q, general %q", s, fast, slow)
		}
	})
}
