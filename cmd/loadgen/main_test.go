package main

import (
	"bytes"
	"context"
	"strings"
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
