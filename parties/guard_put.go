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
