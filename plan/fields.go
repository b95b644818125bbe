package plan

import (
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// The checks below are shared by the document parser and the CSV reader.
// Each returns the resolved value, or a message saying what was expected and
// what was found.

// checkHS reads a declared HS code: digits, with dots or spaces between
// groups ("0305.69", "0305 69"). A code written as a number (an unquoted
// YAML or JSON number) may have lost zeros, which are put back: a leading
// zero when the digits before the decimal point are odd in count ("30569"
// -> "030569", 305.69 -> "030569"), a trailing one when those after it are
// (2710.1 -> "271010").
func checkHS(s string, number bool) (string, string) {
	t := strings.TrimSpace(s)
	// What is expected, and what was found: the message, made only for a
	// bad code.
	bad := func() string {
		return "expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found " + quote(s)
	}
	digits := t
	if number {
		ip, fp, _ := strings.Cut(t, ".")
		if !isDigits(ip) || fp != "" && !isDigits(fp) {
			return "", bad()
		}
		if len(ip)%2 == 1 {
			ip = "0" + ip
		}
		if len(fp)%2 == 1 {
			fp += "0"
		}
		digits = ip + fp
	} else if !isDigits(t) {
		var b strings.Builder
		for i := 0; i < len(t); i++ {
			switch c := t[i]; {
			case c >= '0' && c <= '9':
				b.WriteByte(c)
			case c == '.' || c == ' ':
			default:
				return "", bad()
			}
		}
		digits = b.String()
	}
	switch len(digits) {
	case 2, 4, 6, 8, 10:
		return digits, ""
	}
	msg := bad()
	if len(digits)%2 == 1 && len(digits) < 10 {
		if strings.Contains(t, ".") {
			msg += " (" + strconv.Itoa(len(digits)) + " digits: a zero lost?)"
		} else {
			msg += " (" + strconv.Itoa(len(digits)) + " digits: a leading zero lost?)"
		}
	}
	return "", msg
}

// checkAmount reads a quantity or value with the one number parser
// (tradeplan.ParseDecimal: a point, never a comma; no exponent; at most 15
// digits before the point and 6 after), at least zero. Underscores between
// digits, as YAML writes 1_000, are allowed.
func checkAmount(s string) (tradeplan.Decimal, string) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "_", "")
	v, err := tradeplan.ParseDecimal(t)
	if err != nil {
		return tradeplan.Decimal{}, "expected a number; found " + quote(s) + numberHint(err)
	}
	if v.Sign() < 0 {
		return tradeplan.Decimal{}, "expected a number of at least 0; found " + quote(s)
	}
	return v, ""
}

// numberHint is what a refused number needs, after the input quoted: ""
// when it is simply not a number.
func numberHint(err error) string {
	if m := err.Error(); m != "not a number" {
		return ": " + m
	}
	return ""
}

// unitWords are written forms offered as suggestions for a mistyped unit,
// besides the canonical symbols.
var unitWords = []string{"tonne", "tonnes", "ton", "tons", "kilogram", "kilograms", "kgs", "gram", "grams", "pound", "pounds", "lbs",
	"litre", "litres", "liter", "liters", "barrel", "barrels", "gallon", "gallons", "piece", "pieces", "pair", "dozen",
	"metre", "metres", "meter", "meters", "cbm", "sqm"}

// unitSymbols is the list of canonical symbols, for messages.
var unitSymbols = func() []string {
	var out []string
	for _, u := range tradeplan.Units() {
		out = append(out, u.Symbol)
	}
	return out
}()

// checkUnit resolves a unit to its canonical symbol.
func checkUnit(s string) (string, string) {
	if u := canonicalUnit(s); u != "" {
		return u, ""
	}
	if u, ok := tradeplan.LookupUnit(s); ok {
		return u.Symbol, ""
	}
	return "", "expected one of " + strings.Join(unitSymbols, ", ") + " (or a name such as tonnes); found " + quote(s) +
		didYouMean(strings.TrimSpace(s), append(append([]string(nil), unitSymbols...), unitWords...))
}

// canonicalUnit returns s when it is written as a canonical unit symbol
// (which tradeplan.LookupUnit resolves to itself: TestCanonicalUnit), else
// "". What it returns is a constant, never s itself: s may be a view of a
// reader's buffer.
func canonicalUnit(s string) string {
	for _, u := range canonicalUnits {
		if s == u {
			return u
		}
	}
	return ""
}

var canonicalUnits = [...]string{"t", "kg", "pcs", "l", "bbl", "g", "m3", "lb", "gal", "pairs", "doz", "m2", "m", "kwh", "mwh"}

// checkCurrency resolves an ISO 4217 code.
func checkCurrency(s string) (string, string) {
	if c, ok := Currency(s); ok {
		return c, ""
	}
	return "", "expected an ISO 4217 currency code such as USD, EUR or CNY; found " + quote(s) + didYouMean(strings.ToUpper(strings.TrimSpace(s)), currencyAll)
}

// countryWords are the names offered as suggestions for a mistyped country
// (set up in country.go's init, after the table).
var countryWords []string

// ambiguousCountries are names that stand for more than one country.
var ambiguousCountries = map[string]string{
	"korea":          "KP (the DPRK) or KR (the Republic of Korea)",
	"virgin islands": "VG (British) or VI (U.S.)",
}

// checkCountry resolves a country to its alpha-2 code.
func checkCountry(s string) (string, string) {
	if c, ok := Country(s); ok {
		return c, ""
	}
	msg := "expected an ISO 3166 country code or name; found " + quote(s)
	if a, ok := ambiguousCountries[normCountry(s)]; ok {
		return "", msg + ", which is ambiguous: write " + a
	}
	return "", msg + didYouMean(strings.TrimSpace(s), countryWords)
}

// checkDirection reads export or import.
func checkDirection(s string) (tradeplan.Direction, string) {
	switch s {
	case "export":
		return tradeplan.Export, ""
	case "import":
		return tradeplan.Import, ""
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "export":
		return tradeplan.Export, ""
	case "import":
		return tradeplan.Import, ""
	}
	return "", "expected export or import; found " + quote(s) + didYouMean(strings.TrimSpace(s), []string{"export", "import"})
}

// checkNecessity reads critical, essential or useful.
func checkNecessity(s string) (tradeplan.Necessity, string) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return tradeplan.Critical, ""
	case "essential":
		return tradeplan.Essential, ""
	case "useful":
		return tradeplan.Useful, ""
	}
	return "", "expected critical, essential or useful; found " + quote(s) + didYouMean(strings.TrimSpace(s), []string{"critical", "essential", "useful"})
}

// checkIMO reads an IMO ship number: seven digits, optionally after "IMO"
// ("IMO 9123456", "imo9123456"). The check digit is the parties package's
// concern; here only the form is checked.
func checkIMO(s string) (string, string) {
	t := strings.TrimSpace(s)
	if len(t) >= 3 && strings.EqualFold(t[:3], "IMO") {
		t = strings.TrimLeft(t[3:], " :.")
	}
	if len(t) == 7 && isDigits(t) {
		return t, ""
	}
	return "", "expected an IMO number of 7 digits, optionally prefixed IMO; found " + quote(s)
}

// checkDate reads a date, YYYY-MM-DD.
func checkDate(s string) (time.Time, string) {
	d, err := time.Parse(dateLayout, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, "expected a date YYYY-MM-DD; found " + quote(s)
	}
	return d, ""
}
