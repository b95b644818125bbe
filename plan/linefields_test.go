package plan

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// lineFieldPlaces says, for every field of tradeplan.Line, how a plan
// document and a line file write it. A new field of tradeplan.Line is added
// in exactly these places (docs/plan-format.md, "Adding a field to a
// line"): an entry here; lineFields (parse.go) and docParser.line, the
// general path; lineField and flatDoc.line (fastdoc.go), the fast path; a
// CSV column (csv.go); plan.schema.json; and, when a report shows it,
// tradeplan.LineReport, Screener.Line and appendLineJSON (screen's
// TestLineFieldsReported). TestLineFieldsRead fails until each is done.
var lineFieldPlaces = map[string]struct {
	doc []kv   // the fields, added to or replacing those of baseLine, that set it in a document
	csv []kv   // the columns, added to or replacing those of baseCSV, that set it in a line file
	not string // for a field no input writes: why
}{
	"Index":       {not: "the line's position in its plan or file, counted by the reader"},
	"Pos":         {not: "where the line was written, found by the reader"},
	"Direction":   {doc: []kv{{"direction", `"import"`}, {"origin", `"CN"`}}, csv: []kv{{"direction", "import"}}},
	"Description": {doc: []kv{{"description", `"dried squid"`}}, csv: []kv{{"description", "dried squid"}}},
	"HS":          {doc: []kv{{"hs", `"0307.49"`}}, csv: []kv{{"hs", "0307.49"}}},
	"Origin":      {doc: []kv{{"origin", `"RU"`}}, csv: []kv{{"origin", "RU"}}},
	"Destination": {doc: []kv{{"destination", `"RU"`}}, csv: []kv{{"destination", "RU"}}},
	"Quantity":    {doc: []kv{{"quantity", "5"}, {"unit", `"t"`}}, csv: []kv{{"quantity", "5"}, {"unit", "t"}}},
	"Unit":        {doc: []kv{{"unit", `"kg"`}}, csv: []kv{{"unit", "kg"}}},
	"Value":       {doc: []kv{{"value", "100"}, {"currency", `"USD"`}}, csv: []kv{{"value", "100"}, {"currency", "USD"}}},
	"Currency":    {doc: []kv{{"currency", `"EUR"`}}, csv: []kv{{"currency", "EUR"}}},
	"Partner": {doc: []kv{{"partner", `{"name": "Tumen Demo Trading", "country": "CN"}`}},
		csv: []kv{{"partner", "Tumen Demo Trading"}, {"partner_country", "CN"}}},
	"Vessel": {doc: []kv{{"vessel", `{"name": "Demo Sea Star", "imo": "IMO 9876543", "flag": "KP"}`}},
		csv: []kv{{"vessel_name", "Demo Sea Star"}, {"vessel_imo", "IMO 9876543"}, {"vessel_flag", "KP"}}},
	"Crossing":  {doc: []kv{{"crossing", `"Namyang-Tumen"`}}, csv: []kv{{"crossing", "Namyang-Tumen"}}},
	"Necessity": {doc: []kv{{"necessity", `"critical"`}}, csv: []kv{{"necessity", "critical"}}},
	"Purpose":   {doc: []kv{{"purpose", `"fuel for the fishing fleet"`}}, csv: []kv{{"purpose", "fuel for the fishing fleet"}}},
	"Source":    {doc: []kv{{"source", `{"site": "Chongjin fishing base 2"}`}}, csv: []kv{{"source_site", "Chongjin fishing base 2"}}},
	"Exemption": {doc: []kv{{"exemption", `"1718/EX/2027/1"`}}, csv: []kv{{"exemption", "1718/EX/2027/1"}}},
	"Date":      {doc: []kv{{"date", `"2027-03-01"`}}, csv: []kv{{"date", "2027-03-01"}}},
}

type kv struct{ k, v string }

// baseLine is the line every case starts from: valid, and taken by the
// fast path.
var baseLine = []kv{{"direction", `"export"`}, {"description", `"frozen fish"`}, {"destination", `"CN"`}}

var baseCSV = []kv{{"description", "frozen fish"}, {"origin", "KP"}, {"destination", "CN"}}

// with returns base with the fields of over replacing those of the same
// key, and the others added at the end.
func with(base, over []kv) []kv {
	out := append([]kv(nil), base...)
	for _, o := range over {
		i := 0
		for i < len(out) && out[i].k != o.k {
			i++
		}
		if i < len(out) {
			out[i] = o
		} else {
			out = append(out, o)
		}
	}
	return out
}

