package server

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/api"
)

type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

type openAPIOp struct {
	OperationID string                     `json:"operationId"`
	Responses   map[string]json.RawMessage `json:"responses"`
	Parameters  []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
}

var methods = []string{"get", "post", "put", "patch", "delete"}

// documentedRoutes returns "METHOD /path" for every operation of the
// document, in the form of a ServeMux pattern.
func documentedRoutes(t *testing.T) map[string]openAPIOp {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatalf("api/openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("api/openapi.json: openapi %q, want 3.1.0", doc.OpenAPI)
	}
	out := map[string]openAPIOp{}
	ids := map[string]string{}
	for path, item := range doc.Paths {
		for m, raw := range item {
			if m == "parameters" || m == "summary" || m == "description" {
				continue
			}
			if !slices.Contains(methods, m) {
				t.Errorf("api/openapi.json: %s: unexpected method %q", path, m)
				continue
			}
			var op openAPIOp
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("api/openapi.json: %s %s: %v", m, path, err)
			}
			route := strings.ToUpper(m) + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", route)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %q also used by %s", route, op.OperationID, prev)
			}
			ids[op.OperationID] = route
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses", route)
			}
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") {
					name := strings.Trim(seg, "{}")
					if !slices.ContainsFunc(op.Parameters, func(p struct {
						Name string `json:"name"`
						In   string `json:"in"`
					}) bool {
						return p.Name == name && p.In == "path"
					}) {
						t.Errorf("%s: path parameter %s is not declared", route, name)
					}
				}
			}
			out[route] = op
		}
	}
	return out
}

var routePattern = regexp.MustCompile(`^(GET|HEAD|POST|PUT|PATCH|DELETE) (/[^ ]*)$`)

// isAPIRoute reports whether a route pattern belongs to the JSON API (and
// so to its OpenAPI document) rather than to the HTML pages.
func isAPIRoute(route string) bool {
	_, path, _ := strings.Cut(route, " ")
	return strings.HasPrefix(path, "/api/") || path == "/healthz"
}

// sourceRoutes returns every JSON API route pattern written as a string literal in
// the package's non-test files: the routes of routes.go (TestRoutesInOneFunction
// keeps them there).
func sourceRoutes(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && routePattern.MatchString(s) && isAPIRoute(s) {
				out[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
	}
	return out
}

// TestOpenAPIMatchesRoutes checks that every route the server registers is in
// api/openapi.json and every operation there is served by exactly its route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := documentedRoutes(t)
	src := sourceRoutes(t)
	s := New(Config{})
	if len(src) < 10 {
		t.Fatalf("found only %d route patterns in the source; the scan is broken", len(src))
	}

	for route, where := range src {
		if _, ok := doc[route]; !ok {
			t.Errorf("%s: route %q is not in api/openapi.json", where, route)
		}
	}
	for route := range doc {
		m := routePattern.FindStringSubmatch(route)
		if m == nil {
			t.Errorf("api/openapi.json: %q is not a method and a path", route)
			continue
		}
		// Fill path parameters with a sample value and ask the mux which
		// pattern serves the request.
		path := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(m[2], "1")
		r := httptest.NewRequest(m[1], path, nil)
		_, pattern := s.mux.Handler(r)
		if pattern != route {
			t.Errorf("api/openapi.json: %s is served by %q, want exactly that route", route, pattern)
		}
		if _, ok := src[route]; !ok {
			t.Errorf("api/openapi.json: %s: no route literal in server/*.go", route)
		}
	}
}
