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

// screenAllowed spends one of the client address's open screenings. It is
// taken before the body is read, so that a client over its limit costs the
// server no parsing; signed-in callers share the address's budget, as the
// endpoints do not look at who is calling.
func (s *Server) screenAllowed(r *http.Request) error {
	if s.screenIP.off() {
		return nil // --screen-rate off: no bucket, and no key to make
	}
	if ok, wait := s.screenIP.allow(limitKey(clientIP(r))); !ok {
		return s.rateLimited(r, wait, "screening requests", "ip")
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
