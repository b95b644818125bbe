package screen

import (
	"hash/maphash"
	"sync"
)

// cache remembers the results of a pure, costly step by key. Plans and
// declaration files repeat the same few goods descriptions ("diesel",
// "milled rice") and partners many times, and classifying a description or
// matching a name are the costliest steps of a line, so each distinct key is
// computed once. It is bounded: a full shard forgets an arbitrary entry for
// each new one. Values are shared between lines: callers must not modify
// them.
type cache[V any] struct {
	seed   maphash.Seed
	shards [cacheShards]cacheShard[V]
}

const (
	cacheShards   = 32
	cacheCapacity = 1 << 16 // keys remembered in all
)

type cacheShard[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

func newCache[V any]() *cache[V] {
	c := &cache[V]{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = make(map[string]V)
	}
	return c
}

// get returns the value for key, computing it with compute when absent.
func (c *cache[V]) get(key string, compute func() V) V {
	sh := &c.shards[maphash.String(c.seed, key)%cacheShards]
	sh.mu.RLock()
	v, ok := sh.m[key]
	sh.mu.RUnlock()
	if ok {
		return v
	}
	v = compute()
	sh.mu.Lock()
	if len(sh.m) >= cacheCapacity/cacheShards {
		for k := range sh.m {
			delete(sh.m, k)
			break
		}
	}
	sh.m[key] = v
	sh.mu.Unlock()
	return v
}
