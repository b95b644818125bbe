package parties

import (
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/tradeplan/tradeplan/internal/gencache"
	"github.com/tradeplan/tradeplan/written"
)

// Index holds the loaded lists: every entry's names split into tokens, an
// inverted index from phonetic keys (of words, of runs of two or three
// adjacent words joined, and of one-letter deletions of words) to names, and
// exact indexes of IMO and document numbers. It is immutable once built and
// safe for concurrent use.
type Index struct {
	entries  []Entry
	versions []string
	names    []indexedName
	keys     map[string][]int32 // phonetic key -> names
	initials map[string][]int32 // initialsKey -> names
	// consonants of each Latin word and run of words -> names: what a
	// name read from Arabic script looks up (apart, so that the keys of
	// every other query stay as few)
	consonantKeys map[string][]int32
	dels          []delEntry // hashes of keys with one letter deleted, sorted

	spell  []string           // keys matched with a spelling difference
	df     map[string]int32   // word key -> number of names with it
	imo    map[string][]int32 // IMO number -> entries
	docs   map[string][]int32 // document number (compact) -> entries
	lists  []ListInfo         // without entries
	idfCap float64
	nDocs  int // names counted in the document frequencies (readings are not)
	pool   sync.Pool
	near   *gencache.Cache[[]string] // nearKeys' answers
}

type indexedName struct {
	reading bool    // a Latin reading of a name in another script: not counted in word weights
	wsum    float32 // the sum of the word weights
	entry   int32
	quality string
	raw     string
	nf      nameForm
	spans   []span
}

// span is a run of two or three adjacent words of a name, written together.
type span struct {
	i, j int8 // words i..j-1
	s    string
	fold string
	w    float32
	m    [2]uint32 // letter masks of s and fold
}

type scratch struct {
	acc     []float32
	gen     []float32
	stamp   []int32
	touched []int32
	unit    int32
	cands   []cand
	al      aligner
}

// Lists describes the loaded lists: name, format, date and counts.
func (ix *Index) Lists() []ListInfo { return ix.lists }

// Entries returns the loaded entries. The slice must not be changed.
func (ix *Index) Entries() []Entry { return ix.entries }

// Entry returns the entry with the given list and id.
func (ix *Index) Entry(list, id string) (*Entry, bool) {
	for i := range ix.entries {
		if ix.entries[i].List == list && ix.entries[i].ID == id {
			return &ix.entries[i], true
		}
	}
	return nil, false
}

