package parties

import (
	"context"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/shareddata"
)

var unEntryRE = regexp.MustCompile(`(?s)\s*<(INDIVIDUAL|ENTITY)>.*?</(INDIVIDUAL|ENTITY)>`)

var unRaw struct {
	once  sync.Once
	text  string
	spans [][]int // of the entries in text
	err   error
}

// unCut is the real UN list keeping the entries keep says, with another
// dateGenerated when date is set: a dataset made in memory, never a file.
func unCut(t *testing.T, keep func(i int) bool, date string) tradeplan.Dataset {
	t.Helper()
	shareddata.Path(t, shareddata.UNList)
	unRaw.once.Do(func() {
		b, err := os.ReadFile(unPath)
		unRaw.text, unRaw.err = string(b), err
		unRaw.spans = unEntryRE.FindAllStringIndex(unRaw.text, -1)
	})
	if unRaw.err != nil {
		t.Fatalf("UN list: %v", unRaw.err)
	}
	var b strings.Builder
	at := 0
	for i, sp := range unRaw.spans {
		b.WriteString(unRaw.text[at:sp[0]])
		if keep(i) {
			b.WriteString(unRaw.text[sp[0]:sp[1]])
		}
		at = sp[1]
	}
	b.WriteString(unRaw.text[at:])
	s := b.String()
	if date != "" {
		s = regexp.MustCompile(`dateGenerated="[^"]*"`).ReplaceAllString(s, `dateGenerated="`+date+`"`)
	}
	d := UNDataset("consolidated.xml", []byte(s))
	if err := FinishDataset(&d, time.Now()); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGuard: the share a new version may lose is MaxListLoss, counted by
// entry id, and an older version is refused whatever it holds; --force
// lets either through.
func TestGuard(t *testing.T) {
	first := func(n int) func(int) bool { return func(i int) bool { return i < n } }
	stored := unCut(t, first(100), "")
	tests := []struct {
		name    string
		next    tradeplan.Dataset
		refused []string // what the refusal says; none when allowed
		lost    int
	}{
		{"same", stored, nil, 0},
		{"grown", unCut(t, first(150), ""), nil, 0},
		{"5% fewer", unCut(t, first(95), ""), nil, 5},
		{"10% fewer", unCut(t, first(90), ""), nil, 10},
		{"11% fewer", unCut(t, first(89), ""), []string{"would lose 11 of 100 entries (11.0%", "un:"}, 11},
		{"other entries, same count", unCut(t, func(i int) bool { return i >= 20 && i < 120 }, ""), []string{"would lose 20 of 100"}, 20},
		{"empty", unCut(t, first(0), ""), []string{"would lose 100 of 100", "un:CDi.001 ERIC BADEGE"}, 100},
		{"older", unCut(t, first(100), "2025-06-30T00:00:00Z"), []string{"version 2025-06-30 is older than the stored version 2026-02-27"}, 0},
		{"newer", unCut(t, first(100), "2026-03-30T00:00:00Z"), nil, 0},
	}
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := memStore{"un": stored}
			c, err := Guard(ctx, st, tc.next, false)
			if c.Lost != tc.lost {
				t.Errorf("lost %d, want %d", c.Lost, tc.lost)
			}
			if tc.refused == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if tradeplan.ErrorCode(err) != tradeplan.EConflict {
				t.Fatalf("want a conflict, got %v", err)
			}
			for _, w := range tc.refused {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("refusal %q does not say %q", err, w)
				}
			}
			if _, err := Guard(ctx, st, tc.next, true); err != nil {
				t.Errorf("forced: %v", err)
			}
		})
	}
	// Nothing stored yet: anything goes.
	if _, err := Guard(ctx, memStore{}, unCut(t, first(0), ""), false); err != nil {
		t.Fatalf("first import: %v", err)
	}
}
