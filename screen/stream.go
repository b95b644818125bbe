package screen

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/tradeplan/tradeplan"
)

// LineSource yields lines one at a time, io.EOF at the end. A bad line is an
// EInvalid *tradeplan.Error with its problems; the source must be able to go
// on to the next line after one (plan.CSVReader does).
type LineSource interface {
	Read() (tradeplan.Line, error)
}

// lineReaderInto is a LineSource that can also read a line in place
// (plan.CSVReader does): a line is then built where its batch keeps it,
// not copied there.
type lineReaderInto interface {
	ReadInto(*tradeplan.Line) error
}

// batchSize is how many lines travel together between the reader, the
// workers and the ordered stage: large enough to make channel traffic cheap,
// small enough to keep memory flat.
const batchSize = 256

// maxInFlight is how many batches a stream over workers goroutines holds
// at most between reading them and emitting them: the channels' (one a
// worker each way), one a worker, and room for a worker briefly slower
// than the others: at most about 1.3 MB of lines a worker (eight batches
// of 256 lines, some 650 bytes a line).
// Were it unbounded, a worker held on one line (descheduled, or a slow
// look-up) would let the others and the reader run ahead through the
// whole input, every batch kept until the held one is emitted.
func maxInFlight(workers int) int { return 8 * workers }

// maxProblems bounds how many problems of a stream are reported.
const maxProblems = 200

type batch struct {
	seq     int
	lines   []tradeplan.Line
	reports []tradeplan.LineReport
	// What a worker rendered (StreamReport): the bytes of the lines it
	// finished, and for each line where its bytes end in out, or -1 when
	// it was left to the ordered stage.
	out []byte
	end []int32
}

var batchPool = sync.Pool{New: func() any {
	return &batch{lines: make([]tradeplan.Line, 0, batchSize), reports: make([]tradeplan.LineReport, 0, batchSize)}
}}

// Stream screens the lines of src in order, calling emit for each screened
// line from one goroutine, in input order, and returns the summary. Memory
// stays flat in the number of lines: a bounded number of batches is in
// flight.
//
// When src yields bad lines, Stream stops screening, reads on to collect
// every problem (up to a bound), and returns them as one EInvalid error; the
// caller must then discard what emit received, since a file with errors is
// not screened in part.
func (s *Screener) Stream(ctx context.Context, src LineSource, o Options, emit func(*tradeplan.LineReport) error) (tradeplan.Summary, error) {
	return s.stream(ctx, src, o, emit, nil)
}

// StreamReport is Stream writing each screened line to rw, after its
// BeginPlan and before its EndPlan. With the CSV and text writers, a
// worker that screened a line the in-order steps cannot change (no cap,
// no party or vessel match: ordered.needed) also settles and renders it,
// so that the ordered stage, one goroutine, only writes its bytes: the
// report's rendering runs on every core.
func (s *Screener) StreamReport(ctx context.Context, src LineSource, o Options, rw ReportWriter) (tradeplan.Summary, error) {
	lr, _ := rw.(lineRenderer)
	return s.stream(ctx, src, o, rw.Line, lr)
}

