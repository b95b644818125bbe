package rules

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/yamlnode"
	"go.yaml.in/yaml/v3"
)

//go:embed packs/*.yaml
var embedded embed.FS

// Default returns an engine with the embedded packs (the UN DPRK pack).
func Default() (*Engine, error) { return Load() }

// Load returns an engine with the embedded packs and the packs in paths:
// YAML files, or folders whose *.yaml and *.yml files are read in name order.
// Every problem of every pack is reported at once, at its file, line and field.
func Load(paths ...string) (*Engine, error) {
	packs, err := embeddedPacks()
	if err != nil {
		return nil, err
	}
	var probs tradeplan.Problems
	for _, p := range paths {
		files, err := packFiles(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, tradeplan.Errorf(tradeplan.EInvalid, "read rule pack %s: %v", f, err)
			}
			pk, ps := parsePack(f, data)
			probs = append(probs, ps...)
			if pk != nil {
				pk.Digest = contentDigest(data)
				packs = append(packs, pk)
			}
		}
	}
	if len(probs) > 0 {
		return nil, probs.Err("rule packs")
	}
	return New(packs...)
}

func contentDigest(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func embeddedPacks() ([]*Pack, error) {
	names, err := fs.Glob(embedded, "packs/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var packs []*Pack
	var probs tradeplan.Problems
	for _, n := range names {
		data, err := embedded.ReadFile(n)
		if err != nil {
			return nil, err
		}
		pk, ps := parsePack("embedded:"+strings.TrimPrefix(n, "packs/"), data)
		probs = append(probs, ps...)
		if pk != nil {
			pk.Digest = contentDigest(data)
			packs = append(packs, pk)
		}
	}
	if err := probs.Err("embedded rule packs"); err != nil {
		return nil, err
	}
	return packs, nil
}

func packFiles(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, tradeplan.Errorf(tradeplan.ENotFound, "rule pack %s: no such file or folder", p)
		}
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "rule pack %s: %v", p, err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "rule pack folder %s: %v", p, err)
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			out = append(out, filepath.Join(p, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "rule pack folder %s has no .yaml files", p)
	}
	return out, nil
}

// ParsePack reads one rule pack document. name is used in messages (a file
// path). Cross-pack checks (contradictions, superseded_by) happen in New.
func ParsePack(name string, data []byte) (*Pack, error) {
	pk, probs := parsePack(name, data)
	if err := probs.Err("rule pack " + name); err != nil {
		return nil, err
	}
	return pk, nil
}

type parser struct {
	yamlnode.Reader
}

func (p *parser) str(n *yaml.Node, path string) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		p.Errorf(n, path, "want text, found %s", yamlnode.KindName(n))
		return ""
	}
	return strings.TrimSpace(n.Value)
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

func (p *parser) strs(n *yaml.Node, path string) []string {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if s := strings.TrimSpace(n.Value); s != "" {
			return []string{s}
		}
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.Errorf(n, path, "want a list of text, found %s", yamlnode.KindName(n))
		return nil
	}
	var out []string
	for i, c := range n.Content {
		s := p.str(c, fmt.Sprintf("%s[%d]", path, i))
		if s == "" && c.Kind == yaml.ScalarNode {
			p.Errorf(c, fmt.Sprintf("%s[%d]", path, i), "empty entry")
			continue
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) number(n *yaml.Node, path string) (tradeplan.Decimal, bool) {
	s := p.str(n, path)
	if s == "" {
		return tradeplan.Decimal{}, false
	}
	f, err := tradeplan.ParseDecimalExact(strings.ReplaceAll(s, "_", ""))
	if err != nil {
		p.Errorf(n, path, "want a number: %v", err)
		return tradeplan.Decimal{}, false
	}
	if f.Sign() <= 0 {
		p.Errorf(n, path, "want a number above zero, found %s", s)
		return tradeplan.Decimal{}, false
	}
	if msg := tradeplan.CheckAmount(f); msg != "" {
		p.Errorf(n, path, "%s", msg)
		return tradeplan.Decimal{}, false
	}
	return f, true
}

func (p *parser) date(n *yaml.Node, path string) time.Time {
	s := p.str(n, path)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		p.Errorf(n, path, "want a date YYYY-MM-DD, found %q", s)
		return time.Time{}
	}
	return t
}

