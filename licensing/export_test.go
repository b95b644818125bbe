package licensing

import "github.com/tradeplan/tradeplan"

// NewMemStore returns the tests' in-memory Store holding orgs, for the
// contract tests of package licensing_test.
func NewMemStore(orgs ...tradeplan.Organisation) Store {
	st := newMemStore()
	for _, o := range orgs {
		st.st.orgs[o.ID] = o
	}
	return st
}
