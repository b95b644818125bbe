package imports

import (
	"os"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/yamlnode"
)

// Crossings are the border crossings and what each can carry in a week (a
// crossings file, docs/imports.md#crossings).
type Crossings struct {
	File      string
	Crossings []Crossing
	// TonnesPer gives the weight of one unit of quantity that is not a mass
	// (bbl, l, m3, pcs) in tonnes, for placing such lines.
	TonnesPer map[string]tradeplan.Decimal
}

// Crossing is one crossing's weekly capacity.
type Crossing struct {
	Name          string
	Open          bool
	ClosedWeeks   map[int]bool      // weeks (1-based) it is closed in though open
	TonnesPerWeek tradeplan.Decimal // required
	Vehicles      []Vehicle         // further limits where given
}

// Vehicle is a limit by conveyance: at most PerWeek of Kind, each carrying
// at most TonnesEach (trucks, containers, wagons, vessel calls).
type Vehicle struct {
	Kind       string
	PerWeek    int
	TonnesEach tradeplan.Decimal
}

// LoadCrossings reads a crossings file.
func LoadCrossings(path string) (*Crossings, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "read crossings file: %v", err)
	}
	return ParseCrossings(path, data)
}

// ParseCrossings reads a crossings document.
func ParseCrossings(file string, data []byte) (*Crossings, error) {
	p := &parser{Reader: yamlnode.Reader{File: file}}
	c := p.crossings(data)
	if err := p.Probs.Err("crossings file " + file); err != nil {
		return nil, err
	}
	return c, nil
}

func (p *parser) crossings(data []byte) *Crossings {
	root := p.parseDoc(data, "crossings")
	if root == nil {
		return nil
	}
	m := p.Fields(root, "", "crossings", "tonnes_per")
	cs := &Crossings{File: p.File, TonnesPer: map[string]tradeplan.Decimal{}}
	if tp, ok := m["tonnes_per"]; ok {
		if tp.Kind != 4 {
			p.Errorf(tp, "tonnes_per", "want a mapping of unit to tonnes (bbl: 0.135), found %s", yamlnode.KindName(tp))
		} else {
			for i := 0; i+1 < len(tp.Content); i += 2 {
				k, v := tp.Content[i], tp.Content[i+1]
				path := yamlnode.Join("tonnes_per", k.Value)
				u, ok := tradeplan.LookupUnit(k.Value)
				if !ok {
					p.Errorf(k, path, "unknown unit %q", k.Value)
					continue
				}
				if u.Dimension == "mass" {
					p.Errorf(k, path, "%s is a mass: it needs no factor", u.Symbol)
					continue
				}
				if f, ok := p.decimal(v, path); ok {
					cs.TonnesPer[u.Symbol] = f
				}
			}
		}
	}
	seen := map[string]bool{}
	cn, ok := m["crossings"]
	if !ok {
		p.Errorf(root, "crossings", "crossings is required")
	}
	for i, n := range p.list(cn, "crossings") {
		path := index("crossings", i)
		f := p.Fields(n, path, "name", "open", "closed_weeks", "tonnes_per_week", "vehicles")
		c := Crossing{Open: true, ClosedWeeks: map[int]bool{}}
		c.Name = p.required(f, n, path, "name")
		if seen[c.Name] {
			p.Errorf(f["name"], yamlnode.Join(path, "name"), "crossing %q given twice", c.Name)
		}
		seen[c.Name] = true
		if o, ok := f["open"]; ok {
			c.Open = p.boolean(o, yamlnode.Join(path, "open"))
		}
		for j, w := range p.list(f["closed_weeks"], yamlnode.Join(path, "closed_weeks")) {
			if wk, ok := p.integer(w, index(yamlnode.Join(path, "closed_weeks"), j), 1, 520); ok {
				c.ClosedWeeks[wk] = true
			}
		}
		if t, ok := f["tonnes_per_week"]; ok {
			c.TonnesPerWeek, _ = p.decimal(t, yamlnode.Join(path, "tonnes_per_week"))
		} else {
			p.Errorf(n, yamlnode.Join(path, "tonnes_per_week"), "tonnes_per_week is required")
		}
		for j, v := range p.list(f["vehicles"], yamlnode.Join(path, "vehicles")) {
			vp := index(yamlnode.Join(path, "vehicles"), j)
			vf := p.Fields(v, vp, "kind", "per_week", "tonnes_each")
			var vh Vehicle
			vh.Kind = p.required(vf, v, vp, "kind")
			vh.PerWeek, _ = p.integer(vf["per_week"], yamlnode.Join(vp, "per_week"), 0, 1_000_000)
			if _, ok := vf["per_week"]; !ok {
				p.Errorf(v, yamlnode.Join(vp, "per_week"), "per_week is required")
			}
			if te, ok := vf["tonnes_each"]; ok {
				if d, ok := p.decimal(te, yamlnode.Join(vp, "tonnes_each")); ok {
					if d.Sign() == 0 {
						p.Errorf(te, yamlnode.Join(vp, "tonnes_each"), "want a load above 0")
					}
					vh.TonnesEach = d
				}
			} else {
				p.Errorf(v, yamlnode.Join(vp, "tonnes_each"), "tonnes_each is required")
			}
			c.Vehicles = append(c.Vehicles, vh)
		}
		cs.Crossings = append(cs.Crossings, c)
	}
	return cs
}

// Carries reports whether crossing c carries goods in week w (1-based).
func (c *Crossing) Carries(w int) bool { return c.Open && !c.ClosedWeeks[w] }
