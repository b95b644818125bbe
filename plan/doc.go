// Package plan owns the input documents of tradeplan: trade plan documents in
// YAML and JSON (one schema), bulk line files in CSV, and everything needed to
// turn what a user wrote into resolved tradeplan.Lines: validation with every
// problem reported at its file, line, column and path, ISO 3166 country codes
// with common names and aliases, ISO 4217 currency codes, units through
// tradeplan.LookupUnit, and plan periods (2027-H1, 2027-Q3, 2027, from/to).
//
// Parse and Read return a whole *tradeplan.Plan or nothing: a document with
// any problem yields an EInvalid *tradeplan.Error that lists them all.
// CSVReader streams a bulk file line by line for the screening pipeline; a bad
// row is an error for that row only, and reading goes on. Write writes a plan
// back out in any of the three formats.
//
// The format is documented in docs/plan-format.md and docs/plan.schema.json.
package plan
