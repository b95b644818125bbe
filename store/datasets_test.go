package store_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
)

func TestDatasets(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		_, err := db.Dataset(ctx, "list", "un")
		wantCode(t, err, tradeplan.ENotFound)

		binary := []byte{0, 1, 2, 0xff, 0xfe, '\n', 0}
		v1 := tradeplan.Dataset{Kind: "list", Name: "ofac", Format: "ofac-csv", Version: "2027-02-28",
			ImportedAt: time.Date(2027, 3, 1, 9, 0, 0, 123456000, time.UTC), SHA256: "abc",
			Counts: map[string]int{"entries": 3}, Files: []tradeplan.DatasetFile{
				{Name: "sdn.csv", Content: []byte("1,\"KIM\"\n")}, {Name: "add.csv", Content: binary}, {Name: "empty.csv", Content: nil},
			}}
		if err := db.PutDataset(ctx, v1); err != nil {
			t.Fatal(err)
		}
		got, err := db.Dataset(ctx, "list", "ofac")
		if err != nil {
			t.Fatal(err)
		}
		if got.Format != "ofac-csv" || got.Version != "2027-02-28" || !got.ImportedAt.Equal(v1.ImportedAt) || got.Counts["entries"] != 3 || len(got.Files) != 3 {
			t.Fatalf("Dataset = %+v", got)
		}
		for i, f := range got.Files {
			if f.Name != v1.Files[i].Name || !bytes.Equal(f.Content, v1.Files[i].Content) {
				t.Errorf("file %d = %q %q, want %q %q", i, f.Name, f.Content, v1.Files[i].Name, v1.Files[i].Content)
			}
		}

		// Replacing keeps only the new files.
		v2 := tradeplan.Dataset{Kind: "list", Name: "ofac", Format: "ofac-csv", Version: "2027-03-01", SHA256: "def",
			Files: []tradeplan.DatasetFile{{Name: "sdn.csv", Content: []byte("2,\"RI\"\n")}}}
		if err := db.PutDataset(ctx, v2); err != nil {
			t.Fatal(err)
		}
		if err := db.PutDataset(ctx, tradeplan.Dataset{Kind: "hs", Name: "hs2022", Format: "hs-csv", Files: []tradeplan.DatasetFile{{Name: "hs.csv", Content: []byte("x")}}}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Dataset(ctx, "list", "ofac")
		if got.Version != "2027-03-01" || len(got.Files) != 1 || string(got.Files[0].Content) != "2,\"RI\"\n" || got.ImportedAt.IsZero() {
			t.Errorf("after replace: %+v", got)
		}

		list, err := db.Datasets(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Kind != "hs" || list[1].Name != "ofac" || list[0].Files != nil || list[1].Files != nil {
			t.Errorf("Datasets = %+v", list)
		}

		err = db.PutDataset(ctx, tradeplan.Dataset{})
		wantCode(t, err, tradeplan.EInvalid)

		entries, _ := db.AuditLog(ctx, store.AuditFilter{Subject: "dataset:list/ofac"})
		if len(entries) != 2 || entries[0].Before != nil || entries[1].Before == nil || entries[1].After == nil {
			t.Errorf("dataset audit entries = %+v", entries)
		}
	})
}

func TestMatchDecisions(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		_, ok, err := db.MatchDecision(ctx, "kim chol", "un", "KPi.001")
		if err != nil || ok {
			t.Fatalf("absent decision: ok %v, err %v", ok, err)
		}
		d := tradeplan.MatchDecision{Query: "kim chol", List: "un", EntryID: "KPi.001", EntryVersion: "v1",
			Decision: tradeplan.DecisionFalsePositive, Reason: "different date of birth"}
		if err := db.PutMatchDecision(ctx, d); err != nil {
			t.Fatal(err)
		}
		got, ok, err := db.MatchDecision(ctx, "kim chol", "un", "KPi.001")
		if err != nil || !ok || got.Decision != d.Decision || got.Reason != d.Reason || got.By != "system:test" || got.At.IsZero() {
			t.Fatalf("MatchDecision = %+v, %v, %v", got, ok, err)
		}
		d.Decision, d.EntryVersion = tradeplan.DecisionTrueMatch, "v2"
		if err := db.PutMatchDecision(ctx, d); err != nil {
			t.Fatal(err)
		}
		got, _, _ = db.MatchDecision(ctx, "kim chol", "un", "KPi.001")
		if got.Decision != tradeplan.DecisionTrueMatch || got.EntryVersion != "v2" {
			t.Errorf("after replace: %+v", got)
		}
		if list, err := db.MatchDecisionList(ctx, "un"); err != nil || len(list) != 1 {
			t.Errorf("MatchDecisionList = %+v, %v", list, err)
		}
		err = db.PutMatchDecision(ctx, tradeplan.MatchDecision{Decision: "maybe"})
		wantCode(t, err, tradeplan.EInvalid)
		var e *tradeplan.Error
		if asErr(err, &e); len(e.Problems) != 5 {
			t.Errorf("want 5 problems, got %v", err)
		}
	})
}
