package store

import (
	"context"
	"strings"
	"unicode/utf8"
)

// planRowColumns reads, from plan_rows v, the stored report's summary
// (JSON text, or NULL) and the number of lines of the document, taken
// from the version's JSON when it was written (migration 0305).
func (sqliteDialect) planRowColumns() string {
	return "v.summary, v.lines"
}

// permitSearch narrows a search through permits_text (FTS5, trigram
// tokenizer, migration 0310) when the text is three characters or more
// and found in few permits; text found in many permits is found sooner by
// walking the newest permits, and a shorter one has no trigram.
func (sqliteDialect) permitSearch(ctx context.Context, t *licTx, s string) (string, []any, error) {
	if utf8.RuneCountInString(s) < 3 {
		return "", nil, nil
	}
	phrase := `"` + strings.ReplaceAll(strings.ToLower(s), `"`, `""`) + `"`
	var n int
	if err := t.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT rowid FROM permits_text WHERE permits_text MATCH ? LIMIT "+
		itoa(sparsePermits+1)+") s", phrase).Scan(&n); err != nil {
		return "", nil, t.db.dbErr(err, "permit search")
	}
	if n > sparsePermits {
		return "", nil, nil
	}
	return " AND id IN (SELECT rowid FROM permits_text WHERE permits_text MATCH ?)", []any{phrase}, nil
}

// permitOrder: SQLite's planner, which knows how many permits an index
// entry has on average but not that few are expired or match a search,
// would sort 40,000 issued permits through permits_status for a page of
// the newest, or walk 100,000 by rowid for none expired. So: "+id" lets it
// read a sparse selection through an index and sort it; NOT INDEXED makes
// it walk a dense one by rowid, newest first, to the end of the page.
func (sqliteDialect) permitOrder(sparse bool) (string, string) {
	if sparse {
		return "", " ORDER BY +id DESC"
	}
	return " NOT INDEXED", " ORDER BY id DESC"
}
