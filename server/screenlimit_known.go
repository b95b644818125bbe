package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The screening endpoints are open, and a request's credentials only pick
// its budget (screenAllowed). Looking a credential up costs a database read,
// so a flood of made-up tokens must not buy one each: a credential the
// server has not seen valid lately is looked up only once the address's
// budget has paid for it (and given back when the credential proves valid,
// so that a signed-in caller never spends its neighbours' budget), or, with
// that budget spent by the neighbours, from a small allowance of lookups of
// the address's own (screenLookupRate): a valid account behind a busy
// address is still recognised, and then known without a read.

// screenLookupRate is the allowance of credential look-ups per address once
// its screening budget is spent.
var screenLookupRate = Rate{Burst: 5, Every: 2 * time.Second}

// screenLookupAllRate is the allowance of credential look-ups over all
// addresses once the ceiling over anonymous requests is spent: a credential
// not known valid is anonymous until looked up, so its look-up is paid by
// that ceiling too, else a client rotating addresses (each with a full
// budget) bought a database read with every made-up token (redteam, wave
// 8). With the ceiling spent by such a flood, accounts not seen lately are
// recognised from this allowance; those seen valid lately need no read.
var screenLookupAllRate = Rate{Burst: 20, Every: 100 * time.Millisecond}

// knownTTL is how long a credential seen valid picks its account's budget
// without a look-up. It only picks a budget: a revoked token keeps its
// account's budget, not its rights, that long.
const knownTTL = 5 * time.Minute

// knownMax bounds the credentials remembered.
const knownMax = 100_000

type knownCred struct {
	user  string
	csrf  string // a session's
	until time.Time
}

// knownCreds are the credentials seen valid lately, by their SHA-256.
type knownCreds struct {
	clock func() time.Time
	mu    sync.Mutex
	m     map[[32]byte]knownCred
}

func newKnownCreds(clock func() time.Time) *knownCreds {
	return &knownCreds{clock: clock, m: map[[32]byte]knownCred{}}
}

func (k *knownCreds) get(cred string) (knownCred, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	c, ok := k.m[sha256.Sum256([]byte(cred))]
	if !ok || !k.clock().Before(c.until) {
		return knownCred{}, false
	}
	return c, true
}

func (k *knownCreds) put(cred string, c knownCred) {
	now := k.clock()
	c.until = now.Add(knownTTL)
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.m) >= knownMax {
		for h, o := range k.m {
			if !now.Before(o.until) {
				delete(k.m, h)
			}
		}
		if len(k.m) >= knownMax {
			clear(k.m)
		}
	}
	k.m[sha256.Sum256([]byte(cred))] = c
}

// screenCredential is the credential of a request that may pick an
// account's budget: an API token, or a session cookie sent by a page of
// this site. A session cookie that another site's page made the browser
// send (a cross-site form or fetch) is not one: it would spend the signed-in
// victim's budget. Such a request is anonymous.
func screenCredential(r *http.Request) (cred string, session bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		tok = strings.TrimSpace(tok)
		if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" || len(tok) > 256 {
			return "", false
		}
		return "bearer " + tok, false
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 256 {
		return "", false
	}
	if r.Header.Get(csrfHeader) == "" && !sameOrigin(r) {
		return "", false
	}
	return "session " + c.Value, true
}

// sameOrigin says whether a browser says the request comes from a page of
// this site: Sec-Fetch-Site, or else the Origin header naming this host.
// A request that says neither (not a browser's) is not.
func sameOrigin(r *http.Request) bool {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" {
		return s == "same-origin"
	}
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return false
	}
	u, err := url.Parse(o)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// paid says which of an anonymous request's budgets screenAccount spent
// already to look its credential up: the address's, the anonymous
// ceiling's.
type paid struct{ ip, anonymous bool }

// screenAccount is the account key of a request whose credential is valid,
// "" for an anonymous one. A credential not known is looked up only once
// both the address's budget (ip) and the ceiling over anonymous requests
// paid for it, or their look-up allowances (per address, over all); charged
// says which were spent (an anonymous request's share), given back when
// the credential is valid.
func (s *Server) screenAccount(r *http.Request, ip string) (user string, charged paid, err error) {
	if s.accounts == nil {
		return "", paid{}, nil
	}
	cred, session := screenCredential(r)
	if cred == "" {
		return "", paid{}, nil
	}
	csrfOK := func(want string) bool {
		got := r.Header.Get(csrfHeader)
		return !session || (got == "" && sameOrigin(r)) || (got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1)
	}
	if k, ok := s.screenMore.known.get(cred); ok {
		if !csrfOK(k.csrf) {
			return "", paid{}, nil
		}
		return k.user, paid{}, nil
	}
	ok, wait := s.screenIP.allow(ip)
	if !ok {
		if ok, _ := s.screenMore.lookup.allow(ip); !ok {
			return "", paid{}, s.rateLimited(r, wait, "screening requests", "ip")
		}
	}
	charged.ip = ok
	if ok, wait = s.screenMore.anonymous.allow(""); !ok {
		if ok, _ := s.screenMore.lookupAll.allow(""); !ok {
			if charged.ip {
				s.screenIP.give(ip) // nothing was served
			}
			return "", paid{}, s.rateLimited(r, wait, "anonymous screening requests", "all")
		}
	}
	charged.anonymous = ok
	var k knownCred
	if session {
		a, sess, err := s.accounts.SessionActor(r.Context(), strings.TrimPrefix(cred, "session "))
		if err != nil || a.User.ID == 0 {
			return "", charged, nil
		}
		k = knownCred{user: strconv.FormatInt(a.User.ID, 10), csrf: sess.CSRF}
	} else {
		a, err := s.accounts.TokenActor(r.Context(), strings.TrimPrefix(cred, "bearer "))
		if err != nil || a.User.ID == 0 {
			return "", charged, nil
		}
		k = knownCred{user: strconv.FormatInt(a.User.ID, 10)}
	}
	s.screenMore.known.put(cred, k)
	if !csrfOK(k.csrf) {
		return "", charged, nil // a wrong CSRF token: anonymous
	}
	if charged.ip {
		s.screenIP.give(ip)
	}
	if charged.anonymous {
		s.screenMore.anonymous.give("")
	}
	return k.user, paid{}, nil
}

// give returns one token to key's bucket, up to its burst.
func (l *limiter) give(key string) {
	if l.off() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok && b.tokens+1 <= float64(l.rate.Burst) {
		b.tokens++
	}
}
