package parties

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Dataset formats and names.
const (
	FormatUN   = "un-xml"
	FormatOFAC = "ofac-csv"
	KindList   = "list"
)

// Load builds an index from stored datasets (Kind "list", Format "un-xml" or
// "ofac-csv").
func Load(ds ...tradeplan.Dataset) (*Index, error) {
	lists := make([]*ListInfo, len(ds))
	errs := make([]error, len(ds))
	var wg sync.WaitGroup
	for i := range ds {
		wg.Go(func() { lists[i], errs[i] = ParseDataset(ds[i]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return NewIndex(lists...), nil
}

// ParseDataset parses one stored list dataset.
func ParseDataset(d tradeplan.Dataset) (*ListInfo, error) {
	if d.Kind != "" && d.Kind != KindList {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "dataset %s/%s is not a sanctions list", d.Kind, d.Name)
	}
	switch d.Format {
	case FormatUN:
		if len(d.Files) != 1 {
			return nil, tradeplan.Errorf(tradeplan.EInvalid, "UN list dataset %q has %d files, want 1", d.Name, len(d.Files))
		}
		return ParseUN(bytes.NewReader(d.Files[0].Content), d.Files[0].Name)
	case FormatOFAC:
		var f OFACFiles
		for _, file := range d.Files {
			r := bytes.NewReader(file.Content)
			switch strings.ToLower(filepath.Base(file.Name)) {
			case "sdn.csv":
				f.SDN = r
			case "alt.csv":
				f.Alt = r
			case "add.csv":
				f.Add = r
			case "sdn_comments.csv":
				f.Comments = r
			default:
				return nil, tradeplan.Errorf(tradeplan.EInvalid, "OFAC list dataset %q: unexpected file %q", d.Name, file.Name)
			}
		}
		f.Dir = d.Name
		return ParseOFAC(f)
	}
	return nil, tradeplan.Errorf(tradeplan.EInvalid, "dataset %q: unknown list format %q (want %s or %s)", d.Name, d.Format, FormatUN, FormatOFAC)
}

// LoadFiles builds an index from list files: a UN XML file or a folder
// holding the OFAC CSV set (or a UN XML file). The format is detected.
func LoadFiles(paths ...string) (*Index, error) {
	var ds []tradeplan.Dataset
	for _, p := range paths {
		d, err := readDataset(p)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return Load(ds...)
}

// ReadDataset reads a list from a path into a dataset, detecting its format:
// a file whose content is XML is a UN list; a folder with sdn.csv (or the
// path of sdn.csv itself) is the OFAC set. The dataset is parsed to verify
// it, and carries its version (the list's date when it has one, else the
// first 12 hex digits of its hash), hash and counts.
func ReadDataset(path string) (tradeplan.Dataset, error) {
	d, err := readDataset(path)
	if err != nil {
		return d, err
	}
	if err := FinishDataset(&d, time.Now()); err != nil {
		return d, err
	}
	return d, nil
}

func readDataset(path string) (tradeplan.Dataset, error) {
	var d tradeplan.Dataset
	st, err := os.Stat(path)
	if err != nil {
		return d, tradeplan.Errorf(tradeplan.ENotFound, "read list %s: %v", path, err)
	}
	dir := ""
	switch {
	case st.IsDir():
		dir = path
	case strings.EqualFold(filepath.Base(path), "sdn.csv"):
		dir = filepath.Dir(path)
	}
	if dir != "" {
		d = tradeplan.Dataset{Kind: KindList, Name: "ofac", Format: FormatOFAC}
		for _, n := range ofacFileNames {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				if n == "sdn.csv" {
					return d, tradeplan.Errorf(tradeplan.EInvalid, "read list %s: no UN XML file and no OFAC sdn.csv", path)
				}
				continue
			}
			d.Files = append(d.Files, tradeplan.DatasetFile{Name: n, Content: b})
		}
	} else {
		b, err := os.ReadFile(path)
		if err != nil {
			return d, fmt.Errorf("read list %s: %w", path, err)
		}
		if !looksXML(b) {
			return d, tradeplan.Errorf(tradeplan.EInvalid, "read list %s: not a UN XML list nor an OFAC CSV folder", path)
		}
		d = tradeplan.Dataset{Kind: KindList, Name: "un", Format: FormatUN,
			Files: []tradeplan.DatasetFile{{Name: filepath.Base(path), Content: b}}}
	}
	return d, nil
}

// FinishDataset parses a list dataset to verify it and fills in its hash,
// version, counts and import time.
func FinishDataset(d *tradeplan.Dataset, now time.Time) error {
	l, err := ParseDataset(*d)
	if err != nil {
		return err
	}
	h := sha256.New()
	for _, f := range d.Files {
		io.WriteString(h, f.Name)
		h.Write([]byte{0})
		h.Write(f.Content)
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
	remember(d.Format+":"+d.SHA256, l) // for Guard, which compares it next
	d.Version = l.Date
	if d.Version == "" {
		d.Version = d.SHA256[:12]
	}
	d.Counts = l.Counts
	d.ImportedAt = now.UTC()
	return nil
}

func looksXML(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.TrimSpace(b)
	return bytes.HasPrefix(b, []byte("<"))
}

// UNDataset and OFACDataset build list datasets from downloaded content.
func UNDataset(name string, content []byte) tradeplan.Dataset {
	return tradeplan.Dataset{Kind: KindList, Name: "un", Format: FormatUN,
		Files: []tradeplan.DatasetFile{{Name: name, Content: content}}}
}

// OFACDataset builds the OFAC dataset from its files, keyed by file name
// (sdn.csv, alt.csv, add.csv, sdn_comments.csv).
func OFACDataset(files map[string][]byte) tradeplan.Dataset {
	d := tradeplan.Dataset{Kind: KindList, Name: "ofac", Format: FormatOFAC}
	for _, n := range ofacFileNames {
		if b, ok := files[n]; ok {
			d.Files = append(d.Files, tradeplan.DatasetFile{Name: n, Content: b})
		}
	}
	return d
}

// ListNames are the lists the screener knows, in the order they are loaded.
var ListNames = []string{"un", "ofac"}

// LoadStore builds an index from the lists kept in a dataset store. A list
// never imported is skipped; with none at all the error is ENotFound.
func LoadStore(ctx context.Context, s tradeplan.DatasetStore) (*Index, error) {
	var ds []tradeplan.Dataset
	for _, name := range ListNames {
		d, err := s.Dataset(ctx, KindList, name)
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("load list %s: %w", name, err)
		}
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return nil, tradeplan.Errorf(tradeplan.ENotFound, "no sanctions list imported: run 'tradeplan lists import PATH' or 'tradeplan lists update'")
	}
	return Load(ds...)
}
