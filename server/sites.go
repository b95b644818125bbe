package server

import (
	"io"
	"net/http"
	"strconv"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/feasibility"
	"github.com/tradeplan/tradeplan/plan"
)

// An organisation's site file (docs/feasibility.md): upload, versions, and
// the authority's review that makes a version count. The rules are
// package licensing's (sites.go); its routes are in routes.go.

// uploadSites stores a site file (YAML or JSON by Content-Type) as the
// organisation's next version: 201 with the version, claimed until a
// reviewer of the authority accepts it.
func (l *licensingAPI) uploadSites(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	org, err := pathID(r, "organisation")
	if err != nil {
		return err
	}
	f, ok := plan.FormatFromContentType(r.Header.Get("Content-Type"))
	if !ok || f == plan.CSV {
		return unsupportedMedia(r, "application/yaml", "application/json")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, feasibility.MaxFileSize+1))
	if err != nil {
		return err
	}
	if len(body) > feasibility.MaxFileSize {
		return tooLarge(feasibility.MaxFileSize)
	}
	if f == plan.JSON {
		if err := checkJSONText(body); err != nil {
			return err
		}
	}
	sf, err := l.svc.UploadSites(r.Context(), actor(r), org, f, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sf)
	return nil
}

// getSites shows a version of the site file with its content: the newest,
// or ?version=N.
func (l *licensingAPI) getSites(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "version")
	if err != nil {
		return err
	}
	org, err := pathID(r, "organisation")
	if err != nil {
		return err
	}
	v, _, err := queryInt(q, "version", 1, 1<<31-1)
	if err != nil {
		return err
	}
	sv, err := l.svc.Sites(r.Context(), actor(r), org, int(v))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sv)
	return nil
}

// listSiteVersions lists the versions, oldest first, without content.
func (l *licensingAPI) listSiteVersions(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	org, err := pathID(r, "organisation")
	if err != nil {
		return err
	}
	vs, err := l.svc.SiteVersions(r.Context(), actor(r), org)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"organisation": org, "versions": vs})
	return nil
}

// reviewSites accepts or rejects a claimed version, with a reason.
func (l *licensingAPI) reviewSites(accept bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := query(r); err != nil {
			return err
		}
		org, err := pathID(r, "organisation")
		if err != nil {
			return err
		}
		v, err := strconv.Atoi(r.PathValue("version"))
		if err != nil || v < 1 {
			return tradeplan.Errorf(tradeplan.ENotFound, "site file version %s not found", quoteShort(r.PathValue("version")))
		}
		var req reasonRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		sf, err := l.svc.ReviewSites(r.Context(), actor(r), org, v, accept, req.Reason)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, sf)
		return nil
	}
}
