package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/store"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// wigSites is a site file worked by hand: 10 t of hair on hand, a yield of
// 0.5 and lines, workers and power to spare, so material binds at
// 10 x 0.5 = 5 t of wigs.
func wigSites(stock int) string {
	return fmt.Sprintf(`policy: {max_hours_per_day: 12, max_hours_per_week: 72, days_per_week: 6, absence: 0}
shift_patterns: [1x8]
sites:
  - id: wig-works
    name: Wig works
    workers: 100
    stock:
      - {item: processed human hair, quantity: %d, unit: t}
    processes:
      - id: wigs
        input: processed human hair
        output: wigs
        hs: "6704"
        yield: 0.5
        lines: 1
        rate: 1
        availability: 1
        crew: 10
        kwh_per_tonne: 100
`, stock)
}

const badSites = `policy: {max_hours_per_day: 12, max_hours_per_week: 72, days_per_week: 6, absence: 0}
shift_patterns: [1x8]
sites:
  - id: wig-works
    wrokers: 100
    processes:
      - id: wigs
        input: processed human hair
        hs: "6704"
        yield: -0.5
        lines: 1
        rate: 1
        availability: 1
        crew: 10
`

// sitesPlan: wigs from the organisation's own site; seafood (prohibited:
// never assessed) from it too; wigs from another organisation's site id.
func sitesPlan() *tradeplan.Plan {
	src := func(s string) *tradeplan.Source { return &tradeplan.Source{Site: s} }
	return &tradeplan.Plan{Organisation: "province", Lines: []tradeplan.Line{
		{Direction: tradeplan.Export, Description: "wigs", HS: "670420", Quantity: tradeplan.D(8), Unit: "t", Value: tradeplan.D(80), Currency: "USD", Source: src("wig-works")},
		{Direction: tradeplan.Export, Description: "Salted pollack", HS: "030569", Quantity: tradeplan.D(10), Unit: "t", Value: tradeplan.D(10), Currency: "USD", Source: src("wig-works")},
		{Direction: tradeplan.Export, Description: "wigs", HS: "670420", Quantity: tradeplan.D(2), Unit: "t", Value: tradeplan.D(20), Currency: "USD", Source: src("rye-wigs")},
	}}
}

