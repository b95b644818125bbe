package server

// CSV downloads of the lists (the same filters as the page, every page of
// them) and of a plan's lines, and a plan's stored document as YAML or
// JSON so that an amendment starts from what was submitted.

import (
	"bytes"
	"encoding/csv"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
)

// csvCell neutralises a cell that a spreadsheet would read as a formula
// (CSV injection): tradeplan.CSVCell.
func csvCell(s string) string { return tradeplan.CSVCell(s) }

// csvOut collects rows, then writes them at once: a failure half way is a
// clean error page, never half a file.
type csvOut struct {
	buf bytes.Buffer
	w   *csv.Writer
}

func newCSV(head ...string) *csvOut {
	c := &csvOut{}
	c.w = csv.NewWriter(&c.buf)
	c.row(head...)
	return c
}

// row writes cells neutralised as tradeplan.CSVRow does: a plain number
// (a negative figure) as it is, any other cell that starts a formula with
// an apostrophe.
func (c *csvOut) row(cells ...string) {
	c.w.Write(tradeplan.CSVRow(cells))
}

func (u *ui) sendCSV(w http.ResponseWriter, name string, c *csvOut) error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return sendDownload(w, name, "text/csv; charset=utf-8", c.buf.Bytes())
}

func sendDownload(w http.ResponseWriter, name, ctype string, body []byte) error {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}

func csvTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func today() string { return time.Now().UTC().Format(time.DateOnly) }

func (u *ui) plansCSV(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	pq, err := planQuery(r.URL.Query())
	if err != nil {
		return err
	}
	names, err := u.orgNames(r.Context(), q.actor)
	if err != nil {
		return err
	}
	out := newCSV("plan", "title", "organisation_id", "organisation", "call", "status", "version", "late", "created_at", "submitted_at")
	pq.Limit = licensing.MaxPageSize
	for {
		pg, err := svc.PlanPage(r.Context(), q.actor, pq)
		if err != nil {
			return err
		}
		for _, p := range pg.Plans {
			out.row(strconv.FormatInt(p.ID, 10), p.Title, strconv.FormatInt(p.Organisation, 10), orgLabel(names, p.Organisation),
				strconv.FormatInt(p.CallID, 10), string(p.Status), strconv.Itoa(p.Version), strconv.FormatBool(p.Late),
				csvTime(&p.CreatedAt), csvTime(p.SubmittedAt))
		}
		if pg.Next == 0 {
			break
		}
		pq.Before = pg.Next
	}
	return u.sendCSV(w, "plans-"+today()+".csv", out)
}

func (u *ui) permitsCSV(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	pq, err := permitQuery(r.URL.Query())
	if err != nil {
		return err
	}
	names, err := u.orgNames(r.Context(), q.actor)
	if err != nil {
		return err
	}
	out := newCSV("permit", "holder_id", "holder", "plan", "line", "direction", "description", "hs", "unit", "quantity", "quantity_used",
		"quantity_left", "currency", "value", "value_used", "value_left", "valid_from", "valid_to", "status", "crossing", "border_open", "usable", "why_not")
	pq.Limit = licensing.MaxPageSize
	for {
		pg, err := svc.PermitPage(r.Context(), q.actor, pq)
		if err != nil {
			return err
		}
		for _, p := range pg.Permits {
			out.row(p.Number, strconv.FormatInt(p.Holder, 10), orgLabel(names, p.Holder), strconv.FormatInt(p.PlanID, 10), strconv.Itoa(p.Line),
				string(p.Direction), p.Description, p.HS, p.Unit, p.Quantity.String(), p.QuantityUsed.String(), p.QuantityLeft.String(),
				p.Currency, p.Value.String(), p.ValueUsed.String(), p.ValueLeft.String(), p.ValidFrom.UTC().Format(time.DateOnly),
				p.ValidTo.UTC().Format(time.DateOnly), string(p.Effective), p.Crossing, strconv.FormatBool(p.BorderOpen),
				strconv.FormatBool(p.Usable), p.Reason)
		}
		if pg.Next == 0 {
			break
		}
		pq.Before = pg.Next
	}
	return u.sendCSV(w, "permits-"+today()+".csv", out)
}

