// Package imports ranks a plan's import lines for a period in which foreign
// currency and border crossings are scarce: necessity tiers from HS codes,
// the currency budget that receipts and lawful exports give, the allocation
// of that budget by tier, and the schedule of what enters through which
// crossing in which week (docs/imports.md).
//
// It is pure: it takes plans with their screening reports and the
// authority's files (tiers, exchange rates, crossings), and returns every
// line's outcome with its reasons. The greedy allocator is the auditable
// answer; WhatIf solves the same ranking as a linear programme for
// comparing budgets.
package imports
