package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"

	"github.com/tradeplan/tradeplan"
)

type auditView struct {
	Entries []auditRow
	Verify  *tradeplan.AuditVerification
	Filter  map[string]string
	Pager   pager
}

// auditRow is an entry with its change as a list of fields.
type auditRow struct {
	tradeplan.AuditEntry
	Changes []fieldChange
}

// fieldChange is one field of an audit entry that differs between before
// and after: a path such as "status" or "lines[2].quantity".
type fieldChange struct {
	Field, Before, After string
}

// audit lists the audit entries of the actor's subtree (administrators and
// compliance officers, as GET /api/v1/audit), newest first, a page at a
// time, filtered by action, actor and subject. Administrators also see the
// result of walking the chain (as GET /api/v1/audit/verify) on the first
// page.
func (u *ui) audit(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	f, err := auditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	v := auditView{Filter: map[string]string{}}
	for _, k := range []string{"action", "actor", "subject"} {
		v.Filter[k] = r.URL.Query().Get(k)
	}
	if f.BeforeSeq == 0 && f.Action == "" && f.Actor == "" && f.Subject == "" {
		// The tail: its verification, and the same scope check.
		_, res, err := u.s.accounts.AuditTail(r.Context(), 1)
		if err != nil {
			return err
		}
		v.Verify = res
	}
	limit := f.Limit
	f.Limit = limit + 1
	entries, err := u.s.accounts.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	var next int64
	if len(entries) > limit {
		entries = entries[:limit]
		next = entries[limit-1].Seq
	}
	for _, e := range entries {
		v.Entries = append(v.Entries, auditRow{AuditEntry: e, Changes: auditChanges(e.Before, e.After)})
	}
	v.Pager = newPager("/audit", "/audit.csv", r.URL.Query(), -1, len(entries), next)
	u.render(w, r, http.StatusOK, "audit", q, page{Title: "Audit log", Nav: "audit", Data: v})
	return nil
}

// auditChanges lists the fields that differ between two JSON documents,
// flattened to paths, in path order; values are shown as JSON scalars
// (strings without their quotes), "" for a field absent on one side.
func auditChanges(before, after json.RawMessage) []fieldChange {
	b, a := map[string]string{}, map[string]string{}
	flatten(before, "", b)
	flatten(after, "", a)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []fieldChange
	for k := range keys {
		if b[k] != a[k] {
			out = append(out, fieldChange{Field: k, Before: b[k], After: a[k]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// flatten writes the scalars of a JSON document into m by path. A document
// that is not JSON is one value at the path "(value)".
func flatten(raw json.RawMessage, path string, m map[string]string) {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		m["(value)"] = string(raw)
		return
	}
	flattenValue(v, path, m)
}

func flattenValue(v any, path string, m map[string]string) {
	name := path
	if name == "" {
		name = "(value)"
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			m[name] = "{}"
		}
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			flattenValue(e, p, m)
		}
	case []any:
		if len(x) == 0 {
			m[name] = "[]"
		}
		for i, e := range x {
			flattenValue(e, path+"["+strconv.Itoa(i)+"]", m)
		}
	case string:
		m[name] = x
	case nil:
		m[name] = "null"
	default:
		m[name] = jsonScalar(x)
	}
}

func jsonScalar(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}
