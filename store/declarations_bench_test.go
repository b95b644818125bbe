package store_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/internal/shareddata"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/parties"
	rulepacks "github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// benchPermits issues n more permits to province A like the fixture's one,
// written directly (no screening, no signing), and returns their numbers.
func benchPermits(b testing.TB, db *store.DB, f *declFixture, n int) []string {
	ctx := context.Background()
	out := make([]string, 0, n)
	err := db.Licensing().Update(tradeplan.WithActor(ctx, tradeplan.SystemActor("bench")), func(ctx context.Context, tx licensing.Tx) error {
		for i := 0; i < n; i++ {
			p := f.permit
			p.ID, p.Caps, p.Number = 0, nil, licensing.FormatPermitNumber("2027H1", tradeplan.Import, int64(1000+i))
			if err := tx.CreatePermit(ctx, &p); err != nil {
				return err
			}
			out = append(out, p.Number)
		}
		return tx.Audit(ctx, "bench.permits", "bench", f.orgA.ID, nil, n)
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkDeclarationIntake loads batches of 1,000 declarations, each
// naming one of 1,000 permits, on each engine: per op, one batch.
func BenchmarkDeclarationIntake(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			f := newDeclFixture(b, db)
			numbers := benchPermits(b, db, f, 1000)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				js := make([]licensing.DeclarationJSON, 1000)
				for j := range js {
					js[j] = f.decl(fmt.Sprintf("B%d-%d", i, j), f.orgA, "2027-02-10", 0.01, numbers[j])
				}
				in, err := licensing.DeclarationsFromJSON(js)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.svc.ImportDeclarations(context.Background(), f.compliance, fmt.Sprintf("bench-%d", i), in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*1000), "µs/declaration")
		})
	}
}

// BenchmarkRescreen screens 1,000 issued permits again.
func BenchmarkRescreen(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			db := storetest.Open(b, eng)
			f := newDeclFixture(b, db)
			benchPermits(b, db, f, 999)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r, err := f.svc.Rescreen(context.Background(), f.compliance, fmt.Sprintf("bench %d", i))
				if err != nil || r.Permits != 1000 {
					b.Fatalf("%+v %v", r, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*1000), "µs/permit")
		})
	}
}

// benchEnv is a size from the environment, or def.
func benchEnv(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// copyPermits writes n copies of the fixture's permit with new numbers
// straight into the table (no audit, no signature): the setting of a
// reconciliation benchmark, not what it measures.
func copyPermits(b *testing.B, db *store.DB, f *declFixture, n int) []string {
	const cols = `holder, call_id, plan_id, plan_version, line_no, direction, description, hs, origin, destination, crossing, unit,
		currency, quantity, val, quantity_used, value_used, valid_from, valid_to, status, status_reason, citations, issued_by, issued_at, updated_at`
	out := make([]string, 0, n)
	tx, err := store.Raw(db).Begin()
	if err != nil {
		b.Fatal(err)
	}
	for start := 0; start < n; start += 500 {
		k := min(500, n-start)
		var sel []string
		args := []any{}
		for i := 0; i < k; i++ {
			num := licensing.FormatPermitNumber("2027H1", tradeplan.Import, int64(100000+start+i))
			out = append(out, num)
			// A thousand partners, so that screening sees as many distinct lines.
			sel = append(sel, "SELECT ? AS n, ? AS partner")
			args = append(args, num, fmt.Sprintf(`{"name":"Yanji Grain Trading Co %d","country":"CN"}`, (start+i)%1000))
		}
		args = append(args, f.permit.ID)
		q := "INSERT INTO permits (number, partner, " + cols + ") SELECT v.n, v.partner, " + cols + " FROM permits, (" + strings.Join(sel, " UNION ALL ") + ") v WHERE permits.id = ?"
		if _, err := tx.Exec(store.Rebind(db, q), args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkReconcile loads TRADEPLAN_BENCH_DECLARATIONS declarations
// (default 100,000) in batches of TRADEPLAN_BENCH_BATCH (default 100,000)
// against TRADEPLAN_BENCH_PERMITS permits (default 10,000), on each
// engine: per op, all of them, into a fresh database. 99 in 100 name
// their permit; one in 100 is matched by its facts; quantities take 1,000
// values, so that screening sees 1,000 distinct lines a day over 10 days.
// docs/benchmarks.md has the figures for a million against 100,000.
func BenchmarkReconcile(b *testing.B) {
	nd, np := benchEnv("TRADEPLAN_BENCH_DECLARATIONS", 100000), benchEnv("TRADEPLAN_BENCH_PERMITS", 10000)
	nb := benchEnv("TRADEPLAN_BENCH_BATCH", 100000)
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			var cpu, srv time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := storetest.Open(b, eng)
				f := newDeclFixture(b, db)
				numbers := copyPermits(b, db, f, np)
				var batches [][]licensing.DeclarationInput
				for start := 0; start < nd; start += nb {
					js := make([]licensing.DeclarationJSON, 0, nb)
					for j := start; j < min(nd, start+nb); j++ {
						permit := numbers[j%np]
						qty := 0.001 * float64(1+j%1000)
						if j%100 == 99 {
							permit, qty = "", 0.001
						}
						js = append(js, f.decl(fmt.Sprintf("R%d", j), f.orgA, fmt.Sprintf("2027-02-%02d", 10+j%10), qty, permit))
					}
					in, err := licensing.DeclarationsFromJSON(js)
					if err != nil {
						b.Fatal(err)
					}
					batches = append(batches, in)
				}
				b.StartTimer()
				cpu0, srv0 := cpuTime(), serverCPU(b, db)
				for k, in := range batches {
					if _, err := f.svc.ImportDeclarations(context.Background(), f.compliance, fmt.Sprintf("reconcile-%d", k), in); err != nil {
						b.Fatal(err)
					}
				}
				cpu += cpuTime() - cpu0
				srv += serverCPU(b, db) - srv0
			}
			reportDeclarations(b, eng, nd, cpu, srv)
		})
	}
}

