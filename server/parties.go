package server

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/parties"
)

// PartyIndex searches the loaded sanctions lists (*parties.Index).
type PartyIndex interface {
	Search(q parties.Query) []parties.Match
}

// Limits of one parties screening request.
const (
	maxPartyNames   = 1000
	maxPartyNameLen = 300
	maxPartyTop     = 50
)

type partiesRequest struct {
	Names   []string `json:"names"`
	Top     int      `json:"top"`
	Country string   `json:"country"`
}

// partiesResponse is the shape of `tradeplan parties screen --format json`.
type partiesResponse struct {
	Results []parties.Result `json:"results"`
}

// screenParties screens names against the sanctions lists; no login, stores
// nothing.
func (s *Server) screenParties(w http.ResponseWriter, r *http.Request) error {
	if err := s.screenAllowed(r); err != nil {
		return err
	}
	if _, err := query(r); err != nil {
		return err
	}
	var req partiesRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	release, err := s.acquireScreening(r)
	if err != nil {
		return err
	}
	defer release()
	var ps tradeplan.Problems
	if len(req.Names) == 0 {
		ps.Add(tradeplan.Position{Path: "names"}, "", "want at least one name")
	}
	if len(req.Names) > maxPartyNames {
		ps.Add(tradeplan.Position{Path: "names"}, "", "at most %d names per request, got %d", maxPartyNames, len(req.Names))
	}
	for i, n := range req.Names {
		switch {
		case strings.TrimSpace(n) == "":
			ps.Add(tradeplan.Position{Path: "names[" + strconv.Itoa(i) + "]"}, "", "empty name")
		case !utf8.ValidString(n):
			ps.Add(tradeplan.Position{Path: "names[" + strconv.Itoa(i) + "]"}, "", "not valid UTF-8")
		case utf8.RuneCountInString(n) > maxPartyNameLen:
			ps.Add(tradeplan.Position{Path: "names[" + strconv.Itoa(i) + "]"}, "", "longer than %d characters", maxPartyNameLen)
		}
	}
	if req.Top < 0 || req.Top > maxPartyTop {
		ps.Add(tradeplan.Position{Path: "top"}, "", "want 1 to %d, got %d", maxPartyTop, req.Top)
	}
	if req.Country != "" && len(req.Country) != 2 {
		ps.Add(tradeplan.Position{Path: "country"}, "", "want an ISO 3166 alpha-2 code, got %s", quoteShort(req.Country))
	}
	if err := ps.Err("parties screening request"); err != nil {
		return err
	}
	idx := s.engine(r.Context(), PublicListsMaxAge).Parties
	if idx == nil {
		return tradeplan.Errorf(tradeplan.ENotFound, "no sanctions lists are loaded on this server")
	}
	resp := partiesResponse{Results: make([]parties.Result, len(req.Names))}
	for i, n := range req.Names {
		resp.Results[i] = parties.NewResult(n, idx.Search(parties.Query{Name: n, Country: strings.ToUpper(req.Country), Top: req.Top}))
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}
