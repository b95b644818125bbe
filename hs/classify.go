package hs

import (
	"strings"
	"sync"

	"github.com/tradeplan/tradeplan"
)

// Classifier checks declared HS codes and classifies goods descriptions. It
// is immutable once built and safe for concurrent use.
type Classifier struct {
	base     *Nomenclature   // the embedded sections, chapters and headings
	full     []*Nomenclature // imported editions, the first one preferred
	lexTitle map[string]string
	warnings tradeplan.Problems

	vocab   map[string]int32 // word -> id
	words   []string
	idf     []float64
	stop    []bool // by word id: a stopword
	content []bool // by word id: a word that counts on its own (no stopword, no digit, two letters or more)
	// misspelt is the index of one-letter deletions (indexMisspellings),
	// made on first use.
	misspelt func() *misspellings
	// maxFixLen is the longest word correct tries: one letter longer than
	// the longest word with deletion neighbours (no longer word is one edit
	// from a known word), so that its work is bounded.
	maxFixLen int

	phraseSet [][]int32 // phrase id -> concept ids it belongs to
	phraseIDs [][]int32 // phrase id -> its word ids
	narrow    []int32   // phrase id -> its narrowest named concept, or -1
	trie      phraseTrie

	concepts   []concept
	rules      []rule
	refs       []ruleRef // by concept, from refAt[id] to refAt[id+1]: the rule groups it satisfies (byConc)
	refAt      []int32
	ruleGroups []uint8 // by rule: a bit for each of its groups

	docs      []doc
	docWeight []float64                                // by doc: its weight, for the many reads of bestText
	post      [][]int32                                // word id -> doc ids
	kidDocs   map[string][]kidDoc                      // heading -> its subheadings in c.subs that have a subheading text
	fast      func() map[string]tradeplan.HSAssignment // CheckCode's table of plain codes, made on first use
	kids      func() map[string]string                 // heading -> its subheadings in c.subs, written out for messages
	subs      *Nomenclature                            // where subheadings are verified and refined: the preferred import, else the embedded layer
	pool      sync.Pool                                // of *scratch

	sortAll bool // tests: always take sortText, the reference of bestText
}

// Default returns a classifier over the embedded nomenclature and lexicon
// only: it works offline and verifies headings and subheadings against the
// embedded HS 2022 layer (our own titles, the official codes).
func Default() (*Classifier, error) { return New() }

// New returns a classifier over the embedded data and the given imported
// nomenclatures (full official texts, whose subheadings become searchable
// and verifiable). The first nomenclature is preferred for titles.
func New(noms ...*Nomenclature) (*Classifier, error) {
	// the nomenclature and the lexicon are independent: read them side by side
	var (
		lx     *lexicon
		lexErr error
		wg     sync.WaitGroup
	)
	wg.Go(func() {
		lexData, err := lexiconData()
		if err != nil {
			lexErr = tradeplan.Errorf(tradeplan.EInternal, "hs: %v", err)
			return
		}
		lx, lexErr = parseLexicon(lexData)
	})
	base, warn := embedded()
	wg.Wait()
	if lexErr != nil {
		return nil, lexErr
	}
	c := &Classifier{base: base, lexTitle: lx.titles, warnings: warn}
	for _, n := range noms {
		if n == nil {
			continue
		}
		// Comtrade JSON carries no sections: take them from our chapters.
		for _, e := range n.entries {
			if e.Section == "" {
				if ch := base.entries[e.Code[:2]]; ch != nil {
					e.Section = ch.Section
				}
			}
		}
		c.full = append(c.full, n)
	}
	if len(c.full) > 0 {
		c.subs = c.full[0]
	} else if base.HasSubheadings() {
		c.subs = base
	}
	c.build(lx)
	c.fast = sync.OnceValue(c.fastCodes)
	c.kids = sync.OnceValue(func() map[string]string {
		m := map[string]string{}
		if c.subs != nil {
			for _, h := range c.subs.codes(4) {
				m[h] = strings.Join(formatAll(c.subs.children[h]), ", ")
			}
		}
		return m
	})
	return c, nil
}

// Weights of the embedded subheading layer: its keywords are phrases a
// little weaker than a heading keyword (and a guess when other codes use the
// same words), its titles text a little weaker than an imported official
// text.
const (
	subKeywordWeight = 0.85
	subSharedWeight  = 0.7 // a keyword other codes' rules also use
	subTextWeight    = 0.8
)

// Warnings returns the problems found in the embedded nomenclature files
// (rows skipped while loading).
func (c *Classifier) Warnings() tradeplan.Problems { return c.warnings }

// Nomenclatures returns the imported nomenclatures in use.
func (c *Classifier) Nomenclatures() []*Nomenclature { return append([]*Nomenclature(nil), c.full...) }

// Base returns the embedded nomenclature (sections, chapters, headings,
// subheadings).
func (c *Classifier) Base() *Nomenclature { return c.base }

// Classify returns at most top candidates for a description, best first.
func (c *Classifier) Classify(description string, top int) []tradeplan.Candidate {
	return c.classifyTop(description, top, true)
}

// classifyTop is Classify, with the candidates' evidence written out only
// when evidence is set: without it, every other field is the same.
func (c *Classifier) classifyTop(description string, top int, evidence bool) []tradeplan.Candidate {
	if top <= 0 {
		top = 3
	}
	// a figure may move two candidates to one subheading: two more are read
	figs := figuresIn(description)
	n := top
	if len(figs) > 0 {
		n += 2
	}
	sc := c.pool.Get().(*scratch)
	sc.brief = !evidence
	out := c.classify(sc, description, n)
	use := ""
	if len(out) > 0 && evidence {
		use = purposeNote(&sc.q)
	}
	c.pool.Put(sc) // not deferred: a scratch a panic left half-way is not reused
	if len(figs) > 0 {
		out = c.byFigures(out, figs, top)
	}
	if !evidence {
		for i := range out {
			out[i].Evidence = nil // byFigures' lines
		}
		return out
	}
	if use != "" {
		for i := range out {
			out[i].Evidence = append([]string{use}, out[i].Evidence...)
		}
	}
	if note := ReadingNote(description); note != "" {
		// the evidence names the words of other languages read
		for i := range out {
			out[i].Evidence = append([]string{note}, out[i].Evidence...)
		}
	}
	return out
}

func (c *Classifier) classify(sc *scratch, description string, top int) []tradeplan.Candidate {
	q := &sc.q
	c.prepare(q, description)
	if q.total == 0 {
		return nil
	}
	sc.cands.list, sc.ncand, sc.saved = sc.cands.list[:0], 0, sc.saved[:0]
	c.matchRules(q, sc)
	c.matchText(q, sc)
	c.refine(q, sc)
	return c.rank(q, sc, top)
}

var _ tradeplan.Classifier = (*Classifier)(nil)
