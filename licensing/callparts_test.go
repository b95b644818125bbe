package licensing

import (
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// TestPartCache: a kept part is given only for the same revision, plan
// row and call period, and the cache starts again beyond its bounds.
func TestPartCache(t *testing.T) {
	c := tradeplan.Call{ID: 7, Period: "2027-H1", From: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)}
	rev := PlanRev{Plan: 3, Version: 2, Organisation: 5, Status: tradeplan.PlanSubmitted, Rev: 41}
	var pc partCache
	pc.put([]*planPart{{rev: rev, call: c.ID, period: c.Period, from: c.From, to: c.To, sts: make([]LineState, 2)}})
	if pc.get(rev, c) == nil {
		t.Fatal("the part kept is not given back")
	}
	other := c
	other.To = other.To.AddDate(0, 0, 1)
	for name, r := range map[string]PlanRev{
		"another revision":     {Plan: 3, Version: 2, Organisation: 5, Status: tradeplan.PlanSubmitted, Rev: 42},
		"another version":      {Plan: 3, Version: 3, Organisation: 5, Status: tradeplan.PlanSubmitted, Rev: 41},
		"another organisation": {Plan: 3, Version: 2, Organisation: 6, Status: tradeplan.PlanSubmitted, Rev: 41},
		"another status":       {Plan: 3, Version: 2, Organisation: 5, Status: tradeplan.PlanDecided, Rev: 41},
		"another plan":         {Plan: 4, Version: 2, Organisation: 5, Status: tradeplan.PlanSubmitted, Rev: 41},
	} {
		if pc.get(r, c) != nil {
			t.Errorf("%s: a part is given", name)
		}
	}
	if pc.get(rev, other) != nil {
		t.Error("another period: a part is given")
	}
	// Beyond the lines it may keep, it starts again.
	big := make([]*planPart, 0, 3)
	for i := range 3 {
		big = append(big, &planPart{rev: PlanRev{Plan: int64(100 + i), Rev: 1}, call: c.ID, period: c.Period, from: c.From, to: c.To, sts: make([]LineState, maxKeptLines/3)})
	}
	pc.put(big)
	if pc.get(rev, c) != nil || pc.lines > maxKeptLines {
		t.Errorf("beyond the bound: %d lines kept, the first part still given", pc.lines)
	}
}
