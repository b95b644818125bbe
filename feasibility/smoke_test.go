package feasibility

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
)

func TestSmoke(t *testing.T) {
	b, _ := os.ReadFile("testdata/hair.yaml")
	s, err := Parse(b, "hair.yaml", plan.YAML)
	if err != nil {
		t.Fatal(err)
	}
	per, _ := plan.ParsePeriod("2027-H1")
	p := &tradeplan.Plan{ID: "x", Period: per, Lines: []tradeplan.Line{{Index: 1, Direction: tradeplan.Export, HS: "670411", Description: "wigs", Quantity: tradeplan.D(10), Unit: "t", Source: &tradeplan.Source{Site: "hoeryong-hair"}}}}
	fs, err := Check(p, nil, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.MarshalIndent(fs, "", " ")
	t.Logf("%s", out)
}
