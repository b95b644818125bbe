// Package written reads text as it is really written, for every matcher of
// tradeplan (party and vessel names, goods descriptions): it applies Unicode
// NFKC, removes invisible and control characters, reads letters of another
// script that look Latin among Latin letters as the Latin letters they look
// like (the UTS #39 confusable prototypes, from go.mau.fi/util/confusable,
// which is generated from Unicode's confusables.txt), and transliterates
// Hangul, Chinese characters and Cyrillic to Latin. What it changed that a
// person should see (mixed scripts, look-alike letters, styled letters,
// hidden characters) is returned as findings, with the text as written and
// as read. It is pure and imports nothing of the project.
package written

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"go.mau.fi/util/confusable"
	"golang.org/x/text/unicode/norm"
)

// Text is a text as written and as read.
type Text struct {
	Written string // as given
	// Read is Written in NFKC, without invisible and control characters
	// (controls that separate words become spaces), with look-alike letters
	// among Latin letters read as Latin. Case and accents are kept.
	Read     string
	Findings []Finding
}

// Finding is something about how a text is written that a reviewer must
// see: it changes what the text is read as.
type Finding struct {
	Code    string // one of the Code constants
	Message string // in words, with the text as written and as read
}

// Finding codes.
const (
	MixedScripts = "mixed-scripts" // a word mixes Latin letters with look-alikes of another script
	LookAlike    = "look-alike"    // a word in another script's letters that look Latin, among Latin words
	Styled       = "styled"        // fullwidth, mathematical or other compatibility letters
	Hidden       = "hidden"        // invisible or control characters inside the text
)

// Changed reports whether the reading differs from the text as written in a
// way that a finding records.
func (t Text) Changed() bool { return len(t.Findings) > 0 }

// Summary is the findings in one sentence, "" when none.
func (t Text) Summary() string {
	if len(t.Findings) == 0 {
		return ""
	}
	ms := make([]string, len(t.Findings))
	for i, f := range t.Findings {
		ms[i] = f.Message
	}
	return strings.Join(ms, "; ")
}

// Headline says in a few words what is odd in how a text is written:
// "mixes Latin and Cyrillic letters", "is written in styled letters".
func (t Text) Headline() string {
	var parts []string
	for _, f := range t.Findings {
		var p string
		switch f.Code {
		case MixedScripts, LookAlike:
			var others []string
			for _, sc := range Scripts(t.Written) {
				if sc != Latin {
					others = append(others, sc)
				}
			}
			p = "mixes Latin and " + strings.Join(others, " and ") + " letters"
		case Styled:
			p = "is written in styled letters"
		case Hidden:
			p = "hides invisible characters"
		}
		if !contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " and ")
}

// IsASCII reports whether s is all ASCII.
func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// plainASCII reports whether s is printable ASCII (spaces allowed): such a
// text reads as itself.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// Read reads s. Printable ASCII takes a fast path: it is read as written,
// without allocating.
func Read(s string) Text {
	if plainASCII(s) {
		return Text{Written: s, Read: s}
	}
	t := Text{Written: s}
	// Invisible and control characters.
	hidden := 0
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(0)
	for i, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85:
			b.WriteByte(' ')
		case r == utf8.RuneError || unicode.Is(unicode.Cc, r) || invisible(r):
			// The zero-width joiners shape letters of Arabic and Indic
			// scripts: removed there without a finding.
			if r == 0x200C || r == 0x200D {
				next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
				if joinsScript(prev) && joinsScript(next) {
					continue
				}
			}
			hidden++
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	clean := b.String()
	// Compatibility forms: fullwidth, mathematical, circled letters, ligatures.
	nfc := norm.NFC.String(clean)
	read := norm.NFKC.String(clean)
	if sameIgnoringSpaces(nfc, read) || !styledLetters(nfc) {
		// no letter changed (spaces, m², №, ℃ are read, not findings)
		if sameIgnoringSpaces(nfc, read) {
			read = nfc
		}
	} else {
		t.Findings = append(t.Findings, Finding{Styled,
			"written in styled letters (fullwidth, mathematical or other compatibility forms): " +
				quote(s) + " read as " + quote(read)})
	}
	if hidden > 0 {
		t.Findings = append(t.Findings, Finding{Hidden,
			plural(hidden, "invisible or control character") + " removed from " + quote(s)})
	}
	read, fs := readLookAlikes(read)
	t.Read = read
	t.Findings = append(t.Findings, fs...)
	return t
}

