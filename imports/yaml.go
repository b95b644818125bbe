package imports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/yamlnode"
	"go.yaml.in/yaml/v3"
)

// parser reads one of the authority's YAML files, keeping every problem at
// its file, line, column and field.
type parser struct {
	yamlnode.Reader
}

// parseDoc reads the one YAML document of data and returns its root node,
// or nil with a problem.
func (p *parser) parseDoc(data []byte, what string) (root *yaml.Node) {
	defer func() {
		if r := recover(); r != nil { // yaml.v3 may panic on pathological input
			root = nil
			p.Probs.Add(tradeplan.Position{File: p.File}, "", "cannot read YAML: %v", r)
		}
	}()
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.Probs.Add(tradeplan.Position{File: p.File}, "", "empty %s", what)
			return nil
		}
		p.Probs.Add(tradeplan.Position{File: p.File, Line: yamlErrLine(err)}, "", "cannot read YAML: %v", err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.Errorf(&extra, "", "a %s file holds one YAML document; found another", what)
	}
	if len(doc.Content) == 0 {
		p.Probs.Add(tradeplan.Position{File: p.File}, "", "empty %s", what)
		return nil
	}
	return doc.Content[0]
}

func yamlErrLine(err error) int {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return 0
	}
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		j := i + 5
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(s[i+5 : j])
		return n
	}
	return 0
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

func (p *parser) str(n *yaml.Node, path string) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		p.Errorf(n, path, "want text, found %s", yamlnode.KindName(n))
		return ""
	}
	s := strings.TrimSpace(n.Value)
	if msg := tradeplan.CheckText(s, false); msg != "" {
		p.Errorf(n, path, "%s", msg)
		return ""
	}
	return s
}

func (p *parser) required(m map[string]*yaml.Node, parent *yaml.Node, path, key string) string {
	v, ok := m[key]
	if !ok {
		p.Errorf(parent, yamlnode.Join(path, key), "%s is required", key)
		return ""
	}
	s := p.str(v, yamlnode.Join(path, key))
	if s == "" && v.Kind == yaml.ScalarNode {
		p.Errorf(v, yamlnode.Join(path, key), "%s is empty", key)
	}
	return s
}

func (p *parser) list(n *yaml.Node, path string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.Errorf(n, path, "want a list, found %s", yamlnode.KindName(n))
		return nil
	}
	return n.Content
}

// decimal reads an exact figure at least zero (docs/quantities.md).
func (p *parser) decimal(n *yaml.Node, path string) (tradeplan.Decimal, bool) {
	s := p.str(n, path)
	if s == "" {
		if n != nil && n.Kind == yaml.ScalarNode {
			p.Errorf(n, path, "want a number, found nothing")
		}
		return tradeplan.Decimal{}, false
	}
	f, err := tradeplan.ParseDecimal(strings.ReplaceAll(s, "_", ""))
	if err != nil {
		p.Errorf(n, path, "want a number; found %q: %v", s, err)
		return tradeplan.Decimal{}, false
	}
	if f.Sign() < 0 {
		p.Errorf(n, path, "want a number at least 0, found %s", s)
		return tradeplan.Decimal{}, false
	}
	return f, true
}

// fraction reads a share in [0, 1].
func (p *parser) fraction(n *yaml.Node, path string) (tradeplan.Decimal, bool) {
	f, ok := p.decimal(n, path)
	if ok && f.Cmp(tradeplan.DecimalInt(1)) > 0 {
		p.Errorf(n, path, "want a share between 0 and 1, found %s", f)
		return tradeplan.Decimal{}, false
	}
	return f, ok
}

// integer reads a whole number in [lo, hi].
func (p *parser) integer(n *yaml.Node, path string, lo, hi int) (int, bool) {
	s := p.str(n, path)
	if s == "" {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		p.Errorf(n, path, "want a whole number from %d to %d, found %q", lo, hi, s)
		return 0, false
	}
	return v, true
}

func (p *parser) boolean(n *yaml.Node, path string) bool {
	s := p.str(n, path)
	switch s {
	case "", "false", "no":
		return false
	case "true", "yes":
		return true
	}
	p.Errorf(n, path, "want true or false, found %q", s)
	return false
}
