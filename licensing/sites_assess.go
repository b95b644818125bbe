package licensing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/feasibility"
	"github.com/tradeplan/tradeplan/plan"
)

// The assessment of a plan's export lines against its organisation's site
// file: which version counts (siteBasis), the block of each export line
// (package feasibility's check), and the call's totals of what is lawful
// and feasible against what was asked.

// Bases of a feasibility block.
const (
	// BasisAccepted: computed against a site version a reviewer of the
	// authority accepted.
	BasisAccepted = "accepted"
	// BasisClaimed: computed against a version nobody has reviewed; the
	// figures are the applicant's claim, and count for nothing.
	BasisClaimed = "claimed"
	// BasisNone: no site version to assess against.
	BasisNone = "none"
)

// PlanFeasibility says which site file version a plan version's
// feasibility blocks were computed against, and why that one.
type PlanFeasibility struct {
	Basis       string     `json:"basis"` // accepted, claimed or none
	SiteVersion int        `json:"site_version,omitempty"`
	SiteDigest  string     `json:"site_digest,omitempty"`
	ReviewedBy  string     `json:"reviewed_by,omitempty"`
	ReviewedAt  *time.Time `json:"reviewed_at,omitempty"`
	// Before is the instant the version had to be uploaded before: the
	// plan version's submission.
	Before *time.Time `json:"uploaded_before,omitempty"`
	Note   string     `json:"note"`
}

// LineFeasibility is an export line's block with the site version it was
// computed against.
type LineFeasibility struct {
	*tradeplan.Feasibility
	Basis       string `json:"basis"`
	SiteVersion int    `json:"site_version,omitempty"`
}

// Counts reports whether the block's quantity counts as feasible: assessed
// against an accepted site version.
func (f *LineFeasibility) Counts() bool {
	return f != nil && f.Feasibility != nil && f.Assessed && f.Basis == BasisAccepted
}

// siteBasis picks the site version a plan version submitted at before is
// assessed against: the newest accepted version uploaded before it. When
// none is accepted, the newest claimed one uploaded before it, whose
// figures are shown as claimed, not reviewed. files are oldest first.
func siteBasis(files []SiteFile, before time.Time) (f *SiteFile, pf PlanFeasibility) {
	var accepted, claimed *SiteFile
	for i := range files {
		x := &files[i]
		if x.UploadedAt.After(before) {
			continue
		}
		switch x.Status {
		case SitesAccepted:
			accepted = x
		case SitesClaimed:
			claimed = x
		}
	}
	b := before
	pf.Before = &b
	switch {
	case accepted != nil:
		pf.Basis, pf.SiteVersion, pf.SiteDigest, pf.ReviewedBy, pf.ReviewedAt = BasisAccepted, accepted.Version, accepted.Digest, accepted.ReviewedBy, accepted.ReviewedAt
		pf.Note = fmt.Sprintf("assessed against site file version %d, accepted by %s: the newest accepted version uploaded before the plan version was submitted", accepted.Version, accepted.ReviewedBy)
		if claimed != nil && claimed.Version > accepted.Version {
			pf.Note += fmt.Sprintf("; version %d, uploaded later, is claimed, not reviewed, and not used", claimed.Version)
		}
		return accepted, pf
	case claimed != nil:
		pf.Basis, pf.SiteVersion, pf.SiteDigest = BasisClaimed, claimed.Version, claimed.Digest
		pf.Note = fmt.Sprintf("claimed, not reviewed: site file version %d has not been accepted by a reviewer of the authority; its figures are the applicant's claim and count for nothing until it is", claimed.Version)
		return claimed, pf
	}
	pf.Basis = BasisNone
	pf.Note = "not assessed: the organisation had no site file accepted or awaiting review when the plan version was submitted"
	if len(files) > 0 {
		pf.Note += " (a version uploaded after submission counts only for a later version of the plan)"
	}
	return nil, pf
}

// siteCache keeps the site files parsed within one request.
type siteCache map[string]*feasibility.Sites

