// Package examples embeds the example plans of the repository, so that
// `tradeplan serve --demo` works from any directory with the binary alone.
package examples

import "embed"

// FS holds the example plan documents, line files and site files.
//
//go:embed *.yaml *.csv sites/*.yaml
var FS embed.FS
