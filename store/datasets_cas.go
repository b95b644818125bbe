package store

import (
	"context"

	"github.com/tradeplan/tradeplan"
)

// datasetPrev is the stored version a PutDatasetIf was checked against.
type datasetPrev struct{}

// PutDatasetIf stores d as PutDataset does, but only while the stored
// version of d's kind and name is still the one with SHA-256 prev ("" for
// none stored): what the caller checked d against (a list's guard: not
// older, not dropping more than 10%). Two imports at once each checked
// against the same stored version; the second to write gets EConflict and
// nothing, instead of replacing the first's list unchecked.
func (db *DB) PutDatasetIf(ctx context.Context, d tradeplan.Dataset, prev string) error {
	return db.PutDataset(context.WithValue(ctx, datasetPrev{}, prev), d)
}

// PutDatasetsIf stores every dataset of ds, each as PutDatasetIf would
// with prevs[i], in one transaction: a refusal or failure of any stores
// none (one command's lists are whole or not at all).
func (db *DB) PutDatasetsIf(ctx context.Context, ds []tradeplan.Dataset, prevs []string) error {
	if len(prevs) != len(ds) {
		return tradeplan.Errorf(tradeplan.EInternal, "put datasets: %d datasets, %d stored versions", len(ds), len(prevs))
	}
	if len(ds) == 0 {
		return nil
	}
	ps := make([]*string, len(prevs))
	for i := range prevs {
		ps[i] = &prevs[i]
	}
	return db.putDatasets(ctx, ds, ps)
}

// checkDatasetPrev applies PutDatasetIf's condition, in the write's
// transaction, to the stored version read there (found says whether there
// is one).
func checkDatasetPrev(d, old tradeplan.Dataset, found bool, prev string) error {
	cur := ""
	if found {
		cur = old.SHA256
		if cur == "" {
			cur = "version " + old.Version
		}
	}
	if cur != prev {
		return tradeplan.Errorf(tradeplan.EConflict, "the stored %s %s changed since it was checked (another import at the same time): nothing stored; run the import again", d.Kind, d.Name)
	}
	return nil
}
