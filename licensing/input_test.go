package licensing

import (
	"errors"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestValidateLineInputs: a line entered through the API (or any caller of
// the service) is held to the same text rules as a document's.
func TestValidateLineInputs(t *testing.T) {
	good := seafoodPlan().Lines[6]
	tests := []struct {
		name   string
		change func(l *tradeplan.Line)
		path   string // of the one problem; "" for none
	}{
		{"good", func(l *tradeplan.Line) {}, ""},
		{"NUL in the description", func(l *tradeplan.Line) { l.Description = "rice\x00" }, "line.description"},
		{"line break in the description", func(l *tradeplan.Line) { l.Description = "rice\nmilled" }, ""},
		{"line break in the crossing", func(l *tradeplan.Line) { l.Crossing = "a\nb" }, "line.crossing"},
		{"invalid UTF-8 in a partner", func(l *tradeplan.Line) { l.Partner = &tradeplan.Party{Name: "a\xff", Country: "CN"} }, "line.partner.name"},
		{"control in a vessel", func(l *tradeplan.Line) { l.Vessel = &tradeplan.Vessel{Name: "a\x1b"} }, "line.vessel.name"},
		{"control in a source", func(l *tradeplan.Line) { l.Source = &tradeplan.Source{Site: "\x7f"} }, "line.source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := good
			tt.change(&l)
			ps := ValidateLine(l, "line")
			if tt.path == "" && len(ps) != 0 || tt.path != "" && (len(ps) != 1 || ps[0].Pos.Path != tt.path) {
				t.Fatalf("problems %v, want one at %q", ps, tt.path)
			}
		})
	}
}

// TestPlanLineLimit: no path makes a plan longer than Config.MaxPlanLines.
func TestPlanLineLimit(t *testing.T) {
	f := newFixture(t, nil)
	f.svc = NewService(Config{Store: f.store, Screen: fakeScreen, Clock: f.clk.now, MaxPlanLines: 7})
	ctx := f.ctx
	eight := seafoodPlan()
	eight.Lines = append(eight.Lines, eight.Lines[6])
	_, err := f.svc.CreatePlan(ctx, province, PlanInput{CallID: f.call.ID, Plan: eight})
	wantCode(t, err, tradeplan.EInvalid)
	rec, err := f.svc.CreatePlan(ctx, province, PlanInput{CallID: f.call.ID, Plan: seafoodPlan()})
	f.must(err)
	_, err = f.svc.AddLine(ctx, province, rec.ID, seafoodPlan().Lines[6])
	wantCode(t, err, tradeplan.EInvalid)
	_, err = f.svc.EditPlan(ctx, province, rec.ID, eight)
	wantCode(t, err, tradeplan.EInvalid)
	_, err = f.svc.SubmitPlan(ctx, province, rec.ID)
	f.must(err)
	_, err = f.svc.AmendPlan(ctx, province, rec.ID, eight, "more rice")
	wantCode(t, err, tradeplan.EInvalid)
	// No limit below zero; the default is DefaultMaxPlanLines.
	if NewService(Config{MaxPlanLines: -1}).maxLines != 0 || NewService(Config{}).maxLines != DefaultMaxPlanLines {
		t.Error("MaxPlanLines defaults")
	}
}

func TestUseInputCheck(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   UseInput
		path string
	}{
		{"good", UseInput{Quantity: tradeplan.D(5), Value: tradeplan.D(100), Reference: "CUSDEC 2027/00042"}, ""},
		{"quantity above", UseInput{Quantity: tradeplan.D(1e300)}, "quantity"},
		{"NUL in the reference", UseInput{Quantity: tradeplan.D(1), Reference: "a\x00"}, "reference"},
		{"invalid crossing", UseInput{Quantity: tradeplan.D(1), Crossing: "\xff"}, "crossing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.check()
			var e *tradeplan.Error
			if tt.path == "" && err != nil || tt.path != "" && (!errors.As(err, &e) || len(e.Problems) != 1 || e.Problems[0].Pos.Path != tt.path) {
				t.Fatalf("%v, want a problem at %q", err, tt.path)
			}
		})
	}
}
