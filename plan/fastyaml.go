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
// the same kinds, tags, values, styles, lines and columns, as a flat array
// of pointer-free nodes (fnode) that the fast document parser (fastdoc.go)
// reads. At anything else, and at anything wrong, they give up (report
// false) and Parse takes the general path, which also words every error.
// They change nothing a user sees but the time it takes; FuzzFastYAML,
// FuzzFastJSON and FuzzFlatDoc hold them to it by comparing their trees and
// plans with the general path's on every input.

// giveUp is panicked inside the fast readers and recovered at their entry:
// the input is outside the fast path's shape.
type giveUp struct{}

// fnode is a node of the tree the fast readers build: the kind, tag, value,
// style, line and column yaml.v3 would give the node, in a flat array in
// document order, without pointers (so that building it costs no write
// barriers and the collector need not scan it). A node's children follow it;
// end is the index past its last descendant. The value is src[v:v+vlen], or
// strs[v] when vlen is negative (a value that is not a slice of the
// document: a quoted scalar with escapes). Line 0 means the position is to be
// counted from off, the node's byte offset (the JSON reader).
type fnode struct {
	kind, tag, style uint8
	line, col        int32
	off              int32
	v, vlen          int32
	end              int32
}

// The tags of fnodes.
const (
	tagNone uint8 = iota
	tagNull
	tagBool
	tagInt
	tagFloat
	tagStr
	tagTimestamp
	tagBinary
	tagMerge
	tagMap
	tagSeq
)

var tagNames = [...]string{"", "!!null", "!!bool", "!!int", "!!float", "!!str", "!!timestamp", "!!binary", "!!merge", "!!map", "!!seq"}

// tagID returns the fnode tag of a yaml.v3 short tag, or tagNone.
func tagID(tag string) uint8 {
	for i, t := range tagNames {
		if t == tag && i > 0 {
			return uint8(i)
		}
	}
	return tagNone
}

