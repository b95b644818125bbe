package written

import (
	"slices"
	"strings"
	"testing"

	"github.com/mozillazg/go-pinyin"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name, in, read string
		codes          []string
	}{
		{"plain ASCII", "KOREA KWANGSON BANKING CORPORATION", "KOREA KWANGSON BANKING CORPORATION", nil},
		{"accents kept", "Société Générale", "Société Générale", nil},
		{"Cyrillic O", "KОREA", "KOREA", []string{MixedScripts}},
		{"Cyrillic small a", "Tаnchon", "Tanchon", []string{MixedScripts}},
		{"Cyrillic capital I", "KOMІD", "KOMID", []string{MixedScripts}},
		{"Greek", "ΚΟΜΙD", "KOMID", []string{MixedScripts}},
		{"Cyrillic word among Latin words", "КОМ Trading", "KOM Trading", []string{LookAlike}},
		{"fullwidth", "ＫＯＭＩＤ", "KOMID", []string{Styled}},
		{"mathematical bold", "𝐊𝐎𝐌𝐈𝐃", "KOMID", []string{Styled}},
		{"zero-width space", "KO\u200bMID", "KOMID", []string{Hidden}},
		{"soft hyphen", "KO\u00adMID", "KOMID", []string{Hidden}},
		{"zero-width joiner in a Latin word", "KO\u200dMID", "KOMID", []string{Hidden}},
		{"zero-width non-joiner in Persian", "می\u200cخواهم", "میخواهم", nil},
		{"bidi control", "\u202eKOMID", "KOMID", []string{Hidden}},
		{"tab", "KOMID\tLtd", "KOMID\tLtd", nil},
		{"newline", "KOMID\nLtd", "KOMID Ltd", nil},
		{"no-break space", "KOMID\u00a0Ltd", "KOMID\u00a0Ltd", nil},
		{"units and signs read, no finding", "cement 42.5 N/mm² № 5", "cement 42.5 N/mm2 No 5", nil},
		{"circled letters", "ⓀⓄⓂⒾⒹ", "KOMID", []string{Styled}},
		{"Russian stays", "Аркадий Ротенберг", "Аркадий Ротенберг", nil},
		{"Hangul stays", "조선광업개발무역회사", "조선광업개발무역회사", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Read(tc.in)
			if got.Read != tc.read {
				t.Errorf("Read(%q) = %q, want %q", tc.in, got.Read, tc.read)
			}
			var codes []string
			for _, f := range got.Findings {
				codes = append(codes, f.Code)
				if !strings.Contains(f.Message, "\u201c") {
					t.Errorf("finding %q does not quote the text", f.Message)
				}
			}
			if strings.Join(codes, ",") != strings.Join(tc.codes, ",") {
				t.Errorf("findings %v, want %v", codes, tc.codes)
			}
		})
	}
}

func TestRomanise(t *testing.T) {
	tests := []struct{ in, system, want string }{
		{"조선", McCuneReischauer, "choson"},
		{"개발", McCuneReischauer, "kaebal"},
		{"련합", McCuneReischauer, "ryonhap"},
		{"명태", RevisedRomanization, "myeongtae"},
		{"한국어", RevisedRomanization, "hangugeo"},
		{"신라", McCuneReischauer, "silla"},
	}
	for _, tc := range tests {
		if got := RomaniseHangul(tc.in, tc.system); got != tc.want {
			t.Errorf("RomaniseHangul(%q, %s) = %q, want %q", tc.in, tc.system, got, tc.want)
		}
	}
	if got := RomaniseHan("丹东"); got != "dandong" {
		t.Errorf("丹东 = %q", got)
	}
	if a, b := RomaniseHan("长安海连技术"), RomaniseHan("長安海連技術"); a != b {
		t.Errorf("simplified %q and traditional %q read otherwise", a, b)
	}
	if got := RomaniseCyrillic("Аркадий Ротенберг"); got != "Arkadiy Rotenberg" {
		t.Errorf("Аркадий Ротенберг = %q", got)
	}
	if got, ok := koreanInCyrillic("Ким Чен Ын"); !ok || got != "kim jong un" {
		t.Errorf("Ким Чен Ын = %q %v", got, ok)
	}
}

