package server

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

var confirmTokenRE = regexp.MustCompile(`name="confirm_token" value="([0-9a-f]+)"`)
var confirmCountRE = regexp.MustCompile(`name="count" value="(\d+)"`)

// confirmation reads the hidden fields of a crossing confirmation page.
func (p *htmlPage) confirmation() (token, count string) {
	p.t.Helper()
	m, c := confirmTokenRE.FindStringSubmatch(p.body), confirmCountRE.FindStringSubmatch(p.body)
	if m == nil || c == nil {
		p.t.Fatalf("%s %s: not a confirmation page (no confirm_token or count):\n%s", p.method, p.path, htmlText(p.body))
	}
	return m[1], c[1]
}

// setCrossingConfirmed opens or closes (verb) a crossing through its form
// and the confirmation, as an administrator's browser b does.
func setCrossingConfirmed(t *testing.T, b *browser, id, verb, reason string) {
	t.Helper()
	cr := b.get("/crossings").want(http.StatusOK)
	path := "/crossings/" + id + "/" + verb
	conf := b.post(path, url.Values{"reason": {reason}, csrfField: {cr.csrf()}}).want(http.StatusOK).contains("Nothing changes until you confirm")
	tok, n := conf.confirmation()
	b.post(path, url.Values{"reason": {reason}, csrfField: {conf.csrf()}, "count": {n}, "confirm_token": {tok}}).redirectsTo("/crossings")
}
