package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"go.yaml.in/yaml/v3"
)

// sameTree returns "" when two trees agree in everything the document
// parser reads (kinds, tags, values, styles, lines, columns, children), or
// the first difference.
func sameTree(a, b *yaml.Node, path string) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%s: one node is missing (%v / %v)", path, a, b)
		}
		return ""
	}
	if a.Kind != b.Kind || a.Tag != b.Tag || a.Value != b.Value || a.Style != b.Style || a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast {kind %d tag %q value %q style %d at %d:%d, %d children} general {kind %d tag %q value %q style %d at %d:%d, %d children}",
			path, a.Kind, a.Tag, a.Value, a.Style, a.Line, a.Column, len(a.Content), b.Kind, b.Tag, b.Value, b.Style, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := sameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// flatTree builds the yaml.Node tree of node i of a fast reader's flat
// tree, read from src (positions counted from offsets with cursor).
func flatTree(src string, st *scratch, i int32, cur *cursor) *yaml.Node {
	n := st.nodes[i]
	out := &yaml.Node{Kind: yaml.Kind(n.kind), Tag: tagNames[n.tag], Style: yaml.Style(n.style), Line: int(n.line), Column: int(n.col)}
	if n.kind == uint8(yaml.ScalarNode) {
		out.Value = st.value(src, i)
	}
	if n.line == 0 {
		out.Line, out.Column = cur.at(int(n.off))
	}
	for c := i + 1; c < n.end; c = st.nodes[c].end {
		out.Content = append(out.Content, flatTree(src, st, c, cur))
	}
	return out
}

// checkFast holds for any input: where the fast reader of format f takes
// a document, the general path reads it without a problem into the same
// tree; the fast document parser reads that tree into the plan the general
// path gives, and gives up exactly where the general path has problems; and
// Parse returns what the general path returns. It reports whether the fast
// reader took the document.
func checkFast(t *testing.T, data []byte, f Format) (taken bool) {
	t.Helper()
	file := "f." + string(f)
	want, wantErr := parseGeneral(data, file, f, Limits{})
	got, gotErr := Parse(data, file, f)
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
		t.Fatalf("Parse and the general path differ:\nParse:   %+v %v\ngeneral: %+v %v\n%s", got, gotErr, want, wantErr, data)
	}
	// And within a limit of lines, which both paths check before reading
	// any line.
	lim := Limits{MaxLines: 2}
	want2, wantErr2 := parseGeneral(data, file, f, lim)
	got2, gotErr2 := ParseWith(data, file, f, lim)
	if !reflect.DeepEqual(got2, want2) || !reflect.DeepEqual(gotErr2, wantErr2) {
		t.Fatalf("ParseWith and the general path differ at %d lines:\nParse:   %+v %v\ngeneral: %+v %v\n%s", lim.MaxLines, got2, gotErr2, want2, wantErr2, data)
	}
	st := getScratch()
	defer st.release()
	var src string
	var ok bool
	var probs tradeplan.Problems
	if f == YAML {
		src, ok = fastYAML(data, st)
	} else {
		src, ok = fastJSON(bytes.TrimPrefix(data, bom), st)
	}
	if !ok {
		return false
	}
	var general *yaml.Node
	if f == YAML {
		general, probs = yamlRoot(data, file)
	} else {
		general, probs = jsonRoot(data, file)
	}
	if len(probs) > 0 {
		t.Fatalf("the fast %s reader took a document the general path rejects (%v):\n%s", f, probs, data)
	}
	fast := flatTree(src, st, 0, &cursor{data: []byte(src)})
	if d := sameTree(fast, general, "root"); d != "" {
		t.Fatalf("%s trees differ: %s\n%s", f, d, data)
	}
	flat, _ := parseFlat(src, st, file, 0)
	if (flat == nil) != (wantErr != nil) || flat != nil && !reflect.DeepEqual(flat, want) {
		t.Fatalf("the fast document parser differs from the general path:\nfast:    %+v\ngeneral: %+v %v\n%s", flat, want, wantErr, data)
	}
	return true
}

