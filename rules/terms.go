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
	t := strings.TrimSpace(term)
	if t == "" {
		return false
	}
	for i := 0; i < len(text); i++ {
		if !isWordByte(text[i]) || (i > 0 && isWordByte(text[i-1])) {
			continue
		}
		if matchAt(text, i, t) {
			return true
		}
	}
	return false
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
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != t[j] {
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

// termResult is how a description meets a set of terms.
type termResult uint8

const (
	termsPass    termResult = iota
	termsFail               // a term is absent or an excluded term is present
	termsMissing            // the line has no description and the terms need one
	termsSkip               // no description, and the terms apply on positive evidence only
)

// check tests a normalised text ("" when the line has no description).
// reason says why it failed, in words.
func (t Terms) check(text string, explain bool) (termResult, string) {
	if text == "" || strings.TrimSpace(text) == "" {
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
	for _, n := range t.None {
		if hasTerm(text, n) {
			if !explain {
				return termsFail, ""
			}
			return termsFail, "the description names \"" + strings.TrimSpace(n) + "\", which the rule leaves out"
		}
	}
	for _, a := range t.All {
		if !hasTerm(text, a) {
			if !explain {
				return termsFail, ""
			}
			return termsFail, "the description does not name \"" + strings.TrimSpace(a) + "\""
		}
	}
	if len(t.Any) > 0 {
		for _, a := range t.Any {
			if hasTerm(text, a) {
				return termsPass, "the description names \"" + strings.TrimSpace(a) + "\""
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
