package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// TestBufferedLog: access lines wait in the buffer, any other line is
// written at once after them (order kept), and a flush writes what waits.
func TestBufferedLog(t *testing.T) {
	var out bytes.Buffer
	log, buf := newBufferedLogger(&out, "text", slog.LevelInfo)
	log.Info("request", "path", "/api/v1/parties/screen", "status", 200)
	log.Info("request", "path", "/healthz", "status", 200)
	if out.Len() != 0 {
		t.Fatalf("access lines written at once:\n%s", out.String())
	}
	log.Warn("request", "status", 500)
	if n := strings.Count(out.String(), "msg=request"); n != 3 {
		t.Fatalf("after a warning: %d lines written, want 3:\n%s", n, out.String())
	}
	log.Info("request", "path", "/a")
	log.With("k", "v").Info("serving", "addr", "127.0.0.1:1")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 5 || !strings.Contains(lines[3], "path=/a") || !strings.Contains(lines[4], "msg=serving") || !strings.Contains(lines[4], "k=v") {
		t.Fatalf("an other line must follow the access lines before it:\n%s", out.String())
	}
	log.Info("request", "path", "/b")
	buf.Flush()
	if !strings.Contains(out.String(), "path=/b") {
		t.Fatalf("flush left a line:\n%s", out.String())
	}
	// Many access lines: written in batches before the buffer overflows.
	out.Reset()
	for range 2000 {
		log.Info("request", "path", "/api/v1/parties/screen", "status", 200)
	}
	if out.Len() == 0 || out.Len() > 2000*100 {
		t.Fatalf("%d bytes written of 2000 access lines", out.Len())
	}
	buf.Flush()
	if n := strings.Count(out.String(), "\n"); n != 2000 {
		t.Fatalf("%d lines, want 2000", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	buf.run(ctx) // returns once ctx is done
}
