package main

import (
	"runtime/debug"
	"strconv"
)

// serveGCPercent is the collector's target of `tradeplan serve` when the
// environment sets no GOGC: a collection when the heap has grown by four
// times what was live after the last, instead of once.
//
// A server holds the sanctions lists' index (about 85 MB live, most of it
// pointers the collector must mark each cycle, some 100 ms of CPU) and
// makes only short-lived garbage per request (about 12 KB a one-name
// screening). At GOGC=100 it collected every 1.2 s under one-name load,
// about a tenth of the server's CPU, marking the same index each time; at
// 400 it collects a quarter as often, for a peak heap of about five times
// what is live (some 450 MB with the UN and OFAC lists) instead of twice.
// GOGC in the environment takes precedence (GOGC=100 gives the runtime's
// default back), and GOMEMLIMIT still bounds the heap.
const serveGCPercent = 400

// setServeGC sets the collector's target for a server unless the
// environment sets one; it returns the target in force.
func setServeGC(getenv func(string) string) int {
	if v := getenv("GOGC"); v != "" {
		// The runtime has read it already.
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		return -1
	}
	debug.SetGCPercent(serveGCPercent)
	return serveGCPercent
}
