package main

import (
	"io"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan/server"
)

func TestServeScreenRate(t *testing.T) {
	tests := []struct {
		name, env string
		args      []string
		want      server.Rate
		ok        bool
	}{
		{"default", "", nil, server.DefaultScreenPerIP, true},
		{"flag", "", []string{"--screen-rate", "10/2s"}, server.Rate{Burst: 10, Every: 2 * time.Second}, true},
		{"environment", "5/500ms", nil, server.Rate{Burst: 5, Every: 500 * time.Millisecond}, true},
		{"off", "", []string{"--screen-rate", "off"}, server.Rate{Burst: -1}, true},
		{"no interval", "", []string{"--screen-rate", "10"}, server.Rate{}, false},
		{"zero burst", "", []string{"--screen-rate", "0/1s"}, server.Rate{}, false},
		{"bad interval", "", []string{"--screen-rate", "10/soon"}, server.Rate{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{stderr: io.Discard, getenv: func(k string) string {
				if k == "TRADEPLAN_SCREEN_RATE" {
					return tt.env
				}
				return ""
			}}
			c, _, ok := parseServeFlags(e, tt.args)
			if ok != tt.ok || (ok && c.screenRate != tt.want) {
				t.Fatalf("screen rate %+v (ok %v), want %+v (ok %v)", c.screenRate, ok, tt.want, tt.ok)
			}
		})
	}
}
