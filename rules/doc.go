// Package rules owns goods sanctions rules: the YAML rule pack format, the
// embedded packs (the UN DPRK (1718) regime), the evaluator that screens one
// resolved line against every pack through an index on the HS code, the
// explanation of which rules matched and why near ones did not, and the cap
// ledger that accounts quantities cumulatively across the lines of a plan.
//
// The evaluator is pure and safe for concurrent use: ScreenGoods depends on
// its argument and the loaded packs only. The ledger is not: it is used from
// one goroutine, in line order.
package rules
