package plan

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"io"
	"math/bits"
	"unsafe"
)

// splitter splits CSV records the way encoding/csv does with Comma ',', no
// comment character, FieldsPerRecord -1, LazyQuotes and TrimLeadingSpace
// off, and ReuseRecord on: the same records, the same errors at the same
// places (FuzzSplitter holds it to that). It is faster on the rows a
// customs export mostly has, rows without any quote: it finds the commas in
// one string made from the line, where encoding/csv checks every field for
// a quote and copies the fields into a buffer first. Rows with quotes take
// the general path.
type splitter struct {
	br      *bufio.Reader
	numLine int    // lines read so far
	raw     []byte // a line longer than the bufio buffer
	buf     []byte // the unquoted bytes of a record with quotes
	ends    []int  // field ends in buf
	rec     []string
	pos     []fieldPos // where each field of rec starts
	// views makes the fields of a record without quotes views of the
	// line's bytes in the reader's buffer (view), valid until the next
	// read, instead of slices of a string made per line: a caller that
	// keeps a field copies it (CSVReader.own).
	views bool
	view  []byte
}

type fieldPos struct{ line, col int }

// splitError is a CSV syntax error: where, and which of csv.ErrQuote and
// csv.ErrBareQuote.
type splitError struct {
	line, col int
	err       error
}

func (e *splitError) Error() string { return e.err.Error() }

func newSplitter(r io.Reader) *splitter {
	return newSplitterSize(r, splitBuffer)
}

// splitBuffer is the size of a splitter's buffer; a longer line is read
// into raw.
const splitBuffer = 64 << 10

// newSplitterSize returns a splitter whose buffer holds size bytes (at most
// splitBuffer): an input known to be smaller needs no more.
func newSplitterSize(r io.Reader, size int) *splitter {
	return &splitter{br: bufio.NewReaderSize(r, min(size, splitBuffer))}
}

// inView reports whether f is (a part of) the bytes of the last record
// read as views: a field that changes with the next read.
func (s *splitter) inView(f string) bool {
	if len(s.view) == 0 || len(f) == 0 {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(f)))
	start := uintptr(unsafe.Pointer(&s.view[0]))
	return p >= start && p < start+uintptr(len(s.view))
}

// fieldPos returns the line and column (1-based, in bytes) where field i of
// the last record starts.
func (s *splitter) fieldPos(i int) (line, col int) {
	if i < 0 || i >= len(s.pos) {
		return s.numLine, 1
	}
	return s.pos[i].line, s.pos[i].col
}

// readLine returns the next line with its newline, "\r\n" turned into "\n",
// and a "\r" just before the end of the input dropped.
func (s *splitter) readLine() ([]byte, error) {
	line, err := s.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.raw = append(s.raw[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = s.br.ReadSlice('\n')
			s.raw = append(s.raw, line...)
		}
		line = s.raw
	}
	if len(line) > 0 && err == io.EOF {
		err = nil
		if line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
	}
	s.numLine++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

func endsNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// read returns the next record, skipping empty lines, or io.EOF. After a
// syntax error (*splitError) the rest of the line is dropped and the next
// read starts on the next line.
func (s *splitter) read() ([]string, error) {
	var line []byte
	var errRead error
	for {
		line, errRead = s.readLine()
		if errRead == nil && len(line) == endsNL(line) {
			continue
		}
		break
	}
	if errRead == io.EOF {
		return nil, io.EOF
	}
	s.rec, s.pos, s.view = s.rec[:0], s.pos[:0], nil
	if bytes.IndexByte(line, '"') >= 0 {
		err := s.readQuoted(line, errRead)
		return s.rec, err
	}
	recLine := s.numLine
	body := line[:len(line)-endsNL(line)]
	var str string
	if s.views && len(body) > 0 {
		str, s.view = unsafe.String(&body[0], len(body)), body
	} else {
		str = string(body)
	}
	// Fields are short: eight bytes are looked at a time (commaBits), where
	// a call to IndexByte per field costs more than it saves.
	start, i := 0, 0
	for ; i+8 <= len(body); i += 8 {
		for m := commaBits(binary.LittleEndian.Uint64(body[i:])); m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)>>3
			s.rec = append(s.rec, str[start:j])
			s.pos = append(s.pos, fieldPos{recLine, start + 1})
			start = j + 1
		}
	}
	for ; i < len(str); i++ {
		if str[i] == ',' {
			s.rec = append(s.rec, str[start:i])
			s.pos = append(s.pos, fieldPos{recLine, start + 1})
			start = i + 1
		}
	}
	s.rec = append(s.rec, str[start:])
	s.pos = append(s.pos, fieldPos{recLine, start + 1})
	return s.rec, errRead
}

