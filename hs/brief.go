package hs

import "github.com/tradeplan/tradeplan"

// AssignBrief is Assign without the candidates' evidence: the code, score,
// title, note, candidates and alternatives are Assign's, each candidate's
// Evidence is nil. Writing the evidence out is a third of a classification
// (its lines, the purpose and reading notes); a caller that reads only the
// codes and scores, such as the cross-check of a declared code, which
// cites the evidence only when the words disagree with the code, takes
// this and calls Assign for the evidence when it needs it.
func (c *Classifier) AssignBrief(description string, top int) (tradeplan.HSAssignment, []string) {
	return assignOf(c.classifyTop(description, top, false))
}
