package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// checkParsed holds for any input: either a plan with resolved lines, or an
// EInvalid error with at least one problem, never both.
func checkParsed(t *testing.T, p *tradeplan.Plan, err error) {
	t.Helper()
	if err != nil {
		if p != nil {
			t.Fatal("plan and error both returned")
		}
		var e *tradeplan.Error
		if !errors.As(err, &e) || e.Code != tradeplan.EInvalid || len(e.Problems) == 0 && !strings.Contains(e.Message, "no lines") {
			t.Fatalf("error is not EInvalid with problems: %v", err)
		}
		return
	}
	if p == nil || len(p.Lines) == 0 {
		t.Fatal("no plan and no error")
	}
	for i, l := range p.Lines {
		if l.Index != i+1 {
			t.Fatalf("line %d has index %d", i+1, l.Index)
		}
		if l.Description == "" && l.HS == "" {
			t.Fatalf("line %d has neither description nor hs", l.Index)
		}
		if l.Quantity.Cmp(tradeplan.D(0)) < 0 || l.Value.Cmp(tradeplan.D(0)) < 0 {
			t.Fatalf("line %d has a negative amount", l.Index)
		}
		texts := []struct {
			s         string
			multiline bool
		}{{l.Description, true}, {l.Purpose, true}, {l.Crossing, false}, {l.Exemption, false}}
		if l.Partner != nil {
			texts = append(texts, struct {
				s         string
				multiline bool
			}{l.Partner.Name, false})
		}
		if l.Vessel != nil {
			texts = append(texts, struct {
				s         string
				multiline bool
			}{l.Vessel.Name, false})
		}
		for _, x := range texts {
			if msg := tradeplan.CheckText(x.s, x.multiline); msg != "" {
				t.Fatalf("line %d has text %q: %s", l.Index, x.s, msg)
			}
		}
		for _, c := range []string{l.Origin, l.Destination} {
			if c != "" && CountryName(c) == "" {
				t.Fatalf("line %d has unresolved country %q", l.Index, c)
			}
		}
	}
}

// checkRoundTrip writes a parsed plan in each format and reads it back.
func checkRoundTrip(t *testing.T, p *tradeplan.Plan) {
	t.Helper()
	for _, f := range []Format{YAML, JSON, CSV} {
		var b bytes.Buffer
		if err := Write(&b, p, f); err != nil {
			t.Fatalf("Write %s: %v", f, err)
		}
		q, err := Read(bytes.NewReader(b.Bytes()), "again."+string(f), f)
		if err != nil {
			t.Fatalf("%s written does not read back: %v\n%s", f, err, b.String())
		}
		if d := sameLines(p, q); d != "" {
			t.Fatalf("%s round trip: %s\n%s", f, d, b.String())
		}
	}
}

func seedExamples(f *testing.F, ext string) {
	files, _ := os.ReadDir("../examples")
	for _, e := range files {
		if strings.HasSuffix(e.Name(), ext) {
			if b, err := os.ReadFile("../examples/" + e.Name()); err == nil {
				f.Add(b)
			}
		}
	}
}

func FuzzParseYAML(f *testing.F) {
	seedExamples(f, ".yaml")
	f.Add([]byte(header + "lines:\n  - {direction: export, hs: 030569, destination: CN, quantity: 1, unit: t}\n"))
	f.Add([]byte(header + "lines:\n  - &a {direction: import, description: x, origin: CN}\n  - *a\n"))
	f.Add([]byte("plan: {id: x, country: KP, period: {from: 2027-01-01, to: 2027-02-01}}\nlines: [{direction: export, hs: '27', partner: {country: PRC}}]\n"))
	f.Add([]byte("{plan: [1, 2], lines: {a: b}}"))
	f.Add([]byte("- - - -\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.yaml", YAML)
		checkParsed(t, p, err)
		if err == nil {
			checkRoundTrip(t, p)
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	seedExamples(f, ".json")
	// The YAML examples, written as JSON.
	files, _ := os.ReadDir("../examples")
	for _, e := range files {
		if !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		b, err := os.ReadFile("../examples/" + e.Name())
		if err != nil {
			continue
		}
		if p, err := Parse(b, e.Name(), YAML); err == nil {
			if j, err := json.Marshal(planDocument(p)); err == nil {
				f.Add(j)
			}
		}
	}
	f.Add([]byte(`{"plan": {"id": "p", "country": "KP", "period": "2023-H1"}, "lines": [{"direction": "export", "hs": 30569, "destination": "CN", "quantity": 1.5e2, "unit": "t"}]}`))
	f.Add([]byte(`{"plan": {"id": "p", "country": "KP"}, "lines": [{"direction": "import", "description": "rice", "partner": {"name": "x", "country": "CN"}, "vessel": {"imo": "IMO9999999"}}]}`))
	f.Add([]byte(`{"plan": null, "lines": [[[[[]]]]]}`))
	f.Add([]byte(`{"a": 1, "a": 2}`))
	f.Add([]byte(`[1, "two", true, null, {"x": -0.0e-0}]`))
	f.Add([]byte(`{"plan": {"id": "\u00e9\ud800"}}`))
	f.Add([]byte("{\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.json", JSON)
		checkParsed(t, p, err)
		if err == nil {
			checkRoundTrip(t, p)
		}
	})
}

func FuzzCSVReader(f *testing.F) {
	seedExamples(f, ".csv")
	f.Add([]byte("origin,destination,hs,quantity,unit,value,currency\nKP,CN,030569,300,t,420000,USD\n"))
	f.Add([]byte("Origin;Destination\nKP;CN\n"))
	f.Add([]byte("origin,destination,description,date,vessel_imo,partner_country,direction,necessity\n\"North Korea\",\"China\",\"crab, \"\"packaged\"\"\",2023-02-29,IMO 1234567,prc,Export,Critical\n"))
	f.Add([]byte("origin,destination,hs\nKP,CN\n\"unterminated\n"))
	f.Add([]byte("\ufefforigin,destination,hs\r\nkp,cn,27\r\n,,\r\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSVReader(strings.NewReader(string(data)), "fuzz.csv")
		if err != nil {
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Fatalf("header error is not EInvalid: %v", err)
			}
			return
		}
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatal("more rows than bytes: the reader does not advance")
			}
			l, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				var e *tradeplan.Error
				if !errors.As(err, &e) || e.Code != tradeplan.EInvalid || len(e.Problems) == 0 {
					t.Fatalf("row error is not EInvalid with problems: %v", err)
				}
				continue
			}
			if l.Origin == "" || l.Destination == "" || l.Description == "" && l.HS == "" {
				t.Fatalf("row %d accepted incomplete: %+v", l.Index, l)
			}
		}
		p, err := Read(strings.NewReader(string(data)), "fuzz.csv", CSV)
		checkParsed(t, p, err)
		if err == nil {
			var b bytes.Buffer
			if err := Write(&b, p, CSV); err != nil {
				t.Fatal(err)
			}
			q, err := Read(&b, "again.csv", CSV)
			if err != nil {
				t.Fatalf("written CSV does not read back: %v", err)
			}
			if d := sameLines(p, q); d != "" {
				t.Fatalf("CSV round trip: %s", d)
			}
		}
	})
}
