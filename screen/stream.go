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

// maxProblems bounds how many problems of a stream are reported.
const maxProblems = 200

type batch struct {
	seq     int
	lines   []tradeplan.Line
	reports []tradeplan.LineReport
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
	free := make(chan *batch, 4*workers+4)
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

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			memo := newClassMemo()
			for b := range work {
				b.reports = b.reports[:len(b.lines)]
				for i := range b.lines {
					s.lineInto(&b.reports[i], &b.lines[i], asOf, memo)
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
				for i := range nb.reports {
					if err = od.finish(ctx, &nb.reports[i]); err != nil {
						break
					}
					sum.Add(nb.reports[i].Verdict)
					if err = emit(&nb.reports[i]); err != nil {
						break
					}
				}
				// Not cleared: the reader and the workers overwrite a line
				// and a report whole (ReadInto, lineInto), and what a
				// pooled batch still points to is bounded by the batches.
				nb.lines, nb.reports = nb.lines[:0], nb.reports[:0]
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
