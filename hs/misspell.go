package hs

// misspellings is what correct reads: the index of one-letter deletions of
// the known words (deletionHash -> word id) and two filters over hashes,
// of those deletions and of the known words themselves. A word that is no
// known word's misspelling (a made-up word, a brand, a lot "kxbqaa") makes
// some 2n+1 lookups, nearly all of them misses; a map probes a table of
// megabytes for each, the filters answer most from a few kilobytes. A
// filter never says no to a hash it holds, so the answers are the maps'.
type misspellings struct {
	deletes map[uint64]int32
	deleted hashFilter // the keys of deletes
	known   hashFilter // deletionHash(w, -1) of every word of the vocabulary
}

// hashFilter is a Bloom filter of 64-bit hashes with both of a key's bits in
// one word: one memory read a test. Sized at 16 bits a key, it says yes to
// about 1.5% of the hashes it does not hold.
type hashFilter []uint64

func newHashFilter(keys int) hashFilter {
	n := 1
	for n*64 < 16*keys {
		n *= 2
	}
	return make(hashFilter, n)
}

// filterBits returns the word and the two bits of h. deletionHash is
// FNV-1a, whose low bits mix poorly: h is mixed again first (the
// finaliser of MurmurHash3).
func (f hashFilter) filterBits(h uint64) (int, uint64) {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return int(h>>40) & (len(f) - 1), 1<<(h&63) | 1<<(h>>6&63)
}

func (f hashFilter) add(h uint64) {
	i, bits := f.filterBits(h)
	f[i] |= bits
}

func (f hashFilter) has(h uint64) bool {
	i, bits := f.filterBits(h)
	return f[i]&bits == bits
}
