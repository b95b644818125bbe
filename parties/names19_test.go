package parties

import (
	"testing"
)

// Pinyin d/t, g/k, b/p are different consonants: two pinyin words that
// cannot be a Korean name's spelling are not paired by the phonetic key,
// while Korean syllables written in two systems still are.
func TestPinyinAspirationIsAnotherName(t *testing.T) {
	ix := NewIndex()
	for _, c := range []struct {
		a, b, kind string
		max, min   float64
	}{
		{"Deng", "Teng", "individual", 0.5, 0},
		{"Deng Xiaoping", "Teng Xiaoping", "individual", 0.899, 0},
		{"Li Xiaoping", "Li Xiaobing", "individual", 0.899, 0},
		{"Sun Sitong", "SUN, Sidong", "individual", 0.899, 0},
		{"Guangming Trading", "Kuangming Trading", "entity", 0.899, 0},
		// Korean syllables in McCune-Reischauer and Revised Romanization
		{"Kang Song", "Gang Song", "individual", 1, 0.9},
		{"Dong Hae Trading", "Tong Hae Trading", "entity", 1, 0.9},
		{"Pak Kyong Chol", "Park Gyeong Cheol", "individual", 1, 0.9},
	} {
		cmp, err := ix.Compare(c.a, c.b, c.kind)
		if err != nil {
			t.Fatal(err)
		}
		if cmp.Score > c.max || cmp.Score < c.min {
			t.Errorf("%s ~ %s = %.3f, want within [%.3f, %.3f]: %s", c.a, c.b, cmp.Score, c.min, c.max, cmp.Explanation)
		}
	}
}

// A word read from Arabic script pairs with a Latin word by its
// consonants; when its long vowels are where the Latin word has vowels,
// as fully as a romanisation does.
func TestArabicLongVowels(t *testing.T) {
	for _, c := range []struct {
		ar, lat string
		want    float32
	}{
		{"asamh", "usama", 0.90}, // two consonants, vowels agree
		{"ladn", "ladin", 0.94},
		{"slymany", "soleimani", 0.94},
		{"mhmd", "mohammed", 0.94},
		{"mhmd", "mahmoud", 0.90}, // ou is a long vowel محمد does not write
		{"slym", "salma", 0},      // other consonants? no: s l m both; the long ī is missing
		{"hzb allah", "hizballah", 0.94},
		{"iyran", "iran", 0.90}, // إيران: alif carrying the ī its ya lengthens
		{"mhmd", "ahmed", 0},
	} {
		got, _ := consonantSim(c.ar, c.lat)
		if c.ar == "slym" {
			if got >= 0.94 {
				t.Errorf("consonantSim(%q, %q) = %.2f, want below 0.94 (no vowel for the long ī)", c.ar, c.lat, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("consonantSim(%q, %q) = %.2f, want %.2f", c.ar, c.lat, got, c.want)
		}
	}
}

// A query in Arabic script finds the listed Latin names by their
// consonants (before, it found nothing).
func TestSearchArabicScript(t *testing.T) {
	_, _, ix := realLists(t)
	for _, c := range []struct {
		q, id    string
		strength string
	}{
		{"بنك ملت", "SDN-25019", Strong},
		{"نعيم قاسم", "SDN-24514", Strong},
		// the listed name has three more words (bin Muhammad bin Awad)
		{"أسامة بن لادن", "SDN-6365", Possible},
		// Persian reads waw as v; Ali has one consonant (FADAVI, Ali)
		{"علي فدوي", "SDN-13153", Possible},
	} {
		ms := ix.Search(Query{Name: c.q, Top: 3})
		if len(ms) == 0 {
			t.Errorf("%s: no match", c.q)
			continue
		}
		if ms[0].ID != c.id {
			t.Errorf("%s: first %s %q %.3f, want %s", c.q, ms[0].ID, ms[0].Name, ms[0].Score, c.id)
		}
		if ms[0].Strength != c.strength {
			t.Errorf("%s: first %s %q %.3f %s, want %s", c.q, ms[0].ID, ms[0].Name, ms[0].Score, ms[0].Strength, c.strength)
		}
	}
}
