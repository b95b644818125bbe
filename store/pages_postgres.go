package store

import (
	"context"
	"unicode/utf8"
)

// planRowColumns reads, from plan_rows v, the stored report's summary
// (JSON text, or NULL) and the number of lines of the document, taken
// from the version's JSON when it was written (migration 0305).
func (postgresDialect) planRowColumns() string {
	return "v.summary, v.lines"
}

// permitSearch narrows a search of three characters or more through the
// trigram index permits_text (pg_trgm, migration 0310) over the number, HS
// code and description joined by spaces: every permit with the text in
// one of them has it in the join.
func (postgresDialect) permitSearch(ctx context.Context, t *licTx, s string) (string, []any, error) {
	if utf8.RuneCountInString(s) < 3 {
		return "", nil, nil
	}
	return ` AND tp_lower(number || ' ' || hs || ' ' || description) LIKE ? ESCAPE '\'`, []any{likeArg(s)}, nil
}
