package hs

import "strings"

// BriefKey returns a key under which AssignBrief's answers can be
// remembered: descriptions with the same key have the same brief
// assignment (AssignBrief(d, top) for any one top). It is the description's
// words as the classifier reads them, with each word that holds a digit and
// that the vocabulary does not know written as one mark: such a word
// (a lot, batch or invoice number: "salted pollack, lot 48213") is read as
// no word at all, neither searched nor corrected for spelling nor part of a
// phrase, and only its place counts. So descriptions that differ only in
// such numbers share one key, and a screening cache keyed by it classifies
// them once.
//
// A description with a figure and unit ("10 kg") is its own key: figures
// choose among subheadings. The evidence Assign writes quotes the words as
// written, so its answers are not keyed by BriefKey.
func (c *Classifier) BriefKey(description string) string {
	if len(figuresIn(description)) > 0 {
		return "=" + description
	}
	if k, ok := c.asciiBriefKey(description); ok {
		return k
	}
	return c.tokenBriefKey(description)
}

// tokenBriefKey is BriefKey without figures, from the words appendTokens
// reads.
func (c *Classifier) tokenBriefKey(description string) string {
	var arr [32]string
	toks := appendTokens(arr[:0], description)
	var b strings.Builder
	b.Grow(len(description) + 1)
	b.WriteByte('~')
	for i, w := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		if c.blank([]byte(w)) {
			b.WriteByte(0)
			continue
		}
		b.WriteString(w)
	}
	return b.String()
}

// blank reports whether a word is written as the mark in a key: the test of
// prepare, a stem with a digit that is not in the vocabulary gets id -1
// and is never corrected.
func (c *Classifier) blank(w []byte) bool {
	if !hasDigit(string(w)) {
		return false
	}
	var buf [64]byte
	s := stemBytes(append(buf[:0], w...))
	_, known := c.vocab[string(s)]
	return !known && hasDigit(string(s))
}

// asciiBriefKey is BriefKey of ASCII text without figures, reading the
// words as asciiTokens does (letters and digits, lower-cased, apostrophes
// dropped, anything else between words) straight into the key.
func (c *Classifier) asciiBriefKey(s string) (string, bool) {
	var arr [128]byte
	b := append(arr[:0], '~')
	word := -1 // where the current word starts in b
	end := func() {
		if word >= 0 && c.blank(b[word:]) {
			b = append(b[:word], 0)
		}
		word = -1
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 128:
			return "", false
		case ch >= 'A' && ch <= 'Z':
			ch += 'a' - 'A'
			fallthrough
		case ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9':
			if word < 0 {
				if len(b) > 1 {
					b = append(b, ' ')
				}
				word = len(b)
			}
			b = append(b, ch)
		case ch == '\'':
		default:
			end()
		}
	}
	end()
	return string(b), true
}
