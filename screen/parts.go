package screen

import (
	"strings"
	"sync"

	"github.com/tradeplan/tradeplan"
)

// partMemo remembers the assignments of the goods a description names
// (goodsParts) for the lines one goroutine screens. The parts repeat far
// more than the descriptions do ("grade a", "in cartons", "salted pollack"
// in line after line of new wording), and a look-up in the shared caches
// (its key written out, a shard's lock taken on both cores, a map of
// megabytes probed) cost more than the part's classification saved: a
// small map that stays in the core's cache answers a repeat. The values
// are those of the shared caches, which they were taken from; like them,
// they must not be changed.
type partMemo struct {
	brief map[string]assignment // assignBrief by part
	full  map[string]fullPart   // assign by part
}

// fullPart is a part's assignment with evidence and the explanation its
// finding gives, written once.
type fullPart struct {
	assignment
	explanation string
}

// partMemoKeys bounds a memo's maps; a full one starts again empty.
const partMemoKeys = 512

// parts hands out memos, one per goroutine at a time.
type partMemos struct{ pool sync.Pool }

func (p *partMemos) get() *partMemo {
	if m, ok := p.pool.Get().(*partMemo); ok {
		return m
	}
	return &partMemo{brief: make(map[string]assignment, 64), full: make(map[string]fullPart, 16)}
}

func (p *partMemos) put(m *partMemo) { p.pool.Put(m) }

func (m *partMemo) assignBrief(s *Screener, part string) (tradeplan.HSAssignment, []string) {
	if hasDigit(part) {
		// a lot, batch or invoice number ("lot 48213"): a part that
		// seldom comes again would only push the others out
		return s.assignBrief(part)
	}
	if v, ok := m.brief[part]; ok {
		return v.a, v.alts
	}
	a, alts := s.assignBrief(part)
	if len(m.brief) >= partMemoKeys {
		clear(m.brief)
	}
	m.brief[part] = assignment{a, alts}
	return a, alts
}

// assign returns assign's answer for part and the explanation of the
// finding that cites its best candidate's evidence (weighParts).
func (m *partMemo) assign(s *Screener, part string) (tradeplan.HSAssignment, []string, string) {
	if v, ok := m.full[part]; ok {
		return v.a, v.alts, v.explanation
	}
	a, alts := s.assign(part)
	explanation := "each of the goods a description names is checked against the declared code; the rules weigh both codes: " +
		strings.Join(a.Candidates[0].Evidence, "; ")
	if len(m.full) >= partMemoKeys {
		clear(m.full)
	}
	m.full[part] = fullPart{assignment{a, alts}, explanation}
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