// assessVersion computes the feasibility blocks of plan version v of org
// (nil for an import line) over the period of its call c: the period the
// authority plans for, whatever the document says. A draft, never
// screened, is not assessed: lawfulness comes first. known holds the
// site file lists of the organisations already read (nil: none).
func assessVersion(ctx context.Context, tx Tx, org int64, c tradeplan.Call, v tradeplan.PlanVersion, cache siteCache, known map[int64][]SiteFile) (PlanFeasibility, []*LineFeasibility, error) {
	out := make([]*LineFeasibility, len(v.Plan.Lines))
	var pf PlanFeasibility
	hasExport := false
	for _, l := range v.Plan.Lines {
		hasExport = hasExport || l.Direction == tradeplan.Export
	}
	if !hasExport {
		return PlanFeasibility{Basis: BasisNone, Note: "the plan has no export lines"}, out, nil
	}
	if v.Report == nil || v.SubmittedAt == nil || len(v.Report.Lines) != len(v.Plan.Lines) {
		pf = PlanFeasibility{Basis: BasisNone, Note: "not assessed: the plan version has not been submitted and screened; lawfulness comes first"}
		for i, l := range v.Plan.Lines {
			if l.Direction == tradeplan.Export {
				out[i] = &LineFeasibility{Feasibility: &tradeplan.Feasibility{Reason: "not assessed: the line has not been screened", Target: l.Quantity.Float64(), Unit: l.Unit}, Basis: BasisNone}
			}
		}
		return pf, out, nil
	}
	// A store that keeps no site files (a test's) has none to assess with.
	st, ok := tx.(SiteTx)
	files, read := known[org]
	if !ok {
		files = nil
	} else if !read {
		var err error
		if files, err = st.SiteFiles(ctx, org); err != nil {
			return pf, nil, err
		}
	}
	chosen, pf := siteBasis(files, *v.SubmittedAt)
	sites := &feasibility.Sites{File: "no site file"}
	if chosen != nil {
		key := strconv.FormatInt(org, 10) + "/" + strconv.Itoa(chosen.Version)
		if sites = cache[key]; sites == nil {
			full, err := st.SiteFile(ctx, org, chosen.Version)
			if err != nil {
				return pf, nil, err
			}
			// The stored content was parsed when it was uploaded; a parser
			// grown stricter since is a fault to report, not the
			// applicant's.
			sites, err = feasibility.Parse([]byte(full.Content), fmt.Sprintf("site file version %d", chosen.Version), plan.Format(full.Format))
			if err != nil {
				return pf, nil, fmt.Errorf("site file %d of organisation %d no longer parses: %w", chosen.Version, org, err)
			}
			cache[key] = sites
		}
	}
	p := v.Plan
	p.Period = tradeplan.Period{Label: c.Period, From: c.From, To: c.To}
	fs, err := checkEachLine(p, v.Report, sites, pf.Basis)
	if err != nil {
		return pf, nil, err
	}
	for i, f := range fs {
		if f != nil {
			out[i] = &LineFeasibility{Feasibility: f, Basis: pf.Basis, SiteVersion: pf.SiteVersion}
			if f.Assessed && pf.Basis == BasisClaimed {
				why := "claimed, not reviewed: the figures are the applicant's, from site file version " + strconv.Itoa(pf.SiteVersion) + ", which no reviewer has accepted"
				if f.Reason != "" {
					why += "; " + f.Reason
				}
				f.Reason = why
			}
		}
	}
	return pf, out, nil
}

// checkEachLine runs the check over the plan's lines. The check refuses a
// plan whose lines it cannot match to the site file (an unknown site,
// another organisation's site id, a process that makes nothing like the
// line, a unit of another kind); here each such line is left not
// assessed with the problem as its reason, and the rest are checked.
func checkEachLine(p tradeplan.Plan, rep *tradeplan.PlanReport, sites *feasibility.Sites, basis string) ([]*tradeplan.Feasibility, error) {
	p.Lines = append([]tradeplan.Line(nil), p.Lines...)
	for i := range p.Lines {
		p.Lines[i].Pos = tradeplan.Position{Path: "lines[" + strconv.Itoa(i) + "]"}
		p.Lines[i].Index = i + 1
	}
	p.File = "the plan"
	why := map[int]string{}
	named := map[int]string{}
	for range len(p.Lines) + 1 {
		fs, err := feasibility.Check(&p, rep, sites, feasibility.Options{})
		if err == nil {
			for i, w := range why {
				if fs[i] != nil {
					fs[i].Reason, fs[i].Site = w, named[i]
				}
			}
			return fs, nil
		}
		var te *tradeplan.Error
		if !errors.As(err, &te) || te.Code != tradeplan.EInvalid || len(te.Problems) == 0 {
			return nil, err
		}
		progress := false
		for _, pr := range te.Problems {
			i, ok := lineOfPath(pr.Pos.Path)
			if !ok || i >= len(p.Lines) || p.Lines[i].Source == nil {
				continue
			}
			msg := pr.Message
			if basis == BasisNone {
				msg = "the organisation has no site file to assess it against"
			}
			why[i], named[i] = "not assessed: "+msg, p.Lines[i].Source.Site
			p.Lines[i].Source = nil
			progress = true
		}
		if !progress {
			return nil, err
		}
	}
	return nil, tradeplan.Errorf(tradeplan.EInternal, "feasibility: the check did not settle")
}

