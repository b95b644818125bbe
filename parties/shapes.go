package parties

import (
	"strings"
)

// Shapes of names that lists and documents write differently: legal forms
// written out in other languages or written before the name, a country word
// moved after the legal form, numbers and ordinals, the DPRK's name written
// out, and offices of a listed entity. They are the project's own tables.

// legalSpecific are the legal forms of one legal system each, written
// as Normalize leaves them, with the one form they are. Two different
// ones (a German AG and a GmbH) are different companies' forms and weaken
// a match; the loose English, Chinese and Korean forms (Co., Ltd.,
// Corporation, Youxian Gongsi, Hoesa) do not name one.
var legalSpecific = map[string]string{
	"ag": "ag", "aktiengesellschaft": "ag",
	"gmbh": "gmbh", "gesellschaft mit beschrankter haftung": "gmbh", "gesellschaft mbh": "gmbh",
	"sa": "sa", "societe anonyme": "sa", "sociedad anonima": "sa", "sociedade anonima": "sa",
	"srl": "srl", "s r l": "srl", "societatea cu raspundere limitata": "srl",
	"societa a responsabilita limitata": "srl", "sociedad de responsabilidad limitada": "srl",
	"sarl": "sarl", "societe a responsabilite limitee": "sarl",
	"spa": "spa", "societa per azioni": "spa",
	"bv": "bv", "besloten vennootschap": "bv", "nv": "nv", "naamloze vennootschap": "nv",
	"llc": "llc", "l l c": "llc", "limited liability company": "llc", "ooo": "llc", "tov": "llc",
	"obshchestvo s ogranichennoy otvetstvennostyu": "llc", "obshchestvo s ogranichennoi otvetstvennostiu": "llc",
	"obshchestvo s ogranichennoj otvetstvennostju": "llc", "obschestvo s ogranichennoy otvetstvennostyu": "llc",
	"tovarystvo z obmezhenoyu vidpovidalnistyu": "llc",
	"jsc": "ao", "ao": "ao", "oao": "ao", "zao": "ao", "pao": "ao", "ojsc": "ao", "cjsc": "ao", "pjsc": "ao",
	"joint stock company": "ao", "open joint stock company": "ao", "closed joint stock company": "ao",
	"public joint stock company": "ao", "aktsionernoye obshchestvo": "ao", "aktsionernoe obshchestvo": "ao",
	"publichnoye aktsionernoye obshchestvo": "ao", "zakrytoye aktsionernoye obshchestvo": "ao",
	"otkrytoye aktsionernoye obshchestvo": "ao",
	"kk":                                  "kk", "kabushiki kaisha": "kk", "kabushikigaisha": "kk", "yk": "yk", "yugen kaisha": "yk",
	"sl": "sl", "sociedad limitada": "sl", "lda": "lda", "limitada": "lda",
	"fze": "fze", "fzco": "fzco", "fzc": "fzco", "fz llc": "fz llc", "dmcc": "dmcc",
	"sdn bhd": "sdn bhd", "sendirian berhad": "sdn bhd", "pte ltd": "pte ltd", "private limited": "pte ltd",
	"pvt ltd": "pte ltd", "pty ltd": "pty ltd", "plc": "plc", "public limited company": "plc",
}

// legalSpelledOut are the forms written out, by the family of the matcher's
// legal-form classes they join (see legalFormGroups).
var legalSpelledOut = map[string]string{
	"aktiengesellschaft": "jsc", "gesellschaft mit beschrankter haftung": "jsc", "gesellschaft mbh": "jsc",
	"societe anonyme": "jsc", "sociedad anonima": "jsc", "sociedade anonima": "jsc", "s r l": "jsc",
	"societatea cu raspundere limitata": "jsc", "societa a responsabilita limitata": "jsc",
	"sociedad de responsabilidad limitada": "jsc", "societe a responsabilite limitee": "jsc",
	"societa per azioni": "jsc", "besloten vennootschap": "jsc", "naamloze vennootschap": "jsc",
	"obshchestvo s ogranichennoy otvetstvennostyu": "company limited",
	"obshchestvo s ogranichennoi otvetstvennostiu": "company limited",
	"obshchestvo s ogranichennoj otvetstvennostju": "company limited",
	"obschestvo s ogranichennoy otvetstvennostyu":  "company limited",
	"tovarystvo z obmezhenoyu vidpovidalnistyu":    "company limited",
	"aktsionernoye obshchestvo":                    "jsc", "aktsionernoe obshchestvo": "jsc",
	"publichnoye aktsionernoye obshchestvo": "jsc", "zakrytoye aktsionernoye obshchestvo": "jsc",
	"otkrytoye aktsionernoye obshchestvo": "jsc", "kabushiki kaisha": "company limited",
	"kabushikigaisha": "company limited", "yugen kaisha": "company limited", "sociedad limitada": "jsc",
	"limitada": "jsc", "sendirian berhad": "company limited", "public limited company": "company limited",
}

