package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

var updateReconcileGolden = flag.Bool("update-reconcile-golden", false, "write testdata/reconcile_golden.txt from this build")

// TestReconcileGolden loads a fixed sequence of random batches (new
// declarations, corrections, unchanged ones, replays, a batch id reused
// with other content, a tolerance set midway) against permits of two
// holders, one suspended, one with a short window, one at a crossing that
// is not registered, one in kilograms and one small enough to be passed,
// and compares what each batch answers and the state it leaves (every
// current declaration's version, match, count and flags, every permit's
// declared total, every case) with testdata/reconcile_golden.txt. The
// golden file was written by main at c1f05db, before intake was spread
// over both cores (go test -run TestReconcileGolden
// -update-reconcile-golden ./store/ in a checkout of it with this file,
// which writes one file an engine, alike):
// the reconciliation gives the same results flag by flag, on both
// engines.
func TestReconcileGolden(t *testing.T) {
	const path = "testdata/reconcile_golden.txt"
	each(t, func(t *testing.T, db *store.DB) {
		got := reconcileRun(t, db)
		if *updateReconcileGolden { // one file an engine, to compare by hand
			if err := os.WriteFile(path+"."+db.Engine(), []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got == string(want) {
			return
		}
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for j := range max(len(gl), len(wl)) {
			g, w := "", ""
			if j < len(gl) {
				g = gl[j]
			}
			if j < len(wl) {
				w = wl[j]
			}
			if g != w {
				t.Fatalf("line %d differs from main's:\n got  %s\n want %s", j+1, g, w)
			}
		}
	})
}

// reconcileRun loads the batches on db and returns what they answered and
// left, one line a fact.
func reconcileRun(t *testing.T, db *store.DB) string {
	ctx := context.Background()
	f := newDeclFixture(t, db)
	rng := rand.New(rand.NewPCG(16, 2026))

	// The permits: the fixture's (province A, flour, Namyang-Tumen, 500 t)
	// and variations of it.
	ps := []tradeplan.Permit{f.permit}
	err := db.Licensing().Update(tradeplan.WithActor(ctx, tradeplan.SystemActor("test")), func(ctx context.Context, tx licensing.Tx) error {
		vary := []func(p *tradeplan.Permit){
			func(p *tradeplan.Permit) { p.Holder = f.orgB.ID },
			func(p *tradeplan.Permit) { p.Status, p.StatusReason = tradeplan.PermitSuspended, "under review" },
			func(p *tradeplan.Permit) { p.ValidTo = lday("2027-02-15") },
			func(p *tradeplan.Permit) { p.Crossing = "sinuiju-dandong" },
			func(p *tradeplan.Permit) { p.Unit, p.Quantity = "kg", tradeplan.D(2000) },
			func(p *tradeplan.Permit) { p.Quantity = tradeplan.D(3) },
			func(p *tradeplan.Permit) { p.Holder, p.Quantity = f.orgB.ID, tradeplan.D(5) },
			func(p *tradeplan.Permit) {},
		}
		for i, v := range vary {
			p := f.permit
			p.ID, p.Caps, p.Number = 0, nil, licensing.FormatPermitNumber("2027H1", tradeplan.Import, int64(500+i))
			v(&p)
			if err := tx.CreatePermit(ctx, &p); err != nil {
				return err
			}
			ps = append(ps, p)
		}
		return tx.Audit(ctx, "test.permits", "test", f.orgA.ID, nil, len(vary))
	})
	if err != nil {
		t.Fatal(err)
	}
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	unknown := licensing.FormatPermitNumber("2027H1", tradeplan.Import, 999999)
	forged := unknown[:len(unknown)-1] + map[bool]string{true: "A", false: "B"}[strings.HasSuffix(unknown, "B")]
	decl := func(n int) licensing.DeclarationJSON {
		org := f.orgA
		if rng.IntN(4) == 0 {
			org = f.orgB
		}
		permit := ""
		switch k := rng.IntN(10); {
		case k < 6:
			permit = ps[rng.IntN(len(ps))].Number
		case k == 6:
			permit = unknown
		case k == 7:
			permit = forged
		}
		if permit != "" && rng.IntN(5) == 0 {
			permit = " " + strings.ToLower(permit)
		}
		d := f.decl(fmt.Sprintf("G%d", n), org, fmt.Sprintf("2027-%02d-%02d", 1+rng.IntN(3), 1+rng.IntN(28)), float64(1+rng.IntN(40))/4, permit)
		if rng.IntN(8) == 0 {
			d.Description, d.HS = "salted pollack", "030569"
		}
		if rng.IntN(8) == 0 {
			d.HS = "110290"
		}
		d.Crossing = pick("Namyang-Tumen", "Namyang-Tumen", "Namyang-Tumen", "namyang tumen", "Sinuiju-Dandong")
		d.Unit = pick("t", "t", "t", "kg", "l")
		if d.Unit == "kg" {
			d.Quantity = tradeplan.D(float64(rng.IntN(3000)))
		}
		if rng.IntN(10) == 0 {
			d.Partner = &tradeplan.Party{Name: pick("Yanji Grain Trading Co", "Dandong Flour Mill"), Country: "CN"}
		}
		return d
	}

	var out strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&out, format+"\n", args...) }
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:8]) }
	var batches [][]licensing.DeclarationJSON
	var sent []licensing.DeclarationJSON
	for b := 0; b < 30; b++ {
		id := fmt.Sprintf("g%d", b)
		var js []licensing.DeclarationJSON
		switch k := rng.IntN(10); {
		case b > 0 && k == 0: // a replay
			j := rng.IntN(len(batches))
			id, js = fmt.Sprintf("g%d", j), batches[j]
		case b > 0 && k == 1: // an id loaded before, with other content
			id = fmt.Sprintf("g%d", rng.IntN(len(batches)))
			js = []licensing.DeclarationJSON{decl(rng.IntN(150))}
		default:
			seen := map[string]bool{}
			for range 1 + rng.IntN(60) {
				d := decl(rng.IntN(150))
				if len(sent) > 0 && rng.IntN(4) == 0 { // sent before: unchanged, unless corrected since
					d = sent[rng.IntN(len(sent))]
				}
				if !seen[d.Declaration] {
					seen[d.Declaration] = true
					js = append(js, d)
				}
			}
			sent = append(sent, js...)
		}
		batches = append(batches, js)
		if b == 12 {
			if err := f.svc.SetTolerance(ctx, f.admin, "t", tradeplan.D(5)); err != nil {
				t.Fatal(err)
			}
			line("tolerance t 5%%")
		}
		*f.now = lday("2027-03-01").Add(time.Duration(b) * time.Hour)
		r, err := f.load(t, id, js...)
		if err != nil {
			line("batch %s: %s: %s", id, tradeplan.ErrorCode(err), tradeplan.ErrorMessage(err))
			continue
		}
		rules := make([]string, 0, len(r.Rules))
		for k, v := range r.Rules {
			rules = append(rules, fmt.Sprintf("%s=%d", k, v))
		}
		slices.Sort(rules)
		line("batch %s: replayed %v loaded %d corrected %d unchanged %d flagged %d cases %d count %d rules %s",
			id, r.Replayed, r.Loaded, r.Corrected, r.Unchanged, r.Flagged, r.Cases, r.Count, strings.Join(rules, ","))
		var cur strings.Builder
		for _, d := range r.Current {
			cur.WriteString(declLine(d) + "\n")
		}
		line("  current %d %s", len(r.Current), sum(cur.String()))
		line("  state %s", sum(reconcileState(t, f, ps)))
	}
	out.WriteString(reconcileState(t, f, ps))
	return out.String()
}

