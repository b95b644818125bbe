package written

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite pinyin.bin from go-pinyin")

// pinyinArgs asks for every reading of a character, tone marks kept (they
// are removed by stripTones).
var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Tone
	a.Heteronym = true
	return a
}()

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

// goPinyinSyllable is syllable as go-pinyin gives it: the first reading,
// tones removed.
func goPinyinSyllable(r rune) string {
	rs := pinyin.SinglePinyin(r, pinyinArgs)
	if len(rs) == 0 {
		return ""
	}
	return stripTones(rs[0])
}

// goPinyinTable is pinyin.bin as go-pinyin's table makes it.
func goPinyinTable() []byte {
	chars := make([]rune, 0, len(pinyin.PinyinDict))
	for r := range pinyin.PinyinDict {
		if s := goPinyinSyllable(rune(r)); s != "" {
			chars = append(chars, rune(r))
		}
	}
	slices.Sort(chars)
	var syllables []string
	num := map[string]uint16{}
	of := make([]uint16, len(chars))
	for i, r := range chars {
		s := goPinyinSyllable(r)
		n, ok := num[s]
		if !ok {
			n = uint16(len(syllables))
			num[s] = n
			syllables = append(syllables, s)
		}
		of[i] = n
	}
	return appendPinyinTable(nil, syllables, chars, of)
}

// TestPinyinTable: pinyin.bin is what go-pinyin's table of the version in
// go.mod makes, and syllable reads from it what go-pinyin gives for every
// character of that table and for characters outside it (-update rewrites
// the file).
func TestPinyinTable(t *testing.T) {
	want := goPinyinTable()
	if *update {
		if err := os.WriteFile("pinyin.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		pinyinBin = want
	}
	if !bytes.Equal(pinyinBin, want) {
		t.Fatal("pinyin.bin is not go-pinyin's table: run go generate ./written/")
	}
	tab := parsePinyin(pinyinBin)
	n := 0
	for r := range pinyin.PinyinDict {
		if got, w := tab.syllable(rune(r)), goPinyinSyllable(rune(r)); got != w {
			t.Fatalf("%c (%U): %q, go-pinyin %q", rune(r), rune(r), got, w)
		}
		n++
	}
	if n < 40000 {
		t.Fatalf("go-pinyin has %d characters", n)
	}
	for _, r := range []rune{0, 'a', 'Z', '한', 'ä', 0x3400 - 1, 0x10FFFF, unicode.ReplacementChar} {
		if got, w := tab.syllable(r), goPinyinSyllable(r); got != w {
			t.Errorf("%U: %q, go-pinyin %q", r, got, w)
		}
	}
	for r, w := range map[rune]string{'丹': "dan", '东': "dong", '长': "zhang", '長': "zhang", '吕': "lu", '金': "jin"} {
		if got := syllable(r); got != w {
			t.Errorf("syllable(%c) = %q, want %q", r, got, w)
		}
	}
}
