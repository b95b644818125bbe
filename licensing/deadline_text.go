package licensing

import "time"

// DeadlineText writes a call's deadline as its issuer entered it: a date
// (ParseDeadline stores the midnight after it) is shown as that date, the
// end of the day; any other instant with its time of day, in UTC. Pages,
// the command line and the demo all write deadlines with it.
func DeadlineText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.AddDate(0, 0, -1).Format(time.DateOnly) + " (end of the day, UTC)"
	}
	return t.Format("2006-01-02 15:04 UTC")
}

// DeadlineDate is the date an issuer would enter for the deadline t: the
// day it ends for a midnight, else the day it falls on (UTC).
func DeadlineDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		t = t.AddDate(0, 0, -1)
	}
	return t.Format(time.DateOnly)
}
