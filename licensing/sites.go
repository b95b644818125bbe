package licensing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/feasibility"
	"github.com/tradeplan/tradeplan/plan"
)

// An organisation's site file (docs/feasibility.md): the stock, supply,
// processing lines, workers and power it says its sites have. It is the
// applicant's own claim, so it counts for the assessment of its plans only
// once a reviewer of the authority has accepted it: each upload is a new
// version, "claimed" until accepted or rejected, and the old versions stay.
// A plan version is assessed against the newest accepted version uploaded
// before that plan version was submitted (siteBasis): a file uploaded after
// submission never changes a submitted plan's figures, however it is
// reviewed later.

// Site file statuses.
const (
	SitesClaimed  = "claimed"  // uploaded; nobody has reviewed it
	SitesAccepted = "accepted" // a reviewer of the authority accepted it
	SitesRejected = "rejected"
)

// SiteFile is one version of an organisation's site file.
type SiteFile struct {
	Organisation int64      `json:"organisation"`
	Version      int        `json:"version"`
	Format       string     `json:"format"` // yaml or json
	Digest       string     `json:"digest"` // SHA-256 of the content, hex
	Sites        []string   `json:"sites"`  // the ids of its sites
	UploadedBy   string     `json:"uploaded_by"`
	UploadedAt   time.Time  `json:"uploaded_at"`
	Status       string     `json:"status"`
	ReviewedBy   string     `json:"reviewed_by,omitempty"`
	ReviewedAt   *time.Time `json:"reviewed_at,omitempty"`
	ReviewReason string     `json:"review_reason,omitempty"`
	// Content is the file as uploaded; only a read of one version carries it.
	Content string `json:"content,omitempty"`
}

// SiteTx is what site files need of a transaction beyond Tx.
type SiteTx interface {
	// AddSiteFile stores f as the organisation's next version and sets
	// f.Version. Callers hold LockCap(SitesLock(org)) first.
	AddSiteFile(ctx context.Context, f *SiteFile) error
	// SiteFile reads one version with its content; ENotFound. In a write
	// transaction it holds the row until the transaction ends.
	SiteFile(ctx context.Context, org int64, version int) (SiteFile, error)
	// SiteFiles lists an organisation's versions without their content,
	// oldest first.
	SiteFiles(ctx context.Context, org int64) ([]SiteFile, error)
	// ReviewSiteFile records f's status and review.
	ReviewSiteFile(ctx context.Context, f SiteFile) error
}

// SitesLock is the lock (Tx.LockCap) that serialises the uploads of one
// organisation, so that two at once get versions n+1 and n+2.
func SitesLock(org int64) string { return fmt.Sprintf("site-files:%d", org) }

func siteTx(tx Tx) (SiteTx, error) {
	st, ok := tx.(SiteTx)
	if !ok {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "the store cannot keep site files")
	}
	return st, nil
}

// SiteFileName is the name problems of an organisation's site file are
// placed in.
func SiteFileName(org int64, f plan.Format) string { return fmt.Sprintf("sites-org%d.%s", org, f) }

// siteReader checks that a may read org's site files: the organisation's
// own users (an administrator: and those below it), the authority whose
// tree holds org, and the authority whose call org submitted a plan to.
// Anyone else gets ENotFound, as for a plan of another tree.
func (s *Service) siteReader(ctx context.Context, tx Tx, a tradeplan.Actor, org int64) (Principal, error) {
	pr, err := loadPrincipal(ctx, tx, a)
	if err != nil {
		return pr, err
	}
	notFound := tradeplan.Errorf(tradeplan.ENotFound, "organisation %d has no site file you may see", org)
	if org <= 0 {
		return pr, notFound
	}
	if _, err := tx.Organisation(ctx, org); err != nil {
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			return pr, notFound
		}
		return pr, err
	}
	if CanSeePlan(a, org) || pr.governs(org, 0) {
		return pr, nil
	}
	if pr.Authority() != 0 && a.User.Role != tradeplan.RoleSubmitter {
		plans, err := tx.Plans(ctx, PlanFilter{Orgs: []int64{org}})
		if err != nil {
			return pr, err
		}
		for _, p := range plans {
			if p.Status == tradeplan.PlanDraft {
				continue
			}
			c, err := tx.Call(ctx, p.CallID)
			if err != nil {
				return pr, err
			}
			if pr.governs(org, c.Issuer) {
				return pr, nil
			}
		}
	}
	return pr, notFound
}

