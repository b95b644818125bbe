package server

import (
	"net/http"

	"github.com/tradeplan/tradeplan"
)

type auditView struct {
	Entries []tradeplan.AuditEntry
	Verify  *tradeplan.AuditVerification
}

// audit shows the newest entries of the actor's subtree (administrators and
// compliance officers, as GET /api/v1/audit) and, to administrators, the
// result of walking the chain (as GET /api/v1/audit/verify).
func (u *ui) audit(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	entries, res, err := u.s.accounts.AuditTail(r.Context(), 100)
	if err != nil {
		return err
	}
	v := auditView{Entries: entries, Verify: res}
	u.render(w, r, http.StatusOK, "audit", q, page{Title: "Audit log", Nav: "audit", Data: v})
	return nil
}
