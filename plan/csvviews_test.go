package plan

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// readAllViews reads data with a CSVReader whose fields are views of its
// buffer (as NewCSVReader makes it), with a small buffer so that it is
// overwritten often, and scribbles over the bytes of each row once it is
// read: a line that kept a view would change. It returns each line or
// error as text, in order.
func readAllViews(t testing.TB, data []byte, size int, scribble bool) []string {
	t.Helper()
	c, err := newCSVReader(newSplitterSize(bytes.NewReader(data), size), "v.csv", []string{"declaration"})
	if err != nil {
		return []string{"header: " + err.Error()}
	}
	if !scribble {
		c.r.views = false
	}
	var lines []tradeplan.Line
	var errs []error
	var extras []string
	for i := 0; i <= len(data)+1; i++ {
		var l tradeplan.Line
		err := c.ReadInto(&l)
		extra, _, _ := c.Extra("declaration")
		if scribble {
			for j := range c.r.view {
				c.r.view[j] = 'X'
			}
		}
		if err == io.EOF {
			break
		}
		extras = append(extras, extra)
		errs = append(errs, err)
		if err == nil {
			lines = append(lines, l)
		}
	}
	// Everything is formatted only at the end, after every row was read
	// and scribbled over.
	var out []string
	for i, err := range errs {
		if err != nil {
			out = append(out, "error: "+err.Error()+" extra "+extras[i])
		} else {
			out = append(out, "extra "+extras[i])
		}
	}
	for i := range lines {
		out = append(out, lineText(&lines[i]))
	}
	return out
}

func lineText(l *tradeplan.Line) string {
	s := fmt.Sprintf("%d %v %q %q %q %q %q %s %q %s %q %q %q %q %q %q %v", l.Index, l.Pos, l.Direction, l.Description, l.HS, l.Origin,
		l.Destination, l.Quantity.String(), l.Unit, l.Value.String(), l.Currency, l.Crossing, l.Necessity, l.Purpose, l.Exemption, l.Date.Format("2006-01-02"), l.Date.IsZero())
	if l.Partner != nil {
		s += fmt.Sprintf(" partner %q %q", l.Partner.Name, l.Partner.Country)
	}
	if l.Vessel != nil {
		s += fmt.Sprintf(" vessel %q %q %q", l.Vessel.Name, l.Vessel.IMO, l.Vessel.Flag)
	}
	if l.Source != nil {
		s += fmt.Sprintf(" source %q", l.Source.Site)
	}
	return s
}

const viewsFile = "declaration,description,hs,origin,destination,quantity,unit,value,currency,partner,partner_country,vessel_name,vessel_imo,vessel_flag,crossing,necessity,direction,date,exemption,purpose,source_site\n" +
	"D1,frozen alaska pollock,030367,CN,US,10,kg,21,USD,Acme Trading,CN,Sea Star,IMO 9123456,PA,Dandong,critical,export,2026-03-01,2397/EX/1,medicine for the clinic,site-a\n" +
	"D2, salted pollack ,0305.69,kp,cn,1.5,tonnes,100,usd,,,,,,,essential,import,2026-03-02,,,\n" +
	"D3,\"crab, meat\",160510,China,US,3,kg,9,EUR,\"Acme \"\"Two\"\"\",US,,,,,useful,Export,2026-03-02,,,\r\n" +
	"D4,'=cmd,8703.23,CN,US,2,pcs,40000,CNY,,,,,,,,,2026-03-03,,,\n" +
	"D5,bad code,03XX,CN,US,x,zz,1,USD,,,,,,,,,2026-02-30,,,\n" +
	"D6," + "very long description of goods " + "0123456789012345678901234567890123456789012345678901234567890123456789" + ",271019,CN,US,5,bbl,475,USD,,,,,,,,,2026-03-03,,,\n" +
	",dried mushrooms,071239,VN,JP,7,m3,280,GBP,Fishing Co,JP,Maru,9123456,JP,Hunchun,,,2026-03-04,,,site-b"

// TestCSVReaderViews: the lines of a file read with fields as views of the
// reader's buffer, the buffer scribbled over after each row, are those
// read with a string made per row; every column, quoted rows, CRLF, a row
// longer than the buffer, bad rows and interned repeats.
func TestCSVReaderViews(t *testing.T) {
	data := []byte(viewsFile + "\n" + strings.Repeat("D7,frozen alaska pollock,030367,CN,US,12,kg,25,USD,,,,,,,,,2026-03-05,,,\n", 3))
	want := readAllViews(t, data, 1<<16, false)
	for _, size := range []int{16, 64, 100, 1 << 16} {
		got := readAllViews(t, data, size, true)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("buffer %d:\n got %q\nwant %q", size, got, want)
		}
	}
	if len(want) < 10 {
		t.Fatalf("only %d results: %q", len(want), want)
	}
}

// TestCSVReaderInternBounded: the interned strings stay within their
// bounds (memory flat in the number of different descriptions), and what
// is read past them is still right.
func TestCSVReaderInternBounded(t *testing.T) {
	for _, pad := range []int{0, 1000, 20000} {
		var b strings.Builder
		b.WriteString("description,origin,destination,partner\n")
		n := maxInterned + 100
		if pad > 0 {
			n = 2 * maxInternedBytes / pad
		}
		desc := func(i int) string { return fmt.Sprintf("goods number %d%s", i, strings.Repeat("x", pad)) }
		for i := range n {
			fmt.Fprintf(&b, "%s,CN,US,partner %d\n", desc(i), i%3)
		}
		c, err := NewCSVReader(strings.NewReader(b.String()), "i.csv")
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for {
			l, err := c.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			kept = append(kept, l.Description)
			if len(c.interned) > maxInterned || c.internedBytes > maxInternedBytes {
				t.Fatalf("pad %d: %d strings, %d bytes interned, want at most %d and %d", pad, len(c.interned), c.internedBytes, maxInterned, maxInternedBytes)
			}
		}
		if len(kept) != n {
			t.Fatalf("pad %d: %d lines, want %d", pad, len(kept), n)
		}
		for i, d := range kept {
			if want := desc(i); d != want {
				t.Fatalf("pad %d, line %d: %q, want %q", pad, i+1, d, want)
			}
		}
	}
}

// FuzzCSVReaderViews holds the reader with views (scribbled after each row)
// to the reader with a string per row, on any input and buffer size.
func FuzzCSVReaderViews(f *testing.F) {
	f.Add([]byte(viewsFile), uint8(0))
	f.Add([]byte("description,hs,origin,destination,unit\nx,01,CN,US,kg\r\ny,0101,\"KP\",cn,lb\n"), uint8(3))
	f.Add([]byte("origin,destination,hs\nKP,CN\n\"unterminated\n"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		want := readAllViews(t, data, 1<<16, false)
		got := readAllViews(t, data, 16+int(size), true)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("buffer %d:\n got %q\nwant %q", 16+int(size), got, want)
		}
	})
}
