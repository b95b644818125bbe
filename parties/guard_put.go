package parties

import (
	"context"

	"github.com/tradeplan/tradeplan"
)

// Put stores d, which Guard checked and returned c for, only while the
// stored version is still the one Guard compared it with, when the store
// can say so (PutDatasetIf): the guard and the write are one step, so two
// imports at once cannot each pass it against the same stored version.
func Put(ctx context.Context, st tradeplan.DatasetStore, d tradeplan.Dataset, c ListChange) error {
	if cas, ok := st.(interface {
		PutDatasetIf(ctx context.Context, d tradeplan.Dataset, prev string) error
	}); ok {
		return cas.PutDatasetIf(ctx, d, c.Prev)
	}
	return st.PutDataset(ctx, d)
}

// PutAll stores every list of ds, each checked by Guard (changes[i]), in
// one step: each only while its stored version is the one Guard compared
// it with, and all of them or none (a failure storing the last list leaves
// the first ones as they were). A store that cannot write several at once
// takes one list only.
func PutAll(ctx context.Context, st tradeplan.DatasetStore, ds []tradeplan.Dataset, changes []ListChange) error {
	if many, ok := st.(interface {
		PutDatasetsIf(ctx context.Context, ds []tradeplan.Dataset, prevs []string) error
	}); ok {
		prevs := make([]string, len(changes))
		for i, c := range changes {
			prevs[i] = c.Prev
		}
		return many.PutDatasetsIf(ctx, ds, prevs)
	}
	if len(ds) > 1 {
		return tradeplan.Errorf(tradeplan.EInternal, "this store cannot store %d lists in one step: import them one at a time", len(ds))
	}
	for i, d := range ds {
		if err := Put(ctx, st, d, changes[i]); err != nil {
			return err
		}
	}
	return nil
}
