package hs

import (
	"bytes"
	"embed"
	"fmt"
	"strings"

	"github.com/tradeplan/tradeplan"
)

//go:embed data/*.tsv
var dataFS embed.FS

// tsvRows reads a tab-separated file with a header line, skipping blank lines
// and lines starting with '#'. fn gets the 1-based line number and fields;
// the slice of fields is reused from line to line (its strings are not).
func tsvRows(data []byte, fn func(line int, f []string)) {
	line := 0
	header := true
	var f []string
	for len(data) > 0 {
		line++
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			raw, data = data, nil
		}
		raw = bytes.TrimRight(raw, "\r")
		if len(bytes.TrimSpace(raw)) == 0 || raw[0] == '#' {
			continue
		}
		if header {
			header = false
			continue
		}
		s := string(raw)
		f = f[:0]
		for {
			i := strings.IndexByte(s, '\t')
			if i < 0 {
				f = append(f, s)
				break
			}
			f = append(f, s[:i])
			s = s[i+1:]
		}
		fn(line, f)
	}
}

// embedded reads the project's own sections, chapters, headings and
// subheadings. The
// files are tolerated while incomplete; malformed rows are skipped and
// returned as problems.
func embedded() (*Nomenclature, tradeplan.Problems) {
	n := newNomenclature("hs2022", "embedded")
	n.entries = make(map[string]*Entry, 7000) // 96 chapters, 1,228 headings, 5,612 subheadings
	var ps tradeplan.Problems
	read := func(name string) []byte {
		b, err := dataFS.ReadFile("data/" + name)
		if err != nil {
			ps.Add(tradeplan.Position{File: "hs/data/" + name}, "", "missing: %v", err)
		}
		return b
	}
	pos := func(file string, line int) tradeplan.Position {
		return tradeplan.Position{File: "hs/data/" + file, Line: line}
	}
	tsvRows(read("sections.tsv"), func(line int, f []string) {
		if len(f) < 3 || !romans[strings.TrimSpace(f[0])] || strings.TrimSpace(f[2]) == "" {
			ps.Add(pos("sections.tsv", line), "", "want section<TAB>chapters<TAB>title with a roman numeral section, got %q", strings.Join(f, "\t"))
			return
		}
		n.sections = append(n.sections, Section{ID: strings.TrimSpace(f[0]), Chapters: strings.TrimSpace(f[1]), Title: strings.TrimSpace(f[2])})
	})
	tsvRows(read("chapters.tsv"), func(line int, f []string) {
		if len(f) < 3 || len(strings.TrimSpace(f[0])) != 2 || !allDigits(strings.TrimSpace(f[0])) || !romans[strings.TrimSpace(f[1])] || strings.TrimSpace(f[2]) == "" {
			ps.Add(pos("chapters.tsv", line), "", "want chapter<TAB>section<TAB>title (2 digits, roman numeral), got %q", strings.Join(f, "\t"))
			return
		}
		c := strings.TrimSpace(f[0])
		if _, dup := n.entries[c]; dup {
			ps.Add(pos("chapters.tsv", line), "chapter", "chapter %s listed twice", c)
			return
		}
		n.add(&Entry{Code: c, Level: 2, Section: strings.TrimSpace(f[1]), Title: strings.TrimSpace(f[2])})
	})
	tsvRows(read("headings.tsv"), func(line int, f []string) {
		c := ""
		if len(f) > 0 {
			c = strings.ReplaceAll(strings.TrimSpace(f[0]), ".", "")
		}
		if len(f) < 2 || len(c) != 4 || !allDigits(c) || strings.TrimSpace(f[1]) == "" {
			ps.Add(pos("headings.tsv", line), "", "want heading<TAB>title<TAB>keywords with a 4-digit heading, got %q", strings.Join(f, "\t"))
			return
		}
		if _, dup := n.entries[c]; dup {
			ps.Add(pos("headings.tsv", line), "heading", "heading %s listed twice", c)
			return
		}
		if _, ok := n.entries[c[:2]]; !ok {
			ps.Add(pos("headings.tsv", line), "heading", "heading %s: chapter %s is not in chapters.tsv", c, c[:2])
		}
		e := &Entry{Code: c, Level: 4, Parent: c[:2], Title: strings.TrimSpace(f[1])}
		if len(f) > 2 {
			for _, k := range strings.Split(f[2], ",") {
				if k = strings.TrimSpace(k); k != "" {
					e.Keywords = append(e.Keywords, k)
				}
			}
		}
		n.add(e)
	})
	tsvRows(read("subheadings.tsv"), func(line int, f []string) {
		c := ""
		if len(f) > 0 {
			c = strings.ReplaceAll(strings.TrimSpace(f[0]), ".", "")
		}
		if len(f) < 2 || len(c) != 6 || !allDigits(c) || strings.TrimSpace(f[1]) == "" {
			ps.Add(pos("subheadings.tsv", line), "", "want subheading<TAB>title<TAB>keywords with a 6-digit subheading, got %q", strings.Join(f, "\t"))
			return
		}
		if _, dup := n.entries[c]; dup {
			ps.Add(pos("subheadings.tsv", line), "subheading", "subheading %s listed twice", c)
			return
		}
		if h, ok := n.entries[c[:4]]; !ok || h.Level != 4 {
			ps.Add(pos("subheadings.tsv", line), "subheading", "subheading %s: heading %s is not in headings.tsv", c, c[:4])
			return
		}
		e := &Entry{Code: c, Level: 6, Parent: c[:4], Title: strings.TrimSpace(f[1])}
		if len(f) > 2 {
			e.Keywords = make([]string, 0, strings.Count(f[2], ",")+1)
			for _, k := range strings.Split(f[2], ",") {
				if k = strings.TrimSpace(k); k != "" {
					e.Keywords = append(e.Keywords, k)
				}
			}
		}
		n.add(e)
	})
	n.finish()
	return n, ps
}

// lexiconData returns the embedded lexicon.
func lexiconData() ([]byte, error) {
	b, err := dataFS.ReadFile("data/lexicon.tsv")
	if err != nil {
		return nil, fmt.Errorf("embedded lexicon: %w", err)
	}
	return b, nil
}
