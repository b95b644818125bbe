package written

import (
	_ "embed"
	"encoding/binary"
	"sort"
	"sync"
)

// pinyin.bin is the first reading, without tones, of every character of
// go-pinyin's table (github.com/mozillazg/go-pinyin, PinyinDict), made by
// TestPinyinTable -update from the version in go.mod:
//
//	go generate ./written/
//
// It replaces the package itself at run time: go-pinyin builds a map of
// 42,000 entries and compiles its regular expressions when a program starts,
// about a twentieth of a command's start-up, though most commands never
// read a Chinese name. The table is read in place, on first use.
//
// Layout, little-endian: the number of syllables (uint16); each syllable
// as its length (one byte) and its letters; the number of characters
// (uint32); then, in increasing order of character, each character (3
// bytes) and its syllable's number (uint16).
//
//go:embed pinyin.bin
var pinyinBin []byte

//go:generate go test . -run ^TestPinyinTable$ -update

type pinyinTab struct {
	syllables []string
	chars     []byte // 5 bytes a character: the rune (3), its syllable (2)
}

const pinyinEntry = 5

var pinyinTable = sync.OnceValue(func() *pinyinTab { return parsePinyin(pinyinBin) })

func parsePinyin(b []byte) *pinyinTab {
	t := &pinyinTab{}
	n := int(binary.LittleEndian.Uint16(b))
	b = b[2:]
	t.syllables = make([]string, n)
	for i := range n {
		l := int(b[0])
		t.syllables[i] = string(b[1 : 1+l])
		b = b[1+l:]
	}
	m := int(binary.LittleEndian.Uint32(b))
	t.chars = b[4 : 4+m*pinyinEntry]
	return t
}

func (t *pinyinTab) runeAt(i int) rune {
	e := t.chars[i*pinyinEntry:]
	return rune(e[0]) | rune(e[1])<<8 | rune(e[2])<<16
}

// syllable is r's syllable, "" when the table has no reading of it.
func (t *pinyinTab) syllable(r rune) string {
	n := len(t.chars) / pinyinEntry
	i := sort.Search(n, func(i int) bool { return t.runeAt(i) >= r })
	if i == n || t.runeAt(i) != r {
		return ""
	}
	return t.syllables[binary.LittleEndian.Uint16(t.chars[i*pinyinEntry+3:])]
}

// appendPinyinTable appends the table of syllables, by character, in the
// layout above: syllables are numbered in the order given.
func appendPinyinTable(b []byte, syllables []string, chars []rune, of []uint16) []byte {
	b = binary.LittleEndian.AppendUint16(b, uint16(len(syllables)))
	for _, s := range syllables {
		b = append(b, byte(len(s)))
		b = append(b, s...)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(chars)))
	for i, r := range chars {
		b = append(b, byte(r), byte(r>>8), byte(r>>16))
		b = binary.LittleEndian.AppendUint16(b, of[i])
	}
	return b
}
