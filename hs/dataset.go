package hs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Dataset formats.
const (
	FormatCSV      = "hs-csv"
	FormatComtrade = "comtrade-json"
)

// DetectFormat tells the two import formats apart by content.
func DetectFormat(content []byte) string {
	t := bytes.TrimLeft(content, " \t\r\n\ufeff")
	if bytes.HasPrefix(t, []byte("\xef\xbb\xbf")) {
		t = t[3:]
	}
	if len(t) > 0 && t[0] == '{' {
		return FormatComtrade
	}
	return FormatCSV
}

// Parse reads a nomenclature in the given format ("" to detect it).
func Parse(content []byte, name, format string) (*Nomenclature, error) {
	if format == "" {
		format = DetectFormat(content)
	}
	switch format {
	case FormatCSV:
		return ParseCSV(bytes.NewReader(content), name)
	case FormatComtrade:
		return ParseComtradeJSON(bytes.NewReader(content), name)
	}
	return nil, tradeplan.Errorf(tradeplan.EInvalid, "HS dataset %s: unknown format %q (want %s or %s)", name, format, FormatCSV, FormatComtrade)
}

// NewDataset parses a nomenclature file and wraps it as a dataset to keep in
// the store: Kind "hs", Name from the file ("hs2022"), Format detected.
// Nothing is returned unless the whole file parses.
func NewDataset(path string, content []byte, now time.Time) (tradeplan.Dataset, *Nomenclature, error) {
	format := DetectFormat(content)
	n, err := Parse(content, path, format)
	if err != nil {
		return tradeplan.Dataset{}, nil, err
	}
	sum := sha256.Sum256(content)
	d := tradeplan.Dataset{
		Kind:       "hs",
		Name:       n.Name,
		Format:     format,
		Version:    strings.TrimPrefix(n.Name, "hs"),
		ImportedAt: now.UTC(),
		SHA256:     hex.EncodeToString(sum[:]),
		Counts:     map[string]int{"chapters": n.Count(2), "headings": n.Count(4), "subheadings": n.Count(6)},
		Files:      []tradeplan.DatasetFile{{Name: filepath.Base(path), Content: content}},
	}
	return d, n, nil
}

// FromDatasets returns a classifier over the embedded data and the HS
// datasets given (Kind "hs"; others are ignored), in order of preference.
func FromDatasets(ds ...tradeplan.Dataset) (*Classifier, error) {
	var noms []*Nomenclature
	for _, d := range ds {
		if d.Kind != "hs" {
			continue
		}
		for _, f := range d.Files {
			n, err := Parse(f.Content, f.Name, d.Format)
			if err != nil {
				return nil, err
			}
			if d.Name != "" {
				n.Name = d.Name
			}
			noms = append(noms, n)
		}
	}
	return New(noms...)
}