func parsePack(file string, data []byte) (pk *Pack, probs tradeplan.Problems) {
	p := &parser{Reader: yamlnode.Reader{File: file}}
	defer func() {
		// yaml.v3 may panic on pathological input; report it as a problem.
		if r := recover(); r != nil {
			pk = nil
			probs = append(p.Probs, tradeplan.Problem{Pos: tradeplan.Position{File: file}, Message: fmt.Sprintf("cannot read YAML: %v", r)})
		}
	}()
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.Probs.Add(tradeplan.Position{File: file}, "", "empty rule pack")
			return nil, p.Probs
		}
		p.Probs.Add(tradeplan.Position{File: file, Line: yamlErrLine(err)}, "", "cannot read YAML: %v", err)
		return nil, p.Probs
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.Errorf(&extra, "", "a rule pack file holds one YAML document; found another")
	}
	if len(doc.Content) == 0 {
		p.Probs.Add(tradeplan.Position{File: file}, "", "empty rule pack")
		return nil, p.Probs
	}
	root := doc.Content[0]
	m := p.Fields(root, "", "pack", "regime", "instrument", "target", "description", "source", "places", "rules")
	pk = &Pack{File: file}
	pk.Name = p.required(m, root, "", "pack")
	if pk.Name != "" && !validID(pk.Name) {
		p.Errorf(m["pack"], "pack", "pack name %q: use lower-case letters, digits and '-'", pk.Name)
	}
	pk.Regime = p.required(m, root, "", "regime")
	pk.Instrument = p.str(m["instrument"], "instrument")
	pk.Target = p.required(m, root, "", "target")
	if pk.Target != "" && !isAlpha2(pk.Target) {
		p.Errorf(m["target"], "target", "target %q: want an ISO 3166 alpha-2 code in capitals (KP)", pk.Target)
	}
	pk.Description = p.str(m["description"], "description")
	pk.Source = p.str(m["source"], "source")
	pk.Places = normTerms(p.strs(m["places"], "places"))
	rn, ok := m["rules"]
	switch {
	case !ok:
		p.Errorf(root, "rules", "rules is required")
	case rn.Kind != yaml.SequenceNode:
		p.Errorf(rn, "rules", "want a list of rules, found %s", yamlnode.KindName(rn))
	default:
		if len(rn.Content) == 0 {
			p.Errorf(rn, "rules", "the pack has no rules")
		}
		for i, n := range rn.Content {
			if r := p.rule(pk, n, fmt.Sprintf("rules[%d]", i)); r != nil {
				pk.Rules = append(pk.Rules, r)
			}
		}
	}
	p.packChecks(pk)
	if len(p.Probs) > 0 {
		return nil, p.Probs
	}
	return pk, nil
}

func yamlErrLine(err error) int {
	// yaml.v3 errors read "yaml: line N: ...".
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		j := i + 5
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if n, e := strconv.Atoi(s[j:k]); e == nil {
			return n
		}
	}
	return 0
}

