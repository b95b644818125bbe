// Package api holds the OpenAPI 3.1 document of the tradeplan JSON API,
// checked in as openapi.json and embedded in the binary. The server's tests
// check it against the routes that exist.
package api

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document, as JSON.
//
//go:embed openapi.json
var OpenAPI []byte
