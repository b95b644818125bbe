package hs

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/tradeplan/tradeplan"
)

// Classifier checks declared HS codes and classifies goods descriptions. It
// is immutable once built and safe for concurrent use.
type Classifier struct {
	base     *Nomenclature   // the embedded sections, chapters and headings
	full     []*Nomenclature // imported editions, the first one preferred
	lexTitle map[string]string
	warnings tradeplan.Problems

	vocab   map[string]int32 // word -> id
	words   []string
	idf     []float64
	stop    []bool           // by word id: a stopword
	content []bool           // by word id: a word that counts on its own (no stopword, no digit, two letters or more)
	deletes map[uint64]int32 // hash of a word with one letter deleted -> word id
	// maxFixLen is the longest word correct tries: one letter longer than
	// the longest word with deletion neighbours (no longer word is one edit
	// from a known word), so that its work is bounded.
	maxFixLen int

	phraseSet [][]int32 // phrase id -> concept ids it belongs to
	phraseIDs [][]int32 // phrase id -> its word ids
	narrow    []int32   // phrase id -> its narrowest named concept, or -1
	trie      phraseTrie

	concepts   []concept
	rules      []rule
	refs       []ruleRef // by concept, from refAt[id] to refAt[id+1]: the rule groups it satisfies (byConc)
	refAt      []int32
	ruleGroups []uint8 // by rule: a bit for each of its groups

	docs      []doc
	docWeight []float64                                // by doc: its weight, for the many reads of bestText
	post      [][]int32                                // word id -> doc ids
	kidDocs   map[string][]kidDoc                      // heading -> its subheadings in c.subs that have a subheading text
	fast      func() map[string]tradeplan.HSAssignment // CheckCode's table of plain codes, made on first use
	kids      func() map[string]string                 // heading -> its subheadings in c.subs, written out for messages
	subs      *Nomenclature                            // where subheadings are verified and refined: the preferred import, else the embedded layer
	pool      sync.Pool                                // of *scratch

	sortAll bool // tests: always take sortText, the reference of bestText
}

type concept struct {
	named bool // defined in the lexicon, not an inline group
	label string
	size  int     // number of phrases it expands to
	spec  float64 // specificity: higher for narrower concepts
	canon []int32 // the words of its first phrase, added to text search
}

type rule struct {
	code    string
	key     uint64  // codeKey(code)
	groups  []int32 // concept ids: every one must match
	opt     []int32 // optional: explain words when present
	neg     []int32
	weight  float64
	spec    float64
	breadth float64 // sum of log2 of the groups' sizes: lower is narrower
	keyword string  // for a heading keyword of our headings file: the keyword
}

type ruleRef struct {
	rule  int32
	group int8 // index into groups; -1 for a negative group
}

// byConc returns the rule groups that concept cid satisfies.
func (c *Classifier) byConc(cid int32) []ruleRef { return c.refs[c.refAt[cid]:c.refAt[cid+1]] }

type doc struct {
	code   string
	key    uint64 // codeKey(code)
	level  int
	words  []int32 // unique content word ids
	weight float64 // strength of this kind of text
	label  string  // what kind of text it is, for the evidence
}

// Default returns a classifier over the embedded nomenclature and lexicon
// only: it works offline and verifies headings and subheadings against the
// embedded HS 2022 layer (our own titles, the official codes).
func Default() (*Classifier, error) { return New() }

// New returns a classifier over the embedded data and the given imported
// nomenclatures (full official texts, whose subheadings become searchable
// and verifiable). The first nomenclature is preferred for titles.
func New(noms ...*Nomenclature) (*Classifier, error) {
	// the nomenclature and the lexicon are independent: read them side by side
	var (
		lx     *lexicon
		lexErr error
		wg     sync.WaitGroup
	)
	wg.Go(func() {
		lexData, err := lexiconData()
		if err != nil {
			lexErr = tradeplan.Errorf(tradeplan.EInternal, "hs: %v", err)
			return
		}
		lx, lexErr = parseLexicon(lexData)
	})
	base, warn := embedded()
	wg.Wait()
	if lexErr != nil {
		return nil, lexErr
	}
	c := &Classifier{base: base, lexTitle: lx.titles, warnings: warn}
	for _, n := range noms {
		if n == nil {
			continue
		}
		// Comtrade JSON carries no sections: take them from our chapters.
		for _, e := range n.entries {
			if e.Section == "" {
				if ch := base.entries[e.Code[:2]]; ch != nil {
					e.Section = ch.Section
				}
			}
		}
		c.full = append(c.full, n)
	}
	if len(c.full) > 0 {
		c.subs = c.full[0]
	} else if base.HasSubheadings() {
		c.subs = base
	}
	c.build(lx)
	c.fast = sync.OnceValue(c.fastCodes)
	c.kids = sync.OnceValue(func() map[string]string {
		m := map[string]string{}
		if c.subs != nil {
			for _, h := range c.subs.codes(4) {
				m[h] = strings.Join(formatAll(c.subs.children[h]), ", ")
			}
		}
		return m
	})
	return c, nil
}

// Weights of the embedded subheading layer: its keywords are phrases a
// little weaker than a heading keyword (and a guess when other codes use the
// same words), its titles text a little weaker than an imported official
// text.
const (
	subKeywordWeight = 0.85
	subSharedWeight  = 0.7 // a keyword other codes' rules also use
	subTextWeight    = 0.8
)

// Warnings returns the problems found in the embedded nomenclature files
// (rows skipped while loading).
func (c *Classifier) Warnings() tradeplan.Problems { return c.warnings }

// Nomenclatures returns the imported nomenclatures in use.
func (c *Classifier) Nomenclatures() []*Nomenclature { return append([]*Nomenclature(nil), c.full...) }

// Base returns the embedded nomenclature (sections, chapters, headings,
// subheadings).
func (c *Classifier) Base() *Nomenclature { return c.base }

func (c *Classifier) wordID(w string, add bool) int32 {
	if id, ok := c.vocab[w]; ok {
		return id
	}
	if !add {
		return -1
	}
	id := int32(len(c.words))
	c.vocab[w] = id
	c.words = append(c.words, w)
	return id
}

func phraseKey(ids []int32, buf []byte) []byte {
	buf = buf[:0]
	for _, id := range ids {
		buf = append(buf, byte(id), byte(id>>8), byte(id>>16))
	}
	return buf
}

