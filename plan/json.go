package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
	"go.yaml.in/yaml/v3"
)

// jsonRoot parses a JSON document into the same node tree the YAML parser
// makes, with the line and column of every value, so that one validator
// serves both. It reads strict JSON through encoding/json's tokenizer: YAML
// syntax (comments, unquoted strings, anchors) in a .json file is a problem.
func jsonRoot(data []byte, file string) (*yaml.Node, tradeplan.Problems) {
	// Editors on Windows often start a UTF-8 file with a byte-order mark,
	// which JSON does not allow and nobody sees.
	data = bytes.TrimPrefix(data, bom)
	if utf16Start(string(data[:min(len(data), 2)])) {
		return nil, tradeplan.Problems{{Pos: tradeplan.Position{File: file, Line: 1, Column: 1}, Message: "the document is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"}}
	}
	b := &jsonBuilder{data: data, file: file, dec: json.NewDecoder(bytes.NewReader(data)), cur: cursor{data: data}}
	b.dec.UseNumber()
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, tradeplan.Problems{{Pos: tradeplan.Position{File: file, Line: 1, Column: 1}, Message: "empty document; expected an object with plan and lines"}}
	}
	root, err := b.value(0)
	if err == nil {
		off := b.skip(int(b.dec.InputOffset()))
		if _, terr := b.dec.Token(); terr != io.EOF {
			err = &jsonError{off: off, msg: "unexpected data after the end of the document"}
		}
	}
	if err != nil {
		var je *jsonError
		if !errors.As(err, &je) {
			// The tokenizer's offsets are those of its reads; the plain
			// decoder's scanner names the offending byte exactly.
			var v any
			if uerr := json.Unmarshal(data, &v); uerr != nil {
				err = uerr
			}
		}
		return nil, tradeplan.Problems{b.problem(err)}
	}
	return root, nil
}

// bom is the UTF-8 byte-order mark.
var bom = []byte("\ufeff")

type jsonBuilder struct {
	data []byte
	file string
	dec  *json.Decoder
	cur  cursor
}

type jsonError struct {
	off int
	msg string
}

func (e *jsonError) Error() string { return e.msg }

const maxJSONDepth = 64

// skip returns the offset of the next token at or after off.
func (b *jsonBuilder) skip(off int) int {
	for off < len(b.data) {
		switch b.data[off] {
		case ' ', '\t', '\n', '\r', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// cursor turns byte offsets of a document into lines and columns (1-based,
// columns in characters). Offsets usually grow from call to call; the count
// goes on from the last, so that a document of any size, even on one line,
// is counted once.
type cursor struct {
	data           []byte
	off, line, col int
}

func (c *cursor) at(off int) (line, col int) {
	if off > len(c.data) {
		off = len(c.data)
	}
	if off < c.off || c.line == 0 {
		c.off, c.line, c.col = 0, 1, 1
	}
	for _, ch := range c.data[c.off:off] {
		switch {
		case ch == '\n':
			c.line++
			c.col = 1
		case ch&0xC0 != 0x80: // not a UTF-8 continuation byte: a new character
			c.col++
		}
	}
	c.off = off
	return c.line, c.col
}

func (b *jsonBuilder) node(off int, n *yaml.Node) *yaml.Node {
	n.Line, n.Column = b.cur.at(off)
	return n
}

func (b *jsonBuilder) value(depth int) (*yaml.Node, error) {
	if depth > maxJSONDepth {
		return nil, &jsonError{off: int(b.dec.InputOffset()), msg: "nested too deeply"}
	}
	off := b.skip(int(b.dec.InputOffset()))
	tok, err := b.dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := b.node(off, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			for b.dec.More() {
				koff := b.skip(int(b.dec.InputOffset()))
				kt, err := b.dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, &jsonError{off: koff, msg: "expected a field name in double quotes"}
				}
				key = b.rawIfInvalid(koff, key)
				k := b.node(koff, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key})
				v, err := b.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k, v)
			}
			if _, err := b.dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		case '[':
			n := b.node(off, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
			for b.dec.More() {
				v, err := b.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
			if _, err := b.dec.Token(); err != nil {
				return nil, err
			}
			return n, nil
		}
		return nil, &jsonError{off: off, msg: "unexpected " + t.String()}
	case string:
		return b.node(off, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: b.rawIfInvalid(off, t)}), nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(string(t), ".eE") {
			tag = "!!float"
		}
		return b.node(off, &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(t)}), nil
	case bool:
		v := "false"
		if t {
			v = "true"
		}
		return b.node(off, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v}), nil
	case nil:
		return b.node(off, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}), nil
	}
	return nil, &jsonError{off: off, msg: "unexpected token"}
}

// rawIfInvalid returns the string token s that starts at byte off, or,
// when its bytes in the document are not valid UTF-8 (which encoding/json
// replaces with U+FFFD without a word), those bytes between its quotes:
// then the field's text check reports the invalid UTF-8 at its field, as
// the YAML reader does.
func (b *jsonBuilder) rawIfInvalid(off int, s string) string {
	if !strings.ContainsRune(s, utf8.RuneError) {
		return s
	}
	end := int(b.dec.InputOffset())
	if off < 0 || end > len(b.data) || end-off < 2 {
		return s
	}
	if raw := b.data[off:end]; !utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1])
	}
	return s
}

func (b *jsonBuilder) problem(err error) tradeplan.Problem {
	var je *jsonError
	var se *json.SyntaxError
	off, msg := len(b.data), err.Error()
	switch {
	case errors.As(err, &je):
		off, msg = je.off, je.msg
	case errors.As(err, &se):
		// The offset is just past the offending byte.
		off, msg = int(se.Offset)-1, strings.TrimPrefix(se.Error(), "json: ")
		if strings.Contains(msg, "unexpected end") {
			off = len(b.data)
		}
		if off < 0 {
			off = 0
		}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		msg = "unexpected end of the document"
	}
	line, col := b.cur.at(off)
	return tradeplan.Problem{Pos: tradeplan.Position{File: b.file, Line: line, Column: col}, Message: "JSON syntax: " + msg}
}
