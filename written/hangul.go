package written

import "strings"

// Hangul syllables are composed arithmetically (Unicode, chapter 3.12):
// syllable = 0xAC00 + (initial*21 + medial)*28 + final.
const (
	hangulFirst = 0xAC00
	hangulLast  = 0xD7A3
)

// Romanisation systems of Korean.
const (
	McCuneReischauer    = "McCune-Reischauer"
	RevisedRomanization = "Revised Romanization"
)

// The jamo in Unicode order, romanised. McCune-Reischauer is written as the
// UN and OFAC lists and the DPRK's own documents write it: without breves
// or apostrophes (ŏ and o both o, ŭ and u both u), initial r kept (련합 =
// ryonhap; the matcher reads ryonhap and yonhap as one).
var (
	mrInitial = [19]string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch", "k", "t", "p", "h"}
	// voiced after a vowel or a voiced final (ㄴ ㄹ ㅁ ㅇ)
	mrVoiced = [19]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "tch", "ch", "k", "t", "p", "h"}
	mrMedial = [21]string{"a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"}
	mrFinal  = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", ""}

	rrInitial = [19]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	rrMedial  = [21]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	rrFinal   = [28]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", ""}
	// a final before a vowel is carried over to it (RR liaison): 한국어 hangugeo
	rrLiaison = [28]string{"", "g", "kk", "gs", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp", "r", "m", "b", "bs", "s", "ss", "ng", "j", "ch", "k", "t", "p", ""}
)

func isHangul(r rune) bool { return r >= hangulFirst && r <= hangulLast }

func jamo(r rune) (ini, med, fin int) {
	i := int(r - hangulFirst)
	return i / (21 * 28), i % (21 * 28) / 28, i % 28
}

// voicedFinal: ㄴ ㄹ ㅁ ㅇ and none (a vowel).
func voicedFinal(fin int) bool {
	switch fin {
	case 0, 4, 8, 16, 21:
		return true
	}
	return false
}

// RomaniseHangul writes a run of Hangul syllables in Latin letters in the
// given system, syllables joined. Other characters are kept.
func RomaniseHangul(s, system string) string {
	var b strings.Builder
	prevFin := -1 // -1: not after a syllable
	for _, r := range s {
		if !isHangul(r) {
			b.WriteRune(r)
			prevFin = -1
			continue
		}
		ini, med, fin := jamo(r)
		if system == RevisedRomanization {
			b.WriteString(rrSyllable(ini, med, prevFin))
		} else {
			b.WriteString(mrSyllable(ini, med, prevFin))
		}
		prevFin = fin
	}
	if prevFin >= 0 {
		if system == RevisedRomanization {
			b.WriteString(rrFinal[prevFin])
		} else {
			b.WriteString(mrFinal[prevFin])
		}
	}
	return b.String()
}

// mrSyllable writes the previous syllable's final (when there was one) and
// this syllable's initial and medial.
func mrSyllable(ini, med, prevFin int) string {
	var b strings.Builder
	c := mrInitial[ini]
	if prevFin >= 0 {
		f := mrFinal[prevFin]
		switch {
		case ini == 5 && (prevFin == 8 || prevFin == 4): // ㄹ after ㄹ or ㄴ: ll
			f, c = "l", "l"
		case voicedFinal(prevFin):
			c = mrVoiced[ini]
		}
		b.WriteString(f)
	}
	b.WriteString(c)
	b.WriteString(mrMedial[med])
	return b.String()
}

func rrSyllable(ini, med, prevFin int) string {
	var b strings.Builder
	c := rrInitial[ini]
	if prevFin >= 0 {
		f := rrFinal[prevFin]
		switch {
		case ini == 11 && prevFin > 0 && prevFin != 21: // a vowel takes the final over
			f = rrLiaison[prevFin]
		case ini == 5 && (prevFin == 8 || prevFin == 4):
			f, c = "l", "l"
		}
		b.WriteString(f)
	}
	b.WriteString(c)
	b.WriteString(rrMedial[med])
	return b.String()
}

// hangulSyllables writes each syllable of a run apart, as the lists write
// Korean personal names ("Kim Jong Un"), in the given system.
func hangulSyllables(s, system string) []string {
	var out []string
	for _, r := range s {
		if isHangul(r) {
			out = append(out, RomaniseHangul(string(r), system))
		}
	}
	return out
}
