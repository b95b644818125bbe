package tradeplan

import (
	"strings"
)

// Dimension is what a unit measures. Quantities convert freely within a
// dimension; across dimensions (barrels to tonnes) only with a factor that
// depends on the goods, which the caller supplies.
type Dimension string

const (
	Mass   Dimension = "mass"
	Volume Dimension = "volume"
	Count  Dimension = "count"
	Area   Dimension = "area"
	Length Dimension = "length"
	Energy Dimension = "energy"
)

// Unit is a canonical unit of quantity.
type Unit struct {
	Symbol    string // canonical symbol: "t", "kg", "bbl", ...
	Name      string
	Dimension Dimension
	Base      Decimal // size in the dimension's base unit: kg, l, piece, m2, m, kWh; exact by definition
	// Places is the unit's precision: a figure computed in the unit (a
	// conversion, a proportional draw) is rounded half-even to it.
	Places int32
}

// The factors are exact by definition (docs/quantities.md): the pound is
// 0.45359237 kg (international yard and pound agreement, 1959), the US
// gallon 231 cubic inches = 3.785411784 l, the barrel 42 US gallons.
var units = []Unit{
	{"t", "tonne", Mass, MustDecimal("1000"), 3},
	{"kg", "kilogram", Mass, MustDecimal("1"), 3},
	{"g", "gram", Mass, MustDecimal("0.001"), 0},
	{"lb", "pound", Mass, MustDecimal("0.45359237"), 3},
	{"l", "litre", Volume, MustDecimal("1"), 3},
	{"m3", "cubic metre", Volume, MustDecimal("1000"), 3},
	{"bbl", "barrel (42 US gallons)", Volume, MustDecimal("158.987294928"), 3},
	{"gal", "US gallon", Volume, MustDecimal("3.785411784"), 3},
	{"pcs", "piece", Count, MustDecimal("1"), 0},
	{"pairs", "pair", Count, MustDecimal("2"), 0},
	{"doz", "dozen", Count, MustDecimal("12"), 0},
	{"m2", "square metre", Area, MustDecimal("1"), 3},
	{"m", "metre", Length, MustDecimal("1"), 3},
	{"kwh", "kilowatt-hour", Energy, MustDecimal("1"), 3},
	{"mwh", "megawatt-hour", Energy, MustDecimal("1000"), 3},
}

// unitAliases maps written forms (lower case) to canonical symbols.
var unitAliases = map[string]string{
	"tonne": "t", "tonnes": "t", "ton": "t", "tons": "t", "mt": "t", "metric ton": "t", "metric tons": "t", "tne": "t",
	"kilogram": "kg", "kilograms": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg",
	"gram": "g", "grams": "g", "gr": "g",
	"pound": "lb", "pounds": "lb", "lbs": "lb",
	"litre": "l", "litres": "l", "liter": "l", "liters": "l", "ltr": "l",
	"cubic metre": "m3", "cubic metres": "m3", "cubic meter": "m3", "cubic meters": "m3", "cbm": "m3", "m³": "m3",
	"barrel": "bbl", "barrels": "bbl", "bbls": "bbl",
	"gallon": "gal", "gallons": "gal",
	"piece": "pcs", "pieces": "pcs", "pc": "pcs", "unit": "pcs", "units": "pcs", "u": "pcs", "nos": "pcs", "no": "pcs", "each": "pcs", "head": "pcs",
	"pair": "pairs", "pr": "pairs", "prs": "pairs",
	"dozen": "doz", "dz": "doz",
	"square metre": "m2", "square metres": "m2", "square meter": "m2", "square meters": "m2", "sqm": "m2", "m²": "m2",
	"metre": "m", "metres": "m", "meter": "m", "meters": "m",
	"kw·h": "kwh", "kw h": "kwh", "kilowatt-hour": "kwh", "kilowatt hours": "kwh",
	"megawatt-hour": "mwh",
}

// LookupUnit returns the canonical unit for a written unit ("tonnes", "KG",
// "bbl"), case-insensitively.
func LookupUnit(s string) (Unit, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	if a, ok := unitAliases[k]; ok {
		k = a
	}
	for _, u := range units {
		if u.Symbol == k {
			return u, true
		}
	}
	return Unit{}, false
}

// Units lists the canonical units.
func Units() []Unit { return append([]Unit(nil), units...) }

// ConvertUnit converts quantity q from unit from to unit to, rounded
// half-even to the places of to. It fails when either unit is unknown or
// the dimensions differ.
func ConvertUnit(q Decimal, from, to string) (Decimal, error) {
	f, ok := LookupUnit(from)
	if !ok {
		return Decimal{}, Errorf(EInvalid, "unknown unit %q", from)
	}
	t, ok := LookupUnit(to)
	if !ok {
		return Decimal{}, Errorf(EInvalid, "unknown unit %q", to)
	}
	if f.Dimension != t.Dimension {
		return Decimal{}, Errorf(EInvalid, "cannot convert %s (%s) to %s (%s) without a conversion factor", f.Symbol, f.Dimension, t.Symbol, t.Dimension)
	}
	return Convert(q, f, t), nil
}

// Convert is the one place quantities change unit within a dimension: it
// scales by the units' exact sizes and rounds half-even to to.Places, once,
// at the end, so that t to kg and back are exact. A quantity already in to
// is returned as written.
func Convert(q Decimal, from, to Unit) Decimal {
	if from.Symbol == to.Symbol {
		return q // as written: no rounding without a conversion
	}
	r, _ := q.Mul(from.Base).QuoRound(to.Base, to.Places)
	return r
}

// ConvertAcross converts q from unit from into unit to of another dimension
// by a factor given per unit via (of from's dimension): 8.5 bbl per t
// counts 2,000 kg as 17 bbl. The factor and its source come from the rule
// pack that needs it; the result is rounded half-even to to.Places once.
func ConvertAcross(q Decimal, from, via Unit, factor Decimal, to Unit) Decimal {
	inVia := q
	if from.Symbol != via.Symbol {
		inVia, _ = q.Mul(from.Base).QuoRound(via.Base, 30)
	}
	return inVia.Mul(factor).Round(to.Places)
}
