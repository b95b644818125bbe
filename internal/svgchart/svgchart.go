// Package svgchart draws small bar and line charts as SVG on the server, for
// pages that use no JavaScript. A chart is an image to the eye and a table
// to everyone else: each Chart carries its figures as a Table, which the
// page shows beside the drawing, and the SVG has role="img" with a <title>
// and <desc> naming what it shows.
//
// Use:
//
//	c := svgchart.Bars("imports-rank", "Imports by rank", "tonnes", []svgchart.Bar{
//		{Label: "urea", Value: 4000, Text: "4 000 t"},
//		{Label: "diesel", Value: 500, Text: "500 t", Class: "warn"},
//	})
//	c.Table.Head = []string{"goods", "quantity"} // optional: the defaults are "" and the unit
//
// and in a page template (server/web/templates/widgets.html) {{template
// "chart" $c}}. Line charts take one or more series over the same labels
// and an optional reference line (a cap, a capacity):
//
//	svgchart.Lines("cap-2397-op5", "Refined petroleum drawn", "barrels",
//		[]string{"Jan", "Feb"}, []svgchart.Series{{Name: "drawn", Values: []float64{1e5, 2e5}, Texts: ...}},
//		&svgchart.Ref{Label: "cap", Value: 5e5, Text: "500 000"})
//
// Values are float64 for geometry only: the exact figures belong in Text,
// which is what the table and the tooltips show. Classes (bar-ok, bar-warn,
// bar-bad, series-0 ...) are styled by the page's stylesheet; no style
// attribute is written, so the strict Content-Security-Policy holds.
package svgchart

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Chart is a drawn chart and its figures.
type Chart struct {
	ID    string // unique on the page: the ids of <title> and <desc> derive from it
	Title string
	Desc  string // one sentence of what it shows, read by screen readers
	SVG   template.HTML
	Table Table
}

// Table is the figures of a chart: a head and rows of text.
type Table struct {
	Head []string
	Rows [][]string
}

// Bar is one bar: Value draws it, Text is the figure shown.
type Bar struct {
	Label string
	Value float64
	Text  string
	Class string // "ok", "warn", "bad" or "" (the default colour)
}

// Series is one line: a value per label.
type Series struct {
	Name   string
	Values []float64
	Texts  []string
}

// Ref is a horizontal reference line, such as a cap.
type Ref struct {
	Label string
	Value float64
	Text  string
}

const (
	width     = 640
	rowHeight = 26
	labelW    = 200
	valueW    = 130
	lineH     = 240
	padTop    = 16
	padBottom = 40
	padLeft   = 70
	padRight  = 16
)

func esc(s string) string { return template.HTMLEscapeString(s) }

func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

func open(b *strings.Builder, id, title, desc string, w, h int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet" aria-labelledby="%s-t %s-d">`,
		w, h, esc(id), esc(id))
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

// Bars draws a horizontal bar chart, one row per bar, longest at the
// largest value; Desc says how many bars and the unit.
func Bars(id, title, unit string, bars []Bar) Chart {
	c := Chart{ID: id, Title: title, Table: Table{Head: []string{"", unit}}}
	c.Desc = fmt.Sprintf("%s: %d bars, in %s; the figures are in the table beside it.", title, len(bars), unit)
	top := 0.0
	for _, b := range bars {
		top = math.Max(top, b.Value)
		c.Table.Rows = append(c.Table.Rows, []string{b.Label, b.Text})
	}
	h := max(1, len(bars))*rowHeight + 8
	var b strings.Builder
	open(&b, id, title, c.Desc, width, h)
	span := float64(width - labelW - valueW)
	for i, bar := range bars {
		y := 4 + i*rowHeight
		w := 0.0
		if top > 0 && bar.Value > 0 {
			w = math.Max(1, span*bar.Value/top)
		}
		cls := "bar"
		if bar.Class != "" {
			cls += " bar-" + bar.Class
		}
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+17, esc(clip(bar.Label, 30)))
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%s" height="%d"><title>%s: %s</title></rect>`,
			cls, labelW, y+3, num(w), rowHeight-8, esc(bar.Label), esc(bar.Text))
		fmt.Fprintf(&b, `<text class="value" x="%s" y="%d">%s</text>`, num(float64(labelW)+w+6), y+17, esc(bar.Text))
	}
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String())
	return c
}

