package hs

import (
	"math"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// Some subheadings differ only by a figure: engines and cars by cylinder
// capacity, motors and tractors by power, generating sets and transformers
// by kVA (data/figures.tsv). The words of a description find the group; a
// figure it carries ("1,800 cc", "110 kW", "100 hp") chooses the member,
// and the evidence says so.

// figureBand is one subheading of a group: the figure is over Over and at
// most Upto (Upto is +Inf for none).
type figureBand struct {
	group    string
	code     string
	quantity string
	over     float64
	upto     float64
}

type figureTable struct {
	bands   []figureBand
	byCode  map[string][]int // code -> its bands (one per group it is in)
	byGroup map[string][]int
	heads   map[string][]string // heading -> groups under it
}

const figuresFile = "hs/data/figures.tsv"

var figures = func() *figureTable {
	t, err := parseFigures(mustRead("data/figures.tsv"))
	if err != nil {
		panic(err) // the embedded table is tested
	}
	return t
}()

func parseFigures(data []byte) (*figureTable, error) {
	t := &figureTable{byCode: map[string][]int{}, byGroup: map[string][]int{}, heads: map[string][]string{}}
	var ps tradeplan.Problems
	bound := func(s string, none float64) (float64, bool) {
		if s = strings.TrimSpace(s); s == "-" {
			return none, true
		}
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil && v >= 0
	}
	tsvRows(data, func(line int, f []string) {
		pos := tradeplan.Position{File: figuresFile, Line: line}
		if len(f) != 5 {
			ps.Add(pos, "", "want GROUP<TAB>CODE<TAB>QUANTITY<TAB>OVER<TAB>UPTO, got %q", strings.Join(f, "\t"))
			return
		}
		b := figureBand{group: strings.TrimSpace(f[0]), code: strings.TrimSpace(f[1]), quantity: strings.TrimSpace(f[2])}
		if len(b.code) != 6 || !allDigits(b.code) {
			ps.Add(pos, "code", "code %q: want 6 digits", b.code)
			return
		}
		if _, ok := figureUnits[b.quantity]; !ok {
			ps.Add(pos, "quantity", "quantity %q: want cc, W, VA or N", b.quantity)
			return
		}
		var ok1, ok2 bool
		b.over, ok1 = bound(f[3], 0)
		b.upto, ok2 = bound(f[4], math.Inf(1))
		if !ok1 || !ok2 || b.upto <= b.over {
			ps.Add(pos, "over", "bounds %q, %q: want numbers, over below upto", f[3], f[4])
			return
		}
		i := len(t.bands)
		t.bands = append(t.bands, b)
		t.byCode[b.code] = append(t.byCode[b.code], i)
		if len(t.byGroup[b.group]) == 0 {
			t.heads[b.code[:4]] = append(t.heads[b.code[:4]], b.group)
		}
		t.byGroup[b.group] = append(t.byGroup[b.group], i)
	})
	if err := ps.Err("figures"); err != nil {
		return nil, err
	}
	return t, nil
}

// figure is a quantity a description states, in the base unit of its
// quantity, with the words it was read from.
type figure struct {
	quantity string
	value    float64
	text     string
}

// figureUnits are the units read after a number, by quantity: the factor to
// the base unit. Litres are read as cylinder capacity only up to 10 l (an
// engine's, not a tank's).
var figureUnits = map[string]map[string]float64{
	"cc": {"cc": 1, "cm3": 1, "ccm": 1, "l": 1000, "ltr": 1000, "litre": 1000, "litres": 1000, "liter": 1000, "liters": 1000},
	"W": {"w": 1, "watt": 1, "watts": 1, "kw": 1e3, "kilowatt": 1e3, "kilowatts": 1e3, "mw": 1e6, "megawatt": 1e6, "megawatts": 1e6,
		"hp": 745.7, "bhp": 745.7, "horsepower": 745.7, "ps": 735.5},
	"VA": {"va": 1, "kva": 1e3, "mva": 1e6},
	"N":  {"kn": 1e3},
}

// unitQuantity is figureUnits by unit.
var unitQuantity = func() map[string]string {
	m := map[string]string{}
	for q, us := range figureUnits {
		for u := range us {
			m[u] = q
		}
	}
	return m
}()

// figuresIn returns the figures a description states: a number ("1,800",
// "1.6", "0.55") followed, after spaces or a hyphen, by a unit of
// figureUnits. It is nil for a description without a digit.
func figuresIn(s string) []figure {
	var out []figure
	for i := 0; i < len(s); {
		c := s[i]
		if c < '0' || c > '9' || i > 0 && isWordByte(s[i-1]) {
			i++
			continue
		}
		start := i
		num, j := readNumber(s, i)
		k := j
		for k < len(s) && (s[k] == ' ' || s[k] == '-') {
			k++
		}
		u := k
		for u < len(s) && (isLetter(s[u]) || s[u] == '3' && u > k) {
			u++
		}
		i = max(j, start+1)
		if u == k || u < len(s) && isWordByte(s[u]) {
			continue
		}
		unit := strings.ToLower(s[k:u])
		q, ok := unitQuantity[unit]
		if !ok {
			continue
		}
		v := num * figureUnits[q][unit]
		if q == "cc" && figureUnits[q][unit] == 1000 && num > 10 {
			continue
		}
		out = append(out, figure{quantity: q, value: v, text: s[start:u]})
		i = u
	}
	return out
}

// shown is the figure as written, with its value in the nomenclature's
// unit when it was written in another: "100 hp (74.6 kW)".
func (f figure) shown() string {
	t := strings.ToLower(f.text)
	for _, u := range []string{"hp", "horsepower", "ps", "l", "ltr", "litre", "litres", "liter", "liters"} {
		if strings.HasSuffix(t, u) && !strings.HasSuffix(t, "k"+u) {
			v := f.value
			if f.quantity == "W" {
				v = math.Round(v/100) / 10 // kW, one decimal
				return f.text + " (" + strconv.FormatFloat(v, 'f', -1, 64) + " kW)"
			}
			return f.text + " (" + formatFigure(math.Round(v), f.quantity) + ")"
		}
	}
	return f.text
}

// readNumber reads digits with thousands commas ("1,000") and a decimal
// point from s[i:], returning the value and where it ends.
func readNumber(s string, i int) (float64, int) {
	v, scale, point := 0.0, 1.0, false
	j := i
	for j < len(s) {
		c := s[j]
		switch {
		case c >= '0' && c <= '9':
			if point {
				scale /= 10
				v += float64(c-'0') * scale
			} else {
				v = v*10 + float64(c-'0')
			}
		case c == ',' && !point && threeDigits(s, j+1):
		case c == '.' && !point && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9':
			point = true
		default:
			return v, j
		}
		j++
	}
	return v, j
}

// threeDigits reports whether s[i:] starts with exactly three digits (a
// thousands group), not four.
func threeDigits(s string, i int) bool {
	if i+3 > len(s) {
		return false
	}
	for k := i; k < i+3; k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return i+3 == len(s) || s[i+3] < '0' || s[i+3] > '9'
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isWordByte(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' }

// bandOf returns the band of group g that holds the figures of its quantity
// among figs, when they all fall in one; ok is false when none is stated or
// they fall in different bands.
func (t *figureTable) bandOf(g string, figs []figure) (b *figureBand, f figure, ok bool) {
	for _, fg := range figs {
		for _, i := range t.byGroup[g] {
			bd := &t.bands[i]
			if bd.quantity != fg.quantity || !(fg.value > bd.over && fg.value <= bd.upto) {
				continue
			}
			if b != nil && b.code != bd.code {
				return nil, figure{}, false
			}
			b, f = bd, fg
		}
	}
	return b, f, b != nil
}

// groupOf is the one figure group of a candidate code: its own for a
// subheading in the table, the only group under a heading.
func (t *figureTable) groupOf(code string) (string, bool) {
	switch len(code) {
	case 6:
		if bs := t.byCode[code]; len(bs) == 1 {
			return t.bands[bs[0]].group, true
		}
	case 4:
		if gs := t.heads[code]; len(gs) == 1 {
			return gs[0], true
		}
	}
	return "", false
}

// byFigures moves each candidate of a figure group to the member its
// figure falls in, saying so in its evidence; a code found twice is kept
// once, where it ranks first. At most top are returned.
func (c *Classifier) byFigures(out []tradeplan.Candidate, figs []figure, top int) []tradeplan.Candidate {
	kept := out[:0]
	seen := map[string]bool{}
	for _, cd := range out {
		if g, ok := figures.groupOf(cd.Code); ok {
			if b, f, ok := figures.bandOf(g, figs); ok && b.code != cd.Code {
				ev := "figure: " + f.shown() + ", " + b.describe() + ": subheading " + FormatCode(b.code) + " (the words alone gave " + FormatCode(cd.Code) + ")"
				cd.Code, cd.Level, cd.Title = b.code, 6, c.Title(b.code)
				cd.Evidence = append([]string{ev}, cd.Evidence...)
			} else if ok && b.code == cd.Code {
				cd.Evidence = append([]string{"figure: " + f.shown() + ", " + b.describe() + ": subheading " + FormatCode(b.code)}, cd.Evidence...)
			}
		}
		if seen[cd.Code] {
			continue
		}
		seen[cd.Code] = true
		kept = append(kept, cd)
	}
	if len(kept) > top {
		kept = kept[:top]
	}
	return kept
}

// describe is the band in the nomenclature's words: "exceeding 1,000 cc but
// not exceeding 1,500 cc".
func (b *figureBand) describe() string {
	switch {
	case b.over == 0:
		return "not exceeding " + formatFigure(b.upto, b.quantity)
	case math.IsInf(b.upto, 1):
		return "exceeding " + formatFigure(b.over, b.quantity)
	}
	return "exceeding " + formatFigure(b.over, b.quantity) + " but not exceeding " + formatFigure(b.upto, b.quantity)
}

// formatFigure writes v in the largest unit that keeps it whole: 75000 W is
// "75 kW".
func formatFigure(v float64, q string) string {
	unit := q
	if q != "cc" {
		for _, p := range []struct {
			f      float64
			prefix string
		}{{1e6, "M"}, {1e3, "k"}} {
			if v >= p.f && math.Mod(v, p.f) == 0 {
				v, unit = v/p.f, p.prefix+q
				break
			}
		}
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i < 0 && len(s) > 3 {
		var b strings.Builder
		for k, r := range s {
			if k > 0 && (len(s)-k)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	return s + " " + unit
}
