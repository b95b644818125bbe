package hs

import (
	"math"
	"slices"
	"sort"
	"strings"
)

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

// indexBuilder holds what building the index needs and the index keeps not:
// the steps of build share it.
type indexBuilder struct {
	c        *Classifier
	phraseOf map[string]int32 // key of word ids (phraseKey) -> phrase id
	df       []int32          // by word id: the documents (phrases and texts) it occurs in
	ndocs    int
	cid      map[string]int32 // concept name, or an inline group's alternatives joined by "|" -> concept id
	members  [][]string       // concept id -> raw alternatives
	nnamed   int              // concepts 0 to nnamed-1 are the lexicon's named ones
	nkw      int              // keywords of our headings and subheadings
	kwFirst  int              // concepts from kwFirst on are keywords' own, each one keyword (addKeywordRules)
	kwConc   []int32          // by keyword, headings then subheadings: its concept, or -1
	// ancestors are, by concept, the named concepts whose expansion reaches it.
	ancestors  [][]int32
	onlyPhrase []int32 // concept id -> its one phrase (-1: no words), or -2
	arena      []int32 // backing of the phrases' word ids (clone)
}

// build makes the index: the lexicon's concepts and rules, our keywords as
// rules, the phrases they expand to, the text documents, and the tables
// Classify reads them by.
func (c *Classifier) build(lx *lexicon) {
	// sized for the embedded data, so that the maps are not rebuilt while
	// they grow (about 9,400 words and 21,000 phrases)
	c.vocab = make(map[string]int32, 12000)
	b := &indexBuilder{c: c, phraseOf: make(map[string]int32, 24000), cid: make(map[string]int32, 24000)}
	b.addLexiconRules(lx)
	b.addKeywordRules()
	b.expandConcepts()
	b.buildRest()
}

func (b *indexBuilder) incDF(w int32) {
	for int(w) >= len(b.df) {
		b.df = append(b.df, 0)
	}
	b.df[w]++
}

func (b *indexBuilder) addConcept(label string, alts []string) int32 {
	c := b.c
	id := int32(len(c.concepts))
	c.concepts = append(c.concepts, concept{label: label})
	b.members = append(b.members, alts)
	return id
}

// groupConcept returns the concept of a rule's group: a named concept it
// refers to alone, else the one of its alternatives, added the first time.
func (b *indexBuilder) groupConcept(g lexGroup) int32 {
	if len(g.alts) == 1 && strings.HasPrefix(g.alts[0], "@") {
		return b.cid[g.alts[0]]
	}
	key := strings.Join(g.alts, "|")
	if id, ok := b.cid[key]; ok {
		return id
	}
	label := g.alts[0]
	id := b.addConcept(strings.TrimPrefix(label, "@"), g.alts)
	b.cid[key] = id
	return id
}

