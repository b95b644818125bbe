package main

import "runtime/debug"

// startupHeap bounds the heap while the collector is paused for start-up.
const startupHeap = 512 << 20

// pauseGC stops the collector until the returned function is called, the
// heap bounded by startupHeap meanwhile. Building the screening engine
// (the classifier's index, the rules, the lists) allocates mostly what it
// keeps: collections during it found little to free and cost a command
// about a tenth of its start-up CPU.
func pauseGC() (resume func()) {
	pct := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(startupHeap)
	return func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(limit)
	}
}
