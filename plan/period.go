package plan

import (
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

const dateLayout = "2006-01-02"

// ParsePeriod reads a plan period: a year ("2027"), a half ("2027-H1",
// "2027-H2"), a quarter ("2027-Q3"), a month ("2027-03") or an explicit range
// of dates ("2027-01-01/2027-06-30", both days inclusive). The letters H and
// Q may be lower case; the label is kept in upper case.
func ParsePeriod(s string) (tradeplan.Period, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	if from, to, ok := strings.Cut(t, "/"); ok {
		return PeriodFromTo(from, to)
	}
	bad := func() (tradeplan.Period, error) {
		return tradeplan.Period{}, tradeplan.Errorf(tradeplan.EInvalid,
			"expected a period such as 2027, 2027-H1, 2027-Q3, 2027-03 or 2027-01-01/2027-06-30; found %q", s)
	}
	if len(t) < 4 {
		return bad()
	}
	year, err := strconv.Atoi(t[:4])
	if err != nil || year < 1900 || year > 2999 || !isDigits(t[:4]) {
		return bad()
	}
	first, months := time.January, 12
	switch rest := t[4:]; {
	case rest == "":
	case len(rest) == 3 && rest[0] == '-' && rest[1] == 'H' && (rest[2] == '1' || rest[2] == '2'):
		first, months = time.Month(1+6*int(rest[2]-'1')), 6
	case len(rest) == 3 && rest[0] == '-' && rest[1] == 'Q' && rest[2] >= '1' && rest[2] <= '4':
		first, months = time.Month(1+3*int(rest[2]-'1')), 3
	case len(rest) == 3 && rest[0] == '-' && isDigits(rest[1:]):
		m, _ := strconv.Atoi(rest[1:])
		if m < 1 || m > 12 {
			return bad()
		}
		first, months = time.Month(m), 1
	default:
		return bad()
	}
	from := time.Date(year, first, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, months, -1)
	return tradeplan.Period{Label: t, From: from, To: to}, nil
}

// PeriodFromTo makes a period of two dates (YYYY-MM-DD, both inclusive). Its
// label is "FROM/TO".
func PeriodFromTo(from, to string) (tradeplan.Period, error) {
	f, err := ParseDate(from)
	if err != nil {
		return tradeplan.Period{}, err
	}
	t, err := ParseDate(to)
	if err != nil {
		return tradeplan.Period{}, err
	}
	if t.Before(f) {
		return tradeplan.Period{}, tradeplan.Errorf(tradeplan.EInvalid, "the period ends (%s) before it starts (%s)", t.Format(dateLayout), f.Format(dateLayout))
	}
	return tradeplan.Period{Label: f.Format(dateLayout) + "/" + t.Format(dateLayout), From: f, To: t}, nil
}

// ParseDate reads a calendar date, YYYY-MM-DD, as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(dateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, tradeplan.Errorf(tradeplan.EInvalid, "expected a date YYYY-MM-DD; found %q", s)
	}
	return d, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
