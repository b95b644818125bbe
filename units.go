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
	Base      float64 // size in the dimension's base unit: kg, l, piece, m2, m, kWh
}

var units = []Unit{
	{"t", "tonne", Mass, 1000},
	{"kg", "kilogram", Mass, 1},
	{"g", "gram", Mass, 0.001},
	{"lb", "pound", Mass, 0.45359237},
	{"l", "litre", Volume, 1},
	{"m3", "cubic metre", Volume, 1000},
	{"bbl", "barrel (42 US gallons)", Volume, 158.987294928},
	{"gal", "US gallon", Volume, 3.785411784},
	{"pcs", "piece", Count, 1},
	{"pairs", "pair", Count, 2},
	{"doz", "dozen", Count, 12},
	{"m2", "square metre", Area, 1},
	{"m", "metre", Length, 1},
	{"kwh", "kilowatt-hour", Energy, 1},
	{"mwh", "megawatt-hour", Energy, 1000},
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

// ConvertUnit converts quantity q from unit from to unit to. It fails when
// either unit is unknown or the dimensions differ.
func ConvertUnit(q float64, from, to string) (float64, error) {
	f, ok := LookupUnit(from)
	if !ok {
		return 0, Errorf(EInvalid, "unknown unit %q", from)
	}
	t, ok := LookupUnit(to)
	if !ok {
		return 0, Errorf(EInvalid, "unknown unit %q", to)
	}
	if f.Dimension != t.Dimension {
		return 0, Errorf(EInvalid, "cannot convert %s (%s) to %s (%s) without a conversion factor", f.Symbol, f.Dimension, t.Symbol, t.Dimension)
	}
	if f.Symbol == t.Symbol {
		return q, nil
	}
	return q * f.Base / t.Base, nil
}
