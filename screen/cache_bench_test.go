package screen

import (
	"strconv"
	"testing"
)

// BenchmarkCacheColdMiss is the cache's bookkeeping on a miss once it is
// full, as under a stream of descriptions that never repeat (cold
// POST /api/v1/screen): a lookup that misses, then the store of the new
// value, evicting an old one. The compute step is free.
func BenchmarkCacheColdMiss(b *testing.B) {
	c := newCache[int]()
	keys := make([]string, 4*cacheCapacity)
	for i := range keys {
		keys[i] = "salted pollack, grade A, in cartons, lot " + strconv.Itoa(i)
	}
	for i := range 2 * cacheCapacity { // fill it and churn past the first evictions
		c.get(keys[i%len(keys)], func() int { return i })
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c.get(keys[(i+2*cacheCapacity)%len(keys)], func() int { return i })
	}
}

// BenchmarkCacheHit is a lookup of a key the cache holds, in a full cache
// that has churned.
func BenchmarkCacheHit(b *testing.B) {
	c := newCache[int]()
	for i := range 3 * cacheCapacity {
		c.get("lot "+strconv.Itoa(i), func() int { return i })
	}
	c.get("salted pollack", func() int { return 1 })
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c.get("salted pollack", func() int { return 2 })
	}
}
