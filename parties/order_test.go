package parties

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// orderQueries are about a thousand queries for the load-order test: the
// hand-written variants and negatives, the generated ones, and names that
// share common words with many listed ones (where a cut-off among equals
// would show an order).
func orderQueries(t *testing.T, un, ofac *ListInfo) []Query {
	var qs []Query
	add := func(name, kind string) {
		k := "party"
		if kind == "vessel" {
			k = VesselKind
		}
		qs = append(qs, Query{Name: name, Kind: k})
	}
	for _, r := range readTSV(t, "variants.tsv", 4) {
		add(r[0], r[1])
	}
	for _, r := range readTSV(t, "negatives.tsv", 2) {
		add(r[0], r[1])
	}
	all := append(append([]Entry{}, un.Entries...), ofac.Entries...)
	gen := generatedVariants(all)
	for i := 0; i < len(gen); i += 3 {
		add(gen[i].query, gen[i].kind)
	}
	neg := generatedNegatives()
	for i := 0; i < len(neg); i += 4 {
		add(neg[i].query, neg[i].kind)
	}
	for _, n := range []string{"Daesong Trading", "Kim", "Korea Trading", "Trading Corporation", "Kim Chol",
		"Li", "Ri Song", "Dandong Trading Co Ltd", "Bank", "Korea General Corporation"} {
		qs = append(qs, Query{Name: n}, Query{Name: n, Kind: "party"})
	}
	return qs
}

// shuffled is a copy of a list with its entries in another order.
func shuffled(l *ListInfo, seed uint64) *ListInfo {
	c := *l
	c.Entries = append([]Entry(nil), l.Entries...)
	r := rand.New(rand.NewPCG(seed, seed+1))
	r.Shuffle(len(c.Entries), func(i, j int) { c.Entries[i], c.Entries[j] = c.Entries[j], c.Entries[i] })
	return &c
}

// comparable is a match without what may differ by load order and does
// not belong to the result (the index's own numbering).
func comparableMatches(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = fmt.Sprintf("%s:%s %q %q %s %.3f %.3f %s %s %v %v | %s", m.List, m.ID, m.Name, m.MatchedName,
			m.Quality, m.Score, m.NameScore, m.Strength, m.Version, m.Pairs, m.Adjust, m.Explanation)
	}
	return out
}

// TestLoadOrderIrrelevant: the same lists give the same matches, scores,
// explanations and order however they were loaded: UN then OFAC (the
// database's order), OFAC then UN (--lists in the other order), each list's
// entries in another order, and through Load from stored datasets.
func TestLoadOrderIrrelevant(t *testing.T) {
	if testing.Short() {
		t.Skip("builds five indexes of the reference lists")
	}
	un, ofac, ref := realLists(t)
	dsUN, err := readDataset(unPath)
	if err != nil {
		t.Fatal(err)
	}
	dsOFAC, err := readDataset(ofacPath)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(dsOFAC, dsUN)
	if err != nil {
		t.Fatal(err)
	}
	others := []struct {
		name string
		ix   *Index
	}{
		{"OFAC then UN", NewIndex(ofac, un)},
		{"Load(ofac, un) from datasets", loaded},
		{"entries shuffled", NewIndex(shuffled(un, 1), shuffled(ofac, 2))},
		{"OFAC then UN, entries shuffled", NewIndex(shuffled(ofac, 3), shuffled(un, 4))},
	}
	qs := orderQueries(t, un, ofac)
	if len(qs) < 900 {
		t.Fatalf("%d queries, want about 1,000", len(qs))
	}
	t.Logf("%d queries", len(qs))
	for _, o := range others {
		diff := 0
		for _, q := range qs {
			for _, all := range []bool{false, true} {
				q := q
				if all {
					q.MinScore, q.Top = 0.5, 10
				}
				want, got := comparableMatches(ref.Search(q)), comparableMatches(o.ix.Search(q))
				if reflect.DeepEqual(want, got) {
					continue
				}
				diff++
				if diff <= 5 {
					t.Errorf("%s: %q (kind %q, min %.2f) differs:\n UN then OFAC:\n  %s\n %s:\n  %s", o.name, q.Name, q.Kind, q.MinScore,
						strings.Join(want, "\n  "), o.name, strings.Join(got, "\n  "))
				}
			}
		}
		if diff > 0 {
			t.Errorf("%s: %d of %d searches differ from UN then OFAC", o.name, diff, 2*len(qs))
		}
	}
	// The case of issue 19: found, and found alike, whatever the order.
	for _, ix := range []*Index{ref, others[0].ix} {
		found := false
		for _, m := range ix.Search(Query{Name: "Daesong Trading", MinScore: 0.5}) {
			found = found || m.Name == "HESONG TRADING CORPORATION"
		}
		if !found {
			t.Errorf("Daesong Trading: HESONG TRADING CORPORATION not among the matches at 0.5")
		}
	}
}