// reportDeclarations reports wall, CPU and (PostgreSQL) server CPU time a
// declaration, of b.N runs of nd declarations.
func reportDeclarations(b *testing.B, eng string, nd int, cpu, srv time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*nd), "µs/declaration")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*nd), "cpu-µs/declaration")
	if eng == "postgres" {
		b.ReportMetric(float64(srv.Microseconds())/float64(b.N*nd), "server-cpu-µs/declaration")
	}
}

// BenchmarkRescreenReal screens TRADEPLAN_BENCH_PERMITS issued permits
// (default 10,000; a thousand partners) again with the real screener: the
// embedded rule packs and HS nomenclature, and the UN and OFAC lists of
// ../shared/data. Per op, one re-screening of all of them.
func BenchmarkRescreenReal(b *testing.B) {
	np := benchEnv("TRADEPLAN_BENCH_PERMITS", 10000)
	ix, err := parties.LoadFiles(shareddata.Path(b, shareddata.UNList), shareddata.Path(b, shareddata.OFACList))
	if err != nil {
		b.Fatal(err)
	}
	eng, err := rulepacks.Default()
	if err != nil {
		b.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, engine := range storetest.Engines(b) {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			f := newDeclFixture(b, db)
			copyPermits(b, db, f, np-1)
			// A new screener per op: its caches of party matches start empty.
			var sc *screen.Screener
			svc := licensing.NewService(licensing.Config{Store: db.Licensing(), Clock: func() time.Time { return *f.now },
				Screen: func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
					return sc.Plan(ctx, p, screen.ForUsage(asOf, usage))
				}})
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				sc = screen.New(screen.Config{Classifier: cls, Goods: eng, Parties: ix, NewLedger: rulepacks.NewLedger})
				r, err := svc.Rescreen(context.Background(), f.compliance, fmt.Sprintf("bench %d", i))
				if err != nil || r.Permits != np {
					b.Fatalf("%+v %v", r, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*np), "µs/permit")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N*np), "cpu-µs/permit")
		})
	}
}

// cpuTime is the CPU time (user and system) this process has used: on a
// machine shared with other work, what a benchmark cost rather than how
// long it waited. A PostgreSQL server's own CPU is not in it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serverCPU is the CPU time (user and system) of the PostgreSQL server that
// db's connections reach, when it runs on this machine: its postmaster, the
// processes it has waited for and those that run (backends, WAL writer,
// checkpointer). Zero on SQLite, or when /proc does not show it.
func serverCPU(b *testing.B, db *store.DB) time.Duration {
	if db.Engine() != "postgres" {
		return 0
	}
	var pid int
	if err := store.Raw(db).QueryRow("SELECT pg_backend_pid()").Scan(&pid); err != nil {
		b.Fatal(err)
	}
	stat := func(pid int) []string {
		bs, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return nil
		}
		s := string(bs)
		return strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // fields from the third, state
	}
	ticks := func(fs []string, from, to int) time.Duration {
		var t int64
		for i := from; i <= to; i++ {
			n, _ := strconv.ParseInt(fs[i-3], 10, 64)
			t += n
		}
		return time.Duration(t) * time.Second / 100 // USER_HZ
	}
	fs := stat(pid)
	if fs == nil {
		return 0
	}
	post, _ := strconv.Atoi(fs[1]) // ppid: the postmaster
	pfs := stat(post)
	if pfs == nil {
		return 0
	}
	total := ticks(pfs, 14, 17) // utime, stime, cutime, cstime
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if cfs := stat(child); cfs != nil && cfs[1] == strconv.Itoa(post) {
			total += ticks(cfs, 14, 15)
		}
	}
	return total
}

