package screen

import (
	"hash/maphash"
	"sync"

	"github.com/tradeplan/tradeplan"
)

// assignCache remembers the classification of goods descriptions. Plans and
// declaration files repeat the same few descriptions many times ("diesel",
// "milled rice"), and classifying is the costliest step of a line, so each
// distinct description is classified once. It is bounded: a full shard
// forgets an arbitrary entry for each new one.
type assignCache struct {
	seed   maphash.Seed
	shards [cacheShards]cacheShard
}

const (
	cacheShards   = 32
	cacheCapacity = 1 << 16 // descriptions remembered in all
)

type cacheShard struct {
	mu sync.RWMutex
	m  map[string]assignment
}

type assignment struct {
	a    tradeplan.HSAssignment
	alts []string
}

func newAssignCache() *assignCache {
	c := &assignCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = make(map[string]assignment)
	}
	return c
}

// assign returns the classifier's assignment for description d, from the
// cache when it has it. The returned values are shared: callers must not
// modify them.
func (c *assignCache) assign(cls tradeplan.Classifier, d string) (tradeplan.HSAssignment, []string) {
	sh := &c.shards[maphash.String(c.seed, d)%cacheShards]
	sh.mu.RLock()
	v, ok := sh.m[d]
	sh.mu.RUnlock()
	if ok {
		return v.a, v.alts
	}
	a, alts := cls.Assign(d, topCandidates)
	sh.mu.Lock()
	if len(sh.m) >= cacheCapacity/cacheShards {
		for k := range sh.m {
			delete(sh.m, k)
			break
		}
	}
	sh.m[d] = assignment{a, alts}
	sh.mu.Unlock()
	return a, alts
}
