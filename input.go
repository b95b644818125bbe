package tradeplan

import (
	"strconv"
	"unicode/utf8"
)

// The checks every input path makes on what it stores or computes with:
// plan documents (YAML, JSON, CSV), API bodies and query parameters, web
// forms and the command line. Each returns "" for a good input, else a
// message saying what was expected and what was found, for a problem at the
// field.

// MaxAmount is the largest quantity or value tradeplan takes, in any unit
// or currency: 10^15 (a thousand million million). It is some six orders
// of magnitude above the largest plausible line; ParseDecimal, which reads
// every figure from outside, takes at most 15 digits before the point, so
// a figure read is always below it.
const MaxAmount = 1e15

// maxAmount is MaxAmount as a Decimal.
var maxAmount = D(MaxAmount)

// CheckAmount reports what is wrong with a quantity or value: below zero,
// or above MaxAmount.
func CheckAmount(v Decimal) string {
	switch {
	case v.Sign() < 0:
		return "expected a number of at least 0; found " + v.String()
	case v.Cmp(maxAmount) > 0:
		return "expected a number of at most 1e15; found " + v.String()
	}
	return ""
}

// CheckText reports what is wrong with a text field: invalid UTF-8, a NUL
// or another control character (C0, DEL or C1). A multiline field (a
// description, a purpose, a reason, guidance) may hold tabs and line
// breaks; a single-line one (a name, an id, a reference) may not. Both
// PostgreSQL and SQLite then store exactly what was sent.
func CheckText(s string, multiline bool) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < 0x80 {
			if multiline && (c == '\t' || c == '\n' || c == '\r') {
				i++
				continue
			}
			return textProblem(s, i, rune(c))
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return "expected UTF-8 text; found an invalid byte 0x" + strconv.FormatUint(uint64(c), 16) + " at byte " + strconv.Itoa(i+1)
		}
		if r >= 0x80 && r <= 0x9f {
			return textProblem(s, i, r)
		}
		i += size
	}
	return ""
}

func textProblem(s string, i int, r rune) string {
	name := "the control character " + strconv.QuoteRune(r)
	switch r {
	case 0:
		name = "a NUL character"
	case '\t':
		name = "a tab"
	case '\n', '\r':
		name = "a line break"
	}
	return "expected text without control characters; found " + name + " at byte " + strconv.Itoa(i+1)
}
