package plan

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// Issue 12, items 9 to 11, on the readers: every format and both YAML
// paths (the fast reader and yaml.v3).

func problemsOf(t *testing.T, err error) tradeplan.Problems {
	t.Helper()
	var e *tradeplan.Error
	if !errors.As(err, &e) || e.Code != tradeplan.EInvalid {
		t.Fatalf("want an EInvalid error, got %v", err)
	}
	return e.Problems
}

// aliasDoc is a plan of one line with a description of size letters and n
// aliases of it.
func aliasDoc(n, size int) []byte {
	var b bytes.Buffer
	b.WriteString("plan: {id: bomb, country: KP}\nlines:\n")
	fmt.Fprintf(&b, "  - &l {direction: import, description: rice %s, quantity: 1, unit: t, origin: CN}\n", strings.Repeat("x", size))
	for range n {
		b.WriteString("  - *l\n")
	}
	return b.Bytes()
}

func TestAliasExpansion(t *testing.T) {
	// Billion laughs: each level ten aliases of the one before.
	var laughs bytes.Buffer
	laughs.WriteString("plan: {id: laughs, country: KP}\nlines:\n  - {direction: import, description: rice, origin: CN, purpose: &a0 \"lol\"}\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&laughs, "  - {direction: import, description: rice, origin: CN, purpose: &a%d [", i)
		for j := range 10 {
			if j > 0 {
				laughs.WriteString(", ")
			}
			fmt.Fprintf(&laughs, "*a%d", i-1)
		}
		laughs.WriteString("]}\n")
	}
	// Defaults merged into every line: the use aliases are for.
	var merged bytes.Buffer
	merged.WriteString("plan: {id: merged, country: KP}\ndefaults: &d {direction: import, unit: t, currency: USD, origin: CN, crossing: Namyang-Tumen bridge, purpose: food for the winter months}\nlines:\n")
	for i := range 300 {
		fmt.Fprintf(&merged, "  - {<<: *d, description: rice %d, quantity: 10}\n", i)
	}
	tests := []struct {
		name  string
		doc   []byte
		alias bool // refused for its aliases
	}{
		{"4,000 aliases of a 2,000-letter line", aliasDoc(4000, 2000), true},
		{"50,000 aliases of a short line", aliasDoc(50000, 20), true},
		{"billion laughs", laughs.Bytes(), true},
		{"a few aliases", aliasDoc(20, 200), false},
		{"defaults merged into 300 lines", bytes.Replace(merged.Bytes(), []byte("defaults: &d"), []byte("x-defaults: &d"), 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.doc, "a.yaml", YAML)
			aliasProblem := false
			if err != nil {
				for _, pr := range problemsOf(t, err) {
					aliasProblem = aliasProblem || strings.Contains(pr.Message, "aliases expand")
				}
			}
			if aliasProblem != tt.alias {
				t.Fatalf("refused for aliases: %v, want %v; %v", aliasProblem, tt.alias, err)
			}
			if !tt.alias && p == nil && !strings.Contains(tradeplan.ErrorMessage(err), "problem") {
				t.Fatalf("no plan: %v", err)
			}
			if tt.alias && len(problemsOf(t, err)) != 1 {
				t.Errorf("want the one problem of the aliases: %v", err)
			}
		})
	}
	// The fast reader takes no aliases: a document with one is read by
	// yaml.v3, whose tree checkAliases measures.
	st := getScratch()
	defer st.release()
	if _, ok := fastYAML(aliasDoc(3, 10), st); ok {
		t.Error("the fast YAML reader took a document with aliases")
	}
}

func TestMaxLines(t *testing.T) {
	yamlDoc := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("plan: {id: p, country: KP}\nlines:\n")
		for range n {
			b.WriteString("  - {direction: import, description: rice, quantity: 1, unit: t, origin: CN}\n")
		}
		return b.Bytes()
	}
	jsonDoc := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString(`{"plan": {"id": "p", "country": "KP"}, "lines": [`)
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(`{"direction": "import", "description": "rice", "origin": "CN"}`)
		}
		b.WriteString("]}")
		return b.Bytes()
	}
	csvDoc := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("origin,destination,description\n")
		for range n {
			b.WriteString("CN,KP,rice\n\n")
		}
		return b.Bytes()
	}
	// A line with an anchor: the general path.
	anchored := func(n int) []byte { return aliasDoc(n-1, 5) }
	lim := Limits{MaxLines: 5}
	for _, tt := range []struct {
		name string
		f    Format
		doc  func(int) []byte
	}{{"yaml", YAML, yamlDoc}, {"yaml with aliases", YAML, anchored}, {"json", JSON, jsonDoc}, {"csv", CSV, csvDoc}} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseWith(tt.doc(5), "p."+string(tt.f), tt.f, lim)
			if err != nil || len(p.Lines) != 5 {
				t.Fatalf("5 lines: %v", err)
			}
			_, err = ParseWith(tt.doc(6), "p."+string(tt.f), tt.f, lim)
			ps := problemsOf(t, err)
			if len(ps) != 1 || !strings.Contains(ps[0].Message, "at most 5 lines") || ps[0].Pos.Line == 0 {
				t.Fatalf("6 lines: %v", err)
			}
			if tt.f != CSV && ps[0].Pos.Path != "lines" {
				t.Errorf("6 lines: at %q, want lines", ps[0].Pos.Path)
			}
			q, err := ReadWith(bytes.NewReader(tt.doc(6)), "p."+string(tt.f), tt.f, lim)
			if q != nil || err == nil {
				t.Errorf("ReadWith took 6 lines")
			}
			// No limit: as many as the document has.
			if p, err := Parse(tt.doc(6), "p."+string(tt.f), tt.f); err != nil || len(p.Lines) != 6 {
				t.Errorf("no limit: %v", err)
			}
		})
	}
}

