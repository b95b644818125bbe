package hs

// oneEdit reports whether a and b differ by one insertion, deletion,
// substitution or transposition of adjacent letters.
func oneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if i == len(a) {
			return true
		}
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(b) && a[i] == b[i] {
			i++
		}
		return a[i+1:] == b[i:]
	}
	return false
}

// correct finds the known word one edit away from an unknown word.
func (c *Classifier) correct(w string) int32 {
	id, _ := c.correctWork(w)
	return id
}

// correctWork is correct, also returning the bytes it read (hashed,
// compared or looked up): at most about 3*maxFixLen², whatever the word's
// length, since a word longer than maxFixLen is no known word's misspelling.
func (c *Classifier) correctWork(w string) (id int32, work int) {
	if len(w) < 5 || len(w) > c.maxFixLen || hasDigit(w) {
		return -1, 0
	}
	ok := func(id int32, found bool) bool {
		if found {
			work += len(w)
		}
		return found && oneEdit(w, c.words[id])
	}
	work += len(w)
	m := c.misspelt()
	if h := deletionHash(w, -1); m.deleted.has(h) {
		if id, found := m.deletes[h]; ok(id, found) { // a letter missing
			return id, work
		}
	}
	var arr [64]byte
	for i := 0; i < len(w); i++ {
		// w without its i-th letter: its hash is that of the word it may
		// be, and the filters rule out most lookups without a map probe
		h := deletionHash(w, i)
		work += len(w)
		if m.known.has(h) {
			// looked up without building a string
			d := append(append(arr[:0], w[:i]...), w[i+1:]...)
			work += len(w)
			if id, found := c.vocab[string(d)]; found { // a letter too many
				return id, work
			}
		}
		if m.deleted.has(h) {
			if id, found := m.deletes[h]; ok(id, found) { // a letter wrong, or two swapped
				return id, work
			}
		}
	}
	return -1, work
}

// maxFixes bounds the words of one description corrected for spelling: a
// description is a few dozen words; a longer text is corrected in its
// first words only, so that its cost stays linear in its length.
const maxFixes = 64

// query is a description prepared for matching. Its slices are reused from
// one description to the next (it lives in a scratch).
type query struct {
	raw     []string // the words as written (lower case)
	ids     []int32  // word ids; -1 when unknown
	fixed   []bool   // the word was corrected for spelling
	weight  []float64
	alts    [][]int32 // words that stand for position i in text search, each once (slices of flat)
	flat    []int32
	total   float64
	matches []phraseMatch
}

type phraseMatch struct {
	phrase   int32
	from, to int // word positions [from, to)
}

// resize returns s with length n, reusing its array when large enough; the
// elements are not cleared.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (c *Classifier) prepare(q *query, desc string) {
	q.raw = appendTokens(q.raw[:0], desc)
	n := len(q.raw)
	q.ids = resize(q.ids, n)
	q.fixed = resize(q.fixed, n)
	q.weight = resize(q.weight, n)
	q.alts = resize(q.alts, n)
	clear(q.fixed)
	clear(q.weight)
	clear(q.alts)
	q.flat, q.matches, q.total = q.flat[:0], q.matches[:0], 0
	var arr [64]byte
	fixes := 0
	for i, w := range q.raw {
		// stemmed in a buffer: the lookup builds no string
		s := stemBytes(append(arr[:0], w...))
		id, known := c.vocab[string(s)]
		if !known {
			id = -1
			if fixes < maxFixes && !hasDigit(string(s)) && !stopwords[string(s)] {
				fixes++
				if id = c.correct(string(s)); id >= 0 {
					q.fixed[i] = true
				}
			}
		}
		q.ids[i] = id
		// a corrected word has letters only, at least five, and is no stopword
		if id >= 0 && (q.fixed[i] || c.content[id]) {
			q.weight[i] = c.idf[id]
			if q.fixed[i] {
				q.weight[i] *= 0.8
			}
			q.flat = append(q.flat, id)
			q.alts[i] = q.flat[len(q.flat)-1 : len(q.flat) : len(q.flat)]
		}
	}
	for i, id := range q.ids {
		if id < 0 {
			continue
		}
		start, extended := 0, false
		// every phrase the words from i start with, shortest first
		for node, l := c.trie.first[id], 1; node >= 0; node, l = c.trie.next(node, q.ids, i+l), l+1 {
			if pid := c.trie.phrase[node]; pid >= 0 {
				q.matches = append(q.matches, phraseMatch{pid, i, i + l})
				// the narrowest concept's canonical words stand in for the
				// phrase in text search ("myeongtae" -> "alaska pollock")
				if nc := c.narrow[pid]; nc >= 0 {
					if !extended {
						// a new run at the end of flat, from the word itself
						start, extended = len(q.flat), true
						q.flat = append(q.flat, q.alts[i]...)
					}
					// a word already there would only be read twice
					for _, w := range c.concepts[nc].canon {
						if !containsID(q.flat[start:], w) {
							q.flat = append(q.flat, w)
						}
					}
				}
				for j := i; j < i+l; j++ {
					if q.weight[j] == 0 && !c.stop[q.ids[j]] {
						q.weight[j] = c.idf[q.ids[j]]
					}
				}
			}
		}
		if extended && len(q.flat) > start {
			q.alts[i] = q.flat[start:len(q.flat):len(q.flat)]
		}
	}
	lowerPurpose(q)
	for i, w := range q.weight {
		if q.alts[i] == nil && w > 0 {
			q.flat = append(q.flat, q.ids[i])
			q.alts[i] = q.flat[len(q.flat)-1 : len(q.flat) : len(q.flat)]
		}
		q.total += w
	}
}

func (q *query) cover(bits uint64) float64 {
	if q.total == 0 {
		return 0
	}
	s := 0.0
	for i, w := range q.weight {
		if i < 64 && bits&(1<<uint(i)) != 0 {
			s += w
		}
	}
	return s / q.total
}
