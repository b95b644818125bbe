package tradeplan

import "golang.org/x/text/currency"

// CurrencyPlaces is the number of decimals of a currency's minor unit, from
// ISO 4217 (USD 2, JPY 0, KPW 2, KWD 3), and 2 for a code ISO 4217 does not
// list. A money figure computed in the currency (a proportional draw, a
// value per unit) is rounded half-even to it.
func CurrencyPlaces(code string) int32 {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return int32(scale)
}

// Places is the precision of figures in unit, which is a unit symbol or a
// currency code: a unit's Places, a currency's minor unit.
func Places(unit string) int32 {
	if u, ok := LookupUnit(unit); ok {
		return u.Places
	}
	return CurrencyPlaces(unit)
}
