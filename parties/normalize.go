package parties

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan/written"
)

// Token kinds weigh differently in a score: generic words ("trading",
// "international") and place prefixes ("Dandong") say little about who a
// party is.
const (
	tokName uint8 = iota
	tokGeneric
	tokPlace
	tokNumber
)

// apostrophes are dropped inside words: McCune-Reischauer marks aspiration
// with one (Ch'ŏl), and Arabic names carry ʿayn and hamza.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '\u2019', '\u2018', '\u02bc', '\u02bb', '\u02bf', '\u02be', '`', '\u00b4', '\u02b9':
		return true
	}
	return false
}

// Normalize returns the comparison form of a name: the text as package
// written reads it (NFKC, no invisible characters, look-alike letters among
// Latin ones read as Latin), letters folded to their base letters (ŏ → o,
// é → e; Hangul and Han kept), lower case,
// apostrophes removed, abbreviation dots closed up ("S.A." → "sa"), every
// other punctuation mark a space, spaces collapsed. It is the query key that
// recorded decisions are filed under.
func Normalize(s string) string {
	s = written.Clean(s)
	s = splitGlued(s)
	if !written.IsASCII(s) {
		s = written.Fold(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // at the start or after a space
	prevSingle := false
	for i, r := range s {
		if r < utf8.RuneSelf && r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			// A single letter followed by a dot is an abbreviation (S.A., a.k.a.).
			prevSingle = space || prevSingle && i > 0 && s[i-1] == '.'
			space = false
		case isApostrophe(r):
			// dropped: Ch'ol → chol
		case r == '.' && prevSingle && !space:
			// close up abbreviations: s.a. → sa
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
			prevSingle = false
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// token is one word of a name, ready to compare.
type token struct {
	s     string    // normalised
	fold  string    // phonetic key (see fold)
	canon string    // equivalence-table class ("" when none)
	kind  uint8     // tokName, tokGeneric, tokPlace, tokNumber
	w     float32   // weight in the score
	m     [2]uint32 // letter masks of s and fold
}

// nameForm is a name split into tokens, its legal form set aside.
type nameForm struct {
	norm   string // Normalize(name)
	toks   []token
	legal  string // the legal-form class, "" when none
	lspec  string // the one legal form it is (legalSpecific), "" for the loose forms
	person bool
	arabic bool   // read from Arabic script: its words are compared by their consonants
	lraw   string // the legal form as written, normalised
	jfold  string // the phonetic key of all words written together
	jmask  uint32 // its letter mask
}

const maxTokens = 12

// parseName splits a normalised name into tokens, removing legal forms
// (which are kept as the name's legal class) and stop words.
func parseName(n string, person bool) nameForm {
	nf := nameForm{norm: n, person: person}
	words := strings.Fields(n)
	if !person {
		words = rewriteWords(words)
		// A legal form written before the name (OOO Romashka).
		if len(words) > 1 && leadingLegal[words[0]] {
			nf.legal, nf.lspec, nf.lraw = legalForms[words[0]], legalSpecific[words[0]], words[0]
			words = words[1:]
		} else if cls, k := legalFormStart(words); k > 0 && k < len(words) {
			nf.lraw = strings.Join(words[:k], " ")
			nf.legal, nf.lspec = cls, legalSpecific[nf.lraw]
			words = words[k:]
		}
		// A leading country word moved after the legal form: "Ryonbong
		// General Corporation Korea" is "Korea Ryonbong General Corporation".
		if l := len(words); l > 2 && countryWords[words[l-1]] {
			if _, k := legalFormEnding(words[:l-1]); k > 0 && k < l-1 {
				words = append([]string{words[l-1]}, words[:l-1]...)
			}
		}
	}
	// Legal forms are read at the end of a name only ("... Trading Co., Ltd."),
	// so that a syllable such as "Sa" or "Co" inside a name stays a word.
	end := len(words)
	for end > 1 && !person {
		cls, k := legalFormEnding(words[:end])
		if k == 0 || k >= end {
			break
		}
		nf.legal = cls
		nf.lraw = strings.Join(words[end-k:], " ")
		if nf.lspec == "" {
			nf.lspec = legalSpecific[nf.lraw]
		}
		end -= k
	}
	kept := words[:end]
	if len(kept) > maxTokens {
		kept = kept[:maxTokens]
	}
	nf.toks = make([]token, len(kept))
	for i, w := range kept {
		nf.toks[i] = makeToken(w)
	}
	nf.jfold = joinFold(nf.toks)
	nf.jmask = letterMask(nf.jfold)
	return nf
}

func makeToken(w string) token {
	t := token{s: w, kind: tokName}
	if isNumber(w) {
		t.kind, t.fold = tokNumber, w
	} else if info, ok := wordTable[w]; ok {
		t.canon, t.kind, t.fold = info.canon, info.kind, info.fold
	} else {
		t.fold = fold(w)
		// Another romanisation of a word the tables know (Revised
		// Romanization gaebal for kaebal, development): its class.
		if info, ok := foldTable[t.fold]; ok {
			t.canon, t.kind, t.fold = info.canon, info.kind, info.fold
		}
	}
	t.m = [2]uint32{letterMask(t.s), letterMask(t.fold)}
	return t
}

// foldTable maps the phonetic keys of the words of the word table (not the
// family names, which are short and many) to their class, where a key of
// five letters or more belongs to one class only.
var foldTable = func() map[string]wordInfo {
	m := map[string]wordInfo{}
	bad := map[string]bool{}
	for w, info := range wordTable {
		if info.canon == "" || surnameClass[w] != "" {
			continue
		}
		k := fold(w)
		if len(k) < 5 || bad[k] {
			continue
		}
		if o, ok := m[k]; ok && o.canon != info.canon {
			delete(m, k)
			bad[k] = true
			continue
		}
		m[k] = info
	}
	return m
}()

// wordInfo is what the tables say of one word: its class, kind and key.
type wordInfo struct {
	canon string
	kind  uint8
	fold  string
}

// wordTable merges the tables into one look-up per word.
var wordTable = func() map[string]wordInfo {
	m := map[string]wordInfo{}
	add := func(w string) {
		if _, done := m[w]; done {
			return
		}
		info := wordInfo{kind: tokName}
		if c, ok := surnameClass[w]; ok {
			info.canon = c
		} else if c, ok := wordClass[w]; ok {
			info.canon = c
		}
		switch {
		case genericWords[w] || genericWords[info.canon]:
			info.kind = tokGeneric
		case placeNames[w]:
			info.kind = tokPlace
		}
		if info.canon != "" {
			info.fold = fold(info.canon)
		} else {
			info.fold = fold(w)
		}
		m[w] = info
	}
	for w := range surnameClass {
		add(w)
	}
	for w := range wordClass {
		add(w)
	}
	for w := range genericWords {
		add(w)
	}
	for w := range placeNames {
		add(w)
	}
	return m
}()

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// fold returns a token's phonetic key, which merges the spellings that the
// romanisation systems of Korean (McCune-Reischauer, Revised, and their
// everyday variants) give to one syllable: eo/ŏ → o, eu/ŭ → u, oo → u,
// ee → i, ae/ai → e, sh → s, ch → j, k, kh and a final c → g, t → d,
// p → b, r → l, and doubled letters once. Non-Latin tokens are returned as they are.
func fold(s string) string {
	var arr [64]byte
	b := arr[:0]
	start := 0
	// The DPRK writes an initial ㄹ where the South writes none: ryonhap,
	// yonhap (련합, 연합); ryo, yo; and an initial ㄴ before y likewise.
	if len(s) > 2 && (s[0] == 'r' || s[0] == 'l' || s[0] == 'n') && s[1] == 'y' && isVowel(s[2]) {
		start = 1
	}
	// Russian endings -ий, -ый and their spellings -iy, -ii, -ij, -yy are y
	// in the lists' everyday forms (Arkadiy, Arkady).
	end := len(s)
	if end > 4 && s[end-2] != s[end-3] && (s[end-2:] == "iy" || s[end-2:] == "ii" || s[end-2:] == "ij" || s[end-2:] == "yy") {
		end--
	}
	if start > 0 || end < len(s) {
		t := s[start:end]
		if end < len(s) {
			t = s[start:end-1] + "y"
		}
		s = t
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return s
		}
		var next byte
		if i+1 < len(s) {
			next = s[i+1]
		}
		switch {
		case c == 'e' && next == 'o':
			c = 'o'
			i++
		case c == 'e' && next == 'u':
			c = 'u'
			i++
		case c == 'o' && next == 'o':
			c = 'u'
			i++
		case c == 'e' && next == 'e':
			c = 'i'
			i++
		case c == 'a' && (next == 'e' || next == 'i'):
			c = 'e'
			i++
		case c == 's' && next == 'h':
			c = 's'
			i++
		case c == 'c' && next == 'h':
			c = 'j'
			i++
		case c == 'k' && next == 'h':
			// Cyrillic х: kh (BGN/PCGN), h, or k-like c in brand names (Ростех, ROSTEC)
			c = 'g'
			i++
		case c == 'c' && i == len(s)-1 && i > 0:
			// a final c is the k of Cyrillic х or к in brand names (Ростех, ROSTEC);
			// inside a word it stays (Marco is not Margo)
			c = 'g'
		case c == 'k':
			c = 'g'
		case c == 't':
			c = 'd'
		case c == 'p':
			c = 'b'
		case c == 'r':
			c = 'l'
		}
		if n := len(b); n > 0 && b[n-1] == c {
			continue
		}
		b = append(b, c)
	}
	if string(b) == s { // compared without a copy
		return s
	}
	return string(b)
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// legalFormEnding reports the longest legal form that ends words: its class
// and how many words it spans (0 when none).
func legalFormEnding(words []string) (string, int) {
	if len(words) == 0 || !legalEdges.last[words[len(words)-1]] {
		return "", 0
	}
	for k := 5; k >= 1; k-- {
		if k > len(words) || !legalEdges.first[words[len(words)-k]] {
			continue
		}
		if cls, ok := legalForms[strings.Join(words[len(words)-k:], " ")]; ok {
			return cls, k
		}
	}
	return "", 0
}

// legalEdges are the first and last words of the legal forms: a name whose
// last word is none of them ends in no legal form, with no words joined to
// look.
var legalEdges = func() (e struct{ first, last map[string]bool }) {
	_ = wordClass // which adds the romanised Korean and Chinese legal forms to legalForms first
	e.first, e.last = map[string]bool{}, map[string]bool{}
	for f := range legalForms {
		ws := strings.Fields(f)
		e.first[ws[0]] = true
		e.last[ws[len(ws)-1]] = true
	}
	return e
}()

// gluedForms are legal forms written onto a name without a space, told by
// their capital after a small letter: SiemensAG, AcmeGmbH, RomashkaOOO.
var gluedForms = []string{"AG", "GmbH", "GMBH", "SA", "SRL", "Srl", "SARL", "LLC", "Llc", "Ltd", "LTD", "Inc", "INC",
	"Corp", "CORP", "PLC", "Plc", "BV", "NV", "SpA", "SPA", "OOO", "JSC", "PJSC", "KG", "LLP", "AB", "AS", "Oy", "KK"}

// splitGlued writes a space before a legal form glued to a name.
func splitGlued(s string) string {
	for i := 1; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' || s[i-1] < 'a' || s[i-1] > 'z' {
			continue
		}
		// s[i] starts a capital after a small letter: a legal form up to the
		// end of the word, after at least three letters of name?
		start := i - 1
		for start > 0 && s[start-1] != ' ' {
			start--
		}
		if i-start < 3 {
			continue
		}
		end := i
		for end < len(s) && s[end] != ' ' && s[end] != ',' && s[end] != '.' && s[end] != ')' {
			end++
		}
		if slices.Contains(gluedForms, s[i:end]) {
			return s[:i] + " " + splitGlued(s[i:])
		}
	}
	return s
}

// legalFormStart reports a legal form written out in words before a name
// (Obshchestvo s ogranichennoy otvetstvennostyu Romashka): its class and
// how many words it spans (0 when none).
func legalFormStart(words []string) (string, int) {
	if len(words) < 3 || !legalStartWords[words[0]] {
		return "", 0
	}
	for k := 5; k >= 2; k-- {
		if k > len(words) {
			continue
		}
		p := strings.Join(words[:k], " ")
		if _, ok := legalSpelledOut[p]; ok {
			return legalForms[p], k
		}
	}
	return "", 0
}

// legalStartWords are the first words of the legal forms written out.
var legalStartWords = func() map[string]bool {
	m := map[string]bool{}
	for f := range legalSpelledOut {
		m[strings.Fields(f)[0]] = true
	}
	return m
}()
