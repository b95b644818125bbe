package tradeplan

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Decimal is an exact decimal number: every quantity, value, cap, balance
// and use is one, from parsing to storage to output (docs/quantities.md).
// Sums and differences are exact whatever their size; a product or a
// quotient that cannot be exact (a unit conversion, a proportional draw) is
// rounded half-even to the places its caller states. A Decimal is always
// finite: no parser, constructor or operation makes an infinity or a NaN.
//
// The zero value is 0. Decimals are values: operations return new ones and
// never change their operands. Compare them with Cmp, never ==.
type Decimal struct {
	_ [0]func() // not comparable: 1.5 and 1.50 must not differ
	d apd.Decimal
}

// Limits of the figures a person or a file may write (ParseDecimal): at most
// MaxIntDigits digits before the point and MaxPlaces after it. Sums of such
// figures (a call's totals) are exact beyond them.
const (
	MaxIntDigits = 15
	MaxPlaces    = 6
)

// quoContext divides with 34 significant digits (IEEE decimal128), more
// than any figure needs before it is rounded to its unit's places.
var quoContext = apd.Context{
	Precision:   34,
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Traps:       apd.DefaultTraps,
	Rounding:    apd.RoundHalfEven,
}

// exact adds, subtracts and multiplies without rounding.
var exact = apd.Context{
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Traps:       apd.DefaultTraps,
	Rounding:    apd.RoundHalfEven,
}

// NewDecimal returns coef × 10^exp: NewDecimal(15, -1) is 1.5.
func NewDecimal(coef int64, exp int32) Decimal {
	var r Decimal
	r.d.SetFinite(coef, exp)
	r.norm()
	return r
}

// DecimalInt returns n as a Decimal.
func DecimalInt(n int64) Decimal { return NewDecimal(n, 0) }

// MustDecimal parses s, with no limit on its digits, and panics on a
// malformed figure. It is for constants written in the code (factors).
func MustDecimal(s string) Decimal {
	d, err := parseDecimal(s, 1000, 1000)
	if err != nil {
		panic(fmt.Sprintf("decimal %q: %v", s, err))
	}
	return d
}

// ParseDecimal reads a figure as a person or a file writes it: digits with
// an optional point and an optional leading minus, "1500", "1.5", "-0.25".
// A comma is refused ("use a point: 1.5"), and so are exponents, signs
// other than a leading minus, spaces inside, infinities, NaN and more
// than MaxIntDigits digits before the point or MaxPlaces after it. The
// error says what is wrong in words a user can act on; the caller adds
// where (file, line, field).
func ParseDecimal(s string) (Decimal, error) {
	return parseDecimal(s, MaxIntDigits, MaxPlaces)
}

// Reasons ParseDecimal gives; the caller says where and quotes the input.
var (
	errNotNumber = errors.New("not a number")
	errComma     = errors.New("use a point: 1.5 (a comma is neither a decimal nor a thousands separator)")
)

func parseDecimal(s string, maxInt, maxPlaces int) (Decimal, error) {
	var r Decimal
	if i := indexExponent(s); i > 0 {
		return parseExponent(s[:i], s[i+1:], maxInt, maxPlaces)
	}
	i := 0
	neg := false
	if s != "" && s[0] == '-' {
		neg = true
		i = 1
	}
	var coef uint64
	digits, intLen, intDigits, places := 0, 0, 0, 0
	point := false
	small := true // coef holds every digit so far
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if point {
				places++
			} else {
				intLen++
				if intDigits > 0 || c != '0' {
					intDigits++
				}
			}
			if coef > 0 || c != '0' {
				digits++
			}
			if digits > 18 {
				small = false
			} else {
				coef = coef*10 + uint64(c-'0')
			}
		case c == '.' && !point:
			point = true
		case c == ',':
			return r, errComma
		default:
			return r, errNotNumber
		}
	}
	if intLen == 0 || point && places == 0 {
		return r, errNotNumber
	}
	if intDigits > maxInt {
		return r, fmt.Errorf("too large: at most %d digits before the point", maxInt)
	}
	if places > maxPlaces {
		return r, fmt.Errorf("too many decimals: at most %d after the point", maxPlaces)
	}
	if small {
		r.d.Coeff.SetUint64(coef)
		r.d.Exponent = int32(-places)
	} else if _, _, err := r.d.SetString(s); err != nil {
		return Decimal{}, errNotNumber
	}
	r.d.Negative = neg
	r.norm()
	return r, nil
}

// indexExponent is strings.IndexAny(s, "eE") without its per-call set,
// which cost a twentieth of reading a large line file: both letters are
// ASCII, so the first byte that is either is the first rune.
func indexExponent(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i]|0x20 == 'e' {
			return i
		}
	}
	return -1
}

