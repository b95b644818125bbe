package accountstest_test

import (
	"testing"

	"github.com/tradeplan/tradeplan/accounts/accountstest"
)

func TestMemStoreContract(t *testing.T) {
	accountstest.TestStore(t, func(t *testing.T) accountstest.Store { return accountstest.NewMemStore() })
}
