package parties

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/tradeplan/tradeplan/written"
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
	// one pinyin syllable for another in a word of several (fangwei,
	// fangwen): another Chinese given name, possible at most beside an
	// equal family name
	simPinyinOther = 0.76
	simWhole       = 0.86 // the whole names, joined, one edit apart
	simInitial     = 0.80 // an initial against a word with that first letter
	simNearClass   = 0.90 // family names often written for each other (Pak, Paek)
	simWhole2      = 0.82 // the whole names two letters apart, one in each of two words
	simShortSwap   = 0.86 // two adjacent letters swapped in a word of four letters (Sony, Snoy)
	// simSurnameAlone is the score of a rare family name alone against a
	// listed person's full name: possible, for a person to decide.
	simSurnameAlone = 0.80
	// factorLegalDiffer weakens a match of two names with two different
	// legal forms of definite systems (AG and GmbH, SRL and SA).
	factorLegalDiffer = 0.88
	// factorNumbers weakens a match of two names whose numbers differ.
	factorNumbers = 0.85
)

// nearSurname reports whether two family-name classes are of names that
// documents write for each other: 박 Pak and 백 Paek are both written Pak,
// Paek and Baek.
func nearSurname(a, b string) bool {
	return a == "pak" && b == "paek" || a == "paek" && b == "pak"
}

const (
	reasonExact uint8 = iota
	reasonSpacing
	reasonEquivalent // a family-name or syllable spelling table
	reasonMeaning    // a word with the same meaning (maoyi ~ trading)
	reasonRoman
	reasonSpelling
	reasonInitial
	reasonConsonants // a reading of Arabic script and a Latin spelling with the same consonants
)

var reasonNames = [...]string{"exact", "spacing", "romanisation table", "same meaning", "phonetic key", "spelling", "initial", "Arabic consonants"}

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
	if len(qc) >= 3 && len(cc) >= 3 && qc[0] == 'p' && cc[0] == 'p' && nearSurname(qc, cc) {
		if _, ok := surnameClass[qs]; ok {
			if _, ok := surnameClass[cs]; ok {
				return simNearClass, reasonEquivalent
			}
		}
	}
	if qf == cf {
		// The key merges what Korean romanisations spell differently (k
		// and g, t and d, p and b, r and l); in pinyin those are different
		// consonants, so two pinyin words that cannot be Korean are two
		// names (Deng, Teng; Xiaoping, Xiaobing), compared as written.
		if joined || qs == cs || !written.PinyinNotKorean(qs) || !written.PinyinNotKorean(cs) {
			if joined {
				return simRomanSpace, reasonRoman
			}
			return simRoman, reasonRoman
		}
		qf, cf = qs, cs
		qm[1], cm[1] = qm[0], cm[0]
	}
	// Spelling: one edit apart, on the phonetic keys or on the letters as
	// written (a transposition of "ch" breaks the key, not the letters).
	l := min(len(qf), len(cf), len(qs), len(cs))
	// Two letters swapped in a short word (Appel, Apple; Snoy, Sony): a
	// slip of typing, where one letter changed in a short word is as often
	// another name.
	if !joined && len(qs) == len(cs) && len(qs) >= 4 && len(qs) < 8 && swapped(qs, cs) {
		return simShortSwap, reasonSpelling
	}
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
		// The key merges r and l, k and g...: one edit apart on it, the
		// letters as written must be near too (Castro is not Castillo).
		if d <= limit && qs != cs && editDistance(qs, cs, limit+1) > limit+1 {
			d = limit + 1
		}
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
	// One whole pinyin syllable for another (fangwei, fangwen) is another
	// Chinese given name, not a slip: at most possible.
	if d == 1 && sim > simPinyinOther && written.OtherPinyinSyllable(qs, cs) {
		sim = simPinyinOther
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
	return isASCII(qj) && isASCII(cj) && sameNumbers(q, c) && editDistance(qj, cj, 1) <= 1
}

