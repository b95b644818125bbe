package licensing

import (
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

func FuzzParseDeadline(f *testing.F) {
	for _, s := range []string{"2026-12-31", "2026-12-31T18:00:00+09:00", "2026-02-30", "", "31/12/2026", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDeadline(s)
		if err != nil {
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Fatalf("error code %q", tradeplan.ErrorCode(err))
			}
			return
		}
		if d.Location() != time.UTC {
			t.Fatalf("deadline %v not in UTC", d)
		}
	})
}

func FuzzCrossingSlug(f *testing.F) {
	for _, s := range []string{"Rajin port", "Namyang-Tumen", "--", "", "Sinuiju/Dandong (rail)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := CrossingSlug(s)
		if id != "" && len(id) <= 63 && !crossingID.MatchString(id) {
			t.Fatalf("CrossingSlug(%q) = %q is not a crossing id", s, id)
		}
		if CrossingSlug(id) != id {
			t.Fatalf("CrossingSlug is not idempotent on %q", id)
		}
	})
}

// FuzzDiff checks that every line of both versions is accounted for once.
func FuzzDiff(f *testing.F) {
	f.Add("import diesel 2710 5;export crab 1605 2", "import diesel 2710 6;import rice 1006 1;export crab 1605 2")
	f.Add("", "import a 1 1")
	f.Fuzz(func(t *testing.T, a, b string) {
		parse := func(s string) tradeplan.Plan {
			var p tradeplan.Plan
			for _, part := range strings.Split(s, ";") {
				fs := strings.Fields(part)
				if len(fs) == 0 {
					continue
				}
				l := tradeplan.Line{Direction: tradeplan.Direction(fs[0])}
				if len(fs) > 1 {
					l.Description = fs[1]
				}
				if len(fs) > 2 {
					l.HS = fs[2]
				}
				if len(fs) > 3 {
					l.Unit = fs[3]
				}
				p.Lines = append(p.Lines, l)
			}
			return p
		}
		pa, pb := parse(a), parse(b)
		d := Diff(pa, pb, 1, 2)
		from := make([]int, len(pa.Lines)+1)
		to := make([]int, len(pb.Lines)+1)
		for _, i := range d.Removed {
			from[i]++
		}
		for _, j := range d.Added {
			to[j]++
		}
		for _, u := range d.Unchanged {
			from[u[0]]++
			to[u[1]]++
		}
		for _, c := range d.Changed {
			from[c.From]++
			to[c.To]++
			if len(c.Fields) == 0 {
				t.Fatalf("changed line without changed fields: %+v", c)
			}
		}
		for i := 1; i < len(from); i++ {
			if from[i] != 1 {
				t.Fatalf("line %d of the old version counted %d times: %+v", i, from[i], d)
			}
		}
		for j := 1; j < len(to); j++ {
			if to[j] != 1 {
				t.Fatalf("line %d of the new version counted %d times: %+v", j, to[j], d)
			}
		}
	})
}
