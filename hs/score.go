package hs

import (
	"math"
	"slices"
	"strings"
)

// candSet holds the candidates of one description; there are few, so a
// slice searched in order is cheaper than a map. They are found by the key
// of their code.
type candSet struct{ list []*cand }

func (cs *candSet) get(code string) *cand { return cs.find(code, codeKey(code)) }

// find is get for a code whose key is known.
func (cs *candSet) find(code string, key uint64) *cand {
	for _, c := range cs.list {
		if c.key == key && (len(code) <= 7 || c.code == code) {
			return c
		}
	}
	return nil
}

// put adds cd, or replaces the candidate of the same code.
func (cs *candSet) put(cd *cand) {
	for i, c := range cs.list {
		if c.key == cd.key && (len(cd.code) <= 7 || c.code == cd.code) {
			cs.list[i] = cd
			return
		}
	}
	cs.list = append(cs.list, cd)
}

// codeKey packs the length and the first seven bytes of a code in a word:
// the key of a code of at most seven bytes (HS codes have two, four or six
// digits) is its own.
func codeKey(code string) uint64 {
	k := uint64(len(code)) << 56
	for i := 0; i < len(code) && i < 7; i++ {
		k |= uint64(code[i]) << (8 * i)
	}
	return k
}

// cand is a candidate code while scoring.
type cand struct {
	code     string
	key      uint64 // codeKey(code)
	score    float64
	raw      float64
	covered  uint64 // word positions explained (first 64)
	spec     float64
	breadth  float64
	evidence []evidence
	fromRule bool
}

func (c *Classifier) matchRules(q *query, sc *scratch) {
	cands, hitAt, hits := &sc.cands, sc.hitAt, sc.hits[:0]
	for mi, m := range q.matches {
		// the span counts every word of the phrase, weighted or not, so that
		// "t-shirts" outranks the "shirts" inside it
		span := spanOf(m)
		for _, cid := range c.phraseSet[m.phrase] {
			for _, ref := range c.byConc(cid) {
				at := hitAt[ref.rule]
				if at < 0 {
					at = int32(len(hits))
					hitAt[ref.rule] = at
					if len(hits) < cap(hits) {
						hits = hits[:len(hits)+1]
					} else {
						hits = append(hits, ruleHit{})
					}
					hits[at].reset(ref.rule)
				}
				h := &hits[at]
				switch g := ref.group; {
				case g >= 0 && g < 8:
					if bit := uint8(1) << uint(g&7); h.groups&bit == 0 {
						h.gm[g&7] = int16(mi)
						h.groups |= bit
					}
					h.covered |= span
				case g == -1:
					h.neg = true
				}
			}
		}
	}
	sc.hits = hits
	for i := range hits {
		h := &hits[i]
		ri := h.rule
		hitAt[ri] = -1
		if h.neg || h.groups != c.ruleGroups[ri] {
			continue
		}
		r := &c.rules[ri]
		if len(r.opt) > 0 {
			for mi, m := range q.matches {
				span := spanOf(m)
				if h.optional&span == span {
					continue
				}
				for _, cid := range c.phraseSet[m.phrase] {
					if containsID(r.opt, cid) {
						if int(h.nopt) < len(h.opt) {
							h.opt[h.nopt] = optRef{int16(mi), cid}
							h.nopt++
						}
						h.optional |= span
						break
					}
				}
			}
		}
		covered := h.covered | h.optional
		cov := q.cover(covered)
		raw := r.weight*(0.3+0.7*cov) + 0.02*r.spec
		score := r.weight * (0.3 + 0.7*cov)
		if cd := cands.find(r.code, r.key); cd != nil && raw <= cd.raw {
			continue
		}
		cd := sc.newCand(r.code, r.key, score, raw)
		cd.covered = covered
		if r.keyword != "" {
			cd.evidence = append(cd.evidence, evidence{kind: evKeyword, n: ri})
		} else {
			sc.saved = append(sc.saved, *h)
			cd.spec, cd.breadth, cd.fromRule = r.spec, r.breadth, true
			cd.evidence = append(cd.evidence, evidence{kind: evLexicon, n: ri, hit: int32(len(sc.saved) - 1)})
		}
		cands.put(cd)
	}
	// "X for Y": a rule that explains only the words of the use (fishing
	// boats, in "propellers for fishing boats") names the use, not the
	// goods, where the goods are named before the use.
	if at := purposeAt(q); at > 0 && at < 64 {
		goods := uint64(1)<<uint(at) - 1
		for _, cd := range cands.list {
			if cd.fromRule && cd.covered != 0 && cd.covered&goods == 0 {
				cd.score *= purposeWeight
				cd.raw *= purposeWeight
			}
		}
	}
	// A rule is outranked by a narrower one that explains the same words.
	list := sc.list[:0]
	for _, cd := range cands.list {
		if cd.fromRule {
			list = append(list, cd)
		}
	}
	sc.list = list
	for _, a := range list {
		for _, b := range list {
			if a != b && b.covered&a.covered == a.covered && (b.covered != a.covered || b.breadth < a.breadth-0.5) && b.raw >= a.raw-0.01 {
				a.score *= 0.6
				a.raw *= 0.6
				a.evidence = append(a.evidence, evidence{kind: evNarrower, code: b.code})
				break
			}
		}
	}
}

