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

// checkDatasetPrev applies PutDatasetIf's condition, in PutDataset's
// transaction, to the stored version read there (found says whether there
// is one).
func checkDatasetPrev(ctx context.Context, old tradeplan.Dataset, found bool) error {
	prev, ok := ctx.Value(datasetPrev{}).(string)
	if !ok {
		return nil
	}
	cur := ""
	if found {
		cur = old.SHA256
		if cur == "" {
			cur = "version " + old.Version
		}
	}
	if cur != prev {
		return tradeplan.Errorf(tradeplan.EConflict, "the stored %s %s changed since it was checked (another import at the same time): nothing stored; run the import again", old.Kind, old.Name)
	}
	return nil
}
