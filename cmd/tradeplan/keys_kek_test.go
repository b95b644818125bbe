package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestKeysWithoutTheirKey: signing keys encrypted with TRADEPLAN_KEY, then
// the key missing or changed. The server does not start (it used to start,
// warn that keys were stored unencrypted, and fail every approval), and a
// rotation is refused (it used to retire the authority's key and make a new
// one, in the clear when no key was set): a clear error, no panic, no new
// key.
func TestKeysWithoutTheirKey(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tp.db")
	kek := strings.Repeat("ab", 32)
	other := strings.Repeat("cd", 32)
	runWith := func(ctx context.Context, key string, args ...string) (int, string) {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
			switch k {
			case "TRADEPLAN_DB":
				return dsn
			case "TRADEPLAN_KEY":
				return key
			}
			return ""
		}}
		code := run(ctx, e, args)
		return code, out.String() + errb.String()
	}
	bg := context.Background()
	if code, out := runWith(bg, kek, "keys", "rotate"); code != exitOK {
		t.Fatalf("keys rotate with the key: %d %s", code, out)
	}
	_, before := runWith(bg, kek, "keys", "list")
	for name, key := range map[string]string{"missing": "", "changed": other} {
		code, out := runWith(bg, key, "keys", "rotate")
		if code == exitOK || !strings.Contains(out, "TRADEPLAN_KEY") {
			t.Errorf("%s key: keys rotate exit %d: %s", name, code, out)
		}
		ctx, cancel := context.WithTimeout(bg, 20*time.Second)
		code, out = runWith(ctx, key, "serve", "--addr", "127.0.0.1:0")
		cancel()
		if code == exitOK || !strings.Contains(out, "TRADEPLAN_KEY") || strings.Contains(out, "panic") {
			t.Errorf("%s key: serve exit %d: %s", name, code, out)
		}
	}
	if _, after := runWith(bg, kek, "keys", "list"); after != before {
		t.Errorf("the keys changed:\nbefore %s\nafter  %s", before, after)
	}
	// The key is lost: the operator says so, and a new key signs.
	if code, out := runWith(bg, other, "keys", "rotate", "--lost-key"); code != exitOK {
		t.Fatalf("keys rotate --lost-key: %d %s", code, out)
	}
	ctx, cancel := context.WithCancel(bg)
	cancel()
	if code, out := runWith(ctx, other, "serve", "--addr", "127.0.0.1:0"); strings.Contains(out, "TRADEPLAN_KEY") {
		t.Errorf("serve with the new key: exit %d %s", code, out)
	}
}
