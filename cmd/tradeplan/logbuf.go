package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// The server's log goes through a buffer: the access line of each request
// (message "request", below Warn) waits there and is written with others,
// at most logFlushEvery later or when logBufferSize bytes are waiting, so
// that a request costs no write of its own to standard error (it was about
// a tenth of the server's CPU time for a one-name screening request). Every
// other line is written at once, after what waits before it, so the order
// of lines holds; whatever waits is written when the server stops.
const (
	logBufferSize = 32 << 10
	logFlushEvery = 200 * time.Millisecond
)

// logBuffer keeps whole log lines (slog writes each record in one Write)
// and writes them to w together.
type logBuffer struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf)+len(p) > logBufferSize {
		l.flushLocked()
	}
	l.buf = append(l.buf, p...)
	return len(p), nil
}

func (l *logBuffer) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushLocked()
}

func (l *logBuffer) flushLocked() {
	if len(l.buf) > 0 {
		l.w.Write(l.buf) // nowhere to report a failure to write the log
		l.buf = l.buf[:0]
	}
}

// run writes what waits every logFlushEvery until ctx is done.
func (l *logBuffer) run(ctx context.Context) {
	t := time.NewTicker(logFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.Flush()
		}
	}
}

// flushingHandler writes the buffer out after every record but the access
// lines.
type flushingHandler struct {
	slog.Handler
	buf *logBuffer
}

func (h flushingHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Message != "request" || r.Level >= slog.LevelWarn {
		h.buf.Flush()
	}
	return err
}

func (h flushingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return flushingHandler{h.Handler.WithAttrs(as), h.buf}
}

func (h flushingHandler) WithGroup(name string) slog.Handler {
	return flushingHandler{h.Handler.WithGroup(name), h.buf}
}

// newBufferedLogger is newLogger over a logBuffer on w; the caller runs
// and finally flushes the buffer.
func newBufferedLogger(w io.Writer, format string, level slog.Level) (*slog.Logger, *logBuffer) {
	buf := &logBuffer{w: w}
	return slog.New(flushingHandler{newLogger(buf, format, level).Handler(), buf}), buf
}
