package svgchart

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// parse walks the SVG as XML and counts its elements by name.
func parse(t *testing.T, svg string) map[string]int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	n := map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG does not parse: %v\n%s", err, svg)
		}
		if el, ok := tok.(xml.StartElement); ok {
			n[el.Name.Local]++
			for _, a := range el.Attr {
				if a.Name.Local == "style" || strings.HasPrefix(a.Name.Local, "on") {
					t.Errorf("<%s %s>: inline style or script", el.Name.Local, a.Name.Local)
				}
			}
		}
	}
	return n
}

func TestBars(t *testing.T) {
	for _, tc := range []struct {
		name string
		bars []Bar
	}{
		{"none", nil},
		{"zeros", []Bar{{Label: "a", Value: 0, Text: "0"}, {Label: "b", Value: 0, Text: "0"}}},
		{"mixed", []Bar{{Label: "issued", Value: 3, Text: "3", Class: "ok"}, {Label: `<script>"x"</script>`, Value: 1, Text: "1 & more"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Bars("c-"+tc.name, "Chart <b>"+tc.name+"</b>", "permits", tc.bars)
			s := string(c.SVG)
			n := parse(t, s)
			if n["svg"] != 1 || n["rect"] != len(tc.bars) || n["desc"] != 1 {
				t.Errorf("elements %v, want one svg, one desc, %d rects", n, len(tc.bars))
			}
			if !strings.Contains(s, `role="img"`) || !strings.Contains(s, `aria-labelledby="c-`+tc.name+`-t c-`+tc.name+`-d"`) {
				t.Errorf("not labelled as an image: %s", s)
			}
			if strings.Contains(s, "<script>") || strings.Contains(s, "<b>") {
				t.Errorf("text not escaped: %s", s)
			}
			if len(c.Table.Rows) != len(tc.bars) {
				t.Errorf("table has %d rows for %d bars", len(c.Table.Rows), len(tc.bars))
			}
			if strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
				t.Errorf("bad geometry: %s", s)
			}
		})
	}
	// The longest bar is the largest value, and a bar's length is in proportion.
	c := Bars("p", "p", "t", []Bar{{Label: "a", Value: 10, Text: "10"}, {Label: "b", Value: 5, Text: "5"}})
	if !strings.Contains(string(c.SVG), `width="310"`) || !strings.Contains(string(c.SVG), `width="155"`) {
		t.Errorf("bars not in proportion: %s", c.SVG)
	}
}

func TestLines(t *testing.T) {
	c := Lines("cap", "Cap use", "bbl", []string{"Jan", "Feb", "Mar"},
		[]Series{{Name: "drawn", Values: []float64{0, 100, 250}, Texts: []string{"0", "100", "250"}}},
		&Ref{Label: "cap", Value: 500, Text: "500"})
	n := parse(t, string(c.SVG))
	if n["polyline"] != 1 || n["circle"] != 3 || n["line"] != 3 {
		t.Errorf("elements %v: want a polyline, 3 points, 2 axes and the cap", n)
	}
	if len(c.Table.Rows) != 3 || len(c.Table.Head) != 3 || c.Table.Rows[2][1] != "250" || c.Table.Rows[2][2] != "500" {
		t.Errorf("table %+v", c.Table)
	}
	if !strings.Contains(c.Desc, "against the cap of 500") {
		t.Errorf("desc %q", c.Desc)
	}
	// One point, and nothing at all: drawn without dividing by zero.
	for _, labels := range [][]string{{"only"}, nil} {
		c := Lines("x", "x", "t", labels, []Series{{Name: "s", Values: make([]float64, len(labels))}}, nil)
		parse(t, string(c.SVG))
		if strings.Contains(string(c.SVG), "NaN") {
			t.Errorf("%v: NaN in %s", labels, c.SVG)
		}
	}
}
