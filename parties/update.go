package parties

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Sources are where the official list files are downloaded from: the UN
// XML file, and the folder (base URL) of the OFAC CSV files.
type Sources struct {
	UN   string
	OFAC string
}

// DefaultSources are the official locations.
var DefaultSources = Sources{
	UN:   "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
	OFAC: "https://www.treasury.gov/ofac/downloads/",
}

// maxListSize bounds a downloaded list file.
const maxListSize = 200 << 20

// UpdateResult is the outcome of updating one list.
type UpdateResult struct {
	List    string
	Version string
	Counts  map[string]int
	Changed bool       // a new version was stored
	Change  ListChange // what storing it changed (or would have)
	Err     error      // the download, parse or guard failed; the stored version is kept
}

// UpdateOptions are the settings of UpdateWith.
type UpdateOptions struct {
	Lists []string // the lists to update; all when empty
	// Force stores a version that Guard refuses: older than the stored
	// one, or dropping more than MaxListLoss of its entries.
	Force bool
}

// Fetch downloads one list ("un" or "ofac") and verifies it by parsing it.
func Fetch(ctx context.Context, c *http.Client, src Sources, list string) (tradeplan.Dataset, error) {
	var d tradeplan.Dataset
	switch list {
	case "un":
		b, err := download(ctx, c, src.UN)
		if err != nil {
			return d, err
		}
		d = UNDataset("consolidated.xml", b)
	case "ofac":
		files := map[string][]byte{}
		base := strings.TrimSuffix(src.OFAC, "/") + "/"
		for _, n := range ofacFileNames {
			b, err := download(ctx, c, base+n)
			if err != nil {
				return d, err
			}
			files[n] = b
		}
		d = OFACDataset(files)
	default:
		return d, tradeplan.Errorf(tradeplan.EInvalid, "unknown list %q (want un or ofac)", list)
	}
	if err := FinishDataset(&d, time.Now()); err != nil {
		return d, fmt.Errorf("verify downloaded %s list: %w", list, err)
	}
	return d, nil
}

// Update downloads the named lists (all when none is named), verifies each,
// and stores each one that parses and differs from the stored version. A list
// whose download or parse fails, or that Guard refuses, keeps its stored
// version; its result carries the error. Update never panics on bad input
// from the network.
func Update(ctx context.Context, c *http.Client, st tradeplan.DatasetStore, src Sources, lists ...string) []UpdateResult {
	return UpdateWith(ctx, c, st, src, UpdateOptions{Lists: lists})
}

// UpdateWith is Update with options.
func UpdateWith(ctx context.Context, c *http.Client, st tradeplan.DatasetStore, src Sources, o UpdateOptions) []UpdateResult {
	lists := o.Lists
	if len(lists) == 0 {
		lists = ListNames
	}
	var out []UpdateResult
	for _, name := range lists {
		r := UpdateResult{List: name}
		d, err := Fetch(ctx, c, src, name)
		if err != nil {
			r.Err = err
			out = append(out, r)
			continue
		}
		r.Version, r.Counts = d.Version, d.Counts
		if old, err := st.Dataset(ctx, KindList, name); err == nil && old.SHA256 == d.SHA256 {
			out = append(out, r)
			continue
		}
		if r.Change, err = Guard(ctx, st, d, o.Force); err != nil {
			r.Err = err
			out = append(out, r)
			continue
		}
		if err := Put(ctx, st, d, r.Change); err != nil {
			r.Err = fmt.Errorf("store %s list: %w", name, err)
		} else {
			r.Changed = true
		}
		out = append(out, r)
	}
	return out
}

func download(ctx context.Context, c *http.Client, url string) ([]byte, error) {
	if c == nil {
		c = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", url, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: %s", url, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxListSize+1))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", url, err)
	}
	if len(b) > maxListSize {
		return nil, fmt.Errorf("download %s: larger than %d bytes", url, maxListSize)
	}
	return b, nil
}
