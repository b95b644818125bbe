package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen"
)

// BenchmarkUIScreen measures the public screening page (parse, screen,
// render the HTML report) of the landing page's three-line example, beside
// the same document through POST /api/v1/screen (parse, screen, JSON) as
// the baseline, in process with no network.
func BenchmarkUIScreen(b *testing.B) {
	eng, err := rules.Default()
	if err != nil {
		b.Fatal(err)
	}
	s := New(Config{Screener: screen.New(screen.Config{Goods: eng, NewLedger: rules.NewLedger})})
	form := url.Values{"document": {uiExamplePlan}, "format": {"yaml"}}.Encode()
	run := func(b *testing.B, newReq func() *http.Request) {
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, newReq())
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	}
	b.Run("html", func(b *testing.B) {
		run(b, func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/screen", strings.NewReader(form))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		})
	})
	b.Run("json-baseline", func(b *testing.B) {
		run(b, func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/api/v1/screen", strings.NewReader(uiExamplePlan))
			r.Header.Set("Content-Type", "application/yaml")
			return r
		})
	})
}
