package hs

import (
	"reflect"
	"strings"
	"testing"
)

// briefDescriptions is a large set of real descriptions: the labelled
// evaluation set, each of its descriptions cut at commas and "and" (the
// parts the screener weighs), the titles of every code of the nomenclature
// (official texts, with their figures and "other"), and the load
// generator's varied descriptions.
func briefDescriptions(t *testing.T, n *Nomenclature) []string {
	var out []string
	for _, e := range loadEval(t) {
		out = append(out, e.description)
		for _, p := range strings.FieldsFunc(e.description, func(r rune) bool { return r == ',' || r == ';' || r == '/' }) {
			out = append(out, strings.TrimSpace(p))
		}
		out = append(out, strings.Split(e.description, " and ")...)
	}
	for _, level := range []int{4, 6} {
		for _, code := range n.codes(level) {
			if e, ok := n.Lookup(code); ok {
				out = append(out, e.Title)
			}
		}
	}
	out = append(out, variedDescs(2000)...)
	out = append(out, "", "   ", "1500 cc", "motor cars of 1,500 cc", "propellers for fishing boats", "명태", "минтай")
	return out
}

// TestAssignBriefIsAssign: AssignBrief gives Assign's answer, every field,
// less the candidates' evidence, for the default classifier and the one
// with the imported HS 2022, on every description of briefDescriptions.
func TestAssignBriefIsAssign(t *testing.T) {
	cls := map[string]*Classifier{"default": defaultClassifier(t)}
	descs := briefDescriptions(t, cls["default"].Base())
	if !testing.Short() {
		n22, _ := loadFull(t)
		full, err := New(n22)
		if err != nil {
			t.Fatal(err)
		}
		cls["full"] = full
		descs = append(descs, briefDescriptions(t, n22)...)
	}
	for name, c := range cls {
		withEvidence := 0
		for _, d := range descs {
			want, wantAlts := c.Assign(d, 5)
			got, gotAlts := c.AssignBrief(d, 5)
			for i := range want.Candidates {
				if len(want.Candidates[i].Evidence) > 0 {
					withEvidence++
				}
				want.Candidates[i].Evidence = nil
			}
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotAlts, wantAlts) {
				t.Fatalf("%s: %q:\nbrief %+v %v\nfull  %+v %v", name, d, got, gotAlts, want, wantAlts)
			}
			for _, cd := range got.Candidates {
				if cd.Evidence != nil {
					t.Fatalf("%s: %q: brief candidate %s has evidence %q", name, d, cd.Code, cd.Evidence)
				}
			}
		}
		if withEvidence == 0 {
			t.Fatalf("%s: no candidate had evidence: the comparison compared nothing", name)
		}
		t.Logf("%s: %d descriptions, %d candidates with evidence", name, len(descs), withEvidence)
	}
}
