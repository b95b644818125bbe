package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/licensing/licensingtest"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestPropertyNoPermitForWhatIsBanned is the property test of issue 24 on
// each engine: random submissions, amendments, compliance decisions, list
// updates, approvals (full, reduced, bulk) and days passing never issue a
// permit for what the lists and rules of the moment ban on any day of its
// validity, nor more than a cap window holds (licensingtest.Run). Each seed
// runs on a fresh store.
func TestPropertyNoPermitForWhatIsBanned(t *testing.T) {
	seeds, steps := 6, 120
	if testing.Short() {
		seeds, steps = 2, 60
	}
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			issued := 0
			for seed := range seeds {
				t.Run(fmt.Sprint(seed), func(t *testing.T) {
					db := storetest.Open(t, eng)
					ctx := context.Background()
					org := func(name string, kind tradeplan.OrgKind, parent int64) tradeplan.Organisation {
						return must[tradeplan.Organisation](t)(db.CreateOrg(ctx, tradeplan.Organisation{Name: name, Kind: kind, ParentID: parent, Country: "KP"}))
					}
					authority := org("Trade Ministry", tradeplan.OrgAuthority, 0)
					a, b := org("province", tradeplan.OrgProvince, authority.ID), org("agency", tradeplan.OrgAgency, authority.ID)
					all := []int64{authority.ID, a.ID, b.ID}
					mk := func(id int64, o tradeplan.Organisation, role tradeplan.Role, sub []int64) tradeplan.Actor {
						return tradeplan.Actor{User: tradeplan.User{ID: id, OrgID: o.ID, Role: role, Email: string(role) + "@x"}, Org: o, Subtree: sub, Via: "token"}
					}
					as := licensingtest.Actors{Admin: mk(1, authority, tradeplan.RoleAdmin, all), Reviewer: mk(2, authority, tradeplan.RoleReviewer, all),
						Compliance: mk(3, authority, tradeplan.RoleCompliance, all),
						Submitters: [2]tradeplan.Actor{mk(4, a, tradeplan.RoleSubmitter, []int64{a.ID}), mk(5, b, tradeplan.RoleSubmitter, []int64{b.ID})}}
					var mu sync.Mutex
					now := licensingtest.Day("2027-05-01")
					w := licensingtest.NewWorld()
					svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: w.Screen,
						Clock: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
					issued += licensingtest.Run(t, svc, w, func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }, as, uint64(seed), steps)
				})
			}
			t.Logf("%d permits issued in %d runs of %d steps", issued, seeds, steps)
		})
	}
}