// parseExponent reads 1.5e3 as JSON and YAML may write it: the mantissa as
// a plain figure, then the limits applied to the number it makes.
func parseExponent(mant, exp string, maxInt, maxPlaces int) (Decimal, error) {
	m, err := parseDecimal(mant, 1000, 1000)
	if err != nil {
		return Decimal{}, err
	}
	digits := strings.TrimPrefix(strings.TrimPrefix(exp, "+"), "-")
	if digits == "" || len(digits) > 3 || strings.Trim(digits, "0123456789") != "" || len(exp)-len(digits) > 1 {
		return Decimal{}, errNotNumber
	}
	e, _ := strconv.Atoi(digits)
	if exp[0] == '-' {
		e = -e
	}
	var r Decimal
	r.d.Set(&m.d)
	r.d.Exponent += int32(e)
	r.norm()
	if int(r.d.NumDigits())+int(r.d.Exponent) > maxInt {
		return Decimal{}, fmt.Errorf("too large: at most %d digits before the point", maxInt)
	}
	if int(r.Places()) > maxPlaces {
		return Decimal{}, fmt.Errorf("too many decimals: at most %d after the point", maxPlaces)
	}
	return r, nil
}

// norm puts d in its one written form: no trailing zeros after the point,
// no positive exponent, no negative zero. Equal numbers then have equal
// fields, so reflect.DeepEqual and stored text agree with Cmp.
func (a *Decimal) norm() {
	d := &a.d
	if d.Coeff.Sign() == 0 {
		d.Exponent = 0
		d.Negative = false
		return
	}
	if d.Exponent < 0 {
		if c, ok := coefUint64(d); ok {
			for d.Exponent < 0 && c%10 == 0 {
				c /= 10
				d.Exponent++
			}
			d.Coeff.SetUint64(c)
		} else {
			var q, r apd.BigInt
			for d.Exponent < 0 {
				q.QuoRem(&d.Coeff, bigTen, &r)
				if r.Sign() != 0 {
					break
				}
				d.Coeff.Set(&q)
				d.Exponent++
			}
		}
	}
	for d.Exponent > 0 {
		d.Coeff.Mul(&d.Coeff, bigTen)
		d.Exponent--
	}
}

var bigTen = apd.NewBigInt(10)

func coefUint64(d *apd.Decimal) (uint64, bool) {
	if d.Coeff.BitLen() > 64 {
		return 0, false
	}
	return d.Coeff.Uint64(), true
}

// Add returns a + b, exactly.
func (a Decimal) Add(b Decimal) Decimal {
	if r, ok := addSmall(&a, &b, false); ok {
		return r
	}
	var r Decimal
	exact.Add(&r.d, &a.d, &b.d)
	r.norm()
	return r
}

// Sub returns a - b, exactly.
func (a Decimal) Sub(b Decimal) Decimal {
	if r, ok := addSmall(&a, &b, true); ok {
		return r
	}
	var r Decimal
	exact.Sub(&r.d, &a.d, &b.d)
	r.norm()
	return r
}

// Mul returns a × b, exactly.
func (a Decimal) Mul(b Decimal) Decimal {
	if r, ok := mulSmall(&a, &b); ok {
		return r
	}
	var r Decimal
	exact.Mul(&r.d, &a.d, &b.d)
	r.norm()
	return r
}

// MulRound returns a × b rounded half-even to places decimals.
func (a Decimal) MulRound(b Decimal, places int32) Decimal {
	return a.Mul(b).Round(places)
}

// QuoRound returns a / b rounded half-even to places decimals, and false
// when b is zero.
func (a Decimal) QuoRound(b Decimal, places int32) (Decimal, bool) {
	if b.Sign() == 0 {
		return Decimal{}, false
	}
	if r, ok := quoSmall(&a, &b, places); ok {
		return r, true
	}
	var r Decimal
	if _, err := quoContext.Quo(&r.d, &a.d, &b.d); err != nil {
		return Decimal{}, false
	}
	return r.Round(places), true
}

// Round returns a rounded half-even to places decimals.
func (a Decimal) Round(places int32) Decimal {
	if -a.d.Exponent <= places {
		return a
	}
	if r, ok := roundSmall(&a, places); ok {
		return r
	}
	var r Decimal
	c := quoContext
	c.Precision = uint32(max(int64(a.d.NumDigits())+int64(places)+int64(a.d.Exponent)+1, 1))
	if _, err := c.Quantize(&r.d, &a.d, -places); err != nil {
		panic(fmt.Sprintf("decimal: round %s to %d places: %v", a, places, err))
	}
	r.norm()
	return r
}

// Places is the number of decimals a is written with.
func (a Decimal) Places() int32 { return max(-a.d.Exponent, 0) }

// Neg returns -a.
func (a Decimal) Neg() Decimal {
	r := a
	if r.d.Coeff.Sign() != 0 {
		r.d.Negative = !r.d.Negative
	}
	return r
}

// Cmp compares a and b: -1 when a < b, 0 when equal, +1 when a > b.
func (a Decimal) Cmp(b Decimal) int {
	if r, ok := cmpSmall(&a, &b); ok {
		return r
	}
	return a.d.Cmp(&b.d)
}

// Sign is -1, 0 or +1.
func (a Decimal) Sign() int { return a.d.Sign() }

// IsZero reports whether a is 0 (and lets `omitzero` leave it out of JSON).
func (a Decimal) IsZero() bool { return a.d.Coeff.Sign() == 0 }

// Equal reports whether a and b are the same number.
func (a Decimal) Equal(b Decimal) bool { return a.Cmp(b) == 0 }