// scratch is what the fast readers allocate: the flat tree, the values that
// are not slices of the document, and the YAML reader's lines. Parse pools
// it, so that reading a document allocates little more than its strings; the
// tree is dead once the document parser has read it.
type scratch struct {
	nodes []fnode
	strs  []string
	lines []yline
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// getScratch returns an empty scratch from the pool.
func getScratch() *scratch {
	return scratchPool.Get().(*scratch)
}

// release returns st to the pool, unless a large document made it large.
func (st *scratch) release() {
	if cap(st.nodes) > 8192 || cap(st.lines) > 4096 || cap(st.strs) > 1024 {
		return
	}
	clear(st.strs)
	st.nodes, st.strs, st.lines = st.nodes[:0], st.strs[:0], st.lines[:0]
	scratchPool.Put(st)
}

// push appends a node and returns its index; its end is set past it (a
// mapping or a list sets it again after its children).
func (st *scratch) push(kind yaml.Kind, tag uint8, line, col, off int) int32 {
	i := int32(len(st.nodes))
	st.nodes = append(st.nodes, fnode{kind: uint8(kind), tag: tag, line: int32(line), col: int32(col), off: int32(off), end: i + 1})
	return i
}

// setValue gives node i the value src[off:off+n].
func (st *scratch) setValue(i int32, off, n int) {
	st.nodes[i].v, st.nodes[i].vlen = int32(off), int32(n)
}

// setString gives node i a value that is not a slice of the document.
func (st *scratch) setString(i int32, s string) {
	st.nodes[i].v, st.nodes[i].vlen = int32(len(st.strs)), -1
	st.strs = append(st.strs, s)
}

// closeNode sets the end of node i past the nodes pushed since.
func (st *scratch) closeNode(i int32) {
	st.nodes[i].end = int32(len(st.nodes))
}

// value returns the value of node i of a tree read from src.
func (st *scratch) value(src string, i int32) string {
	n := &st.nodes[i]
	if n.vlen < 0 {
		return st.strs[n.v]
	}
	return src[n.v : n.v+n.vlen]
}

// maxFastSize is the largest document the fast readers take (offsets are
// int32).
const maxFastSize = 1<<31 - 1

// scalarTag is the tag yaml.v3 resolves a plain scalar to (!!str, !!int,
// !!float, !!bool, !!null, !!timestamp, ...). Words and whole numbers are
// told here, as yaml.v3 tells them; what starts like another number, a
// date or a special float goes to yaml.v3's own resolver, reached through a
// tagless node (which allocates).
func scalarTag(v string) string { return tagNames[scalarTagID(v)] }

// scalarTagID is scalarTag as an fnode tag; tagNone for a tag fnodes do not
// name.
func scalarTagID(v string) uint8 {
	if v == "" {
		return tagNull
	}
	if c := v[0]; c == '+' || c == '-' || c == '.' || c >= '0' && c <= '9' {
		if len(v) <= 18 && (c != '0' || len(v) == 1) && isDigits(v) {
			return tagInt
		}
		n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
		return tagID(n.ShortTag())
	}
	if len(v) > 5 {
		return tagStr // longer than any word below
	}
	switch v {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return tagBool
	case "~", "null", "Null", "NULL":
		return tagNull
	case "<<":
		return tagMerge
	}
	return tagStr
}

// yline is one significant line of a YAML document: not blank, not only a
// comment.
type yline struct {
	num        int32 // 1-based
	indent     int32 // leading spaces
	start, end int32 // the whole line, without its line break
	ascii      bool  // columns are bytes
}

type fastYAMLReader struct {
	s     string // the document
	lines []yline
	i     int // the line being read
	st    *scratch
}

// text returns the text of line l.
func (r *fastYAMLReader) text(l yline) string { return r.s[l.start:l.end] }

// fastYAML reads a YAML plan document of the common shape into st.nodes, the
// tree yaml.v3 would return (its root is node 0), and returns the document as
// a string, which the values are slices of; ok is false when the document is
// outside that shape.
func fastYAML(data []byte, st *scratch) (src string, ok bool) {
	if len(data) > maxFastSize {
		return "", false
	}
	r := &fastYAMLReader{st: st}
	if !r.split(data) || len(r.lines) == 0 {
		return "", false
	}
	defer func() {
		if e := recover(); e != nil {
			if _, ok := e.(giveUp); !ok {
				panic(e)
			}
			src, ok = "", false
		}
	}()
	if l := r.lines[0]; l.indent == 0 {
		if t := r.text(l); t == "---" || strings.HasPrefix(t, "--- #") {
			r.i++
			if len(r.lines) == 1 {
				return "", false
			}
		}
	}
	r.block(int(r.lines[r.i].indent))
	if r.i != len(r.lines) {
		return "", false
	}
	return r.s, true
}

// split checks the characters of the document and cuts it into significant
// lines. It reports false for what the fast path does not take: tabs,
// carriage returns, characters YAML does not allow (left to yaml.v3 to
// report), directives and document markers.
func (r *fastYAMLReader) split(data []byte) bool {
	s := string(data)
	r.s = s
	r.lines = r.st.lines[:0]
	defer func() { r.st.lines = r.lines }()
	plain := plainText(data)
	for num, start := 1, 0; start < len(s); num++ {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		text := s[start:end]
		ascii := plain || printableASCII(data[start:end])
		lstart := start
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
		r.lines = append(r.lines, yline{num: int32(num), indent: int32(indent), start: int32(lstart), end: int32(end), ascii: ascii})
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

// plainText reports whether every byte of s is printable ASCII or a line
// feed: then so is every line. Each test is made on the eight bytes of a
// word at once, exactly when no byte has its high bit set: (b|0x80)-c and
// b+1 cannot carry into the next byte then (and when some byte has it, acc
// says so).
func plainText(s []byte) bool {
	const high, spaces, lfs, ones = 0x8080808080808080, 0x2020202020202020, 0x0a0a0a0a0a0a0a0a, 0x0101010101010101
	var acc, bad uint64
	// High bit set per byte: b >= 0x20 and b != 0x7f, or b == '\n'.
	good := func(x uint64) uint64 { return ((x|high)-spaces)&^(x+ones) | ^(((x ^ lfs) | high) - ones) }
	for len(s) >= 32 {
		x0, x1 := binary.LittleEndian.Uint64(s), binary.LittleEndian.Uint64(s[8:])
		x2, x3 := binary.LittleEndian.Uint64(s[16:]), binary.LittleEndian.Uint64(s[24:32])
		acc |= x0 | x1 | x2 | x3
		bad |= ^(good(x0) & good(x1) & good(x2) & good(x3))
		s = s[32:]
	}
	for len(s) >= 8 {
		x := binary.LittleEndian.Uint64(s)
		acc |= x
		bad |= ^good(x)
		s = s[8:]
	}
	i := 0
	if (acc|bad)&high != 0 {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] != '\n' && s[i]-0x20 >= 0x7f-0x20 {
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

// node pushes a node that stands at byte off of line l.
func (r *fastYAMLReader) node(kind yaml.Kind, tag uint8, l yline, off int) int32 {
	col := off + 1
	if !l.ascii {
		col = textColumn(r.text(l), off)
	}
	return r.st.push(kind, tag, int(l.num), col, int(l.start)+off)
}

// scalar pushes a scalar whose value is bytes [off, off+n) of line l.
func (r *fastYAMLReader) scalar(tag uint8, l yline, off, n int) int32 {
	if tag == tagNone {
		panic(giveUp{})
	}
	col := off + 1
	if !l.ascii {
		col = textColumn(r.text(l), off)
	}
	i := int32(len(r.st.nodes))
	at := l.start + int32(off)
	r.st.nodes = append(r.st.nodes, fnode{kind: uint8(yaml.ScalarNode), tag: tag, line: l.num, col: int32(col), off: at, v: at, vlen: int32(n), end: i + 1})
	return i
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
func (r *fastYAMLReader) block(ind int) {
	l := r.lines[r.i]
	if isItem(r.text(l), ind) {
		r.list(ind)
		return
	}
	r.mapping(ind, ind)
}

// list reads a block list whose items' "-" stand at indent ind.
func (r *fastYAMLReader) list(ind int) {
	seq := r.node(yaml.SequenceNode, tagSeq, r.lines[r.i], ind)
	for r.i < len(r.lines) && int(r.lines[r.i].indent) == ind && isItem(r.text(r.lines[r.i]), ind) {
		l := r.lines[r.i]
		text := r.text(l)
		off := ind + 1
		for off < len(text) && text[off] == ' ' {
			off++
		}
		switch {
		case off == len(text) || text[off] == '#':
			r.nested(ind, l, ind+1)
		case isItem(text, off):
			panic(giveUp{}) // a list in a list item on one line
		case text[off] != '{' && keyEnd(text, off) >= 0:
			r.mapping(off, off)
		default:
			r.inline(l, off)
			r.i++
			r.endOfValue(ind)
		}
	}
	r.st.closeNode(seq)
}

// mapping reads a block mapping whose keys stand at indent ind; its first
// key starts at byte off of the current line (after "- " in a list item).
func (r *fastYAMLReader) mapping(ind, off int) {
	m := r.node(yaml.MappingNode, tagMap, r.lines[r.i], off)
	for {
		l := r.lines[r.i]
		text := r.text(l)
		colon := simpleKey(text, off)
		if colon >= 0 {
			r.scalar(scalarTagID(text[off:colon]), l, off, colon-off)
		} else {
			if colon = keyEnd(text, off); colon < 0 {
				panic(giveUp{})
			}
			r.key(l, off, colon)
		}
		v := colon + 1
		for v < len(text) && text[v] == ' ' {
			v++
		}
		if v == len(text) || text[v] == '#' {
			r.nested(ind, l, colon+1)
		} else {
			r.inline(l, v)
			r.i++
			r.endOfValue(ind)
		}
		if r.i == len(r.lines) {
			r.st.closeNode(m)
			return
		}
		next := r.lines[r.i]
		if int(next.indent) != ind || isItem(r.text(next), ind) {
			r.st.closeNode(m)
			return
		}
		off = ind
	}
}

// nested reads the value of a key or a list item that has nothing after its
// indicator on line l: a block on the lines below, indented more than ind (a
// list may stand at ind itself under a key), or else nothing, a null at
// byte off of l.
func (r *fastYAMLReader) nested(ind int, l yline, off int) {
	r.i++
	if r.i < len(r.lines) {
		next := r.lines[r.i]
		if int(next.indent) > ind {
			r.block(int(next.indent))
			return
		}
		if int(next.indent) == ind && isItem(r.text(next), ind) && !isItem(r.text(l), ind) {
			r.list(ind)
			return
		}
	}
	r.scalar(tagNull, l, off, 0)
}

// endOfValue checks that a one-line value does not go on to the next line
// (a multi-line scalar, or bad indentation).
func (r *fastYAMLReader) endOfValue(ind int) {
	if r.i < len(r.lines) && int(r.lines[r.i].indent) > ind {
		panic(giveUp{})
	}
}

// keyChars are the characters of a simple key.
var keyChars = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	return t
}()

// simpleKey returns the offset of the colon after a key of letters,
// digits and '_' at byte off of text (at most 1000 of them), or -1 when the
// text there is not such a key followed by ':' and a space or the end of
// the line: then keyEnd and key read it. For a simple key they would find
// the same colon and take the whole key as it stands.
func simpleKey(text string, off int) int {
	i := off
	for i < len(text) && keyChars[text[i]] {
		i++
	}
	if i == off || i-off > 1000 || i == len(text) || text[i] != ':' || i+1 < len(text) && text[i+1] != ' ' {
		return -1
	}
	return i
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
	for ; i < len(text); i++ {
		switch text[i] {
		case ':':
			if i+1 == len(text) || text[i+1] == ' ' {
				return i
			}
		case '#':
			if i > off && text[i-1] == ' ' {
				return -1 // a comment before any colon
			}
		}
	}
	return -1
}

// key reads the key between off and the colon.
func (r *fastYAMLReader) key(l yline, off, colon int) {
	text := r.text(l)
	if c := text[off]; c == '"' || c == '\'' {
		end := quotedEnd(text, off)
		r.quoted(l, off, end)
		return
	}
	end := colon
	for end > off && text[end-1] == ' ' {
		end--
	}
	k := text[off:end]
	// k holds no " #": keyEnd found none before the colon.
	if k == "" || colon-off > 1000 || !plainStart(k) {
		panic(giveUp{})
	}
	tag := scalarTagID(k)
	if tag == tagMerge {
		panic(giveUp{})
	}
	r.scalar(tag, l, off, len(k))
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
func (r *fastYAMLReader) inline(l yline, off int) {
	text := r.text(l)
	end := 0
	switch text[off] {
	case '{':
		end = r.flowMapping(l, off)
	case '"', '\'':
		end = quotedEnd(text, off)
		if end < 0 {
			panic(giveUp{})
		}
		r.quoted(l, off, end)
	default:
		// The value ends at a comment (a " #"); a ": " before it, or a
		// ':' at its end, would make it a mapping.
		end = len(text)
		for i := off; i < len(text); i++ {
			switch text[i] {
			case '#':
				if i > off && text[i-1] == ' ' {
					end = i - 1
					i = len(text)
				}
			case ':':
				if i+1 == len(text) || text[i+1] == ' ' {
					panic(giveUp{})
				}
			}
		}
		for end > off && text[end-1] == ' ' {
			end--
		}
		v := text[off:end]
		if !plainStart(v) {
			panic(giveUp{})
		}
		r.scalar(scalarTagID(v), l, off, len(v))
		return
	}
	// Only spaces and a comment may follow.
	for end < len(text) && text[end] == ' ' {
		end++
	}
	if end < len(text) && (text[end] != '#' || text[end-1] != ' ') {
		panic(giveUp{})
	}
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

func (r *fastYAMLReader) quoted(l yline, off, end int) {
	text := r.text(l)
	v := text[off+1 : end-1]
	n := r.node(yaml.ScalarNode, tagStr, l, off)
	if text[off] == '\'' {
		r.st.nodes[n].style = uint8(yaml.SingleQuotedStyle)
		if strings.Contains(v, "''") {
			r.st.setString(n, strings.ReplaceAll(v, "''", "'"))
			return
		}
	} else {
		r.st.nodes[n].style = uint8(yaml.DoubleQuotedStyle)
	}
	r.st.setValue(n, int(l.start)+off+1, len(v))
}

// flowMapping reads a {...} mapping that closes on its line, of plain and
// quoted keys and values; it returns the offset past the '}'.
func (r *fastYAMLReader) flowMapping(l yline, off int) int {
	text := r.text(l)
	m := r.node(yaml.MappingNode, tagMap, l, off)
	r.st.nodes[m].style = uint8(yaml.FlowStyle)
	i := skipSpaces(text, off+1)
	if i < len(text) && text[i] == '}' {
		return i + 1
	}
	for {
		k, end := r.flowScalar(l, i)
		if k < 0 || end >= len(text) || text[end] != ':' {
			panic(giveUp{})
		}
		if kn := r.st.nodes[k]; kn.style == 0 && kn.tag == tagMerge {
			panic(giveUp{})
		}
		i = end + 1
		if i < len(text) && text[i] != ' ' {
			panic(giveUp{})
		}
		i = skipSpaces(text, i)
		v, vend := r.flowScalar(l, i)
		if v < 0 {
			// Nothing before the ',' or '}': a null there.
			r.scalar(tagNull, l, i, 0)
			vend = i
		}
		i = skipSpaces(text, vend)
		if i >= len(text) {
			panic(giveUp{})
		}
		switch text[i] {
		case '}':
			r.st.closeNode(m)
			return i + 1
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

// flowSpecial marks the characters that end or stop a plain scalar in a
// {...} mapping (flowScalar).
var flowSpecial = [256]bool{',': true, '}': true, ':': true, '[': true, ']': true, '{': true, '#': true, '?': true}

func skipSpaces(text string, i int) int {
	for i < len(text) && text[i] == ' ' {
		i++
	}
	return i
}

// flowScalar reads a plain or quoted scalar inside a {...} mapping at byte
// off; it returns -1 (and pushes nothing) when a ',', '}' or ':' comes first,
// and the offset past the scalar (before any spaces after it).
func (r *fastYAMLReader) flowScalar(l yline, off int) (int32, int) {
	text := r.text(l)
	if off >= len(text) {
		panic(giveUp{})
	}
	switch text[off] {
	case ',', '}', ':':
		return -1, off
	case '"', '\'':
		end := quotedEnd(text, off)
		if end < 0 {
			panic(giveUp{})
		}
		n := int32(len(r.st.nodes))
		r.quoted(l, off, end)
		return n, skipSpaces(text, end)
	}
	end := off
	for end < len(text) {
		c := text[end]
		if !flowSpecial[c] {
			end++
			continue
		}
		if c == ',' || c == '}' || c == ':' {
			break
		}
		// yaml.v3 takes no '?' in a plain scalar in a {...} mapping.
		if c == '[' || c == ']' || c == '{' || c == '?' || c == '#' && text[end-1] == ' ' {
			panic(giveUp{})
		}
		end++
	}
	vend := end
	for vend > off && text[vend-1] == ' ' {
		vend--
	}
	v := text[off:vend]
	if !plainStart(v) {
		panic(giveUp{})
	}
	return r.scalar(scalarTagID(v), l, off, len(v)), end
}
