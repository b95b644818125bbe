package hs

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// evalCase is one labelled description of testdata/eval.tsv.
type evalCase struct {
	line        int
	description string
	hs6         string
	section     string
}

func loadEval(t testing.TB) []evalCase {
	t.Helper()
	f, err := os.Open("testdata/eval.tsv")
	if err != nil {
		t.Fatalf("the labelled set: %v", err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if line == 1 || strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		fs := strings.Split(s, "\t")
		if len(fs) < 2 {
			t.Errorf("testdata/eval.tsv:%d: want description<TAB>hs6<TAB>section<TAB>note", line)
			continue
		}
		code := strings.ReplaceAll(strings.TrimSpace(fs[1]), ".", "")
		if len(code) != 6 || !allDigits(code) {
			t.Errorf("testdata/eval.tsv:%d: hs6 %q is not 6 digits", line, fs[1])
			continue
		}
		c := evalCase{line: line, description: fs[0], hs6: code}
		if len(fs) > 2 {
			c.section = strings.TrimSpace(fs[2])
		}
		out = append(out, c)
	}
	return out
}

// accuracy counts hits at HS2, HS4 and HS6 in the first 1 and 3 candidates.
type accuracy struct {
	n      int
	top1   [3]int // HS2, HS4, HS6
	top3   [3]int
	misses []string
	// first candidates scoring >= Confident (and right at HS6), and below
	confident, confidentHit, unsure, unsureHit int
}

func (a *accuracy) pct(k int, top3 bool) float64 {
	if a.n == 0 {
		return 0
	}
	v := a.top1[k]
	if top3 {
		v = a.top3[k]
	}
	return 100 * float64(v) / float64(a.n)
}

func (a accuracy) String() string {
	return fmt.Sprintf("n=%d  top-1: HS2 %.1f%%  HS4 %.1f%%  HS6 %.1f%%   top-3: HS2 %.1f%%  HS4 %.1f%%  HS6 %.1f%%",
		a.n, a.pct(0, false), a.pct(1, false), a.pct(2, false), a.pct(0, true), a.pct(1, true), a.pct(2, true))
}

func evaluate(c *Classifier, cases []evalCase, keep func(evalCase) bool) accuracy {
	var a accuracy
	for _, ec := range cases {
		if !keep(ec) {
			continue
		}
		a.n++
		cands := c.Classify(ec.description, 3)
		for k, l := range []int{2, 4, 6} {
			for i, cd := range cands {
				if len(cd.Code) >= l && cd.Code[:l] == ec.hs6[:l] {
					if i == 0 {
						a.top1[k]++
					}
					a.top3[k]++
					break
				}
			}
		}
		if len(cands) > 0 {
			hit := 0
			if cands[0].Code == ec.hs6 {
				hit = 1
			}
			if cands[0].Score >= Confident {
				a.confident++
				a.confidentHit += hit
			} else {
				a.unsure++
				a.unsureHit += hit
			}
		}
		if len(cands) == 0 || cands[0].Code != ec.hs6 {
			var got []string
			for _, cd := range cands {
				got = append(got, fmt.Sprintf("%s %.2f", cd.Code, cd.Score))
			}
			a.misses = append(a.misses, fmt.Sprintf("eval.tsv:%d: %q want %s got [%s]", ec.line, ec.description, ec.hs6, strings.Join(got, ", ")))
		}
	}
	return a
}

// Targets of issue 4, for the embedded default and for the imported full
// nomenclature alike.
const (
	targetHS4Top1 = 92.0
	targetHS6Top1 = 80.0
	targetHS6Top3 = 92.0
	// issue 19: on the held-out half alone
	targetHeldHS6Top1 = 85.0
)

// TestEvaluation prints the accuracy of the classifier on the labelled set
// (make eval-hs) and fails below the targets. The set is split by line
// number: odd lines are the development half (the lexicon was tuned while
// looking at its misses), even lines the held-out half.
func TestEvaluation(t *testing.T) {
	cases := loadEval(t)
	if len(cases) == 0 {
		t.Fatal("testdata/eval.tsv has no cases")
	}
	configs := []struct {
		name string
		c    func(t *testing.T) *Classifier
	}{
		{"embedded default", func(t *testing.T) *Classifier { return defaultClassifier(t) }},
		{"with imported hs2022.csv", func(t *testing.T) *Classifier {
			n22, _ := loadFull(t)
			c, err := New(n22)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}},
	}
	for _, cf := range configs {
		t.Run(cf.name, func(t *testing.T) {
			c := cf.c(t)
			all := evaluate(c, cases, func(evalCase) bool { return true })
			dev := evaluate(c, cases, func(e evalCase) bool { return e.line%2 == 1 })
			held := evaluate(c, cases, func(e evalCase) bool { return e.line%2 == 0 })
			t.Logf("%s, all:      %s", cf.name, all)
			t.Logf("%s, dev:      %s", cf.name, dev)
			t.Logf("%s, held out: %s", cf.name, held)
			t.Logf("%s, first candidate right at HS6: %d of %d scoring >= %.1f, %d of %d below", cf.name, all.confidentHit, all.confident, Confident, all.unsureHit, all.unsure)
			if testing.Verbose() {
				for _, m := range all.misses {
					t.Log("miss: " + m)
				}
			}
			if all.pct(1, false) < targetHS4Top1 || all.pct(2, false) < targetHS6Top1 || all.pct(2, true) < targetHS6Top3 {
				t.Errorf("below target (HS4 top-1 >= %.0f%%, HS6 top-1 >= %.0f%%, HS6 top-3 >= %.0f%%): %s", targetHS4Top1, targetHS6Top1, targetHS6Top3, all)
			}
			if held.pct(2, false) < targetHeldHS6Top1 {
				t.Errorf("held-out half below target (HS6 top-1 >= %.0f%%): %s", targetHeldHS6Top1, held)
			}
		})
	}
}
