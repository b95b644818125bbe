package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// killBatchSize is the declarations in the batch the child process loads.
const killBatchSize = 1000

// TestKillDuringDeclarationBatch: a process killed with SIGKILL while it
// loads a batch of declarations leaves the batch whole or absent, never a
// part of it, on each engine. The child is this test binary, run again.
func TestKillDuringDeclarationBatch(t *testing.T) {
	if dsn := os.Getenv("TP_KILL_CHILD_DSN"); dsn != "" {
		killChild(t, dsn)
		return
	}
	if testing.Short() {
		t.Skip("starts child processes")
	}
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			dsn := storetest.DSN(t, eng)
			ctx := context.Background()
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			f := newDeclFixture(t, db)
			whole, absent := 0, 0
			for i, delay := range []time.Duration{300 * time.Millisecond, time.Second, 2 * time.Second, 8 * time.Second} {
				batch := fmt.Sprintf("kill-%d", i)
				cmd := exec.Command(os.Args[0], "-test.run=^TestKillDuringDeclarationBatch$")
				cmd.Env = append(os.Environ(), "TP_KILL_CHILD_DSN="+dsn, "TP_KILL_BATCH="+batch, "TP_KILL_ORG="+strconv.FormatInt(f.orgA.ID, 10))
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(delay)
				cmd.Process.Kill()
				cmd.Wait()
				childGone(t, eng, dsn)
				ds := must[[]licensing.Declaration](t)(f.svc.Declarations(ctx, tradeplan.SystemActor("test"), licensing.DeclarationFilter{Batch: batch}))
				switch len(ds) {
				case 0:
					absent++
				case killBatchSize:
					whole++
				default:
					t.Fatalf("batch %s killed after %s: %d of %d declarations loaded", batch, delay, len(ds), killBatchSize)
				}
				// The batch's record stands exactly when its declarations do:
				// loading it again is a replay, or a first load.
				in := killBatch(t, batch, f.orgA.ID)
				r, err := f.svc.ImportDeclarations(ctx, tradeplan.SystemActor("test"), batch, in)
				if err != nil {
					t.Fatal(err)
				}
				if r.Replayed != (len(ds) == killBatchSize) {
					t.Fatalf("batch %s: %d loaded before, replayed %v", batch, len(ds), r.Replayed)
				}
			}
			t.Logf("%s: %d batches whole, %d absent after kill -9", eng, whole, absent)
		})
	}
}

// childGone waits until the killed child's transaction has ended in the
// database. A PostgreSQL server notices a dead client only when it next
// reads from its socket: a COMMIT already sent still lands after the kill,
// and a count read before it would see the batch absent and then whole.
func childGone(t *testing.T, eng, dsn string) {
	if eng != "postgres" {
		return // SQLite: the child's locks and journal die with its process
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(time.Minute)
	for {
		var busy int
		err := db.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()
			AND backend_type = 'client backend' AND state <> 'idle'`).Scan(&busy)
		if err != nil {
			t.Fatal(err)
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the killed child's session is still busy after a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func killBatch(t testing.TB, batch string, org int64) []licensing.DeclarationInput {
	js := make([]licensing.DeclarationJSON, killBatchSize)
	for i := range js {
		js[i] = licensing.DeclarationJSON{Declaration: fmt.Sprintf("%s-%05d", batch, i), Declarant: licensing.DeclarantID(org), Date: "2027-02-10", Description: "wheat flour", HS: "110100",
			Origin: "CN", Destination: "KP", Crossing: "namyang-tumen", Quantity: tradeplan.D(0.01), Unit: "t"}
	}
	in, err := licensing.DeclarationsFromJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// killChild loads the batch, to be killed before or after it commits.
func killChild(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	org, _ := strconv.ParseInt(os.Getenv("TP_KILL_ORG"), 10, 64)
	svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: capScreen, Clock: func() time.Time { return lday("2027-03-01") }})
	batch := os.Getenv("TP_KILL_BATCH")
	if _, err := svc.ImportDeclarations(ctx, tradeplan.SystemActor("kill"), batch, killBatch(t, batch, org)); err != nil && !strings.Contains(err.Error(), "context") {
		t.Fatal(err)
	}
}