func spanOf(m phraseMatch) uint64 {
	var span uint64
	for j := m.from; j < m.to && j < 64; j++ {
		span |= 1 << uint(j)
	}
	return span
}

type optRef struct {
	match   int16 // index into query.matches
	concept int32
}

// ruleHit is kept small: it is written for every rule a word touches.
// gm and opt are read only where groups and nopt say they were written.
type ruleHit struct {
	covered  uint64 // words explained by the groups
	optional uint64 // words explained by optional groups
	gm       [8]int16
	opt      [4]optRef
	rule     int32
	groups   uint8 // groups matched, one bit each
	nopt     uint8
	neg      bool
}

// reset makes h the hit of rule ri, with nothing matched yet: gm and opt
// are left as they are.
func (h *ruleHit) reset(ri int32) {
	h.covered, h.optional, h.rule, h.groups, h.nopt, h.neg = 0, 0, ri, 0, 0, false
}

// scratch is the per-call working memory of Classify, reused through a pool:
// once warm, a description allocates only what Classify returns.
type scratch struct {
	q      query
	cands  candSet
	reuse  []*cand // candidates of this and earlier calls; the first ncand are in use
	ncand  int
	saved  []ruleHit // the hits of the rules that became candidates, for their evidence
	list   []*cand
	best   []scoredDoc // for bestText: room for maxText
	all    []scoredDoc // for sortText
	over   []docCov    // the documents over the floor
	hitAt  []int32     // by rule: its hit in hits, or -1
	hits   []ruleHit   // of the rules the description's phrases touch, in the order touched
	acc    []float64   // by doc
	docs   []int32
	stamp  []uint32 // by doc
	wstamp []uint32 // by word: words of the description (and what stands for them) are at wround
	round  uint32
	wround uint32
	text   []byte // the evidence of the candidates returned, written out
	ends   []int  // where each line of evidence ends in text
	counts []int  // lines of evidence by candidate returned
	brief  bool   // rank writes no evidence (classifyTop)
}

// newCand returns a candidate from the scratch's reusable ones.
func (sc *scratch) newCand(code string, key uint64, score, raw float64) *cand {
	if sc.ncand == len(sc.reuse) {
		sc.reuse = append(sc.reuse, new(cand))
	}
	cd := sc.reuse[sc.ncand]
	sc.ncand++
	*cd = cand{code: code, key: key, score: score, raw: raw, evidence: cd.evidence[:0]}
	return cd
}

// next starts a new round of stamps; stamps are cleared when the counter
// wraps, so that an old stamp never passes for the new round.
func (sc *scratch) next() uint32 {
	sc.round++
	if sc.round == 0 {
		clear(sc.stamp)
		clear(sc.wstamp)
		sc.round = 1
	}
	return sc.round
}

// scoredDoc is a text document found for a description, with its score.
type scoredDoc struct {
	d     int32
	score float64
}

// maxText is how many text documents, best first, are weighed for a
// description.
const maxText = 12

