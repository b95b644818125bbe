package server

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestRoutesInOneFunction checks that routes (routes.go) is the one place
// that registers a route: a Handle or HandleFunc call anywhere else in the
// package, an init function included, would serve a route that file does
// not list.
func TestRoutesInOneFunction(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
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
			if !ok {
				continue
			}
			ast.Inspect(fd, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
					return true
				}
				if f == "routes.go" && fd.Name.Name == "routes" && fd.Recv != nil {
					found++
					return true
				}
				t.Errorf("%s: %s registers a route outside routes (routes.go): add it to that list", fset.Position(call.Pos()), fd.Name.Name)
				return true
			})
		}
	}
	if found < 10 {
		t.Fatalf("found only %d registrations in routes; the scan is broken", found)
	}
}