// TestSiteFilesStored: uploads are versions kept with their digest and
// audited; a bad file is refused with every problem placed and nothing
// stored; another organisation neither reads nor writes them; a version
// counts for the assessment of a plan only once the authority accepted
// it, and only if it was uploaded before the plan was submitted.
func TestSiteFilesStored(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, eng)
			f := newLicFixture(t, db)
			svc := f.svc
			orgA := f.orgA.ID

			_, err := svc.UploadSites(ctx, f.provA, 0, plan.YAML, []byte(badSites))
			te, ok := err.(*tradeplan.Error)
			if !ok || te.Code != tradeplan.EInvalid || len(te.Problems) < 2 {
				t.Fatalf("bad site file: %v", err)
			}
			var placed []string
			for _, p := range te.Problems {
				placed = append(placed, p.String())
			}
			all := strings.Join(placed, "\n")
			for _, want := range []string{fmt.Sprintf("sites-org%d.yaml:10:16: sites[1].processes[1].yield", orgA), fmt.Sprintf("sites-org%d.yaml:5:", orgA), "wrokers"} {
				if !strings.Contains(all, want) {
					t.Errorf("problems lack %q:\n%s", want, all)
				}
			}
			if vs := must[[]licensing.SiteFile](t)(svc.SiteVersions(ctx, f.provA, orgA)); len(vs) != 0 {
				t.Fatalf("a refused file was stored: %+v", vs)
			}

			content := wigSites(10)
			v1 := must[licensing.SiteFile](t)(svc.UploadSites(ctx, f.provA, 0, plan.YAML, []byte(content)))
			sum := sha256.Sum256([]byte(content))
			if v1.Version != 1 || v1.Status != licensing.SitesClaimed || v1.Digest != hex.EncodeToString(sum[:]) || v1.Organisation != orgA ||
				len(v1.Sites) != 1 || v1.Sites[0] != "wig-works" || v1.UploadedBy != f.provA.Label() {
				t.Fatalf("version 1: %+v", v1)
			}

			// Another organisation: not found, whatever it tries.
			if _, err := svc.SiteVersions(ctx, f.provB, orgA); tradeplan.ErrorCode(err) != tradeplan.ENotFound {
				t.Fatalf("another organisation lists: %v", err)
			}
			if _, err := svc.Sites(ctx, f.provB, orgA, 1); tradeplan.ErrorCode(err) != tradeplan.ENotFound {
				t.Fatalf("another organisation reads: %v", err)
			}
			if _, err := svc.UploadSites(ctx, f.provB, orgA, plan.YAML, []byte(content)); tradeplan.ErrorCode(err) != tradeplan.ENotFound {
				t.Fatalf("another organisation uploads: %v", err)
			}
			// The authority reads, but does not upload; the applicant does
			// not accept its own claim.
			if sv := must[licensing.SiteFileView](t)(svc.Sites(ctx, f.rev, orgA, 0)); sv.Content != content || sv.Accepted != 0 {
				t.Fatalf("the authority reads %+v", sv)
			}
			if _, err := svc.UploadSites(ctx, f.rev, orgA, plan.YAML, []byte(content)); tradeplan.ErrorCode(err) != tradeplan.EForbidden {
				t.Fatalf("a reviewer uploads: %v", err)
			}
			if _, err := svc.ReviewSites(ctx, f.provA, orgA, 1, true, "ours"); tradeplan.ErrorCode(err) != tradeplan.EForbidden {
				t.Fatalf("the applicant accepts its own claim: %v", err)
			}

			// Organisation B has an accepted site "rye-wigs", with stock to
			// spare; A's plan naming it gains nothing from it.
			vb := must[licensing.SiteFile](t)(svc.UploadSites(ctx, f.provB, 0, plan.YAML, []byte(strings.ReplaceAll(wigSites(1000), "wig-works", "rye-wigs"))))
			must[licensing.SiteFile](t)(svc.ReviewSites(ctx, f.rev, f.orgB.ID, vb.Version, true, "counted"))
			rec := must[tradeplan.PlanRecord](t)(svc.ImportPlan(ctx, f.provA, f.call.ID, orgA, sitesPlan()))
			line := func(d licensing.PlanDetail, i int) *licensing.LineFeasibility {
				t.Helper()
				lf := d.Lines[i].Feasibility
				if lf == nil || lf.Feasibility == nil {
					t.Fatalf("line %d has no feasibility block", i+1)
				}
				return lf
			}
			// Claimed, not reviewed: the figures are shown as the claim and
			// count for nothing.
			d := must[licensing.PlanDetail](t)(svc.Plan(ctx, f.rev, rec.ID, 0))
			if d.Feasibility == nil || d.Feasibility.Basis != licensing.BasisClaimed || d.Feasibility.SiteVersion != 1 {
				t.Fatalf("before review: %+v", d.Feasibility)
			}
			if l := line(d, 0); !l.Assessed || l.Quantity != 5 || l.Counts() || !strings.Contains(l.Reason, "claimed, not reviewed") {
				t.Fatalf("claimed line: %+v", l.Feasibility)
			}
			cr := must[licensing.CallReport](t)(svc.Call(ctx, f.rev, f.call.ID))
			wigs := goodsTotal(t, cr, "670420")
			if wigs.Asked != 10 || wigs.Lawful != 10 || wigs.Feasible != 0 || wigs.Unverified != 10 {
				t.Fatalf("call totals before review: %+v", wigs)
			}

			rv := must[licensing.SiteFile](t)(svc.ReviewSites(ctx, f.rev, orgA, 1, true, "stock checked at the warehouse"))
			if rv.Status != licensing.SitesAccepted || rv.ReviewedBy != f.rev.Label() || rv.ReviewedAt == nil {
				t.Fatalf("accepted: %+v", rv)
			}
			if _, err := svc.ReviewSites(ctx, f.rev, orgA, 1, false, "again"); tradeplan.ErrorCode(err) != tradeplan.EConflict {
				t.Fatalf("a second review: %v", err)
			}
			d = must[licensing.PlanDetail](t)(svc.Plan(ctx, f.rev, rec.ID, 0))
			if d.Feasibility.Basis != licensing.BasisAccepted || d.Feasibility.SiteVersion != 1 || d.Feasibility.SiteDigest != v1.Digest {
				t.Fatalf("after review: %+v", d.Feasibility)
			}
			if l := line(d, 0); !l.Counts() || l.Quantity != 5 || l.Target != 8 || l.Binding != "material" || l.SiteVersion != 1 {
				t.Fatalf("accepted line: %+v", l.Feasibility)
			}
			if l := line(d, 1); l.Assessed || !strings.Contains(l.Reason, "prohibited") || l.Citation == "" {
				t.Fatalf("prohibited line assessed: %+v", l.Feasibility)
			}
			if l := line(d, 2); l.Assessed || !strings.Contains(l.Reason, `unknown site "rye-wigs"`) {
				t.Fatalf("another organisation's site: %+v", l.Feasibility)
			}
			// The submitter sees the same blocks on its own plan.
			if own := must[licensing.PlanDetail](t)(svc.Plan(ctx, f.provA, rec.ID, 0)); own.Lines[0].Feasibility.Quantity != 5 {
				t.Fatalf("the applicant's view: %+v", own.Lines[0].Feasibility)
			}

			cr = must[licensing.CallReport](t)(svc.Call(ctx, f.rev, f.call.ID))
			wigs = goodsTotal(t, cr, "670420")
			if wigs.Asked != 10 || wigs.Prohibited != 0 || wigs.Lawful != 10 || wigs.Feasible != 5 || wigs.Short != 3 || wigs.Unverified != 2 || wigs.Lines != 2 {
				t.Fatalf("wig totals: %+v", wigs)
			}
			fish := goodsTotal(t, cr, "030569")
			if fish.Asked != 10 || fish.Prohibited != 10 || fish.Lawful != 0 || fish.Feasible != 0 {
				t.Fatalf("seafood totals: %+v", fish)
			}
			if cr.Feasibility.Plans[licensing.BasisAccepted] != 1 {
				t.Fatalf("plans by basis: %+v", cr.Feasibility.Plans)
			}
			if sub := must[licensing.CallReport](t)(svc.Call(ctx, f.provA, f.call.ID)); sub.Feasibility != nil {
				t.Fatalf("a submitter sees the call's totals: %+v", sub.Feasibility)
			}

			// A bigger claim uploaded after submission, even accepted, does
			// not change the submitted plan.
			*f.now = f.now.Add(time.Second)
			v2 := must[licensing.SiteFile](t)(svc.UploadSites(ctx, f.provA, orgA, plan.JSON, []byte(jsonSites(t, wigSites(100)))))
			if v2.Version != 2 || v2.Format != "json" {
				t.Fatalf("version 2: %+v", v2)
			}
			must[licensing.SiteFile](t)(svc.ReviewSites(ctx, f.rev, orgA, 2, true, "more hair delivered"))
			d = must[licensing.PlanDetail](t)(svc.Plan(ctx, f.rev, rec.ID, 0))
			if l := line(d, 0); l.Quantity != 5 || l.SiteVersion != 1 {
				t.Fatalf("a site file uploaded after submission changed the plan: %+v", l.Feasibility)
			}

			// An amendment is submitted anew: it is assessed against version
			// 2, and version 1 of the plan still against version 1.
			*f.now = f.now.Add(time.Second)
			must[tradeplan.PlanVersion](t)(svc.AmendPlan(ctx, f.provA, rec.ID, sitesPlan(), "new stock"))
			d = must[licensing.PlanDetail](t)(svc.Plan(ctx, f.rev, rec.ID, 0))
			if l := line(d, 0); d.Version != 2 || l.Quantity != 8 || l.SiteVersion != 2 || !l.Counts() {
				t.Fatalf("the amendment's block: %+v", l.Feasibility)
			}
			if l := line(must[licensing.PlanDetail](t)(svc.Plan(ctx, f.rev, rec.ID, 1)), 0); l.Quantity != 5 || l.SiteVersion != 1 {
				t.Fatalf("version 1 of the plan: %+v", l.Feasibility)
			}

			vs := must[[]licensing.SiteFile](t)(svc.SiteVersions(ctx, f.rev, orgA))
			if len(vs) != 2 || vs[0].Version != 1 || vs[1].Version != 2 || vs[0].Content != "" || vs[1].Status != licensing.SitesAccepted {
				t.Fatalf("versions: %+v", vs)
			}
			if sv := must[licensing.SiteFileView](t)(svc.Sites(ctx, f.provA, orgA, 1)); sv.Content != content || sv.Accepted != 2 {
				t.Fatalf("version 1 kept: %+v", sv)
			}

			// Audited: who, when and the digest, for each upload and review.
			es, err := db.AuditLog(ctx, store.AuditFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range es {
				if !strings.HasPrefix(e.Subject, "sites:") {
					continue
				}
				actions = append(actions, e.Action+" "+e.Subject)
				var after struct {
					Digest string `json:"digest"`
				}
				if err := json.Unmarshal(e.After, &after); err != nil || len(after.Digest) != 64 || e.Actor == "" || e.At.IsZero() {
					t.Fatalf("audit entry %s: %s %v", e.Action, e.After, err)
				}
			}
			want := fmt.Sprintf("sites.upload sites:%[1]d/v1,sites.upload sites:%[2]d/v1,sites.accept sites:%[2]d/v1,sites.accept sites:%[1]d/v1,sites.upload sites:%[1]d/v2,sites.accept sites:%[1]d/v2", orgA, f.orgB.ID)
			if got := strings.Join(actions, ","); got != want {
				t.Fatalf("audit: %s\nwant %s", got, want)
			}
			if res, err := db.VerifyState(ctx); err != nil || !res.OK {
				t.Fatalf("state: %+v %v", res, err)
			}
		})
	}
}

