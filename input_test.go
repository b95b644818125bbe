package tradeplan

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckAmount(t *testing.T) {
	tests := []struct {
		name string
		v    Decimal
		bad  string // a word of the message; "" for a good amount
	}{
		{"zero", D(0), ""}, {"one", D(1), ""}, {"the maximum", D(MaxAmount), ""}, {"a fraction", D(0.001), ""},
		{"above the maximum", D(1000000000000000.5), "at most"}, {"1.7e308", D(1.7e308), "at most"},
		{"negative", D(-1), "at least 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := CheckAmount(tt.v)
			if tt.bad == "" && msg != "" || tt.bad != "" && !strings.Contains(msg, tt.bad) {
				t.Errorf("CheckAmount(%v) = %q, want %q", tt.v, msg, tt.bad)
			}
		})
	}
	// The parser of every figure from outside stays below the maximum.
	if _, err := ParseDecimal("1000000000000000"); err == nil {
		t.Error("ParseDecimal took 10^15")
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name      string
		s         string
		single    string // a word of the message as a single-line field; "" for good
		multiline string // as a multiline field
	}{
		{"plain", "Dandong Grain Co., Ltd.", "", ""},
		{"empty", "", "", ""},
		{"accents and Hangul", "Ch'ŏngjin 청진 Ñ", "", ""},
		{"emoji and line separator", "a\u2028b 🐟", "", ""},
		{"NUL", "a\x00b", "NUL", "NUL"},
		{"NUL last", "ab\x00", "NUL", "NUL"},
		{"escape", "a\x1bb", "control", "control"},
		{"DEL", "a\x7fb", "control", "control"},
		{"C1 NEL", "a\u0085b", "control", "control"},
		{"tab", "a\tb", "tab", ""},
		{"line feed", "a\nb", "line break", ""},
		{"CRLF", "a\r\nb", "line break", ""},
		{"invalid byte", "a\xffb", "UTF-8", "UTF-8"},
		{"truncated sequence", "caf\xc3", "UTF-8", "UTF-8"},
		{"encoded surrogate", "\xed\xa0\x80", "UTF-8", "UTF-8"},
		{"overlong", "\xc0\xaf", "UTF-8", "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				multiline bool
				want      string
			}{{false, tt.single}, {true, tt.multiline}} {
				msg := CheckText(tt.s, c.multiline)
				if c.want == "" && msg != "" || c.want != "" && !strings.Contains(msg, c.want) {
					t.Errorf("CheckText(%q, %v) = %q, want %q", tt.s, c.multiline, msg, c.want)
				}
			}
		})
	}
}

func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"", "abc", "a\x00b", "\xff", "é\t\n", "\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		single, multi := CheckText(s, false), CheckText(s, true)
		if single == "" && multi != "" {
			t.Fatalf("%q good on one line, bad on many: %s", s, multi)
		}
		if multi == "" {
			if !utf8.ValidString(s) {
				t.Fatalf("%q is invalid UTF-8 and passed", s)
			}
			for _, r := range s {
				if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7f && r <= 0x9f {
					t.Fatalf("%q has control %U and passed", s, r)
				}
			}
		}
	})
}

func BenchmarkCheckText(b *testing.B) {
	for _, s := range []string{"frozen Alaska pollack fillets, 10 kg cartons", "건조 명태 (dried pollack), Ch'ŏngjin"} {
		b.Run(strings.Fields(s)[0], func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				if CheckText(s, true) != "" {
					b.Fatal("refused")
				}
			}
		})
	}
}