func (c *Classifier) build(lx *lexicon) {
	// sized for the embedded data, so that the maps are not rebuilt while
	// they grow (about 9,400 words and 21,000 phrases)
	c.vocab = make(map[string]int32, 12000)
	phraseOf := make(map[string]int32, 24000) // key of word ids (phraseKey) -> phrase id
	var df []int32                            // by word id: the documents (phrases and texts) it occurs in
	incDF := func(w int32) {
		for int(w) >= len(df) {
			df = append(df, 0)
		}
		df[w]++
	}
	ndocs := 0

	// Concepts: named ones first, then one per inline group.
	cid := make(map[string]int32, 24000)
	var members [][]string // concept id -> raw alternatives
	addConcept := func(label string, alts []string) int32 {
		id := int32(len(c.concepts))
		c.concepts = append(c.concepts, concept{label: label})
		members = append(members, alts)
		return id
	}
	nkw := 0
	for _, n := range []int{4, 6} {
		for _, code := range c.base.codes(n) {
			nkw += len(c.base.entries[code].Keywords)
		}
	}
	c.concepts = make([]concept, 0, len(lx.concepts)+len(lx.rules)+nkw)
	members = make([][]string, 0, cap(c.concepts))
	c.rules = make([]rule, 0, len(lx.rules)+nkw)
	names := make([]string, 0, len(lx.concepts))
	for n := range lx.concepts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cid[n] = addConcept(lx.concepts[n].label, lx.concepts[n].alts)
	}
	groupConcept := func(g lexGroup) int32 {
		if len(g.alts) == 1 && strings.HasPrefix(g.alts[0], "@") {
			return cid[g.alts[0]]
		}
		key := strings.Join(g.alts, "|")
		if id, ok := cid[key]; ok {
			return id
		}
		label := g.alts[0]
		id := addConcept(strings.TrimPrefix(label, "@"), g.alts)
		cid[key] = id
		return id
	}
	for _, r := range lx.rules {
		var cr rule
		cr.code, cr.key, cr.weight = r.code, codeKey(r.code), r.weight
		for _, g := range r.groups {
			id := groupConcept(g)
			if g.neg {
				cr.neg = append(cr.neg, id)
			} else if g.opt {
				cr.opt = append(cr.opt, id)
			} else {
				cr.groups = append(cr.groups, id)
			}
		}
		c.rules = append(c.rules, cr)
	}
	// Every keyword of our headings is a phrase that points at its heading,
	// and every keyword of our subheadings at its subheading. The one-element
	// slices are cut from two backing arrays: there are some 27,000.
	altsBuf, groupBuf := make([]string, nkw), make([]int32, nkw)
	kwConc := make([]int32, 0, nkw) // by keyword, in this order: its concept, or -1
	for _, lv := range []struct {
		level  int
		weight float64
	}{{4, 0.9}, {6, subKeywordWeight}} {
		for _, code := range c.base.codes(lv.level) {
			for _, k := range c.base.entries[code].Keywords {
				if !hasWord(k) {
					kwConc = append(kwConc, -1)
					continue
				}
				altsBuf[0] = k
				id := groupConcept(lexGroup{alts: altsBuf[0:1:1]})
				kwConc = append(kwConc, id)
				groupBuf[0] = id
				c.rules = append(c.rules, rule{code: code, key: codeKey(code), groups: groupBuf[0:1:1], weight: lv.weight, keyword: k})
				altsBuf, groupBuf = altsBuf[1:], groupBuf[1:]
			}
		}
	}
	// Expand each concept to its phrases, following references.
	var expand func(id int32, seen map[int32]bool, out map[string]bool)
	expand = func(id int32, seen map[int32]bool, out map[string]bool) {
		if seen[id] {
			return
		}
		seen[id] = true
		for _, a := range members[id] {
			if strings.HasPrefix(a, "@") {
				expand(cid[a], seen, out)
			} else {
				out[a] = true
			}
		}
	}
	var buf []byte
	var tmp []int32
	pidOf := make(map[string]int32, 32000) // raw phrase -> phrase id (-1: no words)
	c.phraseIDs = make([][]int32, 0, 24000)
	c.phraseSet = make([][]int32, 0, 24000)
	ancestors := make([][]int32, len(c.concepts))
	onlyPhrase := make([]int32, len(c.concepts)) // concept id -> its one phrase (-1: no words), or -2
	for i := range onlyPhrase {
		onlyPhrase[i] = -2
	}
	for id := range c.concepts {
		named := id < len(names)
		var phrases []string
		if hasRef(members[id]) {
			set := map[string]bool{}
			seen := map[int32]bool{}
			expand(int32(id), seen, set)
			for g := range seen {
				if g != int32(id) && named {
					ancestors[g] = append(ancestors[g], int32(id))
				}
			}
			for p := range set {
				phrases = append(phrases, p)
			}
		} else if len(members[id]) == 1 {
			phrases = members[id]
		} else {
			for _, a := range members[id] {
				if !contains(phrases, a) {
					phrases = append(phrases, a)
				}
			}
		}
		c.concepts[id].named = named
		c.concepts[id].size = len(phrases)
		c.concepts[id].spec = 1 / math.Log2(2+float64(len(phrases)))
		for _, a := range members[id] {
			if !named {
				break // only named concepts stand in for their phrases
			}
			if !strings.HasPrefix(a, "@") {
				c.concepts[id].canon = c.appendNormIDs(c.concepts[id].canon, a, true, func(w []byte) bool { return !stopwords[string(w)] })
				break
			}
		}
		for _, p := range phrases {
			pid, ok := pidOf[p]
			if !ok {
				pid = -1
				if tmp = c.appendNormIDs(tmp[:0], p, true, nil); len(tmp) > 0 {
					buf = phraseKey(tmp, buf)
					var known bool
					if pid, known = phraseOf[string(buf)]; !known {
						ids := slices.Clone(tmp)
						pid = int32(len(c.phraseSet))
						phraseOf[string(buf)] = pid
						c.phraseSet = append(c.phraseSet, nil)
						c.phraseIDs = append(c.phraseIDs, ids)
						ndocs++
						for _, w := range uniq(ids) {
							incDF(w)
						}
					}
				}
				pidOf[p] = pid
			}
			if len(phrases) == 1 {
				onlyPhrase[id] = pid
			}
			if pid < 0 {
				continue
			}
			// concepts are visited in order, so a repeat is the last one
			if ps := c.phraseSet[pid]; len(ps) == 0 || ps[len(ps)-1] != int32(id) {
				c.phraseSet[pid] = append(ps, int32(id))
			}
		}
	}
	// The lists of rules by concept, one after the other in one array.
	c.refAt = make([]int32, len(c.concepts)+1)
	for _, r := range c.rules {
		for _, g := range r.groups {
			c.refAt[g+1]++
		}
		for _, g := range r.neg {
			c.refAt[g+1]++
		}
	}
	for g := range c.concepts {
		c.refAt[g+1] += c.refAt[g]
	}
	c.refs = make([]ruleRef, c.refAt[len(c.concepts)])
	next := slices.Clone(c.refAt[:len(c.concepts)]) // where the next ref of each concept goes
	c.ruleGroups = make([]uint8, len(c.rules))
	for ri, r := range c.rules {
		for gi, g := range r.groups {
			c.refs[next[g]] = ruleRef{int32(ri), int8(gi)}
			next[g]++
			c.rules[ri].spec += c.concepts[g].spec
			c.rules[ri].breadth += math.Log2(float64(c.concepts[g].size))
		}
		for _, g := range r.neg {
			c.refs[next[g]] = ruleRef{int32(ri), -1}
			next[g]++
		}
		c.ruleGroups[ri] = uint8(uint64(1)<<uint(len(r.groups)) - 1)
		// Words of a broader concept ("fish" above "pollock") are explained
		// by a rule on the narrower one: optional groups.
		opt := append([]int32(nil), r.opt...)
		for _, g := range r.groups {
			for _, a := range ancestors[g] {
				if !containsID(opt, a) && !containsID(r.groups, a) {
					opt = append(opt, a)
				}
			}
		}
		// They are checked only for rules whose groups all matched.
		c.rules[ri].opt = opt
	}

	// A subheading keyword decides its subheading only when nothing else
	// claims the same words: "pollack" alone is a species, not a state, and
	// the lexicon sends it to several codes. Shared keywords are a guess.
	for ri := range c.rules {
		r := &c.rules[ri]
		if r.keyword == "" || len(r.code) != 6 || len(r.groups) != 1 {
			continue
		}
		pid := onlyPhrase[r.groups[0]]
		if pid < 0 {
			continue
		}
	shared:
		for _, cid := range c.phraseSet[pid] {
			for _, ref := range c.byConc(cid) {
				if o := c.rules[ref.rule].code; ref.group >= 0 && o != r.code && o != r.code[:4] {
					r.weight = subSharedWeight
					break shared
				}
			}
		}
	}

	// Text documents: our headings (title and keywords) and chapters, and
	// every heading and subheading of the imported nomenclatures.
	c.docs = make([]doc, 0, 8000)
	indexable := func(w string) bool { return !stopwords[w] && !hasDigit(w) && len(w) >= 2 }
	indexableB := func(w []byte) bool {
		if len(w) < 2 || stopwords[string(w)] {
			return false
		}
		for _, b := range w {
			if b >= '0' && b <= '9' {
				return false
			}
		}
		return true
	}
	wordOK := make([]int8, len(c.words)) // by word id: 1 indexable, -1 not, 0 not yet known
	addDoc := func(code string, level int, title string, keywords []string, kcs []int32, weight float64, label string) {
		ids := c.appendNormIDs(make([]int32, 0, 16), title, true, indexableB)
		for i, k := range keywords {
			// keywords are phrases already split into words above
			pid := int32(-2)
			if i < len(kcs) && kcs[i] >= 0 {
				pid = onlyPhrase[kcs[i]]
			}
			if pid == -2 {
				ids = c.appendNormIDs(ids, k, true, indexableB)
				continue
			}
			if pid < 0 {
				continue
			}
			for _, w := range c.phraseIDs[pid] {
				if wordOK[w] == 0 {
					wordOK[w] = -1
					if indexable(c.words[w]) {
						wordOK[w] = 1
					}
				}
				if wordOK[w] > 0 {
					ids = append(ids, w)
				}
			}
		}
		ids = uniq(ids)
		if len(ids) == 0 {
			return
		}
		c.docs = append(c.docs, doc{code: code, key: codeKey(code), level: level, words: ids, weight: weight, label: label})
		ndocs++
		for _, w := range ids {
			incDF(w)
		}
	}
	for _, code := range c.base.codes(4) {
		e := c.base.entries[code]
		addDoc(code, 4, e.Title, e.Keywords, kwConc[:len(e.Keywords)], 0.8, "heading")
		kwConc = kwConc[len(e.Keywords):]
	}
	for _, code := range c.base.codes(2) {
		addDoc(code, 2, c.base.entries[code].Title, nil, nil, 0.5, "chapter")
	}
	if len(c.full) == 0 {
		// our own subheadings stand in for the official texts until they
		// are imported
		for _, code := range c.base.codes(6) {
			e := c.base.entries[code]
			addDoc(code, 6, e.Title, e.Keywords, kwConc[:len(e.Keywords)], subTextWeight, "subheading text (embedded)")
			kwConc = kwConc[len(e.Keywords):]
		}
	}
	for i, n := range c.full {
		label := "subheading text (" + n.Name + ")"
		w := 0.85
		if i > 0 {
			w = 0.8
		}
		for _, code := range n.codes(6) {
			addDoc(code, 6, n.entries[code].Title, nil, nil, w, label)
		}
		for _, code := range n.codes(4) {
			addDoc(code, 4, n.entries[code].Title, nil, nil, w-0.05, "heading text ("+n.Name+")")
		}
	}
	docOf6 := map[string]int32{} // subheading code -> its first subheading text
	for i := len(c.docs) - 1; i >= 0; i-- {
		if d := &c.docs[i]; d.level == 6 && strings.HasPrefix(d.label, "subheading text") {
			docOf6[d.code] = int32(i)
		}
	}
	if c.subs != nil {
		heads := c.subs.codes(4)
		c.kidDocs = make(map[string][]kidDoc, len(heads))
		buf := make([]kidDoc, 0, c.subs.Count(6))
		for _, h := range heads {
			from := len(buf)
			for _, k := range c.subs.children[h] {
				if di, ok := docOf6[k]; ok {
					buf = append(buf, kidDoc{k, di})
				}
			}
			if len(buf) > from {
				c.kidDocs[h] = buf[from:len(buf):len(buf)]
			}
		}
	}
	nr, nd, nw := len(c.rules), len(c.docs), len(c.words)
	c.pool.New = func() any {
		sc := &scratch{hitAt: make([]int32, nr), acc: make([]float64, nd), stamp: make([]uint32, nd), wstamp: make([]uint32, nw),
			best: make([]scoredDoc, 0, maxText)}
		for i := range sc.hitAt {
			sc.hitAt[i] = -1
		}
		return sc
	}
	c.stop, c.content = make([]bool, nw), make([]bool, nw)
	for id, w := range c.words {
		c.stop[id], c.content[id] = stopwords[w], indexable(w)
	}
	c.docWeight = make([]float64, len(c.docs))
	for i := range c.docs {
		c.docWeight[i] = c.docs[i].weight
	}
	c.post = make([][]int32, len(c.words))
	for di, d := range c.docs {
		for _, w := range d.words {
			c.post[w] = append(c.post[w], int32(di))
		}
	}
	c.idf = make([]float64, len(c.words))
	for i := range c.words {
		n := int32(0)
		if i < len(df) {
			n = df[i]
		}
		c.idf[i] = math.Log(1 + float64(ndocs)/float64(1+n))
	}
	c.narrow = make([]int32, len(c.phraseSet))
	for pid := range c.phraseSet {
		c.narrow[pid] = c.narrowest(int32(pid))
	}
	c.trie = newPhraseTrie(c.phraseIDs, len(c.words))
	// One-deletion neighbours of longer words, for misspellings.
	c.deletes = make(map[uint64]int32, 8*len(c.words))
	for id, w := range c.words {
		if len(w) < 5 || hasDigit(w) {
			continue
		}
		c.maxFixLen = max(c.maxFixLen, len(w)+1)
		for i := 0; i < len(w); i++ {
			h := deletionHash(w, i)
			if _, ok := c.deletes[h]; !ok {
				c.deletes[h] = int32(id)
			}
		}
	}
}