// lineDoc writes a plan of one line in YAML (block style) or JSON. The
// values are JSON, which YAML reads as well.
func lineDoc(f Format, line []kv) []byte {
	var b strings.Builder
	if f == YAML {
		b.WriteString("plan:\n  id: fields\n  country: KP\n  period: 2027-H1\nlines:\n")
		for i, x := range line {
			if i == 0 {
				b.WriteString("  - ")
			} else {
				b.WriteString("    ")
			}
			b.WriteString(x.k + ": " + x.v + "\n")
		}
		return []byte(b.String())
	}
	b.WriteString(`{"plan": {"id": "fields", "country": "KP", "period": "2027-H1"}, "lines": [{`)
	for i, x := range line {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + x.k + `": ` + x.v)
	}
	b.WriteString("}]}\n")
	return []byte(b.String())
}

func lineCSV(line []kv) []byte {
	var head, row []string
	for _, x := range line {
		head = append(head, x.k)
		row = append(row, x.v)
	}
	return []byte(strings.Join(head, ",") + "\n" + strings.Join(row, ",") + "\n")
}

// TestLineFieldsRead holds every field of tradeplan.Line to lineFieldPlaces:
// each is listed there, and each one a document writes is read into the
// line by the fast path and the general path alike, in YAML and in JSON,
// and by the CSV reader.
func TestLineFieldsRead(t *testing.T) {
	lt := reflect.TypeFor[tradeplan.Line]()
	for i := range lt.NumField() {
		if _, ok := lineFieldPlaces[lt.Field(i).Name]; !ok {
			t.Errorf("tradeplan.Line.%s is not in lineFieldPlaces: add it there, and to each place it names", lt.Field(i).Name)
		}
	}
	for name, p := range lineFieldPlaces {
		sf, ok := lt.FieldByName(name)
		if !ok {
			t.Errorf("lineFieldPlaces lists %s, which tradeplan.Line has not", name)
			continue
		}
		if p.not != "" {
			if p.doc != nil || p.csv != nil {
				t.Errorf("%s: both read from input and not (%s)", name, p.not)
			}
			continue
		}
		t.Run(name, func(t *testing.T) {
			for _, f := range []Format{YAML, JSON} {
				field := func(line []kv, fast bool) reflect.Value {
					t.Helper()
					data := lineDoc(f, line)
					var pl *tradeplan.Plan
					var err error
					pl, err = parseGeneral(data, "fields", f, Limits{})
					if err != nil {
						t.Fatalf("%s, general path: %v\n%s", f, err, data)
					}
					if fast {
						pl, err = parseFast(data, "fields", f, Limits{})
						if pl == nil && err == nil {
							t.Fatalf("%s: the fast path gave up on a document the general path reads:\n%s", f, data)
						}
					}
					return reflect.ValueOf(pl.Lines[0]).FieldByIndex(sf.Index)
				}
				for _, fast := range []bool{true, false} {
					path := map[bool]string{true: "fast path", false: "general path"}[fast]
					base, got := field(baseLine, fast), field(with(baseLine, p.doc), fast)
					if reflect.DeepEqual(base.Interface(), got.Interface()) {
						t.Errorf("%s, %s: %v does not set Line.%s (still %v)", f, path, p.doc, name, got)
					}
				}
				if fast, general := field(with(baseLine, p.doc), true), field(with(baseLine, p.doc), false); !reflect.DeepEqual(fast.Interface(), general.Interface()) {
					t.Errorf("%s: Line.%s is %v on the fast path, %v on the general path", f, name, fast, general)
				}
			}
			csvField := func(line []kv) reflect.Value {
				t.Helper()
				data := lineCSV(line)
				pl, err := Parse(data, "fields.csv", CSV)
				if err != nil {
					t.Fatalf("csv: %v\n%s", err, data)
				}
				return reflect.ValueOf(pl.Lines[0]).FieldByIndex(sf.Index)
			}
			if base, got := csvField(baseCSV), csvField(with(baseCSV, p.csv)); reflect.DeepEqual(base.Interface(), got.Interface()) {
				t.Errorf("csv: %v does not set Line.%s (still %v)", p.csv, name, got)
			}
		})
	}
}
