package plan

import (
	"bytes"

	"github.com/tradeplan/tradeplan"
	"go.yaml.in/yaml/v3"
)

// Tree parses a YAML or JSON document of any schema into one node tree with
// the line and column of every value, as plan documents are read: a JSON
// document's positions are its own, YAML aliases are bounded
// (MaxAliasFactor), and a syntax error is a problem at its line. Other
// input documents (site files) validate the tree with their own schema,
// placing each problem at its node. root is nil when there are problems.
func Tree(data []byte, file string, f Format) (root *yaml.Node, probs tradeplan.Problems) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, bom))) == 0 {
		return nil, tradeplan.Problems{{Pos: tradeplan.Position{File: file, Line: 1, Column: 1}, Message: "empty document"}}
	}
	switch f {
	case YAML:
		root, probs = yamlRoot(data, file)
		if len(probs) == 0 {
			probs = checkAliases(root, file)
		}
	case JSON:
		root, probs = jsonRoot(data, file)
	default:
		probs.Add(tradeplan.Position{File: file}, "", "unknown format %q (want yaml or json)", string(f))
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return root, nil
}
