package screen

import (
	"encoding/binary"
	"slices"

	"github.com/tradeplan/tradeplan"
)

// classMemo remembers, for one worker of a stream, what classify answered
// for the inputs it depends on: the declared code, the description and
// whether the line relates to the DPRK. A declaration file repeats a few
// dozen goods on a few routes a million times; the memo answers a repeat
// with one map lookup instead of the code check and the shared
// classification cache. It is not safe for concurrent use: each worker has
// its own.
type classMemo struct {
	key  []byte
	m    map[string]int32 // key -> its answer in vals (a small value: the map's fast string path)
	vals []classified
	// front answers a line whose code and description are the strings of
	// a recent line (a reader interns them: plan.CSVReader) without making
	// the key: a two-way table (twoWay) by the strings' addresses, each entry
	// used only when its strings equal the line's.
	front [memoFront]memoEntry
}

const memoFront = 1024 // a power of two (twoWay)

type memoEntry struct {
	hs, desc string
	dprk     bool
	val      int32 // index into vals, +1 (0: empty)
}

type classified struct {
	a        tradeplan.HSAssignment
	alts     []string
	certain  bool
	findings []tradeplan.Finding
}

// classMemoKeys bounds a memo; a full one starts again empty.
const classMemoKeys = 4096

func newClassMemo() *classMemo {
	return &classMemo{m: make(map[string]int32, 64)}
}

// classify is Screener.classify through the memo. The findings are the
// line's own (copied); the assignment and alternatives are shared between
// lines, as the classification cache already shares them, and must not be
// changed.
func (m *classMemo) classify(s *Screener, l *tradeplan.Line) (tradeplan.HSAssignment, []string, bool, []tradeplan.Finding) {
	dprk := relatesToDPRK(l)
	h := mix(addr(l.HS)+uintptr(len(l.HS)), addr(l.Description)+uintptr(len(l.Description)))
	if dprk {
		h = mix(h, 1)
	}
	e, hit := twoWay(m.front[:], h, func(e *memoEntry) bool {
		return e.val > 0 && e.dprk == dprk && e.hs == l.HS && e.desc == l.Description
	})
	if hit {
		v := &m.vals[e.val-1]
		return v.a, v.alts, v.certain, cloneFindings(v.findings)
	}
	k := m.key[:0]
	if dprk {
		k = append(k, 1)
	} else {
		k = append(k, 0)
	}
	k = binary.AppendUvarint(k, uint64(len(l.HS)))
	k = append(k, l.HS...)
	k = append(k, l.Description...)
	m.key = k
	if i, ok := m.m[string(k)]; ok {
		*e = memoEntry{hs: l.HS, desc: l.Description, dprk: dprk, val: i + 1}
		v := &m.vals[i]
		return v.a, v.alts, v.certain, cloneFindings(v.findings)
	}
	a, alts, certain, findings := s.classify(l)
	if len(m.m) >= classMemoKeys {
		clear(m.m)
		clear(m.vals)
		m.vals = m.vals[:0]
		clear(m.front[:])
	}
	*e = memoEntry{hs: l.HS, desc: l.Description, dprk: dprk, val: int32(len(m.vals)) + 1}
	m.m[string(k)] = int32(len(m.vals))
	m.vals = append(m.vals, classified{a: a, alts: slices.Clip(alts), certain: certain, findings: cloneFindings(findings)})
	return a, slices.Clip(alts), certain, findings
}

func cloneFindings(fs []tradeplan.Finding) []tradeplan.Finding {
	if len(fs) == 0 {
		return nil
	}
	return slices.Clone(fs)
}
