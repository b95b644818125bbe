package imports

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
)

var (
	screenerOnce sync.Once
	screener     *screen.Screener
)

func testScreener(t testing.TB) *screen.Screener {
	screenerOnce.Do(func() {
		eng, err := rules.Default()
		if err != nil {
			t.Fatal(err)
		}
		cls, err := hs.Default()
		if err != nil {
			t.Fatal(err)
		}
		screener = screen.New(screen.Config{Goods: eng, Classifier: cls, NewLedger: rules.NewLedger})
	})
	return screener
}

// screened reads and screens plan files into entries.
func screened(t testing.TB, paths ...string) []Entry {
	t.Helper()
	var out []Entry
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := plan.Read(f, filepath.Base(p), plan.YAML)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, screenPlan(t, pl))
	}
	return out
}

func screenPlan(t testing.TB, pl *tradeplan.Plan) Entry {
	t.Helper()
	rep, err := testScreener(t).Plan(context.Background(), pl, screen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Entry{Plan: pl, Report: &rep}
}

func d(s string) tradeplan.Decimal { return tradeplan.MustDecimal(s) }

func findLine(t testing.TB, r *Result, planID string, idx int) LineResult {
	t.Helper()
	for _, l := range r.Lines {
		if l.Plan == planID && l.Line == idx {
			return *l
		}
	}
	t.Fatalf("no line %s:%d", planID, idx)
	return LineResult{}
}
