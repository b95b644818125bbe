package main

import (
	"flag"
	"fmt"

	"github.com/tradeplan/tradeplan/server"
)

// screenRateFlag declares --screen-rate, the limit of the open screening
// endpoints per client address; default $TRADEPLAN_SCREEN_RATE or 200/10ms.
func screenRateFlag(e *env, fs *flag.FlagSet) *string {
	return fs.String("screen-rate", envOr(e, "TRADEPLAN_SCREEN_RATE", "200/10ms"),
		"open screening requests (POST /api/v1/screen, parties/screen, parties/compare, the landing page) per client address: `BURST/INTERVAL`, BURST at once then one every INTERVAL, or off (default $TRADEPLAN_SCREEN_RATE or 200/10ms)")
}

func screenRate(e *env, cmd, s string) (server.Rate, bool) {
	r, err := server.ParseRate(s)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan %s: --screen-rate %v\n", cmd, err)
		return server.Rate{}, false
	}
	return r, true
}
