package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan/parties"
)

// watchWriter is a command's standard output that tells when it holds a
// given text.
type watchWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.seen != nil && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
		w.seen = nil
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestResultsStreamFromPipe feeds names and descriptions through a pipe and
// holds the commands to answering each before the input ends: the first
// result must be written while the pipe is still open, and the rest follow.
func TestResultsStreamFromPipe(t *testing.T) {
	lists := fixtureUN + "," + fixtureOFAC
	for _, c := range []struct {
		name        string
		args        []string
		first, more string // the first line written, then the rest of the input
		firstOut    string // what the first line's result shows
		code        int
	}{
		{"parties text", []string{"parties", "screen", "--lists", lists, "-"}, "Sam Chon Gang Trading Co Ltd", "Haeundae Fresh Fish Market", "KPe.901", exitFindings},
		{"parties json", []string{"parties", "screen", "--format", "json", "--lists", lists, "-"}, "Sam Chon Gang Trading Co Ltd", "Haeundae Fresh Fish Market", `"KPe.901"`, exitFindings},
		{"classify text", []string{"classify", "--top", "1", "-"}, "frozen herring", "frozen sole", "0303.51", exitOK},
		{"classify json", []string{"classify", "--format", "json", "--top", "1", "-"}, "frozen herring", "frozen sole", `"030351"`, exitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			out := &watchWriter{want: c.firstOut, seen: make(chan struct{})}
			seen := out.seen
			var errb bytes.Buffer
			e := &env{stdin: pr, stdout: out, stderr: &errb, getenv: func(string) string { return "" }}
			done := make(chan int, 1)
			go func() { done <- run(context.Background(), e, c.args) }()
			if _, err := io.WriteString(pw, c.first+"\n"); err != nil {
				t.Fatal(err)
			}
			select {
			case <-seen:
			case code := <-done:
				t.Fatalf("exit %d before the input ended: %s", code, errb.String())
			case <-time.After(60 * time.Second):
				pw.Close()
				t.Fatalf("no result for %q while the input is open; output so far:\n%s", c.first, out.String())
			}
			// Many more lines: none is held until the end.
			for range 200 {
				if _, err := io.WriteString(pw, c.more+"\n"); err != nil {
					t.Fatal(err)
				}
			}
			pw.Close()
			if code := <-done; code != c.code {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errb.String())
			}
			if n := strings.Count(out.String(), c.more); n < 200 {
				t.Errorf("%q appears %d times in the output, want a result for each of the 200 lines", c.more, n)
			}
		})
	}
}

// TestStreamedResultsMatchWhole: the results written one at a time are the
// bytes of the whole list written at the end, as the commands wrote them
// before they streamed (encoding/json's indented encoder of
// {"results": [...]}, one tabwriter over every name).
func TestStreamedResultsMatchWhole(t *testing.T) {
	lists := fixtureUN + "," + fixtureOFAC
	names := strings.Repeat("Sam Chon Gang Trading Co Ltd\nHaeundae Fresh Fish Market\nLee Tae Son\nRi Tae Son\nKorea <Mining> & Co\n", 3)
	code, js, errs := runWith(t, nil, names, "parties", "screen", "--format", "json", "--all", "--lists", lists, "-")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct{ Results []parties.Result }
	if err := json.Unmarshal([]byte(js), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Results) != 15 {
		t.Fatalf("%d results, want 15", len(got.Results))
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.Encode(map[string]any{"results": got.Results})
	if js != want.String() {
		t.Errorf("streamed JSON differs from the whole encoding:\n%s", firstDiffLine(js, want.String()))
	}

	_, text, _ := runWith(t, nil, names, "parties", "screen", "--all", "--lists", lists, "-")
	want.Reset()
	tw := tabwriter.NewWriter(&want, 0, 4, 2, ' ', 0)
	for _, r := range got.Results {
		fmt.Fprintf(tw, "%s\n", r.Query)
		if r.Written != "" {
			fmt.Fprintf(tw, "  review: name %s\n", r.Written)
		}
		if len(r.Matches) == 0 {
			fmt.Fprintf(tw, "  no match\n")
		}
		for _, m := range r.Matches {
			s := m.Strength
			if s == "" {
				s = "-"
			}
			fmt.Fprintf(tw, "  %.3f\t%s\t%s %s\t%s\n", m.Score, s, m.List, m.ID, m.Name)
			fmt.Fprintf(tw, "  \t\t%s\n", m.Explanation)
		}
	}
	tw.Flush()
	if text != want.String() {
		t.Errorf("streamed text differs from one tabwriter over every name:\n%s", firstDiffLine(text, want.String()))
	}

	descs := "frozen herring\nsalted pollack, grade A\n\nzzqx\nmen's cotton trousers & <shirts>\n"
	_, cj, errs := runCmd(t, descs, "classify", "--format", "json", "--top", "3", "-")
	var cres struct{ Results []classifyResult }
	if err := json.Unmarshal([]byte(cj), &cres); err != nil {
		t.Fatalf("%v: %s", err, errs)
	}
	want.Reset()
	enc = json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.Encode(map[string]any{"results": cres.Results})
	if cj != want.String() {
		t.Errorf("streamed classify JSON differs from the whole encoding:\n%s", firstDiffLine(cj, want.String()))
	}
	_, empty, _ := runCmd(t, "\n\n", "classify", "--format", "json", "-")
	if want := "{\n  \"results\": []\n}\n"; empty != want {
		t.Errorf("no description: got %q, want %q", empty, want)
	}
}

func firstDiffLine(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}
