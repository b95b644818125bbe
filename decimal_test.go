package tradeplan

import (
	"encoding/json"
	"math/big"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{"whole", "1500", "1500", ""},
		{"point", "1.5", "1.5", ""},
		{"trailing zeros dropped", "12.500", "12.5", ""},
		{"leading zeros", "007.25", "7.25", ""},
		{"zero", "0.000", "0", ""},
		{"negative", "-0.25", "-0.25", ""},
		{"negative zero", "-0", "0", ""},
		{"the cap", "500000", "500000", ""},
		{"largest", "999999999999999.999999", "999999999999999.999999", ""},
		{"exponent as JSON writes it", "1e5", "100000", ""},
		{"exponent with a fraction", "2.5E-3", "0.0025", ""},
		{"decimal comma", "1,5", "", "use a point: 1.5"},
		{"thousands comma", "1,000", "", "use a point: 1.5"},
		{"space", "1 000", "", "not a number"},
		{"empty", "", "", "not a number"},
		{"point alone", ".", "", "not a number"},
		{"no digit before the point", ".5", "", "not a number"},
		{"no digit after the point", "5.", "", "not a number"},
		{"two points", "1.2.3", "", "not a number"},
		{"plus", "+1", "", "not a number"},
		{"infinity", "Inf", "", "not a number"},
		{"NaN", "NaN", "", "not a number"},
		{"hex", "0x10", "", "not a number"},
		{"too large", "1000000000000000", "", "too large"},
		{"too large by exponent", "1e15", "", "too large"},
		{"too many decimals", "0.1234567", "", "too many decimals"},
		{"too many decimals by exponent", "1e-7", "", "too many decimals"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDecimal(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseDecimal(%q) = %s, %v; want an error saying %q", tt.in, d, err, tt.err)
				}
				return
			}
			if err != nil || d.String() != tt.want {
				t.Fatalf("ParseDecimal(%q) = %s, %v; want %s", tt.in, d, err, tt.want)
			}
		})
	}
}

// TestDecimalSums: the example of issue 23 adds up to the cap exactly, and
// figures beyond int64 at any fixed scale (a call's totals in KPW) stay
// exact.
func TestDecimalSums(t *testing.T) {
	sum := MustDecimal("222693.7").Add(MustDecimal("200087.6")).Add(MustDecimal("77218.7"))
	if sum.Cmp(DecimalInt(500000)) != 0 || sum.String() != "500000" {
		t.Fatalf("222693.7 + 200087.6 + 77218.7 = %s", sum)
	}
	if over := sum.Add(MustDecimal("0.1")).Sub(DecimalInt(500000)); over.String() != "0.1" {
		t.Fatalf("0.1 over = %s", over)
	}
	big1 := MustDecimal("999999999999999.99")
	total := Decimal{}
	for range 100000 {
		total = total.Add(big1)
	}
	if total.String() != "99999999999999999000" {
		t.Fatalf("100,000 × 999,999,999,999,999.99 = %s", total)
	}
	if back := total.Sub(big1.Mul(DecimalInt(99999))); back.Cmp(big1) != 0 {
		t.Fatalf("total - 99,999 × x = %s", back)
	}
}

func TestRoundHalfEven(t *testing.T) {
	tests := []struct {
		in     string
		places int32
		want   string
	}{
		{"2.5", 0, "2"}, {"3.5", 0, "4"}, {"-2.5", 0, "-2"}, {"0.0015", 3, "0.002"}, {"0.0025", 3, "0.002"},
		{"479999.9995", 3, "480000"}, {"479999.999", 3, "479999.999"}, {"1.23456", 2, "1.23"}, {"7", 3, "7"},
	}
	for _, tt := range tests {
		if got := MustDecimal(tt.in).Round(tt.places); got.String() != tt.want {
			t.Errorf("Round(%s, %d) = %s, want %s", tt.in, tt.places, got, tt.want)
		}
	}
	q, ok := DecimalInt(1).QuoRound(DecimalInt(3), 3)
	if !ok || q.String() != "0.333" {
		t.Errorf("1/3 to 3 places = %s", q)
	}
	if _, ok := DecimalInt(1).QuoRound(Decimal{}, 3); ok {
		t.Error("division by zero succeeded")
	}
}