func checkFastYAML(t *testing.T, data []byte) bool { t.Helper(); return checkFast(t, data, YAML) }
func checkFastJSON(t *testing.T, data []byte) bool { t.Helper(); return checkFast(t, data, JSON) }

// exampleDocuments are the example plans in YAML and as JSON.
func exampleDocuments(t testing.TB) (yamls, jsons [][]byte) {
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example plans: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		yamls = append(yamls, b)
		p, err := Parse(b, f, YAML)
		if err != nil {
			t.Fatal(err)
		}
		j, err := json.MarshalIndent(planDocument(p), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		jsons = append(jsons, j)
	}
	return yamls, jsons
}

// TestFastPathTakesExamples: the fast readers take the documents plans are
// written as (else they would be slow for nothing), and agree with the
// general path on them.
func TestFastPathTakesExamples(t *testing.T) {
	yamls, jsons := exampleDocuments(t)
	for _, y := range yamls {
		if !checkFastYAML(t, y) {
			t.Errorf("the fast YAML reader gave up on an example plan:\n%s", y)
		}
	}
	for _, j := range jsons {
		if !checkFastJSON(t, j) {
			t.Errorf("the fast JSON reader gave up on an example plan:\n%s", j)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, j); err != nil {
			t.Fatal(err)
		}
		if !checkFastJSON(t, compact.Bytes()) {
			t.Errorf("the fast JSON reader gave up on a compact example plan")
		}
	}
}

// TestFastYAMLShapes: what the fast reader takes and what it leaves to
// yaml.v3; either way the tree is the same.
func TestFastYAMLShapes(t *testing.T) {
	for _, tc := range []struct {
		doc   string
		taken bool
	}{
		{"a: 1\nb: x y\n", true},
		{"---\na: 1\n", true},
		{"a:\nb:\n", true},
		{"a:   # nothing\nb: 2\n", true},
		{"a:\n- x\n-\n- 'it''s'\n", true},
		{"a:\n  - x\n  - y: 1\n    z: \"q\"\n", true},
		{"- \n- x\n", true},
		{"a: {b: , c: 조선, d: e}\n", true},
		{"a: {}\n", true},
		{"k: {a: b}   # c\n", true},
		{"a: 030569\nb: 2027-01-01\nc: 0x1F\nd: 1_000\ne: .5\nf: true\ng: ~\nh: -5\n", true},
		{"\"quoted key\": v\n'single': w\n", true},
		{"a: b#c\n", true},
		{"a: 조선 # 주석\nb: 1\n", true},
		{"a: &x 1\nb: *x\n", false},
		{"a: |\n  text\n", false},
		{"a: >\n  text\n", false},
		{"a: [1, 2]\n", false},
		{"a: b\n  c\n", false},
		{"a: \"esc\\n\"\n", false},
		{"a: !!str 1\n", false},
		{"<<: {a: 1}\n", false},
		{"a:\tb\n", false},
		{"a: b\r\n", false},
		{"a: b\n---\nc: d\n", false},
		{"%YAML 1.2\n---\na: b\n", false},
		{"a: b: c\n", false},
		{"- - x\n", false},
		{"a: 'open\n", false},
		{"a: {b: c\n", false},
		{"a: {b: c}, d\n", false},
		{"a: {b: x?y}\n", false},
		{"a: {x?: b}\n", false},
		{"a: x?y\n", true},
		{"a: 1\n b: 2\n", false},
		{"", false},
		{"# only a comment\n", false},
		{"just a scalar\n", false},
		{"\ufeffa: b\n", false},
	} {
		if got := checkFastYAML(t, []byte(tc.doc)); got != tc.taken {
			t.Errorf("%q: taken %v, want %v", tc.doc, got, tc.taken)
		}
	}
}