// addLexiconRules adds the lexicon's concepts, named ones first, then its
// rules, with a concept for each inline group.
func (b *indexBuilder) addLexiconRules(lx *lexicon) {
	c := b.c
	for _, n := range []int{4, 6} {
		for _, code := range c.base.codes(n) {
			b.nkw += len(c.base.entries[code].Keywords)
		}
	}
	c.concepts = make([]concept, 0, len(lx.concepts)+len(lx.rules)+b.nkw)
	b.members = make([][]string, 0, cap(c.concepts))
	c.rules = make([]rule, 0, len(lx.rules)+b.nkw)
	names := make([]string, 0, len(lx.concepts))
	for n := range lx.concepts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.cid[n] = b.addConcept(lx.concepts[n].label, lx.concepts[n].alts)
	}
	b.nnamed = len(names)
	for _, r := range lx.rules {
		var cr rule
		cr.code, cr.key, cr.weight = r.code, codeKey(r.code), r.weight
		for _, g := range r.groups {
			id := b.groupConcept(g)
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
}

// addKeywordRules makes every keyword of our headings a phrase that points
// at its heading, and every keyword of our subheadings at its subheading.
// The one-element slices are cut from two backing arrays: there are some
// 27,000.
func (b *indexBuilder) addKeywordRules() {
	c := b.c
	altsBuf, groupBuf := make([]string, b.nkw), make([]int32, b.nkw)
	b.kwConc = make([]int32, 0, b.nkw)
	b.kwFirst = len(c.concepts)
	for _, lv := range []struct {
		level  int
		weight float64
	}{{4, 0.9}, {6, subKeywordWeight}} {
		for _, code := range c.base.codes(lv.level) {
			for _, k := range c.base.entries[code].Keywords {
				if !hasWord(k) {
					b.kwConc = append(b.kwConc, -1)
					continue
				}
				altsBuf[0] = k
				id := b.groupConcept(lexGroup{alts: altsBuf[0:1:1]})
				b.kwConc = append(b.kwConc, id)
				groupBuf[0] = id
				c.rules = append(c.rules, rule{code: code, key: codeKey(code), groups: groupBuf[0:1:1], weight: lv.weight, keyword: k})
				altsBuf, groupBuf = altsBuf[1:], groupBuf[1:]
			}
		}
	}
}

// expandConcepts expands each concept to its phrases, following
// references, and gives each phrase its word ids and the concepts it
// belongs to.
func (b *indexBuilder) expandConcepts() {
	c := b.c
	var buf []byte
	var tmp []int32
	pidOf := make(map[string]int32, 14000) // raw phrase of the lexicon's concepts -> phrase id (-1: no words); 12,600 embedded
	c.phraseIDs = make([][]int32, 0, 24000)
	c.phraseSet = make([][]int32, 0, 24000)
	b.ancestors = make([][]int32, len(c.concepts))
	b.onlyPhrase = make([]int32, len(c.concepts))
	for i := range b.onlyPhrase {
		b.onlyPhrase[i] = -2
	}
	ex := b.newExpander()
	for id := range c.concepts {
		named := id < b.nnamed
		var phrases []string
		if hasRef(b.members[id]) {
			var reached []int32
			phrases, reached = ex.expand(int32(id))
			for _, g := range reached {
				if g != int32(id) && named {
					b.ancestors[g] = append(b.ancestors[g], int32(id))
				}
			}
		} else if len(b.members[id]) == 1 {
			phrases = b.members[id]
		} else {
			for _, a := range b.members[id] {
				if !contains(phrases, a) {
					phrases = append(phrases, a)
				}
			}
		}
		c.concepts[id].named = named
		c.concepts[id].size = len(phrases)
		c.concepts[id].spec = 1 / math.Log2(2+float64(len(phrases)))
		for _, a := range b.members[id] {
			if !named {
				break // only named concepts stand in for their phrases
			}
			if !strings.HasPrefix(a, "@") {
				c.concepts[id].canon = c.appendNormIDs(c.concepts[id].canon, a, true, keepNoStop)
				break
			}
		}
		// A keyword's own concept is its one phrase, a text no later
		// concept expands to (a keyword met again is the same concept):
		// its phrase is looked up by its words alone, not remembered. (The
		// reference build of the tests remembers every phrase.)
		kw := id >= b.kwFirst && !buildInOrder.Load()
		for _, p := range phrases {
			pid, ok := int32(0), false
			if !kw {
				pid, ok = pidOf[p]
			}
			if !ok {
				pid = -1
				if tmp = c.appendNormIDs(tmp[:0], p, true, keepAll); len(tmp) > 0 {
					buf = phraseKey(tmp, buf)
					var known bool
					if pid, known = b.phraseOf[string(buf)]; !known {
						ids := b.clone(tmp)
						pid = int32(len(c.phraseSet))
						b.phraseOf[string(buf)] = pid
						c.phraseSet = append(c.phraseSet, nil)
						c.phraseIDs = append(c.phraseIDs, ids)
						b.ndocs++
						for _, w := range uniq(ids) {
							b.incDF(w)
						}
					}
				}
				if !kw {
					pidOf[p] = pid
				}
			}
			if len(phrases) == 1 {
				b.onlyPhrase[id] = pid
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
}

// indexRules lists the rules by concept, one list after the other in one
// array, and gives each rule its specificity, its breadth and the optional
// groups its concepts' ancestors add.
func (b *indexBuilder) indexRules() {
	c := b.c
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
			for _, a := range b.ancestors[g] {
				if !containsID(opt, a) && !containsID(r.groups, a) {
					opt = append(opt, a)
				}
			}
		}
		// They are checked only for rules whose groups all matched.
		c.rules[ri].opt = opt
	}
}

// weighSharedKeywords lets a subheading keyword decide its subheading only
// when nothing else claims the same words: "pollack" alone is a species,
// not a state, and the lexicon sends it to several codes. Shared keywords
// are a guess.
func (b *indexBuilder) weighSharedKeywords() {
	c := b.c
	for ri := range c.rules {
		r := &c.rules[ri]
		if r.keyword == "" || len(r.code) != 6 || len(r.groups) != 1 {
			continue
		}
		pid := b.onlyPhrase[r.groups[0]]
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
}

// indexable reports whether a word is indexed in text documents: no
// stopword, no digit, two letters or more.
func indexable(w string) bool { return !stopwords[w] && !hasDigit(w) && len(w) >= 2 }

// indexableBytes is indexable for a word in a buffer.
func indexableBytes(w []byte) bool {
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

// addTextDocs adds the text documents: our headings (title and keywords)
// and chapters, and every heading and subheading of the imported
// nomenclatures (our own subheadings when none is imported).
func (b *indexBuilder) addTextDocs() {
	c := b.c
	c.docs = make([]doc, 0, 8000)
	wordOK := make([]int8, len(c.words)) // by word id: 1 indexable, -1 not, 0 not yet known
	kwConc := b.kwConc
	addDoc := func(code string, level int, title string, keywords []string, kcs []int32, weight float64, label string) {
		ids := c.appendNormIDs(make([]int32, 0, 16), title, true, keepIndexable)
		for i, k := range keywords {
			// keywords are phrases already split into words above
			pid := int32(-2)
			if i < len(kcs) && kcs[i] >= 0 {
				pid = b.onlyPhrase[kcs[i]]
			}
			if pid == -2 {
				ids = c.appendNormIDs(ids, k, true, keepIndexable)
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
		b.ndocs++
		for _, w := range ids {
			b.incDF(w)
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
}

// linkSubheadingDocs lists, by heading of c.subs, its subheadings that have
// a subheading text, for refine.
func (c *Classifier) linkSubheadingDocs() {
	if c.subs == nil {
		return
	}
	docOf6 := map[string]int32{} // subheading code -> its first subheading text
	for i := len(c.docs) - 1; i >= 0; i-- {
		if d := &c.docs[i]; d.level == 6 && strings.HasPrefix(d.label, "subheading text") {
			docOf6[d.code] = int32(i)
		}
	}
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

// newScratchPool sizes the working memory of Classify to the index.
func (c *Classifier) newScratchPool() {
	nr, nd, nw := len(c.rules), len(c.docs), len(c.words)
	c.pool.New = func() any {
		sc := &scratch{hitAt: make([]int32, nr), acc: make([]float64, nd), stamp: make([]uint32, nd), wstamp: make([]uint32, nw),
			best: make([]scoredDoc, 0, maxText)}
		for i := range sc.hitAt {
			sc.hitAt[i] = -1
		}
		return sc
	}
}

// indexWords makes the tables by word (stopword, content word, postings,
// inverse document frequency) and the weights by document.
func (b *indexBuilder) indexWords() {
	c := b.c
	nw := len(c.words)
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
		if i < len(b.df) {
			n = b.df[i]
		}
		c.idf[i] = math.Log(1 + float64(b.ndocs)/float64(1+n))
	}
}

// indexMisspellings indexes the one-deletion neighbours of longer words,
// for misspellings: hash of a word with one letter deleted -> word id.
func (c *Classifier) indexMisspellings() *misspellings {
	deletes := make(map[uint64]int32, 8*len(c.words))
	for id, w := range c.words {
		if len(w) < 5 || hasDigit(w) {
			continue
		}
		for i := 0; i < len(w); i++ {
			h := deletionHash(w, i)
			if _, ok := deletes[h]; !ok {
				deletes[h] = int32(id)
			}
		}
	}
	m := &misspellings{deletes: deletes, deleted: newHashFilter(len(deletes)), known: newHashFilter(len(c.words))}
	for h := range deletes {
		m.deleted.add(h)
	}
	for _, w := range c.words {
		m.known.add(deletionHash(w, -1))
	}
	return m
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

// kidDoc is a subheading and its text document.
type kidDoc struct {
	code string
	doc  int32
}

func containsID(s []int32, id int32) bool {
	for _, x := range s {
		if x == id {
			return true
		}
	}
	return false
}