func TestConvertUnit(t *testing.T) {
	tests := []struct {
		q, from, to, want string
	}{
		{"1.234", "t", "kg", "1234"},
		{"1234", "kg", "t", "1.234"},
		{"1500", "g", "kg", "1.5"},
		{"1.5", "kg", "t", "0.002"},  // t is counted to the kilogram: 1.5 kg rounds half-even to 2 kg
		{"2.5", "kg", "t", "0.002"},  // and 2.5 kg to 2 kg
		{"1", "bbl", "l", "158.987"}, // 158.987294928 l, to the millilitre
		{"1000", "l", "bbl", "6.29"}, // 6.28981077... bbl, to a thousandth
		{"222693.7", "bbl", "bbl", "222693.7"},
		{"3", "doz", "pcs", "36"},
		{"1", "lb", "kg", "0.454"},
	}
	for _, tt := range tests {
		got, err := ConvertUnit(MustDecimal(tt.q), tt.from, tt.to)
		if err != nil || got.String() != tt.want {
			t.Errorf("%s %s in %s = %s, %v; want %s", tt.q, tt.from, tt.to, got, err, tt.want)
		}
	}
	if _, err := ConvertUnit(DecimalInt(1), "t", "bbl"); err == nil {
		t.Error("t to bbl converted without a factor")
	}
	bbl, _ := LookupUnit("bbl")
	tonne, _ := LookupUnit("t")
	kg, _ := LookupUnit("kg")
	if got := ConvertAcross(DecimalInt(2000), kg, tonne, MustDecimal("8.5"), bbl); got.String() != "17" {
		t.Errorf("2,000 kg at 8.5 bbl per t = %s bbl", got)
	}
	if got := ConvertAcross(DecimalInt(525000), tonne, tonne, MustDecimal("7.6190476"), bbl); got.String() != "3999999.99" {
		t.Errorf("525,000 t at 7.6190476 bbl per t = %s bbl", got)
	}
}

func TestCurrencyPlaces(t *testing.T) {
	for code, want := range map[string]int32{"USD": 2, "JPY": 0, "KWD": 3, "KPW": 0, "CNY": 2, "XXX": 2, "": 2} {
		if got := CurrencyPlaces(code); got != want {
			t.Errorf("CurrencyPlaces(%q) = %d, want %d", code, got, want)
		}
	}
	if Places("t") != 3 || Places("pcs") != 0 || Places("JPY") != 0 {
		t.Errorf("Places: t %d, pcs %d, JPY %d", Places("t"), Places("pcs"), Places("JPY"))
	}
}

