package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func runHSCmd(t *testing.T, stdin string, envs map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return envs[k] }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// noDB points TRADEPLAN_DB at a file that does not exist, so that classify
// uses the embedded data only.
func noDB(t *testing.T) map[string]string {
	return map[string]string{"TRADEPLAN_DB": t.TempDir() + "/none.db"}
}

func TestClassifyCommand(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  []string // substrings of stdout
		err   string   // substring of stderr
	}{
		{name: "text", args: []string{"classify", "salted pollack"}, code: exitOK, want: []string{"salted pollack", "1. 0305.69", "lexicon:"}},
		{name: "doubt", args: []string{"classify", "salted pine mushrooms"}, code: exitOK, want: []string{"0711.59", "2003.90", "in doubt"}},
		{name: "stdin", stdin: "frozen herring\n\nfrozen sole\n", args: []string{"classify", "--top", "1", "-"}, code: exitOK, want: []string{"frozen herring\n  1. 0303.51", "frozen sole\n  1. 0303.39"}},
		{name: "unknown words", args: []string{"classify", "zzzz qqqq"}, code: exitOK, want: []string{"no candidate"}},
		{name: "bad top", args: []string{"classify", "--top", "0", "x"}, code: exitUsage, err: "--top 0"},
		{name: "bad format", args: []string{"classify", "--format", "xml", "x"}, code: exitUsage, err: "--format"},
		{name: "no args", args: []string{"classify"}, code: exitUsage, err: "usage"},
		{name: "missing hs file", args: []string{"classify", "--hs-file", "/nonexistent.csv", "x"}, code: exitUsage, err: "--hs-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runHSCmd(t, tt.stdin, noDB(t), tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errs, tt.err) {
				t.Errorf("stderr lacks %q:\n%s", tt.err, errs)
			}
		})
	}
}

func TestClassifyJSON(t *testing.T) {
	code, out, errs := runHSCmd(t, "", noDB(t), "classify", "--format", "json", "--top", "2", "packaged crab meat", "dried clams")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Results []struct {
			Description string `json:"description"`
			Candidates  []struct {
				Code     string   `json:"code"`
				Level    int      `json:"level"`
				Score    float64  `json:"score"`
				Title    string   `json:"title"`
				Evidence []string `json:"evidence"`
			} `json:"candidates"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Results) != 2 || got.Results[0].Description != "packaged crab meat" {
		t.Fatalf("results = %+v", got.Results)
	}
	c := got.Results[0].Candidates[0]
	if c.Code != "160510" || c.Level != 6 || c.Score <= 0 || c.Score > 1 || c.Title == "" || len(c.Evidence) == 0 {
		t.Fatalf("first candidate = %+v", c)
	}
	if got.Results[1].Candidates[0].Code != "030779" {
		t.Fatalf("dried clams = %+v", got.Results[1].Candidates)
	}
}

func TestClassifyHSFile(t *testing.T) {
	path := "../../hs/testdata/comtrade-sample.json"
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runHSCmd(t, "", noDB(t), "classify", "--hs-file", path, "--top", "1", "matsutake mushrooms fresh")
	if code != exitOK || !strings.Contains(out, "0709.55") || !strings.Contains(out, "matsutake mushrooms, fresh or chilled") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
}
