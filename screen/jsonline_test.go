package screen

import (
	"context"
	"encoding/json"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
)

// Strings and numbers that take every branch of the encoder.
var (
	fillStrings = []string{"plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tnew\nline\rcr\bbs\fff", "\x00\x01\x1f\x7f",
		"조선 평양 café", "\u2028 and \u2029", "bad \xff\xfe utf-8", "", "a\xc3"}
	fillFloats = []float64{0.5, 1e-7, 1e21, 123456.789, -3, 1e20, 0.000001, 2.5e-300, 42}
)

// fill sets every exported field of the struct v points to, at every
// depth, to a value chosen by seed; zero is true for the values that make
// omitempty fields go and nil slices show.
func fill(t *testing.T, v reflect.Value, seed int, zero bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if zero && seed%2 == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), seed, zero)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2017+seed%9, time.Month(1+seed%12), 1+seed%28, seed%24, 0, seed%2, seed%3*1000, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(t, v.Field(i), seed+i, zero)
			}
		}
	case reflect.Slice:
		if zero {
			if seed%2 == 0 {
				v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			}
			return
		}
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := 0; i < 2; i++ {
			fill(t, s.Index(i), seed+i*7, zero)
		}
		v.Set(s)
	case reflect.String:
		if !zero {
			v.SetString(fillStrings[seed%len(fillStrings)])
		}
	case reflect.Int:
		if !zero {
			v.SetInt(int64(seed*37 - 5))
		}
	case reflect.Bool:
		if !zero {
			v.SetBool(seed%2 == 0)
		}
	case reflect.Uint8:
		v.SetUint(uint64(seed % 4)) // a verdict
	case reflect.Float64:
		if !zero {
			v.SetFloat(fillFloats[seed%len(fillFloats)])
		}
	default:
		t.Fatalf("fill: a field of kind %s (%s): teach fill and appendLineJSON about it", v.Kind(), v.Type())
	}
}

func checkLineJSON(t *testing.T, r *tradeplan.LineReport) {
	t.Helper()
	want, werr := json.Marshal(r)
	got, gerr := appendLineJSON(nil, r)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("json.Marshal error %v, appendLineJSON error %v", werr, gerr)
	}
	if werr == nil && string(got) != string(want) {
		t.Fatalf("appendLineJSON differs from json.Marshal:\n got %s\nwant %s", got, want)
	}
}

// TestLineJSONMatchesMarshal fills every field of a line report, at every
// depth, with values that take every branch, and with the zero values that
// omitempty leaves out, and holds the encoder to json.Marshal's bytes.
func TestLineJSONMatchesMarshal(t *testing.T) {
	for seed := 0; seed < 40; seed++ {
		for _, zero := range []bool{false, true} {
			var r tradeplan.LineReport
			fill(t, reflect.ValueOf(&r).Elem(), seed, zero)
			checkLineJSON(t, &r)
		}
	}
	checkLineJSON(t, &tradeplan.LineReport{})
	checkLineJSON(t, &tradeplan.LineReport{Vessel: &tradeplan.Vessel{}, Partner: &tradeplan.Party{}})
	checkLineJSON(t, &tradeplan.LineReport{Findings: []tradeplan.Finding{{Cap: &tradeplan.CapUse{From: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}})
}

// TestLineJSONExamples: the lines of the example plans' reports, screened
// with the embedded rules and nomenclature, encode as json.Marshal does.
func TestLineJSONExamples(t *testing.T) {
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Classifier: cls, Goods: rs, NewLedger: rules.NewLedger})
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no example plans")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Parse(data, f, plan.YAML)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.Plan(context.Background(), p, Options{AsOf: time.Date(2023, 1, 15, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		for i := range rep.Lines {
			checkLineJSON(t, &rep.Lines[i])
		}
	}
}

// BenchmarkLineJSON encodes the lines of the report's example plan with
// appendLineJSON and, as the baseline in the same run, json.Marshal.
func BenchmarkLineJSON(b *testing.B) {
	rs, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile("../examples/nhg-2023-h1.yaml")
	if err != nil {
		b.Fatal(err)
	}
	p, err := plan.Parse(data, "nhg.yaml", plan.YAML)
	if err != nil {
		b.Fatal(err)
	}
	rep, err := New(Config{Classifier: cls, Goods: rs, NewLedger: rules.NewLedger}).Plan(context.Background(), p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for i := range rep.Lines {
		j, _ := json.Marshal(&rep.Lines[i])
		size += len(j)
	}
	b.Run("append", func(b *testing.B) {
		b.SetBytes(int64(size))
		var buf []byte
		for b.Loop() {
			for i := range rep.Lines {
				buf, _ = appendLineJSON(buf[:0], &rep.Lines[i])
			}
		}
	})
	b.Run("marshal", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for i := range rep.Lines {
				json.Marshal(&rep.Lines[i])
			}
		}
	})
}

// TestSafe8 holds the eight-byte test to the byte table: every byte value
// at every position among safe bytes, and random words.
func TestSafe8(t *testing.T) {
	all := func(b []byte) bool {
		for _, c := range b {
			if !jsonSafe[c] {
				return false
			}
		}
		return true
	}
	for pos := 0; pos < 8; pos++ {
		for c := 0; c < 256; c++ {
			b := []byte("abcdefgh")
			b[pos] = byte(c)
			if got, want := safe8(load8(string(b), 0)), all(b); got != want {
				t.Fatalf("safe8(%q) = %v, want %v", b, got, want)
			}
		}
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 1000000; i++ {
		b := make([]byte, 8)
		for j := range b {
			switch rng.Intn(3) {
			case 0:
				b[j] = byte(rng.Intn(256))
			default:
				b[j] = byte(0x20 + rng.Intn(0x60))
			}
		}
		if got, want := safe8(load8(string(b), 0)), all(b); got != want {
			t.Fatalf("safe8(%q) = %v, want %v", b, got, want)
		}
	}
}

// FuzzJSONString: any string is written as json.Marshal writes it.
func FuzzJSONString(f *testing.F) {
	for _, s := range fillStrings {
		f.Add(s)
	}
	f.Add("a summary long enough to take the eight-byte path, then <b> & \"q\"")
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Skip()
		}
		var e jsonAppender
		e.str(s)
		if string(e.b) != string(want) {
			t.Fatalf("str(%q) = %s, want %s", s, e.b, want)
		}
	})
}

// FuzzJSONFloat: any finite number is written as json.Marshal writes it.
func FuzzJSONFloat(f *testing.F) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 1000, 160000, 0.87, 1e-7, 1e21, 1e15, 1e15 - 1, -1e15 + 1, 123456789012345, 0.5, 2.5e-6} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		want, err := json.Marshal(x)
		if err != nil {
			t.Skip()
		}
		var e jsonAppender
		e.float(x)
		if string(e.b) != string(want) {
			t.Fatalf("float(%v) = %s, want %s", x, e.b, want)
		}
	})
}