// lineOfPath reads i from a path "lines[i]..." .
func lineOfPath(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "lines[")
	if !ok {
		return 0, false
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, false
	}
	i, err := strconv.Atoi(rest[:end])
	return i, err == nil && i >= 0
}

// attachFeasibility adds the feasibility blocks to a plan's view.
func attachFeasibility(ctx context.Context, tx Tx, d *PlanDetail, org int64, c tradeplan.Call, v tradeplan.PlanVersion) error {
	pf, fs, err := assessVersion(ctx, tx, org, c, v, siteCache{}, nil)
	if err != nil {
		return err
	}
	d.Feasibility = &pf
	for i := range d.Lines {
		if i < len(fs) {
			d.Lines[i].Feasibility = fs[i]
		}
	}
	return nil
}

// FeasibilityTotal is what a call's submitted plans ask to export of one
// kind of goods (HS code and unit), and how much of it is lawful and
// feasible. Asked = Prohibited + Lawful, and Lawful = Feasible + Short +
// Unverified.
type FeasibilityTotal struct {
	HS         string  `json:"hs"` // the code screened under; "" when none was found
	Unit       string  `json:"unit"`
	Lines      int     `json:"lines"`
	Asked      float64 `json:"asked"`
	Prohibited float64 `json:"prohibited"` // never assessed, counts nothing
	Lawful     float64 `json:"lawful"`
	// Feasible is what the sites can deliver of the lawful quantity, by
	// site files a reviewer accepted; Short what they cannot.
	Feasible float64 `json:"feasible"`
	Short    float64 `json:"short"`
	// Unverified is lawful quantity whose feasibility rests on no accepted
	// site file: claimed, not reviewed, or not assessed at all.
	Unverified float64 `json:"unverified"`
}

// CallFeasibility totals a call's export lines by goods.
type CallFeasibility struct {
	Goods []FeasibilityTotal `json:"goods"`
	// Plans counts the submitted plans by the basis of their assessment.
	Plans map[string]int `json:"plans"`
}

// feasibility totals the export lines of the submitted plans pps (their
// current versions) of the pass's call.
func (p *callPass) feasibility(ctx context.Context, tx Tx, pps []*passPlan) (*CallFeasibility, error) {
	type key struct{ hs, unit string }
	goods := map[key]*FeasibilityTotal{}
	out := &CallFeasibility{Goods: []FeasibilityTotal{}, Plans: map[string]int{BasisAccepted: 0, BasisClaimed: 0, BasisNone: 0}}
	recs := make([]tradeplan.PlanRecord, len(pps))
	for i, pp := range pps {
		recs[i] = pp.rec
	}
	if err := p.preloadSiteFiles(ctx, tx, recs); err != nil {
		return nil, err
	}
	for _, pp := range pps {
		v := pp.ver
		pf, fs, err := p.assess(ctx, tx, pp)
		if err != nil {
			return nil, err
		}
		exports := false
		for i, l := range v.Plan.Lines {
			if l.Direction != tradeplan.Export {
				continue
			}
			exports = true
			hs := l.HS
			prohibited := false
			if v.Report != nil && i < len(v.Report.Lines) {
				if c := v.Report.Lines[i].HS.Code; c != "" {
					hs = c
				}
				prohibited = v.Report.Lines[i].Verdict == tradeplan.Prohibited
			}
			k := key{hs, l.Unit}
			g := goods[k]
			if g == nil {
				g = &FeasibilityTotal{HS: hs, Unit: l.Unit}
				goods[k] = g
			}
			q := l.Quantity.Float64()
			g.Lines++
			g.Asked += q
			switch f := fs[i]; {
			case prohibited:
				g.Prohibited += q
			case f.Counts():
				g.Lawful += q
				got := min(f.Quantity, q)
				g.Feasible += got
				g.Short += q - got
			default:
				g.Lawful += q
				g.Unverified += q
			}
		}
		if exports {
			out.Plans[pf.Basis]++
		}
	}
	for _, g := range goods {
		for _, x := range []*float64{&g.Asked, &g.Prohibited, &g.Lawful, &g.Feasible, &g.Short, &g.Unverified} {
			*x = math.Round(*x*1000) / 1000
		}
		out.Goods = append(out.Goods, *g)
	}
	sort.Slice(out.Goods, func(i, j int) bool {
		a, b := out.Goods[i], out.Goods[j]
		if a.HS != b.HS {
			return a.HS < b.HS
		}
		return a.Unit < b.Unit
	})
	return out, nil
}
