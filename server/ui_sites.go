package server

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/feasibility"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
)

// The site files of organisations on the web (licensing/sites.go, the API's
// /api/v1/orgs/{id}/sites): an index of the organisations whose files the
// reader may see, an organisation's versions with their status and the
// upload form, and a version's sites with the form that accepts or rejects
// it. Every rule is the service's: who may not see an organisation's site
// files gets 404 on each page and form, the applicant uploads but never
// reviews (the review form is not offered and a post of it is refused).

type siteOrgRow struct {
	ID       int64
	Name     string
	Versions int
	Newest   *licensing.SiteFile
	Accepted int // newest accepted version, 0: none
	Claimed  int // versions nobody has reviewed
}

type sitesView struct {
	// The index (Org == 0).
	Orgs []siteOrgRow
	// An organisation's versions, newest first.
	Org       int64
	OrgName   string
	Versions  []licensing.SiteFile
	CanUpload bool
	CanReview bool
}

type siteFileView struct {
	F         licensing.SiteFileView
	OrgName   string
	Sites     []*feasibility.Site
	Policy    feasibility.Policy
	Patterns  []feasibility.Pattern
	CanReview bool
}

// sitesIndex lists the organisations of the reader's tree whose site files
// it may see, with what waits for review.
func (u *ui) sitesIndex(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	orgs, err := u.s.accounts.Orgs(tradeplan.WithActor(r.Context(), q.actor), tradeplan.OrgFilter{Under: &q.actor.Org.ID})
	if err != nil {
		return err
	}
	var v sitesView
	for _, o := range orgs {
		vs, err := svc.SiteVersions(r.Context(), q.actor, o.ID)
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			continue
		}
		if err != nil {
			return err
		}
		row := siteOrgRow{ID: o.ID, Name: o.Name, Versions: len(vs)}
		for i := range vs {
			switch vs[i].Status {
			case licensing.SitesAccepted:
				row.Accepted = vs[i].Version
			case licensing.SitesClaimed:
				row.Claimed++
			}
		}
		if len(vs) > 0 {
			row.Newest = &vs[len(vs)-1]
		}
		v.Orgs = append(v.Orgs, row)
	}
	u.render(w, r, http.StatusOK, "sites", q, page{Title: "Site files", Nav: "sites", Data: v})
	return nil
}

// siteVersions is an organisation's site file versions, newest first, with
// the upload form for who may upload.
func (u *ui) siteVersions(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	org, err := uiPathID(r, "organisation")
	if err != nil {
		return err
	}
	vs, err := svc.SiteVersions(r.Context(), q.actor, org)
	if err != nil {
		return err
	}
	v := sitesView{Org: org, OrgName: u.siteOrgName(r, q, org)}
	for i := len(vs) - 1; i >= 0; i-- {
		v.Versions = append(v.Versions, vs[i])
	}
	v.CanUpload = svc.Allowed(r.Context(), q.actor, licensing.ActWriteSites, org)
	v.CanReview = svc.Allowed(r.Context(), q.actor, licensing.ActReviewSites, org)
	u.render(w, r, http.StatusOK, "sites", q, page{Title: "Site files of " + v.OrgName, Nav: "sites", Data: v})
	return nil
}

// siteOrgName names org for a reader the service has let see its site
// files (an applicant of another tree included).
func (u *ui) siteOrgName(r *http.Request, q *uiReq, org int64) string {
	names := map[int64]string{}
	u.nameOrgs(r.Context(), names, org)
	if n := names[org]; n != "" {
		return n
	}
	return "organisation " + strconv.FormatInt(org, 10)
}

// uploadSitesForm stores a pasted or uploaded site file (YAML or JSON) as
// the organisation's next version; a bad file is shown again beside the
// form with every problem at its line and column, and nothing is stored.
func (u *ui) uploadSitesForm(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	org, err := uiPathID(r, "organisation")
	if err != nil {
		return err
	}
	// Who may not see the organisation's site files learns nothing, not
	// even what is wrong with the file.
	if _, err := svc.SiteVersions(r.Context(), q.actor, org); err != nil {
		return err
	}
	name, body, err := formDocument(r, "file", r.PostForm.Get("document"))
	if err != nil {
		return siteFieldError("document", "paste a site file or choose one")
	}
	if len(body) > feasibility.MaxFileSize {
		return tooLarge(feasibility.MaxFileSize)
	}
	if r.PostForm.Get("document") == "" {
		// Shown again, a chosen file's text stays in the form.
		r.PostForm.Set("document", string(body))
	}
	f, err := documentFormat(r.PostForm.Get("format"), name, body)
	if err != nil {
		return err
	}
	if f != plan.YAML && f != plan.JSON {
		return siteFieldError("format", "a site file is YAML or JSON")
	}
	if f == plan.JSON {
		if err := checkJSONText(body); err != nil {
			return err
		}
	}
	sf, err := svc.UploadSites(r.Context(), q.actor, org, f, body)
	if err != nil {
		return placeSiteProblems(err)
	}
	return u.redirect(w, r, fmt.Sprintf("/orgs/%d/sites/%d", org, sf.Version),
		fmt.Sprintf("Site file version %d stored with %d sites: claimed until the authority reviews it.", sf.Version, len(sf.Sites)))
}

