package tradeplan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CSVCell neutralises a cell that a spreadsheet would read as a formula
// (CSV injection) by giving it a leading apostrophe: one that begins, after
// any white space, quotes or apostrophes a spreadsheet may strip or read
// past, with = + - @ or their full-width forms (U+FF1D, U+FF0B, U+FF0D,
// U+FF20, read as formulas by some locales), a tab, a carriage return or a
// line feed. Every report that writes applicant text to CSV calls it.
func CSVCell(s string) string {
	if formulaStart(s) {
		return "'" + s
	}
	return s
}

// formulaStart: s begins, after what a spreadsheet reads past, with what
// starts a formula (CSVCell).
func formulaStart(s string) bool {
	if s == "" {
		return false
	}
	// Most cells begin with a letter or a digit: nothing to look past.
	if c := s[0]; c < 0x80 && (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
		return false
	}
	t := strings.TrimLeftFunc(s, func(r rune) bool {
		return (unicode.IsSpace(r) && r != '\t' && r != '\r' && r != '\n') || r == '"' || r == '\'' || r == '\u200b' || r == '\ufeff'
	})
	if t == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	return strings.ContainsRune("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20", r)
}

// CSVFormula reports whether CSVRow neutralises cell s: a cell that is not
// a plain number and starts a formula. Writers that build CSV bytes by
// hand put an apostrophe before such a cell.
func CSVFormula(s string) bool { return formulaStart(s) && !plainNumber(s) }

// CSVCellValue reads a cell of a CSV file the project wrote (CSVCell,
// CSVRow) back to what was written: the apostrophe CSVCell put before a
// formula is taken off; any other cell is as it is. A cell that begins
// with an apostrophe of the user's own is written with a second one (its
// start is the same formula once spaces and apostrophes are read past), so
// the two never mix.
func CSVCellValue(s string) string {
	if len(s) > 1 && s[0] == '\'' && formulaStart(s[1:]) {
		return s[1:]
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