func (c *Classifier) matchText(q *query, sc *scratch) {
	acc, docs := sc.acc, sc.docs[:0]
	maxAcc := 0.0 // sums only grow: the highest of them as they come is the highest at the end
	for i, alts := range q.alts {
		wt := q.weight[i]
		if wt == 0 {
			continue
		}
		if len(alts) == 1 {
			docs, maxAcc = addPostings(acc, docs, c.post[alts[0]], wt, maxAcc)
			continue
		}
		// a document counts once for the position, whichever words meet it
		round := sc.next()
		for _, w := range alts {
			docs, maxAcc = addNewPostings(acc, docs, sc.stamp, round, c.post[w], wt, maxAcc)
		}
	}
	// the words of the description (and what stands for them), for precision
	sc.wround = sc.next()
	for _, alts := range q.alts {
		for _, w := range alts {
			sc.wstamp[w] = sc.wround
		}
	}
	// max(acc/total) is max(acc)/total: division by total keeps the order
	floor := math.Max(0.25, 0.6*(maxAcc/q.total))
	// the documents that cover enough of the description, in the order found
	over := sc.over[:0]
	for _, d := range docs {
		if cov := acc[d] / q.total; cov >= floor {
			over = append(over, docCov{d, cov})
		}
		acc[d] = 0
	}
	sc.docs, sc.over = docs[:0], over[:0]
	best, unique := c.bestText(sc, over)
	if !unique || c.sortAll {
		best = c.sortText(sc, over)
	}
	cands := &sc.cands
	for _, b := range best {
		dd := &c.docs[b.d]
		ev := evidence{kind: evText, n: b.d}
		// agreement: text for a code, or for its heading, supports a rule's code
		for _, cd := range cands.list {
			if dd.level >= 4 && cd.fromRule && len(cd.code) > len(dd.code) && strings.HasPrefix(cd.code, dd.code) {
				cd.score = math.Min(1, cd.score+0.1*b.score)
				cd.raw += 0.1 * b.score
				cd.evidence = append(cd.evidence, ev)
			}
		}
		cd := cands.find(dd.code, dd.key)
		if cd == nil {
			cd = sc.newCand(dd.code, dd.key, b.score, b.score)
			cd.evidence = append(cd.evidence, ev)
			cands.put(cd)
			continue
		}
		if cd.fromRule {
			cd.score = math.Min(1, cd.score+0.1*b.score)
			cd.raw += 0.1 * b.score
			cd.evidence = append(cd.evidence, ev)
		} else if b.score > cd.score {
			cd.score, cd.raw = b.score, b.score
			cd.evidence = slices.Insert(cd.evidence, 0, ev)
		}
	}
}

// addPostings adds wt to the sums acc of the documents post, noting in docs
// those that had none, and returns docs and the highest sum.
func addPostings(acc []float64, docs, post []int32, wt, maxAcc float64) ([]int32, float64) {
	for _, d := range post {
		a := acc[d]
		if a == 0 {
			docs = append(docs, d)
		}
		a += wt
		acc[d] = a
		if a > maxAcc {
			maxAcc = a
		}
	}
	return docs, maxAcc
}

// addNewPostings is addPostings for the documents not yet stamped with
// round, which it stamps.
func addNewPostings(acc []float64, docs []int32, stamp []uint32, round uint32, post []int32, wt, maxAcc float64) ([]int32, float64) {
	for _, d := range post {
		if stamp[d] == round {
			continue
		}
		stamp[d] = round
		a := acc[d]
		if a == 0 {
			docs = append(docs, d)
		}
		a += wt
		acc[d] = a
		if a > maxAcc {
			maxAcc = a
		}
	}
	return docs, maxAcc
}

// docScore is the score of a text document: its coverage weighed by its
// precision, the share of its words that are the description's (or stand
// for them).
func (c *Classifier) docScore(sc *scratch, o docCov) scoredDoc {
	dd := &c.docs[o.d]
	hit := 0
	for _, w := range dd.words {
		if sc.wstamp[w] == sc.wround {
			hit++
		}
	}
	prec := float64(hit) / float64(len(dd.words))
	return scoredDoc{o.d, dd.weight * o.cov * (0.8 + 0.2*prec)}
}

// docCov is a text document and how much of the description it covers.
type docCov struct {
	d   int32
	cov float64
}

// bestText returns the best maxText of the documents over, in textBefore
// order. unique is false when that is not the only order: two documents of
// the same code with the same score, in the list or one in and one left
// out, which sortText puts in an order of its own.
func (c *Classifier) bestText(sc *scratch, over []docCov) (best []scoredDoc, unique bool) {
	// Precision lowers a score by at most a fifth: a document's score is
	// between 0.8 and 1 times its bound, weight times coverage. The twelfth
	// highest of the 0.8 is a score that twelve documents reach; one whose
	// bound is lower is out, and needs no more work.
	var lows [maxText]float64 // highest first
	nlow := 0
	for _, o := range over {
		low := c.docWeight[o.d] * o.cov * 0.8
		if nlow == maxText && low <= lows[maxText-1] {
			continue
		}
		at := min(nlow, maxText-1)
		for at > 0 && low > lows[at-1] {
			lows[at] = lows[at-1]
			at--
		}
		lows[at], nlow = low, min(nlow+1, maxText)
	}
	cut := 0.0
	if nlow == maxText {
		cut = lows[maxText-1]
	}
	best = sc.best[:0]
	var out scoredDoc // the first, by textBefore, of the documents left out
	left := false
	for _, o := range over {
		// the same test with the last of a full list, as it grows
		if bound := c.docWeight[o.d] * o.cov; bound < cut || len(best) == maxText && bound < best[maxText-1].score {
			continue
		}
		s := c.docScore(sc, o)
		at := len(best)
		for at > 0 && c.textBefore(s, best[at-1]) {
			at--
		}
		if at < maxText && len(best) < maxText {
			best = append(best, scoredDoc{})
			copy(best[at+1:], best[at:])
			best[at] = s
			continue
		}
		if at < maxText {
			// s comes in, and the last one is left out
			drop := best[maxText-1]
			copy(best[at+1:], best[at:])
			best[at], s = s, drop
		}
		if !left || c.textBefore(s, out) {
			out, left = s, true
		}
	}
	for i := 1; i < len(best); i++ {
		if c.sameText(best[i-1], best[i]) {
			return best, false
		}
	}
	return best, !left || !c.sameText(out, best[len(best)-1])
}