// commaBits returns the high bit of each byte of x (eight bytes of a line,
// the first lowest) that is a comma, and no other bit: exact for every
// byte, not only the first comma (the shorter test with x - 0x01..01
// borrows from a comma into a '-' after it).
func commaBits(x uint64) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	x ^= 0x2c2c2c2c2c2c2c2c // a comma is now a zero byte
	return ^((x&low7 + low7) | x | low7)
}

// readQuoted parses a record that has a quote somewhere, field by field:
// an unquoted field must have none; a quoted field runs to its closing
// quote, which a comma or the end of the line must follow, over as many
// lines as it takes, with "" standing for one quote.
func (s *splitter) readQuoted(line []byte, errRead error) error {
	s.buf, s.ends = s.buf[:0], s.ends[:0]
	p := fieldPos{s.numLine, 1}
	var err error
fields:
	for {
		if len(line) == 0 || line[0] != '"' {
			i := bytes.IndexByte(line, ',')
			f := line
			if i >= 0 {
				f = f[:i]
			} else {
				f = f[:len(f)-endsNL(f)]
			}
			if j := bytes.IndexByte(f, '"'); j >= 0 {
				err = &splitError{line: s.numLine, col: p.col + j, err: csv.ErrBareQuote}
				break fields
			}
			s.buf = append(s.buf, f...)
			s.ends = append(s.ends, len(s.buf))
			s.pos = append(s.pos, p)
			if i < 0 {
				break fields
			}
			line = line[i+1:]
			p.col += i + 1
			continue
		}
		start := p
		line = line[1:]
		p.col++
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				s.buf = append(s.buf, line[:i]...)
				line = line[i+1:]
				p.col += i + 1
				switch {
				case len(line) > 0 && line[0] == '"':
					s.buf = append(s.buf, '"')
					line = line[1:]
					p.col++
					continue
				case len(line) > 0 && line[0] == ',':
					line = line[1:]
					p.col++
					s.ends = append(s.ends, len(s.buf))
					s.pos = append(s.pos, start)
					continue fields
				case len(line) == endsNL(line):
					s.ends = append(s.ends, len(s.buf))
					s.pos = append(s.pos, start)
					break fields
				default:
					err = &splitError{line: s.numLine, col: p.col - 1, err: csv.ErrQuote}
					break fields
				}
			case len(line) > 0:
				// The field goes on over the line break.
				s.buf = append(s.buf, line...)
				if errRead != nil {
					break fields
				}
				p.col += len(line)
				line, errRead = s.readLine()
				if len(line) > 0 {
					p.line++
					p.col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default:
				// The input ends inside the quotes.
				if errRead == nil {
					err = &splitError{line: p.line, col: p.col, err: csv.ErrQuote}
					break fields
				}
				s.ends = append(s.ends, len(s.buf))
				s.pos = append(s.pos, start)
				break fields
			}
		}
	}
	if err == nil {
		err = errRead
	}
	str := string(s.buf)
	prev := 0
	for _, e := range s.ends {
		s.rec = append(s.rec, str[prev:e])
		prev = e
	}
	return err
}
