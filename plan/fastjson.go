package plan

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// fastJSON reads a JSON document (after its byte-order mark) into st.nodes,
// the tree jsonRoot builds (its root is node 0, and positions are counted
// from offsets: see at), and returns the document as a string, which the
// values are slices of; ok is false when the document is not valid JSON or
// holds what the fast path leaves to jsonRoot: invalid UTF-8, surrogate
// escapes, nesting deeper than maxJSONDepth. See fastyaml.go.
func fastJSON(data []byte, st *scratch) (src string, ok bool) {
	if len(data) > maxFastSize || !utf8.Valid(data) {
		return "", false
	}
	r := &fastJSONReader{s: string(data), st: st}
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(giveUp); !ok {
				panic(e)
			}
			src, ok = "", false
		}
	}()
	r.space()
	r.value(0)
	r.space()
	if r.i != len(r.s) {
		return "", false
	}
	return r.s, true
}

type fastJSONReader struct {
	s  string
	i  int
	st *scratch
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

// node pushes a node at byte off; its line and column are counted later,
// when they are needed.
func (r *fastJSONReader) node(kind yaml.Kind, tag uint8, off int) int32 {
	return r.st.push(kind, tag, 0, 0, off)
}

// scalar pushes a scalar at byte off whose value is s[off:end].
func (r *fastJSONReader) scalar(tag uint8, off, end int) int32 {
	n := r.node(yaml.ScalarNode, tag, off)
	r.st.setValue(n, off, end-off)
	return n
}

// expect consumes byte c or gives up.
func (r *fastJSONReader) expect(c byte) {
	if r.i >= len(r.s) || r.s[r.i] != c {
		panic(giveUp{})
	}
	r.i++
}

func (r *fastJSONReader) value(depth int) {
	if depth > maxJSONDepth || r.i >= len(r.s) {
		panic(giveUp{})
	}
	off := r.i
	switch c := r.s[r.i]; {
	case c == '{':
		n := r.node(yaml.MappingNode, tagMap, off)
		r.i++
		r.space()
		if r.i < len(r.s) && r.s[r.i] == '}' {
			r.i++
			return
		}
		for {
			if r.i >= len(r.s) || r.s[r.i] != '"' {
				panic(giveUp{})
			}
			r.str()
			r.space()
			r.expect(':')
			r.space()
			r.value(depth + 1)
			r.space()
			if r.i < len(r.s) && r.s[r.i] == ',' {
				r.i++
				r.space()
				continue
			}
			r.expect('}')
			r.st.closeNode(n)
			return
		}
	case c == '[':
		n := r.node(yaml.SequenceNode, tagSeq, off)
		r.i++
		r.space()
		if r.i < len(r.s) && r.s[r.i] == ']' {
			r.i++
			return
		}
		for {
			r.value(depth + 1)
			r.space()
			if r.i < len(r.s) && r.s[r.i] == ',' {
				r.i++
				r.space()
				continue
			}
			r.expect(']')
			r.st.closeNode(n)
			return
		}
	case c == '"':
		r.str()
		return
	case c == '-' || c >= '0' && c <= '9':
		float := r.number()
		tag := tagInt
		if float {
			tag = tagFloat
		}
		r.scalar(tag, off, r.i)
		return
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.i += 4
		r.scalar(tagBool, off, r.i)
		return
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.i += 5
		r.scalar(tagBool, off, r.i)
		return
	case strings.HasPrefix(r.s[r.i:], "null"):
		r.i += 4
		r.scalar(tagNull, off, r.i)
		return
	}
	panic(giveUp{})
}

// str reads a string at r.i, which is a '"', into a !!str node.
func (r *fastJSONReader) str() {
	off := r.i
	start := r.i + 1
	i := start
	// Eight bytes at a time while none can be a quote, a backslash or a
	// control character (the tests may say so of a byte that is not).
	const ones, high = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(r.s); i += 8 {
		x := uint64(r.s[i]) | uint64(r.s[i+1])<<8 | uint64(r.s[i+2])<<16 | uint64(r.s[i+3])<<24 |
			uint64(r.s[i+4])<<32 | uint64(r.s[i+5])<<40 | uint64(r.s[i+6])<<48 | uint64(r.s[i+7])<<56
		q, b := x^(ones*'"'), x^(ones*'\\')
		if ((q-ones)&^q|(b-ones)&^b|(x-ones*0x20)&^x)&high != 0 {
			break
		}
	}
	for ; i < len(r.s); i++ {
		switch c := r.s[i]; {
		case c == '"':
			r.i = i + 1
			n := r.node(yaml.ScalarNode, tagStr, off)
			r.st.setValue(n, start, i-start)
			return
		case c == '\\':
			v := r.escaped(start, i)
			r.st.setString(r.node(yaml.ScalarNode, tagStr, off), v)
			return
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
func (r *fastJSONReader) number() bool {
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
	return float
}

func digits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
