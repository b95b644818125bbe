package tradeplan_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/tradeplan/tradeplan"

// adapters are the packages that may reach storage, the network server or
// the licensing service, with what each may still not depend on. Every other
// package of the module is pure: the domain at the root, plan, written, hs,
// rules, parties, screen and any new package of the same kind. A new
// adapter package is added here, with its own limits (docs/architecture.md).
var adapters = map[string][]string{
	"licensing":               {"store", "server", "cmd/", "database/sql", "net/http"},
	"licensing/licensingtest": {"store", "server", "cmd/", "database/sql", "net/http"},
	"accounts":                {"store", "server", "cmd/", "database/sql", "net/http"},
	"accounts/accountstest":   {"store", "server", "cmd/", "database/sql", "net/http"},
	"store":                   {"server", "cmd/"},
	"store/storetest":         {"server", "cmd/"},
	"server":                  {"cmd/"},
	"cmd/tradeplan":           {},
	"cmd/loadgen":             {},
	// The generated HTTP client: it knows the API only through
	// api/openapi.json, never through the server's own types.
	"api/client": {".", "store", "server", "licensing", "accounts", "plan", "screen", "cmd/", "database/sql"},
}

// pureLimits is what a pure package may not depend on, even indirectly.
var pureLimits = []string{"store", "server", "licensing", "cmd/", "database/sql"}

// TestLayers checks the import graph (go list -deps): no pure package
// depends on storage, the server or the licensing service, and no adapter
// on one above it.
func TestLayers(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", "./...").Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list: %v\n%s", err, stderr)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := rel(fields[0])
		limits, adapter := adapters[pkg]
		if !adapter {
			limits = pureLimits
		}
		seen++
		for _, dep := range fields[1:] {
			name, inside := rel(dep), strings.HasPrefix(dep, module)
			if !inside && strings.Contains(strings.SplitN(dep, "/", 2)[0], ".") {
				continue // another module's package: only the standard library is limited
			}
			for _, bad := range limits {
				// Inside the module a limit covers the packages under it
				// too (store: store/storetest); a standard package is
				// named exactly (database/sql, not database/sql/driver,
				// which a decimal type implements).
				hit := name == strings.TrimSuffix(bad, "/")
				if inside {
					hit = hit || strings.HasPrefix(name, strings.TrimSuffix(bad, "/")+"/")
				}
				if hit {
					kind := "pure package"
					if adapter {
						kind = "package"
					}
					t.Errorf("%s %q depends on %q; see docs/architecture.md for what each package may import", kind, pkg, name)
				}
			}
		}
	}
	if seen < 10 {
		t.Fatalf("go list named only %d packages", seen)
	}
}

// rel is a package of this module as a path inside it ("." for the root),
// or dep unchanged.
func rel(dep string) string {
	if dep == module {
		return "."
	}
	if r, ok := strings.CutPrefix(dep, module+"/"); ok {
		return r
	}
	return dep
}
