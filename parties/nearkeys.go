package parties

// nearKeys is fuzzyKeys(k, nil), remembered: the words of the names a
// server screens repeat (company words, cities, legal forms) while the
// names themselves rarely do, and finding a word's near spellings is most
// of a new name's search (one lookup of the sorted deletion hashes for
// each of its letters). The answer is shared: callers must not modify it.
func (ix *Index) nearKeys(k string) []string {
	if ix.near == nil {
		return ix.fuzzyKeys(k, nil)
	}
	return ix.near.Get(k, func() []string { return ix.fuzzyKeys(k, nil) })
}
