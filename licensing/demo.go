package licensing

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/tradeplan/tradeplan"
)

// DemoPlan is an example plan document to store for an organisation.
type DemoPlan struct {
	Organisation int64
	Plan         *tradeplan.Plan
}

// Demo is what SeedDemo stored.
type Demo struct {
	Call      tradeplan.Call         `json:"call"`
	Crossings []tradeplan.Crossing   `json:"crossings"`
	Plans     []tradeplan.PlanRecord `json:"plans"`
}

// NextHalf is the half-year after the one now falls in, as a call period.
func NextHalf(now time.Time) tradeplan.Period {
	y := now.UTC().Year()
	if now.UTC().Month() <= time.June {
		return tradeplan.Period{Label: fmt.Sprintf("%d-H2", y), From: time.Date(y, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)}
	}
	return tradeplan.Period{Label: fmt.Sprintf("%d-H1", y+1), From: time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(y+1, 6, 30, 0, 0, 0, 0, time.UTC)}
}

// demoSides are the countries each crossing of the example plans joins (a
// port: its own country), so that a line through one is licensed only for
// goods to or from its other side.
var demoSides = map[string][]string{
	"namyang-tumen": {"KP", "CN"}, "dandong-sinuiju": {"CN", "KP"}, "hoeryong-sanhe": {"KP", "CN"},
	"rason-quanhe": {"KP", "CN"}, "quanhe-wonjong": {"CN", "KP"}, "hunchun-kraskino": {"CN", "RU"},
	"alashankou": {"CN", "KZ"}, "rajin-port": {"KP"}, "dalian-port": {"CN"}, "longkou-port": {"CN"},
	"haiphong-port": {"VN"}, "cat-lai-port": {"VN"},
}

// SeedDemo stores example plans as the demo shows them: it registers the
// crossings the plans name (closed: approval is not the border opening),
// opens a call for the next half-year issued by issuer with a deadline 30
// days ahead, and creates and submits (screens) each plan for its
// organisation. It acts as the system actor "demo".
func (s *Service) SeedDemo(ctx context.Context, issuer int64, plans []DemoPlan) (Demo, error) {
	a := tradeplan.SystemActor("demo")
	var d Demo
	names := map[string]string{}
	for _, p := range plans {
		for _, l := range p.Plan.Lines {
			if id := CrossingSlug(l.Crossing); id != "" {
				names[id] = l.Crossing
			}
		}
	}
	ids := make([]string, 0, len(names))
	for id := range names {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	existing, err := s.Crossings(ctx, a)
	if err != nil {
		return d, err
	}
	have := map[string]bool{}
	for _, c := range existing {
		have[c.ID] = true
	}
	for _, id := range ids {
		if have[id] {
			continue
		}
		c, err := s.AddCrossing(ctx, a, tradeplan.Crossing{ID: id, Name: names[id], Countries: demoSides[id], Status: tradeplan.CrossingClosed,
			Reason: "closed until the authority opens it"})
		if err != nil {
			return d, fmt.Errorf("demo crossing %s: %w", id, err)
		}
		d.Crossings = append(d.Crossings, c)
	}
	now := s.now()
	period := NextHalf(now)
	orgs := []int64{}
	for _, p := range plans {
		if !contains(orgs, p.Organisation) {
			orgs = append(orgs, p.Organisation)
		}
	}
	y, m, day := now.UTC().AddDate(0, 0, 30).Date()
	d.Call, err = s.OpenCall(ctx, a, tradeplan.Call{
		// The deadline is the end of the 30th day: a date, as an issuer enters one.
		Period: period.Label, From: period.From, To: period.To, Deadline: time.Date(y, m, day+1, 0, 0, 0, 0, time.UTC),
		Guidance: "Submit realistic exports and absolutely necessary imports, and say which imports must enter first. " +
			"Approval of a plan does not mean the border or customs will open.",
		Issuer: issuer, Organisations: orgs, ForbidOwnReview: true,
	})
	if err != nil {
		return d, fmt.Errorf("demo call: %w", err)
	}
	for _, p := range plans {
		rec, err := s.ImportPlan(ctx, a, d.Call.ID, p.Organisation, p.Plan)
		if err != nil {
			return d, fmt.Errorf("demo plan %s: %w", p.Plan.File, err)
		}
		d.Plans = append(d.Plans, rec)
	}
	return d, nil
}
