package hs

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/shareddata"
)

// The official HS files live outside the repository (see shared/data/README.md).
var (
	hs2022Path = shareddata.Join(shareddata.HS2022)
	hs2017Path = shareddata.Join(shareddata.HS2017)
)

var (
	fullOnce sync.Once
	full2022 *Nomenclature
	full2017 *Nomenclature
	fullErr  error
)

func loadFull(t testing.TB) (*Nomenclature, *Nomenclature) {
	t.Helper()
	b22 := shareddata.Read(t, shareddata.HS2022)
	b17 := shareddata.Read(t, shareddata.HS2017)
	fullOnce.Do(func() {
		full2022, fullErr = ParseCSV(bytes.NewReader(b22), hs2022Path)
		if fullErr == nil {
			full2017, fullErr = ParseCSV(bytes.NewReader(b17), hs2017Path)
		}
	})
	if fullErr != nil {
		t.Fatal(fullErr)
	}
	return full2022, full2017
}

var (
	defOnce sync.Once
	defC    *Classifier
	defErr  error
)

func defaultClassifier(t testing.TB) *Classifier {
	t.Helper()
	defOnce.Do(func() { defC, defErr = Default() })
	if defErr != nil {
		t.Fatal(defErr)
	}
	return defC
}

// namedClassifier is a classifier a test runs against, by name.
type namedClassifier struct {
	name string
	c    *Classifier
}

// testClassifiers is the embedded classifier and, unless -short, one built
// from the full HS 2022 nomenclature of ../shared/data.
func testClassifiers(t testing.TB) []namedClassifier {
	t.Helper()
	out := []namedClassifier{{"embedded", defaultClassifier(t)}}
	if !testing.Short() {
		n22, _ := loadFull(t)
		c, err := New(n22)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, namedClassifier{"hs2022", c})
	}
	return out
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		name, in, want, note string
		bad                  string // substring of the error
	}{
		{name: "six digits", in: "030569", want: "030569"},
		{name: "dotted", in: "0305.69", want: "030569"},
		{name: "spaces", in: " 0305 69 ", want: "030569"},
		{name: "heading", in: "0305", want: "0305"},
		{name: "national ten", in: "0305.69.0000", want: "030569", note: "national code 0305690000 cut to HS6 030569"},
		{name: "national eight", in: "03056910", want: "030569", note: "cut to HS6"},
		{name: "letters", in: "03O5.69", bad: "not a digit"},
		{name: "empty", in: "  ", bad: "empty"},
		{name: "chapter", in: "03", bad: "chapter"},
		{name: "five", in: "03056", bad: "5 digits"},
		{name: "twelve", in: "030569000000", bad: "12 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note, err := NormalizeCode(tt.in)
			if tt.bad != "" {
				if err == nil || !strings.Contains(err.Error(), tt.bad) || tradeplan.ErrorCode(err) != tradeplan.EInvalid {
					t.Fatalf("NormalizeCode(%q) = %q, %v; want an invalid error containing %q", tt.in, got, err, tt.bad)
				}
				return
			}
			if err != nil || got != tt.want || !strings.Contains(note, tt.note) {
				t.Fatalf("NormalizeCode(%q) = %q, %q, %v; want %q, note containing %q", tt.in, got, note, err, tt.want, tt.note)
			}
		})
	}
}

