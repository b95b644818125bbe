package main

import (
	"flag"
	"fmt"
	"strings"

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

// screenMoreRates are the screening limits beside the one per address;
// a zero Rate is the server's default (off with --screen-rate off).
type screenMoreRates struct{ account, anonymous, total server.Rate }

type screenMoreText struct{ account, anonymous, total *string }

// screenMoreFlags declares --screen-account-rate, --screen-anon-rate and
// --screen-total-rate.
func screenMoreFlags(e *env, fs *flag.FlagSet) screenMoreText {
	return screenMoreText{
		account: fs.String("screen-account-rate", envOr(e, "TRADEPLAN_SCREEN_ACCOUNT_RATE", ""),
			"open screening requests per signed-in account (API token or session), from any address: `BURST/INTERVAL` or off (default $TRADEPLAN_SCREEN_ACCOUNT_RATE or 200/10ms; off with --screen-rate off)"),
		anonymous: fs.String("screen-anon-rate", envOr(e, "TRADEPLAN_SCREEN_ANON_RATE", ""),
			"open screening requests of every anonymous client together, whatever its address: `BURST/INTERVAL` or off (default $TRADEPLAN_SCREEN_ANON_RATE or 1000/2ms; off with --screen-rate off)"),
		total: fs.String("screen-total-rate", envOr(e, "TRADEPLAN_SCREEN_TOTAL_RATE", ""),
			"open screening requests of everyone together, anonymous and signed in: `BURST/INTERVAL` or off (default $TRADEPLAN_SCREEN_TOTAL_RATE or 2000/1ms; off with --screen-rate off)"),
	}
}

func (t screenMoreText) parse(e *env, cmd string) (screenMoreRates, bool) {
	var out screenMoreRates
	for _, f := range []struct {
		name string
		text *string
		r    *server.Rate
	}{{"--screen-account-rate", t.account, &out.account}, {"--screen-anon-rate", t.anonymous, &out.anonymous}, {"--screen-total-rate", t.total, &out.total}} {
		if strings.TrimSpace(*f.text) == "" {
			continue
		}
		r, err := server.ParseRate(*f.text)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan %s: %s %v\n", cmd, f.name, err)
			return out, false
		}
		*f.r = r
	}
	return out, true
}