// TestAmountsAndText checks every reader refuses what is not finite or
// above tradeplan.MaxAmount, and text that is not text, at its field.
func TestAmountsAndText(t *testing.T) {
	yamlLine := func(fields string) []byte {
		return []byte("plan: {id: p, country: KP}\nlines:\n  - {direction: import, origin: CN, " + fields + "}\n")
	}
	jsonLine := func(fields string) []byte {
		return []byte(`{"plan": {"id": "p", "country": "KP"}, "lines": [{"direction": "import", "origin": "CN", ` + fields + `}]}`)
	}
	csvLine := func(head, row string) []byte { return []byte("origin,destination," + head + "\nCN,KP," + row + "\n") }
	tests := []struct {
		name string
		f    Format
		doc  []byte
		path string // where the one problem is; "" for none
	}{
		{"yaml maximum", YAML, yamlLine("description: rice, quantity: 999999999999999, unit: t, value: 999999999999999.999999, currency: USD"), ""},
		{"yaml quantity above", YAML, yamlLine("description: rice, quantity: 1.7e308, unit: t"), "lines[1].quantity"},
		{"yaml value above", YAML, yamlLine("description: rice, value: 1000000000000001, currency: USD"), "lines[1].value"},
		{"yaml infinity", YAML, yamlLine("description: rice, quantity: .inf, unit: t"), "lines[1].quantity"},
		{"yaml NaN", YAML, yamlLine("description: rice, quantity: .nan, unit: t"), "lines[1].quantity"},
		{"yaml beyond float", YAML, yamlLine("description: rice, quantity: 1e309, unit: t"), "lines[1].quantity"},
		{"json maximum", JSON, jsonLine(`"description": "rice", "quantity": 999999999999999, "unit": "t"`), ""},
		{"json quantity above", JSON, jsonLine(`"description": "rice", "quantity": 1.7e308, "unit": "t"`), "lines[1].quantity"},
		{"json value above", JSON, jsonLine(`"description": "rice", "value": 2e15, "currency": "USD"`), "lines[1].value"},
		{"csv maximum", CSV, csvLine("description,quantity,unit", "rice,999999999999999,t"), ""},
		{"csv quantity above", CSV, csvLine("description,quantity,unit", "rice,1.7e308,t"), "quantity"},
		{"csv value above", CSV, csvLine("description,value,currency", "rice,1e16,USD"), "value"},
		{"csv infinity", CSV, csvLine("description,value,currency", "rice,Inf,USD"), "value"},

		{"yaml NUL escape", YAML, yamlLine(`description: "rice\0"`), "lines[1].description"},
		{"yaml control escape in a name", YAML, yamlLine(`description: rice, partner: {name: "a\x1b"}`), "lines[1].partner.name"},
		{"yaml line break in a name", YAML, yamlLine(`description: rice, crossing: "a\nb"`), "lines[1].crossing"},
		{"yaml line break in a description", YAML, yamlLine(`description: "rice\nmilled"`), ""},
		{"yaml NEL escape", YAML, yamlLine(`description: "ri\Nce"`), "lines[1].description"},
		{"json NUL", JSON, jsonLine(`"description": "rice\u0000"`), "lines[1].description"},
		{"json tab in a vessel name", JSON, jsonLine(`"description": "rice", "vessel": {"name": "a\tb"}`), "lines[1].vessel.name"},
		{"json invalid UTF-8", JSON, jsonLine("\"description\": \"rice \xff\""), "lines[1].description"},
		{"json invalid UTF-8 in the header", JSON, []byte("{\"plan\": {\"id\": \"p\", \"country\": \"KP\", \"organisation\": \"\xc3\"}, \"lines\": [{\"direction\": \"import\", \"origin\": \"CN\", \"description\": \"rice\"}]}"), "plan.organisation"},
		{"csv NUL", CSV, csvLine("description", "rice\x00"), "description"},
		{"csv invalid UTF-8 in a partner", CSV, csvLine("description,partner", "rice,a\xffb"), "partner"},
		{"csv control in a crossing", CSV, csvLine("description,crossing", "rice,a\x07"), "crossing"},
		{"csv line break in a description", CSV, csvLine("description", "\"rice\nmilled\""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(tt.doc, "t."+string(tt.f), tt.f)
			if tt.path == "" {
				if err != nil {
					t.Fatal(err)
				}
				checkParsed(t, p, nil)
				return
			}
			ps := problemsOf(t, err)
			if len(ps) != 1 || ps[0].Pos.Path != tt.path || ps[0].Pos.Line == 0 {
				t.Fatalf("problems %v, want one at %s", err, tt.path)
			}
		})
	}
}