// BenchmarkDeclarationStore is the store's share of reconciling a batch:
// the reads and writes ImportDeclarations makes, in one transaction, of
// TRADEPLAN_BENCH_DECLARATIONS declarations (default 100,000) matched to
// TRADEPLAN_BENCH_PERMITS permits (default 10,000) as in
// BenchmarkReconcile, without the matching, screening and flags (package
// licensing's share). Per op, the batch into a fresh database.
func BenchmarkDeclarationStore(b *testing.B) {
	nd, np := benchEnv("TRADEPLAN_BENCH_DECLARATIONS", 100000), benchEnv("TRADEPLAN_BENCH_PERMITS", 10000)
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			var cpu, srv time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := storetest.Open(b, eng)
				f := newDeclFixture(b, db)
				numbers := copyPermits(b, db, f, np)
				ids := map[string]int64{}
				rows, err := store.Raw(db).Query("SELECT id, number FROM permits")
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
					var id int64
					var n string
					if err := rows.Scan(&id, &n); err != nil {
						b.Fatal(err)
					}
					ids[n] = id
				}
				rows.Close()
				now := *f.now
				ds := make([]licensing.Declaration, nd)
				all := make([]string, nd)
				for j := range ds {
					permit := numbers[j%np]
					qty := 0.001 * float64(1+j%1000)
					named := permit
					if j%100 == 99 {
						named, qty = "", 0.001
					}
					ds[j] = licensing.Declaration{Number: fmt.Sprintf("R%d", j), Version: 1, Batch: "store-0", Line: j + 1,
						Date: time.Date(2027, 2, 10+j%10, 0, 0, 0, 0, time.UTC), Declarant: f.orgA.ID, Direction: tradeplan.Import,
						Description: "wheat flour", HS: "110100", Origin: "CN", Destination: "KP", Crossing: "namyang-tumen",
						PermitNumber: named, PermitID: ids[permit], Matched: permit, Quantity: tradeplan.D(qty), Unit: "t",
						Value: tradeplan.D(qty * 400), Currency: "USD", Counted: true, Flags: []licensing.Flag{}, LoadedBy: "bench", LoadedAt: now}
					all[j] = ds[j].Number
				}
				totals := map[int64]tradeplan.Decimal{}
				for j := range ds {
					totals[ds[j].PermitID] = totals[ds[j].PermitID].Add(ds[j].Quantity)
				}
				permitIDs := make([]int64, 0, len(totals))
				for id := range totals {
					permitIDs = append(permitIDs, id)
				}
				slices.Sort(permitIDs)
				ctx := tradeplan.WithActor(context.Background(), f.compliance)
				b.StartTimer()
				cpu0, srv0 := cpuTime(), serverCPU(b, db)
				err = db.Licensing().Update(ctx, func(ctx context.Context, tx licensing.Tx) error {
					dt := tx.(licensing.DeclarationTx)
					if err := dt.LockDeclarationIntake(ctx); err != nil {
						return err
					}
					if err := dt.AddDeclarationBatch(ctx, licensing.DeclarationBatch{ID: "store-0", Digest: "d", Count: nd, LoadedBy: "bench", LoadedAt: now}); err != nil {
						return err
					}
					if cur, err := dt.CurrentDeclarations(ctx, all); err != nil || len(cur) != 0 {
						return fmt.Errorf("current: %d %v", len(cur), err)
					}
					if ps, err := dt.PermitsForMatching(ctx, numbers, []int64{f.orgA.ID}, nil); err != nil || len(ps) < np {
						return fmt.Errorf("permits: %d %v", len(ps), err)
					}
					if on, err := dt.CurrentOnPermits(ctx, permitIDs); err != nil || len(on) != 0 {
						return fmt.Errorf("on permits: %d %v", len(on), err)
					}
					if err := dt.InsertDeclarations(ctx, "store-0", ds); err != nil {
						return err
					}
					if err := dt.PutPermitsDeclared(ctx, totals, now); err != nil {
						return err
					}
					return tx.Audit(ctx, "declarations.import", "declarations:store-0", f.orgA.ID, nil, map[string]any{"batch": "store-0", "permits": permitIDs})
				})
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - cpu0
				srv += serverCPU(b, db) - srv0
			}
			reportDeclarations(b, eng, nd, cpu, srv)
		})
	}
}