// NewIndex builds an index over parsed lists.
func NewIndex(lists ...*ListInfo) *Index {
	ix := &Index{
		keys:     map[string][]int32{},
		initials: map[string][]int32{},
		df:       map[string]int32{},
		imo:      map[string][]int32{},
		docs:     map[string][]int32{},
		near:     gencache.New[[]string](),
	}
	n := 0
	for _, l := range lists {
		n += len(l.Entries)
	}
	ix.entries = make([]Entry, 0, n)
	for _, l := range lists {
		ix.entries = append(ix.entries, l.Entries...)
		meta := *l
		meta.Entries = nil
		ix.lists = append(ix.lists, meta)
	}
	// One order of entries however the lists were loaded (UN then OFAC or
	// the other way, from the database or from files, entries in any order):
	// every tie below, among candidates or among matches, is then broken
	// alike, and the same lists give the same results.
	slices.SortStableFunc(ix.entries, compareEntries)
	slices.SortStableFunc(ix.lists, func(a, b ListInfo) int {
		if c := listRank(a.List) - listRank(b.List); c != 0 {
			return c
		}
		return strings.Compare(a.List, b.List)
	})
	ix.versions = make([]string, len(ix.entries))
	ix.names = make([]indexedName, 0, 3*len(ix.entries))
	ix.keys = make(map[string][]int32, 12*len(ix.entries))
	ix.consonantKeys = make(map[string][]int32, 4*len(ix.entries))
	ix.df = make(map[string]int32, 4*len(ix.entries))
	// Names are prepared in parallel, one share of the entries per core,
	// then put together in entry order.
	per := make([][]indexedName, len(ix.entries))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for ei := w; ei < len(ix.entries); ei += workers {
				ix.versions[ei] = ix.entries[ei].Version()
				per[ei] = entryNames(&ix.entries[ei], int32(ei))
			}
		})
	}
	wg.Wait()
	for ei := range ix.entries {
		e := &ix.entries[ei]
		ix.names = append(ix.names, per[ei]...)
		for _, m := range e.IMOs {
			ix.imo[m.Number] = appendUnique(ix.imo[m.Number], int32(ei))
		}
		for _, d := range e.Documents {
			if k := compactID(d.Number); k != "" {
				ix.docs[k] = appendUnique(ix.docs[k], int32(ei))
			}
		}
	}
	// Document frequencies of word keys, then weights. The readings of
	// names in other scripts are left out, so that they change no weight.
	for ni := range ix.names {
		nm := &ix.names[ni]
		if nm.reading {
			continue
		}
		ix.nDocs++
		for ti, t := range nm.nf.toks {
			dup := false
			for _, u := range nm.nf.toks[:ti] {
				if u.fold == t.fold {
					dup = true
					break
				}
			}
			if !dup {
				ix.df[t.fold]++
			}
		}
	}
	spellKeys := map[string]bool{}
	ix.idfCap = math.Log(float64(max(ix.nDocs, 4)) / 2)
	// Weights and runs of words, in parallel: the document frequencies are
	// read only.
	for w := range workers {
		wg.Go(func() {
			for ni := w; ni < len(ix.names); ni += workers {
				nm := &ix.names[ni]
				for ti := range nm.nf.toks {
					nm.nf.toks[ti].w = ix.weight(&nm.nf.toks[ti])
					nm.wsum += nm.nf.toks[ti].w
				}
				nm.spans = makeSpans(nm.nf.toks)
			}
		})
	}
	wg.Wait()
	for ni := range ix.names {
		nm := &ix.names[ni]
		post := func(k string) {
			p := ix.keys[k]
			if len(p) == 0 || p[len(p)-1] != int32(ni) {
				ix.keys[k] = append(p, int32(ni))
			}
		}
		for _, t := range nm.nf.toks {
			post(t.fold)
			if t.s != t.fold && t.kind != tokNumber {
				post(t.s)
				spellKeys[t.s] = true
			}
		}
		for _, sp := range nm.spans {
			post(sp.fold)
		}
		// A name in Latin letters is also found by its consonants, as a
		// name read from Arabic script, which does not write short vowels,
		// is spelled (mhmd finds Mohammed).
		if !nm.nf.arabic {
			postC := func(k string) {
				if p := ix.consonantKeys[k]; len(p) == 0 || p[len(p)-1] != int32(ni) {
					ix.consonantKeys[k] = append(p, int32(ni))
				}
			}
			for _, t := range nm.nf.toks {
				if t.kind != tokNumber {
					if k := consonantKey(t.s); k != "" {
						postC(k)
					}
				}
			}
			for _, sp := range nm.spans {
				if k := consonantKey(sp.s); k != "" {
					postC(k)
				}
			}
		}
		if k := initialsKey(&nm.nf, len(nm.nf.jfold)); k != "" {
			if p := ix.initials[k]; len(p) == 0 || p[len(p)-1] != int32(ni) {
				ix.initials[k] = append(p, int32(ni))
			}
		}
	}
	for k := range ix.df {
		spellKeys[k] = true
	}
	ix.dels = make([]delEntry, 0, 8*len(spellKeys))
	sorted := make([]string, 0, len(spellKeys))
	for k := range spellKeys {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted) // the same index, and the same results, on every run
	for _, k := range sorted {
		if len(k) < minFuzzyLen || len(k) > 64 || !isASCII(k) {
			continue
		}
		ki := int32(len(ix.spell))
		ix.spell = append(ix.spell, k)
		var arr [64]byte
		for i := 0; i < len(k); i++ {
			if i > 0 && k[i] == k[i-1] {
				continue
			}
			h := hashKey(append(append(arr[:0], k[:i]...), k[i+1:]...))
			ix.dels = append(ix.dels, delEntry{h, ki})
		}
	}
	// One sorted slice instead of a map of small slices: far fewer
	// allocations to build, a binary search to read.
	slices.SortFunc(ix.dels, func(a, b delEntry) int {
		if a.hash != b.hash {
			if a.hash < b.hash {
				return -1
			}
			return 1
		}
		return int(a.key - b.key)
	})
	ix.pool.New = func() any {
		return &scratch{acc: make([]float32, len(ix.names)), gen: make([]float32, len(ix.names)), stamp: make([]int32, len(ix.names))}
	}
	return ix
}