// Lines draws series over the labels (the x axis, in order) with an
// optional reference line; the y axis starts at zero.
func Lines(id, title, unit string, labels []string, series []Series, ref *Ref) Chart {
	c := Chart{ID: id, Title: title}
	c.Table.Head = append(c.Table.Head, "")
	for _, s := range series {
		c.Table.Head = append(c.Table.Head, s.Name+" ("+unit+")")
	}
	if ref != nil {
		c.Table.Head = append(c.Table.Head, ref.Label+" ("+unit+")")
	}
	for i, l := range labels {
		row := []string{l}
		for _, s := range series {
			row = append(row, at(s.Texts, i))
		}
		if ref != nil {
			row = append(row, ref.Text)
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	names := make([]string, len(series))
	for i, s := range series {
		names[i] = s.Name
	}
	c.Desc = fmt.Sprintf("%s: %s over %d points, in %s", title, strings.Join(names, ", "), len(labels), unit)
	if ref != nil {
		c.Desc += fmt.Sprintf(", against the %s of %s", ref.Label, ref.Text)
	}
	c.Desc += "; the figures are in the table beside it."

	top := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			top = math.Max(top, v)
		}
	}
	if ref != nil {
		top = math.Max(top, ref.Value)
	}
	if top <= 0 {
		top = 1
	}
	top *= 1.08
	var b strings.Builder
	h := padTop + lineH + padBottom
	open(&b, id, title, c.Desc, width, h)
	plotW := float64(width - padLeft - padRight)
	x := func(i int) float64 {
		if len(labels) <= 1 {
			return float64(padLeft) + plotW/2
		}
		return float64(padLeft) + plotW*float64(i)/float64(len(labels)-1)
	}
	y := func(v float64) float64 { return float64(padTop) + float64(lineH)*(1-v/top) }
	// Axes, and the top value's tick.
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, padLeft, padTop, padLeft, padTop+lineH)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`, padLeft, padTop+lineH, width-padRight, padTop+lineH)
	fmt.Fprintf(&b, `<text class="tick" x="%d" y="%d" text-anchor="end">0</text>`, padLeft-6, padTop+lineH+4)
	step := max(1, (len(labels)+7)/8)
	for i, l := range labels {
		if i%step == 0 || i == len(labels)-1 {
			fmt.Fprintf(&b, `<text class="tick" x="%s" y="%d" text-anchor="middle">%s</text>`, num(x(i)), padTop+lineH+18, esc(clip(l, 12)))
		}
	}
	if ref != nil {
		fmt.Fprintf(&b, `<line class="ref" x1="%d" y1="%s" x2="%d" y2="%s"><title>%s: %s</title></line>`,
			padLeft, num(y(ref.Value)), width-padRight, num(y(ref.Value)), esc(ref.Label), esc(ref.Text))
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%s" text-anchor="end">%s</text>`, padLeft-6, num(y(ref.Value)+4), esc(clip(ref.Label, 10)))
	}
	for si, s := range series {
		var pts []string
		for i := range labels {
			if i < len(s.Values) {
				pts = append(pts, num(x(i))+","+num(y(s.Values[i])))
			}
		}
		fmt.Fprintf(&b, `<polyline class="series series-%d" points="%s"/>`, si%4, strings.Join(pts, " "))
		for i := range labels {
			if i < len(s.Values) {
				fmt.Fprintf(&b, `<circle class="series-%d" cx="%s" cy="%s" r="3"><title>%s, %s: %s</title></circle>`,
					si%4, num(x(i)), num(y(s.Values[i])), esc(s.Name), esc(labels[i]), esc(at(s.Texts, i)))
			}
		}
	}
	// The legend, under the axis.
	for si, s := range series {
		lx := padLeft + si*150
		fmt.Fprintf(&b, `<rect class="series-%d key" x="%d" y="%d" width="10" height="10"/><text class="tick" x="%d" y="%d">%s</text>`,
			si%4, lx, h-12, lx+14, h-3, esc(clip(s.Name, 20)))
	}
	b.WriteString(`</svg>`)
	c.SVG = template.HTML(b.String())
	return c
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return ""
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
