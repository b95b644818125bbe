package gencache

import (
	"strconv"
	"testing"
)

func TestCacheBounded(t *testing.T) {
	c := New[int]()
	for i := range 3 * Capacity {
		if v := c.Get("goods "+strconv.Itoa(i), func() int { return i }); v != i {
			t.Fatalf("get %d = %d", i, v)
		}
	}
	n := 0
	for i := range c.shards {
		n += len(c.shards[i].cur) + len(c.shards[i].prev)
	}
	if n > Capacity {
		t.Errorf("cache holds %d descriptions, bound %d", n, Capacity)
	}
}

// TestCacheKeepsWhatIsUsed: a key read now and then stays through any
// number of keys that are used once (a stream of new descriptions), and
// the values are those computed for their keys.
func TestCacheKeepsWhatIsUsed(t *testing.T) {
	c := New[int]()
	computed := 0
	hot := func() int { computed++; return -1 }
	for i := range 10 * Capacity {
		if i%(genSize/4) == 0 {
			if v := c.Get("salted pollack", hot); v != -1 {
				t.Fatalf("hot key = %d", v)
			}
		}
		if v := c.Get("lot "+strconv.Itoa(i), func() int { return i }); v != i {
			t.Fatalf("get %d = %d", i, v)
		}
	}
	if computed != 1 {
		t.Errorf("the key read all along was computed %d times, want 1", computed)
	}
	// the last keys are still there, the first ones are gone
	for i, want := range map[int]bool{10*Capacity - 1: true, 0: false} {
		got := true
		c.Get("lot "+strconv.Itoa(i), func() int { got = false; return i })
		if got != want {
			t.Errorf("key %d held: %v, want %v", i, got, want)
		}
	}
}
