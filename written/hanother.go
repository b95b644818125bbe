package written

import "strings"

// PinyinOther is the System of the second pinyin reading of a name whose
// characters have two readings that are both read in names.
const PinyinOther = "pinyin, other readings"

// hanOtherReadings are characters with two readings both found in names,
// each with the reading the pinyin table does not give first (长 is read
// zhang first, and chang as in Changchun and Chang'an; 朴 pu, and the
// family name Piao; 都 dou, and du as in Chengdu).
// The project's own table; each reading is among the characters' readings
// in the pinyin table (TestHanOtherReadings).
var hanOtherReadings = map[rune]string{
	'长': "chang", '長': "chang", '重': "chong", '单': "shan", '單': "shan",
	'曾': "zeng", '乐': "yue", '樂': "yue", '仇': "qiu", '朴': "piao",
	'区': "ou", '區': "ou", '解': "xie", '查': "zha", '行': "hang",
	'都': "du", '藏': "zang", '盛': "cheng", '翟': "zhai", '尉': "yu",
	'万': "mo", '覃': "qin", '缪': "miao", '繆': "miao", '种': "chong", '種': "chong",
}

// hasOtherReading reports whether s has a character of hanOtherReadings.
func hasOtherReading(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { _, ok := hanOtherReadings[r]; return ok })
}

// hanSyllablesOther is hanSyllables with the other reading of the
// characters that have one.
func hanSyllablesOther(s string) []string {
	var out []string
	for _, r := range s {
		if o, ok := hanOtherReadings[r]; ok {
			out = append(out, o)
		} else if p := syllable(r); p != "" {
			out = append(out, p)
		}
	}
	return out
}
