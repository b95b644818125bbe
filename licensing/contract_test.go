package licensing_test

import (
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/licensing/licensingtest"
)

// TestMemStoreCapContract holds the tests' in-memory store to the cap
// contract that package store keeps on both engines.
func TestMemStoreCapContract(t *testing.T) {
	licensingtest.TestCapContract(t, func(t *testing.T) (licensing.Store, int64) {
		return licensing.NewMemStore(tradeplan.Organisation{ID: 1, Name: "Authority", Kind: tradeplan.OrgAuthority, Country: "KP"}), 1
	})
}
