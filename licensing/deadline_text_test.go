package licensing

import (
	"testing"
	"time"
)

func TestDeadlineText(t *testing.T) {
	d, err := ParseDeadline("2027-05-31")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		in         time.Time
		text, date string
	}{
		{d, "2027-05-31 (end of the day, UTC)", "2027-05-31"},
		{time.Date(2027, 1, 6, 6, 0, 0, 0, time.UTC), "2027-01-06 06:00 UTC", "2027-01-06"},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "2026-12-31 (end of the day, UTC)", "2026-12-31"},
		{time.Date(2027, 3, 1, 8, 0, 0, 0, time.FixedZone("KST", 9*3600)), "2027-02-28 23:00 UTC", "2027-02-28"},
		{time.Time{}, "", ""},
	} {
		if got := DeadlineText(c.in); got != c.text {
			t.Errorf("DeadlineText(%v) = %q, want %q", c.in, got, c.text)
		}
		if got := DeadlineDate(c.in); got != c.date {
			t.Errorf("DeadlineDate(%v) = %q, want %q", c.in, got, c.date)
		}
	}
}
