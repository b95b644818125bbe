package parties

import (
	"hash/maphash"
	"sync"
)

// nearKeys is fuzzyKeys(k, nil), remembered: the words of the names a
// server screens repeat (company words, cities, legal forms) while the
// names themselves rarely do, and finding a word's near spellings is most
// of a new name's search (one lookup of the sorted deletion hashes for
// each of its letters). The answer is shared: callers must not modify it.
func (ix *Index) nearKeys(k string) []string {
	if ix.near == nil {
		return ix.fuzzyKeys(k, nil)
	}
	return ix.near.get(k, func() []string { return ix.fuzzyKeys(k, nil) })
}

// nearCache is bounded by generations, as the screening caches are: each
// shard writes into a current map and reads the previous one too; when
// the current one is full it becomes the previous one, and the older one
// is dropped whole.
type nearCache struct {
	seed   maphash.Seed
	shards [nearShards]nearShard
}

const (
	nearShards = 16
	nearGen    = 1 << 11 // keys of one generation of a shard
)

type nearShard struct {
	mu        sync.RWMutex
	cur, prev map[string][]string
}

func newNearCache() *nearCache {
	c := &nearCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].cur = map[string][]string{}
	}
	return c
}

func (c *nearCache) get(k string, compute func() []string) []string {
	sh := &c.shards[maphash.String(c.seed, k)%nearShards]
	sh.mu.RLock()
	v, ok := sh.cur[k]
	old := false
	if !ok {
		v, ok = sh.prev[k]
		old = ok
	}
	sh.mu.RUnlock()
	if ok && !old {
		return v
	}
	if !ok {
		v = compute()
	}
	sh.mu.Lock()
	if len(sh.cur) >= nearGen {
		sh.prev, sh.cur = sh.cur, make(map[string][]string, nearGen)
	}
	sh.cur[k] = v
	sh.mu.Unlock()
	return v
}
