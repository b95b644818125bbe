package server

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// BenchmarkCallReportOnePlan reads the call of BenchmarkCallReportScale
// as its reviewer after a change to one of its 100 plans (outside the
// timing, a plan version's row rewritten in place by SQL, as assessing a
// line rewrites it; the triggers record the change as for any other
// path): the page, the report and the ranking. cpu-ms/op as there.
//
//	go test -run '^$' -bench BenchmarkCallReportOnePlan -benchtime 10x ./server/
func BenchmarkCallReportOnePlan(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			f := newScaleFixture(b, eng)
			driver, src := "pgx", f.dsn
			q := "UPDATE plan_versions SET reason = reason WHERE plan_id = (SELECT MIN(id) FROM plans WHERE call_id = $1 AND status <> 'draft')"
			if eng == "sqlite" {
				driver, src = "sqlite", "file:"+f.dsn+"?_pragma=busy_timeout(10000)"
				q = "UPDATE plan_versions SET reason = reason WHERE plan_id = (SELECT MIN(id) FROM plans WHERE call_id = ? AND status <> 'draft')"
			}
			raw, err := sql.Open(driver, src)
			if err != nil {
				b.Fatal(err)
			}
			defer raw.Close()
			for _, p := range []struct{ name, path string }{
				{"page", fmt.Sprintf("/calls/%d", f.callID)},
				{"report", fmt.Sprintf("/api/v1/calls/%d", f.callID)},
				{"imports", fmt.Sprintf("/api/v1/calls/%d/imports", f.callID)},
			} {
				b.Run(p.name, func(b *testing.B) {
					get := func() {
						r := httptest.NewRequest(http.MethodGet, p.path, nil)
						r.AddCookie(f.cookies["authority-reviewer"])
						w := httptest.NewRecorder()
						f.srv.ServeHTTP(w, r)
						if w.Code != http.StatusOK {
							b.Fatalf("%s: status %d: %.500s", p.path, w.Code, w.Body)
						}
					}
					get()
					var cpu time.Duration
					for b.Loop() {
						b.StopTimer()
						if res, err := raw.Exec(q, f.callID); err != nil {
							b.Fatal(err)
						} else if n, _ := res.RowsAffected(); n != 1 {
							b.Fatalf("changed %d rows", n)
						}
						b.StartTimer()
						c0 := cpuTime()
						get()
						cpu += cpuTime() - c0
					}
					b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
				})
			}
		})
	}
}
