package gencache

import (
	"strconv"
	"testing"
)

// BenchmarkCacheColdMiss is the cache's bookkeeping on a miss once it is
// full, as under a stream of descriptions that never repeat (cold
// POST /api/v1/screen): a lookup that misses, then the store of the new
// value, evicting an old one. The compute step is free.
func BenchmarkCacheColdMiss(b *testing.B) {
	c := New[int]()
	keys := make([]string, 4*Capacity)
	for i := range keys {
		keys[i] = "salted pollack, grade A, in cartons, lot " + strconv.Itoa(i)
	}
	for i := range 2 * Capacity { // fill it and churn past the first evictions
		c.Get(keys[i%len(keys)], func() int { return i })
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		c.Get(keys[(i+2*Capacity)%len(keys)], func() int { return i })
	}
}

// BenchmarkCacheHit is a lookup of a key the cache holds, in a full cache
// that has churned.
func BenchmarkCacheHit(b *testing.B) {
	c := New[int]()
	for i := range 3 * Capacity {
		c.Get("lot "+strconv.Itoa(i), func() int { return i })
	}
	c.Get("salted pollack", func() int { return 1 })
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c.Get("salted pollack", func() int { return 2 })
	}
}
