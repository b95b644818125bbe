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
		n += len(c.shards[i].m.cur) + len(c.shards[i].m.prev)
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

// TestMapKeepsWhatIsUsed: a Map alone (a goroutine's memo) holds at most
// two generations, and a key read now and then stays.
func TestMapKeepsWhatIsUsed(t *testing.T) {
	const size = 64
	m := NewMap[int](size)
	for i := range 100 * size {
		if i%(size/4) == 0 {
			if v, ok := m.Get("salted pollack"); !ok && i > 0 || ok && v != -1 {
				t.Fatalf("at %d: hot key = %d, %v", i, v, ok)
			} else if !ok {
				m.Put("salted pollack", -1)
			}
		}
		key := "lot " + strconv.Itoa(i)
		if _, ok := m.Get(key); ok {
			t.Fatalf("%s held before it was put", key)
		}
		m.Put(key, i)
		if v, ok := m.Get(key); !ok || v != i {
			t.Fatalf("%s = %d, %v", key, v, ok)
		}
		if n := len(m.cur) + len(m.prev); n > 2*size {
			t.Fatalf("%d keys held, bound %d", n, 2*size)
		}
	}
	if _, ok := m.Get("lot 0"); ok {
		t.Error("the first key is still held")
	}
}
