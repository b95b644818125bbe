package store

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := hashPassword("correct horse battery staple", defaultArgon)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry the production parameters", h)
	}
	h2, _ := hashPassword("correct horse battery staple", defaultArgon)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, c := range []struct {
		name, password, hash string
		ok                   bool
		err                  bool
	}{
		{name: "right", password: "correct horse battery staple", hash: h, ok: true},
		{name: "wrong", password: "correct horse battery stapler", hash: h},
		{name: "empty", password: "", hash: h},
		{name: "not PHC", password: "x", hash: "plain", err: true},
		{name: "bcrypt", password: "x", hash: "$2a$10$abcdefghijklmnopqrstuv", err: true},
		{name: "argon2i", password: "x", hash: strings.Replace(h, "argon2id", "argon2i", 1), err: true},
		{name: "huge memory", password: "x", hash: strings.Replace(h, "m=19456", "m=99999999", 1), err: true},
		{name: "bad salt", password: "x", hash: strings.Replace(h, "$argon2id$v=19$m=19456,t=2,p=1$", "$argon2id$v=19$m=19456,t=2,p=1$!!", 1), err: true},
	} {
		ok, err := checkPassword(c.password, c.hash)
		if ok != c.ok || (err != nil) != c.err {
			t.Errorf("%s: checkPassword = %v, %v; want %v, error %v", c.name, ok, err, c.ok, c.err)
		}
	}
}

// FuzzCheckPassword feeds arbitrary PHC strings to the parser: it must never
// panic, never accept a malformed string, and never allocate without bound.
func FuzzCheckPassword(f *testing.F) {
	f.Add("pw", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$0123456789abcdef0123456789abcdef0123456789a")
	f.Add("pw", "$argon2id$v=19$m=0,t=0,p=0$$")
	f.Add("", "$$$$$")
	f.Add("x", "$argon2id$v=18$m=64,t=1,p=1$AAAA$AAAA")
	f.Fuzz(func(t *testing.T, password, encoded string) {
		ok, err := checkPassword(password, encoded)
		if ok && err != nil {
			t.Fatal("ok with an error")
		}
	})
}

func TestRebindPostgres(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"plain", "SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"in a string", "SELECT '?' FROM t WHERE b = ?", "SELECT '?' FROM t WHERE b = $1"},
		{"quoted identifier", `SELECT "a?" FROM t WHERE b = ?`, `SELECT "a?" FROM t WHERE b = $1`},
		{"comment", "SELECT 1 -- why?\nWHERE b = ?", "SELECT 1 -- why?\nWHERE b = $1"},
		{"unterminated string", "SELECT '?", "SELECT '?"},
		{"none", "SELECT 1", "SELECT 1"},
	} {
		if got := (postgresDialect{}).rebind(c.in); got != c.want {
			t.Errorf("%s: rebind(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// FuzzRebind: rewriting placeholders never panics, leaves a query without
// ? alone, and numbers the placeholders it rewrites from $1.
func FuzzRebind(f *testing.F) {
	f.Add("SELECT a FROM t WHERE b = ? AND c = ?")
	f.Add("SELECT '?', \"?\" -- ?\n WHERE x = ?")
	f.Add("'")
	f.Add("--")
	f.Fuzz(func(t *testing.T, q string) {
		got := (postgresDialect{}).rebind(q)
		if !strings.Contains(q, "?") && got != q {
			t.Fatalf("rebind(%q) = %q: changed a query without placeholders", q, got)
		}
		if strings.Count(got, "$1") > 0 && !strings.Contains(q, "?") && !strings.Contains(q, "$1") {
			t.Fatalf("rebind(%q) = %q", q, got)
		}
	})
}
