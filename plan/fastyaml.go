package plan

import (
	"encoding/binary"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The fast path of the document readers.
//
// yaml.v3 builds its node tree through a general YAML scanner and parser,
// and encoding/json's tokenizer allocates for every token; for a plan posted
// to the server that was most of the request's cost. The readers in this file
// and fastjson.go take the shape plan documents are written in (block
// mappings and lists, one-line plain and quoted values, comments, one-line
// {...} mappings; strict JSON) and build the tree yaml.v3 would build, with
// the same kinds, tags, values, styles, lines and columns. At anything else,
// and at anything wrong, they give up (return nil) and Parse takes the
// general path, which also words every error. They change nothing a user
// sees but the time it takes; FuzzFastYAML and FuzzFastJSON hold them to it
// by comparing their trees with the general path's on every input.

// giveUp is panicked inside the fast readers and recovered at their entry:
// the input is outside the fast path's shape.
type giveUp struct{}

// scratch is what the fast readers allocate: tree nodes, in chunks, and
// the YAML reader's lines. Parse pools it, so that reading a document
// allocates little more than its strings; the tree is dead once the
// document parser has read it.
type scratch struct {
	chunks [][]yaml.Node
	c, i   int // the next node is chunks[c][i]
	lines  []yline
}

const chunkNodes = 64

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// getScratch returns an empty scratch from the pool.
func getScratch() *scratch {
	return scratchPool.Get().(*scratch)
}

// release returns st to the pool, unless a large document made it large.
func (st *scratch) release() {
	if len(st.chunks) > 64 || cap(st.lines) > 4096 {
		return
	}
	st.c, st.i, st.lines = 0, 0, st.lines[:0]
	scratchPool.Put(st)
}

func (st *scratch) node(kind yaml.Kind, tag, value string, line, col int) *yaml.Node {
	if st.c == len(st.chunks) {
		st.chunks = append(st.chunks, make([]yaml.Node, chunkNodes))
	}
	n := &st.chunks[st.c][st.i]
	if st.i++; st.i == chunkNodes {
		st.c, st.i = st.c+1, 0
	}
	// Field by field rather than a whole yaml.Node literal: the fields
	// the fast readers never set stay zero, and a struct copy with
	// pointers costs a bulk write barrier while the collector runs. A
	// reused node keeps the array of its children.
	n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column, n.Content = kind, 0, tag, value, line, col, n.Content[:0]
	return n
}

// scalarTag is the tag yaml.v3 resolves a plain scalar to (!!str, !!int,
// !!float, !!bool, !!null, !!timestamp, ...). Words and whole numbers are
// told here, as yaml.v3 tells them; what starts like another number, a
// date or a special float goes to yaml.v3's own resolver, reached through a
// tagless node (which allocates).
func scalarTag(v string) string {
	if v == "" {
		return "!!null"
	}
	if c := v[0]; c == '+' || c == '-' || c == '.' || c >= '0' && c <= '9' {
		if len(v) <= 18 && (c != '0' || len(v) == 1) && isDigits(v) {
			return "!!int"
		}
		n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
		return n.ShortTag()
	}
	switch v {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool"
	case "~", "null", "Null", "NULL":
		return "!!null"
	case "<<":
		return "!!merge"
	}
	return "!!str"
}

// yline is one significant line of a YAML document: not blank, not only a
// comment.
type yline struct {
	num    int    // 1-based
	indent int    // leading spaces
	text   string // the whole line, without its line break
	ascii  bool   // columns are bytes
}

type fastYAMLReader struct {
	lines []yline
	i     int // the line being read
	st    *scratch
}

// fastYAML reads a YAML plan document of the common shape into the root node
// yaml.v3 would return, or returns nil when the document is outside that
// shape.
func fastYAML(data []byte, st *scratch) (root *yaml.Node) {
	r := &fastYAMLReader{st: st}
	if !r.split(data) || len(r.lines) == 0 {
		return nil
	}
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(giveUp); !ok {
				panic(e)
			}
			root = nil
		}
	}()
	if l := r.lines[0]; l.indent == 0 && (l.text == "---" || strings.HasPrefix(l.text, "--- #")) {
		r.i++
		if len(r.lines) == 1 {
			return nil
		}
	}
	root = r.block(r.lines[r.i].indent)
	if r.i != len(r.lines) {
		return nil
	}
	return root
}

