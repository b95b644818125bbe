package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// syncBuffer is a buffer written by the server's goroutines and read by
// the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `tradeplan serve` in-process on a free loopback port and
// returns its base URL, its output, and a stop function that cancels it and
// returns the exit status.
func startServe(t *testing.T, dsn string, args ...string) (string, *syncBuffer, func() int) {
	t.Helper()
	out, errb := &syncBuffer{}, &syncBuffer{}
	e := &env{stdin: strings.NewReader(""), stdout: out, stderr: errb, getenv: func(k string) string {
		if k == "TRADEPLAN_DB" {
			return dsn
		}
		return ""
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, e, append([]string{"serve", "--addr", "127.0.0.1:0", "--examples", "../../examples"}, args...))
	}()
	serving := regexp.MustCompile(`msg=serving addr=(127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := serving.FindStringSubmatch(errb.String()); m != nil {
			stop := func() int {
				cancel()
				select {
				case code := <-done:
					return code
				case <-time.After(30 * time.Second):
					t.Fatal("serve did not stop")
					return -1
				}
			}
			t.Cleanup(func() { cancel() })
			return "http://" + m[1], out, stop
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before serving:\n%s\n%s", code, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var demoPassword = regexp.MustCompile(`(?m)^  (\S+@\S+)\s+\S+\s+(\S+)$`)

func login(t *testing.T, base, email, password string) int {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/api/v1/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeDemo runs `tradeplan serve --demo` on each engine: it migrates,
// seeds, prints working passwords, serves, and stops cleanly when
// cancelled. A second run (on SQLite) keeps the data and gives new
// passwords.
func TestServeDemo(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			base, out, stop := startServe(t, dsn, "--demo")
			users := demoPassword.FindAllStringSubmatch(out.String(), -1)
			if len(users) != len(demoUsers) {
				t.Fatalf("printed %d users, want %d:\n%s", len(users), len(demoUsers), out.String())
			}
			if !strings.Contains(out.String(), "3 example plans submitted") {
				t.Errorf("demo output lacks the plans:\n%s", out.String())
			}
			pass := map[string]string{}
			for _, u := range users {
				pass[u[1]] = u[2]
			}
			if code := login(t, base, "submitter@province.demo.test", pass["submitter@province.demo.test"]); code != http.StatusOK {
				t.Fatalf("demo login: status %d", code)
			}
			resp, err := http.Get(base + "/healthz")
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("healthz: %v %v", resp, err)
			}
			resp.Body.Close()
			if code := stop(); code != exitOK {
				t.Fatalf("serve exit %d", code)
			}

			if engine != "sqlite" {
				return // the rerun is the same code on either engine; one start is enough there
			}
			base, out2, stop2 := startServe(t, dsn, "--demo")
			defer stop2()
			if !strings.Contains(out2.String(), "exist already") {
				t.Errorf("second demo run:\n%s", out2.String())
			}
			again := demoPassword.FindAllStringSubmatch(out2.String(), -1)
			if len(again) != len(demoUsers) {
				t.Fatalf("second run printed %d users", len(again))
			}
			if code := login(t, base, "submitter@province.demo.test", pass["submitter@province.demo.test"]); code != http.StatusUnauthorized {
				t.Errorf("old demo password still works: status %d", code)
			}
			for _, u := range again {
				if u[1] == "admin@authority.demo.test" {
					if code := login(t, base, u[1], u[2]); code != http.StatusOK {
						t.Errorf("new demo password: status %d", code)
					}
				}
			}
		})
	}
}

func TestServeFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"bad log format", []string{"--log-format", "xml"}, "--log-format"},
		{"bad log level", []string{"--log-level", "loud"}, "--log-level"},
		{"bad addr", []string{"--addr", "8080"}, "--addr"},
		{"bad cookie mode", []string{"--insecure-cookies", "maybe"}, "--insecure-cookies"},
		{"tiny body", []string{"--max-body", "10"}, "--max-body"},
		{"argument", []string{"extra"}, "unexpected argument"},
		{"unknown flag", []string{"--port", "1"}, "flag provided but not defined"},
		{"bad proxy", []string{"--trusted-proxies", "10.0.0.0/8,lb.internal"}, "--trusted-proxies"},
		{"negative plan lines", []string{"--max-plan-lines", "-1"}, "--max-plan-lines"},
		{"plan lines not a number", []string{"--max-plan-lines", "many"}, "--max-plan-lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
			if code := run(context.Background(), e, append([]string{"serve"}, tt.args...)); code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitUsage, errb.String())
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Errorf("stderr %q lacks %q", errb.String(), tt.want)
			}
		})
	}
}

func TestServeCookieMode(t *testing.T) {
	tests := []struct {
		addr, mode string
		insecure   bool
	}{
		{"127.0.0.1:8080", "auto", true},
		{"localhost:8080", "auto", true},
		{"[::1]:8080", "auto", true},
		{"0.0.0.0:8080", "auto", false},
		{"10.1.2.3:443", "auto", false},
		{"127.0.0.1:8080", "no", false},
		{"0.0.0.0:8080", "yes", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr+"/"+tt.mode, func(t *testing.T) {
			e := &env{stderr: io.Discard, getenv: func(string) string { return "" }}
			c, _, ok := parseServeFlags(e, []string{"--addr", tt.addr, "--insecure-cookies", tt.mode})
			if !ok || c.insecureCookies != tt.insecure {
				t.Fatalf("insecure cookies = %v (ok %v), want %v", c.insecureCookies, ok, tt.insecure)
			}
		})
	}
}

func TestServeTrustedProxies(t *testing.T) {
	e := &env{stderr: io.Discard, getenv: func(string) string { return "" }}
	c, _, ok := parseServeFlags(e, []string{"--trusted-proxies", "10.1.2.3/8, 192.168.0.10,::1"})
	if !ok {
		t.Fatal("flags refused")
	}
	var got []string
	for _, p := range c.trustedProxies {
		got = append(got, p.String())
	}
	if want := "10.0.0.0/8 192.168.0.10/32 ::1/128"; strings.Join(got, " ") != want {
		t.Errorf("trusted proxies %v, want %s", got, want)
	}
}

func TestServeMaxPlanLines(t *testing.T) {
	tests := []struct {
		name, env string
		args      []string
		want      int
	}{
		{"default", "", nil, 10000},
		{"flag", "", []string{"--max-plan-lines", "500"}, 500},
		{"environment", "2000", nil, 2000},
		{"flag over environment", "2000", []string{"--max-plan-lines", "30"}, 30},
		{"no limit", "", []string{"--max-plan-lines", "0"}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{stderr: io.Discard, getenv: func(k string) string {
				if k == "TRADEPLAN_MAX_PLAN_LINES" {
					return tt.env
				}
				return ""
			}}
			c, _, ok := parseServeFlags(e, tt.args)
			if !ok || c.maxPlanLines != tt.want {
				t.Fatalf("max plan lines %d (ok %v), want %d", c.maxPlanLines, ok, tt.want)
			}
		})
	}
}
