package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultScreenPerIP is the default limit of the open screening endpoints
// (POST /api/v1/screen, /api/v1/parties/screen, /api/v1/parties/compare and
// the landing page's POST /screen) per client address: 200 at once, then 100
// a second. Enough for a person, a browser and a batch client sending many
// names per request; a client that sends one name per request at thousands
// a second is refused, as the endpoints are open to anyone. Load tests run
// the server with --screen-rate off.
var DefaultScreenPerIP = Rate{Burst: 200, Every: 10 * time.Millisecond}

// DefaultScreenPerAccount is the default limit of the same endpoints per
// signed-in account (an API token or a session), wherever it calls from:
// as much as one address.
var DefaultScreenPerAccount = Rate{Burst: 200, Every: 10 * time.Millisecond}

// DefaultScreenAnonymous is the default ceiling over every anonymous
// screening request together, whatever its address: 1,000 at once, then
// 500 a second. A client rotating addresses (many /64s, a proxy pool)
// shares it, and leaves the rest of the server to the signed in.
var DefaultScreenAnonymous = Rate{Burst: 1000, Every: 2 * time.Millisecond}

// DefaultScreenTotal is the default ceiling over every screening request,
// anonymous and signed in: 2,000 at once, then 1,000 a second. A caller
// rotating accounts (an administrator may make users) shares it.
var DefaultScreenTotal = Rate{Burst: 2000, Every: time.Millisecond}

// screenDefaults fills the zero limits of the screening endpoints with
// their defaults; with ScreenPerIP off (load tests), the zero ones are off
// too.
func (cfg *Config) screenDefaults() {
	off := cfg.ScreenPerIP.Burst < 0
	for _, l := range []struct {
		r   *Rate
		def Rate
	}{{&cfg.ScreenPerAccount, DefaultScreenPerAccount}, {&cfg.ScreenAnonymous, DefaultScreenAnonymous}, {&cfg.ScreenTotal, DefaultScreenTotal}} {
		switch {
		case *l.r != (Rate{}):
		case off:
			*l.r = Rate{Burst: -1}
		default:
			*l.r = l.def
		}
	}
}

// screenLimiters are the screening limits beside the one per address.
type screenLimiters struct {
	account, anonymous, total *limiter
	// known are credentials seen valid lately, lookup the look-ups of
	// others an address may make with its budget spent, and lookupAll
	// those all addresses may make with the anonymous ceiling spent
	// (screenlimit_known.go).
	known             *knownCreds
	lookup, lookupAll *limiter
}

func newScreenLimiters(cfg Config) screenLimiters {
	return screenLimiters{account: newLimiter(cfg.ScreenPerAccount, cfg.Clock), anonymous: newLimiter(cfg.ScreenAnonymous, cfg.Clock),
		total: newLimiter(cfg.ScreenTotal, cfg.Clock), known: newKnownCreds(cfg.Clock), lookup: newLimiter(screenLookupRate, cfg.Clock),
		lookupAll: newLimiter(screenLookupAllRate, cfg.Clock)}
}

// screenAllowed spends one of the caller's open screenings. It is taken
// before the body is read, so that a caller over its limit costs the
// server no parsing. A signed-in caller (a valid API token, or a session
// from a page of this site: screenCredential) spends its account's; anyone
// else spends its address's and the anonymous ceiling's; everyone spends
// the ceiling over all. Credentials that are not valid are anonymous, and
// are looked up only once paid for (screenAccount).
func (s *Server) screenAllowed(r *http.Request) error {
	m := s.screenMore
	if s.screenIP.off() && m.account.off() && m.anonymous.off() && m.total.off() {
		return nil // every limit off: no bucket, and no key to make
	}
	ip := limitKey(clientIP(r))
	user, charged, err := s.screenAccount(r, ip)
	if err != nil {
		return err
	}
	if user != "" {
		if ok, wait := m.account.allow(user); !ok {
			return s.rateLimited(r, wait, "screening requests", "account")
		}
	} else {
		if !charged.ip {
			if ok, wait := s.screenIP.allow(ip); !ok {
				return s.rateLimited(r, wait, "screening requests", "ip")
			}
		}
		if !charged.anonymous {
			if ok, wait := m.anonymous.allow(""); !ok {
				return s.rateLimited(r, wait, "anonymous screening requests", "all")
			}
		}
	}
	if ok, wait := m.total.allow(""); !ok {
		return s.rateLimited(r, wait, "screening requests", "all")
	}
	return nil
}

// ParseRate reads a rate limit written BURST/INTERVAL ("60/1s": 60 at once,
// then one every second) or "off".
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return Rate{Burst: -1}, nil
	}
	b, e, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err != nil || n < 1 {
		return Rate{}, fmt.Errorf("%q: want BURST/INTERVAL such as 60/1s (a number at once, then one every interval), or off", s)
	}
	d, err := time.ParseDuration(strings.TrimSpace(e))
	if err != nil || d <= 0 {
		return Rate{}, fmt.Errorf("%q: the interval %q is not a duration above zero such as 1s or 500ms", s, e)
	}
	return Rate{Burst: n, Every: d}, nil
}
