package client_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedUpToDate regenerates the client with the pinned oapi-codegen
// (go.mod's tool directive) and the committed cfg.yaml into a temporary
// directory, and fails when the result differs byte for byte from the
// committed client.gen.go: a change to api/openapi.json, cfg.yaml or the
// generator's version must come with `go generate ./api/...`.
func TestGeneratedUpToDate(t *testing.T) {
	// go tool -n names the tool's binary, built through the module cache
	// like any dependency; the generator is then run in the temporary
	// directory, where cfg.yaml's relative output lands.
	out, err := exec.Command("go", "tool", "-n", "oapi-codegen").Output()
	if err != nil {
		t.Fatalf("go tool -n oapi-codegen: %v\n%s", err, stderr(err))
	}
	bin := strings.TrimSpace(string(out))
	doc, err := filepath.Abs("../openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := filepath.Abs("cfg.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, "-config", cfg, doc)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, out)
	}
	got, err := os.ReadFile(filepath.Join(dir, "client.gen.go"))
	if err != nil {
		t.Fatalf("the regenerated client: %v", err)
	}
	want, err := os.ReadFile("client.gen.go")
	if err != nil {
		t.Fatalf("the committed client: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("api/client/client.gen.go is not what api/openapi.json and cfg.yaml generate (%s): run go generate ./api/... and commit the result",
			firstDiff(want, got))
	}
}

// firstDiff names the first line where the committed and regenerated files differ.
func firstDiff(want, got []byte) string {
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(wl) && i < len(gl); i++ {
		if wl[i] != gl[i] {
			return fmt.Sprintf("line %d: committed %q, regenerated %q", i+1, wl[i], gl[i])
		}
	}
	return fmt.Sprintf("committed %d lines, regenerated %d", len(wl), len(gl))
}

func stderr(err error) []byte {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.Stderr
	}
	return nil
}