func TestFastJSONShapes(t *testing.T) {
	for _, tc := range []struct {
		doc   string
		taken bool
	}{
		{`{"a": 1, "b": [true, false, null, -0.5e+3, "x"]}`, true},
		{"\ufeff{\"a\": {}}", true},
		{`{"a": "esc \" \\ \/ \b \f \n \r \t \u00e9 \u0041"}`, true},
		{"{\n\t\"조선\": \"평양\",\r\n \"b\": []\n}", true},
		{`{"a": "\ud83d\ude00"}`, false},
		{`{"a": 01}`, false},
		{`{"a": 1.}`, false},
		{`{"a": .5}`, false},
		{`{"a": 1,}`, false},
		{`{"a" 1}`, false},
		{`{"a": tru}`, false},
		{`{"a": 1} x`, false},
		{"{\"a\": \"tab\there\"}", false},
		{"{\"a\": \"\xff\"}", false},
		{strings.Repeat("[", 70) + strings.Repeat("]", 70), false},
		{``, false},
	} {
		if got := checkFastJSON(t, []byte(tc.doc)); got != tc.taken {
			t.Errorf("%q: taken %v, want %v", tc.doc, got, tc.taken)
		}
	}
}

func FuzzFastYAML(f *testing.F) {
	seedExamples(f, ".yaml")
	f.Add([]byte("a: {b: , c: 조선, d: e}\n- x\n"))
	f.Add([]byte("a:\n- x\n-\n- 'it''s'\n  b: c\n"))
	f.Add([]byte("\"k\" : {'a': \"b\", c: d}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkFastYAML(t, data) })
}

func FuzzFastJSON(f *testing.F) {
	seedExamples(f, ".json")
	f.Add([]byte(`{"a": 1, "b": [true, false, null, -0.5e+3, "x\u00e9\n"]}`))
	f.Add([]byte("{\n\t\"조선\": \"평양\",\r\n \"b\": []\n}"))
	f.Fuzz(func(t *testing.T, data []byte) { checkFastJSON(t, data) })
}

// TestFastYAMLMutations varies the example plans a character or a line at a
// time, in the ways people mistype YAML, and holds the fast reader to the
// general one on every variant: thousands of documents near the shape it
// takes, which random fuzzing rarely reaches.
func TestFastYAMLMutations(t *testing.T) {
	yamls, _ := exampleDocuments(t)
	inserts := []string{" ", "  ", "#", " #", ":", ": ", "-", "- ", "'", "\"", "{", "}", ",", "&a ", "*a", "~", "null", "0", "\n", "\n  ", "조"}
	rng := rand.New(rand.NewPCG(1, 2))
	taken, total := 0, 0
	for _, y := range yamls {
		s := string(y)
		for range 1500 {
			at := rng.IntN(len(s) + 1)
			var v string
			switch rng.IntN(3) {
			case 0:
				v = s[:at] + inserts[rng.IntN(len(inserts))] + s[at:]
			case 1:
				end := min(len(s), at+1+rng.IntN(3))
				v = s[:at] + s[end:]
			default:
				lines := strings.Split(s, "\n")
				i := rng.IntN(len(lines))
				lines[i] = strings.Repeat(" ", rng.IntN(3)) + strings.TrimLeft(lines[i], " ")
				v = strings.Join(lines, "\n")
			}
			total++
			if checkFastYAML(t, []byte(v)) {
				taken++
			}
		}
	}
	t.Logf("the fast reader took %d of %d variants", taken, total)
	if taken < total/4 {
		t.Errorf("the fast reader took only %d of %d variants", taken, total)
	}
}

// TestScalarTag holds the fast reader's tags to yaml.v3's resolver.
func TestScalarTag(t *testing.T) {
	for _, v := range []string{"", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRue", "yes", "no", "on", "off", "y", "n",
		"false", "<<", "<", "0", "7", "030569", "30569", "123456789012345678", "1234567890123456789", "99999999999999999999", "1_000", "0x1F", "0o17", "0b101",
		"-5", "+5", "-", "+", ".", ".5", "5.", "1e3", "1E+3", ".nan", ".NaN", ".inf", "-.inf", "+.INF", "2027-01-01", "2027-1-1", "2027-01-01T10:00:00Z",
		"2027-01", "0305.69", "27", "-0", "text", "Tumen", "조선", "n/a", "1/2"} {
		n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
		if got, want := scalarTag(v), n.ShortTag(); got != want {
			t.Errorf("%q: tag %s, yaml.v3 says %s", v, got, want)
		}
	}
}

// TestMaxFields: every mapping of the schema fits an object.
func TestMaxFields(t *testing.T) {
	for path, fields := range acceptedFields() {
		if len(fields) > maxFields {
			t.Errorf("%q has %d fields; maxFields is %d", path, len(fields), maxFields)
		}
	}
}

func TestPrintableASCII(t *testing.T) {
	want := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < 0x20 || s[i] > 0x7e {
				return false
			}
		}
		return true
	}
	base := "abcdefghijklmnopqrstuvwxyz 0123456789 ~!"
	for n := 0; n <= len(base); n++ {
		for i := 0; i <= n; i++ {
			for _, c := range []byte{0x00, 0x09, 0x0a, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xc3, 0xff} {
				s := []byte(base[:n])
				if i < n {
					s[i] = c
				}
				if got := printableASCII(s); got != want(string(s)) {
					t.Fatalf("%q: %v", s, got)
				}
			}
		}
	}
}

