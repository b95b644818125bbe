// Package feasibility owns the export-feasibility check: site files (the
// stock, supply, processing lines, shifts, workers and power of an
// organisation's sites), their parsing and validation with every problem
// placed at its file, line and field, and the check of each lawful export
// line of a screened plan against them: the quantity its site can deliver
// in the plan's period, the constraint that binds it, and the shift
// pattern, hours and extra workers its target would need.
//
// Lawfulness comes first: the check takes the screening report as input
// and never assesses a prohibited line. Lines of one site that draw on the
// same stock, lines, power or workers are solved together, by a greedy
// pass in plan order or as a linear programme minimising weighted
// shortfall (Options.Solver).
//
// The file format and the check are documented in docs/feasibility.md and
// docs/sites.schema.json.
package feasibility