// declLine is what reconciliation decided of a declaration.
func declLine(d licensing.Declaration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s v%d batch %s current %v permit %q matched %q counted %v dir %s crossing %s", d.Number, d.Version, d.Batch, d.Current, d.PermitNumber, d.Matched, d.Counted, d.Direction, d.Crossing)
	for _, fl := range d.Flags {
		fmt.Fprintf(&b, " | %s [%s] [%s] %s %v", fl.Rule, fl.Permit, fl.Figures, fl.Message, fl.Citations)
	}
	return b.String()
}

// reconcileState is every current declaration, permit total and case.
func reconcileState(t *testing.T, f *declFixture, ps []tradeplan.Permit) string {
	ctx := context.Background()
	var b strings.Builder
	ds := must[[]licensing.Declaration](t)(f.svc.Declarations(ctx, tradeplan.SystemActor("test"), licensing.DeclarationFilter{}))
	slices.SortFunc(ds, func(x, y licensing.Declaration) int { return strings.Compare(x.Number, y.Number) })
	for _, d := range ds {
		fmt.Fprintf(&b, "declaration %s\n", declLine(d))
	}
	for _, p := range ps {
		q := must[tradeplan.Decimal](t)(f.db.PermitDeclared(ctx, p.ID))
		fmt.Fprintf(&b, "permit %s declared %s\n", p.Number, q)
	}
	cs := must[[]licensing.Case](t)(f.svc.Cases(ctx, tradeplan.SystemActor("test"), licensing.CaseFilter{}))
	var lines []string
	for _, c := range cs {
		lines = append(lines, fmt.Sprintf("case %s %s [%s] %s %s %s %v", c.Declaration, c.Rule, c.Permit, c.Severity, c.Status, c.Summary, c.Citations))
	}
	slices.Sort(lines)
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return b.String()
}
