package written

import "strings"

// Pinyin is the romanisation of Chinese characters.
const Pinyin = "pinyin"

// syllable is the pinyin of one Chinese character, without tones; "" for a
// character that has none. A character with several readings is read as
// the first, the commonest; the simplified and the traditional form of a
// character list their readings in one order (长 and 長 zhǎng, cháng), so
// that both forms of a name read alike. The readings are go-pinyin's,
// kept as a table made from it (pinyin_table.go).
func syllable(r rune) string { return pinyinTable().syllable(r) }

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
