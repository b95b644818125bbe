package store_test

import (
	"context"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/licensing/licensingtest"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestLicensingContract runs the contract of licensing.Store, which the
// licensing tests' in-memory store keeps too, on both engines.
func TestLicensingContract(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			licensingtest.TestStore(t, func(t *testing.T, orgs []tradeplan.Organisation) (licensing.Store, []int64) {
				db := storetest.Open(t, eng)
				ids := make([]int64, len(orgs))
				for i, o := range orgs {
					if o.ParentID != 0 {
						o.ParentID = ids[o.ParentID-1]
					}
					created, err := db.CreateOrg(context.Background(), o)
					if err != nil {
						t.Fatal(err)
					}
					ids[i] = created.ID
				}
				return db.Licensing(), ids
			})
		})
	}
}
