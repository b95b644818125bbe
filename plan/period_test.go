package plan

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(dateLayout, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name, in, label, from, to, err string
	}{
		{name: "year", in: "2027", label: "2027", from: "2027-01-01", to: "2027-12-31"},
		{name: "first half", in: "2023-H1", label: "2023-H1", from: "2023-01-01", to: "2023-06-30"},
		{name: "second half lower case", in: "2027-h2", label: "2027-H2", from: "2027-07-01", to: "2027-12-31"},
		{name: "quarter", in: "2027-Q3", label: "2027-Q3", from: "2027-07-01", to: "2027-09-30"},
		{name: "first quarter of a leap year", in: "2028-Q1", label: "2028-Q1", from: "2028-01-01", to: "2028-03-31"},
		{name: "month", in: "2028-02", label: "2028-02", from: "2028-02-01", to: "2028-02-29"},
		{name: "range", in: "2027-01-15/2027-03-14", label: "2027-01-15/2027-03-14", from: "2027-01-15", to: "2027-03-14"},
		{name: "single day range", in: "2027-01-15/2027-01-15", label: "2027-01-15/2027-01-15", from: "2027-01-15", to: "2027-01-15"},
		{name: "bad half", in: "2027-H3", err: `expected a period such as 2027, 2027-H1, 2027-Q3, 2027-03 or 2027-01-01/2027-06-30; found "2027-H3"`},
		{name: "bad quarter", in: "2027-Q5", err: `expected a period such as 2027, 2027-H1, 2027-Q3, 2027-03 or 2027-01-01/2027-06-30; found "2027-Q5"`},
		{name: "bad month", in: "2027-13", err: `expected a period such as 2027, 2027-H1, 2027-Q3, 2027-03 or 2027-01-01/2027-06-30; found "2027-13"`},
		{name: "words", in: "first half of next year", err: `expected a period such as 2027, 2027-H1, 2027-Q3, 2027-03 or 2027-01-01/2027-06-30; found "first half of next year"`},
		{name: "empty", in: "", err: `expected a period such as 2027, 2027-H1, 2027-Q3, 2027-03 or 2027-01-01/2027-06-30; found ""`},
		{name: "signed year", in: "+202", err: `expected a period such as 2027, 2027-H1, 2027-Q3, 2027-03 or 2027-01-01/2027-06-30; found "+202"`},
		{name: "reversed range", in: "2027-03-01/2027-01-01", err: `the period ends (2027-01-01) before it starts (2027-03-01)`},
		{name: "bad date in range", in: "2027-02-30/2027-03-01", err: `expected a date YYYY-MM-DD; found "2027-02-30"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePeriod(tt.in)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Label != tt.label || !p.From.Equal(day(tt.from)) || !p.To.Equal(day(tt.to)) {
				t.Errorf("got %s %s..%s, want %s %s..%s", p.Label, p.From.Format(dateLayout), p.To.Format(dateLayout), tt.label, tt.from, tt.to)
			}
			if !p.Contains(day(tt.to)) || p.Contains(day(tt.to).AddDate(0, 0, 1)) || p.Contains(day(tt.from).AddDate(0, 0, -1)) {
				t.Error("Contains disagrees with the bounds")
			}
		})
	}
}
