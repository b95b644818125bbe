package main

import "github.com/tradeplan/tradeplan/rules"

// loadRulesAsync loads the goods rules (the embedded packs, plus the packs
// of paths) on another goroutine, so that a command's start-up builds them
// and the classifier on two cores; the returned function waits for them.
func loadRulesAsync(paths []string) func() (*rules.Engine, error) {
	type result struct {
		re  *rules.Engine
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		if len(paths) > 0 {
			r.re, r.err = rules.Load(paths...)
		} else {
			r.re, r.err = rules.Default()
		}
		done <- r
	}()
	return func() (*rules.Engine, error) {
		r := <-done
		return r.re, r.err
	}
}
