package parties

import (
	"fmt"

	"github.com/tradeplan/tradeplan/written"

	"github.com/tradeplan/tradeplan"
)

var _ tradeplan.PartyScreener = (*Index)(nil)

// ScreenParty screens a trading partner's name (and country) against the
// individuals and entities of the loaded lists. It returns strong matches
// (outcome prohibited) and possible matches (outcome review), best first.
func (ix *Index) ScreenParty(p tradeplan.Party) []tradeplan.Finding {
	if p.Name == "" {
		return nil
	}
	ms := ix.Search(Query{Name: p.Name, Country: p.Country, Kind: "party"})
	return append(WrittenFindings(tradeplan.KindParty, "partner name", p.Name), findings(tradeplan.KindParty, ms)...)
}

// ScreenVessel screens a vessel: its IMO number exactly against the ships'
// IMO numbers on the lists, its name against the listed vessels (a listed
// flag equal to the vessel's raises the score a little).
func (ix *Index) ScreenVessel(v tradeplan.Vessel) []tradeplan.Finding {
	if v.Name == "" && v.IMO == "" {
		return nil
	}
	ms := ix.Search(Query{Name: v.Name, IMO: v.IMO, Country: v.Flag, Kind: VesselKind})
	return append(WrittenFindings(tradeplan.KindVessel, "vessel name", v.Name), findings(tradeplan.KindVessel, ms)...)
}

// Finding turns a match into a screening finding.
func (m *Match) Finding(kind string) tradeplan.Finding {
	out := tradeplan.Review
	if m.Strength == Strong {
		out = tradeplan.Prohibited
	}
	what := "a designated party"
	if m.Kind == VesselKind {
		what = "a designated vessel"
	}
	listName := map[string]string{"un": "UN", "ofac": "OFAC SDN"}[m.List]
	return tradeplan.Finding{
		Kind:    kind,
		Outcome: out,
		Summary: fmt.Sprintf("%s match (%.2f) with %s on the %s list: %s (%s)",
			m.Strength, m.Score, what, listName, m.Name, m.ID),
		Basis: &tradeplan.Basis{Citation: m.Citation},
		Match: &tradeplan.Match{
			List:         m.List,
			EntryID:      m.ID,
			Name:         m.Name,
			MatchedName:  m.MatchedName,
			Query:        m.Query,
			Score:        m.Score,
			Strength:     m.Strength,
			EntryVersion: m.Version,
		},
		Explanation: m.Explanation,
	}
}

func findings(kind string, ms []Match) []tradeplan.Finding {
	var out []tradeplan.Finding
	for i := range ms {
		if ms[i].Strength == "" {
			continue
		}
		out = append(out, ms[i].Finding(kind))
	}
	return out
}

// WrittenFindings is a review finding for a name whose letters are not
// what they seem (letters of another script that look Latin, styled or
// hidden characters): however it screens, a person sees what was written
// and what it was read as. It is nil for a name read as written.
func WrittenFindings(kind, what, name string) []tradeplan.Finding {
	note, expl := WrittenNote(name)
	if note == "" {
		return nil
	}
	return []tradeplan.Finding{{Kind: kind, Outcome: tradeplan.Review, Summary: what + " " + note, Explanation: expl}}
}

// WrittenNote says how a name is written when its letters are not what
// they seem ("mixes Latin and Cyrillic letters: written “KОMID”, read as
// “KOMID”"), with the details; "" for a name read as written.
func WrittenNote(name string) (note, details string) {
	if written.IsASCII(name) {
		return "", ""
	}
	t := written.Read(name)
	if !t.Changed() {
		return "", ""
	}
	return t.Headline() + ": written " + strconvQuote(t.Written) + ", read as " + strconvQuote(t.Read), t.Summary()
}
