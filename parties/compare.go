package parties

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
)

// Comparison is one name scored against another as if the second were a
// list entry.
type Comparison struct {
	Name1       string  `json:"name1"`
	Name2       string  `json:"name2"`
	Kind        string  `json:"kind"`
	Score       float64 `json:"score"`
	Band        string  `json:"band"` // Strong, Possible or "none"
	MatchedName string  `json:"matched_name,omitempty"`
	Pairs       []Pair  `json:"pairs,omitempty"`
	Explanation string  `json:"explanation"`
}

// BandNone is the band of a score below the possible threshold.
const BandNone = "none"

// CompareKinds are the kinds a name may be compared as.
var CompareKinds = []string{Individual, Entity, VesselKind}

// Compare scores name1 against name2 as if name2 were a list entry of the
// given kind (Individual, Entity or VesselKind; "" is Entity), with the
// matcher of Search: the same readings, equivalences and explanation. Word
// weights come from the index's lists when it holds any (ix may be nil or
// empty: every word then weighs as a rare one).
func (ix *Index) Compare(name1, name2, kind string) (Comparison, error) {
	if kind == "" {
		kind = Entity
	}
	if kind != Individual && kind != Entity && kind != VesselKind {
		return Comparison{}, tradeplan.Errorf(tradeplan.EInvalid, "kind %q: want individual, entity or vessel", kind)
	}
	if strings.TrimSpace(name1) == "" || strings.TrimSpace(name2) == "" {
		return Comparison{}, tradeplan.Errorf(tradeplan.EInvalid, "both names are required")
	}
	if !utf8.ValidString(name1) || !utf8.ValidString(name2) {
		return Comparison{}, tradeplan.Errorf(tradeplan.EInvalid, "a name is not valid UTF-8")
	}
	if len(name1) > maxCompareName || len(name2) > maxCompareName {
		return Comparison{}, tradeplan.Errorf(tradeplan.EInvalid, "a name is longer than %d bytes", maxCompareName)
	}
	if ix == nil {
		ix = NewIndex()
	}
	if kind == VesselKind {
		name1, name2 = stripVesselPrefix(name1), stripVesselPrefix(name2)
	}
	c := Comparison{Name1: name1, Name2: name2, Kind: kind, Band: BandNone}
	e := Entry{Name: name2, Kind: kind}
	names := entryNames(&e, 0)
	for i := range names {
		nm := &names[i]
		for ti := range nm.nf.toks {
			nm.nf.toks[ti].w = ix.weight(&nm.nf.toks[ti])
			nm.wsum += nm.nf.toks[ti].w
		}
		nm.spans = makeSpans(nm.nf.toks)
	}
	forms := ix.queryForms(name1, Normalize(name1), kind == Individual)
	best := -1.0
	for ni := range names {
		for fi := range forms {
			f := &forms[fi]
			var al aligner
			s := al.score(&f.nf, f.spans, &names[ni], true) * f.factor
			if s <= best {
				continue
			}
			best = s
			notes := al.notes
			if f.factor != 1 {
				notes = append(notes, fmt.Sprintf("%s: x%.2f", f.factorWhy, f.factor))
			}
			m := Match{NameScore: math.Round(s*1000) / 1000, MatchedName: names[ni].raw, Pairs: append([]Pair(nil), al.pairs...)}
			c.Score = m.NameScore
			c.MatchedName = names[ni].raw
			c.Pairs = m.Pairs
			c.Explanation = f.how + explain(&m, notes)
		}
	}
	if best < 0 {
		c.Explanation = "no word to compare"
		return c, nil
	}
	if len(c.Pairs) == 0 {
		c.Explanation = "no word of the first name pairs with a word of the second; " + c.Explanation
	}
	if st := strength(c.Score); st != "" {
		c.Band = st
	}
	return c, nil
}

// maxCompareName bounds a name to compare.
const maxCompareName = 1000
