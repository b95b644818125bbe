package hs

import (
	"slices"
	"strings"
	"unicode"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/written"
)

// stopwords carry no goods meaning: packing, quantities, trade terms. They
// still join phrases ("in brine") but count for nothing on their own.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the of and or for in on with without to from by at as per
		kg kgs kgm g gr gram grams lb lbs mt mts ton tons tonne tonnes t pc pcs piece pieces unit units
		set sets pair pairs ctn ctns carton cartons box boxes bag bags bale bales drum drums bundle bundles
		roll rolls sack sacks case cases lot lots pallet pallets container containers fcl lcl qty quantity
		approx approximately about total net gross weight nw gw no nos number size sizes assorted various
		grade quality premium standard export exports import imports brand model type style item items
		goods product products origin made china korea dprk prc chinese korean best good high fine
		etc ie eg incl including x cif fob cfr exw usd rmb cny eur value hs code`) {
		m[w] = true
	}
	return m
}()

// tokens splits text into lower-case words of letters and digits, with
// accents and case folded. Hangul and Han characters stay as words.
func tokens(s string) []string { return appendTokens(nil, s) }

// appendTokens appends the words of s, as tokens splits them, to dst.
func appendTokens(dst []string, s string) []string {
	if t, ok := asciiTokens(dst, s); ok {
		return t
	}
	return append(dst, unicodeTokens(s)...)
}

// unicodeTokens reads text that is not all ASCII through package written
// (NFKC, invisibles removed, look-alike letters read as Latin, the words of
// Korean, Chinese and Russian read through goodsWords, the rest romanised)
// and splits it into words, accents folded; apostrophes inside a word are
// dropped ("men’s" -> "mens").
func unicodeTokens(s string) []string {
	s = written.Fold(readText(s))
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// goodsWords reads the words of Korean, Chinese and Russian goods
// descriptions as the English words of the lexicon (data/words.tsv).
var goodsWords = func() *written.Dictionary {
	m, err := parseGoodsWords(mustRead("data/words.tsv"))
	if err != nil {
		panic(err) // the embedded table is tested
	}
	return written.NewDictionary(m)
}()

const wordsFile = "hs/data/words.tsv"

func parseGoodsWords(data []byte) (map[string]string, error) {
	m := map[string]string{}
	var ps tradeplan.Problems
	tsvRows(data, func(line int, f []string) {
		pos := tradeplan.Position{File: wordsFile, Line: line}
		if len(f) != 2 || strings.TrimSpace(f[0]) == "" || !hasWord(f[1]) {
			ps.Add(pos, "", "want WORD<TAB>READING, got %q", strings.Join(f, "\t"))
			return
		}
		w := strings.TrimSpace(f[0])
		if _, dup := m[w]; dup {
			ps.Add(pos, "word", "word %q given twice", w)
			return
		}
		m[w] = strings.TrimSpace(f[1])
	})
	if err := ps.Err("goods words"); err != nil {
		return nil, err
	}
	return m, nil
}

func mustRead(name string) []byte {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

// readText is a description as the classifier reads it: written.Clean, and
// its Korean, Chinese and Russian words read through goodsWords.
func readText(s string) string {
	s = written.Clean(s)
	if !written.NeedsReading(s) {
		return s
	}
	return written.Readings(s, goodsWords, written.Goods)[0].Text
}

// ReadingNote says how a description in Korean, Chinese or Russian was
// read, naming each word read (`Hangul read as “salted pollack” (Revised
// Romanization): 염장 = salted, 명태 = pollack`); "" for a description read
// as written.
func ReadingNote(s string) string {
	if written.IsASCII(s) {
		return ""
	}
	s = written.Clean(s)
	if !written.NeedsReading(s) {
		return ""
	}
	r := written.Readings(s, goodsWords, written.Goods)[0]
	note := r.Describe()
	if len(r.Unknown) > 0 {
		note += "; not read: " + strings.Join(r.Unknown, ", ")
	}
	return note
}

// stem folds plurals so that "mushrooms" meets "mushroom". It is applied to
// the lexicon, the titles and the description alike, so it need only be
// consistent, not linguistically right.
func stem(w string) string {
	n := len(w)
	if n <= 3 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && n > 4:
		return w[:n-3] + "y"
	case strings.HasSuffix(w, "sses"):
		return w[:n-2]
	case strings.HasSuffix(w, "oes") && n > 4:
		return w[:n-2]
	case strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "xes"):
		return w[:n-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"), strings.HasSuffix(w, "ys"):
		return w
	case w[n-1] == 's':
		return w[:n-1]
	}
	return w
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return true
		}
	}
	return false
}

