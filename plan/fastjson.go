package plan

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// fastJSON reads a JSON document (after its byte-order mark) into the tree
// jsonRoot builds, or returns nil when the document is not valid JSON or
// holds what the fast path leaves to jsonRoot: invalid UTF-8, surrogate
// escapes, nesting deeper than maxJSONDepth. See fastyaml.go.
func fastJSON(data []byte, st *scratch) (root *yaml.Node) {
	if !utf8.Valid(data) {
		return nil
	}
	r := &fastJSONReader{s: string(data), cur: cursor{data: data}, st: st}
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(giveUp); !ok {
				panic(e)
			}
			root = nil
		}
	}()
	r.space()
	root = r.value(0)
	r.space()
	if r.i != len(r.s) {
		return nil
	}
	return root
}

type fastJSONReader struct {
	s   string
	i   int
	cur cursor
	st  *scratch
}

func (r *fastJSONReader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *fastJSONReader) node(kind yaml.Kind, tag, value string, off int) *yaml.Node {
	line, col := r.cur.at(off)
	return r.st.node(kind, tag, value, line, col)
}

// expect consumes byte c or gives up.
func (r *fastJSONReader) expect(c byte) {
	if r.i >= len(r.s) || r.s[r.i] != c {
		panic(giveUp{})
	}
	r.i++
}

func (r *fastJSONReader) value(depth int) *yaml.Node {
	if depth > maxJSONDepth || r.i >= len(r.s) {
		panic(giveUp{})
	}
	off := r.i
	switch c := r.s[r.i]; {
	case c == '{':
		n := r.node(yaml.MappingNode, "!!map", "", off)
		r.i++
		r.space()
		if r.i < len(r.s) && r.s[r.i] == '}' {
			r.i++
			return n
		}
		for {
			koff := r.i
			if r.i >= len(r.s) || r.s[r.i] != '"' {
				panic(giveUp{})
			}
			k := r.node(yaml.ScalarNode, "!!str", r.str(), koff)
			r.space()
			r.expect(':')
			r.space()
			n.Content = append(n.Content, k, r.value(depth+1))
			r.space()
			if r.i < len(r.s) && r.s[r.i] == ',' {
				r.i++
				r.space()
				continue
			}
			r.expect('}')
			return n
		}
	case c == '[':
		n := r.node(yaml.SequenceNode, "!!seq", "", off)
		r.i++
		r.space()
		if r.i < len(r.s) && r.s[r.i] == ']' {
			r.i++
			return n
		}
		for {
			n.Content = append(n.Content, r.value(depth+1))
			r.space()
			if r.i < len(r.s) && r.s[r.i] == ',' {
				r.i++
				r.space()
				continue
			}
			r.expect(']')
			return n
		}
	case c == '"':
		return r.node(yaml.ScalarNode, "!!str", r.str(), off)
	case c == '-' || c >= '0' && c <= '9':
		num, float := r.number()
		tag := "!!int"
		if float {
			tag = "!!float"
		}
		return r.node(yaml.ScalarNode, tag, num, off)
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.i += 4
		return r.node(yaml.ScalarNode, "!!bool", "true", off)
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.i += 5
		return r.node(yaml.ScalarNode, "!!bool", "false", off)
	case strings.HasPrefix(r.s[r.i:], "null"):
		r.i += 4
		return r.node(yaml.ScalarNode, "!!null", "null", off)
	}
	panic(giveUp{})
}

// str reads a string at r.i, which is a '"'.
func (r *fastJSONReader) str() string {
	start := r.i + 1
	for i := start; i < len(r.s); i++ {
		switch c := r.s[i]; {
		case c == '"':
			r.i = i + 1
			return r.s[start:i]
		case c == '\\':
			return r.escaped(start, i)
		case c < 0x20:
			panic(giveUp{})
		}
	}
	panic(giveUp{})
}

// escaped reads the rest of a string that holds escapes; the first is at i.
func (r *fastJSONReader) escaped(start, i int) string {
	var b strings.Builder
	b.WriteString(r.s[start:i])
	for i < len(r.s) {
		c := r.s[i]
		switch {
		case c == '"':
			r.i = i + 1
			return b.String()
		case c < 0x20:
			panic(giveUp{})
		case c != '\\':
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(r.s) {
			panic(giveUp{})
		}
		switch e := r.s[i+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if i+6 > len(r.s) {
				panic(giveUp{})
			}
			x, err := strconv.ParseUint(r.s[i+2:i+6], 16, 16)
			if err != nil || utf8.RuneLen(rune(x)) < 0 {
				panic(giveUp{}) // not hex, or a surrogate
			}
			b.WriteRune(rune(x))
			i += 6
			continue
		default:
			panic(giveUp{})
		}
		i += 2
	}
	panic(giveUp{})
}

// number reads a JSON number at r.i and reports whether it has a fraction
// or an exponent.
func (r *fastJSONReader) number() (string, bool) {
	s, start := r.s, r.i
	i := start
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		i = digits(s, i)
	default:
		panic(giveUp{})
	}
	float := false
	if i < len(s) && s[i] == '.' {
		float = true
		if j := digits(s, i+1); j > i+1 {
			i = j
		} else {
			panic(giveUp{})
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		float = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if j := digits(s, i); j > i {
			i = j
		} else {
			panic(giveUp{})
		}
	}
	r.i = i
	return s[start:i], float
}

func digits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