// UploadSites stores a site file as org's next version (0: the actor's
// organisation), claimed until reviewed. The file is parsed first: every
// problem comes back placed at its line, column and field, and nothing is
// stored.
func (s *Service) UploadSites(ctx context.Context, a tradeplan.Actor, org int64, f plan.Format, content []byte) (SiteFile, error) {
	if org == 0 {
		org = a.User.OrgID
	}
	var out SiteFile
	sites, err := feasibility.Parse(content, SiteFileName(org, f), f)
	if err != nil {
		return out, err
	}
	sum := sha256.Sum256(content)
	out = SiteFile{Organisation: org, Format: string(f), Digest: hex.EncodeToString(sum[:]), Sites: sites.IDs(), Status: SitesClaimed,
		UploadedBy: a.Label(), Content: string(content)}
	if out.Sites == nil {
		out.Sites = []string{}
	}
	ctx = tradeplan.WithActor(ctx, a)
	err = s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		st, err := siteTx(tx)
		if err != nil {
			return err
		}
		// Who may not see the organisation's site files learns nothing
		// of it (404); who may see them but not upload is refused (403).
		if _, err := s.siteReader(ctx, tx, a, org); err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActWriteSites, org); err != nil {
			return err
		}
		if err := tx.LockCap(ctx, SitesLock(org)); err != nil {
			return err
		}
		f := out
		f.UploadedAt = s.now()
		if err := st.AddSiteFile(ctx, &f); err != nil {
			return err
		}
		out = f
		out.Content = ""
		return tx.Audit(ctx, "sites.upload", siteSubject(org, f.Version), org, nil, siteAudit(f))
	})
	return out, err
}

func siteSubject(org int64, version int) string { return fmt.Sprintf("sites:%d/v%d", org, version) }

// siteAudit is what the audit log keeps of a version: who, when and the
// digest of the content, not the content itself.
func siteAudit(f SiteFile) map[string]any {
	m := map[string]any{"organisation": f.Organisation, "version": f.Version, "format": f.Format, "digest": f.Digest, "sites": f.Sites,
		"uploaded_by": f.UploadedBy, "uploaded_at": f.UploadedAt, "status": f.Status}
	if f.Status != SitesClaimed {
		m["reviewed_by"], m["reviewed_at"], m["review_reason"] = f.ReviewedBy, f.ReviewedAt, f.ReviewReason
	}
	return m
}

// SiteVersions lists org's site file versions, oldest first.
func (s *Service) SiteVersions(ctx context.Context, a tradeplan.Actor, org int64) ([]SiteFile, error) {
	var out []SiteFile
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		st, err := siteTx(tx)
		if err != nil {
			return err
		}
		if _, err := s.siteReader(ctx, tx, a, org); err != nil {
			return err
		}
		out, err = st.SiteFiles(ctx, org)
		return err
	})
	if out == nil {
		out = []SiteFile{}
	}
	return out, err
}

// SiteFileView is one version with what stands for assessment.
type SiteFileView struct {
	SiteFile
	// Accepted is the newest accepted version: what plans submitted from
	// now on are assessed against (0: none yet).
	Accepted int `json:"accepted_version"`
}

// Sites shows a version of org's site file with its content; version 0
// is the newest.
func (s *Service) Sites(ctx context.Context, a tradeplan.Actor, org int64, version int) (SiteFileView, error) {
	var out SiteFileView
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		st, err := siteTx(tx)
		if err != nil {
			return err
		}
		if _, err := s.siteReader(ctx, tx, a, org); err != nil {
			return err
		}
		all, err := st.SiteFiles(ctx, org)
		if err != nil {
			return err
		}
		if len(all) == 0 {
			return tradeplan.Errorf(tradeplan.ENotFound, "organisation %d has uploaded no site file", org)
		}
		if version == 0 {
			version = all[len(all)-1].Version
		}
		for _, f := range all {
			if f.Status == SitesAccepted {
				out.Accepted = f.Version
			}
		}
		out.SiteFile, err = st.SiteFile(ctx, org, version)
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			return tradeplan.Errorf(tradeplan.ENotFound, "organisation %d has no site file version %d (versions 1 to %d)", org, version, len(all))
		}
		return err
	})
	return out, err
}

// ReviewSites accepts or rejects a claimed version of org's site file,
// with a reason: the authority's reviewers only, about organisations they
// may see and that are not of their own tree. A version is reviewed once.
func (s *Service) ReviewSites(ctx context.Context, a tradeplan.Actor, org int64, version int, accept bool, reason string) (SiteFile, error) {
	var out SiteFile
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return out, &tradeplan.Error{Code: tradeplan.EInvalid, Message: "a review of a site file needs a reason",
			Problems: tradeplan.Problems{{Pos: tradeplan.Position{Path: "reason"}, Message: "expected the reason for the review; found none"}}}
	}
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		st, err := siteTx(tx)
		if err != nil {
			return err
		}
		if _, err := s.siteReader(ctx, tx, a, org); err != nil {
			return err
		}
		if _, err := s.authorize(ctx, tx, a, ActReviewSites, org); err != nil {
			return err
		}
		f, err := st.SiteFile(ctx, org, version)
		if err != nil {
			return err
		}
		if f.Status != SitesClaimed {
			return tradeplan.Errorf(tradeplan.EConflict, "site file version %d of organisation %d is already %s by %s", version, org, f.Status, f.ReviewedBy)
		}
		before := siteAudit(f)
		now := s.now()
		f.Status, f.ReviewedBy, f.ReviewedAt, f.ReviewReason = SitesRejected, a.Label(), &now, reason
		action := "sites.reject"
		if accept {
			f.Status, action = SitesAccepted, "sites.accept"
		}
		if err := st.ReviewSiteFile(ctx, f); err != nil {
			return err
		}
		f.Content = ""
		out = f
		return tx.Audit(ctx, action, siteSubject(org, version), org, before, siteAudit(f))
	})
	return out, err
}
