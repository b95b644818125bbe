package written

import "strings"

// ArabicLetters is the System of a reading of Arabic script: its letters
// one by one, as Arabic writes them, without the short vowels it does not
// write (محمد → mhmd). A matcher compares such a reading by consonants.
const ArabicLetters = "Arabic letters, short vowels unwritten"

// arabicLetters are the Latin letters of the Arabic (and Persian) letters
// as the lists' romanisations write them; ʿayn and hamza are not written.
var arabicLetters = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h",
	'خ': "kh", 'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t",
	'ظ': "z", 'ع': "", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n", 'ه': "h",
	'ة': "h", 'و': "w", 'ي': "y", 'ى': "a", 'ء': "", 'ئ': "y", 'ؤ': "w",
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ک': "k", 'ی': "y",
}

// RomaniseArabic writes Arabic script in Latin letters, one by one; the
// article al- becomes a word of its own, as the lists write it (الظواهري →
// al zwahry), and الله is allah.
func RomaniseArabic(s string) string {
	var words []string
	for _, w := range strings.Fields(s) {
		if w == "الله" {
			words = append(words, "allah")
			continue
		}
		rs := []rune(w)
		if len(rs) > 3 && rs[0] == 'ا' && rs[1] == 'ل' {
			words = append(words, "al")
			rs = rs[2:]
		}
		var b strings.Builder
		for _, r := range rs {
			if l, ok := arabicLetters[r]; ok {
				b.WriteString(l)
			} else if ScriptOf(r) != Arabic {
				b.WriteRune(r)
			}
		}
		if b.Len() > 0 {
			words = append(words, b.String())
		}
	}
	return strings.Join(words, " ")
}
