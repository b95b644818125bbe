// Package yamlnode reads hand-checked YAML documents node by node, placing
// every problem at its file, line, column and path: the one reader that the
// rule packs (rules) and the import-ranking files (imports) share.
package yamlnode

import (
	"fmt"
	"strings"

	"github.com/tradeplan/tradeplan"
	"go.yaml.in/yaml/v3"
)

// Reader collects the problems of one file.
type Reader struct {
	File  string
	Probs tradeplan.Problems
}

// At is the position of node n (nil: the file alone) at path.
func (r *Reader) At(n *yaml.Node, path string) tradeplan.Position {
	pos := tradeplan.Position{File: r.File, Path: path}
	if n != nil {
		pos.Line, pos.Column = n.Line, n.Column
	}
	return pos
}

// Errorf adds a problem at node n.
func (r *Reader) Errorf(n *yaml.Node, path, format string, args ...any) {
	r.Probs.Add(r.At(n, path), "", format, args...)
}

// Fields reads a mapping, reporting unknown and repeated keys. It returns
// the value nodes by key.
func (r *Reader) Fields(n *yaml.Node, path string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n == nil {
		return out
	}
	if n.Kind != yaml.MappingNode {
		r.Errorf(n, path, "want a mapping, found %s", KindName(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kp := Join(path, k.Value)
		known := false
		for _, a := range allowed {
			if a == k.Value {
				known = true
				break
			}
		}
		if !known {
			r.Errorf(k, kp, "unknown key %q (allowed: %s)", k.Value, strings.Join(allowed, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			r.Errorf(k, kp, "key %q given twice", k.Value)
			continue
		}
		out[k.Value] = v
	}
	return out
}

// Join is the path of key k under path.
func Join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// KindName names a node's kind in a problem's words.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}
