package imports

import (
	"os"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/yamlnode"
)

// LoadUpgrades reads an upgrades file: the tier upgrades reviewers decided,
// each with the plan and line, the tier, the reviewer and the reason
// (docs/imports.md#upgrades).
func LoadUpgrades(path string) ([]Upgrade, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "read upgrades file: %v", err)
	}
	return ParseUpgrades(path, data)
}

// ParseUpgrades reads an upgrades document.
func ParseUpgrades(file string, data []byte) ([]Upgrade, error) {
	p := &parser{Reader: yamlnode.Reader{File: file}}
	var out []Upgrade
	if root := p.parseDoc(data, "upgrades"); root != nil {
		m := p.Fields(root, "", "upgrades")
		un, ok := m["upgrades"]
		if !ok {
			p.Errorf(root, "upgrades", "upgrades is required")
		}
		for i, n := range p.list(un, "upgrades") {
			path := index("upgrades", i)
			f := p.Fields(n, path, "plan", "line", "tier", "reviewer", "reason")
			var u Upgrade
			u.Plan = p.required(f, n, path, "plan")
			u.Line, _ = p.integer(f["line"], yamlnode.Join(path, "line"), 1, 1<<30)
			u.Tier, _ = p.integer(f["tier"], yamlnode.Join(path, "tier"), 1, 99)
			for _, k := range []string{"line", "tier"} {
				if _, ok := f[k]; !ok {
					p.Errorf(n, yamlnode.Join(path, k), "%s is required", k)
				}
			}
			u.Reviewer = p.required(f, n, path, "reviewer")
			u.Reason = p.required(f, n, path, "reason")
			out = append(out, u)
		}
	}
	if err := p.Probs.Err("upgrades file " + file); err != nil {
		return nil, err
	}
	return out, nil
}