func (s *Screener) stream(ctx context.Context, src LineSource, o Options, emit func(*tradeplan.LineReport) error, lr lineRenderer) (tradeplan.Summary, error) {
	asOf := s.AsOf(o)
	od := s.newOrdered(o)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	workers := s.cfg.Workers
	work := make(chan *batch, workers)
	results := make(chan *batch, workers)
	// The stream's own free batches: once made, a batch serves the whole
	// stream (sync.Pool drops its batches at every collection, and new ones
	// are new memory, every page of it a fault). Every batch in flight fits
	// (the channels, one a worker, the reader's, the ones waiting their
	// turn), so a batch is rarely dropped.
	free := make(chan *batch, maxInFlight(workers)+4)
	getBatch := func() *batch {
		select {
		case b := <-free:
			return b
		default:
			return batchPool.Get().(*batch)
		}
	}
	defer func() {
		for {
			select {
			case b := <-free:
				batchPool.Put(b)
			default:
				return
			}
		}
	}()

	// inFlight holds a token for every batch read and not yet emitted
	// (maxInFlight): the reader takes one before it sends a batch, the
	// ordered stage gives it back once the batch is written.
	inFlight := make(chan struct{}, maxInFlight(workers))

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			memo := newClassMemo()
			var render func([]byte, *tradeplan.LineReport) []byte
			if lr != nil {
				render = lr.renderer()
			}
			for b := range work {
				b.reports = b.reports[:len(b.lines)]
				for i := range b.lines {
					s.lineInto(&b.reports[i], &b.lines[i], asOf, memo)
				}
				if render != nil {
					b.out, b.end = b.out[:0], b.end[:0]
					for i := range b.reports {
						r := &b.reports[i]
						if od.needed(r) {
							b.end = append(b.end, -1)
							continue
						}
						settle(r)
						b.out = render(b.out, r)
						b.end = append(b.end, int32(len(b.out)))
					}
				}
				select {
				case results <- b:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// The ordered stage: reorder batches, account caps and decisions, emit.
	var sum tradeplan.Summary
	orderErr := make(chan error, 1)
	go func() {
		pending := map[int]*batch{}
		next := 0
		var err error
		for b := range results {
			if err != nil {
				continue // drain
			}
			pending[b.seq] = b
			for {
				nb, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				next++
				rendered := len(nb.end) == len(nb.reports) // by the workers; else none
				from, end := 0, 0                          // nb.out is written up to from, rendered up to end
				for i := range nb.reports {
					r := &nb.reports[i]
					if rendered {
						if e := nb.end[i]; e >= 0 {
							sum.Add(r.Verdict) // settled and rendered already
							end = int(e)
							continue
						}
						if end > from {
							if err = lr.rendered(nb.out[from:end]); err != nil {
								break
							}
							from = end
						}
					}
					if err = od.finish(ctx, r); err != nil {
						break
					}
					sum.Add(r.Verdict)
					if err = emit(r); err != nil {
						break
					}
				}
				if err == nil && rendered && from < len(nb.out) {
					err = lr.rendered(nb.out[from:])
				}
				// Not cleared: the reader and the workers overwrite a line
				// and a report whole (ReadInto, lineInto), and what a
				// pooled batch still points to is bounded by the batches.
				<-inFlight
				nb.lines, nb.reports, nb.out, nb.end = nb.lines[:0], nb.reports[:0], nb.out[:0], nb.end[:0]
				select {
				case free <- nb:
				default:
					batchPool.Put(nb)
				}
				if err != nil {
					cancel()
					break
				}
			}
		}
		orderErr <- err
	}()

	// The reader: this goroutine.
	var problems tradeplan.Problems
	var readErr error
	seq := 0
	b := getBatch()
	send := func() bool {
		if len(b.lines) == 0 {
			return true
		}
		b.seq = seq
		seq++
		select {
		case inFlight <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		select {
		case work <- b:
			b = getBatch()
			return true
		case <-ctx.Done():
			return false
		}
	}
	into, _ := src.(lineReaderInto)
	for {
		var err error
		if into != nil {
			b.lines = append(b.lines, tradeplan.Line{})
			err = into.ReadInto(&b.lines[len(b.lines)-1])
			if err != nil || len(problems) > 0 {
				b.lines = b.lines[:len(b.lines)-1]
			}
		} else {
			var l tradeplan.Line
			l, err = src.Read()
			if err == nil && len(problems) == 0 {
				b.lines = append(b.lines, l)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			var te *tradeplan.Error
			if errors.As(err, &te) && te.Code == tradeplan.EInvalid && len(te.Problems) > 0 {
				if len(problems) < maxProblems {
					problems = append(problems, te.Problems...)
				}
				continue
			}
			readErr = err
			break
		}
		if len(problems) > 0 {
			continue // keep reading for problems only
		}
		if len(b.lines) == batchSize && !send() {
			break
		}
	}
	if len(problems) == 0 && readErr == nil {
		send()
	}
	close(work)
	err := <-orderErr
	switch {
	case len(problems) > 0:
		if len(problems) > maxProblems {
			problems = problems[:maxProblems]
		}
		return tradeplan.Summary{}, problems.Err("input has errors; nothing was screened")
	case readErr != nil:
		return tradeplan.Summary{}, readErr
	case err != nil:
		return tradeplan.Summary{}, err
	}
	return sum, ctx.Err()
}
