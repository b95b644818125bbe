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

func TestServeScreenMoreRates(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want screenMoreRates
		ok   bool
	}{
		{"defaults", nil, nil, screenMoreRates{}, true},
		{"flags", nil, []string{"--screen-account-rate", "10/1s", "--screen-anon-rate", "off", "--screen-total-rate", "50/100ms"},
			screenMoreRates{server.Rate{Burst: 10, Every: time.Second}, server.Rate{Burst: -1}, server.Rate{Burst: 50, Every: 100 * time.Millisecond}}, true},
		{"environment", map[string]string{"TRADEPLAN_SCREEN_ANON_RATE": "7/1s"}, nil, screenMoreRates{anonymous: server.Rate{Burst: 7, Every: time.Second}}, true},
		{"bad", nil, []string{"--screen-total-rate", "many"}, screenMoreRates{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{stderr: io.Discard, getenv: func(k string) string { return tt.env[k] }}
			c, _, ok := parseServeFlags(e, tt.args)
			if ok != tt.ok || (ok && c.screenMore != tt.want) {
				t.Fatalf("screen rates %+v (ok %v), want %+v (ok %v)", c.screenMore, ok, tt.want, tt.ok)
			}
		})
	}
}
