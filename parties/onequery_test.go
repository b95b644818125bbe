package parties

import (
	"reflect"
	"testing"
)

// TestSearchResultsOwnTheirPairs: the explanations of a search are written
// with the index's pooled scratch, so a result must hold its own copy of
// its pairs: searches after it, from this goroutine or others, must not
// change it.
func TestSearchResultsOwnTheirPairs(t *testing.T) {
	_, _, ix := realLists(t)
	queries := []Query{
		{Name: "Korea Mining Development Trading Corporation", Top: 5},
		{Name: "Ocean Maritime Management Company"},
		{Name: "Kim Jong Sik"},
		{Name: "Tanchon Commercial Bank"},
		{Name: "Chong Chon Gang Shipping"},
	}
	kept := make([][]Match, len(queries))
	copies := make([][][]Pair, len(queries))
	for i, q := range queries {
		kept[i] = ix.Search(q)
		if len(kept[i]) == 0 {
			t.Fatalf("%q: no match; the test wants matches with pairs", q.Name)
		}
		for _, m := range kept[i] {
			copies[i] = append(copies[i], append([]Pair(nil), m.Pairs...))
		}
	}
	done := make(chan bool)
	for range 2 {
		go func() {
			for range 20 {
				for _, q := range queries {
					ix.Search(q)
				}
			}
			done <- true
		}()
	}
	<-done
	<-done
	for i, q := range queries {
		for j, m := range kept[i] {
			if !reflect.DeepEqual(m.Pairs, copies[i][j]) {
				t.Errorf("%q match %d: pairs changed by later searches:\n got %+v\nwant %+v", q.Name, j, m.Pairs, copies[i][j])
			}
		}
		again := ix.Search(q)
		if !reflect.DeepEqual(again, kept[i]) {
			t.Errorf("%q: searching again gives another answer", q.Name)
		}
	}
}
