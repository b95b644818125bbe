package written

import (
	"slices"
	"testing"
)

func TestPinyinSyllables(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"fangwei", []string{"fang", "wei"}},
		{"zhangan", []string{"zhan", "gan"}}, // pinyin writes zhang'an with an apostrophe
		{"xiaoping", []string{"xiao", "ping"}},
		{"yongchol", nil}, // Korean: chol is no pinyin syllable
		{"smith", nil},
	} {
		got, ok := PinyinSyllables(tt.in)
		if !slices.Equal(got, tt.want) || ok != (tt.want != nil) {
			t.Errorf("PinyinSyllables(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"fangwei", "fangwen", true},
		{"xiaoping", "xiaoming", true},
		{"fangwei", "fangwie", false}, // a slip of typing: wie is no syllable
		{"fangwei", "fangwei", false},
		{"fang", "feng", false}, // one syllable: a family name or a word, not this rule
		{"yongchol", "yongchul", false},
	} {
		if got := OtherPinyinSyllable(tt.a, tt.b); got != tt.want {
			t.Errorf("OtherPinyinSyllable(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
