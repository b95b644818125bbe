package hs

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// TestBuildInParallelSame: the index built with its steps on two cores and
// the misspelling index made on first use classifies every description of
// the labelled set, and their misspellings, exactly as the index built one
// step after the other, with the embedded nomenclature alone and with an
// imported one; and the misspelling index made on first use is the one
// made at once.
func TestBuildInParallelSame(t *testing.T) {
	b, err := os.ReadFile("testdata/comtrade-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	imported, err := ParseComtradeJSON(bytes.NewReader(b), "testdata/comtrade-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	var descs []string
	for _, e := range loadEval(t) {
		descs = append(descs, e.description, misspell(e.description))
	}
	descs = append(descs, "frozne herrring", "pollakc fillets", "salted pollack", "cotton t-shirts")
	for _, noms := range [][]*Nomenclature{nil, {imported}} {
		buildInOrder.Store(true)
		ref, err := New(noms...)
		buildInOrder.Store(false)
		if err != nil {
			t.Fatal(err)
		}
		got, err := New(noms...)
		if err != nil {
			t.Fatal(err)
		}
		// the same tables, built the one way and the other
		if !reflect.DeepEqual(ref.words, got.words) || !reflect.DeepEqual(ref.phraseIDs, got.phraseIDs) ||
			!reflect.DeepEqual(ref.phraseSet, got.phraseSet) || !reflect.DeepEqual(ref.concepts, got.concepts) {
			t.Fatalf("%d nomenclatures imported: the words, phrases or concepts differ", len(noms))
		}
		fixed := 0
		for _, d := range descs {
			w, g := ref.Classify(d, 5), got.Classify(d, 5)
			if !reflect.DeepEqual(w, g) {
				t.Fatalf("%d nomenclatures imported: %q classified differently:\n got %+v\nwant %+v", len(noms), d, g, w)
			}
		}
		for _, w := range ref.words {
			if m := misspell(w); m != w {
				a, _ := ref.correctWork(m)
				b, _ := got.correctWork(m)
				if wordOf(ref, a) != wordOf(got, b) {
					t.Errorf("%q corrected to %q, want %q", m, wordOf(got, b), wordOf(ref, a))
				}
				if a >= 0 {
					fixed++
				}
			}
		}
		if fixed < 1000 {
			t.Errorf("only %d misspelt words corrected", fixed)
		}
		if ref.maxFixLen != got.maxFixLen || len(ref.misspelt().deletes) != len(got.misspelt().deletes) {
			t.Errorf("misspelling index differs: %d words long, %d entries; want %d, %d", got.maxFixLen, len(got.misspelt().deletes), ref.maxFixLen, len(ref.misspelt().deletes))
		}
	}
}

// misspell swaps the second and third letters of every word of five
// letters or more.
func misspell(s string) string {
	out := []byte(s)
	start := 0
	for i := 0; i <= len(out); i++ {
		if i == len(out) || out[i] == ' ' {
			if i-start >= 5 {
				out[start+1], out[start+2] = out[start+2], out[start+1]
			}
			start = i + 1
		}
	}
	return string(out)
}

func wordOf(c *Classifier, id int32) string {
	if id < 0 {
		return ""
	}
	return c.words[id]
}
