package hs

import "strconv"

// evidence is one line of the evidence of a candidate, kept while scoring as
// what it refers to: most candidates are not returned, so only the lines of
// those Classify returns are written out (by appendEvidence).
type evidence struct {
	kind evKind
	n    int32  // evKeyword, evLexicon: the rule; evText: the document
	hit  int32  // evLexicon: the rule's hit, in scratch.saved
	code string // evNarrower: the narrower code; evSubheading: the subheading; evRefines: the heading
	head string // evSubheading: its heading
	why  string // evSubheading: why this subheading
}

type evKind uint8

const (
	evKeyword    evKind = iota // a keyword of our headings or subheadings
	evLexicon                  // a lexicon rule and the words that matched its groups
	evNarrower                 // a narrower rule explains the same words
	evText                     // a text document and the words it shares with the description
	evSubheading               // the subheading chosen by refine
	evRefines                  // a subheading refines a heading found by its text
)

// appendEvidence writes out e for the description q, whose scratch sc it
// was found with.
func (c *Classifier) appendEvidence(b []byte, q *query, sc *scratch, e *evidence) []byte {
	switch e.kind {
	case evKeyword:
		r := &c.rules[e.n]
		if len(r.code) == 6 {
			b = appendCode(append(b, "subheading "...), r.code)
		} else {
			b = append(append(b, "heading "...), r.code...)
		}
		return strconv.AppendQuote(append(b, " keyword "...), r.keyword)
	case evLexicon:
		r, h := &c.rules[e.n], &sc.saved[e.hit]
		b = append(b, "lexicon: "...)
		for g := 0; g < len(r.groups) && g < 8; g++ {
			if g > 0 {
				b = append(b, ", "...)
			}
			b = c.appendPhraseEvidence(b, q, q.matches[h.gm[g]], r.groups[g])
		}
		for _, o := range h.opt[:h.nopt] {
			m := q.matches[o.match]
			if span := spanOf(m); span&h.covered != span {
				b = c.appendPhraseEvidence(append(b, ", "...), q, m, o.concept)
			}
		}
		if r.weight < 1 {
			b = strconv.AppendFloat(append(b, " (a guess: weight "...), r.weight, 'f', 2, 64)
			b = append(b, ')')
		}
		return b
	case evNarrower:
		b = appendCode(append(b, "narrower: "...), e.code)
		return append(b, " explains the same words"...)
	case evText:
		// the document's words that are the description's (or stand for them)
		d := &c.docs[e.n]
		b = append(append(b, d.label...), ' ')
		b = append(appendCode(b, d.code), ": "...)
		first := true
		for _, w := range d.words {
			if sc.wstamp[w] == sc.wround {
				if !first {
					b = append(b, ", "...)
				}
				b, first = append(b, c.words[w]...), false
			}
		}
		return b
	case evSubheading:
		b = appendCode(append(b, "subheading "...), e.code)
		b = append(append(append(b, " of heading "...), e.head...), ": "...)
		return append(b, e.why...)
	case evRefines:
		return append(append(append(b, "refines heading "...), e.code...), " found by its text"...)
	}
	return b
}

// appendCode appends FormatCode(code).
func appendCode(b []byte, code string) []byte {
	if len(code) == 6 {
		return append(append(append(b, code[:4]...), '.'), code[4:]...)
	}
	return append(b, code...)
}

// appendPhraseEvidence writes `"words" = concept`; the words are letters and
// digits only, so they need no escaping.
func (c *Classifier) appendPhraseEvidence(b []byte, q *query, m phraseMatch, group int32) []byte {
	b = append(b, '"')
	for j := m.from; j < m.to; j++ {
		if j > m.from {
			b = append(b, ' ')
		}
		b = append(b, q.raw[j]...)
	}
	for j := m.from; j < m.to; j++ {
		if q.fixed[j] {
			b = append(b, " (read as "...)
			for k, w := range c.phraseIDs[m.phrase] {
				if k > 0 {
					b = append(b, ' ')
				}
				b = append(b, c.words[w]...)
			}
			b = append(b, ')')
			break
		}
	}
	b = append(b, `" = `...)
	label := c.concepts[group].label
	if n := c.narrow[m.phrase]; n >= 0 && n != group && c.concepts[n].label != label {
		b = append(append(append(b, c.concepts[n].label...), " ("...), label...)
		return append(b, ')')
	}
	return append(b, label...)
}
