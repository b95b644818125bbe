package store

import (
	"context"
	"strconv"
)

// CallReportStamp says when what call id's report rests on last changed:
// the number and the last id of the rows the triggers of migration 0320
// added for the call and for every call. Rows are only added, in the
// transaction of the change, so two reads give the same stamp only when
// no such change committed between them.
func (t *licTx) CallReportStamp(ctx context.Context, id int64) (string, error) {
	var n, last int64
	err := t.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM call_report_changes WHERE call_id IN (0, ?)", id).Scan(&n, &last)
	if err != nil {
		return "", t.db.dbErr(err, "call report stamp")
	}
	return strconv.FormatInt(n, 10) + "/" + strconv.FormatInt(last, 10), nil
}
