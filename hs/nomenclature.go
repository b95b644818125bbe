// Package hs owns the Harmonized System nomenclature and the classifier of
// free-text goods descriptions.
//
// A Nomenclature is one edition of the HS (sections, chapters, headings and,
// when imported from the official texts, subheadings). The embedded default
// is written by the project in its own words: every section, chapter and
// heading, and a goods lexicon (data/lexicon.tsv) that maps trade names,
// species, processing states, materials and abbreviations to HS codes. The
// full official texts are imported with ParseCSV or ParseComtradeJSON.
//
// A Classifier checks declared codes and ranks candidate codes for a
// description, with the evidence for each; see docs/classification.md for
// what its scores mean. Its files follow its stages: classify.go (the type,
// New, Classify), index.go (the index built from the nomenclatures and the
// lexicon), query.go (a description prepared: words, spelling, phrases),
// score.go (rules and texts matched, subheadings refined), evidence.go
// (candidates ranked, their evidence written out) and checkcode.go
// (declared codes checked, titles).
package hs

import (
	"sort"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// Entry is one code of the nomenclature.
type Entry struct {
	Code     string   `json:"code"`  // 2, 4 or 6 digits
	Level    int      `json:"level"` // 2, 4 or 6
	Title    string   `json:"title"`
	Parent   string   `json:"parent,omitempty"`  // the code one level up; "" for a chapter
	Section  string   `json:"section,omitempty"` // roman numeral, "I" to "XXI"
	Keywords []string `json:"keywords,omitempty"`
}

// Section is one of the 21 sections of the HS.
type Section struct {
	ID       string `json:"id"`       // roman numeral
	Chapters string `json:"chapters"` // e.g. "01-05"
	Title    string `json:"title"`
}

// Nomenclature is one edition of the HS.
type Nomenclature struct {
	Name     string // "hs2022", "hs2017", or what the importer was given
	Source   string // where it was read from
	entries  map[string]*Entry
	sections []Section
	children map[string][]string
	byLevel  [3][]string // codes of levels 2, 4 and 6 in order, set by finish
}

func newNomenclature(name, source string) *Nomenclature {
	return &Nomenclature{Name: name, Source: source, entries: map[string]*Entry{}, children: map[string][]string{}}
}

func (n *Nomenclature) add(e *Entry) {
	n.entries[e.Code] = e
}

// finish links children to parents once all entries are in.
func (n *Nomenclature) finish() {
	n.children = map[string][]string{}
	for c, e := range n.entries {
		if e.Parent == "" && e.Level > 2 {
			e.Parent = c[:e.Level-2]
		}
		if e.Parent != "" {
			n.children[e.Parent] = append(n.children[e.Parent], c)
		}
		if e.Section == "" && e.Level > 2 {
			if ch := n.entries[c[:2]]; ch != nil {
				e.Section = ch.Section
			}
		}
	}
	for _, cs := range n.children {
		sort.Strings(cs)
	}
	n.byLevel = [3][]string{}
	for c, e := range n.entries {
		if i := e.Level/2 - 1; i >= 0 && i < 3 && e.Level%2 == 0 {
			n.byLevel[i] = append(n.byLevel[i], c)
		}
	}
	for _, cs := range n.byLevel {
		sort.Strings(cs)
	}
}

// codes returns the codes of a level (2, 4 or 6) in order, not a copy.
func (n *Nomenclature) codes(level int) []string {
	if i := level/2 - 1; i >= 0 && i < 3 && level%2 == 0 {
		return n.byLevel[i]
	}
	return nil
}

// Lookup returns the entry of a code given as digits (2, 4 or 6).
func (n *Nomenclature) Lookup(code string) (Entry, bool) {
	if n == nil {
		return Entry{}, false
	}
	e, ok := n.entries[code]
	if !ok {
		return Entry{}, false
	}
	return *e, true
}

// Children returns the codes one level below code, in order.
func (n *Nomenclature) Children(code string) []string {
	return append([]string(nil), n.children[code]...)
}

// Codes returns every code of a level (2, 4 or 6), in order.
func (n *Nomenclature) Codes(level int) []string {
	return append([]string(nil), n.codes(level)...)
}

// Count returns the number of codes of a level.
func (n *Nomenclature) Count(level int) int {
	return len(n.codes(level))
}

// HasSubheadings reports whether the nomenclature lists 6-digit subheadings.
func (n *Nomenclature) HasSubheadings() bool {
	return len(n.codes(6)) > 0
}

// Sections returns the sections, when known.
func (n *Nomenclature) Sections() []Section { return append([]Section(nil), n.sections...) }

// Path returns the entries from the chapter down to code.
func (n *Nomenclature) Path(code string) []Entry {
	var p []Entry
	for l := 2; l <= len(code); l += 2 {
		if e, ok := n.entries[code[:l]]; ok {
			p = append(p, *e)
		}
	}
	return p
}

// NormalizeCode reads a declared code: digits with or without dots, spaces or
// hyphens. It returns the HS digits (4 or 6), and a note when a national code
// of 8 to 10 digits was cut to its first six. It does not look the code up.
func NormalizeCode(code string) (digits, note string, err error) {
	raw := strings.TrimSpace(code)
	if raw == "" {
		return "", "", tradeplan.Errorf(tradeplan.EInvalid, "HS code is empty")
	}
	var b strings.Builder
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.' || r == ' ' || r == '-' || r == '\t':
		default:
			return "", "", tradeplan.Errorf(tradeplan.EInvalid, "HS code %q: %q is not a digit (write digits, with or without dots)", raw, r)
		}
	}
	d := b.String()
	switch l := len(d); {
	case l == 4 || l == 6:
		return d, "", nil
	case l == 2:
		return "", "", tradeplan.Errorf(tradeplan.EInvalid, "HS code %q is a chapter (2 digits); give at least the 4-digit heading", raw)
	case l >= 8 && l <= 10:
		return d[:6], "national code " + d + " cut to HS6 " + d[:6], nil
	case l == 0:
		return "", "", tradeplan.Errorf(tradeplan.EInvalid, "HS code %q has no digits", raw)
	default:
		return "", "", tradeplan.Errorf(tradeplan.EInvalid, "HS code %q has %d digits; want 4 (heading), 6 (subheading) or a national code of 8 to 10", raw, l)
	}
}

// FormatCode writes digits the usual way: 0305, 0305.69.
func FormatCode(code string) string {
	if len(code) == 6 {
		return code[:4] + "." + code[4:]
	}
	return code
}

func sortStrings(s []string) { sort.Strings(s) }
