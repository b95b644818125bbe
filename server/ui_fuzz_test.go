package server

import (
	"slices"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/plan"
)

// FuzzLocalPath: whatever next= says, and whatever path a form was posted
// to, the result is "" or a path on this site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/plans/3", "//evil.example", "/\\evil", "https://evil.example/x", "/plans?x=1#y", "", "/%zz", "javascript:x", "/a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range []string{localPath(s), backPath(s)} {
			if got == "" {
				continue
			}
			if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n\t") {
				t.Fatalf("%q gave %q: not a local path", s, got)
			}
		}
	})
}

// FuzzDocumentFormat: the sniffing never panics and always names a format.
func FuzzDocumentFormat(f *testing.F) {
	for _, s := range []string{"plan:\n  id: x", "{}", "a,b,c\n1,2,3", "", "\ufeff[", "a,b: c"} {
		f.Add("auto", "pasted", s)
	}
	f.Add("csv", "x.yaml", "plan:")
	f.Add("nope", "x", "")
	f.Fuzz(func(t *testing.T, choice, name, body string) {
		got, err := documentFormat(choice, name, []byte(body))
		if err == nil && !slices.Contains(plan.Formats, got) {
			t.Fatalf("documentFormat(%q, %q, %q) = %q", choice, name, body, got)
		}
	})
}
