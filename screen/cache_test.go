package screen

import (
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tradeplan/tradeplan"
)

type countingClassifier struct {
	codeTable
	calls atomic.Int64
}

func (c *countingClassifier) Assign(d string, top int) (tradeplan.HSAssignment, []string) {
	c.calls.Add(1)
	return c.codeTable.Assign(d, top)
}

func TestAssignCacheOncePerDescription(t *testing.T) {
	cls := &countingClassifier{codeTable: codeTable{"rice": "100630", "diesel": "271019"}}
	s := New(Config{Classifier: cls})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if a, _ := s.assign("rice"); a.Code != "100630" {
					t.Errorf("rice: %q", a.Code)
				}
				if a, _ := s.assign("diesel"); a.Code != "271019" {
					t.Errorf("diesel: %q", a.Code)
				}
			}
		}()
	}
	wg.Wait()
	// Racing goroutines may each classify a description before the first
	// result is stored, but never more often than there are goroutines.
	if n := cls.calls.Load(); n < 2 || n > 16 {
		t.Errorf("%d classifications for 2 descriptions", n)
	}
}

func TestCacheBounded(t *testing.T) {
	c := newCache[int]()
	for i := range 3 * cacheCapacity {
		if v := c.get("goods "+strconv.Itoa(i), func() int { return i }); v != i {
			t.Fatalf("get %d = %d", i, v)
		}
	}
	n := 0
	for i := range c.shards {
		n += len(c.shards[i].cur) + len(c.shards[i].prev)
	}
	if n > cacheCapacity {
		t.Errorf("cache holds %d descriptions, bound %d", n, cacheCapacity)
	}
}

// TestCacheKeepsWhatIsUsed: a key read now and then stays through any
// number of keys that are used once (a stream of new descriptions), and
// the values are those computed for their keys.
func TestCacheKeepsWhatIsUsed(t *testing.T) {
	c := newCache[int]()
	computed := 0
	hot := func() int { computed++; return -1 }
	for i := range 10 * cacheCapacity {
		if i%(genSize/4) == 0 {
			if v := c.get("salted pollack", hot); v != -1 {
				t.Fatalf("hot key = %d", v)
			}
		}
		if v := c.get("lot "+strconv.Itoa(i), func() int { return i }); v != i {
			t.Fatalf("get %d = %d", i, v)
		}
	}
	if computed != 1 {
		t.Errorf("the key read all along was computed %d times, want 1", computed)
	}
	// the last keys are still there, the first ones are gone
	for i, want := range map[int]bool{10*cacheCapacity - 1: true, 0: false} {
		got := true
		c.get("lot "+strconv.Itoa(i), func() int { got = false; return i })
		if got != want {
			t.Errorf("key %d held: %v, want %v", i, got, want)
		}
	}
}
