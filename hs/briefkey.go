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
	var arr [32]string
	toks := appendTokens(arr[:0], description)
	var b strings.Builder
	b.Grow(len(description) + 1)
	b.WriteByte('~')
	var buf [64]byte
	for i, w := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		if hasDigit(w) && len(w) <= len(buf) {
			// the test of prepare: a stem with a digit that is not in the
			// vocabulary gets id -1 and is never corrected
			s := stemBytes(append(buf[:0], w...))
			if _, known := c.vocab[string(s)]; !known && hasDigit(string(s)) {
				b.WriteByte(0)
				continue
			}
		}
		b.WriteString(w)
	}
	return b.String()
}
