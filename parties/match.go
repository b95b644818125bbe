package parties

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// Thresholds of match strength, measured on the labelled set in
// testdata/eval.tsv (see docs/parties.md for the rates they give).
const (
	// StrongThreshold: at or above it a match is an alert; the line is
	// prohibited until a person records it as a false positive.
	StrongThreshold = 0.90
	// PossibleThreshold: at or above it (and below strong) a match is sent
	// for review.
	PossibleThreshold = 0.80
)

// Strengths.
const (
	Strong   = "strong"
	Possible = "possible"
)

// Query is what to screen. Name is required unless IMO or Document is given.
type Query struct {
	Name     string
	Country  string // ISO 3166 alpha-2 of the party's nationality or seat
	DOB      string // "1938", "1938-07", "1938-07-16" or "16 Jul 1938"
	Kind     string // "" (any), "party" (individual or entity), Individual, Entity, VesselKind
	Top      int    // at most this many matches; 0 means 10
	IMO      string // a vessel's (or company's) IMO number
	Document string // a passport or other identity document number
	// MinScore lowers (or raises) the cut-off below which matches are
	// dropped; 0 means PossibleThreshold.
	MinScore float64
}

// Match is one list entry matched by a query.
type Match struct {
	List        string   `json:"list"`
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Name        string   `json:"name"`         // the entry's primary name
	MatchedName string   `json:"matched_name"` // the name or alias that matched
	Quality     string   `json:"quality,omitempty"`
	Score       float64  `json:"score"`
	NameScore   float64  `json:"name_score"`
	Strength    string   `json:"strength,omitempty"` // Strong, Possible, or "" below PossibleThreshold
	Query       string   `json:"query"`              // the normalised query key
	Version     string   `json:"entry_version"`
	Citation    string   `json:"citation"`
	Pairs       []Pair   `json:"pairs,omitempty"`
	Adjust      []string `json:"adjustments,omitempty"`
	Explanation string   `json:"explanation"`
	Entry       *Entry   `json:"-"`
	nameIdx     int32
	form        int32 // the query form that matched (see queryForms)
}

// Pair is one word (or run of words) of the query paired with one of the
// listed name, and why.
type Pair struct {
	Query  string  `json:"query"`
	Listed string  `json:"listed"`
	Sim    float64 `json:"sim"`
	Reason string  `json:"reason"` // "exact", "spacing", "romanisation table", "same meaning", "phonetic key", "spelling", "initial"
}

func strength(s float64) string {
	switch {
	case s >= StrongThreshold:
		return Strong
	case s >= PossibleThreshold:
		return Possible
	}
	return ""
}

// maxBonus is the most that a date of birth and a country add to a name
// score.
const maxBonus = 0.07

// candidateLimit is how many names, ranked by shared word weight, are scored
// in full for one query.
const candidateLimit = 24

