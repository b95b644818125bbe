package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/store/storetest"
)

// demoAPI is a signed-in JSON client of the demo server.
type demoAPI struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func demoSignIn(t *testing.T, base, email, password string) *demoAPI {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &demoAPI{t: t, base: base, hc: &http.Client{Jar: jar}}
	var lr struct {
		CSRF string `json:"csrf_token"`
	}
	c.call("POST", "/api/v1/login", map[string]string{"email": email, "password": password}, http.StatusOK, &lr)
	c.csrf = lr.CSRF
	return c
}

func (c *demoAPI) call(method, path string, body any, want int, out any) {
	c.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
}

// TestServeDemoDayOne: the demo seeds a call for the half-year now running,
// so that on its first day a reviewer approves the imports, an
// administrator opens the crossing and the province records goods crossing
// under a permit that is usable today. Its deadline is printed as the pages
// show it.
func TestServeDemoDayOne(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			base, out, stop := startServe(t, storetest.DSN(t, engine), "--demo")
			defer stop()
			m := regexp.MustCompile(`Call (\d+) for \S+, the half-year now running, is open \(deadline (\d{4}-\d\d-\d\d) \(end of the day, UTC\)\); plan (\d+) of the province`).FindStringSubmatch(out.String())
			if m == nil {
				t.Fatalf("the demo does not announce a current call:\n%s", out.String())
			}
			if !regexp.MustCompile(`Call 1 for \S+ is open \(deadline \d{4}-\d\d-\d\d \(end of the day, UTC\)\)`).MatchString(out.String()) {
				t.Errorf("the next half-year's deadline is not printed as a date:\n%s", out.String())
			}
			pass := map[string]string{}
			for _, u := range demoPassword.FindAllStringSubmatch(out.String(), -1) {
				pass[u[1]] = u[2]
			}
			planID := m[3]
			rev := demoSignIn(t, base, "reviewer@authority.demo.test", pass["reviewer@authority.demo.test"])
			var bulk struct {
				Permits []struct {
					ID     int64  `json:"id"`
					Number string `json:"number"`
				} `json:"permits"`
			}
			rev.call("POST", "/api/v1/plans/"+planID+"/approve-clear", map[string]string{"reason": "essential food imports"}, http.StatusOK, &bulk)
			if len(bulk.Permits) != 2 {
				t.Fatalf("approving the clear lines issued %d permits, want 2 (rice and flour)", len(bulk.Permits))
			}
			adm := demoSignIn(t, base, "admin@authority.demo.test", pass["admin@authority.demo.test"])
			adm.call("POST", "/api/v1/crossings/namyang-tumen/open", map[string]string{"reason": "bridge open for the season"}, http.StatusOK, nil)
			sub := demoSignIn(t, base, "submitter@province.demo.test", pass["submitter@province.demo.test"])
			id := strconv.FormatInt(bulk.Permits[0].ID, 10)
			sub.call("POST", "/api/v1/permits/"+id+"/use", map[string]any{"quantity": 50, "value": 26000, "crossing": "namyang-tumen", "reference": "demo truck 1"}, http.StatusOK, nil)
			var p map[string]any
			sub.call("GET", "/api/v1/permits/"+id, nil, http.StatusOK, &p)
			if s, _ := json.Marshal(p); !strings.Contains(string(s), "demo truck 1") {
				t.Errorf("the use is not on the permit: %s", s)
			}
		})
	}
}