func validID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func isAlpha2(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

var ruleKeys = []string{"id", "title", "citation", "status", "status_note", "policy", "notes",
	"effective", "superseded_by", "flow", "goods", "unit_value", "caps", "exemptions", "when",
	"outcome", "summary", "checked", "question", "wind_down"}

func (p *parser) rule(pk *Pack, n *yaml.Node, path string) *Rule {
	m := p.Fields(n, path, ruleKeys...)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	r := &Rule{Pack: pk, Pos: p.At(n, path)}
	r.Local = p.required(m, n, path, "id")
	if r.Local != "" && !validID(r.Local) {
		p.Errorf(m["id"], yamlnode.Join(path, "id"), "rule id %q: use lower-case letters, digits, '-' and '.'", r.Local)
	}
	r.ID = pk.Name + "/" + r.Local
	r.Pos.Path = path + " (" + r.Local + ")"
	r.Title = p.required(m, n, path, "title")
	r.Summary = p.required(m, n, path, "summary")

	if cn, ok := m["citation"]; ok {
		cp := yamlnode.Join(path, "citation")
		cm := p.Fields(cn, cp, "resolution", "year", "paragraph", "text")
		r.Citation.Resolution = p.required(cm, cn, cp, "resolution")
		r.Citation.Paragraph = p.required(cm, cn, cp, "paragraph")
		r.Citation.Text = p.str(cm["text"], yamlnode.Join(cp, "text"))
		if y := p.required(cm, cn, cp, "year"); y != "" {
			v, err := strconv.Atoi(y)
			if err != nil || v < 1945 || v > 2200 {
				p.Errorf(cm["year"], yamlnode.Join(cp, "year"), "want a year such as 2017, found %q", y)
			}
			r.Citation.Year = v
		}
	} else {
		p.Errorf(n, yamlnode.Join(path, "citation"), "citation is required")
	}

	r.Status = p.required(m, n, path, "status")
	switch r.Status {
	case StatusVerified, StatusRecalled, StatusPolicy, "":
	default:
		p.Errorf(m["status"], yamlnode.Join(path, "status"), "unknown status %q (want verified, recalled or policy)", r.Status)
	}
	r.StatusNote = p.str(m["status_note"], yamlnode.Join(path, "status_note"))
	r.Policy = p.str(m["policy"], yamlnode.Join(path, "policy"))
	if r.Status == StatusRecalled && r.StatusNote == "" {
		p.Errorf(n, yamlnode.Join(path, "status_note"), "a recalled rule needs status_note saying what is to be confirmed")
	}
	if r.Status == StatusPolicy && r.Policy == "" {
		p.Errorf(n, yamlnode.Join(path, "policy"), "a policy rule needs policy saying what the policy is")
	}
	r.Notes = p.strs(m["notes"], yamlnode.Join(path, "notes"))
	r.Checked = p.str(m["checked"], yamlnode.Join(path, "checked"))
	if r.Status == StatusVerified && r.Checked == "" {
		p.Errorf(n, yamlnode.Join(path, "checked"), "a verified rule needs checked saying where its paragraph was checked (document symbol, paragraph, the text read)")
	}
	r.Question = p.str(m["question"], yamlnode.Join(path, "question"))

	if en, ok := m["effective"]; ok {
		ep := yamlnode.Join(path, "effective")
		em := p.Fields(en, ep, "from", "to")
		r.From = p.date(em["from"], yamlnode.Join(ep, "from"))
		if _, ok := em["from"]; !ok {
			p.Errorf(en, yamlnode.Join(ep, "from"), "from is required (the day the measure took effect)")
		}
		r.To = p.date(em["to"], yamlnode.Join(ep, "to"))
		if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
			p.Errorf(em["to"], yamlnode.Join(ep, "to"), "to (%s) is before from (%s)", r.To.Format(dateLayout), r.From.Format(dateLayout))
		}
	} else {
		p.Errorf(n, yamlnode.Join(path, "effective"), "effective is required (from, and to when no longer in force)")
	}
	if s := p.str(m["superseded_by"], yamlnode.Join(path, "superseded_by")); s != "" {
		if !strings.Contains(s, "/") {
			s = pk.Name + "/" + s
		}
		r.SupersededBy = s
		if r.To.IsZero() {
			p.Errorf(m["superseded_by"], yamlnode.Join(path, "effective.to"), "a superseded rule needs effective.to (its last day in force)")
		}
	}

	switch f := Flow(p.required(m, n, path, "flow")); f {
	case FromTarget, ToTarget, BothFlows:
		r.Flow = f
	case "":
	default:
		p.Errorf(m["flow"], yamlnode.Join(path, "flow"), "unknown flow %q (want from-target, to-target or both)", f)
	}

	switch o := p.required(m, n, path, "outcome"); o {
	case "prohibited":
		r.Outcome = tradeplan.Prohibited
	case "capped":
		r.Outcome = tradeplan.Capped
	case "review":
		r.Outcome = tradeplan.Review
	case "":
	default:
		p.Errorf(m["outcome"], yamlnode.Join(path, "outcome"), "unknown outcome %q (want prohibited, capped or review)", o)
	}

	if w := p.str(m["when"], yamlnode.Join(path, "when")); w != "" {
		if w != "exemption-cited" {
			p.Errorf(m["when"], yamlnode.Join(path, "when"), "unknown condition %q (want exemption-cited)", w)
		}
		r.WhenExemptionCited = true
	}

	if wn, ok := m["wind_down"]; ok {
		wp := yamlnode.Join(path, "wind_down")
		wm := p.Fields(wn, wp, "to", "condition")
		w := &WindDown{Condition: p.required(wm, wn, wp, "condition")}
		w.To = p.date(wm["to"], yamlnode.Join(wp, "to"))
		if _, ok := wm["to"]; !ok {
			p.Errorf(wn, yamlnode.Join(wp, "to"), "to is required (the last day contracts made before adoption may be performed)")
		}
		if !w.To.IsZero() && !r.From.IsZero() && w.To.Before(r.From) {
			p.Errorf(wm["to"], yamlnode.Join(wp, "to"), "the wind-down ends %s, before the rule takes effect (%s)", w.To.Format(dateLayout), r.From.Format(dateLayout))
		}
		if !w.To.IsZero() && !r.To.IsZero() && w.To.After(r.To) {
			p.Errorf(wm["to"], yamlnode.Join(wp, "to"), "the wind-down ends %s, after the rule's last day (%s)", w.To.Format(dateLayout), r.To.Format(dateLayout))
		}
		if r.Outcome != tradeplan.Prohibited && r.Outcome != 0 {
			p.Errorf(wn, wp, "a wind-down is for a prohibition (outcome is %s)", r.Outcome)
		}
		r.WindDown = w
	}

	if gn, ok := m["goods"]; ok {
		gp := yamlnode.Join(path, "goods")
		gm := p.Fields(gn, gp, "include", "exclude", "description")
		r.Include = p.specs(gm["include"], yamlnode.Join(gp, "include"))
		r.Exclude = p.specs(gm["exclude"], yamlnode.Join(gp, "exclude"))
		r.Description = p.terms(gm["description"], yamlnode.Join(gp, "description"))
		if in := gm["include"]; in == nil || (in.Kind == yaml.SequenceNode && len(in.Content) == 0) {
			p.Errorf(gn, yamlnode.Join(gp, "include"), "goods.include needs at least one HS code")
		}
		for _, x := range r.Exclude {
			if !x.Description.empty() {
				p.Errorf(nil, x.Pos.Path, "an exclude entry takes no description")
			}
		}
	} else {
		p.Errorf(n, yamlnode.Join(path, "goods"), "goods is required")
	}

	if un, ok := m["unit_value"]; ok {
		up := yamlnode.Join(path, "unit_value")
		um := p.Fields(un, up, "over", "currency", "per")
		t := &Threshold{Currency: p.required(um, un, up, "currency"), Per: "pcs"}
		t.Over, _ = p.number(um["over"], yamlnode.Join(up, "over"))
		if _, ok := um["over"]; !ok {
			p.Errorf(un, yamlnode.Join(up, "over"), "over is required")
		}
		if s := p.str(um["per"], yamlnode.Join(up, "per")); s != "" {
			if u, ok := tradeplan.LookupUnit(s); ok {
				t.Per = u.Symbol
			} else {
				p.Errorf(um["per"], yamlnode.Join(up, "per"), "unknown unit %q", s)
			}
		}
		r.UnitValue = t
	}

	if cn, ok := m["caps"]; ok {
		cp := yamlnode.Join(path, "caps")
		if cn.Kind != yaml.SequenceNode {
			p.Errorf(cn, cp, "want a list of caps, found %s", yamlnode.KindName(cn))
		} else {
			for i, c := range cn.Content {
				if cp := p.cap(pk, c, fmt.Sprintf("%s[%d]", cp, i)); cp != nil {
					r.Caps = append(r.Caps, cp)
				}
			}
		}
	}
	if r.Outcome == tradeplan.Capped && len(r.Caps) == 0 && len(p.Probs) == 0 {
		p.Errorf(n, yamlnode.Join(path, "caps"), "a capped rule needs caps")
	}
	if r.Outcome != tradeplan.Capped && len(r.Caps) > 0 {
		p.Errorf(m["caps"], yamlnode.Join(path, "caps"), "caps are only for outcome capped (outcome is %s)", r.Outcome)
	}

	if xn, ok := m["exemptions"]; ok {
		xp := yamlnode.Join(path, "exemptions")
		if xn.Kind != yaml.SequenceNode {
			p.Errorf(xn, xp, "want a list of exemptions, found %s", yamlnode.KindName(xn))
		} else {
			for i, c := range xn.Content {
				ip := fmt.Sprintf("%s[%d]", xp, i)
				xm := p.Fields(c, ip, "id", "summary", "origin", "terms", "hs")
				x := Exemption{Pos: p.At(c, ip)}
				x.ID = p.required(xm, c, ip, "id")
				x.Summary = p.required(xm, c, ip, "summary")
				if o := p.str(xm["origin"], yamlnode.Join(ip, "origin")); o != "" {
					if o != "not-target" {
						p.Errorf(xm["origin"], yamlnode.Join(ip, "origin"), "unknown origin condition %q (want not-target)", o)
					}
					x.OriginNotTarget = true
				}
				x.Terms = p.terms(xm["terms"], yamlnode.Join(ip, "terms"))
				x.HS = p.specs(xm["hs"], yamlnode.Join(ip, "hs"))
				for _, h := range x.HS {
					if !h.Description.empty() {
						p.Errorf(nil, h.Pos.Path, "an exemption's HS entry takes no description (use the exemption's terms)")
					}
				}
				if !x.OriginNotTarget && !x.Terms.needsText() {
					p.Errorf(c, ip, "an exemption needs a condition: origin or terms (a Committee exemption reference applies to every rule without one)")
				}
				r.Exemptions = append(r.Exemptions, x)
			}
		}
	}
	return r
}