func TestCheckCodeDefault(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		name, in, want, note, title, bad string
	}{
		{name: "heading", in: "0305", want: "0305"},
		{name: "subheading of the embedded layer", in: "0305.69", want: "030569", title: "salted"},
		{name: "subheading as plain digits", in: "070955", want: "070955", title: "matsutake"},
		{name: "national", in: "0303.67.1000", want: "030367", note: "cut to HS6", title: "pollock"},
		{name: "no such chapter", in: "7701", bad: "chapter 77"},
		{name: "no such heading", in: "0399", bad: "heading 0399"},
		{name: "no such subheading", in: "0305.99", bad: "subheading 0305.99 does not exist in HS 2022 (heading 0305 has 0305.20, 0305.31"},
		{name: "national code of no subheading", in: "0305.99.1000", bad: "subheading 0305.99 does not exist"},
		{name: "HS 2017 code split in HS 2022", in: "8517.12", bad: "an HS 2017 code that became 8517.13, 8517.14"},
		{name: "HS 2017 code renumbered in HS 2022", in: "0305.10", want: "030910", note: "declared as HS 2017 0305.10, read as HS 2022 0309.10"},
		{name: "letters", in: "AB12", bad: "not a digit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := c.CheckCode(tt.in)
			if tt.bad != "" {
				if err == nil || tradeplan.ErrorCode(err) != tradeplan.EInvalid || !strings.Contains(err.Error(), tt.bad) {
					t.Fatalf("CheckCode(%q) = %+v, %v; want invalid containing %q", tt.in, a, err, tt.bad)
				}
				return
			}
			if err != nil || a.Code != tt.want || !strings.Contains(a.Note, tt.note) || a.Source != "declared" || a.Title == "" || !strings.Contains(strings.ToLower(a.Title), tt.title) {
				t.Fatalf("CheckCode(%q) = %+v, %v; want %s with note %q, title containing %q", tt.in, a, err, tt.want, tt.note, tt.title)
			}
			if tt.note == "" && a.Note != "" {
				t.Fatalf("CheckCode(%q) note = %q, want none", tt.in, a.Note)
			}
		})
	}
}

func TestCheckCodeFull(t *testing.T) {
	n22, _ := loadFull(t)
	c, err := New(n22)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := c.CheckCode("0709.55"); err != nil || a.Note != "" || !strings.Contains(strings.ToLower(a.Title), "matsutake") {
		t.Fatalf("0709.55 = %+v, %v", a, err)
	}
	_, err = c.CheckCode("0305.99")
	if err == nil || !strings.Contains(err.Error(), "0305.69") {
		t.Fatalf("0305.99: want an error listing the subheadings of 0305, got %v", err)
	}
	// an HS 2017 code is valid for older data when HS 2017 is imported beside HS 2022
	_, n17 := loadFull(t)
	c2, err := New(n22, n17)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CheckCode("8517.12"); err == nil {
		t.Fatal("8517.12 (HS 2017 only, split in HS 2022) accepted without HS 2017")
	}
	if a, err := c.CheckCode("0305.10"); err != nil || a.Code != "030910" {
		t.Fatalf("0305.10 (HS 2017 only, renumbered 0309.10 in HS 2022) without HS 2017 = %+v, %v", a, err)
	}
	a, err := c2.CheckCode("0305.10")
	if err != nil || !strings.Contains(a.Note, "a code of hs2017") || !strings.Contains(a.Note, "0309.10") {
		t.Fatalf("0305.10 with HS 2017 = %+v, %v", a, err)
	}
}

func TestParseCSVReal(t *testing.T) {
	n22, n17 := loadFull(t)
	tests := []struct {
		name       string
		n          *Nomenclature
		ch, h, sub int
	}{
		{"hs2022", n22, 96, 1228, 5612},
		{"hs2017", n17, 96, 1222, 5387},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.n.Name != tt.name || tt.n.Count(2) != tt.ch || tt.n.Count(4) != tt.h || tt.n.Count(6) != tt.sub {
				t.Fatalf("%s: name %q, %d chapters, %d headings, %d subheadings", tt.name, tt.n.Name, tt.n.Count(2), tt.n.Count(4), tt.n.Count(6))
			}
		})
	}
	e, ok := n22.Lookup("030367")
	if !ok || e.Parent != "0303" || e.Section != "I" || e.Level != 6 {
		t.Fatalf("030367 = %+v, %v", e, ok)
	}
	if _, ok := n22.Lookup("999999"); ok {
		t.Fatal("placeholder 999999 was kept")
	}
}

