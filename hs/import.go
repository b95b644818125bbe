package hs

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// placeholder codes of the official files that are not goods.
func placeholder(code string) bool {
	switch strings.ToUpper(code) {
	case "TOTAL", "ALL", "99", "9999", "999999":
		return true
	}
	return strings.HasPrefix(strings.ToUpper(code), "AG")
}

var romans = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields("I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI") {
		m[s] = true
	}
	return m
}()

// editionName turns a file name into a nomenclature name: "../hs2022.csv" -> "hs2022".
func editionName(name string) string {
	b := filepath.Base(name)
	if i := strings.IndexByte(b, '.'); i > 0 {
		b = b[:i]
	}
	if b == "" || b == "." || b == "-" {
		return "hs"
	}
	return strings.ToLower(b)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkEntry validates one code's shape and parent; it returns the problems
// as (field, message) pairs.
func checkEntry(code, parent string, level int, title string) [][2]string {
	var ps [][2]string
	if !allDigits(code) {
		ps = append(ps, [2]string{"hscode", fmt.Sprintf("code %q is not all digits", code)})
		return ps
	}
	if level != 2 && level != 4 && level != 6 {
		ps = append(ps, [2]string{"level", fmt.Sprintf("level %d: want 2, 4 or 6", level)})
	} else if len(code) != level {
		ps = append(ps, [2]string{"hscode", fmt.Sprintf("code %q has %d digits but level is %d", code, len(code), level)})
	} else if level > 2 && parent != code[:level-2] {
		ps = append(ps, [2]string{"parent", fmt.Sprintf("parent %q of %s: want %s", parent, code, code[:level-2])})
	}
	if strings.TrimSpace(title) == "" {
		ps = append(ps, [2]string{"description", "empty description"})
	}
	return ps
}

// ParseCSV reads an HS nomenclature in the CSV layout of the public
// harmonized-system data set: columns section,hscode,description,parent,level.
// Placeholder rows (TOTAL, 99, 9999, 999999) are skipped. name is the file
// name used in messages; the nomenclature is named after its base name
// ("hs2022"). Every problem is reported at file:line: field, all at once.
func ParseCSV(r io.Reader, name string) (*Nomenclature, error) {
	n := newNomenclature(editionName(name), name)
	var ps tradeplan.Problems
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	pos := func(line int) tradeplan.Position { return tradeplan.Position{File: name, Line: line} }
	header, err := cr.Read()
	if err == io.EOF {
		ps.Add(pos(1), "", "empty file: want a header section,hscode,description,parent,level")
		return nil, ps.Err("HS CSV " + name)
	}
	if err != nil {
		ps.Add(pos(1), "", "unreadable CSV: %v", csvErr(err))
		return nil, ps.Err("HS CSV " + name)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, want := range []string{"section", "hscode", "description", "parent", "level"} {
		if _, ok := col[want]; !ok {
			ps.Add(pos(1), want, "header lacks column %q (have %s)", want, strings.Join(header, ","))
		}
	}
	if len(ps) > 0 {
		return nil, ps.Err("HS CSV " + name)
	}
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line := 0
		if err == nil && len(rec) > 0 {
			line, _ = cr.FieldPos(0)
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			ps.Add(pos(line), "", "unreadable CSV row: %v", csvErr(err))
			if len(ps) > 100 {
				break
			}
			if pe != nil && pe.Err == csv.ErrFieldCount {
				continue
			}
			if pe == nil {
				break
			}
			continue
		}
		get := func(c string) string {
			i := col[c]
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		code, sec := get("hscode"), get("section")
		if code == "" && sec == "" && get("description") == "" && get("level") == "" {
			continue // an empty row
		}
		if placeholder(code) || strings.EqualFold(sec, "TOTAL") {
			continue
		}
		lv, lerr := strconv.Atoi(get("level"))
		if lerr != nil {
			ps.Add(pos(line), "level", "level %q is not a number", get("level"))
			continue
		}
		parent := get("parent")
		if strings.EqualFold(parent, "TOTAL") {
			parent = ""
		}
		bad := checkEntry(code, parent, lv, get("description"))
		if !romans[sec] {
			bad = append(bad, [2]string{"section", fmt.Sprintf("section %q is not a roman numeral I to XXI", sec)})
		}
		for _, p := range bad {
			ps.Add(pos(line), p[0], "%s", p[1])
		}
		if len(bad) > 0 {
			continue
		}
		if first, dup := seen[code]; dup {
			ps.Add(pos(line), "hscode", "code %s listed twice (first at line %d)", code, first)
			continue
		}
		seen[code] = line
		n.add(&Entry{Code: code, Level: lv, Title: get("description"), Parent: parent, Section: sec})
		if len(ps) > 100 {
			break
		}
	}
	orphans(n, seen, name, &ps)
	if err := ps.Err("HS CSV " + name); err != nil {
		return nil, err
	}
	if len(n.entries) == 0 {
		ps.Add(pos(1), "", "no HS codes in the file")
		return nil, ps.Err("HS CSV " + name)
	}
	n.finish()
	return n, nil
}

func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// orphans reports codes whose parent is missing.
func orphans(n *Nomenclature, at map[string]int, name string, ps *tradeplan.Problems) {
	var codes []string
	for c := range n.entries {
		codes = append(codes, c)
	}
	sortStrings(codes)
	for _, c := range codes {
		e := n.entries[c]
		if e.Level > 2 {
			if _, ok := n.entries[e.Parent]; !ok {
				ps.Add(tradeplan.Position{File: name, Line: at[c]}, "parent", "parent %s of %s is not in the file", e.Parent, c)
			}
		}
	}
}

type comtradeItem struct {
	ID     *string `json:"id"`
	Text   *string `json:"text"`
	Parent *string `json:"parent"`
}

// ParseComtradeJSON reads an HS nomenclature in the UN Comtrade
// classification JSON shape: {"results":[{"id":"010121","text":"010121 -
// ...","parent":"0101"}, ...]}. Problems are reported at file:line:
// results[i].field, all at once.
func ParseComtradeJSON(r io.Reader, name string) (*Nomenclature, error) {
	n := newNomenclature(editionName(name), name)
	var ps tradeplan.Problems
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	lineAt := func(off int64) int {
		if off > int64(len(data)) {
			off = int64(len(data))
		}
		return bytes.Count(data[:off], []byte("\n")) + 1
	}
	pos := func(off int64, path string) tradeplan.Position {
		return tradeplan.Position{File: name, Line: lineAt(off), Path: path}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	fail := func(err error) (*Nomenclature, error) {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		ps.Add(pos(off, ""), "", "invalid JSON: %v", err)
		return nil, ps.Err("Comtrade JSON " + name)
	}
	expect := func(want json.Delim) error {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); !ok || d != want {
			return fmt.Errorf("want %q, found %v", want, t)
		}
		return nil
	}
	if err := expect('{'); err != nil {
		return fail(err)
	}
	found := false
	seen := map[string]int{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := t.(string)
		if key != "results" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return fail(err)
			}
			continue
		}
		found = true
		if err := expect('['); err != nil {
			return fail(err)
		}
		for i := 0; dec.More(); i++ {
			start := dec.InputOffset()
			// the offset is just before the separator; step to the value
			for start < int64(len(data)) && strings.ContainsRune(" \t\r\n,", rune(data[start])) {
				start++
			}
			var it comtradeItem
			if err := dec.Decode(&it); err != nil {
				var te *json.UnmarshalTypeError
				if errors.As(err, &te) {
					ps.Add(pos(start, fmt.Sprintf("results[%d].%s", i, te.Field)), "", "want a string, found %s", te.Value)
					continue
				}
				return fail(err)
			}
			path := fmt.Sprintf("results[%d]", i)
			if it.ID == nil {
				ps.Add(pos(start, path+".id"), "", "missing id")
				continue
			}
			code := strings.TrimSpace(*it.ID)
			if placeholder(code) {
				continue
			}
			text, parent := "", ""
			if it.Text != nil {
				text = strings.TrimSpace(*it.Text)
				if rest, ok := strings.CutPrefix(text, code); ok {
					text = strings.TrimSpace(strings.TrimLeft(rest, " -–:"))
				}
			}
			if it.Parent != nil {
				parent = strings.TrimSpace(*it.Parent)
			}
			if placeholder(parent) {
				parent = ""
			}
			lv := len(code)
			bad := checkEntry(code, parent, lv, text)
			for _, p := range bad {
				f := p[0]
				switch f {
				case "hscode", "level":
					f = "id"
				case "description":
					f = "text"
				}
				ps.Add(pos(start, path+"."+f), "", "%s", p[1])
			}
			if len(bad) > 0 {
				continue
			}
			if first, dup := seen[code]; dup {
				ps.Add(pos(start, path+".id"), "", "code %s listed twice (first at line %d)", code, first)
				continue
			}
			seen[code] = lineAt(start)
			n.add(&Entry{Code: code, Level: lv, Title: text, Parent: parent})
			if len(ps) > 100 {
				break
			}
		}
		if len(ps) > 100 {
			break
		}
		if err := expect(']'); err != nil {
			return fail(err)
		}
	}
	if len(ps) == 0 && !found {
		ps.Add(pos(0, "results"), "", `no "results" array`)
	}
	if len(ps) == 0 {
		if _, err := dec.Token(); err != nil {
			return fail(err)
		}
	}
	orphans(n, seen, name, &ps)
	if err := ps.Err("Comtrade JSON " + name); err != nil {
		return nil, err
	}
	if len(n.entries) == 0 {
		ps.Add(pos(0, "results"), "", "no HS codes in the file")
		return nil, ps.Err("Comtrade JSON " + name)
	}
	n.finish()
	return n, nil
}
