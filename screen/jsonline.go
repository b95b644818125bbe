package screen

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
)

// appendLineJSON appends the JSON of a line report to b: byte for byte
// what json.Marshal writes (TestLineJSONMatchesMarshal holds it to that,
// field by field), a few times faster, since a report's lines are most of
// the cost of answering POST /api/v1/screen. A field added to a report
// type must be added here too; that test fails until it is.
func appendLineJSON(b []byte, r *tradeplan.LineReport) ([]byte, error) {
	e := jsonAppender{b: b}
	e.raw(`{"index":`)
	e.b = strconv.AppendInt(e.b, int64(r.Index), 10)
	e.optString("pos", r.Pos)
	e.optString("direction", string(r.Direction))
	e.field("description")
	e.str(r.Description)
	e.field("origin")
	e.str(r.Origin)
	e.field("destination")
	e.str(r.Destination)
	e.optDecimal("quantity", r.Quantity)
	e.optString("unit", r.Unit)
	e.optDecimal("value", r.Value)
	e.optString("currency", r.Currency)
	if p := r.Partner; p != nil {
		e.raw(`,"partner":{"name":`)
		e.str(p.Name)
		e.optString("country", p.Country)
		e.raw("}")
	}
	if v := r.Vessel; v != nil {
		e.raw(`,"vessel":`)
		o := e.object()
		o.optString("name", v.Name)
		o.optString("imo", v.IMO)
		o.optString("flag", v.Flag)
		o.end()
	}
	e.optString("crossing", r.Crossing)
	e.raw(`,"hs":`)
	e.hs(&r.HS)
	e.field("verdict")
	e.str(r.Verdict.String())
	e.field("findings")
	if r.Findings == nil {
		e.raw("null")
	} else {
		e.raw("[")
		for i := range r.Findings {
			if i > 0 {
				e.raw(",")
			}
			e.finding(&r.Findings[i])
		}
		e.raw("]")
	}
	if f := r.Feasibility; f != nil {
		// Only reports made with a site file carry it: encoding/json is
		// fast enough for them.
		b, err := json.Marshal(f)
		if err != nil && e.err == nil {
			e.err = err
		}
		e.raw(`,"feasibility":`)
		e.b = append(e.b, b...)
	}
	e.raw("}")
	return e.b, e.err
}

type jsonAppender struct {
	b   []byte
	err error
	// first is true in an object until its first field is written (for
	// objects whose fields may all be left out).
	first bool
}

func (e *jsonAppender) raw(s string) { e.b = append(e.b, s...) }

// field writes `,"name":`, without the comma as an object's first field.
func (e *jsonAppender) field(name string) {
	if e.first {
		e.first = false
	} else {
		e.b = append(e.b, ',')
	}
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	e.b = append(e.b, '"', ':')
}

// object opens an object whose fields all may be left out; end closes it.
func (e *jsonAppender) object() *jsonAppender {
	e.raw("{")
	e.first = true
	return e
}

func (e *jsonAppender) end() {
	e.first = false
	e.raw("}")
}

func (e *jsonAppender) optString(name, s string) {
	if s != "" {
		e.field(name)
		e.str(s)
	}
}

func (e *jsonAppender) optFloat(name string, f float64) {
	if f != 0 {
		e.field(name)
		e.float(f)
	}
}

func (e *jsonAppender) optDecimal(name string, d tradeplan.Decimal) {
	if !d.IsZero() {
		e.field(name)
		e.decimal(d)
	}
}

// decimal writes a figure as a JSON number with its exact digits.
func (e *jsonAppender) decimal(d tradeplan.Decimal) { e.b = d.Append(e.b) }

func (e *jsonAppender) strings(name string, ss []string, omitEmpty bool) {
	if omitEmpty && len(ss) == 0 {
		return
	}
	e.field(name)
	if ss == nil {
		e.raw("null")
		return
	}
	e.raw("[")
	for i, s := range ss {
		if i > 0 {
			e.raw(",")
		}
		e.str(s)
	}
	e.raw("]")
}

func (e *jsonAppender) hs(h *tradeplan.HSAssignment) {
	e.raw(`{"code":`)
	e.str(h.Code)
	e.field("source")
	e.str(h.Source)
	e.field("confidence")
	e.float(h.Confidence)
	e.optString("title", h.Title)
	e.optString("note", h.Note)
	if len(h.Candidates) > 0 {
		e.raw(`,"candidates":[`)
		for i := range h.Candidates {
			c := &h.Candidates[i]
			if i > 0 {
				e.raw(",")
			}
			e.raw(`{"code":`)
			e.str(c.Code)
			e.raw(`,"level":`)
			e.b = strconv.AppendInt(e.b, int64(c.Level), 10)
			e.field("score")
			e.float(c.Score)
			e.field("title")
			e.str(c.Title)
			e.strings("evidence", c.Evidence, false)
			e.raw("}")
		}
		e.raw("]")
	}
	e.raw("}")
}

