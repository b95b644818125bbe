package written

import (
	"strings"
	"unicode"
)

// Romanisation systems of Cyrillic.
const (
	BGNPCGN    = "BGN/PCGN"
	Kontsevich = "Russian transcription of Korean"
)

// bgn is the BGN/PCGN romanisation of Russian (and the Ukrainian and
// Belarusian letters), without its optional dots and apostrophes. The ICAO
// passport forms and the older ISO forms differ from it in a few letters
// (й i/j/y, х kh/h, ц ts/c, щ shch/sch, ий iy/y/ij); the matcher's
// phonetic key reads those as one (see the parties package).
var bgn = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "yo", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "w",
}

// vowels after which (and at the start of a word) е is ye, as BGN/PCGN writes.
const cyrVowels = "аеёиоуыэюяіїєъь"

// RomaniseCyrillic writes a text's Cyrillic letters in Latin letters
// (BGN/PCGN); other characters are kept. Capitals stay capitals.
func RomaniseCyrillic(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		lr := unicode.ToLower(r)
		t, ok := bgn[lr]
		if !ok {
			b.WriteRune(r)
			prev = lr
			continue
		}
		if lr == 'е' && (!unicode.IsLetter(prev) || strings.ContainsRune(cyrVowels, prev)) {
			t = "ye"
		}
		if r != lr && t != "" {
			t = strings.ToUpper(t[:1]) + t[1:]
		}
		b.WriteString(t)
		prev = lr
	}
	return b.String()
}

// koreanSurnamesCyr are Korean family names as Russian writes them, with
// the list spelling.
var koreanSurnamesCyr = map[string]string{
	"ким": "kim", "ли": "ri", "ри": "ri", "пак": "pak", "чхве": "choe", "цой": "choe", "чой": "choe",
	"чон": "jong", "чен": "jong", "кан": "kang", "чо": "cho", "юн": "yun", "рим": "rim", "хан": "han",
	"ян": "ryang", "со": "so", "сон": "song", "мун": "mun", "ко": "ko", "пэк": "paek", "пек": "paek",
	"хо": "ho", "но": "ro", "ро": "ro", "о": "o", "чан": "jang", "тхэ": "thae", "кон": "kong", "квон": "kwon",
	"хён": "hyon", "хен": "hyon", "чу": "ju", "ан": "an", "нам": "nam", "хвон": "hwang", "хван": "hwang",
}

// koreanSyllablesCyr are syllables of Korean given names as Russian writes
// them (the Kontsevich system and the older forms of the Soviet press), with
// the McCune-Reischauer spelling the lists use.
var koreanSyllablesCyr = map[string]string{
	"ын": "un", "ир": "il", "иль": "il", "сен": "song", "сон": "song", "чен": "jong", "чон": "jong",
	"чер": "chol", "чоль": "chol", "чхоль": "chol", "чол": "chol", "ен": "yong", "ён": "yong", "ёль": "yol",
	"мен": "myong", "мён": "myong", "хе": "hye", "хё": "hyo", "хи": "hui", "су": "su", "сук": "suk",
	"хо": "ho", "хак": "hak", "хын": "hung", "гым": "kum", "кым": "kum", "чжу": "ju", "чу": "ju",
	"ок": "ok", "ун": "un", "чун": "jun", "сун": "sun", "нам": "nam", "гван": "kwang", "кван": "kwang",
	"гук": "kuk", "кук": "kuk", "тхэ": "thae", "тэ": "thae", "ги": "ki", "ки": "ki", "ду": "du", "ту": "du",
	"ём": "yom", "ем": "yom", "ри": "ri", "ли": "ri", "дон": "dong", "тон": "dong", "гон": "gon",
	"бон": "bong", "пон": "bong", "бок": "bok", "пок": "bok", "ман": "man", "чхан": "chang", "чан": "jang",
	"хян": "hyang", "хян ": "hyang", "сам": "sam", "чир": "chil", "пхё": "pyo", "пхён": "pyong",
	"хён": "hyon", "хен": "hyon", "хёк": "hyok", "хек": "hyok", "ир сен": "il song",
	"рён": "ryong", "рен": "ryong", "хэ": "hae", "ё": "yo",
	"чжон": "jong", "чжун": "jung", "чжэ": "jae", "чжин": "jin", "чжи": "ji", "чжа": "ja", "ю": "yu",
	"сок": "sok", "ха": "ha", "хва": "hwa", "хви": "hwi",
	"ре": "ryo", "рё": "ryo", "ру": "ryu", "рю": "ryu", "гиль": "kil", "киль": "kil", "вон": "won",
	"пом": "pom", "бом": "pom", "пхиль": "phil", "сир": "sil", "мин": "min", "ин": "in",
	"сем": "sem", "се": "se", "сэ": "se", "пэ": "pae", "бэ": "pae",
}

// koreanInCyrillic reads a name written in Cyrillic as a Korean name in
// Russian transcription (Ким Чен Ын = Kim Jong Un) when its first word is a
// Korean family name and each other word is a known syllable or a run of
// them; ok is false otherwise.
func koreanInCyrillic(s string) (string, bool) {
	ws := strings.Fields(strings.ToLower(s))
	if len(ws) < 2 || len(ws) > 4 {
		return "", false
	}
	first, ok := koreanSurnamesCyr[ws[0]]
	if !ok {
		return "", false
	}
	out := []string{first}
	for _, w := range ws[1:] {
		parts := strings.Split(w, "-")
		for _, p := range parts {
			m, ok := koreanSyllablesCyr[p]
			if !ok {
				return "", false
			}
			out = append(out, m)
		}
	}
	return strings.Join(out, " "), true
}