// sortText is the reference for bestText: every document of over scored,
// sorted, and the first maxText.
func (c *Classifier) sortText(sc *scratch, over []docCov) []scoredDoc {
	all := sc.all[:0]
	for _, o := range over {
		all = append(all, c.docScore(sc, o))
	}
	sc.all = all
	slices.SortFunc(all, func(a, b scoredDoc) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(c.docs[a.d].code, c.docs[b.d].code)
	})
	return all[:min(len(all), maxText)]
}

func (c *Classifier) sameText(a, b scoredDoc) bool {
	return a.score == b.score && c.docs[a.d].code == c.docs[b.d].code
}

// textBefore orders scored documents: higher score first, then by code.
func (c *Classifier) textBefore(a, b scoredDoc) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return c.docs[a.d].code < c.docs[b.d].code
}

// refine chooses, with an imported nomenclature, the subheading of each
// likely heading that the text names lexicon rules did not reach: the one
// whose official text covers most of the description, else the residual
// ("other") subheading. Its score is the heading's, lowered when the choice
// within the heading is a default rather than a match.
func (c *Classifier) refine(q *query, sc *scratch) {
	if c.subs == nil {
		return
	}
	cands := &sc.cands
	var headsBuf [16]*cand
	heads := headsBuf[:0]
	var childBuf [16]string
	hasChild := childBuf[:0] // headings with a lexicon subheading among the candidates
	for _, cd := range cands.list {
		if len(cd.code) == 4 && !cd.fromRule {
			heads = append(heads, cd)
		}
		if len(cd.code) == 6 && cd.fromRule {
			hasChild = append(hasChild, cd.code[:4])
		}
	}
	slices.SortFunc(heads, func(a, b *cand) int {
		if a.raw != b.raw {
			if a.raw > b.raw {
				return -1
			}
			return 1
		}
		return strings.Compare(a.code, b.code)
	})
	if len(heads) > 4 {
		heads = heads[:4]
	}
	for _, h := range heads {
		kids := c.kidDocs[h.code]
		if len(kids) == 0 || slices.Contains(hasChild, h.code) {
			continue
		}
		type kid struct {
			code string
			key  uint64
			cov  float64
			prec float64
		}
		var ksBuf [24]kid
		ks := ksBuf[:0]
		for _, k := range kids {
			d := &c.docs[k.doc]
			m, hit := 0.0, 0
			for i, alts := range q.alts {
				for _, w := range alts {
					if containsID(d.words, w) {
						m += q.weight[i]
						hit++
						break
					}
				}
			}
			ks = append(ks, kid{k.code, d.key, m / q.total, float64(hit) / float64(len(d.words))})
		}
		residual := ks[len(ks)-1]
		slices.SortStableFunc(ks, func(a, b kid) int {
			switch {
			case a.cov != b.cov:
				if a.cov > b.cov {
					return -1
				}
				return 1
			case a.prec > b.prec:
				return -1
			case a.prec < b.prec:
				return 1
			}
			return 0
		})
		best, quality := ks[0], 1.0
		if len(ks) > 1 && ks[1].cov >= best.cov-1e-9 {
			// no subheading's text says more than the others: the residual one
			best, quality = residual, 0.5
			if ks[0].cov > 0 && ks[0].code != residual.code && ks[0].prec > residual.prec {
				best = ks[0]
			}
		}
		add := func(k kid, score, raw float64, why string) {
			ev := evidence{kind: evSubheading, code: k.code, head: h.code, why: why}
			if cd := cands.find(k.code, k.key); cd != nil {
				if raw > cd.raw {
					cd.raw, cd.score = raw, score
				}
				cd.evidence = append(cd.evidence, ev)
				return
			}
			cd := sc.newCand(k.code, k.key, score, raw)
			cd.evidence = append(append(cd.evidence, ev), h.evidence...)
			cands.put(cd)
		}
		why := "its text matches the description best"
		if quality < 1 {
			why = "no subheading text is more specific; the residual one"
		}
		add(best, h.score*(0.8+0.2*quality), h.raw+0.0005, why)
		for _, k := range ks {
			if k.code != best.code {
				add(k, h.score*0.7, h.raw-0.03, "runner-up within the heading")
				break
			}
		}
	}
}