// MinDecimal returns the smaller of a and b.
func MinDecimal(a, b Decimal) Decimal {
	if a.Cmp(b) <= 0 {
		return a
	}
	return b
}

// MaxDecimal returns the larger of a and b.
func MaxDecimal(a, b Decimal) Decimal {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

// Float64 is the nearest float64, for charts and shares; never for a figure
// that is stored, compared with a limit or shown as evidence.
func (a Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(a.String(), 64)
	return f
}

// String writes a exactly, with a point and no exponent: "1500", "0.25".
func (a Decimal) String() string {
	var buf [40]byte
	return string(a.Append(buf[:0]))
}

// Append appends String() to b.
func (a Decimal) Append(b []byte) []byte {
	if a.d.Exponent == 0 && !a.d.Negative {
		if c, ok := coefUint64(&a.d); ok {
			return strconv.AppendUint(b, c, 10)
		}
	}
	return a.d.Append(b, 'f')
}

// Grouped writes a exactly with sep between thousands, for pages only:
// Grouped(",") is "479,999.999".
func (a Decimal) Grouped(sep string) string {
	s := a.String()
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	intPart, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart, frac = s[:i], s[i:]
			break
		}
	}
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := 0; i < len(intPart); i++ {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, sep...)
		}
		out = append(out, intPart[i])
	}
	return string(append(out, frac...))
}

// MarshalJSON writes a as a JSON number with its exact digits.
func (a Decimal) MarshalJSON() ([]byte, error) { return a.Append(nil), nil }

// UnmarshalJSON reads a JSON number written as ParseDecimal reads it. A
// string is refused: figures are numbers in JSON.
func (a *Decimal) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	// A *json.UnmarshalTypeError, so that the decoder names the field.
	bad := func(why string) error {
		return &json.UnmarshalTypeError{Value: why, Type: reflect.TypeFor[Decimal](), Offset: 0}
	}
	if len(s) > 0 && s[0] == '"' {
		if uq, err := strconv.Unquote(s); err == nil && strings.Contains(uq, ",") {
			return bad(s + ": " + errComma.Error())
		}
		return bad(s + ": a figure is a JSON number, written without quotes")
	}
	// Any exact number: documents stored before figures were exact hold
	// floats' digits (77218.69999999995) and must read back. Requests are
	// held to ParseDecimal's limits where they are decoded (CheckLimits).
	d, err := parseDecimal(s, 1000, 1000)
	if err != nil {
		return bad(s + ": " + err.Error())
	}
	*a = d
	return nil
}

// CheckLimits applies ParseDecimal's limits on digits to a figure read
// some other way (a JSON request).
func (a Decimal) CheckLimits() error {
	if n := int(a.d.NumDigits()) + int(a.d.Exponent); n > MaxIntDigits && !a.IsZero() {
		return fmt.Errorf("%s is too large: at most %d digits before the point", a, MaxIntDigits)
	}
	if a.Places() > MaxPlaces {
		return fmt.Errorf("%s has too many decimals: at most %d after the point", a, MaxPlaces)
	}
	return nil
}

// MarshalText and UnmarshalText serve YAML and other text encodings.
func (a Decimal) MarshalText() ([]byte, error) { return a.Append(nil), nil }

func (a *Decimal) UnmarshalText(b []byte) error {
	d, err := ParseDecimal(string(b))
	if err != nil {
		return fmt.Errorf("found %q: %w", b, err)
	}
	*a = d
	return nil
}

// Value stores a as its exact text: NUMERIC on PostgreSQL, TEXT on SQLite.
func (a Decimal) Value() (driver.Value, error) { return a.String(), nil }

// Scan reads a stored figure: text or NUMERIC digits, an integer, or (from
// a column written before figures were exact) a float, read as the
// shortest decimal that gives it back, which is the figure as written.
func (a *Decimal) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*a = Decimal{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		*a = DecimalInt(v)
		return nil
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Errorf("decimal: cannot read %T", src)
	}
	d, err := parseDecimal(s, 1000, 1000)
	if err != nil {
		return fmt.Errorf("decimal: stored figure %q: %w", s, err)
	}
	*a = d
	return nil
}

// ParseDecimalExact reads a figure written in the code or a rule pack (a
// cap, a threshold, a conversion factor) as ParseDecimal does, without its
// limits on digits.
func ParseDecimalExact(s string) (Decimal, error) { return parseDecimal(s, 1000, 1000) }

// DecimalFromFloat is the shortest decimal that reads back as f (0.1 for
// 0.1, not 0.1000000000000000055...): how a figure stored as a float before
// figures were exact is read, and how tests write figures. Not finite gives
// zero and false.
func DecimalFromFloat(f float64) (Decimal, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}, false
	}
	d, err := parseDecimal(strconv.FormatFloat(f, 'f', -1, 64), 1000, 1000)
	return d, err == nil
}

// D is DecimalFromFloat for figures written in tests and code: D(1.5).
func D(f float64) Decimal {
	d, ok := DecimalFromFloat(f)
	if !ok {
		panic("decimal: not finite")
	}
	return d
}
