package server

import (
	"net/http"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/store"
)

type auditView struct {
	Entries []tradeplan.AuditEntry
	Verify  *store.VerifyResult
}

// audit shows the newest entries of the actor's subtree (administrators and
// compliance officers, as GET /api/v1/audit) and, to administrators, the
// result of walking the chain (as GET /api/v1/audit/verify).
func (u *ui) audit(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	a := q.actor
	if err := requireRole(a, tradeplan.RoleAdmin, tradeplan.RoleCompliance); err != nil {
		return err
	}
	ctx := r.Context()
	res, err := u.s.store.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	const n = 100
	entries, err := u.s.store.AuditLog(ctx, store.AuditFilter{OrgIDs: a.Subtree, AfterSeq: max(0, res.HeadSeq-5*n), Limit: 5 * n})
	if err != nil {
		return err
	}
	if len(entries) > n {
		entries = entries[len(entries)-n:]
	}
	for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
		entries[i], entries[j] = entries[j], entries[i]
	}
	v := auditView{Entries: entries}
	if a.User.Role == tradeplan.RoleAdmin {
		v.Verify = &res
	}
	u.render(w, r, http.StatusOK, "audit", q, page{Title: "Audit log", Nav: "audit", Data: v})
	return nil
}
