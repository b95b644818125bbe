// Package screentest holds what the tests of several packages share about
// screening: the plan of names and goods as they are really written (issue
// 21) and the checks its report must pass, whichever way it was screened
// (the screen package, the command line, the API, the web form).
package screentest

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
)

// ScriptsPlan is testdata/scripts.yaml: partners and goods written with
// look-alike letters of other scripts, styled and hidden characters, each
// beside its plain spelling; goods described in Korean, Chinese and Russian
// for each UN DPRK paragraph, declared under a lawful code; and lawful goods
// so described. Each line's purpose says what its screening must show.
//
//go:embed testdata/scripts.yaml
var ScriptsPlan string

// ScriptsFile is its path relative to this package.
const ScriptsFile = "testdata/scripts.yaml"

// Expect is what one line of ScriptsPlan must screen as.
type Expect struct {
	Index       int
	Description string
	Partner     string
	Like        int    // screens like this line, with a finding on how it is written (0: none)
	NotClear    string // the UN paragraph that makes it not clear ("" when none)
	NotBanned   bool   // must not be prohibited
}

// Expectations reads the purposes of ScriptsPlan.
func Expectations() ([]Expect, error) {
	p, err := plan.Parse([]byte(ScriptsPlan), "scripts.yaml", plan.YAML)
	if err != nil {
		return nil, err
	}
	out := make([]Expect, len(p.Lines))
	for i, l := range p.Lines {
		e := Expect{Index: l.Index, Description: l.Description}
		if l.Partner != nil {
			e.Partner = l.Partner.Name
		}
		switch {
		case strings.HasPrefix(l.Purpose, "like "):
			if e.Like, err = strconv.Atoi(strings.TrimPrefix(l.Purpose, "like ")); err != nil {
				return nil, fmt.Errorf("line %d: purpose %q", l.Index, l.Purpose)
			}
		case strings.HasPrefix(l.Purpose, "not clear: "):
			e.NotClear = strings.TrimPrefix(l.Purpose, "not clear: ")
		case strings.HasPrefix(l.Purpose, "not prohibited"):
			e.NotBanned = true
		}
		out[i] = e
	}
	return out, nil
}

// Check returns what is wrong with a report of ScriptsPlan, screened with
// the classifier, the UN DPRK rules and the real UN and OFAC lists: one
// message per line that fails, nil when every line screens as its purpose
// says.
func Check(rep tradeplan.PlanReport) []string {
	exp, err := Expectations()
	if err != nil {
		return []string{err.Error()}
	}
	if len(rep.Lines) != len(exp) {
		return []string{fmt.Sprintf("%d lines in the report, want %d", len(rep.Lines), len(exp))}
	}
	var bad []string
	fail := func(e Expect, format string, args ...any) {
		what := e.Description
		if e.Partner != "" {
			what += " from " + strconv.Quote(e.Partner)
		}
		bad = append(bad, fmt.Sprintf("line %d (%s): %s", e.Index, what, fmt.Sprintf(format, args...)))
	}
	for i, e := range exp {
		l := rep.Lines[i]
		switch {
		case e.Like > 0:
			p := rep.Lines[e.Like-1]
			want := p.Verdict.Stricter(tradeplan.Review)
			if l.Verdict != want {
				fail(e, "verdict %s, want %s (line %d is %s, and the writing needs review)", l.Verdict, want, e.Like, p.Verdict)
			}
			if got, w := matches(l), matches(p); got != w {
				fail(e, "matches %q, line %d's %q", got, e.Like, w)
			}
			if got, w := goodsRules(l), goodsRules(p); got != w {
				fail(e, "goods rules %q, line %d's %q", got, e.Like, w)
			}
			if l.HS.Code != p.HS.Code {
				fail(e, "HS %s, line %d's %s", l.HS.Code, e.Like, p.HS.Code)
			}
			if !hasWritten(l) {
				fail(e, "no review finding says how it is written: %+v", l.Findings)
			}
		case e.NotClear != "":
			if l.Verdict == tradeplan.Clear || l.Verdict == tradeplan.Capped && !strings.Contains(e.NotClear, "OP5") {
				fail(e, "verdict %s under %s; want prohibited or review", l.Verdict, e.NotClear)
			}
		case e.NotBanned:
			if l.Verdict == tradeplan.Prohibited {
				fail(e, "prohibited: %+v", l.Findings)
			}
		}
	}
	return bad
}

func matches(l tradeplan.LineReport) string {
	var ids []string
	for _, f := range l.Findings {
		if f.Match != nil {
			ids = append(ids, f.List()+":"+f.EntryID()+":"+f.Strength())
		}
	}
	return strings.Join(ids, ",")
}

func goodsRules(l tradeplan.LineReport) string {
	var rs []string
	for _, f := range l.Findings {
		if f.Kind == tradeplan.KindGoods && f.Basis != nil {
			rs = append(rs, f.Rule()+":"+f.Outcome.String())
		}
	}
	return strings.Join(rs, ",")
}

// hasWritten reports a review finding on how a name or a description is
// written, showing it as written and as read.
func hasWritten(l tradeplan.LineReport) bool {
	for _, f := range l.Findings {
		if f.Outcome == tradeplan.Review && f.Match == nil && strings.Contains(f.Summary, "written \u201c") &&
			strings.Contains(f.Summary, "read as \u201c") {
			return true
		}
	}
	return false
}