func (p *parser) specs(n *yaml.Node, path string) []GoodsSpec {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.Errorf(n, path, "want a list of HS codes, found %s", yamlnode.KindName(n))
		return nil
	}
	var out []GoodsSpec
	for i, c := range n.Content {
		ip := fmt.Sprintf("%s[%d]", path, i)
		s := GoodsSpec{Pos: p.At(c, ip)}
		valNode := c
		switch c.Kind {
		case yaml.ScalarNode:
			s.Raw = c.Value
		case yaml.MappingNode:
			m := p.Fields(c, ip, "hs", "description", "policy")
			s.Raw = p.required(m, c, ip, "hs")
			valNode = m["hs"]
			s.Description = p.terms(m["description"], yamlnode.Join(ip, "description"))
			s.Policy = p.str(m["policy"], yamlnode.Join(ip, "policy"))
		default:
			p.Errorf(c, ip, "want an HS code or a mapping with hs, found %s", yamlnode.KindName(c))
			continue
		}
		if s.Raw == "" {
			continue
		}
		lo, hi, err := parseSpec(s.Raw)
		if err != nil {
			p.Errorf(valNode, ip, "%v", err)
			continue
		}
		s.Lo, s.Hi = lo, hi
		out = append(out, s)
	}
	return out
}

func (p *parser) terms(n *yaml.Node, path string) Terms {
	var t Terms
	if n == nil {
		return t
	}
	m := p.Fields(n, path, "any", "all", "none", "if_missing")
	t.Any = normTerms(p.strs(m["any"], yamlnode.Join(path, "any")))
	t.All = normTerms(p.strs(m["all"], yamlnode.Join(path, "all")))
	t.None = normTerms(p.strs(m["none"], yamlnode.Join(path, "none")))
	t.IfMissing = p.str(m["if_missing"], yamlnode.Join(path, "if_missing"))
	switch t.IfMissing {
	case "":
		t.IfMissing = "review"
	case "review", "skip":
	default:
		p.Errorf(m["if_missing"], yamlnode.Join(path, "if_missing"), "unknown value %q (want review or skip)", t.IfMissing)
	}
	if t.empty() && n.Kind == yaml.MappingNode {
		p.Errorf(n, path, "description conditions need any, all or none")
	}
	return t
}

