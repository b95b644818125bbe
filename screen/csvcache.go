package screen

import (
	"math"
	"unsafe"

	"github.com/tradeplan/tradeplan"
)

// The CSV report renders the same cells again and again: a declaration
// file repeats a few dozen goods on a few routes, and every line of one
// class (the same goods, route, code and verdict) has the same cells but
// for its index, quantity and value. csvCells remembers the rendered
// cells of recent classes in two two-way tables: the head (pos,
// direction, description, origin, destination) and the tail (currency to
// the end of the row). An entry is used only when every string it was
// rendered from equals the line's (==, which is quick for the same
// string); the slot (twoWay) is chosen by the strings' addresses, so that the
// strings a reader interns (plan.CSVReader) find their entry again. A
// line whose strings are new copies each time simply misses, and is
// rendered as before.
type csvCells struct {
	head [csvHeadSlots]csvHead
	tail [csvTailSlots]csvTail
	gen  uint32 // the plan the entries of this generation were rendered in
}

const (
	csvHeadSlots = 2048 // a power of two, as csvTailSlots (twoWay)
	csvTailSlots = 512
	// maxCachedCells bounds what an entry holds (memory stays bounded);
	// longer cells are rendered each time.
	maxCachedCells = 512
	// maxCachedFindings bounds the findings of a cached tail.
	maxCachedFindings = 4
)

type csvHead struct {
	pos, dir, desc, origin, dest string
	cells                        []byte // with the comma after the last
	gen                          uint32 // 0: empty
}

type csvTail struct {
	currency, partner, code, source string
	hasPartner                      bool
	conf                            float64
	verdict                         tradeplan.Verdict
	findings                        [maxCachedFindings]csvFindingKey
	nFindings                       int
	cells                           []byte // to the end of the row, its newline included
	gen                             uint32 // 0: empty
}

// csvFindingKey is what the CSV report shows of a finding: its basis
// (rule and citation), outcome and summary.
type csvFindingKey struct {
	basis   *tradeplan.Basis
	outcome tradeplan.Verdict
	summary string
}

func addr(s string) uintptr { return uintptr(unsafe.Pointer(unsafe.StringData(s))) }

func mix(h, v uintptr) uintptr { return (h ^ v) * 0x9e3779b97f4a7c15 >> 7 }

// twoWay returns the entry of table t (a power of two long) that match
// accepts: in slot h or the slot's neighbour. When neither matches, the
// entry to fill is slot h's, its entry moving to the neighbour, whose
// entry is dropped: swapped, not copied, so that each keeps its own
// buffers. The CSV cells and the class memo's front (memo.go) are such
// tables.
func twoWay[E any](t []E, h uintptr, match func(*E) bool) (e *E, hit bool) {
	i := h & uintptr(len(t)-1)
	if e := &t[i]; match(e) {
		return e, true
	}
	if e := &t[i^1]; match(e) {
		return e, true
	}
	t[i], t[i^1] = t[i^1], t[i]
	return &t[i], false
}

// headSlot returns the entry of r's head: the one that matches, or the one
// to render it into.
func (c *csvCells) headSlot(r *tradeplan.LineReport) (e *csvHead, hit bool) {
	h := mix(mix(mix(mix(addr(r.Description), addr(r.Origin)), addr(r.Destination)), addr(r.Pos)+uintptr(len(r.Description))), addr(string(r.Direction)))
	return twoWay(c.head[:], h, func(e *csvHead) bool { return e.matches(r, c.gen) })
}

func (e *csvHead) matches(r *tradeplan.LineReport, gen uint32) bool {
	return e.gen == gen && e.desc == r.Description && e.origin == r.Origin && e.dest == r.Destination && e.pos == r.Pos && e.dir == string(r.Direction)
}

func (e *csvHead) set(r *tradeplan.LineReport, cells []byte, gen uint32) {
	if len(cells) > maxCachedCells {
		e.gen = 0
		return
	}
	e.pos, e.dir, e.desc, e.origin, e.dest = r.Pos, string(r.Direction), r.Description, r.Origin, r.Destination
	e.cells = append(e.cells[:0], cells...)
	e.gen = gen
}

// tailSlot is headSlot for r's tail; nil when it is not cached: a line
// with more findings than maxCachedFindings.
func (c *csvCells) tailSlot(r *tradeplan.LineReport) (e *csvTail, hit bool) {
	if len(r.Findings) > maxCachedFindings {
		return nil, false
	}
	h := mix(mix(mix(addr(r.Currency), addr(r.HS.Code)), addr(r.HS.Source)), uintptr(r.Verdict)<<8|uintptr(len(r.Findings)))
	if len(r.Findings) > 0 {
		h = mix(h, uintptr(unsafe.Pointer(r.Findings[0].Basis)))
	}
	return twoWay(c.tail[:], h, func(e *csvTail) bool { return e.matches(r, c.gen) })
}

func partnerName(r *tradeplan.LineReport) (string, bool) {
	if r.Partner == nil {
		return "", false
	}
	return r.Partner.Name, true
}

func (e *csvTail) matches(r *tradeplan.LineReport, gen uint32) bool {
	if e.gen != gen || e.nFindings != len(r.Findings) || e.verdict != r.Verdict || math.Float64bits(e.conf) != math.Float64bits(r.HS.Confidence) ||
		e.currency != r.Currency || e.code != r.HS.Code || e.source != r.HS.Source {
		return false
	}
	if name, ok := partnerName(r); ok != e.hasPartner || name != e.partner {
		return false
	}
	for i := range r.Findings {
		f, k := &r.Findings[i], &e.findings[i]
		if f.Basis != k.basis || f.Outcome != k.outcome || f.Summary != k.summary {
			return false
		}
	}
	return true
}

func (e *csvTail) set(r *tradeplan.LineReport, cells []byte, gen uint32) {
	if len(cells) > maxCachedCells {
		e.gen = 0
		return
	}
	e.currency, e.code, e.source = r.Currency, r.HS.Code, r.HS.Source
	e.partner, e.hasPartner = partnerName(r)
	e.conf, e.verdict, e.nFindings = r.HS.Confidence, r.Verdict, len(r.Findings)
	for i := range r.Findings {
		f := &r.Findings[i]
		e.findings[i] = csvFindingKey{basis: f.Basis, outcome: f.Outcome, summary: f.Summary}
	}
	clear(e.findings[len(r.Findings):])
	e.cells = append(e.cells[:0], cells...)
	e.gen = gen
}

// next starts a new plan: the entries of the last are not used again (its
// lists cell differs).
func (c *csvCells) next() {
	c.gen++
	if c.gen == 0 { // wrapped: entries of an old generation could match
		for i := range c.head {
			c.head[i].gen = 0
		}
		for i := range c.tail {
			c.tail[i].gen = 0
		}
		c.gen = 1
	}
}
