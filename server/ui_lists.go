package server

// Lists people work through on the pages: plans, permits and the audit log,
// a page at a time (keyset: ?before=ID), with filters and a search in the
// query string, and the same selection as CSV (csv.go).

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// uiPageSize is the rows of a list page.
const uiPageSize = 50

// pager is the navigation of a list page: how many rows match, links to the
// first and next pages and to the CSV of the whole selection.
type pager struct {
	Total int
	More  bool // more than Total: a search is counted to licensing.CountCap
	Shown int
	First string // "" on the first page
	Next  string // "" on the last page
	CSV   string
}

// listURL is path with the query values, without before when before is 0.
func listURL(path string, q url.Values, before int64) string {
	v := url.Values{}
	for k, vs := range q {
		if k != "before" && len(vs) > 0 && vs[0] != "" {
			v.Set(k, vs[0])
		}
	}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	if e := v.Encode(); e != "" {
		return path + "?" + e
	}
	return path
}

func newPager(path, csvPath string, q url.Values, total, shown int, next int64) pager {
	p := pager{Total: total, Shown: shown, CSV: listURL(csvPath, q, 0)}
	if q.Get("before") != "" {
		p.First = listURL(path, q, 0)
	}
	if next > 0 {
		p.Next = listURL(path, q, next)
	}
	return p
}

// queryLimit reads the rows per page, limit=N (1 to 500), uiPageSize by
// default.
func queryLimit(q url.Values) (int, error) {
	n, err := queryID(q, "limit")
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return uiPageSize, nil
	}
	if n > 500 {
		return 0, tradeplan.Errorf(tradeplan.EInvalid, "limit: at most 500 rows a page, got %d", n)
	}
	return int(n), nil
}

func queryText(q url.Values, name string) (string, error) {
	s := strings.TrimSpace(q.Get(name))
	if len(s) > 200 {
		return "", tradeplan.Errorf(tradeplan.EInvalid, "%s: at most 200 characters", name)
	}
	return s, checkValues(url.Values{name: {s}})
}

// planQuery reads the filters of the plans list: q (search in the title),
// status, org, call, late=1, before.
func planQuery(q url.Values) (licensing.PlanQuery, error) {
	var pq licensing.PlanQuery
	var err error
	if pq.Search, err = queryText(q, "q"); err != nil {
		return pq, err
	}
	switch s := tradeplan.PlanStatus(q.Get("status")); s {
	case "", tradeplan.PlanDraft, tradeplan.PlanSubmitted, tradeplan.PlanDecided:
		pq.Status = s
	default:
		return pq, tradeplan.Errorf(tradeplan.EInvalid, "status: want draft, submitted or decided, got %s", quoteShort(string(s)))
	}
	if pq.Org, err = queryID(q, "org"); err != nil {
		return pq, err
	}
	if pq.CallID, err = queryID(q, "call"); err != nil {
		return pq, err
	}
	if pq.Before, err = queryID(q, "before"); err != nil {
		return pq, err
	}
	pq.Late = q.Get("late") == "1"
	pq.Limit, err = queryLimit(q)
	return pq, err
}

// permitQuery reads the filters of the permits list: q (number, HS code or
// goods), status (effective), holder, crossing, direction, call, plan,
// before.
func permitQuery(q url.Values) (licensing.PermitQuery, error) {
	var pq licensing.PermitQuery
	var err error
	if pq.Search, err = queryText(q, "q"); err != nil {
		return pq, err
	}
	if s := tradeplan.PermitStatus(q.Get("status")); s != "" {
		if !licensing.ValidPermitStatus(s) {
			return pq, tradeplan.Errorf(tradeplan.EInvalid, "status: want issued, suspended, revoked, expired or exhausted, got %s", quoteShort(string(s)))
		}
		pq.Status = s
	}
	switch d := tradeplan.Direction(q.Get("direction")); d {
	case "", tradeplan.Export, tradeplan.Import:
		pq.Direction = d
	default:
		return pq, tradeplan.Errorf(tradeplan.EInvalid, "direction: want export or import, got %s", quoteShort(string(d)))
	}
	if pq.Crossing, err = queryText(q, "crossing"); err != nil {
		return pq, err
	}
	if pq.Holder, err = queryID(q, "holder"); err != nil {
		return pq, err
	}
	if pq.CallID, err = queryID(q, "call"); err != nil {
		return pq, err
	}
	if pq.PlanID, err = queryID(q, "plan"); err != nil {
		return pq, err
	}
	if pq.Before, err = queryID(q, "before"); err != nil {
		return pq, err
	}
	pq.Limit, err = queryLimit(q)
	return pq, err
}

// auditQuery reads the filters of the audit list: action (a prefix such as
// "plan." or "permit.suspend"), actor, subject, before (a seq).
func auditQuery(q url.Values) (tradeplan.AuditFilter, error) {
	f := tradeplan.AuditFilter{Newest: true}
	var err error
	if f.Limit, err = queryLimit(q); err != nil {
		return f, err
	}
	if f.Action, err = queryText(q, "action"); err != nil {
		return f, err
	}
	if f.Actor, err = queryText(q, "actor"); err != nil {
		return f, err
	}
	if f.Subject, err = queryText(q, "subject"); err != nil {
		return f, err
	}
	if f.BeforeSeq, err = queryID(q, "before"); err != nil {
		return f, err
	}
	return f, nil
}
