package tradeplan

import (
	"strings"
	"unicode"
)

// CSVCell neutralises a cell that a spreadsheet would read as a formula
// (CSV injection) by giving it a leading apostrophe: one that begins, after
// any white space, quotes or apostrophes a spreadsheet may strip or read
// past, with = + - @ or their full-width forms (U+FF1D, U+FF0B, U+FF0D,
// U+FF20, read as formulas by some locales), a tab, a carriage return or a
// line feed. Every report that writes applicant text to CSV calls it.
func CSVCell(s string) string {
	t := strings.TrimLeftFunc(s, func(r rune) bool {
		return (unicode.IsSpace(r) && r != '\t' && r != '\r' && r != '\n') || r == '"' || r == '\'' || r == '\u200b' || r == '\ufeff'
	})
	if t == "" {
		return s
	}
	if strings.ContainsRune("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20", []rune(t)[0]) {
		return "'" + s
	}
	return s
}

// CSVRow neutralises the cells of a report's row in place (CSVCell), but
// for plain numbers, which a spreadsheet reads as numbers: a negative
// figure keeps its sign.
func CSVRow(cells []string) []string {
	for i, s := range cells {
		if plainNumber(s) {
			continue
		}
		cells[i] = CSVCell(s)
	}
	return cells
}

// plainNumber: an optional minus, digits, at most one point among them.
func plainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	digits, points := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}
