package hs

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

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

func (c *Classifier) rank(q *query, sc *scratch, top int) []tradeplan.Candidate {
	cands := &sc.cands
	// The text of a heading supports the lexicon's best subheading under it:
	// the subheading rises to the heading's score, which it refines. Each
	// heading's best subheading is found in a list of the rule candidates.
	list := sc.list[:0]
	for _, cd := range cands.list {
		if !cd.fromRule || len(cd.code) != 6 {
			continue
		}
		i := slices.IndexFunc(list, func(b *cand) bool { return b.code[:4] == cd.code[:4] })
		switch {
		case i < 0:
			list = append(list, cd)
		case cd.raw > list[i].raw || cd.raw == list[i].raw && cd.code < list[i].code:
			list[i] = cd
		}
	}
	for _, child := range list {
		h := child.code[:4]
		head := cands.get(h)
		if head == nil || head.fromRule || head.raw <= child.raw {
			continue
		}
		child.raw = head.raw + 0.001
		child.score = math.Max(child.score, head.score)
		child.evidence = append(child.evidence, evidence{kind: evRefines, code: head.code})
	}
	list = append(list[:0], cands.list...)
	sc.list = list
	if len(list) == 0 {
		return nil
	}
	out := make([]tradeplan.Candidate, 0, min(top, len(list)))
	// The evidence of the candidates returned is written out one after the
	// other into one text, a line the same as the one before left out; the
	// strings are cut from it once all are written.
	sc.text, sc.ends, sc.counts = sc.text[:0], sc.ends[:0], sc.counts[:0]
	for k := range list {
		// The next best by raw score, then code (codes are unique among
		// candidates): a selection, as only the first few are wanted.
		for j := k + 1; j < len(list); j++ {
			if a, b := list[j], list[k]; a.raw > b.raw || a.raw == b.raw && a.code < b.code {
				list[j], list[k] = b, a
			}
		}
		cd := list[k]
		if len(cd.code) < 6 {
			// a heading or chapter adds nothing below a code under it that ranks higher
			covered := false
			for _, o := range out {
				if strings.HasPrefix(o.Code, cd.code) {
					covered = true
					break
				}
			}
			if covered {
				continue
			}
		}
		score := math.Round(math.Min(1, math.Max(0, cd.score))*1000) / 1000
		n, prev := 0, 0 // lines kept, and where the last one starts
		for i := range cd.evidence {
			if sc.brief {
				break
			}
			start := len(sc.text)
			sc.text = c.appendEvidence(sc.text, q, sc, &cd.evidence[i])
			if n > 0 && string(sc.text[start:]) == string(sc.text[prev:start]) {
				sc.text = sc.text[:start]
				continue
			}
			sc.ends = append(sc.ends, len(sc.text))
			n, prev = n+1, start
		}
		sc.counts = append(sc.counts, n)
		out = append(out, tradeplan.Candidate{Code: cd.code, Level: len(cd.code), Score: score, Title: c.Title(cd.code)})
		if len(out) == top {
			break
		}
	}
	text := string(sc.text)
	lines := make([]string, len(sc.ends))
	start := 0
	for i, end := range sc.ends {
		lines[i], start = text[start:end], end
	}
	for i, n := range sc.counts {
		out[i].Evidence, lines = lines[:n:n], lines[n:]
	}
	return out
}
