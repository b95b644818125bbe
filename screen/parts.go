package screen

import (
	"strings"
	"sync"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/gencache"
)

// partMemo remembers the assignments of the goods a description names
// (goodsParts) for the lines one goroutine screens. The parts repeat far
// more than the descriptions do ("grade a", "in cartons", "salted pollack"
// in line after line of new wording), and a look-up in the shared caches
// (its key written out, a shard's lock taken on both cores, a map of
// megabytes probed) cost more than the part's classification saved: a
// small map that stays in the core's cache answers a repeat. Its maps
// are bounded by generations as the shared caches' shards are
// (gencache.Map), without their lock: a memo serves one goroutine at a
// time. The values are those of the shared caches, which they were taken
// from; like them, they must not be changed.
type partMemo struct {
	brief gencache.Map[assignment] // assignBrief by part
	full  gencache.Map[fullPart]   // assign by part
}

// fullPart is a part's assignment with evidence and the explanation its
// finding gives, written once.
type fullPart struct {
	assignment
	explanation string
}

// partMemoKeys bounds a generation of a memo's maps (gencache.Map: a
// full one becomes the previous, what is read from that moves back).
const partMemoKeys = 256

// parts hands out memos, one per goroutine at a time.
type partMemos struct{ pool sync.Pool }

func (p *partMemos) get() *partMemo {
	if m, ok := p.pool.Get().(*partMemo); ok {
		return m
	}
	return &partMemo{brief: gencache.NewMap[assignment](partMemoKeys), full: gencache.NewMap[fullPart](partMemoKeys)}
}

func (p *partMemos) put(m *partMemo) { p.pool.Put(m) }

func (m *partMemo) assignBrief(s *Screener, part string) (tradeplan.HSAssignment, []string) {
	if hasDigit(part) {
		// a lot, batch or invoice number ("lot 48213"): a part that
		// seldom comes again would only push the others out
		return s.assignBrief(part)
	}
	if v, ok := m.brief.Get(part); ok {
		return v.a, v.alts
	}
	a, alts := s.assignBrief(part)
	m.brief.Put(part, assignment{a, alts})
	return a, alts
}

// assign returns assign's answer for part and the explanation of the
// finding that cites its best candidate's evidence (weighParts).
func (m *partMemo) assign(s *Screener, part string) (tradeplan.HSAssignment, []string, string) {
	if v, ok := m.full.Get(part); ok {
		return v.a, v.alts, v.explanation
	}
	a, alts := s.assign(part)
	explanation := "each of the goods a description names is checked against the declared code; the rules weigh both codes: " +
		strings.Join(a.Candidates[0].Evidence, "; ")
	m.full.Put(part, fullPart{assignment{a, alts}, explanation})
	return a, alts, explanation
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}