func FuzzParseWithLimits(f *testing.F) {
	f.Add(aliasDoc(3, 10), 2)
	f.Add(aliasDoc(30, 1000), 100)
	f.Add([]byte("plan: {id: p, country: KP}\nd: &d {direction: import, origin: CN}\nlines:\n  - {<<: *d, description: a}\n  - {<<: *d, description: b}\n"), 1)
	f.Fuzz(func(t *testing.T, doc []byte, n int) {
		lim := Limits{MaxLines: n % 50}
		if lim.MaxLines < 0 {
			lim.MaxLines = -lim.MaxLines
		}
		p, err := ParseWith(doc, "f.yaml", YAML, lim)
		checkParsed(t, p, err)
		if err != nil {
			return
		}
		if lim.MaxLines > 0 && len(p.Lines) > lim.MaxLines {
			t.Fatalf("%d lines within a limit of %d", len(p.Lines), lim.MaxLines)
		}
		// What the plan holds is within the factor of what was sent.
		size := 0
		for _, l := range p.Lines {
			size += len(l.Description) + len(l.Purpose) + len(l.Crossing) + len(l.Exemption)
		}
		if size > max(len(doc)*MaxAliasFactor, minAliasBudget) {
			t.Fatalf("%d bytes of text from a document of %d", size, len(doc))
		}
	})
}
