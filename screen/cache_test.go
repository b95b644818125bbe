package screen

import (
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
