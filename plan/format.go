package plan

import (
	"mime"
	"path/filepath"
	"strings"
)

// Format is the syntax of an input file.
type Format string

const (
	YAML Format = "yaml"
	JSON Format = "json"
	CSV  Format = "csv"
)

// Formats lists the formats, for usage messages.
var Formats = []Format{YAML, JSON, CSV}

// FormatFromName returns the format a file name's extension stands for
// (.yaml, .yml, .json, .csv, in any case).
func FormatFromName(file string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".yaml", ".yml":
		return YAML, true
	case ".json":
		return JSON, true
	case ".csv":
		return CSV, true
	}
	return "", false
}

// FormatFromContentType returns the format of an HTTP Content-Type
// (application/yaml, application/x-yaml, text/yaml, application/json,
// text/csv), ignoring parameters such as charset.
func FormatFromContentType(ct string) (Format, bool) {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(ct))
	}
	switch mt {
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
		return YAML, true
	case "application/json":
		return JSON, true
	case "text/csv":
		return CSV, true
	}
	return "", false
}

// ParseFormat reads a format name ("yaml", "yml", "json", "csv"), as given
// to a --input-format flag.
func ParseFormat(s string) (Format, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yaml", "yml":
		return YAML, true
	case "json":
		return JSON, true
	case "csv":
		return CSV, true
	}
	return "", false
}