// split checks the characters of the document and cuts it into significant
// lines. It reports false for what the fast path does not take: tabs,
// carriage returns, characters YAML does not allow (left to yaml.v3 to
// report), directives and document markers.
func (r *fastYAMLReader) split(data []byte) bool {
	s := string(data)
	r.lines = r.st.lines[:0]
	defer func() { r.st.lines = r.lines }()
	for num, start := 1, 0; start < len(s); num++ {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		text := s[start:end]
		ascii := printableASCII(data[start:end])
		start = end + 1
		for i := 0; !ascii && i < len(text); i++ {
			c := text[i]
			if c-0x20 < 0x7f-0x20 {
				continue
			}
			if c < 0x80 {
				return false // tabs, control characters, CR, DEL
			}
			ru, size := utf8.DecodeRuneInString(text[i:])
			if !yamlPrintable(ru) || ru == utf8.RuneError && size == 1 {
				return false
			}
			i += size - 1
		}
		indent := 0
		for indent < len(text) && text[indent] == ' ' {
			indent++
		}
		body := text[indent:]
		if body == "" || body[0] == '#' {
			continue
		}
		if indent == 0 && (body[0] == '%' || strings.HasPrefix(body, "---") || strings.HasPrefix(body, "...")) && (num > 1 || body[0] != '-') {
			// Directives and document markers, but for a "---" that opens
			// the document, which fastYAML takes.
			return false
		}
		r.lines = append(r.lines, yline{num: num, indent: indent, text: text, ascii: ascii})
	}
	return true
}

// printableASCII reports whether every byte of s is printable ASCII (0x20
// to 0x7e), eight bytes at a time.
func printableASCII(s []byte) bool {
	const high, spaces, dels, ones = 0x8080808080808080, 0x2020202020202020, 0x7f7f7f7f7f7f7f7f, 0x0101010101010101
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64(s[i:])
		// With no high bit set, (x-spaces)&^x has a byte's high bit set
		// exactly where some byte is below 0x20, and likewise for y and
		// a byte of x equal to 0x7f.
		y := x ^ dels
		if x&high != 0 || (x-spaces)&^x&high != 0 || (y-ones)&^y&high != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i]-0x20 >= 0x7f-0x20 {
			return false
		}
	}
	return true
}

// yamlPrintable reports whether YAML allows a non-ASCII character in a
// document (the byte-order mark is left to yaml.v3).
func yamlPrintable(r rune) bool {
	return r == 0x85 || r >= 0xA0 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD && r != 0xFEFF || r >= 0x10000 && r <= 0x10FFFF
}

func (r *fastYAMLReader) node(kind yaml.Kind, tag, value string, l yline, off int) *yaml.Node {
	col := off + 1
	if !l.ascii {
		col = textColumn(l.text, off)
	}
	return r.st.node(kind, tag, value, l.num, col)
}

// textColumn is the 1-based column, in characters, of byte off of a line.
func textColumn(text string, off int) int {
	col := 1
	for i := 0; i < off; i++ {
		if text[i] < 0x80 || text[i] >= 0xC0 {
			col++
		}
	}
	return col
}

// isItem reports whether a line's text at off starts a list item ("- ").
func isItem(text string, off int) bool {
	return off < len(text) && text[off] == '-' && (off+1 == len(text) || text[off+1] == ' ')
}

// block reads the block node (a mapping or a list) that starts at the
// current line, whose indent is ind.
func (r *fastYAMLReader) block(ind int) *yaml.Node {
	l := r.lines[r.i]
	if isItem(l.text, ind) {
		return r.list(ind)
	}
	return r.mapping(ind, ind)
}

// list reads a block list whose items' "-" stand at indent ind.
func (r *fastYAMLReader) list(ind int) *yaml.Node {
	seq := r.node(yaml.SequenceNode, "!!seq", "", r.lines[r.i], ind)
	for r.i < len(r.lines) && r.lines[r.i].indent == ind && isItem(r.lines[r.i].text, ind) {
		l := r.lines[r.i]
		off := ind + 1
		for off < len(l.text) && l.text[off] == ' ' {
			off++
		}
		var item *yaml.Node
		switch {
		case off == len(l.text) || l.text[off] == '#':
			item = r.nested(ind, l, ind+1)
		case isItem(l.text, off):
			panic(giveUp{}) // a list in a list item on one line
		case l.text[off] != '{' && keyEnd(l.text, off) >= 0:
			item = r.mapping(off, off)
		default:
			item = r.inline(l, off)
			r.i++
			r.endOfValue(ind)
		}
		seq.Content = append(seq.Content, item)
	}
	return seq
}