// sameNumbers reports whether two names carry the same numbers in the same
// order (OCEAN STAR 38 is another ship than OCEAN STAR 39).
func sameNumbers(q, c *nameForm) bool {
	j := 0
	for i := range q.toks {
		if q.toks[i].kind != tokNumber {
			continue
		}
		for j < len(c.toks) && c.toks[j].kind != tokNumber {
			j++
		}
		if j == len(c.toks) || c.toks[j].s != q.toks[i].s {
			return false
		}
		j++
	}
	for ; j < len(c.toks); j++ {
		if c.toks[j].kind == tokNumber {
			return false
		}
	}
	return true
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
			if s < simRoman && (q.arabic || c.arabic) {
				// a spelling near by its letters (ismayl, ismail) may be
				// nearer by its Arabic consonants and vowels
				if s2, r2 := arabicSim(q.arabic, qt.s, ct.s); s2 > s {
					s, r = s2, r2
				}
			}
			if s > 0 {
				a.cands = append(a.cands, apair{int8(qi), int8(qi + 1), int8(ci), int8(ci + 1), s, r})
			}
		}
		if qt.kind == tokNumber {
			continue
		}
		for _, sp := range nm.spans {
			// A word that means several English words (金属材料, metallic
			// material) pairs with them by its class, written together.
			cc := ""
			if qt.canon != "" {
				cc = sp.s
			}
			s, r := unitSim(qt.s, qt.fold, qt.canon, qt.m, sp.s, sp.fold, cc, sp.m, true)
			if s < simRoman && (q.arabic || c.arabic) {
				// a spelling near by its letters (ismayl, ismail) may be
				// nearer by its Arabic consonants and vowels
				if s2, r2 := arabicSim(q.arabic, qt.s, sp.s); s2 > s {
					s, r = s2, r2
				}
			}
			if s > 0 {
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
			qc := ""
			if ct.canon != "" {
				qc = sp.s
			}
			s, r := unitSim(sp.s, sp.fold, qc, sp.m, ct.s, ct.fold, ct.canon, ct.m, true)
			if s < simRoman && (q.arabic || c.arabic) {
				// a spelling near by its letters (ismayl, ismail) may be
				// nearer by its Arabic consonants and vowels
				if s2, r2 := arabicSim(q.arabic, sp.s, ct.s); s2 > s {
					s, r = s2, r2
				}
			}
			if s > 0 {
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
	// "Hwang Sok-hwa"; or two letters apart, in two words, each word with its
	// first letter right: "Kin Yonh Chol" and "Kim Yong Chol".
	if score < simWhole && wholeNear(q, c) {
		score = simWhole
		chosen = append(chosen[:0], apair{0, int8(len(q.toks)), 0, int8(len(c.toks)), simWhole, reasonSpelling})
		qm, cm = spanMask(0, int8(len(q.toks))), spanMask(0, int8(len(c.toks)))
		allExact = false
	} else if score < simWhole2 && wholeNear2(q, c) {
		score = simWhole2
		chosen = append(chosen[:0], apair{0, int8(len(q.toks)), 0, int8(len(c.toks)), simWhole2, reasonSpelling})
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
	if allExact && full && inOrder && q.legal == c.legal && q.lspec == c.lspec {
		score = 1
	}
	// A family name alone ("Rotenberg") against a listed person's full
	// name: a person decides, when the name is rare enough to say who.
	if score < simSurnameAlone && surnameAlone(q, c, chosen) {
		score = simSurnameAlone
		if explain {
			a.notes = append(a.notes, "a family name alone against the listed full name")
		}
	}
	if !inOrder {
		score *= 0.98
		if explain {
			a.notes = append(a.notes, "word order differs: x0.98")
		}
	}
	switch {
	case q.lspec != c.lspec && q.lspec != "" && c.lspec != "":
		score *= factorLegalDiffer
		if explain {
			a.notes = append(a.notes, fmt.Sprintf("two different legal forms %q and %q: x%.2f", q.lraw, c.lraw, factorLegalDiffer))
		}
	case q.legal == c.legal && q.lspec != c.lspec:
		score *= 0.99
		if explain {
			a.notes = append(a.notes, fmt.Sprintf("legal form %q ~ %q: x0.99", q.lraw, c.lraw))
		}
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
	// Numbers on both sides that differ: another ship, another bureau
	// (KUM UN SAN 2 is not KUM UN SAN 3).
	if hasNumber(q) && hasNumber(c) && !sameNumbers(q, c) {
		score *= factorNumbers
		if explain {
			a.notes = append(a.notes, fmt.Sprintf("the numbers differ: x%.2f", factorNumbers))
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

// swapped reports whether two words of one length differ by two adjacent
// letters swapped and nothing else.
func swapped(a, b string) bool {
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// wholeNear2 reports whether two names of two to four words, in the same
// order, differ by one letter in each of two words (on their phonetic keys
// or as written), every word keeping its first letter and the names being
// long enough to tell apart.
func wholeNear2(q, c *nameForm) bool {
	n := len(q.toks)
	if n < 2 || n > 4 || len(c.toks) != n || len(q.jfold) < 9 || len(c.jfold) < 9 {
		return false
	}
	if d := len(q.jfold) - len(c.jfold); d > 2 || d < -2 || bits.OnesCount32(q.jmask^c.jmask) > 4 {
		return false
	}
	edits := 0
	for i := range q.toks {
		a, b := &q.toks[i], &c.toks[i]
		if a.kind != tokName || b.kind != tokName || a.fold == "" || b.fold == "" || !isASCII(a.fold) || !isASCII(b.fold) {
			return false
		}
		if a.fold == b.fold || a.canon != "" && a.canon == b.canon {
			continue
		}
		if a.fold[0] != b.fold[0] || len(a.s) < 3 || len(b.s) < 3 {
			return false
		}
		if editDistance(a.fold, b.fold, 1) > 1 && editDistance(a.s, b.s, 1) > 1 {
			return false
		}
		edits++
	}
	return edits == 2
}

// surnameAlone reports whether a query of one name word paired with the
// family name of a listed person of two or more words (the first word, as
// the lists write family names first) at a romanisation's similarity, and
// the word is rare on the lists.
func surnameAlone(q, c *nameForm, chosen []apair) bool {
	if !c.person || len(q.toks) != 1 || len(c.toks) < 2 || len(chosen) != 1 {
		return false
	}
	p := chosen[0]
	if p.cj-p.ci != 1 || p.ci != 0 && int(p.cj) != len(c.toks) || p.sim < simRoman || q.toks[0].kind != tokName || len(q.toks[0].s) < 4 {
		return false
	}
	// Rare: its weight near a full name word's (Kim, Li, Pak are not).
	return q.toks[0].w >= 0.8 && c.toks[0].w >= 0.8
}

// arabicSim is consonantSim with the word read from Arabic script first:
// the query's when it was (qArabic), else the listed name's.
func arabicSim(qArabic bool, q, c string) (float32, uint8) {
	if qArabic {
		return consonantSim(q, c)
	}
	return consonantSim(c, q)
}

// consonantSim compares a word read from Arabic script, which does not
// write short vowels, with a Latin spelling by their consonants: the same
// consonants in the same order (mhmd, Mohammed; zwahry, Zawahiri) pair.
//
// Arabic does write its long vowels (ا ā, و ū or w, ي ī or y): when the
// Latin word has a vowel wherever the Arabic one has a long vowel, and no
// long vowel (a doubled vowel letter or a diphthong) where it has none
// (asamh, Usama; ladn, Ladin; but mhmd is not Mahmoud), the two spell one
// word as fully as a romanisation does: 0.94 for three consonants or more,
// 0.90 for two, 0.86 for one.
func consonantSim(ar, lat string) (float32, uint8) {
	ka, kb := consonants(ar), consonants(lat)
	if ka == "" || ka != kb {
		return 0, 0
	}
	vowels := arabicVowelsAgree(ar, lat)
	if len(ka) == 1 { // Ali, ʿAlī: short words, one consonant
		if len(ar) <= 4 && len(lat) <= 4 {
			if vowels {
				return 0.86, reasonConsonants
			}
			return simInitial, reasonConsonants
		}
		return 0, 0
	}
	if len(ka) == 2 {
		if vowels {
			return 0.90, reasonConsonants
		}
		return 0.86, reasonConsonants
	}
	if vowels {
		return simRoman, reasonConsonants
	}
	return 0.90, reasonConsonants
}

func isLatinVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// arabicVowelsAgree reports whether a Latin word writes a vowel at each of
// the long vowels of a word read from Arabic script (its letters a, i: alif;
// w: waw; y: ya, each either the long vowel or the consonant), and
// nothing longer than a single vowel letter (a short vowel, unwritten in
// Arabic) elsewhere. Consonants are compared loosely (q as k, doubled
// letters once); consonantSim has already found them equal.
func arabicVowelsAgree(ar, lat string) bool {
	ar, lat = strings.ReplaceAll(ar, " ", ""), strings.ReplaceAll(lat, " ", "")
	if len(ar) > 24 || len(lat) > 32 {
		return false
	}
	return vowelMatch(ar, lat, 0, 0)
}

func vowelMatch(ar, lat string, i, j int) bool {
	// Latin vowels before the next Arabic letter: at most one is short.
	k := j
	for k < len(lat) && isLatinVowel(lat[k]) {
		k++
	}
	if i == len(ar) {
		// a feminine or case ending: a final vowel or two (Usama, Haniyeh)
		return k == len(lat) || k+1 == len(lat) && lat[k] == 'h'
	}
	c := ar[i]
	switch c {
	case 'a', 'i':
		// alif: a vowel, one or two letters (aa, ou)
		for n := 1; n <= 2 && j+n <= len(lat) && isLatinVowel(lat[j+n-1]); n++ {
			if vowelMatch(ar, lat, i+1, j+n) {
				return true
			}
		}
		// alif carrying the vowel that a waw or ya after it lengthens
		// (إيران Iran, أو Ou)
		if i+1 < len(ar) && (ar[i+1] == 'w' || ar[i+1] == 'y') {
			return vowelMatch(ar, lat, i+1, j)
		}
		return false
	case 'w', 'y':
		// the consonant, after at most one short vowel
		if k-j <= 1 && k < len(lat) && (lat[k] == c || c == 'w' && lat[k] == 'v' || c == 'y' && lat[k] == 'j') {
			if vowelMatch(ar, lat, i+1, skipDouble(lat, k)) {
				return true
			}
		}
		// the long vowel: a run of vowel letters (or y) holding its sound
		want := "ou"
		if c == 'y' {
			want = "iey"
		}
		for n := 1; n <= 3 && j+n <= len(lat); n++ {
			l := lat[j+n-1]
			if !isLatinVowel(l) && l != 'y' {
				break
			}
			if strings.IndexByte(want, l) >= 0 && vowelMatch(ar, lat, i+1, j+n) {
				return true
			}
		}
		return false
	}
	// a consonant: at most one short vowel before it
	if k-j > 1 || k == len(lat) {
		// the final h of a feminine ending may be unwritten (Usama)
		return c == 'h' && i == len(ar)-1 && k-j <= 2 && k == len(lat)
	}
	l := lat[k]
	if l == 'q' {
		l = 'k'
	}
	if c == 'q' {
		c = 'k'
	}
	if l != c {
		return false
	}
	return vowelMatch(ar, lat, skipDouble(ar, i), skipDouble(lat, k))
}

// skipDouble returns the index after the letter at k and its repeats (a
// doubled consonant is Arabic's shadda, which is not written).
func skipDouble(s string, k int) int {
	n := k + 1
	for n < len(s) && s[n] == s[k] {
		n++
	}
	return n
}

// consonants is a word's consonants, vowels (and w, y, which Arabic writes
// for long vowels) left out, doubled letters once, a final h (the -a, -ah,
// -eh of a feminine ending) dropped, q as k, e as nothing.
func consonants(w string) string {
	var b [64]byte
	n := 0
	for i := 0; i < len(w) && n < len(b); i++ {
		c := w[i]
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'w', ' ':
			continue
		case 'v':
			// Persian reads waw as v (فدوی Fadavi), so the Latin v
			// is the w the Arabic side leaves out of its key.
			continue
		case 'q':
			c = 'k'
		}
		if c >= 0x80 {
			return ""
		}
		if n > 0 && b[n-1] == c {
			continue
		}
		b[n] = c
		n++
	}
	if n > 2 && b[n-1] == 'h' {
		n--
	}
	return string(b[:n])
}

func hasNumber(nf *nameForm) bool {
	for i := range nf.toks {
		if nf.toks[i].kind == tokNumber {
			return true
		}
	}
	return false
}