func TestParseCSVProblems(t *testing.T) {
	b, err := os.ReadFile("testdata/bad.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseCSV(bytes.NewReader(b), "testdata/bad.csv")
	var e *tradeplan.Error
	if !errors.As(err, &e) || e.Code != tradeplan.EInvalid {
		t.Fatalf("want an invalid error, got %v", err)
	}
	for _, want := range []string{
		"testdata/bad.csv:5: hscode: code \"03036\" has 5 digits but level is 6",
		"testdata/bad.csv:6: section: section \"XL\"",
		"testdata/bad.csv:7: hscode: code 030367 listed twice (first at line 4)",
		"testdata/bad.csv:8: level: level \"six\" is not a number",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing problem %q in:\n%v", want, err)
		}
	}
	for _, in := range []string{"", "a,b\n1,2\n", "section,hscode,description,parent,level\n"} {
		if _, err := ParseCSV(strings.NewReader(in), "x.csv"); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
			t.Errorf("ParseCSV(%q): want invalid, got %v", in, err)
		}
	}
}

func TestParseComtradeJSON(t *testing.T) {
	b, err := os.ReadFile("testdata/comtrade-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	n, err := ParseComtradeJSON(bytes.NewReader(b), "testdata/comtrade-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	if n.Name != "comtrade-sample" || n.Count(2) != 2 || n.Count(4) != 3 || n.Count(6) != 4 {
		t.Fatalf("got %q with %d/%d/%d codes", n.Name, n.Count(2), n.Count(4), n.Count(6))
	}
	e, _ := n.Lookup("030367")
	if e.Title != "Fish; frozen, Alaska pollock" || e.Parent != "0303" {
		t.Fatalf("030367 = %+v", e)
	}
	// a classifier over it fills sections from our chapters and searches its text
	c, err := New(n)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := n.Lookup("030367"); e.Section != "I" {
		t.Fatalf("section not filled: %+v", e)
	}
	got := c.Classify("matsutake mushrooms, fresh", 3)
	if len(got) == 0 || got[0].Code != "070955" {
		t.Fatalf("Classify with Comtrade text = %+v", got)
	}

	bad, err := os.ReadFile("testdata/bad.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseComtradeJSON(bytes.NewReader(bad), "testdata/bad.json")
	for _, want := range []string{
		"testdata/bad.json:3: results[1].id: code \"030X67\" is not all digits",
		"testdata/bad.json:4: results[2].text: empty description",
		"testdata/bad.json:5: results[3].parent: parent \"0304\" of 030569: want 0305",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing problem %q in:\n%v", want, err)
		}
	}
	for _, in := range []string{"", "[]", `{"results": 3}`, `{"other": []}`, `{"results": [{"id": 7}]}`, `{"results": [`} {
		if _, err := ParseComtradeJSON(strings.NewReader(in), "x.json"); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
			t.Errorf("ParseComtradeJSON(%q): want invalid, got %v", in, err)
		}
	}
}

func TestCorrespondence(t *testing.T) {
	n22, n17 := loadFull(t)
	c := NewCorrespondence(n17, n22)
	tests := []struct {
		name, from string
		want       []string
	}{
		{"matsutake split", "070959", []string{"070955", "070956"}},
		{"dried shiitake", "071239", []string{"071234"}},
		{"fish flour moved to 0309", "030510", []string{"030910"}},
		{"pine nuts split", "080290", []string{"080291", "080292"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, note, ok := c.Forward(tt.from)
			if !ok || note == "" {
				t.Fatalf("Forward(%s) = %v, %q, %v", tt.from, got, note, ok)
			}
			for _, w := range tt.want {
				if !contains(got, w) {
					t.Fatalf("Forward(%s) = %v; want it to include %s", tt.from, got, w)
				}
			}
		})
	}
	if _, _, ok := c.Forward("030367"); ok {
		t.Error("030367 did not change between the editions")
	}
	if back, ok := c.Backward("070955"); !ok || !contains(back, "070959") {
		t.Errorf("Backward(070955) = %v", back)
	}
	// every code of the hand-written table exists in its edition
	for _, s := range knownSplits {
		if _, ok := n17.Lookup(s.from); !ok {
			t.Errorf("known split: %s is not in HS 2017", s.from)
		}
		for _, to := range s.to {
			if _, ok := n22.Lookup(to); !ok {
				t.Errorf("known split %s: %s is not in HS 2022", s.from, to)
			}
		}
	}
	if got, _, ok := KnownSplits().Forward("0709.59"); !ok || !contains(got, "070955") {
		t.Errorf("KnownSplits().Forward(0709.59) = %v", got)
	}
}