// phraseTrie finds the phrases of the lexicon a description's words start
// with, a word id at a time: the first word by an array, the next ones by a
// map with integer keys (no string to hash).
type phraseTrie struct {
	first  []int32          // by word id: the node of the one-word key, or -1
	kids   map[uint64]int32 // node<<32 | next word id -> node
	phrase []int32          // by node: the phrase whose words lead there, or -1
}

func newPhraseTrie(phrases [][]int32, nwords int) phraseTrie {
	more := 0 // words after the first: at most the number of kids
	for _, ids := range phrases {
		more += len(ids) - 1
	}
	t := phraseTrie{first: make([]int32, nwords), kids: make(map[uint64]int32, more), phrase: make([]int32, 0, len(phrases)+more)}
	for i := range t.first {
		t.first[i] = -1
	}
	add := func() int32 {
		t.phrase = append(t.phrase, -1)
		return int32(len(t.phrase) - 1)
	}
	for pid, ids := range phrases {
		node := t.first[ids[0]]
		if node < 0 {
			node = add()
			t.first[ids[0]] = node
		}
		for _, w := range ids[1:] {
			k := uint64(node)<<32 | uint64(w)
			next, ok := t.kids[k]
			if !ok {
				next = add()
				t.kids[k] = next
			}
			node = next
		}
		t.phrase[node] = int32(pid)
	}
	return t
}

