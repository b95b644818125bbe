package main

import (
	"runtime/debug"
	"runtime/metrics"
)

// startupHeap bounds the heap while the collector is paused for start-up.
const startupHeap = 512 << 20

// pauseGC stops the collector until the returned function is called, the
// heap bounded by startupHeap meanwhile. Building the screening engine
// (the classifier's index, the rules, the lists) allocates mostly what it
// keeps: collections during it found little to free and cost a command
// about a tenth of its start-up CPU.
func pauseGC() (resume func()) { return pauseGCAt(startupHeap) }

// pauseGCAt stops the collector until the returned function is called;
// it runs only when the process's memory nears limit bytes.
func pauseGCAt(limit int64) (resume func()) {
	pct := debug.SetGCPercent(-1)
	old := debug.SetMemoryLimit(limit)
	return func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(old)
	}
}

// streamHeadroom is how far the memory of `tradeplan screen` may grow
// past what its engine took before the collector runs while it screens
// (pauseGCFor). A stream's live heap is the engine and a bounded number
// of batches; its garbage is the findings of lines, about 60 bytes a
// line. At the default setting each collection marked the engine again
// whole (30 MB of pointers, 70 MB with the lists), two or three times a
// million lines, and took a core from the stream while it marked; with
// this headroom a million lines need none, and memory stays bounded, flat
// in the number of lines.
const streamHeadroom = 128 << 20

// pauseGCFor is pauseGCAt with the limit headroom bytes above the
// memory the process holds now.
func pauseGCFor(headroom int64) (resume func()) {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	return pauseGCAt(int64(s[0].Value.Uint64()) + headroom)
}
