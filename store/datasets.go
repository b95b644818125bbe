package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// The store keeps datasets (HS nomenclatures, sanctions lists) as imported.
var _ tradeplan.DatasetStore = (*DB)(nil)

type datasetMeta struct {
	Kind       string         `json:"kind"`
	Name       string         `json:"name"`
	Format     string         `json:"format"`
	Version    string         `json:"version"`
	ImportedAt string         `json:"imported_at"`
	SHA256     string         `json:"sha256"`
	Counts     map[string]int `json:"counts,omitempty"`
	Files      []string       `json:"files"`
}

// PutDataset stores d, replacing the dataset of the same kind and name in
// one transaction: readers see the old one or the new one, never a mix.
func (db *DB) PutDataset(ctx context.Context, d tradeplan.Dataset) error {
	var prev *string
	if p, ok := ctx.Value(datasetPrev{}).(string); ok {
		prev = &p
	}
	return db.putDatasets(ctx, []tradeplan.Dataset{d}, []*string{prev})
}

// putDatasets stores every dataset of ds in one transaction, each only
// while the stored version of its kind and name is prevs[i]'s (when not
// nil): all are stored, or none.
func (db *DB) putDatasets(ctx context.Context, ds []tradeplan.Dataset, prevs []*string) error {
	counts := make([][]byte, len(ds))
	for i := range ds {
		d := &ds[i]
		var ps tradeplan.Problems
		if d.Kind == "" {
			ps.Add(tradeplan.Position{}, "kind", "is empty")
		}
		if d.Name == "" {
			ps.Add(tradeplan.Position{}, "name", "is empty")
		}
		if d.Format == "" {
			ps.Add(tradeplan.Position{}, "format", "is empty")
		}
		if len(d.Files) == 0 {
			ps.Add(tradeplan.Position{}, "files", "a dataset has at least one file")
		}
		if err := ps.Err("dataset"); err != nil {
			return err
		}
		if d.ImportedAt.IsZero() {
			d.ImportedAt = db.stamp()
		}
		d.ImportedAt = d.ImportedAt.UTC().Truncate(1000)
		var err error
		if counts[i], err = json.Marshal(d.Counts); err != nil {
			return fmt.Errorf("put dataset %s/%s: %w", d.Kind, d.Name, err)
		}
	}
	at := 0 // the dataset being stored, for the error
	err := db.inTx(ctx, func(tx *Tx) error {
		for i, d := range ds {
			at = i
			if err := db.putDatasetTx(ctx, tx, d, counts[i], prevs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put dataset %s/%s: %w", ds[at].Kind, ds[at].Name, err)
	}
	return nil
}

func (db *DB) putDatasetTx(ctx context.Context, tx *Tx, d tradeplan.Dataset, counts []byte, prev *string) error {
	var before json.RawMessage
	old, err := scanDataset(tx.QueryRowContext(ctx, "SELECT "+datasetColumns+" FROM datasets WHERE kind = ? AND name = ?", d.Kind, d.Name))
	switch {
	case err == nil:
		before = auditJSON(meta(old, nil))
	case err != sql.ErrNoRows:
		return err
	}
	if prev != nil {
		if err := checkDatasetPrev(d, old, err == nil, *prev); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM datasets WHERE kind = ? AND name = ?", d.Kind, d.Name); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO datasets (kind, name, format, version, imported_at, sha256, counts) VALUES (?, ?, ?, ?, ?, ?, ?)",
		d.Kind, d.Name, d.Format, d.Version, d.ImportedAt, d.SHA256, string(counts)); err != nil {
		return db.dbErr(err, "dataset")
	}
	for i, f := range d.Files {
		content := f.Content
		if content == nil {
			content = []byte{}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO dataset_files (kind, name, seq, file, content) VALUES (?, ?, ?, ?, ?)",
			d.Kind, d.Name, i, f.Name, content); err != nil {
			return db.dbErr(err, "dataset file "+f.Name)
		}
	}
	_, err = db.appendAudit(ctx, tx, tradeplan.AuditEntry{
		Action: "dataset.put", Subject: "dataset:" + d.Kind + "/" + d.Name, Before: before, After: auditJSON(meta(d, d.Files)),
	})
	return err
}

func meta(d tradeplan.Dataset, files []tradeplan.DatasetFile) datasetMeta {
	m := datasetMeta{Kind: d.Kind, Name: d.Name, Format: d.Format, Version: d.Version,
		ImportedAt: d.ImportedAt.UTC().Format("2006-01-02T15:04:05.000000Z"), SHA256: d.SHA256, Counts: d.Counts, Files: []string{}}
	for _, f := range files {
		m.Files = append(m.Files, f.Name)
	}
	return m
}

const datasetColumns = "kind, name, format, version, imported_at, sha256, counts"

func scanDataset(sc interface{ Scan(...any) error }) (tradeplan.Dataset, error) {
	var d tradeplan.Dataset
	var counts string
	if err := sc.Scan(&d.Kind, &d.Name, &d.Format, &d.Version, ptime{&d.ImportedAt}, &d.SHA256, &counts); err != nil {
		return d, err
	}
	if counts != "" && counts != "null" {
		if err := json.Unmarshal([]byte(counts), &d.Counts); err != nil {
			return d, fmt.Errorf("dataset %s/%s counts: %w", d.Kind, d.Name, err)
		}
	}
	return d, nil
}

// Dataset returns a dataset with its files, or an ENotFound error.
func (db *DB) Dataset(ctx context.Context, kind, name string) (tradeplan.Dataset, error) {
	// One read transaction: the files belong to the dataset row read.
	tx, err := db.beginRead(ctx)
	if err != nil {
		return tradeplan.Dataset{}, fmt.Errorf("dataset %s/%s: %w", kind, name, err)
	}
	defer tx.Rollback()
	d, err := scanDataset(tx.QueryRowContext(ctx, db.q("SELECT "+datasetColumns+" FROM datasets WHERE kind = ? AND name = ?"), kind, name))
	if err == sql.ErrNoRows {
		return d, tradeplan.Errorf(tradeplan.ENotFound, "dataset %s/%s not found: import it first", kind, name)
	}
	if err != nil {
		return d, fmt.Errorf("dataset %s/%s: %w", kind, name, err)
	}
	rows, err := tx.QueryContext(ctx, db.q("SELECT file, content FROM dataset_files WHERE kind = ? AND name = ? ORDER BY seq"), kind, name)
	if err != nil {
		return d, fmt.Errorf("dataset %s/%s files: %w", kind, name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f tradeplan.DatasetFile
		if err := rows.Scan(&f.Name, &f.Content); err != nil {
			return d, fmt.Errorf("dataset %s/%s files: %w", kind, name, err)
		}
		d.Files = append(d.Files, f)
	}
	if err := rows.Err(); err != nil {
		return d, fmt.Errorf("dataset %s/%s files: %w", kind, name, err)
	}
	return d, nil
}

// Datasets lists the stored datasets without their files, by kind and name.
func (db *DB) Datasets(ctx context.Context) ([]tradeplan.Dataset, error) {
	rows, err := db.query(ctx, "SELECT "+datasetColumns+" FROM datasets ORDER BY kind, name")
	if err != nil {
		return nil, fmt.Errorf("list datasets: %w", err)
	}
	defer rows.Close()
	out := []tradeplan.Dataset{}
	for rows.Next() {
		d, err := scanDataset(rows)
		if err != nil {
			return nil, fmt.Errorf("list datasets: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DatasetStamp names the stored version of every dataset of a kind, as
// "name:sha256" pairs by name: it changes whenever one is imported,
// replaced or removed. It reads one small index row per dataset, so that a
// server can ask before each screening whether its lists are current.
func (db *DB) DatasetStamp(ctx context.Context, kind string) (string, error) {
	rows, err := db.query(ctx, "SELECT name, sha256 FROM datasets WHERE kind = ? ORDER BY name", kind)
	if err != nil {
		return "", fmt.Errorf("dataset stamp %s: %w", kind, err)
	}
	defer rows.Close()
	var b []byte
	for rows.Next() {
		var name, sum string
		if err := rows.Scan(&name, &sum); err != nil {
			return "", fmt.Errorf("dataset stamp %s: %w", kind, err)
		}
		b = append(append(append(append(b, name...), ':'), sum...), ';')
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("dataset stamp %s: %w", kind, err)
	}
	return string(b), nil
}

// DatasetsStamp is DatasetStamp computed from datasets already read.
func DatasetsStamp(ds []tradeplan.Dataset) string {
	sorted := slices.Clone(ds)
	slices.SortFunc(sorted, func(a, b tradeplan.Dataset) int { return strings.Compare(a.Name, b.Name) })
	var b []byte
	for _, d := range sorted {
		b = append(append(append(append(b, d.Name...), ':'), d.SHA256...), ';')
	}
	return string(b)
}