func (e *jsonAppender) finding(f *tradeplan.Finding) {
	e.raw(`{"kind":`)
	e.str(f.Kind)
	e.field("outcome")
	e.str(f.Outcome.String())
	e.field("summary")
	e.str(f.Summary)
	if b := f.Basis; b != nil {
		e.optString("rule", b.Rule)
		e.optString("regime", b.Regime)
		e.optString("resolution", b.Resolution)
		e.optString("paragraph", b.Paragraph)
		e.optString("citation", b.Citation)
		e.optString("status", b.Status)
	}
	e.strings("notes", f.Notes, true)
	e.strings("missing", f.Missing, true)
	if c := f.Cap; c != nil {
		e.raw(`,"cap":{"cap":`)
		e.str(c.Cap)
		e.field("from")
		e.time(c.From)
		e.field("to")
		e.time(c.To)
		e.field("limit")
		e.decimal(c.Limit)
		e.field("unit")
		e.str(c.Unit)
		e.field("quantity")
		e.decimal(c.Quantity)
		e.field("used")
		e.decimal(c.Used)
		e.field("remaining")
		e.decimal(c.Remaining)
		e.optDecimal("excess", c.Excess)
		e.raw("}")
	}
	if m := f.Match; m != nil {
		e.optString("list", m.List)
		e.optString("id", m.EntryID)
		e.optString("name", m.Name)
		e.optString("matched_name", m.MatchedName)
		e.optString("query", m.Query)
		e.optFloat("score", m.Score)
		e.optString("strength", m.Strength)
		e.optString("decision", m.Decision)
		e.optString("entry_version", m.EntryVersion)
	}
	e.optString("explanation", f.Explanation)
	e.raw("}")
}

var errNotFinite = errors.New("json: unsupported value: a number that is not finite")

// float writes a number as encoding/json does: the shortest decimal that
// reads back the same, in exponent form below 1e-6 and from 1e21.
func (e *jsonAppender) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.err = errNotFinite
		e.raw("0")
		return
	}
	if f == math.Trunc(f) && f != 0 && math.Abs(f) < 1e15 {
		// Whole quantities and values, the most common figures: the
		// same digits, at a fraction of the cost (zero keeps its sign
		// below).
		e.b = strconv.AppendInt(e.b, int64(f), 10)
		return
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if format == 'e' {
		// e-07 is written e-7.
		if n := len(e.b); n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
			e.b[n-2] = e.b[n-1]
			e.b = e.b[:n-1]
		}
	}
}

// time writes a time as time.Time's MarshalJSON does.
func (e *jsonAppender) time(t time.Time) {
	if y := t.Year(); y < 0 || y > 9999 {
		e.err = errors.New("json: a time whose year is outside [0,9999]")
	}
	e.b = append(e.b, '"')
	e.b = t.AppendFormat(e.b, time.RFC3339Nano)
	e.b = append(e.b, '"')
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the bytes a string holds as they are: ASCII but for
// control characters, quotes, backslashes and the HTML-escaped <, > and &.
var jsonSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// load8 reads s[i:i+8] as a little-endian word (one load, once compiled).
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// safe8 reports whether all eight bytes of w are jsonSafe: below 0x80, not
// below 0x20, and none of " & < > \. Each test finds a zero byte in a word
// made zero where a byte is one to escape, with the usual borrow trick,
// which is exact as to whether any byte is zero.
func safe8(w uint64) bool {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	zero := func(v uint64) uint64 { return (v - ones) & ^v & high }
	bad := w & high                              // not ASCII
	bad |= (w - 0x20*ones) & ^w & high           // below 0x20
	bad |= zero((w ^ 0x22*ones) & (0xfb * ones)) // " (0x22) or & (0x26)
	bad |= zero((w ^ 0x3c*ones) & (0xfd * ones)) // < (0x3c) or > (0x3e)
	bad |= zero(w ^ 0x5c*ones)                   // \
	return bad == 0
}

// str writes a string as encoding/json does by default: quoted, with <, >
// and & escaped for HTML, control characters as \n, \t or \u00XX, U+2028
// and U+2029 escaped, and invalid UTF-8 as U+FFFD.
func (e *jsonAppender) str(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Eight bytes at a time while they need no escaping: most of a
		// report is rule summaries, notes and explanations in plain ASCII.
		for i+8 <= len(s) && safe8(load8(s, i)) {
			i += 8
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if jsonSafe[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}
