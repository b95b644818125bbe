package parties

import (
	"strings"

	"github.com/tradeplan/tradeplan"
)

// countryCodes maps country names as the lists write them (normalised) to
// ISO 3166 alpha-2 codes. Names not here do not move a score.
var countryCodes = map[string]string{
	"democratic peoples republic of korea": "KP", "korea north": "KP", "north korea": "KP", "dprk": "KP",
	"republic of korea": "KR", "korea south": "KR", "south korea": "KR",
	"china": "CN", "peoples republic of china": "CN", "hong kong": "HK", "macau": "MO", "macao": "MO", "taiwan": "TW",
	"russia": "RU", "russian federation": "RU", "mongolia": "MN", "japan": "JP", "singapore": "SG",
	"malaysia": "MY", "indonesia": "ID", "philippines": "PH", "thailand": "TH", "vietnam": "VN", "viet nam": "VN",
	"cambodia": "KH", "burma": "MM", "myanmar": "MM", "laos": "LA", "india": "IN", "pakistan": "PK",
	"afghanistan": "AF", "iran": "IR", "iran islamic republic of": "IR", "iraq": "IQ", "syria": "SY",
	"syrian arab republic": "SY", "lebanon": "LB", "jordan": "JO", "israel": "IL", "saudi arabia": "SA",
	"yemen": "YE", "kuwait": "KW", "qatar": "QA", "bahrain": "BH", "oman": "OM", "united arab emirates": "AE",
	"turkey": "TR", "turkiye": "TR", "egypt": "EG", "libya": "LY", "tunisia": "TN", "algeria": "DZ",
	"morocco": "MA", "sudan": "SD", "south sudan": "SS", "somalia": "SO", "ethiopia": "ET", "eritrea": "ER",
	"kenya": "KE", "uganda": "UG", "rwanda": "RW", "burundi": "BI", "democratic republic of the congo": "CD",
	"congo democratic republic of the": "CD", "central african republic": "CF", "mali": "ML", "niger": "NE",
	"nigeria": "NG", "chad": "TD", "mauritania": "MR", "cuba": "CU", "venezuela": "VE", "colombia": "CO",
	"mexico": "MX", "panama": "PA", "united states": "US", "united states of america": "US",
	"united kingdom": "GB", "united kingdom of great britain and northern ireland": "GB", "germany": "DE",
	"france": "FR", "italy": "IT", "spain": "ES", "netherlands": "NL", "belgium": "BE", "switzerland": "CH",
	"austria": "AT", "sweden": "SE", "norway": "NO", "denmark": "DK", "cyprus": "CY", "greece": "GR",
	"ukraine": "UA", "belarus": "BY", "bosnia and herzegovina": "BA", "serbia": "RS", "kazakhstan": "KZ",
	"uzbekistan": "UZ", "tajikistan": "TJ", "kyrgyzstan": "KG", "georgia": "GE", "azerbaijan": "AZ",
	"sierra leone": "SL", "liberia": "LR", "zimbabwe": "ZW", "tanzania": "TZ", "united republic of tanzania": "TZ",
	"marshall islands": "MH", "liberia republic of": "LR", "belize": "BZ", "togo": "TG", "tuvalu": "TV",
	"comoros": "KM", "sierra leone republic of": "SL", "palau": "PW", "saint kitts and nevis": "KN",
}

// countryCode returns the ISO code of a country name as written, or "".
func countryCode(name string) string {
	return countryCodes[Normalize(name)]
}

func countryAdjust(cc string, e *Entry) (float64, string) {
	if len(cc) != 2 { // a country written as a name
		if c := countryCode(cc); c != "" {
			cc = c
		} else {
			return 0, ""
		}
	}
	var known []string
	has := func(names []string) bool {
		for _, n := range names {
			c := countryCode(n)
			if c == "" {
				continue
			}
			known = append(known, c)
			if c == cc {
				return true
			}
		}
		return false
	}
	if has(e.Nationalities) {
		return 0.02, "nationality " + cc + " matches: +0.02"
	}
	if e.Kind == Individual {
		if len(known) > 0 {
			return -0.05, "nationality " + cc + " is not the listed " + strings.Join(known, ", ") + ": -0.05"
		}
		return 0, ""
	}
	if has(e.Countries) {
		return 0.02, "country " + cc + " is a listed address country: +0.02"
	}
	if e.Flag != "" && has([]string{e.Flag}) {
		return 0.02, "flag " + cc + " is the listed flag: +0.02"
	}
	return 0, ""
}

// CheckDOB reports whether s is a date of birth a query accepts: "1938",
// "1938-07", "1938-07-16" or "16 Jul 1938".
func CheckDOB(s string) error {
	if _, ok := parseQueryDOB(s); !ok {
		return tradeplan.Errorf(tradeplan.EInvalid, "date of birth %q: want YYYY, YYYY-MM, YYYY-MM-DD or DD Mon YYYY", s)
	}
	return nil
}

func parseQueryDOB(s string) (DOB, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DOB{}, false
	}
	if len(s) == 7 && s[4] == '-' {
		if y, m, _, ok := parseISODate(s + "-01"); ok {
			return DOB{Year: y, Month: m}, true
		}
	}
	y, m, d, ok := parseDayMonthYear(s)
	return DOB{Year: y, Month: m, Day: d}, ok
}

// dobAdjust raises a score when the query's date of birth agrees with a
// listed one and lowers it when it agrees with none.
func dobAdjust(q DOB, listed []DOB) (float64, string) {
	bestAdj := -0.15
	why := "date of birth " + q.String() + " matches no listed date (" + dobList(listed) + "): -0.15"
	for _, d := range listed {
		lo, hi := d.Year, d.Year
		if d.ToYear > 0 {
			hi = d.ToYear
		}
		if d.Approx {
			lo, hi = lo-2, hi+2
		}
		if q.Year < lo || q.Year > hi {
			continue
		}
		adj, w := 0.03, "year of birth "+itoa(q.Year)+" matches listed "+d.String()+": +0.03"
		if q.Month > 0 && d.Month > 0 && d.ToYear == 0 {
			if q.Month != d.Month || q.Day > 0 && d.Day > 0 && q.Day != d.Day {
				adj, w = -0.05, "date of birth "+q.String()+" differs from listed "+d.String()+" in month or day: -0.05"
			} else if q.Day > 0 && d.Day > 0 {
				adj, w = 0.05, "date of birth "+q.String()+" matches listed "+d.String()+": +0.05"
			}
		}
		if adj > bestAdj {
			bestAdj, why = adj, w
		}
	}
	return bestAdj, why
}

func dobList(ds []DOB) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.String())
	}
	return strings.Join(s, ", ")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [12]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
