package server

import (
	"io"
	"log/slog"
	"testing"
)

// BenchmarkPartiesEndpointLoadgenName is the request of `loadgen -endpoint
// parties -names 1`, byte for byte, through the whole handler (middleware,
// access line included): a listed entity found twice.
func BenchmarkPartiesEndpointLoadgenName(b *testing.B) {
	_, ix := benchPipeline(b)
	if ix == nil {
		b.Skip("sanctions lists not found in ../shared/data")
	}
	s := New(Config{Parties: ix, ScreenPerIP: Rate{Burst: -1}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	body := []byte(`{"names":["Korea Mining Development Trading Corporation"],"top":5}`)
	benchPost(b, s, "/api/v1/parties/screen", "application/json", body)
}
