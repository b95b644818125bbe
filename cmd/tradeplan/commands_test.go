package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandsInOneList checks that commands (main.go) is the whole list:
// every entry complete and named once, and no init function of the
// package adding to it.
func TestCommandsInOneList(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range commands {
		if c.name == "" || c.summary == "" || c.run == nil {
			t.Errorf("command %q: a name, a summary and a run function are all needed", c.name)
		}
		if seen[c.name] {
			t.Errorf("command %q listed twice", c.name)
		}
		seen[c.name] = true
		if findCommand(c.name) == nil {
			t.Errorf("findCommand(%q) = nil", c.name)
		}
	}
	if len(commands) < 10 {
		t.Fatalf("only %d commands", len(commands))
	}

	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Name.Name != "init" {
				continue
			}
			ast.Inspect(fd, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && id.Name == "commands" {
					t.Errorf("%s: an init function changes commands: list the command in main.go instead", fset.Position(id.Pos()))
				}
				return true
			})
		}
	}
}