// mapping reads a block mapping whose keys stand at indent ind; its first
// key starts at byte off of the current line (after "- " in a list item).
func (r *fastYAMLReader) mapping(ind, off int) *yaml.Node {
	m := r.node(yaml.MappingNode, "!!map", "", r.lines[r.i], off)
	for {
		l := r.lines[r.i]
		colon := keyEnd(l.text, off)
		if colon < 0 {
			panic(giveUp{})
		}
		key := r.key(l, off, colon)
		v := colon + 1
		for v < len(l.text) && l.text[v] == ' ' {
			v++
		}
		var val *yaml.Node
		if v == len(l.text) || l.text[v] == '#' {
			val = r.nested(ind, l, colon+1)
		} else {
			val = r.inline(l, v)
			r.i++
			r.endOfValue(ind)
		}
		m.Content = append(m.Content, key, val)
		if r.i == len(r.lines) {
			return m
		}
		next := r.lines[r.i]
		if next.indent != ind || isItem(next.text, ind) {
			return m
		}
		off = ind
	}
}

// nested reads the value of a key or a list item that has nothing after its
// indicator on line l: a block on the lines below, indented more than ind (a
// list may stand at ind itself under a key), or else nothing, a null at
// byte off of l.
func (r *fastYAMLReader) nested(ind int, l yline, off int) *yaml.Node {
	r.i++
	if r.i < len(r.lines) {
		next := r.lines[r.i]
		if next.indent > ind {
			return r.block(next.indent)
		}
		if next.indent == ind && isItem(next.text, ind) && !isItem(l.text, ind) {
			return r.list(ind)
		}
	}
	return r.node(yaml.ScalarNode, "!!null", "", l, off)
}

// endOfValue checks that a one-line value does not go on to the next line
// (a multi-line scalar, or bad indentation).
func (r *fastYAMLReader) endOfValue(ind int) {
	if r.i < len(r.lines) && r.lines[r.i].indent > ind {
		panic(giveUp{})
	}
}

// keyEnd returns the offset of the ':' that ends a plain or quoted key
// starting at byte off of text, or -1 when the text there is not a key.
func keyEnd(text string, off int) int {
	i := off
	if i < len(text) && (text[i] == '"' || text[i] == '\'') {
		end := quotedEnd(text, i)
		if end < 0 {
			return -1
		}
		i = end
		for i < len(text) && text[i] == ' ' {
			i++
		}
		if i < len(text) && text[i] == ':' && (i+1 == len(text) || text[i+1] == ' ') {
			return i
		}
		return -1
	}
	for {
		j := strings.IndexByte(text[i:], ':')
		if j < 0 {
			return -1
		}
		i += j
		if i+1 == len(text) || text[i+1] == ' ' {
			if commentStart(text, off) < i {
				return -1 // the colon is in a comment
			}
			return i
		}
		i++
	}
}

// commentStart returns the offset of the space before the first " #"
// comment in text at or after from, or len(text).
func commentStart(text string, from int) int {
	for i := from + 1; i < len(text); i++ {
		j := strings.IndexByte(text[i:], '#')
		if j < 0 {
			break
		}
		if i += j; text[i-1] == ' ' {
			return i - 1
		}
	}
	return len(text)
}

// key reads the key between off and the colon.
func (r *fastYAMLReader) key(l yline, off, colon int) *yaml.Node {
	if c := l.text[off]; c == '"' || c == '\'' {
		end := quotedEnd(l.text, off)
		return r.quoted(l, off, end)
	}
	k := strings.TrimRight(l.text[off:colon], " ")
	if k == "" || colon-off > 1000 || !plainStart(k) || strings.Contains(k, " #") {
		panic(giveUp{})
	}
	tag := scalarTag(k)
	if tag == "!!merge" {
		panic(giveUp{})
	}
	return r.node(yaml.ScalarNode, tag, k, l, off)
}

