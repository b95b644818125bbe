package rules

import (
	"sync"
	"unsafe"

	"github.com/tradeplan/tradeplan"
)

// A line's findings, the text of their explanations and notes, their note
// lists and their cap uses are cut from blocks shared with the lines
// screened after it, instead of each line allocating its own: one
// allocation serves many lines, and the collector has fewer objects to
// track. Slices are capped at their own length, so an append by the caller
// copies rather than running into a neighbour's; text once handed out is
// never written again. A block lives until the last line cut from it is
// dropped: at most a few kilobytes beyond what the lines hold.
const (
	findingBlock = 32   // findings per block (4 kB)
	textBlock    = 2048 // bytes of explanation and note text per block
	listBlock    = 64   // strings of note and missing lists per block
	capBlock     = 16   // cap uses per block
)

type block struct {
	free  []tradeplan.Finding
	text  []byte // text[len:cap] is free
	lists []string
	caps  []tradeplan.CapUse
}

var blocks = sync.Pool{New: func() any { return new(block) }}

func getBlock() *block { return blocks.Get().(*block) }

func (b *block) release() { blocks.Put(b) }

// keep moves fs, which may live on the caller's stack, into the block.
func (b *block) keep(fs []tradeplan.Finding) []tradeplan.Finding {
	n := len(fs)
	if n == 0 {
		return nil
	}
	if n > findingBlock/4 {
		return append([]tradeplan.Finding(nil), fs...) // rare: a line with many findings
	}
	if len(b.free) < n {
		b.free = make([]tradeplan.Finding, findingBlock)
	}
	out := b.free[:n:n]
	b.free = b.free[n:]
	copy(out, fs)
	return out
}

// strings returns a list of n strings, capped at n.
func (b *block) strings(n int) []string {
	if n > listBlock/8 {
		return make([]string, n)
	}
	if len(b.lists) < n {
		b.lists = make([]string, listBlock)
	}
	out := b.lists[:n:n]
	b.lists = b.lists[n:]
	return out
}

// capUse returns a zero CapUse held in the block.
func (b *block) capUse() *tradeplan.CapUse {
	if len(b.caps) == 0 {
		b.caps = make([]tradeplan.CapUse, capBlock)
	}
	c := &b.caps[0]
	b.caps = b.caps[1:]
	return c
}

// str returns s as a string held in the block.
func (b *block) str(s []byte) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) > textBlock/8 {
		return string(s)
	}
	if cap(b.text)-len(b.text) < len(s) {
		b.text = make([]byte, 0, textBlock)
	}
	i := len(b.text)
	b.text = append(b.text, s...)
	return unsafe.String(&b.text[i], len(s))
}
