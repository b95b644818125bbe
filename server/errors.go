package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// Error codes of the HTTP layer, beside the domain codes of package tradeplan.
// They travel in the same *tradeplan.Error and the same JSON shape.
const (
	ETooLarge         = "too_large"              // 413: the body exceeds the limit
	EUnsupportedMedia = "unsupported_media_type" // 415: wrong Content-Type
	ERateLimited      = "rate_limited"           // 429: too many attempts; see Retry-After
	EMethodNotAllowed = "method_not_allowed"     // 405: the path exists, the method does not
	EUnavailable      = "unavailable"            // 503: the server cannot serve now (its database is down)
)

// statusClientClosed is what the access log records for a request whose
// client disconnected before the answer (nginx's convention).
const statusClientClosed = 499

// statusOf maps an error code to its HTTP status. It is the one place that does.
func statusOf(code string) int {
	switch code {
	case tradeplan.EInvalid:
		return http.StatusBadRequest
	case tradeplan.EUnauthorized:
		return http.StatusUnauthorized
	case tradeplan.EForbidden:
		return http.StatusForbidden
	case tradeplan.ENotFound:
		return http.StatusNotFound
	case tradeplan.EConflict:
		return http.StatusConflict
	case EMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case ETooLarge:
		return http.StatusRequestEntityTooLarge
	case EUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case ERateLimited:
		return http.StatusTooManyRequests
	case EUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the one JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code     string         `json:"code"`
	Message  string         `json:"message"`
	Problems []problemJSON  `json:"problems,omitempty"`
	Details  map[string]any `json:"details,omitempty"`
}

type problemJSON struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Path    string `json:"path,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// detailError carries extra, client-safe structured details with an error
// (for example the findings that make a line unapprovable). The workflow
// handlers return it through withDetails.
type detailError struct {
	err     error
	details map[string]any
}

func (e *detailError) Error() string { return e.err.Error() }
func (e *detailError) Unwrap() error { return e.err }

// withDetails attaches client-safe details to err; they appear under
// error.details in the response. Never put internal text in them.
func withDetails(err error, details map[string]any) error {
	return &detailError{err: err, details: details}
}

// retryAfterError asks the client to wait; writeError sets Retry-After.
type retryAfterError struct {
	err     error
	seconds int
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// handlerFunc is an HTTP handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: a returned error is written by writeError.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// writeError writes err as the JSON error shape with the status of its code.
// Internal errors are logged at Error with their cause and reach the client
// as "internal error" only.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = tooLarge(mbe.Limit)
	}
	if r.Context().Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		// The client went away: nothing to answer and nothing wrong here.
		s.log.InfoContext(r.Context(), "client gone", slog.String("method", r.Method), slog.String("path", r.URL.Path))
		w.WriteHeader(statusClientClosed)
		return
	}
	code := tradeplan.ErrorCode(err)
	status := statusOf(code)
	body := errorBody{Error: errorDetail{Code: code, Message: tradeplan.ErrorMessage(err)}}
	if status >= 500 {
		if status != http.StatusServiceUnavailable {
			body.Error.Code = tradeplan.EInternal
			body.Error.Message = "internal error"
		} else {
			body.Error.Message = "service unavailable"
		}
		s.log.ErrorContext(r.Context(), "request failed",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.String("error", err.Error()))
	} else {
		var te *tradeplan.Error
		if errors.As(err, &te) {
			for _, p := range te.Problems {
				body.Error.Problems = append(body.Error.Problems, problemJSON{
					File: p.Pos.File, Line: p.Pos.Line, Column: p.Pos.Column,
					Path: p.Pos.Path, Field: p.Field, Message: p.Message,
				})
			}
		}
		var de *detailError
		if errors.As(err, &de) {
			body.Error.Details = de.details
		}
		var ra *retryAfterError
		if errors.As(err, &ra) {
			w.Header().Set("Retry-After", strconv.Itoa(ra.seconds))
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tradeplan"`)
	}
	writeJSON(w, status, body)
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	// The encoder writes what json.Marshal returns, then a newline.
	j := getJSONBuf()
	defer putJSONBuf(j)
	if err := j.enc.Encode(v); err != nil {
		// Our own response types always marshal; this is a programming error.
		j.b.Reset()
		j.b.WriteString(`{"error":{"code":"internal","message":"internal error"}}` + "\n")
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h["Content-Type"] = hdrApplicationJSON
	h["Content-Length"] = []string{strconv.Itoa(j.b.Len())}
	w.WriteHeader(status)
	w.Write(j.b.Bytes())
}

func tooLarge(limit int64) error {
	return tradeplan.Errorf(ETooLarge, "request body too large: the limit is %d bytes", limit)
}

