package screen

import "github.com/tradeplan/tradeplan"

// briefAssigner is a classifier that can leave the candidates' evidence out
// of an assignment (hs.Classifier.AssignBrief): every other field is
// Assign's.
type briefAssigner interface {
	AssignBrief(description string, top int) (tradeplan.HSAssignment, []string)
}

// briefKeyer is a classifier that says which descriptions share a brief
// assignment (hs.Classifier.BriefKey): descriptions that differ only in a
// lot or invoice number are classified once.
type briefKeyer interface {
	BriefKey(description string) string
}

// assignBrief is assign without the candidates' evidence, where the
// classifier can leave it out, for the steps that read only codes and
// scores: the cross-check of a declared code and the weighing of a list's
// parts, which take assign's full answer only to cite its evidence, when
// the words disagree with the code. On a cold description the evidence was
// a third of its classification, written out and thrown away.
func (s *Screener) assignBrief(d string) (tradeplan.HSAssignment, []string) {
	b, ok := s.cfg.Classifier.(briefAssigner)
	if !ok {
		return s.assign(d)
	}
	key := d
	if k, ok := b.(briefKeyer); ok {
		key = k.BriefKey(d)
	}
	v := s.briefs.Get(key, func() assignment {
		a, alts := b.AssignBrief(d, topCandidates)
		return assignment{a, alts}
	})
	return v.a, v.alts
}
