package main

import (
	"runtime/debug"
	"testing"
)

// TestPauseGCRestores: the collector is off while the engine is built and
// back to the settings it had after, whatever they were.
func TestPauseGCRestores(t *testing.T) {
	oldPct := debug.SetGCPercent(150)
	oldLimit := debug.SetMemoryLimit(3 << 30)
	defer func() {
		debug.SetGCPercent(oldPct)
		debug.SetMemoryLimit(oldLimit)
	}()
	resume := pauseGC()
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("paused: GC percent %d, want -1 (off)", p)
	}
	if l := debug.SetMemoryLimit(-1); l != startupHeap {
		t.Errorf("paused: memory limit %d, want %d", l, startupHeap)
	}
	resume()
	if p := debug.SetGCPercent(150); p != 150 {
		t.Errorf("resumed: GC percent %d, want 150", p)
	}
	if l := debug.SetMemoryLimit(-1); l != 3<<30 {
		t.Errorf("resumed: memory limit %d, want %d", l, int64(3<<30))
	}
}
