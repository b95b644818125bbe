package licensing_test

import (
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/licensing/licensingtest"
)

// TestMemStoreContract holds the tests' in-memory store to the contract
// that package store keeps on both engines.
func TestMemStoreContract(t *testing.T) {
	licensingtest.TestStore(t, func(t *testing.T, orgs []tradeplan.Organisation) (licensing.Store, []int64) {
		ids := make([]int64, len(orgs))
		for i := range orgs {
			ids[i] = int64(i + 1)
			orgs[i].ID = ids[i]
		}
		return licensing.NewMemStore(orgs...), ids
	})
}
