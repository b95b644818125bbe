package plan

import (
	"fmt"

	"github.com/tradeplan/tradeplan"
	"go.yaml.in/yaml/v3"
)

// YAML aliases (*name, and merge keys <<: *name) let a small document stand
// for a large plan: 1.4 MB of "- *line" made 200,001 lines. yaml.v3 keeps an
// alias as a pointer when it builds a node tree, so reading the tree is
// cheap, but everything after (the plan's lines, screening, storing,
// answering) pays for the expansion. The fast YAML reader takes no
// aliases; checkAliases bounds them on the general path.

// MaxAliasFactor is how many times aliases may expand a YAML document's
// text beyond what it writes out (its scalars and nodes); expansion up to
// minAliasBudget is allowed whatever the factor.
const MaxAliasFactor = 10

// minAliasBudget is the expanded size (bytes of scalars, plus one per
// node) any document may reach through aliases: a small plan that merges
// a mapping of defaults into each line goes beyond the factor.
const minAliasBudget = 256 << 10

// checkAliases returns a problem, at the alias where it goes over, when
// the aliases of the tree at root expand it more than MaxAliasFactor times
// (and beyond minAliasBudget).
func checkAliases(root *yaml.Node, file string) tradeplan.Problems {
	if root == nil {
		return nil
	}
	a := aliasSizer{memo: map[*yaml.Node]int{}}
	literal := a.size(root, false)
	if !a.aliases {
		return nil
	}
	budget := max(literal*MaxAliasFactor, minAliasBudget)
	a.budget, a.memo = budget, map[*yaml.Node]int{}
	a.size(root, true)
	if a.over == nil {
		return nil
	}
	return tradeplan.Problems{{Pos: tradeplan.Position{File: file, Line: a.over.Line, Column: a.over.Column},
		Message: fmt.Sprintf("YAML aliases expand the document to more than %d times what it writes out (%d bytes of values and nodes); write the lines out or send fewer", MaxAliasFactor, literal)}}
}

// aliasSizer measures a node tree: the bytes of its scalars and one per
// node, following aliases (expand) or counting each as one node.
type aliasSizer struct {
	memo    map[*yaml.Node]int // sizes of anchored nodes, expanded; -1 while measured
	aliases bool               // some alias was seen
	total   int                // the expanded size so far, in document order
	budget  int
	over    *yaml.Node // the alias at which total went over budget
}

func (a *aliasSizer) size(n *yaml.Node, expand bool) int {
	if n == nil || a.over != nil {
		return 0
	}
	switch n.Kind {
	case yaml.AliasNode:
		a.aliases = true
		if !expand {
			return 1
		}
		s, ok := a.memo[n.Alias]
		if !ok {
			// Measured apart: its own nodes count once where it is
			// written, and as a whole at each alias.
			saved := a.total
			s = a.subtree(n.Alias)
			a.total = saved
		}
		if s < 0 {
			s = 0 // an alias inside its own anchor; yaml.v3 refuses these
		}
		a.add(s, n)
		return s
	case yaml.ScalarNode:
		s := len(n.Value) + 1
		a.add(s, n)
		return s
	}
	s := 1
	a.add(1, n)
	for _, c := range n.Content {
		// Saturated: aliases of aliases grow exponentially.
		s = min(s+a.size(c, expand), maxSize)
		if a.over != nil {
			return s
		}
	}
	if n.Anchor != "" && expand {
		a.memo[n] = s
	}
	return s
}

// subtree measures an anchored node for its aliases, without a budget.
func (a *aliasSizer) subtree(n *yaml.Node) int {
	a.memo[n] = -1
	budget, over := a.budget, a.over
	a.budget = maxSize + 1
	s := a.size(n, true)
	a.budget, a.over = budget, over
	a.memo[n] = s
	return s
}

// maxSize is where sizes saturate.
const maxSize = 1 << 50

func (a *aliasSizer) add(s int, at *yaml.Node) {
	if a.budget <= 0 {
		return
	}
	a.total = min(a.total+s, maxSize)
	if a.total > a.budget && a.over == nil {
		a.over = at
	}
}
