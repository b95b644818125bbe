package server

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// BenchmarkCallReportScale reads the call of BenchmarkUIScale's seed (100
// plans of 20 lines) as the authority's reviewer: the page, the report
// (GET /api/v1/calls/{id}, what `tradeplan calls show` prints) and the
// ranking, each as a read that finds the report kept (after one read
// outside the timing) and as a read after
// a change (a row added to call_report_changes, as the triggers add,
// outside the timing), which computes it in one pass. cpu-ms/op is the
// process's CPU time a read (user+sys; PostgreSQL's own is not in it).
//
//	go test -run '^$' -bench BenchmarkCallReportScale -benchtime 10x ./server/
func BenchmarkCallReportScale(b *testing.B) {
	for _, eng := range storetest.Engines(b) {
		b.Run(eng, func(b *testing.B) {
			f := newScaleFixture(b, eng)
			driver, src := "pgx", f.dsn
			if eng == "sqlite" {
				driver, src = "sqlite", "file:"+f.dsn+"?_pragma=busy_timeout(10000)"
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
				for _, changed := range []bool{false, true} {
					name := p.name + "-kept"
					if changed {
						name = p.name + "-changed"
					}
					b.Run(name, func(b *testing.B) {
						get := func() {
							r := httptest.NewRequest(http.MethodGet, p.path, nil)
							r.AddCookie(f.cookies["authority-reviewer"])
							w := httptest.NewRecorder()
							f.srv.ServeHTTP(w, r)
							if w.Code != http.StatusOK {
								b.Fatalf("%s: status %d: %.500s", p.path, w.Code, w.Body)
							}
						}
						if !changed {
							get() // kept from here on
						}
						var cpu time.Duration
						for b.Loop() {
							if changed {
								b.StopTimer()
								if _, err := raw.Exec("INSERT INTO call_report_changes (call_id) VALUES (0)"); err != nil {
									b.Fatal(err)
								}
								b.StartTimer()
							}
							c0 := cpuTime()
							get()
							cpu += cpuTime() - c0
						}
						// The process's own CPU (user+sys), which a loaded
						// machine does not inflate as it does the wall time;
						// PostgreSQL's is not in it.
						b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
					})
				}
			}
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