// leadingLegal are legal forms written before the name (Russian and
// Ukrainian usage: OOO Romashka, ZAO ...).
var leadingLegal = setOf("ooo", "ao", "zao", "oao", "pao", "tov", "jsc", "ojsc", "cjsc", "pjsc", "llc")

// countryWords are the words of a country that a company name may begin
// with or, moved, end with.
var countryWords = setOf("korea", "dprk", "choson", "chosun", "joseon", "china", "zhongguo", "russia")

// dprkLong are the ways of writing out the DPRK's name, replaced by "dprk".
var dprkLong = [][]string{
	strings.Fields("democratic people s republic of korea"),
	strings.Fields("democratic peoples republic of korea"),
	strings.Fields("democratic people republic of korea"),
	strings.Fields("north korea"),
	strings.Fields("korea north"),
	strings.Fields("korea dpr"),
	strings.Fields("dpr korea"),
	strings.Fields("d p r k"),
	strings.Fields("d p r of korea"),
}

// rewriteFirst are the words that may begin a rewrite.
var rewriteFirst = func() map[string]bool {
	m := setOf("no", "nr", "number", "num")
	for _, p := range dprkLong {
		m[p[0]] = true
	}
	return m
}()

var ordinals = map[string]string{
	"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "6th": "sixth",
	"7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
}

// rewriteWords applies the shapes that hold for every kind of name: the
// DPRK's name written out, ordinals written in figures (1st = First), and
// "No." before a number (No. 39 = 39).
func rewriteWords(words []string) []string {
	change := false
	for _, w := range words {
		if rewriteFirst[w] || len(w) >= 3 && len(w) <= 4 && ordinals[w] != "" {
			change = true
			break
		}
	}
	if !change {
		return words
	}
	out := make([]string, 0, len(words)) // never longer than words
	for i := 0; i < len(words); i++ {
		w := words[i]
		if o, ok := ordinals[w]; ok {
			out = append(out, o)
			continue
		}
		if (w == "no" || w == "nr" || w == "number" || w == "num") && i+1 < len(words) && isNumber(words[i+1]) {
			continue
		}
		matched := false
		for _, p := range dprkLong {
			if i+len(p) <= len(words) && equalWords(words[i:i+len(p)], p) {
				out = append(out, "dprk")
				i += len(p) - 1
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, w)
		}
	}
	return out
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// officeWords end (or begin, with "of") the name of an office of an
// entity: "KOMID Hong Kong Branch", "Shenyang Representative Office of
// Tanchon Commercial Bank".
var officeWords = [][]string{
	{"representative", "office"}, {"rep", "office"}, {"liaison", "office"}, {"branch", "office"},
	{"sub", "branch"}, {"representative", "offices"}, {"branch"}, {"office"}, {"representative"},
	{"subsidiary"}, {"mission"},
}

// officeLast are the words an office's name may end with.
var officeLast = func() map[string]bool {
	m := map[string]bool{}
	for _, ow := range officeWords {
		m[ow[len(ow)-1]] = true
	}
	return m
}()

// isPlaceWord reports whether w names a place an office may be in.
func isPlaceWord(w string) bool {
	return placeNames[w] || countryWords[w] || officePlaces[w]
}

var officePlaces = setOf("moscow", "dubai", "bangkok", "vientiane", "ulaanbaatar", "ulan", "bator", "minsk",
	"kuala", "lumpur", "jakarta", "hanoi", "phnom", "penh", "yangon", "tehran", "damascus", "beirut", "cairo",
	"tripoli", "khartoum", "kampala", "luanda", "harare", "windhoek", "abuja", "berlin", "vienna", "rome",
	"geneva", "zurich", "paris", "london", "taipei", "macao", "macau", "zhuhai", "overseas", "foreign",
	"regional", "local", "city", "province", "provincial", "north", "south", "east", "west", "in", "at")

// parentOf returns the name of the entity an office belongs to, the words of
// a name that names an office of it ("komid hong kong branch" -> "komid"),
// or nil.
func parentOf(words []string) []string {
	if len(words) < 2 {
		return nil
	}
	of := false
	for _, w := range words[1:] {
		of = of || w == "of"
	}
	if !of && !officeLast[words[len(words)-1]] {
		return nil
	}
	// "<place> representative office of <entity>"
	for i := 1; i+1 < len(words); i++ {
		if words[i] != "of" {
			continue
		}
		for _, ow := range officeWords {
			if i >= len(ow) && equalWords(words[i-len(ow):i], ow) {
				ok := true
				for _, w := range words[:i-len(ow)] {
					ok = ok && isPlaceWord(w)
				}
				rest := words[i+1:]
				if len(rest) > 0 && rest[0] == "the" {
					rest = rest[1:]
				}
				if ok && len(rest) > 0 {
					return rest
				}
			}
		}
	}
	// "<entity> <place> branch"
	for _, ow := range officeWords {
		if len(words) <= len(ow) || !equalWords(words[len(words)-len(ow):], ow) {
			continue
		}
		end := len(words) - len(ow)
		for end > 1 && isPlaceWord(words[end-1]) {
			end--
		}
		return words[:end]
	}
	return nil
}
