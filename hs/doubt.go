package hs

import "github.com/tradeplan/tradeplan"

// What scores mean (docs/classification.md):
const (
	// Confident is the score from which the words of a description decide
	// the code: a lexicon rule explains (nearly) all the known words.
	Confident = 0.8
	// DoubtMargin: a runner-up with a different code scoring within this
	// margin of the best is a real alternative, and a screening must weigh
	// both (the line goes to review when their outcomes differ).
	DoubtMargin = 0.15
	// MinAlternative is the least score a runner-up needs to count as an
	// alternative at all.
	MinAlternative = 0.3
)

// Alternatives returns the codes of the runners-up that are in doubt with
// the best candidate: a different code, within DoubtMargin of its score and
// at least MinAlternative. cands is best first, as Classify returns them.
func Alternatives(cands []tradeplan.Candidate) []string {
	if len(cands) < 2 {
		return nil
	}
	var out []string
	best := cands[0]
	for _, c := range cands[1:] {
		if c.Code != best.Code && c.Score >= MinAlternative && best.Score-c.Score <= DoubtMargin+1e-9 {
			out = append(out, c.Code)
		}
	}
	return out
}

// Assign classifies a description into the assignment a line is screened
// under: the best candidate (Source "classified") or none.
func (c *Classifier) Assign(description string, top int) (tradeplan.HSAssignment, []string) {
	return assignOf(c.Classify(description, top))
}

// assignOf is the assignment of the candidates Classify found.
func assignOf(cands []tradeplan.Candidate) (tradeplan.HSAssignment, []string) {
	if len(cands) == 0 {
		return tradeplan.HSAssignment{Source: "none"}, nil
	}
	b := cands[0]
	a := tradeplan.HSAssignment{Code: b.Code, Source: "classified", Confidence: b.Score, Title: b.Title, Candidates: cands}
	alts := Alternatives(cands)
	if len(alts) > 0 {
		a.Note = "in doubt between " + FormatCode(b.Code)
		for _, x := range alts {
			a.Note += " and " + FormatCode(x)
		}
	}
	return a, alts
}
