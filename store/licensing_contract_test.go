package store_test

import (
	"context"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/licensing/licensingtest"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestLicensingCapContract runs the cap contract, which the licensing
// tests' in-memory store keeps too, on both engines.
func TestLicensingCapContract(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			licensingtest.TestCapContract(t, func(t *testing.T) (licensing.Store, int64) {
				db := storetest.Open(t, eng)
				o, err := db.CreateOrg(context.Background(), tradeplan.Organisation{Name: "Authority", Kind: tradeplan.OrgAuthority, Country: "KP"})
				if err != nil {
					t.Fatal(err)
				}
				return db.Licensing(), o.ID
			})
		})
	}
}
