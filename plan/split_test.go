package plan

import (
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// splitAll reads every record and error of in with the splitter.
func splitAll(in string) []string {
	s := newSplitter(strings.NewReader(in))
	var out []string
	for i := 0; i < len(in)+2; i++ {
		rec, err := s.read()
		if err == io.EOF {
			return out
		}
		var se *splitError
		if errors.As(err, &se) {
			out = append(out, fmt.Sprintf("error %d:%d %v", se.line, se.col, se.err))
			continue
		}
		if err != nil {
			return append(out, "error "+err.Error())
		}
		var ps []string
		for j := range rec {
			l, c := s.fieldPos(j)
			ps = append(ps, fmt.Sprintf("%d:%d", l, c))
		}
		out = append(out, fmt.Sprintf("%q at %v", rec, ps))
	}
	return append(out, "no progress")
}

// csvAll reads every record and error of in with encoding/csv, configured as
// the splitter claims to behave.
func csvAll(in string) []string {
	r := csv.NewReader(strings.NewReader(in))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var out []string
	for i := 0; i < len(in)+2; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out = append(out, fmt.Sprintf("error %d:%d %v", pe.Line, pe.Column, pe.Err))
			continue
		}
		if err != nil {
			return append(out, "error "+err.Error())
		}
		var ps []string
		for j := range rec {
			l, c := r.FieldPos(j)
			ps = append(ps, fmt.Sprintf("%d:%d", l, c))
		}
		out = append(out, fmt.Sprintf("%q at %v", rec, ps))
	}
	return append(out, "no progress")
}

var splitCases = []struct{ name, in string }{
	{"plain", "a,b,c\n1,2,3\n"},
	{"no final newline", "a,b\n1,2"},
	{"crlf", "a,b\r\n1,2\r\n"},
	{"cr before eof", "a,b\r"},
	{"cr inside", "a\rb,c\n"},
	{"empty lines", "\n\na,b\n\r\n\n1,2\n\n"},
	{"empty fields", ",,\n,\n"},
	{"quoted", "\"a,b\",\"c\"\"d\",e\n"},
	{"quoted multiline", "\"a\nb\",c\nd,e\n"},
	{"quoted crlf multiline", "\"a\r\nb\",c\r\n"},
	{"quoted empty", "\"\",\"\"\n"},
	{"bare quote", "a,b\"c,d\nx,y\n"},
	{"extraneous quote", "\"a\"b,c\nx,y\n"},
	{"unterminated", "a,\"bc\nd\n"},
	{"unterminated at eof", "\"abc"},
	{"quote then eof", "\"abc\""},
	{"quote at line end", "a,\"b\"\nc\n"},
	{"utf8", "ü,\"é,ß\",中\n"},
	{"lone quote", "\"\n"},
	{"quote comma newline", "\",\n\"\n"},
	{"long line", strings.Repeat("x", 70000) + ",y\n" + "\"" + strings.Repeat("z", 70000) + "\",w\n"},
}

func TestSplitterMatchesEncodingCSV(t *testing.T) {
	for _, tt := range splitCases {
		t.Run(tt.name, func(t *testing.T) {
			got, want := splitAll(tt.in), csvAll(tt.in)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("splitter:\n%s\nencoding/csv:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func FuzzSplitter(f *testing.F) {
	for _, c := range splitCases {
		if len(c.in) < 1000 {
			f.Add(c.in)
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, want := splitAll(in), csvAll(in)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("input %q\nsplitter:\n%s\nencoding/csv:\n%s", in, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestCommaBits: the bits commaBits sets are the commas of its eight
// bytes, each byte tried in each place, beside bytes that differ from a
// comma by one (the borrow of a shorter test would mark a '-' after a
// comma).
func TestCommaBits(t *testing.T) {
	for _, fill := range []byte{0, ',' - 1, ',' + 1, 0x80, 0xac, 0xff, 'a'} {
		for c := range 256 {
			for pos := range 8 {
				var b [8]byte
				for i := range b {
					b[i] = fill
				}
				b[pos] = byte(c)
				var want uint64
				for i, x := range b {
					if x == ',' {
						want |= 0x80 << (8 * i)
					}
				}
				if got := commaBits(binary.LittleEndian.Uint64(b[:])); got != want {
					t.Fatalf("%q: %#x, want %#x", b, got, want)
				}
			}
		}
	}
}
