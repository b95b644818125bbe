package written

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// letterFold spells letters that Unicode does not decompose into a base
// letter and a mark.
var letterFold = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l",
	'þ': "th", 'ı': "i", 'ħ': "h", 'ŋ': "ng",
}

// stripMarks transformers keep state, so each goroutine takes its own.
var stripMarks = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold returns s (as Clean reads it) in lower case with its letters folded
// to their base letters: accents and other marks removed (ŏ → o, é → e, ü →
// u), and ß, æ, œ, ø, ł and the like spelled out. Hangul, Chinese characters
// and other scripts are kept. ASCII takes a fast path.
func Fold(s string) string {
	if IsASCII(s) {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c >= 'A' && c <= 'Z' {
				return strings.ToLower(s)
			}
		}
		return s
	}
	tr := stripMarks.Get().(transform.Transformer)
	if t, _, err := transform.String(tr, s); err == nil {
		s = t
	}
	stripMarks.Put(tr)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := letterFold[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
