package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
)

// Text from clients is checked by tradeplan.CheckText before anything reads
// it: the path and query of every request (ServeHTTP), every string of every
// JSON body (decodeJSON), every field of every form (parseForm), and plan
// documents by package plan. A NUL, a control character or invalid UTF-8
// is then a 400 at its field on both engines, rather than a 500 from
// PostgreSQL or text silently replaced by encoding/json.

// multilineFields are the JSON and form fields that may hold tabs and line
// breaks: free text. Every other string is a name, an id, a code or a
// reference, on one line.
var multilineFields = []string{"guidance", "reason", "description", "purpose", "document", "password"}

func textError(path, msg string) error {
	return &tradeplan.Error{Code: tradeplan.EInvalid, Message: path + ": " + msg,
		Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: path}, Message: msg}}}
}

// checkRequestText checks the request's path and query parameters.
func checkRequestText(r *http.Request) error {
	if msg := tradeplan.CheckText(r.URL.Path, false); msg != "" {
		return textError("path", msg)
	}
	if r.URL.RawQuery == "" {
		return nil
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil // query() words it
	}
	return checkValues(q)
}

// checkValues checks query or form values, in the order of their names.
func checkValues(vs url.Values) error {
	names := make([]string, 0, len(vs))
	for k := range vs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if msg := tradeplan.CheckText(k, false); msg != "" {
			return textError(strconv.QuoteToASCII(k), msg)
		}
		for _, v := range vs[k] {
			if msg := tradeplan.CheckText(v, slices.Contains(multilineFields, k)); msg != "" {
				return textError(k, msg)
			}
		}
	}
	return nil
}

// checkJSONText checks every string (names and values) of a JSON body and
// returns an EInvalid error at the path of the first bad one (names[1],
// partner.name). Syntax errors are left to the decoder.
func checkJSONText(body []byte) error {
	// Controls can only come escaped (a raw one is a syntax error), C1
	// controls as 0xC2 0x80-0x9F: a valid body with neither is good.
	if utf8.Valid(body) && bytes.IndexByte(body, '\\') < 0 && bytes.IndexByte(body, 0xC2) < 0 {
		return nil
	}
	type frame struct {
		array     bool
		key       string
		index     int // 0-based, as the handlers name array elements
		expectKey bool
	}
	var stack []frame
	path := func() string {
		var b bytes.Buffer
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
		if b.Len() == 0 {
			return "(body)"
		}
		return b.String()
	}
	// advance moves the innermost container past a value.
	advance := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].expectKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	prev := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		end := int(dec.InputOffset())
		// The token's bytes, with the separators before it; encoding/json
		// has replaced invalid UTF-8 in tok.
		raw := body[prev:min(end, len(body))]
		prev = end
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{expectKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			n := len(stack)
			isKey := n > 0 && !stack[n-1].array && stack[n-1].expectKey
			msg := ""
			if !utf8.Valid(raw) {
				msg = "expected UTF-8 text; found invalid bytes"
			} else if isKey {
				msg = tradeplan.CheckText(t, false)
			} else {
				field := ""
				if n > 0 && !stack[n-1].array {
					field = stack[n-1].key
				}
				msg = tradeplan.CheckText(t, slices.Contains(multilineFields, field))
			}
			if isKey {
				if msg != "" {
					stack[n-1].key = strconv.QuoteToASCII(t)
					return textError(path(), msg)
				}
				stack[n-1].key, stack[n-1].expectKey = t, false
				continue
			}
			if msg != "" {
				return textError(path(), msg)
			}
			advance()
		default:
			advance()
		}
	}
}
