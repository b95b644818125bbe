package hs

import (
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// The lexicon (data/lexicon.tsv) has two kinds of rows, tab-separated:
//
//	@name   term, term, @other, ...        a concept: words that mean one thing
//	CODE    group + group + !group  [TITLE  [WEIGHT]]   a rule
//
// A concept's terms are phrases; a term "@other" includes another concept.
// A rule names an HS code (4 or 6 digits, dots allowed) and the groups of
// words that decide it: every group must match somewhere in the description,
// and no "!" group may; a "?" group is optional and, when present, counts
// the words it matches as explained. A group is a concept or a "|"-list of phrases and
// concepts. TITLE is our own short wording for the code; WEIGHT (default 1)
// lowers a rule that is a guess rather than a decision (a species with no
// processing state said).

type lexConcept struct {
	name  string
	alts  []string // phrases (raw) and "@concept" references
	line  int
	label string
}

type lexGroup struct {
	alts []string
	neg  bool
	opt  bool
}

type lexRule struct {
	code   string
	groups []lexGroup
	weight float64
	line   int
}

type lexicon struct {
	concepts map[string]*lexConcept
	rules    []lexRule
	titles   map[string]string
}

const lexFile = "hs/data/lexicon.tsv"

func parseLexicon(data []byte) (*lexicon, error) {
	lx := &lexicon{concepts: map[string]*lexConcept{}, titles: map[string]string{}}
	var ps tradeplan.Problems
	pos := func(line int) tradeplan.Position { return tradeplan.Position{File: lexFile, Line: line} }
	splitAlts := func(s, sep string) []string {
		var out []string
		for _, a := range strings.Split(s, sep) {
			if a = strings.TrimSpace(a); a != "" {
				out = append(out, a)
			}
		}
		return out
	}
	tsvRows(data, func(line int, f []string) {
		if len(f) < 2 {
			ps.Add(pos(line), "", "want CODE<TAB>MATCH or @concept<TAB>terms, got %q", strings.Join(f, "\t"))
			return
		}
		key := strings.TrimSpace(f[0])
		if strings.HasPrefix(key, "@") {
			if _, dup := lx.concepts[key]; dup {
				ps.Add(pos(line), "concept", "concept %s defined twice", key)
				return
			}
			alts := splitAlts(f[1], ",")
			if len(alts) == 0 {
				ps.Add(pos(line), "terms", "concept %s has no terms", key)
				return
			}
			lx.concepts[key] = &lexConcept{name: key, alts: alts, line: line, label: strings.TrimPrefix(key, "@")}
			return
		}
		code := strings.ReplaceAll(key, ".", "")
		if (len(code) != 4 && len(code) != 6) || !allDigits(code) {
			ps.Add(pos(line), "code", "code %q: want 4 or 6 digits", key)
			return
		}
		r := lexRule{code: code, weight: 1, line: line}
		for _, g := range strings.Split(f[1], "+") {
			g = strings.TrimSpace(g)
			neg := strings.HasPrefix(g, "!")
			opt := strings.HasPrefix(g, "?")
			g = strings.TrimLeft(g, "!?")
			alts := splitAlts(g, "|")
			if len(alts) == 0 {
				ps.Add(pos(line), "match", "empty group in %q", f[1])
				continue
			}
			r.groups = append(r.groups, lexGroup{alts: alts, neg: neg, opt: opt})
		}
		pos0 := 0
		for _, g := range r.groups {
			if !g.neg && !g.opt {
				pos0++
			}
		}
		if pos0 == 0 {
			ps.Add(pos(line), "match", "rule for %s has no positive group", key)
			return
		}
		if pos0 > 8 {
			ps.Add(pos(line), "match", "rule for %s has %d required groups; at most 8", key, pos0)
			return
		}
		if len(f) > 2 {
			if t := strings.TrimSpace(f[2]); t != "" {
				if _, ok := lx.titles[code]; !ok {
					lx.titles[code] = t
				}
			}
		}
		if len(f) > 3 && strings.TrimSpace(f[3]) != "" {
			w, err := strconv.ParseFloat(strings.TrimSpace(f[3]), 64)
			if err != nil || w <= 0 || w > 1 {
				ps.Add(pos(line), "weight", "weight %q: want a number in (0, 1]", f[3])
				return
			}
			r.weight = w
		}
		lx.rules = append(lx.rules, r)
	})
	// every concept reference must resolve
	check := func(line int, alts []string) {
		for _, a := range alts {
			if strings.HasPrefix(a, "@") {
				if _, ok := lx.concepts[a]; !ok {
					ps.Add(pos(line), "", "unknown concept %s", a)
				}
			} else if !hasWord(a) {
				ps.Add(pos(line), "", "term %q has no words", a)
			}
		}
	}
	for _, c := range lx.concepts {
		check(c.line, c.alts)
	}
	for _, r := range lx.rules {
		for _, g := range r.groups {
			check(r.line, g.alts)
		}
	}
	if err := ps.Err("lexicon"); err != nil {
		return nil, err
	}
	return lx, nil
}
