package store

// planRowColumns reads, from plan_versions v, the stored report's summary
// (JSON text, or NULL) and the number of lines of the document.
func (postgresDialect) planRowColumns() string {
	return "(v.report::json -> 'summary')::text, json_array_length(v.plan::json -> 'Lines')"
}