// styledLetters reports letters written in compatibility forms (fullwidth,
// mathematical, small capitals, ligatures) or symbols that stand for one
// letter (circled Ⓚ): what NFKC changes that a person should see.
func styledLetters(s string) bool {
	for _, r := range s {
		if r < 0x80 {
			continue
		}
		isLetter := unicode.IsLetter(r)
		if !isLetter && !unicode.IsSymbol(r) {
			continue
		}
		k := norm.NFKC.String(string(r))
		if k == string(r) {
			continue
		}
		if isLetter {
			return true
		}
		if kr, n := utf8.DecodeRuneInString(k); n == len(k) && unicode.IsLetter(kr) {
			return true
		}
	}
	return false
}

// Clean is Read(s).Read: what the matchers compare.
func Clean(s string) string {
	if plainASCII(s) {
		return s
	}
	return Read(s).Read
}

// invisible reports characters that show nothing and change no letter:
// format characters (zero-width spaces and joiners, soft hyphens, bidi
// controls, the byte-order mark), variation selectors, the combining
// grapheme joiner, tags and the Hangul fillers.
func invisible(r rune) bool {
	switch {
	case unicode.Is(unicode.Cf, r):
		return true
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	case r == 0x034F, r == 0x115F, r == 0x1160, r == 0x3164, r == 0xFFA0, r == 0x17B4, r == 0x17B5, r == 0x180B,
		r == 0x180C, r == 0x180D, r == 0x180F:
		return true
	}
	return false
}

// joinsScript: letters and marks of scripts whose writing uses the
// zero-width joiners (not Latin, Greek, Cyrillic, Hangul or Han).
func joinsScript(r rune) bool {
	if r < 0x370 || !(unicode.IsLetter(r) || unicode.Is(unicode.M, r)) {
		return false
	}
	switch ScriptOf(r) {
	case Greek, Cyrillic, Hangul, Han, Latin:
		return false
	}
	return true
}

func sameIgnoringSpaces(a, b string) bool {
	if a == b {
		return true
	}
	f := func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}
	return strings.Map(f, a) == strings.Map(f, b)
}

func quote(s string) string { return "\u201c" + s + "\u201d" }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

// Script names.
const (
	Latin    = "Latin"
	Cyrillic = "Cyrillic"
	Greek    = "Greek"
	Hangul   = "Hangul"
	Han      = "Han"
	Kana     = "Kana"
	Arabic   = "Arabic"
	Other    = "other"
)

// ScriptOf names the script of a letter; "" for digits, marks, punctuation
// and other characters common to scripts.
func ScriptOf(r rune) string {
	switch {
	case r < 0x80:
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return Latin
		}
		return ""
	case !unicode.IsLetter(r):
		return ""
	case unicode.Is(unicode.Latin, r):
		return Latin
	case unicode.Is(unicode.Cyrillic, r):
		return Cyrillic
	case unicode.Is(unicode.Greek, r):
		return Greek
	case unicode.Is(unicode.Hangul, r):
		return Hangul
	case unicode.Is(unicode.Han, r):
		return Han
	case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		return Kana
	case unicode.Is(unicode.Arabic, r):
		return Arabic
	}
	return Other
}