// Search screens a query against the index: identifiers first (an IMO or
// document number equal to a listed one is a match of score 1), then names.
// Matches are returned best first, one per entry.
func (ix *Index) Search(q Query) []Match {
	top := q.Top
	if top <= 0 {
		top = 10
	}
	minScore := q.MinScore
	if minScore == 0 {
		minScore = PossibleThreshold
	}
	// The best match of each entry, in the order entries were first seen
	// (a few dozen at most: a slice beats a map).
	var order []int32
	var found []*Match
	lookup := func(ei int32) int {
		for i, o := range order {
			if o == ei {
				return i
			}
		}
		return -1
	}
	keep := func(ei int32, m *Match) {
		if i := lookup(ei); i >= 0 {
			if m.Score > found[i].Score {
				found[i] = m
			}
			return
		}
		order = append(order, ei)
		found = append(found, m)
	}
	imo := imoDigits(q.IMO)
	if imo != "" {
		for _, ei := range ix.imo[imo] {
			e := &ix.entries[ei]
			num := ""
			for _, n := range e.IMOs {
				if n.Number == imo {
					num = n.Type
				}
			}
			// A ship's number and a company's number are different series
			// of seven digits: a vessel is matched with ships only.
			if q.Kind == VesselKind && num != "vessel" || (q.Kind == "party" || q.Kind == Entity) && num != "company" {
				continue
			}
			keep(ei, &Match{Score: 1, NameScore: 1, Query: "imo " + imo, MatchedName: "IMO " + imo,
				Explanation: fmt.Sprintf("IMO number %s equals the listed %s IMO number of %s", imo, num, e.Name)})
		}
	}
	if d := compactID(q.Document); d != "" {
		for _, ei := range ix.docs[d] {
			e := &ix.entries[ei]
			var doc Document
			for _, x := range e.Documents {
				if compactID(x.Number) == d {
					doc = x
				}
			}
			keep(ei, &Match{Score: 1, NameScore: 1, Query: "document " + d, MatchedName: doc.Type + " " + doc.Number,
				Explanation: fmt.Sprintf("document number %s equals the listed %s %s of %s", q.Document, strings.ToLower(doc.Type), doc.Number, e.Name)})
		}
	}
	if q.Kind == VesselKind {
		q.Name = stripVesselPrefix(q.Name)
	}
	qnorm := Normalize(q.Name)
	qdob, hasDOB := parseQueryDOB(q.DOB)
	country := strings.ToUpper(strings.TrimSpace(q.Country))
	// The name as read, and its readings in Latin letters when it is
	// written in Hangul, Chinese characters or Cyrillic: each is screened,
	// and an entry keeps its best.
	forms := ix.queryForms(q.Name, qnorm, q.Kind == Individual)
	// The scratch serves the candidates, their scores and the explanations
	// of the matches returned.
	sc := ix.pool.Get().(*scratch)
	defer ix.pool.Put(sc)
	if len(forms) > 0 {
		allow := ix.kindFilter(q.Kind)
		for fi := range forms {
			qf, qspans := &forms[fi].nf, forms[fi].spans
			cands := ix.candidates(qf, qspans, sc, candidateLimit, allow)
			al := &sc.al
			var wq, winit float32
			for _, t := range qf.toks {
				wq += t.w
				if len(t.s) == 1 {
					winit += t.w
				}
			}
			for _, c := range cands {
				ni := c.name
				nm := &ix.names[ni]
				// The best the name could score: all the query weight it shares
				// (plus initials, which the index does not see) paired with all
				// of its own. Names that cannot reach the cut-off, even with
				// the date-of-birth and country bonuses, are not aligned, unless
				// the whole names are one letter apart.
				bound := (min(c.acc+winit, wq) + nm.wsum) / (wq + nm.wsum)
				if bound+maxBonus < float32(minScore) && !(minScore <= simWhole+maxBonus && (wholeNear(qf, &nm.nf) || wholeNear2(qf, &nm.nf))) {
					continue
				}
				s := al.score(qf, qspans, nm, false) * forms[fi].factor
				if s+maxBonus < minScore {
					continue
				}
				ei := nm.entry
				if i := lookup(ei); i >= 0 && found[i].NameScore >= s {
					continue
				}
				m := &Match{NameScore: s, Score: s, Query: qnorm, MatchedName: nm.raw, Quality: nm.quality}
				m.nameIdx, m.form = ni, int32(fi)
				keep(ei, m)
			}
		}
	}
	out := make([]Match, 0, len(order))
	for i, ei := range order {
		m := found[i]
		e := &ix.entries[ei]
		if m.Explanation == "" { // a name match: adjust by the facts given
			m.Score = m.NameScore
			if imo != "" && len(e.IMOs) > 0 {
				m.Score -= 0.2
				m.Adjust = append(m.Adjust, fmt.Sprintf("IMO %s is not the listed IMO %s: -0.20", imo, e.IMOs[0].Number))
			}
			if hasDOB && len(e.DOBs) > 0 {
				adj, why := dobAdjust(qdob, e.DOBs)
				m.Score += adj
				m.Adjust = append(m.Adjust, why)
			}
			if country != "" {
				if adj, why := countryAdjust(country, e); why != "" {
					m.Score += adj
					m.Adjust = append(m.Adjust, why)
				}
			}
			m.Score = math.Max(0, math.Min(1, m.Score))
		}
		if m.Score < minScore {
			continue
		}
		m.List, m.ID, m.Kind, m.Name, m.Entry = e.List, e.ID, e.Kind, e.Name, e
		m.Version = ix.versions[ei]
		m.Citation = e.Citation()
		m.Score = math.Round(m.Score*1000) / 1000
		m.NameScore = math.Round(m.NameScore*1000) / 1000
		m.Strength = strength(m.Score)
		out = append(out, *m)
	}
	slices.SortStableFunc(out, compareMatches)
	if len(out) > top {
		out = out[:top]
	}
	// Explanations are written for the matches returned only.
	for i := range out {
		m := &out[i]
		if m.Explanation != "" {
			continue
		}
		// The scratch's aligner, its pairs copied out: the notes are read
		// here and not kept.
		al := &sc.al
		f := &forms[m.form]
		al.score(&f.nf, f.spans, &ix.names[m.nameIdx], true)
		if len(al.pairs) > 0 {
			m.Pairs = slices.Clone(al.pairs)
		}
		notes := al.notes
		if f.factor != 1 {
			notes = append(notes, fmt.Sprintf("%s: x%.2f", f.factorWhy, f.factor))
		}
		m.Explanation = f.how + explain(m, notes)
	}
	return out
}

