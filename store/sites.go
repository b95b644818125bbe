package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/tradeplan/tradeplan/licensing"
)

// Site files: the versions of each organisation's site file (package
// licensing decides who uploads and who accepts).

var _ licensing.SiteTx = (*licTx)(nil)

const siteFileColumns = `org_id, version, format, digest, sites, uploaded_by, uploaded_at, status, reviewed_by, reviewed_at, review_reason`

func scanSiteFile(sc interface{ Scan(...any) error }, content *string) (licensing.SiteFile, error) {
	var f licensing.SiteFile
	var sites string
	var reviewed nullTime
	dest := []any{&f.Organisation, &f.Version, &f.Format, &f.Digest, &sites, &f.UploadedBy, ptime{&f.UploadedAt}, &f.Status, &f.ReviewedBy, &reviewed, &f.ReviewReason}
	if content != nil {
		dest = append(dest, content)
	}
	if err := sc.Scan(dest...); err != nil {
		return f, err
	}
	f.ReviewedAt = reviewed.ptr()
	if err := json.Unmarshal([]byte(sites), &f.Sites); err != nil {
		return f, fmt.Errorf("site file %d/%d sites: %w", f.Organisation, f.Version, err)
	}
	if f.Sites == nil {
		f.Sites = []string{}
	}
	return f, nil
}

func (t *licTx) AddSiteFile(ctx context.Context, f *licensing.SiteFile) error {
	sites, err := jsonText(nonNil(f.Sites))
	if err != nil {
		return err
	}
	var v int
	if err := t.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM site_files WHERE org_id = ?", f.Organisation).Scan(&v); err != nil {
		return t.db.dbErr(err, "site file version")
	}
	_, err = t.ExecContext(ctx, `INSERT INTO site_files (org_id, version, format, content, digest, sites, uploaded_by, uploaded_at, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.Organisation, v, f.Format, f.Content, f.Digest, sites, f.UploadedBy, ts(f.UploadedAt), f.Status)
	if err != nil {
		return t.db.dbErr(err, "site file")
	}
	f.Version = v
	t.touch("site_files", "org_id = ? AND version = ?", f.Organisation, v)
	return nil
}

func (t *licTx) SiteFile(ctx context.Context, org int64, version int) (licensing.SiteFile, error) {
	var content string
	f, err := scanSiteFile(t.QueryRowContext(ctx, "SELECT "+siteFileColumns+", content FROM site_files WHERE org_id = ? AND version = ?"+t.lock(), org, version), &content)
	if err != nil {
		return f, t.notFound(err, "site file version", fmt.Sprintf("%d of organisation %d", version, org))
	}
	f.Content = content
	return f, nil
}

func (t *licTx) SiteFiles(ctx context.Context, org int64) ([]licensing.SiteFile, error) {
	rows, err := t.QueryContext(ctx, "SELECT "+siteFileColumns+" FROM site_files WHERE org_id = ? ORDER BY version", org)
	if err != nil {
		return nil, t.db.dbErr(err, "site files")
	}
	defer rows.Close()
	var out []licensing.SiteFile
	for rows.Next() {
		f, err := scanSiteFile(rows, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func (t *licTx) ReviewSiteFile(ctx context.Context, f licensing.SiteFile) error {
	if err := t.guardRow(ctx, "site_files", f.Organisation, f.Version); err != nil {
		return err
	}
	res, err := t.ExecContext(ctx, `UPDATE site_files SET status = ?, reviewed_by = ?, reviewed_at = ?, review_reason = ? WHERE org_id = ? AND version = ?`,
		f.Status, f.ReviewedBy, tsp(f.ReviewedAt), f.ReviewReason, f.Organisation, f.Version)
	if err != nil {
		return t.db.dbErr(err, "site file review")
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return t.notFound(sql.ErrNoRows, "site file version", fmt.Sprintf("%d of organisation %d", f.Version, f.Organisation))
	}
	t.touch("site_files", "org_id = ? AND version = ?", f.Organisation, f.Version)
	return nil
}
