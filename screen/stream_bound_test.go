package screen

import (
	"context"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// stallingParties stalls the screening of the partner named "STALL" until
// release is closed.
type stallingParties struct{ release chan struct{} }

func (p stallingParties) ScreenParty(q tradeplan.Party) []tradeplan.Finding {
	if q.Name == "STALL" {
		<-p.release
	}
	return nil
}

func (stallingParties) ScreenVessel(tradeplan.Vessel) []tradeplan.Finding { return nil }

// countingSource gives n lines of salted pollack, the first naming the
// partner "STALL", and counts the lines read.
type countingSource struct {
	n    int
	read atomic.Int64
}

func (c *countingSource) Read() (tradeplan.Line, error) {
	i := int(c.read.Load())
	if i >= c.n {
		return tradeplan.Line{}, io.EOF
	}
	c.read.Add(1)
	l := tradeplan.Line{Index: i + 1, Direction: tradeplan.Export, HS: "030569", Description: "salted pollack", Quantity: tradeplan.D(1), Unit: "t", Origin: "KP", Destination: "CN"}
	if i == 0 {
		l.Partner = &tradeplan.Party{Name: "STALL"}
	}
	return l, nil
}

// TestStreamBoundedWhileAWorkerStalls: while one worker is held on a line
// (descheduled, or a slow look-up), the others and the reader must not run
// ahead without end: the batches waiting for their turn in the ordered
// stage were unbounded, and memory grew with the input (csvcmd2 saw the
// heap go from 15 to 48 MB at high load). The reader now waits once
// maxInFlight batches are read and not yet emitted; every line still
// comes out, in order.
func TestStreamBoundedWhileAWorkerStalls(t *testing.T) {
	cls, rs := embedded(t)
	release := make(chan struct{})
	s := New(Config{Classifier: cls, Goods: rs, Parties: stallingParties{release}, Workers: 2})
	src := &countingSource{n: 400 * batchSize}
	var emitted int
	done := make(chan error, 1)
	go func() {
		_, err := s.Stream(context.Background(), src, Options{AsOf: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)}, func(r *tradeplan.LineReport) error {
			if r.Index != emitted+1 {
				t.Errorf("line %d emitted as the %dth", r.Index, emitted)
			}
			emitted++
			return nil
		})
		done <- err
	}()
	bound := int64((8*2 + 2) * batchSize) // eight batches a worker in flight, the one being read, one spare
	last, still := int64(-1), 0
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && still < 5; {
		time.Sleep(50 * time.Millisecond)
		n := src.read.Load()
		if n > bound {
			close(release)
			<-done
			t.Fatalf("with one worker held on the first batch, %d lines were read ahead (bound %d)", n, bound)
		}
		if n == last {
			still++
		} else {
			last, still = n, 0
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if emitted != src.n {
		t.Fatalf("%d lines emitted, want %d", emitted, src.n)
	}
}