// The lexicon's codes must all be HS 2022 subheadings or headings.
func TestLexiconCodesExist(t *testing.T) {
	n22, _ := loadFull(t)
	lx, err := parseLexiconEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lx.rules {
		if _, ok := n22.Lookup(r.code); !ok {
			t.Errorf("%s:%d: %s is not an HS 2022 code", lexFile, r.line, FormatCode(r.code))
		}
	}
}

func parseLexiconEmbedded() (*lexicon, error) {
	b, err := lexiconData()
	if err != nil {
		return nil, err
	}
	return parseLexicon(b)
}

func TestEmbeddedData(t *testing.T) {
	c := defaultClassifier(t)
	for _, p := range c.Warnings() {
		t.Errorf("embedded nomenclature: %s", p)
	}
	b := c.Base()
	if b.Count(2) != 96 || len(b.Sections()) != 21 {
		t.Errorf("embedded: %d chapters, %d sections; want 96 and 21", b.Count(2), len(b.Sections()))
	}
	if b.Count(4) != 1228 {
		t.Logf("embedded headings: %d of 1228", b.Count(4))
	}
	if n22, _ := loadFull(t); n22 != nil {
		for _, h := range n22.Codes(4) {
			if _, ok := b.Lookup(h); !ok && b.Count(4) >= 1228 {
				t.Errorf("heading %s missing from hs/data/headings.tsv", h)
			}
		}
		for _, h := range b.Codes(4) {
			if _, ok := n22.Lookup(h); !ok {
				t.Errorf("hs/data/headings.tsv: %s is not an HS 2022 heading", h)
			}
		}
	}
}

func TestLexiconProblems(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"unknown concept", "code\tmatch\n030367\t@nosuch + frozen\n", "hs/data/lexicon.tsv:2: unknown concept @nosuch"},
		{"bad code", "code\tmatch\n03036\tpollock\n", "hs/data/lexicon.tsv:2: code: code \"03036\""},
		{"bad weight", "code\tmatch\ttitle\tweight\n030367\tpollock\tt\t2\n", "weight \"2\""},
		{"only negative", "code\tmatch\n030367\t!pollock\n", "no positive group"},
		{"concept twice", "code\tmatch\n@a\tx\n@a\ty\n", "defined twice"},
		{"too many groups", "code\tmatch\n030367\ta + b + c + d + e + f + g + h + i\n", "at most 8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseLexicon([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v; want %q", err, tt.want)
			}
		})
	}
}

func TestNewDatasetAndFromDatasets(t *testing.T) {
	b, err := os.ReadFile("testdata/comtrade-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	d, n, err := NewDataset(filepath.Join("x", "hs2022-sample.json"), b, fixedTime)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != "hs" || d.Name != "hs2022-sample" || d.Format != FormatComtrade || d.Counts["subheadings"] != 4 || len(d.SHA256) != 64 || n == nil {
		t.Fatalf("dataset = %+v", d)
	}
	c, err := FromDatasets(d, tradeplan.Dataset{Kind: "list", Name: "un"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Nomenclatures()) != 1 || c.Nomenclatures()[0].Name != "hs2022-sample" {
		t.Fatalf("nomenclatures = %v", c.Nomenclatures())
	}
	bad := d
	bad.Files = []tradeplan.DatasetFile{{Name: "bad.json", Content: []byte("{")}}
	if _, err := FromDatasets(bad); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
		t.Fatalf("bad dataset: %v", err)
	}
}