// planVariants varies the example plans (their first maxLines lines, when
// maxLines > 0) a field at a time, in value, in
// kind and in presence, and returns the variants as YAML and, where yaml.v3
// reads them, as JSON: documents near the shape the fast path takes that
// have each problem the document parser reports, for the fast document
// parser to be held to the general one on.
func planVariants(t testing.TB, perDoc, maxLines int, seed uint64) (yamls, jsons [][]byte) {
	docs, _ := exampleDocuments(t)
	values := []string{"", "~", "null", "[]", "{}", "[a]", "{a: b}", "x", "0", "-1", "1e999", "0305.69", "'0305 69'", "30569", "305.69", "2710.1",
		"\"\"", "'  '", "KP", "kp", "North Korea", "Korea", "PRC", "Atlantis", "usd", "RMB", "XYZ", "tonnes", "tonz", "t", "export", "Import", "sideways",
		"2023-01-15", "2023-13-01", "2027-01-01", "2023-H1", "2023", "IMO 1234567", "12345", "essential", "handy", "a\\tb", "\"a\\r\\nb\"", "{name: x}",
		"{country: CN}", "{name: x, country: Atlantis}", "{site: s}", "{}", "{imo: '7654321'}", "{flag: KP}", "{name: v, imo: 1}", "x1", "-"}
	rng := rand.New(rand.NewPCG(seed, 7))
	for _, d := range docs {
		lines := strings.Split(string(d), "\n")
		if maxLines > 0 && len(lines) > maxLines {
			lines = lines[:maxLines]
		}
		for range perDoc {
			ls := slices.Clone(lines)
			for range 1 + rng.IntN(2) {
				i := rng.IntN(len(ls))
				k, _, ok := strings.Cut(ls[i], ": ")
				if !ok {
					continue
				}
				switch rng.IntN(6) {
				case 0:
					ls = slices.Delete(ls, i, i+1)
				case 1:
					ls = slices.Insert(ls, i, ls[i])
				case 2:
					ls[i] = k + "x: " + values[rng.IntN(len(values))]
				default:
					ls[i] = k + ": " + values[rng.IntN(len(values))]
				}
			}
			y := []byte(strings.Join(ls, "\n"))
			yamls = append(yamls, y)
			var v any
			if yaml.Unmarshal(y, &v) == nil {
				if j, err := json.Marshal(v); err == nil {
					jsons = append(jsons, j)
				}
			}
		}
	}
	return yamls, jsons
}

// TestFlatDocMutations holds the fast document parser to the general path
// on variants of the example plans with every kind of problem in their
// fields.
func TestFlatDocMutations(t *testing.T) {
	yamls, jsons := planVariants(t, 150, 0, 1)
	taken, good := 0, 0
	for _, y := range yamls {
		if checkFastYAML(t, y) {
			taken++
		}
		if _, err := Parse(y, "v.yaml", YAML); err == nil {
			good++
		}
	}
	for _, j := range jsons {
		checkFastJSON(t, j)
	}
	t.Logf("%d YAML variants (%d taken by the fast reader, %d without a problem), %d JSON", len(yamls), taken, good, len(jsons))
	if good < len(yamls)/10 || good > len(yamls)*9/10 {
		t.Errorf("%d of %d variants have no problem: the variants do not test both sides", good, len(yamls))
	}
}