// compareMatches orders matches best first: by score, then the UN entry
// first (it binds every state), then by entry ID.
func compareMatches(a, b Match) int {
	if a.Score != b.Score {
		if a.Score > b.Score {
			return -1
		}
		return 1
	}
	if la, lb := listRank(a.List), listRank(b.List); la != lb {
		return la - lb
	}
	return strings.Compare(a.ID, b.ID)
}

func listRank(l string) int {
	switch l {
	case "un":
		return 0
	case "ofac":
		return 1
	}
	return 2
}

func (ix *Index) setWeights(nf *nameForm) {
	for i := range nf.toks {
		nf.toks[i].w = ix.weight(&nf.toks[i])
	}
}

func (ix *Index) kindFilter(kind string) func(int32) bool {
	var ok func(k string) bool
	switch kind {
	case "":
		return nil
	case "party":
		ok = func(k string) bool { return k == Individual || k == Entity }
	default:
		ok = func(k string) bool { return k == kind }
	}
	return func(ni int32) bool { return ok(ix.entries[ix.names[ni].entry].Kind) }
}

func explain(m *Match, notes []string) string {
	var b strings.Builder
	b.Grow(96)
	b.WriteString("name ")
	b.WriteString(strconv.FormatFloat(m.NameScore, 'f', 3, 64))
	b.WriteString(" against ")
	b.WriteString(strconv.Quote(m.MatchedName))
	if m.Quality != "" {
		b.WriteString(" (" + m.Quality + " alias)")
	}
	b.WriteString(": ")
	for i, p := range m.Pairs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Query)
		if p.Reason == "exact" {
			b.WriteString("=")
			b.WriteString(p.Listed)
			continue
		}
		b.WriteString("~")
		b.WriteString(p.Listed)
		b.WriteString(" (" + p.Reason + " " + strconv.FormatFloat(p.Sim, 'f', 2, 64) + ")")
	}
	for _, n := range notes {
		b.WriteString("; ")
		b.WriteString(n)
	}
	for _, a := range m.Adjust {
		b.WriteString("; ")
		b.WriteString(a)
	}
	return b.String()
}

// Explain scores a query against one listed entry, however low the score,
// for an analyst who asks why a name did or did not match it. The entry is
// looked up by list and id; an unknown entry is an ENotFound error.
func (ix *Index) Explain(q Query, list, id string) (Match, error) {
	ei := -1
	for i := range ix.entries {
		if ix.entries[i].List == list && ix.entries[i].ID == id {
			ei = i
			break
		}
	}
	if ei < 0 {
		return Match{}, tradeplan.Errorf(tradeplan.ENotFound, "no entry %s on list %q", id, list)
	}
	q.MinScore = 1e-9
	q.Top = 1 << 20
	for _, m := range ix.Search(q) {
		if m.List == list && m.ID == id {
			return m, nil
		}
	}
	// Not among the candidates: align every name of the entry.
	qnorm := Normalize(q.Name)
	forms := ix.queryForms(q.Name, qnorm, q.Kind == Individual)
	e := &ix.entries[ei]
	best := Match{List: e.List, ID: e.ID, Kind: e.Kind, Name: e.Name, Query: qnorm, Version: ix.versions[ei], Citation: e.Citation(), Entry: e}
	bestScore := -1.0
	for ni := range ix.names {
		if ix.names[ni].entry != int32(ei) {
			continue
		}
		for fi := range forms {
			f := &forms[fi]
			var al aligner
			s := al.score(&f.nf, f.spans, &ix.names[ni], true) * f.factor
			if f.factor != 1 {
				al.notes = append(al.notes, fmt.Sprintf("%s: x%.2f", f.factorWhy, f.factor))
			}
			if s > bestScore {
				bestScore = s
				best.MatchedName, best.Quality = ix.names[ni].raw, ix.names[ni].quality
				best.Score, best.NameScore = math.Round(s*1000)/1000, math.Round(s*1000)/1000
				best.Pairs = append([]Pair(nil), al.pairs...)
				best.Explanation = f.how + explain(&best, al.notes)
			}
		}
	}
	best.Strength = strength(best.Score)
	if bestScore < 0 {
		best.Explanation = "the entry has no name to compare"
	} else if len(best.Pairs) == 0 {
		best.Explanation = "no word of the query pairs with a word of the entry's names; " + best.Explanation
	}
	return best, nil
}