func TestDictionary(t *testing.T) {
	d := NewDictionary(map[string]string{"명태": "pollack", "염장": "salted", "금": "gold", "소금": "salt",
		"盐渍": "salted", "明太鱼": "pollack", "солёный": "salted", "минтай": "pollack"})
	tests := []struct{ in, want string }{
		{"염장명태", "salted pollack"},
		{"盐渍明太鱼", "salted pollack"},
		{"минтай солёная", "pollack salted"},
		{"소금", "salt"},
		{"금", "gold"},
		{"가금류", "gageumryu"}, // 금 inside a word is not gold
	}
	for _, tc := range tests {
		rs := Readings(tc.in, d, Goods)
		if len(rs) != 1 || rs[0].Text != tc.want {
			t.Errorf("%q read as %+v, want %q", tc.in, rs, tc.want)
		}
	}
}

func BenchmarkCleanASCII(b *testing.B) {
	for b.Loop() {
		Clean("Korea Kwangson Banking Corporation")
	}
}

func BenchmarkReadLookAlike(b *testing.B) {
	for b.Loop() {
		Read("KОREA KWANGSОN BANKING CORPORATION")
	}
}

func FuzzRead(f *testing.F) {
	for _, s := range []string{"KОREA", "ＫＯＭＩＤ", "조선광업개발무역회사", "丹东", "Ким Чен Ын", "a\u200bb", "\xff"} {
		f.Add(s)
	}
	d := NewDictionary(map[string]string{"명태": "pollack", "минтай": "pollack", "丹东": "=dandong"})
	f.Fuzz(func(t *testing.T, s string) {
		r := Read(s)
		if Clean(r.Read) != r.Read && !strings.ContainsRune(r.Read, '\ufffd') {
			// reading is idempotent
			t.Errorf("Read(%q).Read = %q reads again as %q", s, r.Read, Clean(r.Read))
		}
		Readings(r.Read, d, Names)
		Readings(r.Read, d, Goods)
	})
}

func TestKoreanSyllablesAndPinyin(t *testing.T) {
	for _, c := range []struct {
		w              string
		korean, pinyin bool
	}{
		{"kang", true, false}, {"gang", true, false}, {"dong", true, false}, {"tong", true, false},
		{"chongsu", true, false}, {"sechin", true, false},
		{"deng", false, true}, {"teng", false, true}, {"xiaoping", false, true}, {"xiaobing", false, true},
		{"guang", false, true}, {"kuang", false, true}, {"rotenberg", false, false},
	} {
		if got := KoreanSyllables(c.w); got != c.korean {
			t.Errorf("KoreanSyllables(%q) = %v, want %v", c.w, got, c.korean)
		}
		if got := PinyinNotKorean(c.w); got != c.pinyin {
			t.Errorf("PinyinNotKorean(%q) = %v, want %v", c.w, got, c.pinyin)
		}
	}
}

func TestHanOtherReadings(t *testing.T) {
	for r, o := range hanOtherReadings {
		found := false
		for _, p := range pinyin.SinglePinyin(r, pinyinArgs) {
			found = found || stripTones(p) == o
		}
		if !found || syllable(r) == o {
			t.Errorf("%c: %q is not another of its readings %v", r, o, pinyin.SinglePinyin(r, pinyinArgs))
		}
	}
	for _, s := range []string{"长安", "長安"} {
		var texts []string
		for _, rd := range Readings(s, nil, Names) {
			texts = append(texts, rd.Text)
		}
		if !slices.Contains(texts, "zhang an") || !slices.Contains(texts, "chang an") {
			t.Errorf("Readings(%s) = %q, want zhang an and chang an", s, texts)
		}
	}
	if rs := Readings("金正恩", nil, Names); slices.ContainsFunc(rs, func(r Reading) bool { return r.System == PinyinOther }) {
		t.Errorf("金正恩 has no character of two readings, read %v", rs)
	}
}
