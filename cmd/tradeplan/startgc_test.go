package main

import (
	"runtime"
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

// TestPauseGCFor: the collector is off while a stream is screened, with a
// memory limit the headroom above what the process holds, and back to its
// settings after.
func TestPauseGCFor(t *testing.T) {
	oldPct := debug.SetGCPercent(120)
	defer debug.SetGCPercent(oldPct)
	resume := pauseGCFor(streamHeadroom)
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("paused: GC percent %d, want -1 (off)", p)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if l := debug.SetMemoryLimit(-1); l < streamHeadroom || l > int64(ms.Sys)+streamHeadroom {
		t.Errorf("paused: memory limit %d, want the headroom %d above the %d bytes held", l, streamHeadroom, ms.Sys)
	}
	resume()
	if p := debug.SetGCPercent(120); p != 120 {
		t.Errorf("resumed: GC percent %d, want 120", p)
	}
}