// auditCSVMax bounds the audit CSV: the newest this many entries of the
// selection.
const auditCSVMax = 100000

func (u *ui) auditCSV(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	f, err := auditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	out := newCSV("seq", "at", "actor", "org_id", "action", "subject", "before", "after", "hash")
	f.Limit = 1000
	for n := 0; n < auditCSVMax; {
		es, err := u.s.accounts.AuditLog(r.Context(), f)
		if err != nil {
			return err
		}
		for _, e := range es {
			out.row(strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.Actor, strconv.FormatInt(e.OrgID, 10),
				e.Action, e.Subject, string(e.Before), string(e.After), e.Hash)
		}
		n += len(es)
		if len(es) < f.Limit {
			break
		}
		f.BeforeSeq = es[len(es)-1].Seq
	}
	return u.sendCSV(w, "audit-"+today()+".csv", out)
}

// planLinesCSV writes the lines of a version of a plan (?version=N, the
// current one by default) with their screening and decisions.
func (u *ui) planLinesCSV(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	version, err := queryVersion(r, id)
	if err != nil {
		return err
	}
	d, err := svc.Plan(r.Context(), q.actor, id, version)
	if err != nil {
		return err
	}
	out := newCSV("line", "direction", "description", "applicant_hs", "assessed_hs", "screened_hs", "quantity", "unit", "value", "currency",
		"origin", "destination", "partner", "crossing", "verdict", "citations", "status", "permit", "needs")
	for _, l := range d.Lines {
		screened, verdict, partner, permit := "", "", "", ""
		if l.Screened != nil {
			screened = l.Screened.Code
		}
		if l.Verdict != nil {
			verdict = l.Verdict.String()
		}
		if l.Partner != nil {
			partner = l.Partner.Name
		}
		if l.Permit != nil {
			permit = l.Permit.Number
		}
		var cites []string
		for _, f := range l.Findings {
			if c := f.Citation(); c != "" {
				cites = append(cites, c)
			}
		}
		out.row(strconv.Itoa(l.Index), string(l.Direction), l.Description, l.ApplicantHS, l.AssessedHS, screened, l.Quantity.String(), l.Unit,
			l.Value.String(), l.Currency, l.Origin, l.Destination, partner, l.Crossing, verdict, strings.Join(cites, "; "), l.Status, permit,
			strings.Join(l.Needs, "; "))
	}
	return u.sendCSV(w, "plan-"+strconv.FormatInt(id, 10)+"-v"+strconv.Itoa(d.Version)+"-lines.csv", out)
}

func queryVersion(r *http.Request, id int64) (int, error) {
	s := r.URL.Query().Get("version")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no version %s", id, quoteShort(s))
	}
	return n, nil
}

// planDocument sends the stored document of a version of a plan as YAML or
// JSON (the plan format), to edit and upload as an amendment. The store
// keeps the plan as read, not the bytes uploaded: comments and layout of
// the original file are not kept.
func (u *ui) planDocument(f plan.Format) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		svc, err := u.service()
		if err != nil {
			return err
		}
		id, err := uiPathID(r, "plan")
		if err != nil {
			return err
		}
		version, err := queryVersion(r, id)
		if err != nil {
			return err
		}
		v, err := svc.PlanDocument(r.Context(), q.actor, id, version)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := plan.Write(&buf, &v.Plan, f); err != nil {
			return err
		}
		ext, ctype := "yaml", "application/yaml; charset=utf-8"
		if f == plan.JSON {
			ext, ctype = "json", "application/json; charset=utf-8"
		}
		return sendDownload(w, "plan-"+strconv.FormatInt(id, 10)+"-v"+strconv.Itoa(v.Version)+"."+ext, ctype, buf.Bytes())
	}
}
