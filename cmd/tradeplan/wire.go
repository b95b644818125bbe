package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store"
)

// engineOptions say where the screening steps get their data: the embedded
// defaults, files named on the command line, and what was imported into the
// database.
type engineOptions struct {
	rules   multiFlag // extra rule pack files or folders
	lists   multiFlag // sanctions list files (UN XML file, OFAC folder)
	hsFiles multiFlag // full nomenclature files (CSV or Comtrade JSON)
	dsn     string    // database with imported lists and nomenclatures
	workers int
}

func (o *engineOptions) flags(fs *flag.FlagSet) {
	fs.Var(&o.rules, "rules", "extra rule pack `file or folder` (repeatable)")
	fs.Var(&o.lists, "lists", "sanctions list `file or folder` to screen parties against, instead of the database's (repeatable)")
	fs.Var(&o.hsFiles, "hs-file", "full HS nomenclature `file` (CSV or Comtrade JSON), beside the embedded one (repeatable)")
	fs.StringVar(&o.dsn, "db", "", "database with imported lists and nomenclatures (default $TRADEPLAN_DB, or ./tradeplan.db when it exists)")
	fs.IntVar(&o.workers, "workers", 0, "screening goroutines (default: the number of CPUs)")
}

type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*m = append(*m, p)
		}
	}
	return nil
}

// engine is a wired screener, the party index it screens against (nil
// when no lists are loaded), and what must be closed after it.
type engine struct {
	screener *screen.Screener
	rules    string // the digest of its rule packs
	parties  *parties.Index
	close    func()
}

const noListsWarning = "no sanctions lists loaded, so partners and vessels are not screened; import them with 'tradeplan lists import PATH' or name them with --lists"

// defaultDSN is the database the commands use when none is named.
func defaultDSN(e *env) string {
	if d := e.getenv("TRADEPLAN_DB"); d != "" {
		return d
	}
	return "./tradeplan.db"
}

// openEngine wires the screener for a command-line run. A database is used
// only when named or when the default file exists: screening never creates
// one.
func openEngine(ctx context.Context, e *env, o engineOptions) (*engine, error) {
	db, err := openExisting(ctx, e, o.dsn)
	if err != nil {
		return nil, err
	}
	resume := pauseGC()
	eng, err := wire(ctx, db, o)
	resume()
	if err != nil {
		if db != nil {
			db.Close()
		}
		return nil, err
	}
	if eng.parties == nil {
		fmt.Fprintln(e.stderr, "tradeplan: warning: "+noListsWarning)
	}
	eng.close = func() {
		if db != nil {
			db.Close()
		}
	}
	return eng, nil
}

// wire puts the screening steps together: the embedded rules and
// nomenclature, anything named in o, and the lists, nomenclatures and match
// decisions kept in db (which may be nil). The server and the commands both
// use it.
func wire(ctx context.Context, db *store.DB, o engineOptions) (*engine, error) {
	cfg, lists, err := wireBase(ctx, db, o)
	if err != nil {
		return nil, err
	}
	if len(o.lists) > 0 {
		idx, err := parties.LoadFiles(o.lists...)
		if err != nil {
			return nil, fmt.Errorf("load sanctions lists: %w", err)
		}
		for _, l := range idx.Lists() {
			v := l.Date
			if v == "" {
				v = "(file)"
			}
			cfg.Lists = append(cfg.Lists, tradeplan.ListVersion{Name: l.List, Version: v})
		}
		cfg.Parties = idx
		return &engine{screener: screen.New(cfg), parties: idx, rules: rulesDigest(cfg)}, nil
	}
	return withLists(cfg, lists)
}

// rulesDigest names the rule packs of cfg ("" when its goods screener is
// not a rules engine).
func rulesDigest(cfg screen.Config) string {
	if re, ok := cfg.Goods.(*rules.Engine); ok {
		return re.Digest()
	}
	return ""
}

// withLists is the engine of cfg screening partners and vessels against the
// stored lists ds (none: not screened).
func withLists(cfg screen.Config, ds []tradeplan.Dataset) (*engine, error) {
	if len(ds) == 0 {
		return &engine{screener: screen.New(cfg), rules: rulesDigest(cfg)}, nil
	}
	idx, err := parties.Load(ds...)
	if err != nil {
		return nil, fmt.Errorf("load sanctions lists: %w", err)
	}
	cfg.Lists = nil
	for _, d := range ds {
		cfg.Lists = append(cfg.Lists, tradeplan.ListVersion{Name: d.Name, Version: d.Version})
	}
	cfg.Parties = idx
	return &engine{screener: screen.New(cfg), parties: idx, rules: rulesDigest(cfg)}, nil
}

// wireBase is the screener's configuration without its sanctions lists,
// and the lists stored in db (none when o names list files).
func wireBase(ctx context.Context, db *store.DB, o engineOptions) (screen.Config, []tradeplan.Dataset, error) {
	cfg := screen.Config{Workers: o.workers, NewLedger: rules.NewLedger}

	// Goods rules: the embedded packs, plus any named; loaded beside the
	// classifier, their error first.
	goods := loadRulesAsync(o.rules)
	lists, err := wireData(ctx, db, o, &cfg)
	re, rerr := goods()
	if rerr != nil {
		return cfg, nil, fmt.Errorf("load rules: %w", rerr)
	}
	if err != nil {
		return cfg, nil, err
	}
	cfg.Goods = re
	return cfg, lists, nil
}

// wireData sets cfg's classifier and decisions from the embedded
// nomenclature, the files of o and db, and returns the lists stored in db.
func wireData(ctx context.Context, db *store.DB, o engineOptions, cfg *screen.Config) ([]tradeplan.Dataset, error) {
	// Datasets imported into the database.
	var stored []tradeplan.Dataset
	if db != nil {
		infos, err := db.Datasets(ctx)
		if err != nil {
			return nil, fmt.Errorf("list datasets: %w", err)
		}
		for _, in := range infos {
			if in.Kind == parties.KindList && len(o.lists) > 0 {
				continue // lists named on the command line replace the stored ones
			}
			d, err := db.Dataset(ctx, in.Kind, in.Name)
			if err != nil {
				return nil, fmt.Errorf("read dataset %s/%s: %w", in.Kind, in.Name, err)
			}
			stored = append(stored, d)
		}
		cfg.Decisions = db
	}
	byKind := func(kind string) []tradeplan.Dataset {
		var out []tradeplan.Dataset
		for _, d := range stored {
			if d.Kind == kind {
				out = append(out, d)
			}
		}
		return out
	}

	// HS: the embedded default, with imported nomenclatures beside it.
	hsSets := byKind("hs")
	for _, path := range o.hsFiles {
		content, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read HS file: %w", err)
		}
		// Parsed once, by FromDatasets below; its name comes from the file.
		hsSets = append(hsSets, tradeplan.Dataset{Kind: "hs", Format: hs.DetectFormat(content),
			Files: []tradeplan.DatasetFile{{Name: path, Content: content}}})
	}
	cls, err := hs.FromDatasets(hsSets...)
	if err != nil {
		return nil, fmt.Errorf("build classifier: %w", err)
	}
	cfg.Classifier = cls
	return byKind(parties.KindList), nil
}