// next returns the node below node for the word ids[i], or -1 (also past
// the end of ids and for an unknown word).
func (t *phraseTrie) next(node int32, ids []int32, i int) int32 {
	if i >= len(ids) || ids[i] < 0 {
		return -1
	}
	if n, ok := t.kids[uint64(node)<<32|uint64(ids[i])]; ok {
		return n
	}
	return -1
}

// deletionHash is the FNV-1a hash of w without its i-th byte (i = -1: all
// of w), so that one-deletion neighbours are indexed without building strings.
func deletionHash(w string, skip int) uint64 {
	h := uint64(14695981039346656037)
	for j := 0; j < len(w); j++ {
		if j == skip {
			continue
		}
		h ^= uint64(w[j])
		h *= 1099511628211
	}
	return h
}

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

// uniq returns ids without repeats: ids itself when it has none, else a
// new slice.
func uniq(ids []int32) []int32 {
	dups := false
	for i := 1; i < len(ids) && !dups; i++ {
		dups = containsID(ids[:i], ids[i])
	}
	if !dups {
		return ids
	}
	out := ids[:0:0]
	for _, id := range ids {
		dup := false
		for _, o := range out {
			if o == id {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, id)
		}
	}
	return out
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
	if id, found := c.deletes[deletionHash(w, -1)]; ok(id, found) { // a letter missing
		return id, work
	}
	var arr [64]byte
	for i := 0; i < len(w); i++ {
		// w without its i-th letter, looked up without building a string
		d := append(append(arr[:0], w[:i]...), w[i+1:]...)
		work += 2 * len(w)
		if id, found := c.vocab[string(d)]; found { // a letter too many
			return id, work
		}
		if id, found := c.deletes[deletionHash(w, i)]; ok(id, found) { // a letter wrong, or two swapped
			return id, work
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
	for i, w := range q.weight {
		if q.alts[i] == nil && w > 0 {
			q.flat = append(q.flat, q.ids[i])
			q.alts[i] = q.flat[len(q.flat)-1 : len(q.flat) : len(q.flat)]
		}
		q.total += w
	}
}

// candSet holds the candidates of one description; there are few, so a
// slice searched in order is cheaper than a map. They are found by the key
// of their code.
type candSet struct{ list []*cand }

func (cs *candSet) get(code string) *cand { return cs.find(code, codeKey(code)) }

// find is get for a code whose key is known.
func (cs *candSet) find(code string, key uint64) *cand {
	for _, c := range cs.list {
		if c.key == key && (len(code) <= 7 || c.code == code) {
			return c
		}
	}
	return nil
}

// put adds cd, or replaces the candidate of the same code.
func (cs *candSet) put(cd *cand) {
	for i, c := range cs.list {
		if c.key == cd.key && (len(cd.code) <= 7 || c.code == cd.code) {
			cs.list[i] = cd
			return
		}
	}
	cs.list = append(cs.list, cd)
}

// codeKey packs the length and the first seven bytes of a code in a word:
// the key of a code of at most seven bytes (HS codes have two, four or six
// digits) is its own.
func codeKey(code string) uint64 {
	k := uint64(len(code)) << 56
	for i := 0; i < len(code) && i < 7; i++ {
		k |= uint64(code[i]) << (8 * i)
	}
	return k
}

// cand is a candidate code while scoring.
type cand struct {
	code     string
	key      uint64 // codeKey(code)
	score    float64
	raw      float64
	covered  uint64 // word positions explained (first 64)
	spec     float64
	breadth  float64
	evidence []evidence
	fromRule bool
}

// Classify returns at most top candidates for a description, best first.
func (c *Classifier) Classify(description string, top int) []tradeplan.Candidate {
	if top <= 0 {
		top = 3
	}
	sc := c.pool.Get().(*scratch)
	out := c.classify(sc, description, top)
	c.pool.Put(sc) // not deferred: a scratch a panic left half-way is not reused
	if note := ReadingNote(description); note != "" {
		// the evidence names the words of other languages read
		for i := range out {
			out[i].Evidence = append([]string{note}, out[i].Evidence...)
		}
	}
	return out
}

func (c *Classifier) classify(sc *scratch, description string, top int) []tradeplan.Candidate {
	q := &sc.q
	c.prepare(q, description)
	if q.total == 0 {
		return nil
	}
	sc.cands.list, sc.ncand, sc.saved = sc.cands.list[:0], 0, sc.saved[:0]
	c.matchRules(q, sc)
	c.matchText(q, sc)
	c.refine(q, sc)
	return c.rank(q, sc, top)
}

func hasRef(alts []string) bool {
	for _, a := range alts {
		if strings.HasPrefix(a, "@") {
			return true
		}
	}
	return false
}

// narrowest returns the smallest concept a phrase belongs to, or -1.
func (c *Classifier) narrowest(pid int32) int32 {
	best := int32(-1)
	for _, cid := range c.phraseSet[pid] {
		if !c.concepts[cid].named {
			continue
		}
		if best < 0 || c.concepts[cid].size < c.concepts[best].size {
			best = cid
		}
	}
	return best
}

func (c *Classifier) matchRules(q *query, sc *scratch) {
	cands, hitAt, hits := &sc.cands, sc.hitAt, sc.hits[:0]
	for mi, m := range q.matches {
		// the span counts every word of the phrase, weighted or not, so that
		// "t-shirts" outranks the "shirts" inside it
		span := spanOf(m)
		for _, cid := range c.phraseSet[m.phrase] {
			for _, ref := range c.byConc(cid) {
				at := hitAt[ref.rule]
				if at < 0 {
					at = int32(len(hits))
					hitAt[ref.rule] = at
					if len(hits) < cap(hits) {
						hits = hits[:len(hits)+1]
					} else {
						hits = append(hits, ruleHit{})
					}
					hits[at].reset(ref.rule)
				}
				h := &hits[at]
				switch g := ref.group; {
				case g >= 0 && g < 8:
					if bit := uint8(1) << uint(g&7); h.groups&bit == 0 {
						h.gm[g&7] = int16(mi)
						h.groups |= bit
					}
					h.covered |= span
				case g == -1:
					h.neg = true
				}
			}
		}
	}
	sc.hits = hits
	for i := range hits {
		h := &hits[i]
		ri := h.rule
		hitAt[ri] = -1
		if h.neg || h.groups != c.ruleGroups[ri] {
			continue
		}
		r := &c.rules[ri]
		if len(r.opt) > 0 {
			for mi, m := range q.matches {
				span := spanOf(m)
				if h.optional&span == span {
					continue
				}
				for _, cid := range c.phraseSet[m.phrase] {
					if containsID(r.opt, cid) {
						if int(h.nopt) < len(h.opt) {
							h.opt[h.nopt] = optRef{int16(mi), cid}
							h.nopt++
						}
						h.optional |= span
						break
					}
				}
			}
		}
		covered := h.covered | h.optional
		cov := q.cover(covered)
		raw := r.weight*(0.3+0.7*cov) + 0.02*r.spec
		score := r.weight * (0.3 + 0.7*cov)
		if cd := cands.find(r.code, r.key); cd != nil && raw <= cd.raw {
			continue
		}
		cd := sc.newCand(r.code, r.key, score, raw)
		cd.covered = covered
		if r.keyword != "" {
			cd.evidence = append(cd.evidence, evidence{kind: evKeyword, n: ri})
		} else {
			sc.saved = append(sc.saved, *h)
			cd.spec, cd.breadth, cd.fromRule = r.spec, r.breadth, true
			cd.evidence = append(cd.evidence, evidence{kind: evLexicon, n: ri, hit: int32(len(sc.saved) - 1)})
		}
		cands.put(cd)
	}
	// A rule is outranked by a narrower one that explains the same words.
	list := sc.list[:0]
	for _, cd := range cands.list {
		if cd.fromRule {
			list = append(list, cd)
		}
	}
	sc.list = list
	for _, a := range list {
		for _, b := range list {
			if a != b && b.covered&a.covered == a.covered && (b.covered != a.covered || b.breadth < a.breadth-0.5) && b.raw >= a.raw-0.01 {
				a.score *= 0.6
				a.raw *= 0.6
				a.evidence = append(a.evidence, evidence{kind: evNarrower, code: b.code})
				break
			}
		}
	}
}

func spanOf(m phraseMatch) uint64 {
	var span uint64
	for j := m.from; j < m.to && j < 64; j++ {
		span |= 1 << uint(j)
	}
	return span
}

type optRef struct {
	match   int16 // index into query.matches
	concept int32
}

// ruleHit is kept small: it is written for every rule a word touches.
// gm and opt are read only where groups and nopt say they were written.
type ruleHit struct {
	covered  uint64 // words explained by the groups
	optional uint64 // words explained by optional groups
	gm       [8]int16
	opt      [4]optRef
	rule     int32
	groups   uint8 // groups matched, one bit each
	nopt     uint8
	neg      bool
}

// reset makes h the hit of rule ri, with nothing matched yet: gm and opt
// are left as they are.
func (h *ruleHit) reset(ri int32) {
	h.covered, h.optional, h.rule, h.groups, h.nopt, h.neg = 0, 0, ri, 0, 0, false
}

// scratch is the per-call working memory of Classify, reused through a pool:
// once warm, a description allocates only what Classify returns.
type scratch struct {
	q      query
	cands  candSet
	reuse  []*cand // candidates of this and earlier calls; the first ncand are in use
	ncand  int
	saved  []ruleHit // the hits of the rules that became candidates, for their evidence
	list   []*cand
	best   []scoredDoc // for bestText: room for maxText
	all    []scoredDoc // for sortText
	over   []docCov    // the documents over the floor
	hitAt  []int32     // by rule: its hit in hits, or -1
	hits   []ruleHit   // of the rules the description's phrases touch, in the order touched
	acc    []float64   // by doc
	docs   []int32
	stamp  []uint32 // by doc
	wstamp []uint32 // by word: words of the description (and what stands for them) are at wround
	round  uint32
	wround uint32
	text   []byte // the evidence of the candidates returned, written out
	ends   []int  // where each line of evidence ends in text
	counts []int  // lines of evidence by candidate returned
}

// newCand returns a candidate from the scratch's reusable ones.
func (sc *scratch) newCand(code string, key uint64, score, raw float64) *cand {
	if sc.ncand == len(sc.reuse) {
		sc.reuse = append(sc.reuse, new(cand))
	}
	cd := sc.reuse[sc.ncand]
	sc.ncand++
	*cd = cand{code: code, key: key, score: score, raw: raw, evidence: cd.evidence[:0]}
	return cd
}

// next starts a new round of stamps; stamps are cleared when the counter
// wraps, so that an old stamp never passes for the new round.
func (sc *scratch) next() uint32 {
	sc.round++
	if sc.round == 0 {
		clear(sc.stamp)
		clear(sc.wstamp)
		sc.round = 1
	}
	return sc.round
}

// scoredDoc is a text document found for a description, with its score.
type scoredDoc struct {
	d     int32
	score float64
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

// maxText is how many text documents, best first, are weighed for a
// description.
const maxText = 12

func (c *Classifier) matchText(q *query, sc *scratch) {
	acc, docs := sc.acc, sc.docs[:0]
	maxAcc := 0.0 // sums only grow: the highest of them as they come is the highest at the end
	for i, alts := range q.alts {
		wt := q.weight[i]
		if wt == 0 {
			continue
		}
		if len(alts) == 1 {
			docs, maxAcc = addPostings(acc, docs, c.post[alts[0]], wt, maxAcc)
			continue
		}
		// a document counts once for the position, whichever words meet it
		round := sc.next()
		for _, w := range alts {
			docs, maxAcc = addNewPostings(acc, docs, sc.stamp, round, c.post[w], wt, maxAcc)
		}
	}
	// the words of the description (and what stands for them), for precision
	sc.wround = sc.next()
	for _, alts := range q.alts {
		for _, w := range alts {
			sc.wstamp[w] = sc.wround
		}
	}
	// max(acc/total) is max(acc)/total: division by total keeps the order
	floor := math.Max(0.25, 0.6*(maxAcc/q.total))
	// the documents that cover enough of the description, in the order found
	over := sc.over[:0]
	for _, d := range docs {
		if cov := acc[d] / q.total; cov >= floor {
			over = append(over, docCov{d, cov})
		}
		acc[d] = 0
	}
	sc.docs, sc.over = docs[:0], over[:0]
	best, unique := c.bestText(sc, over)
	if !unique || c.sortAll {
		best = c.sortText(sc, over)
	}
	cands := &sc.cands
	for _, b := range best {
		dd := &c.docs[b.d]
		ev := evidence{kind: evText, n: b.d}
		// agreement: text for a code, or for its heading, supports a rule's code
		for _, cd := range cands.list {
			if dd.level >= 4 && cd.fromRule && len(cd.code) > len(dd.code) && strings.HasPrefix(cd.code, dd.code) {
				cd.score = math.Min(1, cd.score+0.1*b.score)
				cd.raw += 0.1 * b.score
				cd.evidence = append(cd.evidence, ev)
			}
		}
		cd := cands.find(dd.code, dd.key)
		if cd == nil {
			cd = sc.newCand(dd.code, dd.key, b.score, b.score)
			cd.evidence = append(cd.evidence, ev)
			cands.put(cd)
			continue
		}
		if cd.fromRule {
			cd.score = math.Min(1, cd.score+0.1*b.score)
			cd.raw += 0.1 * b.score
			cd.evidence = append(cd.evidence, ev)
		} else if b.score > cd.score {
			cd.score, cd.raw = b.score, b.score
			cd.evidence = slices.Insert(cd.evidence, 0, ev)
		}
	}
}

// addPostings adds wt to the sums acc of the documents post, noting in docs
// those that had none, and returns docs and the highest sum.
func addPostings(acc []float64, docs, post []int32, wt, maxAcc float64) ([]int32, float64) {
	for _, d := range post {
		a := acc[d]
		if a == 0 {
			docs = append(docs, d)
		}
		a += wt
		acc[d] = a
		if a > maxAcc {
			maxAcc = a
		}
	}
	return docs, maxAcc
}

// addNewPostings is addPostings for the documents not yet stamped with
// round, which it stamps.
func addNewPostings(acc []float64, docs []int32, stamp []uint32, round uint32, post []int32, wt, maxAcc float64) ([]int32, float64) {
	for _, d := range post {
		if stamp[d] == round {
			continue
		}
		stamp[d] = round
		a := acc[d]
		if a == 0 {
			docs = append(docs, d)
		}
		a += wt
		acc[d] = a
		if a > maxAcc {
			maxAcc = a
		}
	}
	return docs, maxAcc
}

// docScore is the score of a text document: its coverage weighed by its
// precision, the share of its words that are the description's (or stand
// for them).
func (c *Classifier) docScore(sc *scratch, o docCov) scoredDoc {
	dd := &c.docs[o.d]
	hit := 0
	for _, w := range dd.words {
		if sc.wstamp[w] == sc.wround {
			hit++
		}
	}
	prec := float64(hit) / float64(len(dd.words))
	return scoredDoc{o.d, dd.weight * o.cov * (0.8 + 0.2*prec)}
}

// docCov is a text document and how much of the description it covers.
type docCov struct {
	d   int32
	cov float64
}

// bestText returns the best maxText of the documents over, in textBefore
// order. unique is false when that is not the only order: two documents of
// the same code with the same score, in the list or one in and one left
// out, which sortText puts in an order of its own.
func (c *Classifier) bestText(sc *scratch, over []docCov) (best []scoredDoc, unique bool) {
	// Precision lowers a score by at most a fifth: a document's score is
	// between 0.8 and 1 times its bound, weight times coverage. The twelfth
	// highest of the 0.8 is a score that twelve documents reach; one whose
	// bound is lower is out, and needs no more work.
	var lows [maxText]float64 // highest first
	nlow := 0
	for _, o := range over {
		low := c.docWeight[o.d] * o.cov * 0.8
		if nlow == maxText && low <= lows[maxText-1] {
			continue
		}
		at := min(nlow, maxText-1)
		for at > 0 && low > lows[at-1] {
			lows[at] = lows[at-1]
			at--
		}
		lows[at], nlow = low, min(nlow+1, maxText)
	}
	cut := 0.0
	if nlow == maxText {
		cut = lows[maxText-1]
	}
	best = sc.best[:0]
	var out scoredDoc // the first, by textBefore, of the documents left out
	left := false
	for _, o := range over {
		// the same test with the last of a full list, as it grows
		if bound := c.docWeight[o.d] * o.cov; bound < cut || len(best) == maxText && bound < best[maxText-1].score {
			continue
		}
		s := c.docScore(sc, o)
		at := len(best)
		for at > 0 && c.textBefore(s, best[at-1]) {
			at--
		}
		if at < maxText && len(best) < maxText {
			best = append(best, scoredDoc{})
			copy(best[at+1:], best[at:])
			best[at] = s
			continue
		}
		if at < maxText {
			// s comes in, and the last one is left out
			drop := best[maxText-1]
			copy(best[at+1:], best[at:])
			best[at], s = s, drop
		}
		if !left || c.textBefore(s, out) {
			out, left = s, true
		}
	}
	for i := 1; i < len(best); i++ {
		if c.sameText(best[i-1], best[i]) {
			return best, false
		}
	}
	return best, !left || !c.sameText(out, best[len(best)-1])
}

// sortText is the reference for bestText: every document of over scored,
// sorted, and the first maxText.
func (c *Classifier) sortText(sc *scratch, over []docCov) []scoredDoc {
	all := sc.all[:0]
	for _, o := range over {
		all = append(all, c.docScore(sc, o))
	}
	sc.all = all
	slices.SortFunc(all, func(a, b scoredDoc) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(c.docs[a.d].code, c.docs[b.d].code)
	})
	return all[:min(len(all), maxText)]
}

func (c *Classifier) sameText(a, b scoredDoc) bool {
	return a.score == b.score && c.docs[a.d].code == c.docs[b.d].code
}

// textBefore orders scored documents: higher score first, then by code.
func (c *Classifier) textBefore(a, b scoredDoc) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return c.docs[a.d].code < c.docs[b.d].code
}

// kidDoc is a subheading and its text document.
type kidDoc struct {
	code string
	doc  int32
}

// refine chooses, with an imported nomenclature, the subheading of each
// likely heading that the text names lexicon rules did not reach: the one
// whose official text covers most of the description, else the residual
// ("other") subheading. Its score is the heading's, lowered when the choice
// within the heading is a default rather than a match.
func (c *Classifier) refine(q *query, sc *scratch) {
	if c.subs == nil {
		return
	}
	cands := &sc.cands
	var headsBuf [16]*cand
	heads := headsBuf[:0]
	var childBuf [16]string
	hasChild := childBuf[:0] // headings with a lexicon subheading among the candidates
	for _, cd := range cands.list {
		if len(cd.code) == 4 && !cd.fromRule {
			heads = append(heads, cd)
		}
		if len(cd.code) == 6 && cd.fromRule {
			hasChild = append(hasChild, cd.code[:4])
		}
	}
	slices.SortFunc(heads, func(a, b *cand) int {
		if a.raw != b.raw {
			if a.raw > b.raw {
				return -1
			}
			return 1
		}
		return strings.Compare(a.code, b.code)
	})
	if len(heads) > 4 {
		heads = heads[:4]
	}
	for _, h := range heads {
		kids := c.kidDocs[h.code]
		if len(kids) == 0 || slices.Contains(hasChild, h.code) {
			continue
		}
		type kid struct {
			code string
			key  uint64
			cov  float64
			prec float64
		}
		var ksBuf [24]kid
		ks := ksBuf[:0]
		for _, k := range kids {
			d := &c.docs[k.doc]
			m, hit := 0.0, 0
			for i, alts := range q.alts {
				for _, w := range alts {
					if containsID(d.words, w) {
						m += q.weight[i]
						hit++
						break
					}
				}
			}
			ks = append(ks, kid{k.code, d.key, m / q.total, float64(hit) / float64(len(d.words))})
		}
		residual := ks[len(ks)-1]
		slices.SortStableFunc(ks, func(a, b kid) int {
			switch {
			case a.cov != b.cov:
				if a.cov > b.cov {
					return -1
				}
				return 1
			case a.prec > b.prec:
				return -1
			case a.prec < b.prec:
				return 1
			}
			return 0
		})
		best, quality := ks[0], 1.0
		if len(ks) > 1 && ks[1].cov >= best.cov-1e-9 {
			// no subheading's text says more than the others: the residual one
			best, quality = residual, 0.5
			if ks[0].cov > 0 && ks[0].code != residual.code && ks[0].prec > residual.prec {
				best = ks[0]
			}
		}
		add := func(k kid, score, raw float64, why string) {
			ev := evidence{kind: evSubheading, code: k.code, head: h.code, why: why}
			if cd := cands.find(k.code, k.key); cd != nil {
				if raw > cd.raw {
					cd.raw, cd.score = raw, score
				}
				cd.evidence = append(cd.evidence, ev)
				return
			}
			cd := sc.newCand(k.code, k.key, score, raw)
			cd.evidence = append(append(cd.evidence, ev), h.evidence...)
			cands.put(cd)
		}
		why := "its text matches the description best"
		if quality < 1 {
			why = "no subheading text is more specific; the residual one"
		}
		add(best, h.score*(0.8+0.2*quality), h.raw+0.0005, why)
		for _, k := range ks {
			if k.code != best.code {
				add(k, h.score*0.7, h.raw-0.03, "runner-up within the heading")
				break
			}
		}
	}
}

func containsID(s []int32, id int32) bool {
	for _, x := range s {
		if x == id {
			return true
		}
	}
	return false
}

func (c *Classifier) rank(q *query, sc *scratch, top int) []tradeplan.Candidate {
	cands := &sc.cands
	// The text of a heading supports the lexicon's best subheading under it:
	// the subheading rises to the heading's score, which it refines. Each
	// heading's best subheading is found in a list of the rule candidates.
	list := sc.list[:0]
	for _, cd := range cands.list {
		if !cd.fromRule || len(cd.code) != 6 {
			continue
		}
		i := slices.IndexFunc(list, func(b *cand) bool { return b.code[:4] == cd.code[:4] })
		switch {
		case i < 0:
			list = append(list, cd)
		case cd.raw > list[i].raw || cd.raw == list[i].raw && cd.code < list[i].code:
			list[i] = cd
		}
	}
	for _, child := range list {
		h := child.code[:4]
		head := cands.get(h)
		if head == nil || head.fromRule || head.raw <= child.raw {
			continue
		}
		child.raw = head.raw + 0.001
		child.score = math.Max(child.score, head.score)
		child.evidence = append(child.evidence, evidence{kind: evRefines, code: head.code})
	}
	list = append(list[:0], cands.list...)
	sc.list = list
	if len(list) == 0 {
		return nil
	}
	out := make([]tradeplan.Candidate, 0, min(top, len(list)))
	// The evidence of the candidates returned is written out one after the
	// other into one text, a line the same as the one before left out; the
	// strings are cut from it once all are written.
	sc.text, sc.ends, sc.counts = sc.text[:0], sc.ends[:0], sc.counts[:0]
	for k := range list {
		// The next best by raw score, then code (codes are unique among
		// candidates): a selection, as only the first few are wanted.
		for j := k + 1; j < len(list); j++ {
			if a, b := list[j], list[k]; a.raw > b.raw || a.raw == b.raw && a.code < b.code {
				list[j], list[k] = b, a
			}
		}
		cd := list[k]
		if len(cd.code) < 6 {
			// a heading or chapter adds nothing below a code under it that ranks higher
			covered := false
			for _, o := range out {
				if strings.HasPrefix(o.Code, cd.code) {
					covered = true
					break
				}
			}
			if covered {
				continue
			}
		}
		score := math.Round(math.Min(1, math.Max(0, cd.score))*1000) / 1000
		n, prev := 0, 0 // lines kept, and where the last one starts
		for i := range cd.evidence {
			start := len(sc.text)
			sc.text = c.appendEvidence(sc.text, q, sc, &cd.evidence[i])
			if n > 0 && string(sc.text[start:]) == string(sc.text[prev:start]) {
				sc.text = sc.text[:start]
				continue
			}
			sc.ends = append(sc.ends, len(sc.text))
			n, prev = n+1, start
		}
		sc.counts = append(sc.counts, n)
		out = append(out, tradeplan.Candidate{Code: cd.code, Level: len(cd.code), Score: score, Title: c.Title(cd.code)})
		if len(out) == top {
			break
		}
	}
	text := string(sc.text)
	lines := make([]string, len(sc.ends))
	start := 0
	for i, end := range sc.ends {
		lines[i], start = text[start:end], end
	}
	for i, n := range sc.counts {
		out[i].Evidence, lines = lines[:n:n], lines[n:]
	}
	return out
}

// Title returns the best title known for a code: the imported official text,
// else our own words.
func (c *Classifier) Title(code string) string {
	for _, n := range c.full {
		if e, ok := n.entries[code]; ok {
			return e.Title
		}
	}
	if t, ok := c.lexTitle[code]; ok {
		return t
	}
	if e, ok := c.base.entries[code]; ok {
		return e.Title
	}
	if len(code) == 6 {
		if e, ok := c.base.entries[code[:4]]; ok {
			return e.Title + " (subheading " + FormatCode(code) + ")"
		}
	}
	return ""
}

// CheckCode validates a declared code against the nomenclature.
//
// Declared codes are checked once per line of every declaration screened,
// so the common case, a valid 4- or 6-digit code written as plain digits,
// is a lookup in a table of assignments prepared on first use: no
// allocation. Every other form takes checkCode, with its notes and errors;
// the table holds exactly what checkCode returns for its codes.
func (c *Classifier) CheckCode(code string) (tradeplan.HSAssignment, error) {
	if (len(code) == 4 || len(code) == 6) && c.fast != nil {
		if a, ok := c.fast()[code]; ok {
			return a, nil
		}
	}
	return c.checkCode(code)
}

// fastCodes is the table of CheckCode: every heading and subheading of the
// nomenclatures in use that checkCode accepts as written, with its
// assignment.
func (c *Classifier) fastCodes() map[string]tradeplan.HSAssignment {
	noms := append([]*Nomenclature{c.base}, c.full...)
	n := 0
	for _, nm := range noms {
		n += nm.Count(4) + nm.Count(6)
	}
	m := make(map[string]tradeplan.HSAssignment, n)
	for _, nm := range noms {
		for _, level := range []int{4, 6} {
			for _, code := range nm.codes(level) {
				if _, done := m[code]; done {
					continue
				}
				if a, err := c.checkCode(code); err == nil && a.Code == code {
					m[code] = a
				}
			}
		}
	}
	return m
}

// childList writes out the subheadings of heading h in n, as error messages
// list them.
func (c *Classifier) childList(n *Nomenclature, h string) string {
	if n == c.subs && c.kids != nil {
		if s, ok := c.kids()[h]; ok {
			return s
		}
	}
	return strings.Join(formatAll(n.children[h]), ", ")
}

// splitsTable is the hand-written HS 2017 -> HS 2022 table, built once for
// the messages of checkCode (KnownSplits returns a fresh copy to callers).
var splitsTable = sync.OnceValue(KnownSplits)

// checkCode is CheckCode for any form of code.
func (c *Classifier) checkCode(code string) (tradeplan.HSAssignment, error) {
	d, note, err := NormalizeCode(code)
	if err != nil {
		return tradeplan.HSAssignment{}, err
	}
	a := tradeplan.HSAssignment{Code: d, Source: "declared", Confidence: 1, Note: note}
	addNote := func(s string) {
		if a.Note != "" {
			a.Note += "; "
		}
		a.Note += s
	}
	if _, ok := c.base.entries[d[:2]]; !ok && len(c.base.entries) > 0 {
		return a, tradeplan.Errorf(tradeplan.EInvalid, "HS code %s: chapter %s does not exist", FormatCode(d), d[:2])
	}
	if len(c.full) > 0 {
		n := c.full[0]
		if _, ok := n.entries[d]; !ok {
			// a code of an older edition imported beside it is valid for older data
			for _, o := range c.full[1:] {
				if e, ok := o.entries[d]; ok {
					a.Title = e.Title
					note := "a code of " + o.Name + ", not of " + n.Name
					if to, why, ok := splitsTable().Forward(d); ok {
						note += "; became " + strings.Join(formatAll(to), ", ") + " (" + why + ")"
					}
					addNote(note)
					return a, nil
				}
			}
			if _, hok := n.entries[d[:4]]; !hok {
				return a, tradeplan.Errorf(tradeplan.EInvalid, "HS code %s: heading %s is not in %s", FormatCode(d), d[:4], n.Name)
			}
			return a, tradeplan.Errorf(tradeplan.EInvalid, "HS code %s: subheading not in %s (heading %s has %s)", FormatCode(d), n.Name, d[:4], c.childList(n, d[:4]))
		}
		a.Title = n.entries[d].Title
		return a, nil
	}
	h, ok := c.base.entries[d[:4]]
	if !ok {
		if c.base.Count(4) < 1200 {
			// our headings file is incomplete: say so rather than reject
			addNote("heading " + d[:4] + " is not in the embedded headings, which are incomplete; not verified")
			a.Confidence = 0.5
			return a, nil
		}
		return a, tradeplan.Errorf(tradeplan.EInvalid, "HS code %s: heading %s does not exist in HS 2022", FormatCode(d), d[:4])
	}
	a.Title = h.Title
	if len(d) == 6 {
		if c.subs == c.base {
			// the embedded subheadings are the whole of HS 2022
			s, ok := c.base.entries[d]
			if !ok {
				msg := "HS code %s: subheading %s does not exist in HS 2022 (heading %s has %s)"
				args := []any{FormatCode(d), FormatCode(d), d[:4], c.childList(c.base, d[:4])}
				if to, why, ok := splitsTable().Forward(d); ok {
					msg += "; it is an HS 2017 code that became %s (%s): import HS 2017 with 'tradeplan hs import' to accept it for older data"
					args = append(args, strings.Join(formatAll(to), ", "), why)
				}
				return a, tradeplan.Errorf(tradeplan.EInvalid, msg, args...)
			}
			a.Title = s.Title
			return a, nil
		}
		if t, ok := c.lexTitle[d]; ok {
			a.Title = t
		}
		addNote("subheading " + FormatCode(d) + " not verified against the full nomenclature (only headings are embedded; import it with 'tradeplan hs import')")
	}
	return a, nil
}

func formatAll(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = FormatCode(c)
	}
	return out
}

var _ tradeplan.Classifier = (*Classifier)(nil)
