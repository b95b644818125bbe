package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/server"
)

// demoCurrentPlan is the province's plan for the half-year now running
// (PERIOD is filled in): two clear imports and a capped one through
// Namyang-Tumen, and a banned export, so that the whole story can be walked
// on the demo's first day.
const demoCurrentPlan = `plan:
  id: nhg-current
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: PERIOD
lines:
  - direction: import
    description: milled rice
    hs: "1006.30"
    quantity: 500
    unit: t
    value: 260000
    currency: USD
    partner: {name: Yanji Demo Grain Co., country: CN}
    crossing: Namyang-Tumen
    necessity: critical
  - direction: import
    description: wheat flour
    hs: "1101.00"
    quantity: 200
    unit: t
    value: 90000
    currency: USD
    partner: {name: Yanji Demo Grain Co., country: CN}
    crossing: Namyang-Tumen
    necessity: critical
  - direction: import
    description: diesel fuel for fishing boats
    hs: "2710.19"
    quantity: 2000
    unit: bbl
    value: 190000
    currency: USD
    partner: {name: Tumen Demo Fuel Trading Co., country: CN}
    crossing: Namyang-Tumen
    purpose: fuel for the fishing fleet
  - direction: export
    description: salted pollack
    hs: "0305.69"
    quantity: 100
    unit: t
    value: 140000
    currency: USD
    partner: {name: "Tumen Riverbank Demo Seafood Co., Ltd.", country: CN}
    crossing: Namyang-Tumen
`

// currentHalf is the half-year now falls in.
func currentHalf(now time.Time) tradeplan.Period {
	y := now.UTC().Year()
	if now.UTC().Month() <= time.June {
		return tradeplan.Period{Label: fmt.Sprintf("%d-H1", y), From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, 6, 30, 0, 0, 0, 0, time.UTC)}
	}
	return tradeplan.Period{Label: fmt.Sprintf("%d-H2", y), From: time.Date(y, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)}
}

// seedDemoCurrent opens a call for the half-year now running, issued by the
// demo authority to the province, and submits the province's plan for it.
// The permits a reviewer issues from it are valid today: once an
// administrator opens Namyang-Tumen, the province's submitter can record
// goods crossing under them.
func seedDemoCurrent(ctx context.Context, e *env, srv *server.Server, orgs map[string]tradeplan.Organisation) error {
	svc := srv.Licensing()
	if svc == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no licensing service")
	}
	a := tradeplan.SystemActor("demo")
	cs, err := svc.Crossings(ctx, a)
	if err != nil {
		return err
	}
	have := false
	for _, c := range cs {
		have = have || c.ID == "namyang-tumen"
	}
	if !have {
		if _, err := svc.AddCrossing(ctx, a, tradeplan.Crossing{ID: "namyang-tumen", Name: "Namyang-Tumen", Countries: []string{"KP", "CN"},
			Status: tradeplan.CrossingClosed, Reason: "closed until the authority opens it"}); err != nil {
			return fmt.Errorf("demo crossing: %w", err)
		}
	}
	now := time.Now().UTC()
	period := currentHalf(now)
	y, m, d := now.AddDate(0, 0, 14).Date()
	c, err := svc.OpenCall(ctx, a, tradeplan.Call{
		Period: period.Label, From: period.From, To: period.To,
		Deadline: time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC), // the end of the 14th day
		Guidance: "The half-year now running: essential imports only. Approval of a plan does not mean the border or customs will open.",
		Issuer:   orgs["authority"].ID, Organisations: []int64{orgs["province"].ID}, ForbidOwnReview: true,
	})
	if err != nil {
		return fmt.Errorf("demo call for the current half-year: %w", err)
	}
	doc, err := plan.Read(strings.NewReader(strings.Replace(demoCurrentPlan, "PERIOD", period.Label, 1)), "demo-current.yaml", plan.YAML)
	if err != nil {
		return fmt.Errorf("demo plan for the current half-year: %w", err)
	}
	rec, err := svc.ImportPlan(ctx, a, c.ID, orgs["province"].ID, doc)
	if err != nil {
		return fmt.Errorf("demo plan for the current half-year: %w", err)
	}
	fmt.Fprintf(e.stdout, "Call %d for %s, the half-year now running, is open (deadline %s); plan %d of the province is submitted:\n"+
		"  a reviewer approves its imports, an administrator opens Namyang-Tumen, and the province records goods crossing today.\n\n",
		c.ID, c.Period, licensing.DeadlineText(c.Deadline), rec.ID)
	return nil
}