// compareEntries orders entries by list (UN first) and id.
func compareEntries(a, b Entry) int {
	if c := listRank(a.List) - listRank(b.List); c != 0 {
		return c
	}
	if c := strings.Compare(a.List, b.List); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// entryNames prepares an entry's names: the primary name, the aliases, and
// each without a trailing parenthesised acronym ("DAEDONG CREDIT BANK (DCB)").
func entryNames(e *Entry, ei int32) []indexedName {
	person := e.Kind == Individual
	var out []indexedName
	var seen []string
	var addNorm func(raw, q, norm string, reading, arabic bool)
	add := func(raw, q string) { addNorm(raw, q, Normalize(raw), false, false) }
	addNorm = func(raw, q, norm string, reading, arabic bool) {
		if norm == "" || slices.Contains(seen, norm) {
			return
		}
		seen = append(seen, norm)
		nf := parseName(norm, person)
		nf.arabic = arabic
		if len(nf.toks) == 0 {
			return
		}
		out = append(out, indexedName{entry: ei, quality: q, raw: raw, nf: nf, reading: reading})
	}
	// A name written in Hangul, Chinese characters or Cyrillic is also
	// indexed in its Latin readings, so that the traditional characters
	// of a listed name meet the simplified ones of a query, and Latin
	// spellings meet it too.
	addRead := func(raw, q string) {
		add(raw, q)
		for _, r := range written.Readings(written.Clean(raw), nameDict, written.Names) {
			if r.System != written.LookAlikeSystem {
				addNorm(raw, q, Normalize(r.Text), true, r.System == written.ArabicLetters)
			}
		}
	}
	addRead(e.Name, "")
	for _, a := range e.Aliases {
		addRead(a.Name, a.Quality)
	}
	// "DAEDONG CREDIT BANK (DCB)", "Jin Tiesan (金铁三)": the name without the
	// bracketed part, and the bracketed part alone.
	for _, n := range append([]Alias{{Name: e.Name}}, e.Aliases...) {
		t := strings.TrimSpace(n.Name)
		if i := strings.LastIndexByte(t, '('); i > 0 && strings.HasSuffix(t, ")") {
			addRead(strings.TrimSpace(t[:i]), n.Quality)
			addRead(t[i+1:len(t)-1], n.Quality)
		}
	}
	return out
}

// consonantKey is the key of a word's consonants (consonants) in
// consonantKeys, when it has two or more, or one in a word of at most four
// letters (ly, Ali: consonantSim pairs such words only when both are that
// short).
func consonantKey(w string) string {
	c := consonants(w)
	if len(c) == 0 || len(c) == 1 && (len(w) > 4 || w == "al" || w == "el") {
		// the article al-, el- finds no name of its own
		return ""
	}
	return c
}

// minFuzzyLen is the shortest key matched with a spelling difference: short
// Korean syllables differ by one letter from many others.
const minFuzzyLen = 5

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// delEntry says that deleting one letter of spell key number key gives a
// string with this hash.
type delEntry struct {
	hash uint64
	key  int32
}

// deleted returns the entries with hash h.
func (ix *Index) deleted(h uint64) []delEntry {
	i, _ := slices.BinarySearchFunc(ix.dels, h, func(e delEntry, h uint64) int {
		switch {
		case e.hash < h:
			return -1
		case e.hash > h:
			return 1
		}
		return 0
	})
	j := i
	for j < len(ix.dels) && ix.dels[j].hash == h {
		j++
	}
	return ix.dels[i:j]
}

// hashKey is FNV-1a. Keys that collide are told apart by the edit distance
// check that follows every look-up.
func hashKey(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func appendUnique(list []int32, v int32) []int32 {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// compactID is a document number without spaces, dashes, dots or slashes, in
// upper case.
func compactID(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// weight of a word: generic words and place names weigh little, and so do
// words that many listed names share (by inverse document frequency).
func (ix *Index) weight(t *token) float32 {
	base := 1.0
	switch t.kind {
	case tokGeneric:
		base = 0.3
	case tokPlace:
		base = 0.35
	case tokNumber:
		base = 0.7
	}
	df := ix.df[t.fold]
	f := 1.0
	if df > 0 && ix.idfCap > 0 {
		f = 0.35 + 0.65*math.Min(1, math.Log(float64(ix.nDocs)/float64(df))/ix.idfCap)
	}
	return float32(base * f)
}

// makeSpans returns the runs of two and three words of a name, and the whole
// name when it has more words.
func makeSpans(toks []token) []span {
	n := len(toks)
	if n < 2 {
		return nil
	}
	size := n - 1 + max(n-2, 0)
	if n > 3 {
		size++
	}
	out := make([]span, 0, size)
	for i := 0; i < len(toks); i++ {
		for j := i + 2; j <= len(toks); j++ {
			if j > i+3 && !(i == 0 && j == len(toks)) {
				continue
			}
			var s string
			var w float32
			switch j - i {
			case 2:
				s = toks[i].s + toks[i+1].s
			case 3:
				s = toks[i].s + toks[i+1].s + toks[i+2].s
			default:
				s = joinToks(toks[i:j])
				s = strings.ReplaceAll(s, " ", "")
			}
			for _, t := range toks[i:j] {
				w += t.w
			}
			f := fold(s)
			out = append(out, span{i: int8(i), j: int8(j), s: s, fold: f, w: w, m: [2]uint32{letterMask(s), letterMask(f)}})
		}
	}
	return out
}

func joinFold(toks []token) string {
	var s strings.Builder
	for _, t := range toks {
		s.WriteString(t.s)
	}
	return fold(s.String())
}

// candidates returns the names most worth scoring for a query: those that
// share the most weight of query words, joined words or near spellings.
func (ix *Index) candidates(q *nameForm, qspans []span, sc *scratch, limit int, allow func(int32) bool) []cand {
	sc.touched = sc.touched[:0]
	onlyWeak := true
	for _, t := range q.toks {
		if t.kind == tokName || t.kind == tokNumber {
			onlyWeak = false
		}
	}
	hit := func(ns []int32, w float32) {
		if sc.unit == math.MaxInt32 {
			clear(sc.stamp)
			sc.unit = 0
		}
		sc.unit++
		u := sc.unit
		for _, n := range ns {
			if sc.stamp[n] == u {
				continue
			}
			if sc.acc[n] == 0 {
				sc.touched = append(sc.touched, n)
			}
			sc.stamp[n] = u
			sc.acc[n] += w
		}
	}
	for _, t := range q.toks {
		if !onlyWeak && (t.kind == tokGeneric || t.kind == tokPlace) {
			continue
		}
		if p, ok := ix.keys[t.fold]; ok {
			hit(p, t.w)
		}
		if t.s != t.fold {
			if p, ok := ix.keys[t.s]; ok {
				hit(p, t.w)
			}
		}
		if len(t.fold) >= minFuzzyLen && t.kind != tokNumber && isASCII(t.fold) {
			near := ix.nearKeys(t.fold)
			// The letters as written, when the phonetic key finds nothing
			// near: a transposed "ch" breaks the key, not the letters.
			if t.s != t.fold && len(near) == 0 {
				near = ix.nearKeys(t.s)
			}
			for _, k := range near {
				hit(ix.keys[k], t.w*0.8)
			}
		}
	}
	for _, sp := range qspans {
		if p, ok := ix.keys[sp.fold]; ok {
			hit(p, sp.w)
		}
	}
	// A name read from Arabic script finds Latin names by its consonants.
	if q.arabic {
		for _, t := range q.toks {
			if k := consonantKey(t.s); k != "" && (onlyWeak || t.kind == tokName) {
				hit(ix.consonantKeys[k], t.w)
			}
		}
		for _, sp := range qspans {
			if k := consonantKey(sp.s); k != "" {
				hit(ix.consonantKeys[k], sp.w)
			}
		}
	}
	// Names of as many words with the same first letters and about as
	// many letters: two words each one letter off ("Kin Yonh Chol").
	// Their weight is a token: it ranks a name that shares a word above
	// one that does not, and leaves the bound on the score to the words (a
	// name found so is aligned when wholeNear2 says it may pair).
	if n := len(q.toks); n >= 2 && n <= 4 && len(q.jfold) >= 9 {
		const wq = 0.01
		var buf [24]byte
		for l := len(q.jfold) - 2; l <= len(q.jfold)+2; l++ {
			k := appendInitialsKey(buf[:0], q, l)
			if k == nil {
				break
			}
			if p, ok := ix.initials[string(k)]; ok {
				hit(p, wq)
			}
		}
	}
	// Generic words and places find no names of their own, but among the
	// names found they rank those that share them first: "Daesong Trading"
	// prefers HESONG TRADING to DAEDONG CREDIT BANK when both are one
	// letter from Daesong.
	// They rank the names, and leave the bound on the score (acc) to the
	// name words, as before.
	hasGen := false
	if !onlyWeak {
		for _, t := range q.toks {
			if t.kind != tokGeneric && t.kind != tokPlace {
				continue
			}
			hasGen = true
			for _, n := range sc.touched {
				for _, ct := range ix.names[n].nf.toks {
					if ct.fold == t.fold {
						sc.gen[n] += t.w
						break
					}
				}
			}
		}
	}
	out := sc.cands[:0]
	cands := sc.touched
	if allow != nil {
		k := 0
		for _, n := range cands {
			if allow(n) {
				cands[k] = n
				k++
			} else {
				sc.acc[n], sc.gen[n] = 0, 0
			}
		}
		cands = cands[:k]
	}
	// The best limit names by shared weight (ties to the lower name index),
	// kept sorted by insertion: cheaper than sorting thousands of names that
	// share a common word such as Kim.
	better := func(a, b cand) bool { return a.rank > b.rank || a.rank == b.rank && a.name < b.name }
	for _, n := range cands {
		c := cand{n, sc.acc[n], sc.acc[n] + sc.gen[n]}
		if len(out) == limit && !better(c, out[limit-1]) {
			continue
		}
		if len(out) < limit {
			out = append(out, c)
		}
		i := len(out) - 1
		for ; i > 0 && better(c, out[i-1]); i-- {
			out[i] = out[i-1]
		}
		out[i] = c
	}
	for _, n := range sc.touched {
		sc.acc[n] = 0
	}
	if hasGen {
		for _, n := range sc.touched {
			sc.gen[n] = 0
		}
	}
	sc.cands = out
	return out
}

// cand is a name worth scoring and the query weight it shares.
type cand struct {
	name int32
	acc  float32 // the weight of the query's name words it shares: the bound on its score
	rank float32 // acc and the weight of the query's generic words it shares
}

// fuzzyKeys returns the indexed keys one edit (a deletion, an insertion, a
// substitution or a transposition) from k, k itself excluded. It appends to
// out, which it returns.
func (ix *Index) fuzzyKeys(k string, out []string) []string {
	addKey := func(c string) {
		if c == k {
			return
		}
		for _, o := range out {
			if o == c {
				return
			}
		}
		if editDistance(k, c, 1) <= 1 {
			out = append(out, c)
		}
	}
	for _, c := range ix.deleted(hashKey([]byte(k))) {
		addKey(ix.spell[c.key])
	}
	var arr [64]byte
	if len(k) > len(arr) {
		return out
	}
	for i := 0; i < len(k); i++ {
		if i > 0 && k[i] == k[i-1] {
			continue
		}
		b := append(append(arr[:0], k[:i]...), k[i+1:]...)
		if _, ok := ix.keys[string(b)]; ok {
			addKey(string(b))
		}
		for _, c := range ix.deleted(hashKey(b)) {
			addKey(ix.spell[c.key])
		}
	}
	return out
}

// editDistance is the optimal-string-alignment distance between a and b, or
// limit+1 as soon as it is certain to exceed limit.
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if len(a) > 32 || len(b) > 32 {
		if a == b {
			return 0
		}
		return limit + 1
	}
	var rows [3][33]int
	p2, p1, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		p1[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(p1[j]+1, cur[j-1]+1, p1[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, p2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > limit {
			return limit + 1
		}
		p2, p1, cur = p1, cur, p2
	}
	return p1[len(b)]
}

// initialsKey is the index key of a name of two to four name words by the
// first letters of their phonetic keys and a length of the name written
// together ("" for other names): the names wholeNear2 may pair.
func initialsKey(nf *nameForm, length int) string {
	var buf [24]byte
	return string(appendInitialsKey(buf[:0], nf, length))
}

// appendInitialsKey appends initialsKey to b; nil when the name has none.
func appendInitialsKey(b []byte, nf *nameForm, length int) []byte {
	n := len(nf.toks)
	if n < 2 || n > 4 || length < 9 || length > 40 {
		return nil
	}
	b = append(b, '#')
	for i := range nf.toks {
		t := &nf.toks[i]
		if t.kind != tokName || t.fold == "" || t.fold[0] >= 0x80 {
			return nil
		}
		b = append(b, t.fold[0])
	}
	return strconv.AppendInt(b, int64(length), 10)
}
