package store_test

import (
	"testing"

	"github.com/tradeplan/tradeplan/accounts/accountstest"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestAccountsContract runs the contract of accounts.Store, which the
// in-memory fake keeps too, on both engines.
func TestAccountsContract(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			accountstest.TestStore(t, func(t *testing.T) accountstest.Store { return storetest.Open(t, eng) })
		})
	}
}
