package store

// planRowColumns reads, from plan_versions v, the stored report's summary
// (JSON text, or NULL) and the number of lines of the document.
func (sqliteDialect) planRowColumns() string {
	return "json_extract(v.report, '$.summary'), json_array_length(v.plan, '$.Lines')"
}
