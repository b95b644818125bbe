package main

import (
	"runtime/debug"
	"testing"
)

// TestSetServeGC: the server's collector target is serveGCPercent unless
// GOGC is set, which is then left as the runtime read it.
func TestSetServeGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)

	if got := setServeGC(func(string) string { return "" }); got != serveGCPercent {
		t.Errorf("no GOGC: in force %d, want %d", got, serveGCPercent)
	}
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("no GOGC: the runtime's target is %d, want %d", got, serveGCPercent)
	}
	env := map[string]string{"GOGC": "150"}
	if got := setServeGC(func(k string) string { return env[k] }); got != 150 {
		t.Errorf("GOGC=150: in force %d, want 150", got)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC=150: the runtime's target changed to %d; it must be left alone", got)
	}
}
