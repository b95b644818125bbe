package rules

import (
	"fmt"
	"strings"
)

// maxExpansion bounds how many codes one range entry may stand for.
const maxExpansion = 10000

// parseSpec reads an HS entry: "03", "1603", "2616.90", "261690", "86-89",
// "7201-7206", "8802.11-8802.12". Both ends of a range have the same level
// (2, 4 or 6 digits) and lo <= hi.
func parseSpec(s string) (lo, hi string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", fmt.Errorf("empty HS code")
	}
	a, b, isRange := strings.Cut(s, "-")
	lo, err = specDigits(a)
	if err != nil {
		if isRange {
			return "", "", fmt.Errorf("range %q: %v", s, err)
		}
		return "", "", err
	}
	hi = lo
	if isRange {
		hi, err = specDigits(b)
		if err != nil {
			return "", "", fmt.Errorf("range %q: %v", s, err)
		}
		if len(hi) != len(lo) {
			return "", "", fmt.Errorf("range %q mixes levels: %s has %d digits, %s has %d", s, lo, len(lo), hi, len(hi))
		}
		if hi < lo {
			return "", "", fmt.Errorf("range %q runs backwards", s)
		}
	}
	if n := rangeSize(lo, hi); n > maxExpansion {
		return "", "", fmt.Errorf("range %q stands for %d codes (at most %d)", s, n, maxExpansion)
	}
	return lo, hi, nil
}

// specDigits reads one HS code of 2, 4 or 6 digits, dots and spaces allowed
// ("2616.90"); chapter 00 and headings xx00 do not exist.
func specDigits(s string) (string, error) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '.' || c == ' ':
		default:
			return "", fmt.Errorf("HS code %q: want digits (2, 4 or 6, dots allowed), found %q", s, c)
		}
	}
	d := b.String()
	switch len(d) {
	case 2, 4, 6:
	default:
		return "", fmt.Errorf("HS code %q has %d digits (want 2, 4 or 6)", s, len(d))
	}
	if d[:2] == "00" {
		return "", fmt.Errorf("HS code %q: there is no chapter 00", s)
	}
	if len(d) >= 4 && d[2:4] == "00" {
		return "", fmt.Errorf("HS code %q: there is no heading %s00", s, d[:2])
	}
	return d, nil
}

func atoiDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func rangeSize(lo, hi string) int { return atoiDigits(hi) - atoiDigits(lo) + 1 }

// expand lists the codes of a range, all of the range's level.
func expand(lo, hi string) []string {
	if lo == hi {
		return []string{lo}
	}
	n := len(lo)
	a, b := atoiDigits(lo), atoiDigits(hi)
	out := make([]string, 0, b-a+1)
	for v := a; v <= b; v++ {
		out = append(out, fmt.Sprintf("%0*d", n, v))
	}
	return out
}

// hsCode is a line's HS code as screened: 2, 4 or 6 digits, held by value
// so that most lines, which need it only as index keys, do not allocate it.
type hsCode struct {
	d    [6]byte
	n    int
	keys [3]codeKey // index keys of the first 2, 4 and 6 digits
}

func (c *hsCode) String() string { return string(c.d[:c.n]) }

// key is the index key of the code's first L digits.
func (c *hsCode) key(L int) codeKey { return c.keys[L/2-1] }

// parseCode reads a line's HS code for screening: dots, spaces and dashes
// dropped; 8- to 10-digit national codes cut to HS6 (cut reports it). ok is
// false when the code is not an HS code (letters, or 1, 3 or 5 digits).
func parseCode(s string) (c hsCode, cut bool, ok bool) {
	if len(s) == 7 && s[4] == '.' {
		// "0305.69", as plans and the nomenclature write codes.
		d0, d1, d2, d3, d4, d5 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0', s[5]-'0', s[6]-'0'
		if max(d0, d1, d2, d3, d4, d5) < 10 {
			c.d = [6]byte{s[0], s[1], s[2], s[3], s[5], s[6]}
			c.n = 6
			ch := codeKey(d0)*10 + codeKey(d1)
			hd := ch*100 + codeKey(d2)*10 + codeKey(d3)
			c.keys = [3]codeKey{ch, hd, hd*100 + codeKey(d4)*10 + codeKey(d5)}
			return c, false, true
		}
	}
	n := 0
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			if n < len(c.d) {
				c.d[n] = ch
			}
			n++
		case ch == '.' || ch == ' ' || ch == '-':
		default:
			return hsCode{}, false, false
		}
	}
	if n < 2 || n > 12 || n < 6 && n%2 == 1 {
		return hsCode{}, false, false
	}
	c.n = min(n, 6)
	var k codeKey
	for L := 2; L <= c.n; L += 2 {
		k = k*100 + codeKey(c.d[L-2]-'0')*10 + codeKey(c.d[L-1]-'0')
		c.keys[L/2-1] = k
	}
	return c, n > 6, true
}

// normCode is parseCode with the code as a string.
func normCode(s string) (code string, cut bool, ok bool) {
	c, cut, ok := parseCode(s)
	if !ok {
		return "", false, false
	}
	return c.String(), cut, true
}

// dotted prints a code as written in the nomenclature: "0303.67".
func dotted(code string) string {
	if len(code) == 6 {
		return code[:4] + "." + code[4:]
	}
	return code
}

func specText(s GoodsSpec) string {
	var lvl string
	switch s.Level() {
	case 2:
		lvl = "chapter"
	case 4:
		lvl = "heading"
	default:
		lvl = "subheading"
	}
	if s.Lo == s.Hi {
		return lvl + " " + dotted(s.Lo)
	}
	return lvl + "s " + dotted(s.Lo) + "-" + dotted(s.Hi)
}
