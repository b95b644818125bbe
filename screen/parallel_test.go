package screen

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// TestParallel: every index is done exactly once, whatever the number of
// workers; a cancelled context stops the work and is reported.
func TestParallel(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		for _, n := range []int{0, 1, 2, 7, 1000} {
			counts := make([]atomic.Int32, n)
			if err := parallel(context.Background(), workers, n, func(i int) { counts[i].Add(1) }); err != nil {
				t.Fatalf("workers %d, n %d: %v", workers, n, err)
			}
			for i := range counts {
				if c := counts[i].Load(); c != 1 {
					t.Fatalf("workers %d, n %d: index %d done %d times", workers, n, i, c)
				}
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		var done atomic.Int32
		cancelled := make(chan struct{})
		err := parallel(ctx, workers, 1000, func(i int) {
			// Lines after the tenth wait for its cancel: a worker preempted
			// between counting and cancelling must not let the others finish
			// every line first.
			switch d := done.Add(1); {
			case d == 10:
				cancel()
				close(cancelled)
			case d > 10:
				<-cancelled
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("workers %d: cancelled after 10 lines: error %v, want context.Canceled", workers, err)
		}
		if d := done.Load(); d >= 1000 {
			t.Errorf("workers %d: all %d lines done after the cancel", workers, d)
		}
		// Cancelled after the last line: nothing was left undone.
		ctx, cancel = context.WithCancel(context.Background())
		if err := parallel(ctx, workers, 5, func(i int) {
			if i == 4 {
				cancel()
			}
		}); err != nil && workers == 1 {
			t.Errorf("workers 1: cancelled at the last line: %v, want nil", err)
		}
	}
}