// plainStart reports whether s may start a plain scalar in the fast path:
// not with an indicator character.
func plainStart(s string) bool {
	switch s[0] {
	case '-', '?', ':':
		return len(s) > 1 && s[1] != ' ' && s[0] == '-'
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

// inline reads a value that stands on one line, from byte off to the end of
// the line or a comment: a {...} mapping, a quoted or a plain scalar.
func (r *fastYAMLReader) inline(l yline, off int) *yaml.Node {
	text := l.text
	var n *yaml.Node
	end := 0
	switch text[off] {
	case '{':
		n, end = r.flowMapping(l, off)
	case '"', '\'':
		end = quotedEnd(text, off)
		if end < 0 {
			panic(giveUp{})
		}
		n = r.quoted(l, off, end)
	default:
		end = commentStart(text, off)
		v := strings.TrimRight(text[off:end], " ")
		if !plainStart(v) || strings.Contains(v, ": ") || strings.HasSuffix(v, ":") {
			panic(giveUp{})
		}
		return r.node(yaml.ScalarNode, scalarTag(v), v, l, off)
	}
	// Only spaces and a comment may follow.
	for end < len(text) && text[end] == ' ' {
		end++
	}
	if end < len(text) && (text[end] != '#' || text[end-1] != ' ') {
		panic(giveUp{})
	}
	return n
}

// quotedEnd returns the offset just past the quoted scalar that starts at
// byte off of text, or -1 when it does not close on this line or holds an
// escape the fast path does not read.
func quotedEnd(text string, off int) int {
	q := text[off]
	for i := off + 1; i < len(text); i++ {
		switch text[i] {
		case '\\':
			if q == '"' {
				return -1
			}
		case q:
			if q == '\'' && i+1 < len(text) && text[i+1] == '\'' {
				i++ // '' is a quote
				continue
			}
			return i + 1
		}
	}
	return -1
}

func (r *fastYAMLReader) quoted(l yline, off, end int) *yaml.Node {
	v := l.text[off+1 : end-1]
	style := yaml.DoubleQuotedStyle
	if l.text[off] == '\'' {
		style = yaml.SingleQuotedStyle
		v = strings.ReplaceAll(v, "''", "'")
	}
	n := r.node(yaml.ScalarNode, "!!str", v, l, off)
	n.Style = style
	return n
}

// flowMapping reads a {...} mapping that closes on its line, of plain and
// quoted keys and values; it returns the node and the offset past the '}'.
func (r *fastYAMLReader) flowMapping(l yline, off int) (*yaml.Node, int) {
	text := l.text
	m := r.node(yaml.MappingNode, "!!map", "", l, off)
	m.Style = yaml.FlowStyle
	i := skipSpaces(text, off+1)
	if i < len(text) && text[i] == '}' {
		return m, i + 1
	}
	for {
		k, end := r.flowScalar(l, i)
		if k == nil || end >= len(text) || text[end] != ':' {
			panic(giveUp{})
		}
		i = end + 1
		if i < len(text) && text[i] != ' ' {
			panic(giveUp{})
		}
		i = skipSpaces(text, i)
		v, vend := r.flowScalar(l, i)
		if v == nil {
			// Nothing before the ',' or '}': a null there.
			v, vend = r.node(yaml.ScalarNode, "!!null", "", l, i), i
		}
		if k.Style == 0 && k.Tag == "!!merge" {
			panic(giveUp{})
		}
		m.Content = append(m.Content, k, v)
		i = skipSpaces(text, vend)
		if i >= len(text) {
			panic(giveUp{})
		}
		switch text[i] {
		case '}':
			return m, i + 1
		case ',':
			i = skipSpaces(text, i+1)
			if i >= len(text) || text[i] == '}' || text[i] == ',' {
				panic(giveUp{})
			}
		default:
			panic(giveUp{})
		}
	}
}

func skipSpaces(text string, i int) int {
	for i < len(text) && text[i] == ' ' {
		i++
	}
	return i
}

// flowScalar reads a plain or quoted scalar inside a {...} mapping at byte
// off; it returns nil when a ',', '}' or ':' comes first, and the offset past
// the scalar (before any spaces after it).
func (r *fastYAMLReader) flowScalar(l yline, off int) (*yaml.Node, int) {
	text := l.text
	if off >= len(text) {
		panic(giveUp{})
	}
	switch text[off] {
	case ',', '}', ':':
		return nil, off
	case '"', '\'':
		end := quotedEnd(text, off)
		if end < 0 {
			panic(giveUp{})
		}
		return r.quoted(l, off, end), skipSpaces(text, end)
	}
	end := off
	for end < len(text) {
		c := text[end]
		if c == ',' || c == '}' || c == ':' {
			break
		}
		if c == '[' || c == ']' || c == '{' || c == '#' && text[end-1] == ' ' {
			panic(giveUp{})
		}
		end++
	}
	v := strings.TrimRight(text[off:end], " ")
	if !plainStart(v) {
		panic(giveUp{})
	}
	return r.node(yaml.ScalarNode, scalarTag(v), v, l, off), end
}