var sitePathIndex = regexp.MustCompile(`\.?\b([a-z_]+)\[(\d+)\]\.?`)

var sitePathNames = map[string]string{"sites": "site", "processes": "process", "stock": "stock item", "supply": "supply item",
	"shift_patterns": "shift pattern"}

// sitePathWords writes a path into a site file in words:
// "sites[1].processes[2].yield" -> "site 1, process 2, yield".
func sitePathWords(path string) string {
	path = sitePathIndex.ReplaceAllStringFunc(path, func(m string) string {
		sub := sitePathIndex.FindStringSubmatch(m)
		name := sitePathNames[sub[1]]
		if name == "" {
			name = strings.ReplaceAll(sub[1], "_", " ") + " item"
		}
		out := name + " " + sub[2]
		if strings.HasPrefix(m, ".") {
			out = ", " + out
		}
		if strings.HasSuffix(m, ".") {
			out += ", "
		}
		return out
	})
	return strings.ReplaceAll(strings.ReplaceAll(path, ".", ", "), "_", " ")
}

func siteFieldError(field, msg string) error {
	return &tradeplan.Error{Code: tradeplan.EInvalid, Message: field + ": " + msg,
		Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: field}, Message: msg}}}
}

// placeSiteProblems words the problems of a site file for the page: "line
// 12, column 7, sites[0].workers: ..." rather than the stored file name.
func placeSiteProblems(err error) error {
	var te *tradeplan.Error
	if !errors.As(err, &te) || len(te.Problems) == 0 {
		return err
	}
	out := &tradeplan.Error{Code: te.Code, Message: "the site file has " + plural(len(te.Problems), "problem") + "; nothing was stored"}
	for _, p := range te.Problems {
		var b strings.Builder
		if p.Pos.Line > 0 {
			fmt.Fprintf(&b, "line %d", p.Pos.Line)
			if p.Pos.Column > 0 {
				fmt.Fprintf(&b, ", column %d", p.Pos.Column)
			}
		}
		for _, s := range []string{sitePathWords(p.Pos.Path), sitePathWords(p.Field)} {
			if s != "" && !strings.HasSuffix(b.String(), s) {
				if b.Len() > 0 {
					b.WriteString(", ")
				}
				b.WriteString(s)
			}
		}
		// The words of the position stand where Problem.String writes
		// the file's name.
		out.Problems = append(out.Problems, tradeplan.Problem{Pos: tradeplan.Position{File: b.String()}, Message: p.Message})
	}
	return out
}

// siteFile shows one version: its status and review, its sites, the file
// as uploaded, and the review form for the authority's reviewers.
func (u *ui) siteFile(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	org, err := uiPathID(r, "organisation")
	if err != nil {
		return err
	}
	ver, err := siteVersionParam(r)
	if err != nil {
		return err
	}
	sv, err := svc.Sites(r.Context(), q.actor, org, ver)
	if err != nil {
		return err
	}
	v := siteFileView{F: sv, OrgName: u.siteOrgName(r, q, org)}
	if s, err := feasibility.Parse([]byte(sv.Content), licensing.SiteFileName(org, plan.Format(sv.Format)), plan.Format(sv.Format)); err == nil {
		v.Sites, v.Policy, v.Patterns = s.Sites, s.Policy, s.Patterns
	}
	v.CanReview = sv.Status == licensing.SitesClaimed && svc.Allowed(r.Context(), q.actor, licensing.ActReviewSites, org)
	u.render(w, r, http.StatusOK, "sitefile", q, page{Title: fmt.Sprintf("Site file version %d of %s", ver, v.OrgName), Nav: "sites", Data: v})
	return nil
}

func siteVersionParam(r *http.Request) (int, error) {
	ver, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || ver < 1 {
		return 0, tradeplan.Errorf(tradeplan.ENotFound, "site file version %s not found", quoteShort(r.PathValue("version")))
	}
	return ver, nil
}

// reviewSitesForm accepts or rejects a version with a reason.
func (u *ui) reviewSitesForm(accept bool) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		svc, err := u.service()
		if err != nil {
			return err
		}
		org, err := uiPathID(r, "organisation")
		if err != nil {
			return err
		}
		ver, err := siteVersionParam(r)
		if err != nil {
			return err
		}
		sf, err := svc.ReviewSites(r.Context(), q.actor, org, ver, accept, r.PostForm.Get("reason"))
		if err != nil {
			return err
		}
		return u.redirect(w, r, fmt.Sprintf("/orgs/%d/sites/%d", org, ver), fmt.Sprintf("Site file version %d is %s.", ver, sf.Status))
	}
}