func goodsTotal(t *testing.T, cr licensing.CallReport, hs string) licensing.FeasibilityTotal {
	t.Helper()
	if cr.Feasibility == nil {
		t.Fatal("no feasibility totals")
	}
	for _, g := range cr.Feasibility.Goods {
		if g.HS == hs {
			return g
		}
	}
	t.Fatalf("no total for %s: %+v", hs, cr.Feasibility.Goods)
	return licensing.FeasibilityTotal{}
}

// jsonSites turns a YAML site file into JSON.
func jsonSites(t *testing.T, y string) string {
	t.Helper()
	root, probs := plan.Tree([]byte(y), "x.yaml", plan.YAML)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var v any
	if err := root.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSiteUploadsAtOnce: uploads at once get versions one after another,
// none lost; two reviews of one version at once: one wins, the other is a
// conflict.
func TestSiteUploadsAtOnce(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storetest.Open(t, eng)
			f := newLicFixture(t, db)
			const n = 6
			var wg sync.WaitGroup
			errs := make([]error, n)
			got := make([]int, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sf, err := f.svc.UploadSites(ctx, f.provA, 0, plan.YAML, []byte(wigSites(10+i)))
					errs[i], got[i] = err, sf.Version
				}()
			}
			wg.Wait()
			seen := map[int]bool{}
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("upload %d: %v", i, errs[i])
				}
				seen[got[i]] = true
			}
			vs := must[[]licensing.SiteFile](t)(f.svc.SiteVersions(ctx, f.provA, f.orgA.ID))
			if len(vs) != n || len(seen) != n || vs[n-1].Version != n {
				t.Fatalf("versions %v, stored %d", got, len(vs))
			}
			var ok, conflict int
			var mu sync.Mutex
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := f.svc.ReviewSites(ctx, f.rev, f.orgA.ID, 3, i == 0, "checked")
					mu.Lock()
					defer mu.Unlock()
					switch tradeplan.ErrorCode(err) {
					case "":
						ok++
					case tradeplan.EConflict:
						conflict++
					default:
						t.Errorf("review: %v", err)
					}
				}()
			}
			wg.Wait()
			if ok != 1 || conflict != 1 {
				t.Fatalf("two reviews at once: %d succeeded, %d conflicts", ok, conflict)
			}
		})
	}
}
