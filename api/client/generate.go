package client

// The client is generated from ../openapi.json by oapi-codegen, at the
// version go.mod's tool directive pins; cfg.yaml says what is generated and
// why. Regenerate after changing the document with
//
//	go generate ./api/...
//
// TestGeneratedUpToDate fails when the committed client.gen.go differs from
// what this command writes.

//go:generate go tool oapi-codegen -config cfg.yaml ../openapi.json