// Scripts lists the scripts of the letters of s, in order of first use.
func Scripts(s string) []string {
	var out []string
	for _, r := range s {
		if sc := ScriptOf(r); sc != "" && !contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// latinLike returns the Latin letter that r looks like, by the UTS #39
// confusable prototypes, or 0. A prototype that is a letter of the other
// case's shape ("I" and "l" share one) is taken in r's case.
func latinLike(r rune) rune {
	if r < 0x80 {
		return 0
	}
	p := confusable.GetReplacement(r)
	if p == "" {
		// some letters are prototypes themselves (Cyrillic a has a Latin
		// look-alike only through its capital); try the other case
		if u := unicode.ToUpper(r); u != r {
			if l := latinLike(u); l != 0 {
				return unicode.ToLower(l)
			}
		}
		return 0
	}
	p = norm.NFD.String(p)
	pr, size := utf8.DecodeRuneInString(p)
	if size != len(p) && !allMarks(p[size:]) {
		return 0 // several letters, or a letter with a stroke
	}
	if !(pr >= 'a' && pr <= 'z' || pr >= 'A' && pr <= 'Z') {
		return 0
	}
	// UTS #39 prototypes fold I to l; read a capital as a capital.
	if pr == 'l' && unicode.IsUpper(r) {
		return 'I'
	}
	if unicode.IsUpper(r) && !unicode.IsUpper(pr) && unicode.ToUpper(pr) != pr && caseAlike(pr) {
		return unicode.ToUpper(pr)
	}
	if unicode.IsLower(r) && unicode.IsUpper(pr) && caseAlike(unicode.ToLower(pr)) {
		return unicode.ToLower(pr)
	}
	return pr
}

// caseAlike: letters whose capital and small forms have one shape, so that
// a prototype of either case stands for both.
func caseAlike(r rune) bool { return strings.ContainsRune("cosuvwxz", r) }

func allMarks(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

// readLookAlikes reads, in a text whose letters are mostly Latin, the
// letters of other scripts that look Latin as those Latin letters: in a
// word that mixes them with Latin letters, and in a word of such letters
// only among Latin words. A text wholly in another script is left to the
// transliterations.
func readLookAlikes(s string) (string, []Finding) {
	words := splitWords(s)
	latinWords := 0
	for _, w := range words {
		if contains(Scripts(w.text), Latin) {
			latinWords++
		}
	}
	var fs []Finding
	var b strings.Builder
	last := 0
	for _, w := range words {
		sc := Scripts(w.text)
		mixed := len(sc) > 1 && contains(sc, Latin)
		lone := len(sc) == 1 && sc[0] != Latin && latinWords > 0
		if !mixed && !lone {
			continue
		}
		read, ok := latinReading(w.text, mixed)
		if !ok || read == w.text {
			continue
		}
		b.WriteString(s[last:w.start])
		b.WriteString(read)
		last = w.start + len(w.text)
		others := make([]string, 0, len(sc))
		for _, x := range sc {
			if x != Latin {
				others = append(others, x)
			}
		}
		if mixed {
			fs = append(fs, Finding{MixedScripts, "word " + quote(w.text) + " mixes Latin and " +
				strings.Join(others, " and ") + " letters; read as " + quote(read)})
		} else {
			fs = append(fs, Finding{LookAlike, "word " + quote(w.text) + " is written in " +
				strings.Join(others, " and ") + " letters that look Latin, among Latin words; read as " + quote(read)})
		}
	}
	if last == 0 {
		return s, nil
	}
	b.WriteString(s[last:])
	// a Latin letter now before a combining mark composes with it
	return norm.NFC.String(b.String()), fs
}

// latinReading reads every non-Latin letter of w that looks Latin as that
// letter. In a word of one other script (all false) every letter must look
// Latin; in a mixed word the letters with no look-alike stay.
func latinReading(w string, mixed bool) (string, bool) {
	var b strings.Builder
	for _, r := range w {
		sc := ScriptOf(r)
		if sc == Latin || sc == "" {
			b.WriteRune(r)
			continue
		}
		if l := latinLike(r); l != 0 {
			b.WriteRune(l)
			continue
		}
		if !mixed {
			return "", false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// LatinLookAlike reads a text wholly in Cyrillic or Greek letters as the
// Latin letters they look like, when every letter has one ("КОМЕХ" as
// "KOMEX"): a second reading, beside the transliteration, of a name that may
// be a Latin name typed in look-alikes. ok is false when some letter has no
// Latin look-alike.
func LatinLookAlike(s string) (string, bool) {
	var b strings.Builder
	any := false
	for _, r := range s {
		sc := ScriptOf(r)
		switch sc {
		case "", Latin:
			b.WriteRune(r)
		case Cyrillic, Greek:
			l := latinLike(r)
			if l == 0 {
				return "", false
			}
			b.WriteRune(l)
			any = true
		default:
			return "", false
		}
	}
	return b.String(), any
}

type word struct {
	start int
	text  string
}

// splitWords returns the runs of letters, marks and digits of s.
func splitWords(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, word{start, s[start:i]})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start, s[start:]})
	}
	return out
}
