package hs

import (
	"strings"
	"sync"

	"github.com/tradeplan/tradeplan"
)

// Title returns the best title known for a code: the imported official text,
// else our own words.
func (c *Classifier) Title(code string) string {
	for _, n := range c.full {
		if e, ok := n.entries[code]; ok {
			return e.Title
		}
	}
	if t, ok := c.lexTitle[code]; ok {
		return t
	}
	if e, ok := c.base.entries[code]; ok {
		return e.Title
	}
	if len(code) == 6 {
		if e, ok := c.base.entries[code[:4]]; ok {
			return e.Title + " (subheading " + FormatCode(code) + ")"
		}
	}
	return ""
}

// CheckCode validates a declared code against the nomenclature.
//
// Declared codes are checked once per line of every declaration screened,
// so the common case, a valid 4- or 6-digit code written as plain digits,
// is a lookup in a table of assignments prepared on first use: no
// allocation. Every other form takes checkCode, with its notes and errors;
// the table holds exactly what checkCode returns for its codes.
func (c *Classifier) CheckCode(code string) (tradeplan.HSAssignment, error) {
	if (len(code) == 4 || len(code) == 6) && c.fast != nil {
		if a, ok := c.fast()[code]; ok {
			return a, nil
		}
	}
	return c.checkCode(code)
}

// fastCodes is the table of CheckCode: every heading and subheading of the
// nomenclatures in use that checkCode accepts as written, with its
// assignment.
func (c *Classifier) fastCodes() map[string]tradeplan.HSAssignment {
	noms := append([]*Nomenclature{c.base}, c.full...)
	n := 0
	for _, nm := range noms {
		n += nm.Count(4) + nm.Count(6)
	}
	m := make(map[string]tradeplan.HSAssignment, n)
	for _, nm := range noms {
		for _, level := range []int{4, 6} {
			for _, code := range nm.codes(level) {
				if _, done := m[code]; done {
					continue
				}
				if a, err := c.checkCode(code); err == nil && a.Code == code {
					m[code] = a
				}
			}
		}
	}
	return m
}

// childList writes out the subheadings of heading h in n, as error messages
// list them.
func (c *Classifier) childList(n *Nomenclature, h string) string {
	if n == c.subs && c.kids != nil {
		if s, ok := c.kids()[h]; ok {
			return s
		}
	}
	return strings.Join(formatAll(n.children[h]), ", ")
}

// splitsTable is the hand-written HS 2017 -> HS 2022 table, built once for
// the messages of checkCode (KnownSplits returns a fresh copy to callers).
var splitsTable = sync.OnceValue(KnownSplits)

// checkCode is CheckCode for any form of code.
func (c *Classifier) checkCode(code string) (tradeplan.HSAssignment, error) {
	d, note, err := NormalizeCode(code)
	if err != nil {
		return tradeplan.HSAssignment{}, err
	}
	a := tradeplan.HSAssignment{Code: d, Source: "declared", Confidence: 1, Note: note}
	addNote := func(s string) {
		if a.Note != "" {
			a.Note += "; "
		}
		a.Note += s
	}
	if _, ok := c.base.entries[d[:2]]; !ok && len(c.base.entries) > 0 {
		return a, tradeplan.Errorf(tradeplan.EInvalid, "HS code %s: chapter %s does not exist", FormatCode(d), d[:2])
	}
	if len(c.full) > 0 {
		n := c.full[0]
		if _, ok := n.entries[d]; !ok {
			// a code of an older edition imported beside it is valid for older data
			for _, o := range c.full[1:] {
				if e, ok := o.entries[d]; ok {
					a.Title = e.Title
					note := "a code of " + o.Name + ", not of " + n.Name
					if to, why, ok := splitsTable().Forward(d); ok {
						note += "; became " + strings.Join(formatAll(to), ", ") + " (" + why + ")"
					}
					addNote(note)
					return a, nil
				}
			}
			if r, ok := c.renumbered(d); ok {
				return r, nil
			}
			if _, hok := n.entries[d[:4]]; !hok {
				return a, tradeplan.Errorf(tradeplan.EInvalid, "HS code %s: heading %s is not in %s", FormatCode(d), d[:4], n.Name)
			}
			return a, tradeplan.Errorf(tradeplan.EInvalid, "HS code %s: subheading not in %s (heading %s has %s)", FormatCode(d), n.Name, d[:4], c.childList(n, d[:4]))
		}
		a.Title = n.entries[d].Title
		return a, nil
	}
	h, ok := c.base.entries[d[:4]]
	if !ok || len(d) == 6 && c.subs == c.base && c.base.entries[d] == nil {
		if r, ok := c.renumbered(d); ok {
			return r, nil
		}
	}
	if !ok {
		if c.base.Count(4) < 1200 {
			// our headings file is incomplete: say so rather than reject
			addNote("heading " + d[:4] + " is not in the embedded headings, which are incomplete; not verified")
			a.Confidence = 0.5
			return a, nil
		}
		return a, tradeplan.Errorf(tradeplan.EInvalid, "HS code %s: heading %s does not exist in HS 2022", FormatCode(d), d[:4])
	}
	a.Title = h.Title
	if len(d) == 6 {
		if c.subs == c.base {
			// the embedded subheadings are the whole of HS 2022
			s, ok := c.base.entries[d]
			if !ok {
				msg := "HS code %s: subheading %s does not exist in HS 2022 (heading %s has %s)"
				args := []any{FormatCode(d), FormatCode(d), d[:4], c.childList(c.base, d[:4])}
				if to, why, ok := splitsTable().Forward(d); ok {
					msg += "; it is an HS 2017 code that became %s (%s): import HS 2017 with 'tradeplan hs import' to accept it for older data"
					args = append(args, strings.Join(formatAll(to), ", "), why)
				}
				return a, tradeplan.Errorf(tradeplan.EInvalid, msg, args...)
			}
			a.Title = s.Title
			return a, nil
		}
		if t, ok := c.lexTitle[d]; ok {
			a.Title = t
		}
		addNote("subheading " + FormatCode(d) + " not verified against the full nomenclature (only headings are embedded; import it with 'tradeplan hs import')")
	}
	return a, nil
}

// renumbered reads a code of HS 2017 that HS 2022 gave one new number (a
// known split with one destination: 8803.30 became 8807.30) as that number,
// noting the change; ok is false for any other code.
func (c *Classifier) renumbered(d string) (tradeplan.HSAssignment, bool) {
	to, why, ok := splitsTable().Forward(d)
	if !ok || len(to) != 1 || to[0] == d {
		return tradeplan.HSAssignment{}, false
	}
	a, err := c.checkCode(to[0])
	if err != nil {
		return tradeplan.HSAssignment{}, false
	}
	note := "declared as HS 2017 " + FormatCode(d) + ", read as HS 2022 " + FormatCode(to[0]) + " (" + why + ")"
	if a.Note != "" {
		note += "; " + a.Note
	}
	a.Note = note
	return a, true
}

func formatAll(cs []string) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = FormatCode(c)
	}
	return out
}
