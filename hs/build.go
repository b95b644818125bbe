package hs

import (
	"strings"
	"sync"
	"sync/atomic"
)

// buildRest finishes build after expandConcepts, two steps at a time where
// they touch different parts of the index, so that a command's start-up
// uses both cores of a small machine: the rules are indexed while the text
// documents are added (only the latter adds words), and the phrase tables
// are made while the word tables are. The misspelling index is made on
// first use: most descriptions have no unknown word.
func (b *indexBuilder) buildRest() {
	c := b.c
	if buildInOrder.Load() {
		b.buildRestInOrder()
		return
	}
	var wg sync.WaitGroup
	// reads concepts, ancestors, phrase sets; writes rules and refs
	wg.Go(func() {
		b.indexRules()
		b.weighSharedKeywords()
	})
	// reads phrases and keyword concepts; writes words, documents, df
	b.addTextDocs()
	wg.Wait()

	// reads phrases and concepts; writes narrow and trie
	wg.Go(func() {
		c.narrow = make([]int32, len(c.phraseSet))
		for pid := range c.phraseSet {
			c.narrow[pid] = c.narrowest(int32(pid))
		}
		c.trie = newPhraseTrie(c.phraseIDs, len(c.words))
	})
	// reads words and documents; writes the tables by word and document
	c.linkSubheadingDocs()
	c.newScratchPool()
	b.indexWords()
	c.maxFixLen = maxFixLen(c.words)
	c.misspelt = sync.OnceValue(c.indexMisspellings)
	wg.Wait()
}

// maxFixLen is the longest word correct tries: one letter longer than the
// longest word indexMisspellings indexes.
func maxFixLen(words []string) int {
	n := 0
	for _, w := range words {
		if len(w) >= 5 && !hasDigit(w) {
			n = max(n, len(w)+1)
		}
	}
	return n
}

// buildInOrder makes buildRest take its steps one after the other, the
// misspelling index at once: the reference the tests hold the parallel,
// lazy build to.
var buildInOrder atomic.Bool

func (b *indexBuilder) buildRestInOrder() {
	c := b.c
	b.indexRules()
	b.weighSharedKeywords()
	b.addTextDocs()
	c.linkSubheadingDocs()
	c.newScratchPool()
	b.indexWords()
	c.narrow = make([]int32, len(c.phraseSet))
	for pid := range c.phraseSet {
		c.narrow[pid] = c.narrowest(int32(pid))
	}
	c.trie = newPhraseTrie(c.phraseIDs, len(c.words))
	c.maxFixLen = maxFixLen(c.words)
	deletes := c.indexMisspellings()
	c.misspelt = func() *misspellings { return deletes }
}

// expander expands concepts to their phrases, following references, with
// working memory kept from one concept to the next: the stamps say what
// the current expansion has reached, so that nothing is cleared or made
// anew per concept.
type expander struct {
	b       *indexBuilder
	stamp   int32
	seen    []int32          // by concept id: the stamp of the last expansion that reached it
	had     map[string]int32 // phrase -> the stamp of the last expansion that added it
	phrases []string
	reached []int32
}

func (b *indexBuilder) newExpander() *expander {
	return &expander{b: b, seen: make([]int32, len(b.c.concepts)), had: make(map[string]int32, 1024)}
}

// expand returns the phrases of concept id, without repeats, and the
// concepts it reached (id included), both valid until the next call.
func (x *expander) expand(id int32) (phrases []string, reached []int32) {
	x.stamp++
	x.phrases, x.reached = x.phrases[:0], x.reached[:0]
	x.walk(id)
	return x.phrases, x.reached
}

func (x *expander) walk(id int32) {
	if x.seen[id] == x.stamp {
		return
	}
	x.seen[id] = x.stamp
	x.reached = append(x.reached, id)
	for _, a := range x.b.members[id] {
		if strings.HasPrefix(a, "@") {
			x.walk(x.b.cid[a])
		} else if x.had[a] != x.stamp {
			x.had[a] = x.stamp
			x.phrases = append(x.phrases, a)
		}
	}
}

// wordFilter says which words appendNormIDs keeps. It is not a func, so
// that the words it is given, held in a buffer on the stack, do not escape
// to the heap (an allocation per text, some 40,000 while the index is
// built).
type wordFilter uint8

const (
	keepAll       wordFilter = iota
	keepNoStop               // no stopword
	keepIndexable            // indexableBytes
)

func (f wordFilter) keep(w []byte) bool {
	switch f {
	case keepNoStop:
		return !stopwords[string(w)]
	case keepIndexable:
		return indexableBytes(w)
	}
	return true
}

// clone copies ids into a backing array shared with the other phrases'
// (some 21,000 small slices), cut so that no append reaches a neighbour.
func (b *indexBuilder) clone(ids []int32) []int32 {
	if len(b.arena)+len(ids) > cap(b.arena) {
		b.arena = make([]int32, 0, max(16384, len(ids)))
	}
	n := len(b.arena)
	b.arena = append(b.arena, ids...)
	return b.arena[n:len(b.arena):len(b.arena)]
}
