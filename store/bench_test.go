package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// BenchmarkCreateOrg measures a small audited write: an insert and an
// audit append in one transaction.
func BenchmarkCreateOrg(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			b.ResetTimer()
			i := 0
			for b.Loop() {
				i++
				if _, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: fmt.Sprint("org ", i), Kind: tradeplan.OrgCompany}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTokenUser measures authenticating an API request, in parallel.
func BenchmarkTokenUser(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			org, err := db.CreateOrg(ctx, tradeplan.Organisation{Name: "A", Kind: tradeplan.OrgAuthority})
			if err != nil {
				b.Fatal(err)
			}
			u, err := db.CreateUser(ctx, tradeplan.User{OrgID: org.ID, Email: "a@example.org", Role: tradeplan.RoleAdmin}, "a long enough password")
			if err != nil {
				b.Fatal(err)
			}
			tok, _, err := db.CreateToken(ctx, u.ID, "bench")
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := db.TokenUser(ctx, tok); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkVerifyAudit measures walking a 10,000-entry chain.
func BenchmarkVerifyAudit(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			for i := range 10000 {
				if err := db.PutMatchDecision(ctx, tradeplan.MatchDecision{Query: fmt.Sprint("name ", i), List: "un", EntryID: "E1", EntryVersion: "v1",
					Decision: tradeplan.DecisionFalsePositive, At: time.Now()}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				res, err := db.VerifyAudit(ctx)
				if err != nil || !res.OK || res.Entries != 10000 {
					b.Fatal(res, err)
				}
			}
		})
	}
}

// BenchmarkPing is the baseline: one round trip to the database.
func BenchmarkPing(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			b.ResetTimer()
			for b.Loop() {
				if err := db.Ping(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
