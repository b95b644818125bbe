package written

import (
	"sync"
	"unicode/utf8"
)

// koreanSyllableSet is every Latin spelling of the Korean sounds of the
// characters of Korean names (hanjaPairs), in McCune-Reischauer (at the
// start of a word and voiced inside one: kang, gang) and in Revised
// Romanization: the syllables a Korean name is written with.
var koreanSyllableSet = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, r := range hanjaPairs {
		if !isHangul(r) {
			continue
		}
		h := string(r)
		m[RomaniseHangul(h, McCuneReischauer)] = true
		m[RomaniseHangul(h, RevisedRomanization)] = true
		// inside a word, after a vowel: the voiced initial (kaebal)
		if v := RomaniseHangul("아"+h, McCuneReischauer); len(v) > 1 {
			m[v[1:]] = true
		}
	}
	return m
})

// KoreanSyllables reports whether a lower-case Latin word is a run of the
// syllables Korean names are written with (kang, gang, dong, tong,
// chongsu), in McCune-Reischauer or Revised Romanization. Pinyin words
// that are not (deng, teng, xiaoping) cannot be a Korean name's spelling.
func KoreanSyllables(w string) bool {
	n := len(w)
	if n == 0 || n > 40 || !IsASCII(w) {
		return false
	}
	set := koreanSyllableSet()
	var ok [41]bool
	ok[0] = true
	for i := 1; i <= n; i++ {
		for j := max(0, i-6); j < i && !ok[i]; j++ {
			ok[i] = ok[j] && set[w[j:i]]
		}
	}
	return ok[n]
}

// PinyinNotKorean reports whether a lower-case Latin word is a run of
// pinyin syllables that is not also a run of Korean name syllables: a
// Chinese name's spelling, in which d and t, g and k, b and p, r and l,
// s and sh are different consonants (Deng is not Teng).
func PinyinNotKorean(w string) bool {
	if w == "" || !utf8.ValidString(w) {
		return false
	}
	var cuts [41]int
	return pinyinCuts(w, &cuts) > 0 && !KoreanSyllables(w)
}
