package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestServeDemoSites: --demo uploads the example site files before the
// plans are submitted; the Vietnamese plant's is accepted and its plan's
// shrimp line is assessed against it, the province's waits for review.
func TestServeDemoSites(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			base, out, stop := startServe(t, storetest.DSN(t, engine), "--demo")
			defer stop()
			pass := map[string]string{}
			for _, u := range demoPassword.FindAllStringSubmatch(out.String(), -1) {
				pass[u[1]] = u[2]
			}
			if !strings.Contains(out.String(), "vn-camau.yaml uploaded") || !strings.Contains(out.String(), "north-hamgyong.yaml uploaded") {
				t.Fatalf("demo output lacks the site files:\n%s", out.String())
			}
			get := func(c *http.Client, path string, v any) {
				t.Helper()
				resp, err := c.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: status %d", path, resp.StatusCode)
				}
				if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
					t.Fatal(err)
				}
			}
			session := func(email string) *http.Client {
				jar, _ := cookiejar.New(nil)
				c := &http.Client{Jar: jar}
				b, _ := json.Marshal(map[string]string{"email": email, "password": pass[email]})
				resp, err := c.Post(base+"/api/v1/login", "application/json", bytes.NewReader(b))
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Fatalf("login %s: %v %v", email, resp, err)
				}
				resp.Body.Close()
				return c
			}
			vn := session("submitter@vietnam.demo.test")
			var me struct {
				Org struct {
					ID int64 `json:"id"`
				} `json:"org"`
			}
			get(vn, "/api/v1/me", &me)
			var sv licensing.SiteFileView
			get(vn, fmt.Sprintf("/api/v1/orgs/%d/sites", me.Org.ID), &sv)
			if sv.Status != licensing.SitesAccepted || sv.Accepted != 1 || !strings.Contains(sv.Content, "camau-plant") {
				t.Fatalf("Vietnamese site file: %+v", sv.SiteFile)
			}
			var plans []struct {
				ID           int64 `json:"id"`
				Organisation int64 `json:"organisation"`
			}
			get(vn, "/api/v1/plans", &plans)
			if len(plans) != 1 {
				t.Fatalf("plans: %+v", plans)
			}
			rev := session("reviewer@authority.demo.test")
			var d licensing.PlanDetail
			get(rev, fmt.Sprintf("/api/v1/plans/%d", plans[0].ID), &d)
			f := d.Lines[0].Feasibility
			if d.Feasibility == nil || d.Feasibility.Basis != licensing.BasisAccepted || f == nil || !f.Assessed || f.Site != "camau-plant" || f.SiteVersion != 1 {
				t.Fatalf("the shrimp line's block: %+v %+v", d.Feasibility, f)
			}
			// The authority reads the site file of an organisation outside
			// its tree that submitted a plan to its call.
			get(rev, fmt.Sprintf("/api/v1/orgs/%d/sites", me.Org.ID), &sv)
			if sv.Status != licensing.SitesAccepted {
				t.Fatalf("the authority reads %+v", sv.SiteFile)
			}
			prov := session("submitter@province.demo.test")
			get(prov, "/api/v1/me", &me)
			get(rev, fmt.Sprintf("/api/v1/orgs/%d/sites", me.Org.ID), &sv)
			if sv.Status != licensing.SitesClaimed || sv.Accepted != 0 {
				t.Fatalf("province site file: %+v", sv.SiteFile)
			}
		})
	}
}
