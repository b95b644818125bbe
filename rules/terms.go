package rules

import (
	"strings"
	"unicode"
)

// normText lowers a text and turns every run of characters other than
// letters and digits into one space, with a space at each end, so that a
// term matches at the start of a word by a plain substring search.
func normText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	space := true
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		} else if r > 127 {
			r = unicode.ToLower(r)
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && isLetterish(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

func isLetterish(r rune) bool {
	// Letters outside ASCII (accented Latin, Korean, Cyrillic) count as word
	// characters; punctuation and spaces above ASCII do not.
	switch r {
	case '\u00a0', '\u2013', '\u2014', '\u2018', '\u2019', '\u201c', '\u201d', '\u00b7':
		return false
	}
	return true
}

// hasTerm reports whether text holds a normalised term (" jet fuel ") at the
// start of a word, case-insensitively; the term's spaces match any run of
// characters other than letters and digits, and the term may end inside a
// word so that plurals match. text is either raw ASCII or normalised by
// normText (screenText decides), so matching allocates nothing.
func hasTerm(text, term string) bool {
	return matchTerm(text, strings.TrimSpace(term))
}

// matchTerm is hasTerm for a term without its outer spaces.
func matchTerm(text, t string) bool {
	if t == "" {
		return false
	}
	for i := 0; i < len(text); i++ {
		if c := lower(text[i]); c != t[0] || !isWordByte(c) || (i > 0 && isWordByte(text[i-1])) {
			continue
		}
		if matchAt(text, i, t) {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func matchAt(s string, i int, t string) bool {
	for j := 0; j < len(t); j++ {
		if t[j] == ' ' {
			if i >= len(s) || isWordByte(s[i]) {
				return false
			}
			for i < len(s) && !isWordByte(s[i]) {
				i++
			}
			continue
		}
		if i >= len(s) {
			return false
		}
		if lower(s[i]) != t[j] {
			return false
		}
		i++
	}
	return true
}

// isWordByte: ASCII letters and digits, and every byte of a multi-byte
// character (normText has already turned non-ASCII punctuation into spaces).
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// screenText prepares a text for hasTerm: ASCII text as it is, other text
// normalised (lower case, punctuation to spaces).
func screenText(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return normText(s)
		}
	}
	return s
}

// text is a line's text prepared for Terms.check, once per line: as
// screenText gives it, with the characters its words start with, so that
// most terms are ruled out without a scan.
type text struct {
	s      string // "" when the line has none
	starts uint64 // startBit of the first byte of each word
}

func newText(s string) text {
	t := text{s: screenText(s)}
	inWord := false
	for i := 0; i < len(t.s); i++ {
		c := t.s[i]
		if isWordByte(c) && !inWord {
			t.starts |= startBit(c)
		}
		inWord = isWordByte(c)
	}
	return t
}

// startBit is a bit for each letter (either case) and digit, and one for
// every byte of a non-ASCII character.
func startBit(c byte) uint64 {
	switch {
	case c >= 'a' && c <= 'z':
		return 1 << (c - 'a')
	case c >= 'A' && c <= 'Z':
		return 1 << (c - 'A')
	case c >= '0' && c <= '9':
		return 1 << (26 + c - '0')
	}
	return 1 << 63
}

func (t *text) has(tm *term) bool {
	if tm.text == "" || t.starts&startBit(tm.text[0]) == 0 {
		return false
	}
	if tm.whole {
		return matchWord(t.s, tm.text)
	}
	return matchTerm(t.s, tm.text)
}

// term is one term prepared for matching when the engine is built.
type term struct {
	text  string // without the spaces normText puts around it: "jet fuel"
	named string // `the description names "jet fuel"`, the reason a match gives
	whole bool   // the term must end where a word ends (a place name: not "namyang" in "Namyangju")
}

// matchWord is matchTerm for a term that ends where a word of text ends.
func matchWord(text, t string) bool {
	for i := 0; i < len(text); i++ {
		if c := lower(text[i]); c != t[0] || !isWordByte(c) || (i > 0 && isWordByte(text[i-1])) {
			continue
		}
		if end := matchEnd(text, i, t); end >= 0 && (end == len(text) || !isWordByte(text[end])) {
			return true
		}
	}
	return false
}

// matchEnd is matchAt, returning where the match ends in s, or -1.
func matchEnd(s string, i int, t string) int {
	for j := 0; j < len(t); j++ {
		if t[j] == ' ' {
			if i >= len(s) || isWordByte(s[i]) {
				return -1
			}
			for i < len(s) && !isWordByte(s[i]) {
				i++
			}
			continue
		}
		if i >= len(s) || lower(s[i]) != t[j] {
			return -1
		}
		i++
	}
	return i
}

// termMatch is the matching form of Terms.
type termMatch struct {
	any, all, none []term
	anyStarts      uint64 // startBit of each term of any
}

// prepare makes the terms' matching form; New calls it for every rule.
func (t *Terms) prepare() {
	if t.empty() {
		t.match = nil
		return
	}
	prep := func(ts []string) []term {
		var out []term
		for _, s := range ts {
			s = strings.TrimSpace(s)
			out = append(out, term{text: s, named: "the description names \"" + s + "\"", whole: t.wholeWords})
		}
		return out
	}
	m := &termMatch{any: prep(t.Any), all: prep(t.All), none: prep(t.None)}
	for _, a := range m.any {
		if a.text != "" {
			m.anyStarts |= startBit(a.text[0])
		}
	}
	t.match = m
}

// termResult is how a description meets a set of terms.
type termResult uint8

const (
	termsPass    termResult = iota
	termsFail               // a term is absent or an excluded term is present
	termsMissing            // the line has no description and the terms need one
	termsSkip               // no description, and the terms apply on positive evidence only
)

// check tests a line's text (text.s is "" when the line has no
// description). reason says why it failed, in words, or which term of Any
// it names.
func (t *Terms) check(txt *text, explain bool) (termResult, string) {
	if txt.s == "" {
		if t.needsText() {
			if t.IfMissing == "skip" {
				if !explain {
					return termsSkip, ""
				}
				return termsSkip, "the line has no description, and the rule applies only when one names " + termList(t.Any, t.All)
			}
			return termsMissing, "a goods description naming " + termList(t.Any, t.All)
		}
		return termsPass, ""
	}
	m := t.match
	if m == nil {
		return termsPass, "" // no terms
	}
	for i := range m.none {
		if n := &m.none[i]; txt.has(n) {
			if !explain {
				return termsFail, ""
			}
			return termsFail, n.named + ", which the rule leaves out"
		}
	}
	for i := range m.all {
		if a := &m.all[i]; !txt.has(a) {
			if !explain {
				return termsFail, ""
			}
			return termsFail, "the description does not name \"" + a.text + "\""
		}
	}
	if len(m.any) > 0 {
		// Scan only when a word of the text starts as a term does.
		if txt.starts&m.anyStarts != 0 {
			for i := range m.any {
				if a := &m.any[i]; txt.has(a) {
					return termsPass, a.named
				}
			}
		}
		if !explain {
			return termsFail, ""
		}
		return termsFail, "the description names none of the terms " + plainList(t.Any)
	}
	return termsPass, ""
}

func termList(any, all []string) string {
	var parts []string
	if len(all) > 0 {
		q := make([]string, len(all))
		for i, a := range all {
			q[i] = "\"" + strings.TrimSpace(a) + "\""
		}
		parts = append(parts, strings.Join(q, " and "))
	}
	if len(any) > 0 {
		q := make([]string, len(any))
		for i, a := range any {
			q[i] = "\"" + strings.TrimSpace(a) + "\""
		}
		s := strings.Join(q, ", ")
		if len(any) > 1 {
			s = "one of " + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " with ")
}

func plainList(ts []string) string {
	q := make([]string, len(ts))
	for i, a := range ts {
		q[i] = "\"" + strings.TrimSpace(a) + "\""
	}
	return strings.Join(q, ", ")
}
