package server

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/parties"
)

// maxComparePairs bounds one compare request.
const maxComparePairs = 1000

type comparePair struct {
	Name1 string `json:"name1"`
	Name2 string `json:"name2"`
	Kind  string `json:"kind"`
}

type compareRequest struct {
	comparePair
	Pairs []comparePair `json:"pairs"`
}

// nameComparer is what an index of the loaded lists offers for a pairwise
// compare (*parties.Index).
type nameComparer interface {
	Compare(name1, name2, kind string) (parties.Comparison, error)
}

// compareParties scores name1 against name2 as if name2 were a list entry
// of the given kind (`tradeplan parties compare`), or each of pairs, in
// order; word weights come from the loaded lists when there are any. No
// login, stores nothing.
func (s *Server) compareParties(w http.ResponseWriter, r *http.Request) error {
	if err := s.screenAllowed(r); err != nil {
		return err
	}
	if _, err := query(r); err != nil {
		return err
	}
	var req compareRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	release, err := s.acquireScreening(r)
	if err != nil {
		return err
	}
	defer release()
	var ps tradeplan.Problems
	single := len(req.Pairs) == 0
	pairs := req.Pairs
	if single {
		pairs = []comparePair{req.comparePair}
	} else if req.Name1 != "" || req.Name2 != "" {
		ps.Add(tradeplan.Position{Path: "pairs"}, "", "give name1 and name2, or pairs, not both")
	}
	if len(pairs) > maxComparePairs {
		ps.Add(tradeplan.Position{Path: "pairs"}, "", "at most %d pairs per request, got %d", maxComparePairs, len(pairs))
		pairs = nil
	}
	for i := range pairs {
		p := &pairs[i]
		path := "pairs[" + strconv.Itoa(i) + "]."
		if single {
			path = ""
		}
		for _, f := range []struct{ name, v string }{{"name1", p.Name1}, {"name2", p.Name2}} {
			switch {
			case strings.TrimSpace(f.v) == "":
				ps.Add(tradeplan.Position{Path: path + f.name}, "", "empty name")
			case !utf8.ValidString(f.v):
				ps.Add(tradeplan.Position{Path: path + f.name}, "", "not valid UTF-8")
			case utf8.RuneCountInString(f.v) > maxPartyNameLen:
				ps.Add(tradeplan.Position{Path: path + f.name}, "", "longer than %d characters", maxPartyNameLen)
			}
		}
		if p.Kind == "" {
			p.Kind = parties.Entity
		}
		if p.Kind != parties.Individual && p.Kind != parties.Entity && p.Kind != parties.VesselKind {
			ps.Add(tradeplan.Position{Path: path + "kind"}, "", "want individual, entity or vessel, got %s", quoteShort(p.Kind))
		}
	}
	if err := ps.Err("parties compare request"); err != nil {
		return err
	}
	var ix nameComparer = (*parties.Index)(nil)
	if c, ok := s.engine(r.Context(), PublicListsMaxAge).Parties.(nameComparer); ok && c != nil {
		ix = c
	}
	out := make([]parties.Comparison, len(pairs))
	for i, p := range pairs {
		c, err := ix.Compare(p.Name1, p.Name2, p.Kind)
		if err != nil {
			return err
		}
		out[i] = c
	}
	if single {
		writeJSON(w, http.StatusOK, out[0])
		return nil
	}
	writeJSON(w, http.StatusOK, struct {
		Results []parties.Comparison `json:"results"`
	}{out})
	return nil
}