// mediaType returns the media type of the request's Content-Type, lowercased,
// without parameters; "" when absent or unparsable.
func mediaType(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	if ct == "application/json" {
		return ct // as clients mostly send it: no parse, no parameter map
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	return strings.ToLower(mt)
}

// decodeJSON reads the request body as one JSON value into v: the
// Content-Type must be application/json (415), unknown fields, malformed
// JSON and text that is not text (checkJSONText) are EInvalid (400), and a
// body over the limit is 413.
func decodeJSON(r *http.Request, v any) error {
	if mt := mediaType(r); mt != "application/json" {
		return unsupportedMedia(r, "application/json")
	}
	// Read into a reused buffer: the decoder copies every value it keeps.
	buf := getJSONBuf()
	defer putJSONBuf(buf)
	if r.ContentLength > 0 && r.ContentLength <= maxPooledBuf {
		buf.b.Grow(int(r.ContentLength) + bytes.MinRead)
	}
	if _, err := buf.b.ReadFrom(r.Body); err != nil {
		return jsonError(err)
	}
	body := buf.b.Bytes()
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if fr, ok := v.(figureRequest); ok {
		if err := checkFigures(fr.figures()); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return tradeplan.Errorf(tradeplan.EInvalid, "malformed JSON: unexpected data after the JSON value")
	}
	return nil
}

func unsupportedMedia(r *http.Request, want ...string) error {
	got := r.Header.Get("Content-Type")
	if got == "" {
		got = "none"
	}
	return tradeplan.Errorf(EUnsupportedMedia, "unsupported Content-Type %q: want %s", got, strings.Join(want, ", "))
}

// jsonError turns a decoding error into a client-safe error.
func jsonError(err error) error {
	var mbe *http.MaxBytesError
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &mbe):
		return err
	case errors.Is(err, io.EOF):
		return tradeplan.Errorf(tradeplan.EInvalid, "malformed JSON: empty body")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return tradeplan.Errorf(tradeplan.EInvalid, "malformed JSON: unexpected end of the body")
	case errors.As(err, &se):
		hint := ""
		if strings.Contains(se.Error(), "invalid character '") && strings.Contains(se.Error(), "looking for beginning of object key string") {
			if c := strings.TrimPrefix(se.Error(), "invalid character '"); c != "" && c[0] >= '0' && c[0] <= '9' {
				hint = " (a decimal comma? use a point: 1.5)"
			}
		}
		return tradeplan.Errorf(tradeplan.EInvalid, "malformed JSON at byte %d: %s%s", se.Offset, se.Error(), hint)
	case errors.As(err, &te) && te.Type == reflect.TypeFor[tradeplan.Decimal]():
		// A figure refused by the one number parser: say why, at the field.
		field := te.Field
		if field == "" {
			field = "(body)"
		}
		return &tradeplan.Error{Code: tradeplan.EInvalid,
			Message:  fmt.Sprintf("field %s: want a number, got JSON %s", field, te.Value),
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: field}, Message: "want a number, got JSON " + te.Value}}}
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "(body)"
		}
		return &tradeplan.Error{Code: tradeplan.EInvalid,
			Message:  fmt.Sprintf("field %s: want %s, got JSON %s", field, te.Type.String(), te.Value),
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: field}, Message: fmt.Sprintf("want %s, got JSON %s", te.Type.String(), te.Value)}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &tradeplan.Error{Code: tradeplan.EInvalid,
			Message:  fmt.Sprintf("unknown field %q", name),
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: name}, Message: "unknown field"}}}
	default:
		return tradeplan.Errorf(tradeplan.EInvalid, "malformed JSON")
	}
}

// query checks the request's query parameters against the allowed names:
// an unknown or repeated parameter is EInvalid.
func query(r *http.Request, allowed ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "malformed query string")
	}
	var ps tradeplan.Problems
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			if len(allowed) == 0 {
				ps.Add(tradeplan.Position{Path: k}, "", "unknown query parameter: this endpoint takes none")
			} else {
				ps.Add(tradeplan.Position{Path: k}, "", "unknown query parameter (allowed: %s)", strings.Join(allowed, ", "))
			}
		} else if len(q[k]) > 1 {
			ps.Add(tradeplan.Position{Path: k}, "", "query parameter given %d times", len(q[k]))
		}
	}
	if len(ps) > 0 {
		msgs := make([]string, len(ps))
		for i, p := range ps {
			msgs[i] = p.Pos.Path + ": " + p.Message
		}
		return nil, &tradeplan.Error{Code: tradeplan.EInvalid, Message: "query: " + strings.Join(msgs, "; "), Problems: ps}
	}
	return q, nil
}

// figureRequest is a request with figures: JSON reads any exact number, and
// decodeJSON then holds them to the one number parser's limits.
type figureRequest interface {
	figures() map[string]*tradeplan.Decimal
}

func checkFigures(fs map[string]*tradeplan.Decimal) error {
	var ps []tradeplan.Problem
	for name, d := range fs {
		if d == nil {
			continue
		}
		if err := d.CheckLimits(); err != nil {
			ps = append(ps, tradeplan.Problem{Pos: tradeplan.Position{Path: name}, Message: err.Error()})
		}
	}
	if len(ps) == 0 {
		return nil
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Pos.Path < ps[j].Pos.Path })
	return &tradeplan.Error{Code: tradeplan.EInvalid, Message: "field " + ps[0].Pos.Path + ": " + ps[0].Message, Problems: ps}
}
