package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store"
)

// TestKeysAndPermitsVerify: a permit issued through the service is signed;
// its signed form verifies offline with the exported public keys and
// against the database; after rotation it still does; revoked, it is
// genuine but revoked (exit 1); one field changed, it is not genuine.
// issuedPermit makes a database with one organisation (North Hamgyong, KP)
// holding one issued permit for 500 t of wheat flour imported through
// namyang-tumen in the next half year from partner in China.
func issuedPermit(t *testing.T, partner string) (dir, dsn string, svc *licensing.Service, org tradeplan.Organisation, p licensing.PermitView) {
	dir = t.TempDir()
	dsn = filepath.Join(dir, "tp.db")
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	org, err = db.CreateOrg(ctx, tradeplan.Organisation{Name: "North Hamgyong", Kind: tradeplan.OrgProvince, Country: "KP"})
	if err != nil {
		t.Fatal(err)
	}
	clear := func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, _ tradeplan.CapUsage) (tradeplan.PlanReport, error) {
		r := tradeplan.PlanReport{AsOf: asOf.Format(time.DateOnly)}
		for i, l := range p.Lines {
			r.Lines = append(r.Lines, tradeplan.LineReport{Index: i + 1, Description: l.Description, HS: tradeplan.HSAssignment{Code: l.HS}})
			r.Summary.Add(tradeplan.Clear)
		}
		return r, nil
	}
	svc = licensing.NewService(licensing.Config{Store: db.Licensing(), Screen: clear})
	sys := tradeplan.SystemActor("test")
	if _, err := svc.AddCrossing(ctx, sys, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen", Countries: []string{"KP", "CN"}}); err != nil {
		t.Fatal(err)
	}
	period := licensing.NextHalf(time.Now())
	call, err := svc.OpenCall(ctx, sys, tradeplan.Call{Period: period.Label, From: period.From, To: period.To, Deadline: time.Now().AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := svc.ImportPlan(ctx, sys, call.ID, org.ID, &tradeplan.Plan{Lines: []tradeplan.Line{{Direction: tradeplan.Import,
		Description: "wheat flour", HS: "110100", Origin: "CN", Destination: "KP", Quantity: tradeplan.D(500), Unit: "t", Value: tradeplan.D(250000), Currency: "USD", Crossing: "Namyang-Tumen",
		Partner: &tradeplan.Party{Name: partner, Country: "CN"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ApproveClear(ctx, sys, rec.ID, "bread"); err != nil {
		t.Fatal(err)
	}
	ps, err := svc.Permits(ctx, sys, licensing.PermitFilter{})
	if err != nil || len(ps) != 1 {
		t.Fatalf("permits %v %v", ps, err)
	}
	return dir, dsn, svc, org, ps[0]
}

func TestKeysAndPermitsVerify(t *testing.T) {
	dir, dsn, svc, _, pv := issuedPermit(t, "Tumen Grain")
	ctx, sys := context.Background(), tradeplan.SystemActor("test")
	id := pv.ID
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	code, signed, errs := wf(t, dsn, "permits", "signed", "1")
	if code != exitOK || !strings.HasPrefix(signed, "TRADEPLAN-PERMIT/1\n") {
		t.Fatalf("permits signed: exit %d %s %s", code, signed, errs)
	}
	permit := write("permit.txt", signed)
	_, pub, _ := wf(t, dsn, "keys", "list", "--public")
	keys := write("keys.json", pub)

	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"offline", []string{"permits", "verify", "--keys", keys, permit}, exitOK, "GENUINE  genuine"},
		{"online", []string{"permits", "verify", permit}, exitOK, "status issued"},
		{"tampered offline", []string{"permits", "verify", "--keys", keys, write("t.txt", strings.Replace(signed, "quantity: 500", "quantity: 900", 1))}, exitFindings, "NOT GENUINE  tampered"},
		{"tampered online", []string{"permits", "verify", write("t2.txt", strings.Replace(signed, "hs: 110100", "hs: 100630", 1))}, exitFindings, "changed: hs"},
		{"not a permit", []string{"permits", "verify", "--keys", keys, write("x.txt", "hello")}, exitUsage, ""},
		{"keys and db", []string{"permits", "verify", "--keys", keys, "--db", dsn, permit}, exitUsage, ""},
		{"keys list", []string{"keys", "list"}, exitOK, "active: signs new permits"},
		{"rotate", []string{"keys", "rotate"}, exitOK, "now signs new permits"},
		{"old keys file, after rotation", []string{"permits", "verify", "--keys", keys, permit}, exitOK, "GENUINE"},
		{"online after rotation", []string{"permits", "verify", permit}, exitOK, "GENUINE"},
		{"two keys", []string{"keys", "list"}, exitOK, "retired"},
	}
	for _, tt := range tests {
		code, out, errs := wf(t, dsn, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.out) {
			t.Errorf("%s: exit %d, want %d; out %q; err %q", tt.name, code, tt.code, out, errs)
		}
	}
	if _, err := svc.SetPermitStatus(ctx, sys, id, tradeplan.PermitRevoked, "end-user doubts"); err != nil {
		t.Fatal(err)
	}
	code, out, errs := wf(t, dsn, "permits", "verify", permit)
	if code != exitFindings || !strings.Contains(out, "GENUINE BUT REVOKED") {
		t.Fatalf("revoked: exit %d %q %q", code, out, errs)
	}
}
