package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// ServeHTTP is the outermost handler: security headers, body limit, panic
// recovery, access log, then routing with JSON 404 and 405 responses.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.clock()
	sw := &statusWriter{ResponseWriter: w}
	info := &reqInfo{}
	h := sw.Header()
	h["Content-Security-Policy"] = hdrCSP
	h["X-Content-Type-Options"] = hdrNoSniff
	h["Referrer-Policy"] = hdrNoReferrer
	h["X-Frame-Options"] = hdrDeny
	h["Cross-Origin-Opener-Policy"] = hdrSameOrigin
	if r.TLS != nil {
		h["Strict-Transport-Security"] = hdrHSTS
	}
	if r.URL.Path != "/healthz" {
		h["Cache-Control"] = hdrNoStore
	}

	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(r.Context(), "panic", slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())))
			if sw.status == 0 {
				s.writeError(sw, r, fmt.Errorf("panic: %v", v))
			}
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.Int("bytes", sw.bytes),
			slog.Duration("duration", s.clock().Sub(start)),
			slog.String("remote", clientIP(r))}
		if info.actor != "" {
			attrs = append(attrs, slog.String("actor", info.actor))
		}
		s.log.LogAttrs(r.Context(), s.accessLevel, "request", attrs...)
	}()

	info.ip = s.remoteIP(r)
	r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, info))

	if r.ContentLength > s.maxBody {
		s.writeError(sw, r, tooLarge(s.maxBody))
		return
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(sw, r.Body, s.maxBody)
	}

	if err := checkRequestText(r); err != nil {
		s.writeError(sw, r, err)
		return
	}
	_, pattern := s.mux.Handler(r)
	if pattern == "" {
		s.unrouted(sw, r)
		return
	}
	s.mux.ServeHTTP(sw, r)
}

// unrouted answers a request that matches no route: the mux's own answer (a
// redirect to a cleaned path, 404 or 405) with its status, but in the JSON
// error shape.
func (s *Server) unrouted(w http.ResponseWriter, r *http.Request) {
	h, _ := s.mux.Handler(r)
	rec := &recorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	switch rec.status {
	case http.StatusNotFound:
		if s.htmlNotFound != nil && wantsPage(r) {
			s.htmlNotFound.ServeHTTP(w, r)
			return
		}
		s.writeError(w, r, tradeplan.Errorf(tradeplan.ENotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", rec.header.Get("Allow"))
		s.writeError(w, r, tradeplan.Errorf(EMethodNotAllowed, "method %s not allowed on %s (allowed: %s)", r.Method, r.URL.Path, rec.header.Get("Allow")))
	default:
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
	}
}

// recorder captures a response in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// reqInfoKey carries the client's address, resolved once, and what
// handlers learn about a request for its access log line: who the actor
// was. One context value for both: each costs an allocation per request.
type reqInfoKey struct{}

type reqInfo struct {
	ip    string
	actor string
}

// noteActor records the request's actor for the access log.
func noteActor(r *http.Request, label string) {
	if info, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
		info.actor = label
	}
}

// clientIP is the address of the client: the peer address without its port
// or, when the peer is one of Config.TrustedProxies, the address that proxy
// reports in X-Forwarded-For (see remoteIP). ServeHTTP resolves it once.
func clientIP(r *http.Request) string {
	if info, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok && info.ip != "" {
		return info.ip
	}
	return peerIP(r.RemoteAddr)
}

// peerIP is a RemoteAddr without its port.
func peerIP(addr string) string {
	host := addr
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			host = host[:i]
			break
		}
		if host[i] == ']' {
			break
		}
	}
	if len(host) > 1 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	return host
}

// remoteIP resolves the client address. X-Forwarded-For is believed only
// from a trusted proxy, and then read from the right: each hop appends the
// address it saw, so the rightmost address that is not itself a trusted
// proxy is the client as far as our own proxies can tell. Anything to its
// left was written by the client and is ignored.
func (s *Server) remoteIP(r *http.Request) string {
	peer := peerIP(r.RemoteAddr)
	if len(s.cfg.TrustedProxies) == 0 || !s.trusted(peer) {
		return peer
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		for _, h := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // a malformed hop: stop at the last address we could trust
		}
		client = a.Unmap().String()
		if !s.trusted(client) {
			break
		}
	}
	return client
}

func (s *Server) trusted(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// sinceSeconds rounds a wait up to whole seconds, at least 1.
func sinceSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}
