package parties

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// Similarities of paired words (see docs/parties.md).
const (
	simExact      = 1.0
	simSpacing    = 0.98 // the same letters, spaced or hyphenated differently
	simEquivalent = 0.97 // one class in the surname or word tables
	simRoman      = 0.94 // one phonetic key (romanisation variants)
	simRomanSpace = 0.93 // one phonetic key once joined
	simSpell1     = 0.88 // one edit apart (words of 8 letters or more)
	simSpellShort = 0.86 // one edit apart (words of 5 to 7 letters)
	simSpell2     = 0.80 // two edits apart (words of 9 letters or more)
	simSpellFirst = 0.82 // one edit apart, at the first letter
	simWhole      = 0.86 // the whole names, joined, one edit apart
	simInitial    = 0.80 // an initial against a word with that first letter
)

const (
	reasonExact uint8 = iota
	reasonSpacing
	reasonEquivalent // a family-name or syllable spelling table
	reasonMeaning    // a word with the same meaning (maoyi ~ trading)
	reasonRoman
	reasonSpelling
	reasonInitial
)

var reasonNames = [...]string{"exact", "spacing", "romanisation table", "same meaning", "phonetic key", "spelling", "initial"}

type apair struct {
	qi, qj, ci, cj int8
	sim            float32
	reason         uint8
}

// aligner pairs the words of a query with those of a listed name. It is
// reused across names to save allocations.
type aligner struct {
	cands  []apair
	chosen []apair
	pairs  []Pair
	notes  []string
}

// unitSim compares a query unit with a listed unit; at most one of them is a
// run of joined words (joined).
func unitSim(qs, qf, qc string, qm [2]uint32, cs, cf, cc string, cm [2]uint32, joined bool) (float32, uint8) {
	// Cheap rejections first: the lengths of both spellings far apart, or,
	// for joined words, different first letters.
	if d := len(qf) - len(cf); (d > 2 || d < -2) && (qc == "" || qc != cc) {
		if d := len(qs) - len(cs); d > 2 || d < -2 {
			return 0, 0
		}
	}
	if joined && qf != "" && cf != "" && qf[0] != cf[0] && qs[0] != cs[0] {
		return 0, 0
	}
	if qs == cs {
		if joined {
			return simSpacing, reasonSpacing
		}
		return simExact, reasonExact
	}
	if qc != "" && qc == cc {
		if _, ok := surnameClass[qs]; ok {
			return simEquivalent, reasonEquivalent
		}
		return simEquivalent, reasonMeaning
	}
	if qf == cf {
		if joined {
			return simRomanSpace, reasonRoman
		}
		return simRoman, reasonRoman
	}
	// Spelling: one edit apart, on the phonetic keys or on the letters as
	// written (a transposition of "ch" breaks the key, not the letters).
	l := min(len(qf), len(cf), len(qs), len(cs))
	if joined && l < 8 || l < minFuzzyLen {
		return 0, 0
	}
	limit := 1
	if l >= 9 && !joined {
		limit = 2
	}
	// One edit changes which letters a word has by at most two.
	d := limit + 1
	if bits.OnesCount32(qm[1]^cm[1]) <= 2*limit {
		d = editDistance(qf, cf, limit)
	}
	if d > limit && bits.OnesCount32(qm[0]^cm[0]) <= 2*limit {
		d = min(d, editDistance(qs, cs, limit))
	}
	if d > limit {
		return 0, 0
	}
	sim := float32(simSpell1)
	switch {
	case d == 2:
		sim = simSpell2
	case l < 8:
		sim = simSpellShort
	}
	// A first letter typed wrong is rarer than a different name.
	if qs[0] != cs[0] && qf[0] != cf[0] {
		sim = min(sim, simSpellFirst)
	}
	return sim, reasonSpelling
}

