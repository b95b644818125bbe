package server

import (
	"os"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// browserHarness is a harness that screens with the HS classifier, with
// the call of uiSeed (2027-H2, the province required, Namyang-Tumen
// registered and closed) and a reviewer and a compliance officer of the
// authority that issued it.
func browserHarness(t *testing.T, engine string) (*harness, licensing.CallView) {
	t.Helper()
	needBrowser(t) // before the database: a skip costs nothing
	h := newHarness(t, engine, withClassifier(t))
	uiAddUser(t, h, "authority-reviewer", "authority", tradeplan.RoleReviewer)
	uiAddUser(t, h, "authority-compliance", "authority", tradeplan.RoleCompliance)
	return h, uiSeed(t, h)
}

// reportPlan is the plan of the news report, examples/nhg-2023-h1.yaml.
func reportPlan(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../examples/nhg-2023-h1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// uploadPlan pastes a plan document into the upload form of /plans as the
// signed-in submitter and submits it; it returns the plan's page.
func (b *tab) uploadPlan(doc string) string {
	b.t.Helper()
	b.open("/plans")
	b.setValue("#document", doc)
	b.submit(`form#upload-form button[type=submit]`)
	loc := b.location()
	if !plansPathRE.MatchString(loc) {
		b.t.Fatalf("the upload went to %s, not a plan's page", loc)
	}
	return loc
}
