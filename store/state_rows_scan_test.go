package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// unguardedRewrites are the writes of rows that may exist that need no
// check against the chain: each sets every column from the caller's
// values, so no column changed behind the store survives into the digest
// recorded after (permit_declared: the totals recomputed from the
// declarations of each batch, in bulk).
var unguardedRewrites = map[string]bool{"unit_tolerances": true, "screening_basis": true, "permit_declared": true}

// TestEveryRewriteChecksTheChain: every function of the store whose SQL
// changes a row of a protected table that may already hold it (UPDATE, or
// INSERT ... ON CONFLICT DO UPDATE) checks the row against the chain first
// (guardRow, checkRow; chunks: guardChunks, guardNewChunks), so that a
// writer added later cannot bless a row changed behind the store.
func TestEveryRewriteChecksTheChain(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	var funcs []*ast.FuncDecl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				funcs = append(funcs, d)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if vs, ok := s.(*ast.ValueSpec); ok {
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								if l, ok := vs.Values[i].(*ast.BasicLit); ok && l.Kind == token.STRING {
									consts[n.Name], _ = strconv.Unquote(l.Value)
								}
							}
						}
					}
				}
			}
		}
	}
	protected := map[string]bool{}
	for _, tbl := range stateTables {
		protected[tbl.name] = true
	}
	update := regexp.MustCompile(`(?is)\bUPDATE\s+(\w+)\s+SET\b`)
	upsert := regexp.MustCompile(`(?is)\bINSERT\s+INTO\s+(\w+)\b.*\bON\s+CONFLICT\b.*\bDO\s+UPDATE\b`)
	checked := 0
	for _, fn := range funcs {
		var sqls []string
		guarded := false
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					s, _ := strconv.Unquote(n.Value)
					sqls = append(sqls, s)
				}
			case *ast.Ident:
				if s, ok := consts[n.Name]; ok {
					sqls = append(sqls, s)
				}
			case *ast.SelectorExpr:
				switch n.Sel.Name {
				case "guardRow", "guardChunks", "guardNewChunks", "guardChunkRange":
					guarded = true
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "checkRow" {
					guarded = true
				}
			}
			return true
		})
		// A function's SQL may be built in pieces: join them.
		all := strings.Join(sqls, " ")
		var tables []string
		for _, m := range update.FindAllStringSubmatch(all, -1) {
			if !onlySkipped(m[1], all[strings.Index(all, m[0])+len(m[0]):]) {
				tables = append(tables, m[1])
			}
		}
		for _, m := range upsert.FindAllStringSubmatch(all, -1) {
			tables = append(tables, m[1])
		}
		for _, tbl := range tables {
			if !protected[tbl] || unguardedRewrites[tbl] {
				continue
			}
			checked++
			if !guarded {
				t.Errorf("%s (%s) rewrites rows of %s without checking them against the audit chain first", fn.Name.Name, fset.Position(fn.Pos()), tbl)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d rewrites of protected tables found: the scan no longer sees the store's SQL", checked)
	}
}

// onlySkipped says whether the SET list that starts set changes only
// columns the digest of table leaves out (a token's last use).
func onlySkipped(table, set string) bool {
	set, _, _ = strings.Cut(strings.ToUpper(set), " WHERE ")
	for _, a := range strings.Split(set, ",") {
		col, _, _ := strings.Cut(strings.TrimSpace(a), "=")
		col = strings.ToLower(strings.TrimSpace(col))
		skipped := false
		for _, c := range stateSkip[table] {
			skipped = skipped || c == col
		}
		if !skipped {
			return false
		}
	}
	return true
}
