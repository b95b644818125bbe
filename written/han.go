package written

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// Pinyin is the romanisation of Chinese characters.
const Pinyin = "pinyin"

// pinyinArgs asks for every reading of a character, tone marks kept (they
// are removed below).
var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Tone
	a.Heteronym = true
	return a
}()

// syllable is the pinyin of one Chinese character, without tones; "" for a
// character that has none. A character with several readings is read as
// the first, the commonest; the simplified and the traditional form of a
// character list their readings in one order (长 and 長 zhǎng, cháng), so
// that both forms of a name read alike.
func syllable(r rune) string {
	rs := pinyin.SinglePinyin(r, pinyinArgs)
	if len(rs) == 0 {
		return ""
	}
	return stripTones(rs[0])
}

func stripTones(p string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(p) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hanSyllables returns the pinyin of each character of a run; characters
// with no reading are left out.
func hanSyllables(s string) []string {
	var out []string
	for _, r := range s {
		if p := syllable(r); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// RomaniseHan writes a run of Chinese characters in pinyin, syllables joined
// as pinyin joins the syllables of one word (丹东 dandong).
func RomaniseHan(s string) string { return strings.Join(hanSyllables(s), "") }
