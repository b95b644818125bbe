package licensing

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// TestValidateLineInputs: a line entered through the API (or any caller of
// the service) is held to the same limits as a document's: amounts finite
// and at most tradeplan.MaxAmount, text without control characters.
func TestValidateLineInputs(t *testing.T) {
	good := seafoodPlan().Lines[6]
	tests := []struct {
		name   string
		change func(l *tradeplan.Line)
		path   string // of the one problem; "" for none
	}{
		{"good", func(l *tradeplan.Line) {}, ""},
		{"the maximum", func(l *tradeplan.Line) { l.Quantity, l.Value = tradeplan.MaxAmount, tradeplan.MaxAmount }, ""},
		{"quantity 1.7e308", func(l *tradeplan.Line) { l.Quantity = 1.7e308 }, "line.quantity"},
		{"quantity infinite", func(l *tradeplan.Line) { l.Quantity = math.Inf(1) }, "line.quantity"},
		{"quantity NaN", func(l *tradeplan.Line) { l.Quantity = math.NaN() }, "line.quantity"},
		{"value above", func(l *tradeplan.Line) { l.Value = 2e15 }, "line.value"},
		{"value NaN", func(l *tradeplan.Line) { l.Value = math.NaN() }, "line.value"},
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

// TestDrawAmounts: a use of a permit with no value cap cannot add up to
// infinity.
func TestDrawAmounts(t *testing.T) {
	p := tradeplan.Permit{Number: "P1", Status: tradeplan.PermitIssued, Quantity: 10, Unit: "t"}
	now := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range []float64{1.7e308, math.Inf(1), math.NaN(), 2e15} {
		if err := Draw(&p, 1, v, now); tradeplan.ErrorCode(err) != tradeplan.EInvalid || !strings.Contains(err.Error(), "value") {
			t.Errorf("value %v: %v", v, err)
		}
	}
	for range 2 {
		if err := Draw(&p, 1, tradeplan.MaxAmount, now); err != nil {
			t.Fatal(err)
		}
	}
	if math.IsInf(p.ValueUsed, 0) || p.ValueUsed != 2*tradeplan.MaxAmount {
		t.Errorf("value used %v", p.ValueUsed)
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
		{"good", UseInput{Quantity: 5, Value: 100, Reference: "CUSDEC 2027/00042"}, ""},
		{"quantity above", UseInput{Quantity: 1e300}, "quantity"},
		{"value infinite", UseInput{Quantity: 1, Value: math.Inf(1)}, "value"},
		{"NUL in the reference", UseInput{Quantity: 1, Reference: "a\x00"}, "reference"},
		{"invalid crossing", UseInput{Quantity: 1, Crossing: "\xff"}, "crossing"},
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
