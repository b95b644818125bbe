package tradeplan

import "testing"

func TestPositionString(t *testing.T) {
	long := "a-plan-file-whose-name-is-longer-than-the-buffer-the-position-is-built-in-on-the-stack.yaml"
	tests := []struct {
		p    Position
		want string
	}{
		{Position{}, "-"},
		{Position{File: "plan.yaml"}, "plan.yaml"},
		{Position{File: "plan.yaml", Line: 12}, "plan.yaml:12"},
		{Position{File: "plan.yaml", Line: 12, Column: 5}, "plan.yaml:12:5"},
		{Position{File: "plan.yaml", Column: 5}, "plan.yaml"},
		{Position{Line: 3, Column: 7, Path: "lines[2].hs"}, "-:3:7: lines[2].hs"},
		{Position{File: long, Line: 1234567, Column: 89, Path: "lines[1234].partner.country"}, long + ":1234567:89: lines[1234].partner.country"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}
