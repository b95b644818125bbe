package tradeplan

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each maps to one HTTP status and one exit status.
const (
	EInvalid      = "invalid"      // bad input: the message says where and what
	ENotFound     = "not_found"    // no such thing, or not visible to the caller
	EConflict     = "conflict"     // the state does not allow it (a prohibited line, a spent cap)
	EForbidden    = "forbidden"    // authenticated, but not allowed
	EUnauthorized = "unauthorized" // not authenticated
	EInternal     = "internal"     // anything else; its text never reaches a client
)

// Error is the domain error: a code, a message safe to show to the user, and
// optionally the problems of a document and the underlying cause.
type Error struct {
	Code     string
	Message  string
	Problems []Problem // for EInvalid documents: every problem found, in order
	Err      error     // the cause, for logs only
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if len(e.Problems) > 0 {
		for _, p := range e.Problems {
			b.WriteString("\n")
			b.WriteString(p.String())
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns a message safe to show to a client: the message of the
// first *Error in err's chain, or a generic text for internal errors.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "internal error"
}

// Problem is one thing wrong with an input document, at an exact place.
type Problem struct {
	Pos      Position
	Field    string // the field, when Pos.Path does not already name it
	Message  string // what is wrong: what was expected and what was found
	Got      string `json:",omitempty"`
	Expected string `json:",omitempty"`
}

func (p Problem) String() string {
	s := p.Pos.String()
	if p.Field != "" && !strings.HasSuffix(p.Pos.Path, p.Field) {
		s += ": " + p.Field
	}
	return s + ": " + p.Message
}

// Problems collects the problems of one document.
type Problems []Problem

// Add records a problem.
func (ps *Problems) Add(pos Position, field, format string, args ...any) {
	*ps = append(*ps, Problem{Pos: pos, Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns nil when there are no problems, else an EInvalid *Error that
// lists them all.
func (ps Problems) Err(what string) error {
	if len(ps) == 0 {
		return nil
	}
	n := "problem"
	if len(ps) > 1 {
		n = "problems"
	}
	return &Error{Code: EInvalid, Message: fmt.Sprintf("%s: %d %s", what, len(ps), n), Problems: ps}
}