// normWords tokenises and stems: the form in which every text is indexed.
func normWords(s string) []string {
	ts := tokens(s)
	for i, t := range ts {
		ts[i] = stem(t)
	}
	return ts
}

// asciiTokens is the fast path of tokens for ASCII text, appending to dst:
// one copy of the text, lower-cased, and words sliced out of it.
func asciiTokens(dst []string, s string) ([]string, bool) {
	var arr [128]byte // most descriptions are short: lower-cased on the stack
	b := arr[:0]
	if len(s) > len(arr) {
		b = make([]byte, 0, len(s))
	}
	words := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 128:
			return dst, false
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			if len(b) == 0 || b[len(b)-1] == ' ' {
				words++
			}
			b = append(b, c)
		case c == '\'':
		default:
			if len(b) > 0 && b[len(b)-1] != ' ' {
				b = append(b, ' ')
			}
		}
	}
	t := string(b)
	dst = slices.Grow(dst, words)
	for len(t) > 0 {
		i := strings.IndexByte(t, ' ')
		if i < 0 {
			return append(dst, t), true
		}
		dst, t = append(dst, t[:i]), t[i+1:]
	}
	return dst, true
}

// hasWord reports whether normWords(s) would find a word: a letter or digit.
func hasWord(s string) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return true
		}
		if r >= 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return true
		}
	}
	return false
}

// appendNormIDs appends to dst the ids of the words of s as normWords reads
// them, through wordID; keep filters the words. For ASCII text it builds no
// strings except for words new to the vocabulary: the index is built from
// some 40,000 short texts.
func (c *Classifier) appendNormIDs(dst []int32, s string, add bool, keep wordFilter) []int32 {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 128 {
			ascii = false
			break
		}
	}
	if !ascii {
		for _, w := range normWords(s) {
			if keep.keep([]byte(w)) {
				dst = append(dst, c.wordID(w, add))
			}
		}
		return dst
	}
	var arr [64]byte
	buf := arr[:0]
	flush := func() {
		if len(buf) == 0 {
			return
		}
		w := stemBytes(buf)
		// the string conversion in the map lookup does not allocate
		id, ok := c.vocab[string(w)]
		switch {
		case !keep.keep(w):
		case ok:
			dst = append(dst, id)
		default:
			dst = append(dst, c.wordID(string(w), add))
		}
		buf = buf[:0]
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case b >= 'a' && b <= 'z' || b >= '0' && b <= '9':
			buf = append(buf, b)
		case b >= 'A' && b <= 'Z':
			buf = append(buf, b+'a'-'A')
		case b == '\'':
		default:
			flush()
		}
	}
	flush()
	return dst
}

// stemBytes is stem on a word held in a buffer of its own, which it may
// change.
func stemBytes(w []byte) []byte {
	n := len(w)
	if n <= 3 {
		return w
	}
	has := func(suf string) bool { return n >= len(suf) && string(w[n-len(suf):]) == suf }
	switch {
	case has("ies") && n > 4:
		w[n-3] = 'y'
		return w[:n-2]
	case has("sses"):
		return w[:n-2]
	case has("oes") && n > 4:
		return w[:n-2]
	case has("ches"), has("shes"), has("xes"):
		return w[:n-2]
	case has("ss"), has("us"), has("is"), has("ys"):
		return w
	case w[n-1] == 's':
		return w[:n-1]
	}
	return w
}
