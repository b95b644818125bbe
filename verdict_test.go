package tradeplan

import (
	"encoding/json"
	"reflect"
	"testing"
	"unsafe"
)

// TestFindingSize keeps a finding at the size measured in
// docs/benchmarks.md: a report holds one per rule, match and doubt of every
// line, so its size is most of a report's memory.
func TestFindingSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes measured on 64-bit platforms")
	}
	if got := unsafe.Sizeof(Finding{}); got > 128 {
		t.Errorf("Finding is %d bytes, more than the 128 measured", got)
	}
}

// TestFindingReaders checks that every field of Basis and Match has a
// reader on Finding of the same name and type, so that no field is reached
// only by promotion through a pointer that may be nil, and that the readers
// give the zero value without the part and the field's value with it.
func TestFindingReaders(t *testing.T) {
	ft := reflect.TypeFor[Finding]()
	for _, part := range []struct {
		field string
		typ   reflect.Type
	}{{"Basis", reflect.TypeFor[Basis]()}, {"Match", reflect.TypeFor[Match]()}} {
		for i := range part.typ.NumField() {
			sf := part.typ.Field(i)
			t.Run(part.field+"."+sf.Name, func(t *testing.T) {
				m, ok := ft.MethodByName(sf.Name)
				if !ok {
					t.Fatalf("Finding has no method %s: reading f.%s panics when f.%s is nil", sf.Name, sf.Name, part.field)
				}
				if m.Type.NumIn() != 1 || m.Type.NumOut() != 1 || m.Type.Out(0) != sf.Type {
					t.Fatalf("Finding.%s is %v, want func() %v", sf.Name, m.Type, sf.Type)
				}
				var zero Finding
				if got := m.Func.Call([]reflect.Value{reflect.ValueOf(zero)})[0]; !got.IsZero() {
					t.Errorf("Finding{}.%s() = %v, want the zero value", sf.Name, got)
				}
				// a part whose every field is set: the reader returns the field
				pv := reflect.New(part.typ)
				fv := pv.Elem().Field(i)
				switch fv.Kind() {
				case reflect.String:
					fv.SetString("x-" + sf.Name)
				case reflect.Float64:
					fv.SetFloat(0.75)
				default:
					t.Fatalf("no test value for a field of kind %v", fv.Kind())
				}
				var f Finding
				reflect.ValueOf(&f).Elem().FieldByName(part.field).Set(pv)
				if got := m.Func.Call([]reflect.Value{reflect.ValueOf(f)})[0]; !got.Equal(fv) {
					t.Errorf("Finding.%s() = %v, want %v", sf.Name, got, fv)
				}
			})
		}
	}
}

// TestFindingJSONFlat checks that a finding encodes and decodes as one flat
// record, with or without its parts.
func TestFindingJSONFlat(t *testing.T) {
	tests := []struct {
		name string
		f    Finding
		want string
	}{
		{"classification", Finding{Kind: KindClassification, Outcome: Review, Summary: "no code"},
			`{"kind":"classification","outcome":"review","summary":"no code"}`},
		{"goods", Finding{Kind: KindGoods, Outcome: Prohibited, Summary: "s", Basis: &Basis{Rule: "r", Citation: "c"}},
			`{"kind":"goods","outcome":"prohibited","summary":"s","rule":"r","citation":"c"}`},
		{"party", Finding{Kind: KindParty, Outcome: Review, Summary: "s", Basis: &Basis{Citation: "c"}, Match: &Match{List: "un", EntryID: "KPi.1", Score: 0.9}},
			`{"kind":"party","outcome":"review","summary":"s","citation":"c","list":"un","id":"KPi.1","score":0.9}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("got  %s\nwant %s", b, tt.want)
			}
			var back Finding
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back.Rule() != tt.f.Rule() || back.Citation() != tt.f.Citation() || back.EntryID() != tt.f.EntryID() || back.Score() != tt.f.Score() {
				t.Errorf("decoded %+v, want %+v", back, tt.f)
			}
		})
	}
}
