package screen

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/hs"
)

func TestTmpWhy(t *testing.T) {
	cls, _ := hs.Default()
	s := New(Config{Classifier: cls})
	f, _ := os.Open("/tmp/rt-bench/flagged.tsv")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		code, desc := c[0], c[1]
		full, _ := s.assign(desc)
		goods := goodsText(desc)
		var own []string
		var ownScore float64
		for _, cd := range full.Candidates {
			if sameHeading(cd.Code, code) {
				own = append(own, lexiconWords(cd.Evidence)...)
				ownScore = max(ownScore, cd.Score)
			}
		}
		for _, cd := range full.Candidates {
			if cd.Score < minNamedGood || sameHeading(cd.Code, code) {
				continue
			}
			for _, w := range lexiconWords(cd.Evidence) {
				if !strings.Contains(strings.Join(own, "|"), w) && strings.Contains(goods, strings.ToLower(w)) {
					fmt.Printf("%-45q %s own=%v %.2f  other %s %.2f %q\n", desc, code, own, ownScore, cd.Code, cd.Score, w)
				}
			}
		}
	}
}
