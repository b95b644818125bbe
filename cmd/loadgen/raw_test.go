package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRawClientAnswers posts with the hand-written client to answers of
// every shape a server may give and wants each 200 counted as a success,
// every other status or malformed answer as an error naming it, and the
// connection reused only where HTTP allows.
func TestRawClientAnswers(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/json" || r.ContentLength != 9 {
			http.Error(w, "wrong request", http.StatusBadRequest)
			return
		}
		switch r.URL.Path {
		case "/length":
			w.Write([]byte(strings.Repeat("x", 40000)))
		case "/chunked":
			for range 5 {
				w.Write([]byte(strings.Repeat("y", 3000)))
				w.(http.Flusher).Flush()
			}
		case "/close":
			w.Header().Set("Connection", "close")
			w.Write([]byte("bye"))
		case "/teapot":
			http.Error(w, "short and stout", http.StatusTeapot)
		case "/teapot-chunked":
			w.WriteHeader(http.StatusTeapot)
			w.Write([]byte("chunked "))
			w.(http.Flusher).Flush()
			w.Write([]byte("and stout"))
		case "/hangup":
			// Answers, then closes the connection without saying so, as a
			// server's idle timeout does between two requests.
			c, bw, _ := w.(http.Hijacker).Hijack()
			bw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			bw.Flush()
			c.Close()
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	cfg := &config{contentType: "application/json", body: []byte(`{"a":"b"}`)}
	tests := []struct {
		path      string
		wantErr   string // "" for success
		wantConns int64  // connections for three requests
	}{
		{"/length", "", 1},
		{"/chunked", "", 1},
		{"/close", "", 3},
		{"/teapot", "status 418: short and stout", 1},
		{"/teapot-chunked", "status 418: chunked and stout", 1},
		{"/hangup", "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			conns.Store(0)
			c := newRawClient(u, tt.path, cfg)
			defer c.close()
			for i := range 3 {
				status, err := c.post(context.Background())
				if tt.wantErr == "" && (err != nil || status != 200) {
					t.Fatalf("request %d: status %d, error %v; want 200", i, status, err)
				}
				if tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
					t.Fatalf("request %d: error %v, want %q", i, err, tt.wantErr)
				}
			}
			if got := conns.Load(); got != tt.wantConns {
				t.Errorf("%d connections for 3 requests, want %d", got, tt.wantConns)
			}
		})
	}
}

// TestRawClientMalformed: an answer that is not HTTP is an error, never a
// success.
func TestRawClientMalformed(t *testing.T) {
	for _, answer := range []string{
		"HELLO\r\n\r\n",
		"HTTP/1.1 2x0 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"HTTP/1.1 200 OK\r\nbroken header\r\n\r\n",
	} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			c.Read(buf)
			c.Write([]byte(answer))
			c.Close()
		}()
		u, _ := url.Parse("http://" + ln.Addr().String())
		c := newRawClient(u, "/x", &config{contentType: "application/json", body: []byte("{}")})
		if _, err := c.post(context.Background()); err == nil {
			t.Errorf("answer %q: no error", answer)
		}
		c.close()
		ln.Close()
	}
}

// TestMeasureBothClients: the same small run with each client counts
// every request and no error, and each reports a status other than 200 as
// an error naming it.
func TestMeasureBothClients(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1)%7 == 0 {
			http.Error(w, "busy", http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{"results":[]}`))
	}))
	defer srv.Close()
	for _, client := range []string{"raw", "std"} {
		hits.Store(0)
		var out, errb bytes.Buffer
		args := []string{"-client", client, "-url", srv.URL, "-endpoint", "parties", "-names", "1", "-n", "70", "-warmup", "0", "-c", "2"}
		// The first request (hit 1) is good; of the 70 counted (hits 2-71), those at 7, 14, ..., 70 fail.
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("-client %s: exit %d; stderr %s", client, code, errb.String())
		}
		rows := strings.Split(strings.TrimSpace(out.String()), "\n")
		f := strings.Fields(rows[len(rows)-2])
		if len(f) < 3 || f[1] != "60" || f[2] != "10" {
			t.Errorf("-client %s: row %q, want 60 requests and 10 errors", client, rows[len(rows)-2])
		}
		if !strings.Contains(out.String(), "status 429: busy") {
			t.Errorf("-client %s: the first error is not named:\n%s", client, out.String())
		}
	}
}
