package screen

import (
	"context"
	"reflect"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
)

// notReported are the fields of tradeplan.Line a line report does not
// carry as they are, and why. Every other field of tradeplan.Line is a
// field of tradeplan.LineReport of the same name and type, copied by the
// screening and written by appendLineJSON (see plan's lineFieldPlaces and
// docs/plan-format.md, "Adding a field to a line").
var notReported = map[string]string{
	"Pos":       "reported as text, FILE:LINE:COLUMN (checked below)",
	"HS":        "the declared code is reported in hs, with its source, as the code screened",
	"Necessity": "weighed by the goods rules: their findings report it",
	"Purpose":   "weighed by the goods rules: their findings report it",
	"Source":    "weighed by the goods rules: their findings report it",
	"Exemption": "weighed by the goods rules: their findings report it",
	"Date":      "the day screened is the report's as_of",
}

// TestLineFieldsReported holds every field of tradeplan.Line to the line
// report: reported under its name, and encoded by appendLineJSON as
// json.Marshal encodes it, unless notReported says why not.
func TestLineFieldsReported(t *testing.T) {
	cls, err := hs.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Classifier: cls})
	lt, rt := reflect.TypeFor[tradeplan.Line](), reflect.TypeFor[tradeplan.LineReport]()
	for seed := range 3 {
		var l tradeplan.Line
		fill(t, reflect.ValueOf(&l).Elem(), seed, false)
		l.Index, l.Pos = 1, tradeplan.Position{File: "p.yaml", Line: 7 + seed, Column: 5}
		rep, err := s.Plan(context.Background(), &tradeplan.Plan{ID: "fields", Country: "KP", Lines: []tradeplan.Line{l}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := &rep.Lines[0]
		for i := range lt.NumField() {
			sf := lt.Field(i)
			rf, inReport := rt.FieldByName(sf.Name)
			if why, ok := notReported[sf.Name]; ok {
				if inReport && rf.Type == sf.Type {
					t.Errorf("Line.%s is in LineReport as it is, yet notReported says %q", sf.Name, why)
				}
				continue
			}
			if !inReport || rf.Type != sf.Type {
				t.Errorf("Line.%s (%v) is not in tradeplan.LineReport: add it there, to Screener.Line and to appendLineJSON, or say in notReported why not", sf.Name, sf.Type)
				continue
			}
			if got, want := reflect.ValueOf(*r).FieldByIndex(rf.Index).Interface(), reflect.ValueOf(l).Field(i).Interface(); !reflect.DeepEqual(got, want) {
				t.Errorf("LineReport.%s = %v, want the line's %v: Screener.Line does not copy it", sf.Name, got, want)
			}
		}
		if r.Pos != l.Pos.String() {
			t.Errorf("LineReport.Pos = %q, want %q", r.Pos, l.Pos.String())
		}
		checkLineJSON(t, r)
	}
}
