package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestLoopbackURL(t *testing.T) {
	tests := []struct {
		name string
		url  string
		ok   bool
	}{
		{"ipv4 loopback", "http://127.0.0.1:8080", true},
		{"other 127/8", "http://127.0.0.2:8080", true},
		{"ipv6 loopback", "http://[::1]:8080", true},
		{"localhost", "http://localhost:8080", true},
		{"private address", "http://10.0.0.1:8080", false},
		{"public address", "http://8.8.8.8", false},
		{"unspecified", "http://0.0.0.0:8080", false},
		{"no scheme", "127.0.0.1:8080", false},
		{"ftp", "ftp://127.0.0.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loopbackURL(context.Background(), tt.url)
			if (err == nil) != tt.ok {
				t.Fatalf("loopbackURL(%q) error = %v, want ok=%v", tt.url, err, tt.ok)
			}
		})
	}
}

func TestRunRefusesBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"remote target", []string{"-url", "http://192.0.2.1"}, "non-loopback"},
		{"too many requests", []string{"-n", "2000000"}, "-n must be"},
		{"too long", []string{"-d", "1h"}, "-d must be"},
		{"bad level", []string{"-c", "1,0"}, "-c"},
		{"huge level", []string{"-c", "10000"}, "-c"},
		{"unknown endpoint", []string{"-endpoint", "login"}, "unknown -endpoint"},
		{"too many bodies", []string{"-bodies", "50001"}, "-bodies must be"},
		{"bodies for parties", []string{"-endpoint", "parties", "-bodies", "10"}, "-bodies generates"},
		{"bodies with a plan file", []string{"-plan", "x.yaml", "-bodies", "10"}, "-bodies generates"},
		{"unknown client", []string{"-client", "curl"}, "-client must be"},
		{"raw client over https", []string{"-url", "https://127.0.0.1:8443"}, "-client must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), tt.args, &out, &errb); code != 2 {
				t.Fatalf("exit %d, want 2; stderr %s", code, errb.String())
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Fatalf("stderr %q does not mention %q", errb.String(), tt.want)
			}
		})
	}
}

func TestGeneratePlan(t *testing.T) {
	b := string(generatePlan(50))
	if got := strings.Count(b, "  - direction: "); got != 50 {
		t.Fatalf("generated plan has %d lines, want 50", got)
	}
}

// TestMeasure runs two small levels against a loopback server and checks
// the table: every request counted, none failed; and a server that answers
// 500 fails the run with its status.
func TestMeasure(t *testing.T) {
	var hits atomic.Int64
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/screen" || r.Header.Get("Content-Type") != "text/csv" {
			http.Error(w, "wrong request", http.StatusBadRequest)
			return
		}
		io.Copy(io.Discard, r.Body)
		w.Write(bytes.Repeat([]byte("x"), 20000))
	}))
	defer good.Close()
	var out, errb bytes.Buffer
	args := []string{"-url", good.URL, "-format", "csv", "-lines", "5", "-n", "40", "-warmup", "4", "-c", "1,4", "-server-pid", strconv.Itoa(os.Getpid())}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, errb.String())
	}
	if got := hits.Load(); got != 1+2*(40+4) {
		t.Errorf("server saw %d requests, want %d", got, 1+2*(40+4))
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(rows) != 5 || !strings.Contains(rows[2], "loadgen CPU/req") {
		t.Fatalf("table:\n%s", out.String())
	}
	for i, c := range []string{"1", "4"} {
		f := strings.Fields(rows[3+i])
		// The CPU columns read "-" when less than a clock tick passed.
		if len(f) < 12 || f[0] != c || f[1] != "40" || f[2] != "0" {
			t.Errorf("row %q: want concurrency %s, 40 requests, no errors, every column", rows[3+i], c)
		}
	}

	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	defer bad.Close()
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"-url", bad.URL, "-n", "5", "-c", "1"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "status 500: broken") {
		t.Errorf("against a failing server: exit %d, stderr %q; want 1 and the status", code, errb.String())
	}
}

// TestMeasureBodies checks that -bodies posts its bodies in turn: as many
// distinct bodies reach the server as there are, and no more.
func TestMeasureBodies(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen[string(b)]++
		mu.Unlock()
	}))
	defer srv.Close()
	var out, errb bytes.Buffer
	args := []string{"-url", srv.URL, "-lines", "10", "-bodies", "30", "-n", "20", "-warmup", "0", "-c", "1,2"}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, errb.String())
	}
	// 1 first request + 2 levels of 20: bodies 0-29 once, then 0-10 again.
	if len(seen) != 30 {
		t.Fatalf("server saw %d distinct bodies, want 30", len(seen))
	}
	want := variedBodies(1, 10, 1, "yaml")[0]
	if seen[string(want)] != 2 {
		t.Errorf("body 0 of seed 1 posted %d times, want 2", seen[string(want)])
	}
}