// TestFieldIndexes: the fast document parser's field lookups agree with
// the accepted fields.
func TestFieldIndexes(t *testing.T) {
	for _, tc := range []struct {
		fields []string
		index  func(string) int
	}{{docFields, docField}, {headerFields, headerField}, {periodFields, periodField}, {lineFields, lineField},
		{partnerFields, partnerField}, {vesselFields, vesselField}, {sourceFields, sourceField}} {
		for i, f := range tc.fields {
			if got := tc.index(f); got != i {
				t.Errorf("%s: index %d, want %d", f, got, i)
			}
			if got := tc.index(f + "x"); got != -1 {
				t.Errorf("%sx: index %d, want -1", f, got)
			}
		}
	}
	if got := lineField("Direction"); got != -1 {
		t.Errorf("Direction: %d", got)
	}
}

// TestLinePath: the paths of lines, from the table and beyond it.
func TestLinePath(t *testing.T) {
	for _, i := range []int{1, 2, 9, 10, 99, 100, 1023, 1024, 1025, 123456} {
		if got, want := linePath(i), fmt.Sprintf("lines[%d]", i); got != want {
			t.Errorf("linePath(%d) = %q", i, got)
		}
	}
}

// FuzzFlatDoc holds the fast path (readers and document parser) to the
// general path on a document read both as YAML and as JSON.
func FuzzFlatDoc(f *testing.F) {
	// Short documents (the header and a line or two) fuzz faster.
	yamls, jsons := planVariants(f, 20, 30, 2)
	for _, d := range append(yamls, jsons...) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastYAML(t, data)
		checkFastJSON(t, data)
	})
}

// TestCanonicalUnit: the symbols canonicalUnit takes are those
// tradeplan.LookupUnit resolves to themselves.
func TestCanonicalUnit(t *testing.T) {
	for _, u := range tradeplan.Units() {
		if canonicalUnit(u.Symbol) != u.Symbol {
			t.Errorf("%s: not taken", u.Symbol)
		}
		if r, ok := tradeplan.LookupUnit(u.Symbol); !ok || r.Symbol != u.Symbol {
			t.Errorf("%s: LookupUnit says %v %v", u.Symbol, r, ok)
		}
	}
	for _, s := range []string{"T", " t", "tonnes", "kgs", "", "x"} {
		if canonicalUnit(s) != "" {
			t.Errorf("%q taken", s)
		}
	}
}

func TestPlainText(t *testing.T) {
	want := func(s []byte) bool {
		for _, c := range s {
			if c != '\n' && (c < 0x20 || c > 0x7e) {
				return false
			}
		}
		return true
	}
	base := "abcdefghijklmnopqrstuvwxyz\n0123456789 ~!"
	for n := 0; n <= len(base); n++ {
		for i := 0; i <= n; i++ {
			for _, c := range []byte{0x00, 0x09, 0x0a, 0x0b, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0x8a, 0xa0, 0xc3, 0xff} {
				s := []byte(base[:n])
				if i < n {
					s[i] = c
				}
				if got := plainText(s); got != want(s) {
					t.Fatalf("%q: %v", s, got)
				}
			}
		}
	}
}

// TestPosCursor: posCursor counts lines and columns as cursor does.
func TestPosCursor(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	parts := []string{"a", " ", "\n", "조", "é", "\r\n", "{\"k\": 1}", "😀"}
	for range 200 {
		var b strings.Builder
		for range rng.IntN(60) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		s := b.String()
		pc, c := posCursor{s: s}, cursor{data: []byte(s)}
		for off := 0; off <= len(s)+1; off += 1 + rng.IntN(5) {
			l1, c1 := pc.at(off)
			l2, c2 := c.at(off)
			if l1 != l2 || c1 != c2 {
				t.Fatalf("%q at %d: posCursor %d:%d, cursor %d:%d", s, off, l1, c1, l2, c2)
			}
		}
	}
}