// wholeNear reports whether two names of several words each are one letter
// apart once written together.
func wholeNear(q, c *nameForm) bool {
	if len(q.toks) < 2 || len(c.toks) < 2 {
		return false
	}
	qj, cj := q.jfold, c.jfold
	if d := len(qj) - len(cj); d > 1 || d < -1 || min(len(qj), len(cj)) < 8 || bits.OnesCount32(q.jmask^c.jmask) > 2 {
		return false
	}
	return isASCII(qj) && isASCII(cj) && editDistance(qj, cj, 1) <= 1
}

func isInitial(a, b string) bool {
	return len(a) == 1 && len(b) > 1 && a[0] == b[0] && a[0] >= 'a' && a[0] <= 'z'
}

// score returns the name similarity of q and nm in [0, 1]: the weighted share
// of both names' words that are paired, times each pair's similarity, then
// the word-order, legal-form and alias-quality factors. With explain set it
// records the pairs and notes.
func (a *aligner) score(q *nameForm, qspans []span, nm *indexedName, explain bool) float64 {
	c := &nm.nf
	a.cands = a.cands[:0]
	for qi := range q.toks {
		qt := &q.toks[qi]
		for ci := range c.toks {
			ct := &c.toks[ci]
			if qt.kind == tokNumber || ct.kind == tokNumber {
				if qt.s == ct.s {
					a.cands = append(a.cands, apair{int8(qi), int8(qi + 1), int8(ci), int8(ci + 1), simExact, reasonExact})
				}
				continue
			}
			s, r := unitSim(qt.s, qt.fold, qt.canon, qt.m, ct.s, ct.fold, ct.canon, ct.m, false)
			if s == 0 && (isInitial(qt.s, ct.s) || isInitial(ct.s, qt.s)) {
				s, r = simInitial, reasonInitial
			}
			if s > 0 {
				a.cands = append(a.cands, apair{int8(qi), int8(qi + 1), int8(ci), int8(ci + 1), s, r})
			}
		}
		if qt.kind == tokNumber {
			continue
		}
		for _, sp := range nm.spans {
			if s, r := unitSim(qt.s, qt.fold, "", qt.m, sp.s, sp.fold, "", sp.m, true); s > 0 {
				a.cands = append(a.cands, apair{int8(qi), int8(qi + 1), sp.i, sp.j, s, r})
			}
		}
	}
	for _, sp := range qspans {
		for ci := range c.toks {
			ct := &c.toks[ci]
			if ct.kind == tokNumber {
				continue
			}
			if s, r := unitSim(sp.s, sp.fold, "", sp.m, ct.s, ct.fold, "", ct.m, true); s > 0 {
				a.cands = append(a.cands, apair{sp.i, sp.j, int8(ci), int8(ci + 1), s, r})
			}
		}
	}
	slices.SortFunc(a.cands, func(x, y apair) int {
		if x.sim != y.sim {
			if x.sim > y.sim {
				return -1
			}
			return 1
		}
		lx, ly := int(x.qj-x.qi)+int(x.cj-x.ci), int(y.qj-y.qi)+int(y.cj-y.ci)
		if lx != ly {
			return ly - lx
		}
		if x.qi != y.qi {
			return int(x.qi) - int(y.qi)
		}
		return int(x.ci) - int(y.ci)
	})
	var wq, wc float64
	for i := range q.toks {
		wq += float64(q.toks[i].w)
	}
	for i := range c.toks {
		wc += float64(c.toks[i].w)
	}
	var qm, cm uint32
	var matched float64
	allExact := true
	chosen := a.chosen[:0]
	if explain {
		a.pairs = a.pairs[:0]
		a.notes = a.notes[:0]
	}
	for _, p := range a.cands {
		qmask := spanMask(p.qi, p.qj)
		cmask := spanMask(p.ci, p.cj)
		if qm&qmask != 0 || cm&cmask != 0 {
			continue
		}
		qm |= qmask
		cm |= cmask
		var w float64
		for i := p.qi; i < p.qj; i++ {
			w += float64(q.toks[i].w)
		}
		for i := p.ci; i < p.cj; i++ {
			w += float64(c.toks[i].w)
		}
		matched += float64(p.sim) * w
		if p.reason != reasonExact {
			allExact = false
		}
		chosen = append(chosen, p)
	}
	a.chosen = chosen
	// A generic word left unpaired ("Agency", "Electronics") says the names
	// differ more than its small weight when paired would.
	for i := range q.toks {
		if qm&(1<<i) == 0 && q.toks[i].kind == tokGeneric {
			wq += float64(q.toks[i].w)
		}
	}
	for i := range c.toks {
		if cm&(1<<i) == 0 && c.toks[i].kind == tokGeneric {
			wc += float64(c.toks[i].w)
		}
	}
	if wq+wc == 0 {
		return 0
	}
	score := matched / (wq + wc)
	// The whole names written together, one letter apart: "Hwang Sok Ha" and
	// "Hwang Sok-hwa".
	if score < simWhole && wholeNear(q, c) {
		score = simWhole
		chosen = append(chosen[:0], apair{0, int8(len(q.toks)), 0, int8(len(c.toks)), simWhole, reasonSpelling})
		qm, cm = spanMask(0, int8(len(q.toks))), spanMask(0, int8(len(c.toks)))
		allExact = false
	}
	// Word order: pairs taken in query order should be in listed order too.
	slices.SortFunc(chosen, func(x, y apair) int { return int(x.qi) - int(y.qi) })
	inOrder := true
	for i := 1; i < len(chosen); i++ {
		if chosen[i].ci < chosen[i-1].ci {
			inOrder = false
		}
	}
	full := qm == spanMask(0, int8(len(q.toks))) && cm == spanMask(0, int8(len(c.toks)))
	if allExact && full && inOrder && q.legal == c.legal {
		score = 1
	}
	if !inOrder {
		score *= 0.98
		if explain {
			a.notes = append(a.notes, "word order differs: x0.98")
		}
	}
	switch {
	case q.legal == c.legal && q.lraw != c.lraw && explain:
		a.notes = append(a.notes, fmt.Sprintf("legal form %q = %q", q.lraw, c.lraw))
	case q.legal != c.legal && q.legal != "" && c.legal != "":
		score *= 0.99
		if explain {
			a.notes = append(a.notes, fmt.Sprintf("legal form %q ~ %q: x0.99", q.lraw, c.lraw))
		}
	case q.legal != c.legal:
		score *= 0.99
		if explain {
			a.notes = append(a.notes, fmt.Sprintf("legal form %q only on one side: x0.99", q.lraw+c.lraw))
		}
	}
	if nm.quality == QualityLow {
		score *= 0.9
		if explain {
			a.notes = append(a.notes, "low-quality alias: x0.90")
		}
	}
	if explain {
		for _, p := range chosen {
			a.pairs = append(a.pairs, Pair{
				Query:  joinToks(q.toks[p.qi:p.qj]),
				Listed: joinToks(c.toks[p.ci:p.cj]),
				Sim:    float64(p.sim),
				Reason: reasonNames[p.reason],
			})
		}
		var miss []string
		for i := range q.toks {
			if qm&(1<<i) == 0 {
				miss = append(miss, q.toks[i].s)
			}
		}
		if len(miss) > 0 {
			a.notes = append(a.notes, "query words unpaired: "+strings.Join(miss, " "))
		}
		miss = miss[:0]
		for i := range c.toks {
			if cm&(1<<i) == 0 {
				miss = append(miss, c.toks[i].s)
			}
		}
		if len(miss) > 0 {
			a.notes = append(a.notes, "listed words unpaired: "+strings.Join(miss, " "))
		}
	}
	return math.Round(score*1e6) / 1e6
}

// letterMask has bit i set when the word has the i-th letter of the alphabet
// (other characters share bit 26).
func letterMask(s string) uint32 {
	var m uint32
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' {
			m |= 1 << (c - 'a')
		} else {
			m |= 1 << 26
		}
	}
	return m
}

func spanMask(i, j int8) uint32 {
	return (uint32(1)<<uint(j) - 1) &^ (uint32(1)<<uint(i) - 1)
}

func joinToks(ts []token) string {
	if len(ts) == 1 {
		return ts[0].s
	}
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.s
	}
	return strings.Join(s, " ")
}