func normTerms(ts []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range ts {
		n := normText(t)
		if strings.TrimSpace(n) != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func (p *parser) cap(pk *Pack, n *yaml.Node, path string) *Cap {
	m := p.Fields(n, path, "id", "limit", "unit", "period", "start", "from", "to", "conversions", "note")
	if n.Kind != yaml.MappingNode {
		return nil
	}
	c := &Cap{}
	local := p.required(m, n, path, "id")
	if local != "" && !validID(local) {
		p.Errorf(m["id"], yamlnode.Join(path, "id"), "cap id %q: use lower-case letters, digits, '-' and '.'", local)
	}
	c.ID = pk.Name + "/" + local
	c.Limit, _ = p.number(m["limit"], yamlnode.Join(path, "limit"))
	if _, ok := m["limit"]; !ok {
		p.Errorf(n, yamlnode.Join(path, "limit"), "limit is required")
	}
	c.Unit = p.required(m, n, path, "unit")
	if c.Unit != "" {
		if u, ok := tradeplan.LookupUnit(c.Unit); ok {
			c.Unit = u.Symbol
		} else if !isCurrency(c.Unit) {
			p.Errorf(m["unit"], yamlnode.Join(path, "unit"), "unknown unit %q (want a unit such as t or bbl, or a currency such as USD)", c.Unit)
		}
	}
	c.Note = p.str(m["note"], yamlnode.Join(path, "note"))
	c.Period = p.required(m, n, path, "period")
	switch c.Period {
	case PeriodCalendarYear:
	case PeriodRolling12:
		c.Start = p.date(m["start"], yamlnode.Join(path, "start"))
		if _, ok := m["start"]; !ok {
			p.Errorf(n, yamlnode.Join(path, "start"), "a rolling-12-months cap needs start")
		}
	case PeriodFixed:
		c.From = p.date(m["from"], yamlnode.Join(path, "from"))
		c.To = p.date(m["to"], yamlnode.Join(path, "to"))
		if _, ok := m["from"]; !ok {
			p.Errorf(n, yamlnode.Join(path, "from"), "a fixed cap needs from and to")
		} else if _, ok := m["to"]; !ok {
			p.Errorf(n, yamlnode.Join(path, "to"), "a fixed cap needs from and to")
		} else if !c.From.IsZero() && !c.To.IsZero() && c.To.Before(c.From) {
			p.Errorf(m["to"], yamlnode.Join(path, "to"), "to is before from")
		}
	case "":
	default:
		p.Errorf(m["period"], yamlnode.Join(path, "period"), "unknown period %q (want calendar-year, rolling-12-months or fixed)", c.Period)
	}
	if cn, ok := m["conversions"]; ok {
		cp := yamlnode.Join(path, "conversions")
		if cn.Kind != yaml.SequenceNode {
			p.Errorf(cn, cp, "want a list of conversions, found %s", yamlnode.KindName(cn))
		} else {
			for i, e := range cn.Content {
				ip := fmt.Sprintf("%s[%d]", cp, i)
				em := p.Fields(e, ip, "from", "factor", "note")
				cv := Conversion{Note: p.str(em["note"], yamlnode.Join(ip, "note"))}
				from := p.required(em, e, ip, "from")
				if u, ok := tradeplan.LookupUnit(from); ok {
					cv.From = u.Symbol
					if cu, ok := tradeplan.LookupUnit(c.Unit); ok && cu.Dimension == u.Dimension {
						p.Errorf(em["from"], yamlnode.Join(ip, "from"), "%s and %s convert without a factor; a conversion is for other dimensions", from, c.Unit)
					}
				} else if from != "" {
					p.Errorf(em["from"], yamlnode.Join(ip, "from"), "unknown unit %q", from)
				}
				cv.Factor, _ = p.number(em["factor"], yamlnode.Join(ip, "factor"))
				if _, ok := em["factor"]; !ok {
					p.Errorf(e, yamlnode.Join(ip, "factor"), "factor is required (cap units per %s)", from)
				}
				if cv.Note == "" {
					p.Errorf(e, yamlnode.Join(ip, "note"), "a conversion needs a note saying where its factor comes from")
				}
				c.Conversions = append(c.Conversions, cv)
			}
		}
	}
	return c
}

func isCurrency(s string) bool {
	return len(s) == 3 && strings.ToUpper(s) == s && isAlpha2(s[:2]) && s[2] >= 'A' && s[2] <= 'Z'
}

// packChecks are the checks within one pack: unique ids, superseded_by
// targets, caps that agree.
func (p *parser) packChecks(pk *Pack) {
	ids := map[string]*Rule{}
	for _, r := range pk.Rules {
		if r.Local == "" {
			continue
		}
		if o, dup := ids[r.ID]; dup {
			p.Probs.Add(r.Pos, "id", "rule id %q is already used at line %d", r.Local, o.Pos.Line)
			continue
		}
		ids[r.ID] = r
	}
	for _, r := range pk.Rules {
		if r.SupersededBy == "" || !strings.HasPrefix(r.SupersededBy, pk.Name+"/") {
			continue
		}
		s, ok := ids[r.SupersededBy]
		if !ok {
			p.Probs.Add(r.Pos, "superseded_by", "superseded_by %q: no such rule in pack %s", r.SupersededBy, pk.Name)
			continue
		}
		if !s.From.IsZero() && !r.To.IsZero() && r.To.Before(s.From.AddDate(0, 0, -1)) {
			p.Probs.Add(r.Pos, "effective.to", "ends %s but %s, which supersedes it, starts only %s: a gap", r.To.Format(dateLayout), s.ID, s.From.Format(dateLayout))
		}
	}
}