func TestDecimalJSON(t *testing.T) {
	var v struct {
		Q Decimal  `json:"quantity"`
		P *Decimal `json:"p"`
		Z Decimal  `json:"z,omitzero"`
	}
	if err := json.Unmarshal([]byte(`{"quantity": 77218.7, "p": 0.1}`), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"quantity":77218.7,"p":0.1}` {
		t.Errorf("marshal = %s", b)
	}
	// Stored documents written before figures were exact read back whole.
	if err := json.Unmarshal([]byte(`{"quantity": 77218.69999999995}`), &v); err != nil || v.Q.String() != "77218.69999999995" {
		t.Errorf("a stored float's digits: %s, %v", v.Q, err)
	}
	if v.Q.CheckLimits() == nil || DecimalInt(1).CheckLimits() != nil || MustDecimal("1000000000000000").CheckLimits() == nil {
		t.Error("CheckLimits")
	}
	for _, in := range []string{`{"quantity": "1,5"}`, `{"quantity": "1.5"}`} {
		err := json.Unmarshal([]byte(in), &v)
		var te *json.UnmarshalTypeError
		if err == nil || !reflectAs(err, &te) || te.Field != "quantity" {
			t.Errorf("%s: %v, want a type error at field quantity", in, err)
		}
	}
	if err := json.Unmarshal([]byte(`{"quantity": "1,5"}`), &v); err == nil || !strings.Contains(err.Error(), "use a point") {
		t.Errorf("a decimal comma: %v", err)
	}
}

func reflectAs(err error, te **json.UnmarshalTypeError) bool {
	e, ok := err.(*json.UnmarshalTypeError)
	*te = e
	return ok
}

var tenth = 0.1 // a variable, so that 0.1 + 0.2 is computed in float64

func TestDecimalScan(t *testing.T) {
	for _, tc := range []struct {
		src  any
		want string
	}{
		{"222693.7", "222693.7"}, {[]byte("0.10"), "0.1"}, {int64(500000), "500000"},
		{222693.7, "222693.7"}, {77218.69999999995, "77218.69999999995"}, {tenth + 2*tenth, "0.30000000000000004"}, {nil, "0"},
	} {
		var d Decimal
		if err := d.Scan(tc.src); err != nil || d.String() != tc.want {
			t.Errorf("Scan(%v) = %s, %v; want %s", tc.src, d, err, tc.want)
		}
	}
	var d Decimal
	if err := d.Scan("1,5"); err == nil {
		t.Error("Scan of a comma succeeded")
	}
}

// TestDecimalCanonical: equal numbers have equal fields, so DeepEqual (used
// by tests and stored-versus-read comparisons) agrees with Cmp.
func TestDecimalCanonical(t *testing.T) {
	a := MustDecimal("1.50").Add(MustDecimal("1.5"))
	b := DecimalInt(3)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("1.50 + 1.5 and 3 differ in form: %#v %#v", a, b)
	}
	c := MustDecimal("0.1").Mul(DecimalInt(10))
	if !reflect.DeepEqual(c, DecimalInt(1)) {
		t.Errorf("0.1 × 10 and 1 differ in form")
	}
}

func TestGrouped(t *testing.T) {
	for in, want := range map[string]string{"479999.999": "479,999.999", "-1234": "-1,234", "12": "12", "1234567.5": "1,234,567.5", "0.5": "0.5"} {
		if got := MustDecimal(in).Grouped(","); got != want {
			t.Errorf("Grouped(%s) = %s, want %s", in, got, want)
		}
	}
}

// FuzzParseDecimal: the parser never panics; what it accepts is a plain
// figure (no comma, within the limits) that prints back as the same number
// and parses again to it, and agrees with math/big on its value.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1.5", "1,5", "222693.7", "-0.25", "1e5", "1E-3", "999999999999999.999999", "0.", ".5", "NaN", "1_000", "0x1p3", "00012.340", "-", "1e-7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			if strings.Contains(s, ",") && !strings.Contains(err.Error(), "use a point") && !strings.ContainsAny(s[:strings.Index(s, ",")], "eE") {
				if _, err2 := ParseDecimal(s[:strings.Index(s, ",")]); err2 == nil {
					t.Fatalf("%q: a comma after a good figure should say use a point, said %v", s, err)
				}
			}
			return
		}
		if strings.Contains(s, ",") {
			t.Fatalf("%q accepted with a comma", s)
		}
		out := d.String()
		if strings.ContainsAny(out, "eE+") {
			t.Fatalf("%q printed as %q", s, out)
		}
		again, err := ParseDecimal(out)
		if err != nil || again.Cmp(d) != 0 || !reflect.DeepEqual(again, d) {
			t.Fatalf("%q -> %q -> %v, %v", s, out, again, err)
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("%q accepted but math/big refuses it", s)
		}
		if r2, _ := new(big.Rat).SetString(out); r.Cmp(r2) != 0 {
			t.Fatalf("%q is %s, printed %q", s, r.FloatString(10), out)
		}
		if d.Places() > MaxPlaces {
			t.Fatalf("%q has %d places", s, d.Places())
		}
	})
}

// TestFastPathsAgree: the 64-bit fast paths give what exact rational
// arithmetic gives, including near their overflow limits, where they hand
// over to apd.
func TestFastPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	gen := func() Decimal {
		var c uint64
		switch rng.IntN(4) {
		case 0:
			c = rng.Uint64N(1000)
		case 1:
			c = rng.Uint64N(1e12)
		case 2:
			c = rng.Uint64()
		default:
			c = ^uint64(0) - rng.Uint64N(1000)
		}
		return fromSmall(rng.IntN(3) == 0, c, -int32(rng.IntN(10)))
	}
	rat := func(d Decimal) *big.Rat {
		r, ok := new(big.Rat).SetString(d.String())
		if !ok {
			t.Fatalf("%s", d)
		}
		return r
	}
	roundRat := func(r *big.Rat, places int32) string {
		// half-even at places, by integer arithmetic on r × 10^places
		scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
		x := new(big.Rat).Mul(r, new(big.Rat).SetInt(scale))
		q, m := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
		twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
		if c := twice.Cmp(x.Denom()); c > 0 || c == 0 && q.Bit(0) == 1 {
			if x.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
		return new(big.Rat).SetFrac(q, scale).FloatString(int(places))
	}
	for i := 0; i < 20000; i++ {
		a, b := gen(), gen()
		ra, rb := rat(a), rat(b)
		if got, want := rat(a.Add(b)), new(big.Rat).Add(ra, rb); got.Cmp(want) != 0 {
			t.Fatalf("%s + %s = %s, want %s", a, b, got.FloatString(12), want.FloatString(12))
		}
		if got, want := rat(a.Sub(b)), new(big.Rat).Sub(ra, rb); got.Cmp(want) != 0 {
			t.Fatalf("%s - %s = %s", a, b, got.FloatString(12))
		}
		if got, want := rat(a.Mul(b)), new(big.Rat).Mul(ra, rb); got.Cmp(want) != 0 {
			t.Fatalf("%s × %s = %s", a, b, got.FloatString(12))
		}
		if got, want := a.Cmp(b), ra.Cmp(rb); got != want {
			t.Fatalf("cmp(%s, %s) = %d, want %d", a, b, got, want)
		}
		places := int32(rng.IntN(7))
		if got, want := rat(a.Round(places)), roundRat(ra, places); got.FloatString(int(places)) != want {
			t.Fatalf("round(%s, %d) = %s, want %s", a, places, got.FloatString(int(places)), want)
		}
		if b.Sign() != 0 {
			q, _ := a.QuoRound(b, places)
			if want := roundRat(new(big.Rat).Quo(ra, rb), places); rat(q).FloatString(int(places)) != want && len(want) < 34 {
				t.Fatalf("%s / %s to %d = %s, want %s", a, b, places, q, want)
			}
		}
	}
}

// TestIndexExponent holds indexExponent to strings.IndexAny(s, "eE").
func TestIndexExponent(t *testing.T) {
	for _, s := range []string{"", "1", "1e5", "1E5", "1.5e-3", "e", "E", "xe", "12345", "é1e2", "\xffE", "1,5", "NaN", "Inf", "-1.5E+2", "eE"} {
		if got, want := indexExponent(s), strings.IndexAny(s, "eE"); got != want {
			t.Errorf("indexExponent(%q) = %d, want %d", s, got, want)
		}
	}
}
