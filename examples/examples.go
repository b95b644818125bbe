// Package examples embeds the example plans of the repository, so that
// `tradeplan serve --demo` works from any directory with the binary alone.
package examples

import "embed"

// FS holds the example plan documents and line files.
//
//go:embed *.yaml *.csv
var FS embed.FS
