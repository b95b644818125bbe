package server

import (
	"bytes"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/api"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
)

// healthz reports whether the server can reach its database.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	if err := s.pingStore(r); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// openapi serves the OpenAPI document.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.WriteHeader(http.StatusOK)
	w.Write(api.OpenAPI)
	return nil
}

// screenPlan screens a plan document (YAML, JSON or CSV by Content-Type) and
// returns the report of `tradeplan screen --format json`. It stores nothing.
func (s *Server) screenPlan(w http.ResponseWriter, r *http.Request) error {
	if err := s.screenAllowed(r); err != nil {
		return err
	}
	q, err := query(r, "as_of")
	if err != nil {
		return err
	}
	asOf, err := parseAsOf(q.Get("as_of"))
	if err != nil {
		return err
	}
	in := getBuffer()
	defer putBuffer(in)
	f, body, err := readPlanBody(r, in)
	if err != nil {
		return err
	}
	// The slot is taken once the body is in, so that slow uploads do not
	// hold one; parsing and screening are the work it bounds.
	release, err := s.acquireScreening(r)
	if err != nil {
		return err
	}
	defer release()
	p, err := plan.ParseWith(body, "request."+string(f), f, s.planLimits())
	if err != nil {
		return err
	}
	sc := s.engine(r.Context(), PublicListsMaxAge).Screener
	if sc == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no screener configured")
	}
	// Anonymous: stored match decisions belong to the organisations whose
	// lines they decided, not to the public.
	opts := screen.Options{AsOf: asOf, NoDecisions: true}
	if len(s.screening) >= runtime.GOMAXPROCS(0) {
		// As many screenings as cores are under way: splitting this
		// one's lines over goroutines would only add hand-overs and
		// leave it waiting on helpers queued behind other requests.
		opts.Workers = 1
	}
	rep, err := sc.Plan(r.Context(), p, opts)
	if err != nil {
		return err
	}
	// Rendered whole before the status is written, so that a failure is a
	// clean 500 rather than half a report.
	buf := getBuffer()
	defer putBuffer(buf)
	if err := screen.WriteReport(buf, screen.JSON, false, tradeplan.Report{Plans: []tradeplan.PlanReport{rep}}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	// With its length known, the report goes out in one piece rather than
	// in chunks.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}

// buffers keeps the buffers plan documents are read into and reports
// rendered in from request to request (a 50-line plan's report is some
// 60 KB, grown anew each time otherwise). A document's buffer is free once
// it is parsed: the plan holds copies of its strings.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		b.Reset()
		buffers.Put(b)
	}
}

// readPlanBody reads a plan document's bytes from the request body into buf
// and the format its Content-Type names.
func readPlanBody(r *http.Request, buf *bytes.Buffer) (plan.Format, []byte, error) {
	f, ok := plan.FormatFromContentType(r.Header.Get("Content-Type"))
	if !ok {
		return "", nil, unsupportedMedia(r, "application/yaml", "application/json", "text/csv")
	}
	// Room for the length the client gave (the middleware has bounded it),
	// so that the buffer is not grown by doubling.
	buf.Grow(int(max(r.ContentLength, 0)) + bytes.MinRead)
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return "", nil, err
	}
	body := buf.Bytes()
	if len(bytes.TrimSpace(body)) == 0 {
		return "", nil, tradeplan.Errorf(tradeplan.EInvalid, "empty body: send a plan document")
	}
	return f, body, nil
}

// readPlan reads a plan document from the request body in the format its
// Content-Type names. Problems come back as an EInvalid error listing each
// with its line, column and path.
func (s *Server) readPlan(r *http.Request) (*tradeplan.Plan, error) {
	in := getBuffer()
	defer putBuffer(in)
	f, body, err := readPlanBody(r, in)
	if err != nil {
		return nil, err
	}
	return plan.ParseWith(body, "request."+string(f), f, s.planLimits())
}

// planLimits bounds every plan document the server reads.
func (s *Server) planLimits() plan.Limits { return plan.Limits{MaxLines: max(s.cfg.MaxPlanLines, 0)} }

// parseAsOf reads an optional YYYY-MM-DD date.
func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, &tradeplan.Error{Code: tradeplan.EInvalid,
			Message:  "as_of: want a date YYYY-MM-DD, got " + quoteShort(s),
			Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: "as_of"}, Message: "want a date YYYY-MM-DD"}}}
	}
	return t, nil
}

// quoteShort quotes s for a message, cut to 40 bytes.
func quoteShort(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}
