package server

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// Enforcement's API and pages: permits anyone can verify. The rules are
// package licensing's (enforce_verify.go) and permitsig's.

// maxSignedPermit bounds a signed permit sent to be verified: the form is a
// few hundred bytes; a description may make it a few kilobytes.
const maxSignedPermit = 64 << 10

// enforceAPI holds the service enforcement's handlers call; its routes are
// in routes.go.
type enforceAPI struct {
	s   *Server
	svc *licensing.Service
}

func newEnforceAPI(s *Server) *enforceAPI {
	e := &enforceAPI{s: s}
	if s.store != nil {
		e.svc = newLicensingService(s)
	}
	return e
}

func (e *enforceAPI) need(f handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if e.svc == nil {
			return tradeplan.Errorf(tradeplan.EInternal, "no store configured")
		}
		return f(w, r)
	}
}

// open serves f to anyone: verifying a permit needs no account.
func (e *enforceAPI) open(f handlerFunc) http.Handler { return e.s.handle(e.need(f)) }

// h serves f to a signed-in actor.
func (e *enforceAPI) h(f handlerFunc) http.Handler { return e.s.authed(e.need(f)) }

func (e *enforceAPI) verifyNumber(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "code")
	if err != nil {
		return err
	}
	if err := e.s.verifyAllowed(r); err != nil {
		return err
	}
	v, err := e.svc.VerifyNumber(r.Context(), r.PathValue("number"), q.Get("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (e *enforceAPI) verifyDocument(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	if mt := mediaType(r); mt != "text/plain" {
		return unsupportedMedia(r, "text/plain")
	}
	if err := e.s.verifyAllowed(r); err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSignedPermit+1))
	if err != nil {
		return jsonError(err)
	}
	if len(body) > maxSignedPermit {
		return tradeplan.Errorf(tradeplan.EInvalid, "signed permit: more than %d bytes", maxSignedPermit)
	}
	v, err := e.svc.VerifyDocument(r.Context(), body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (e *enforceAPI) listKeys(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	ks, err := e.svc.SigningKeys(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"keys": ks})
	return nil
}

func (e *enforceAPI) rotateKey(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	k, err := e.svc.RotateSigningKey(r.Context(), actor(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, k)
	return nil
}

func (e *enforceAPI) signedPermit(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "permit")
	if err != nil {
		return err
	}
	s, err := e.svc.SignedPermit(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	b := s.Text()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}

// ---- declarations ----

type declarationsRequest struct {
	Batch        string                      `json:"batch"`
	Declarations []licensing.DeclarationJSON `json:"declarations"`
}

// importDeclarations loads a batch: JSON ({"batch", "declarations"}) or a
// declaration file as text/csv with ?batch=ID. 201 when it loaded, 200 for
// a replay that changed nothing.
func (e *enforceAPI) importDeclarations(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "batch")
	if err != nil {
		return err
	}
	var batch string
	var in []licensing.DeclarationInput
	switch mediaType(r) {
	case "application/json":
		var req declarationsRequest
		if err := decodeJSON(r, &req); err != nil {
			return err
		}
		if batch = req.Batch; batch == "" {
			batch = q.Get("batch")
		}
		if in, err = licensing.DeclarationsFromJSON(req.Declarations); err != nil {
			return err
		}
	case "text/csv":
		batch = q.Get("batch")
		if in, err = licensing.ReadDeclarationsCSV(r.Body, "request.csv"); err != nil {
			return err
		}
	default:
		return unsupportedMedia(r, "application/json", "text/csv")
	}
	res, err := e.svc.ImportDeclarations(r.Context(), actor(r), batch, in)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, intakeAnswer{IntakeResult: res, DeclarationsURL: declarationsPageURL(res.Batch, nil)})
	return nil
}

func (e *enforceAPI) listDeclarations(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "batch", "permit", "flagged", "limit", "after")
	if err != nil {
		return err
	}
	f := licensing.DeclarationFilter{Batch: q.Get("batch"), Flagged: q.Get("flagged") == "true", Limit: 1000}
	if a := q.Get("after"); a != "" {
		if f.After, err = parseDeclarationCursor(a); err != nil {
			return err
		}
	}
	if f.PermitID, err = queryID(q, "permit"); err != nil {
		return err
	}
	if n, ok, err := queryInt(q, "limit", 1, 10000); err != nil {
		return err
	} else if ok {
		f.Limit = int(n)
	}
	ds, err := e.svc.Declarations(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	if len(ds) == f.Limit {
		setNextLink(w, r, ds[len(ds)-1])
	}
	writeJSON(w, http.StatusOK, ds)
	return nil
}

type toleranceRequest struct {
	Percent tradeplan.Decimal `json:"percent"`
}

func (e *enforceAPI) setTolerance(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req toleranceRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	unit := r.PathValue("unit")
	if err := e.svc.SetTolerance(r.Context(), actor(r), unit, req.Percent); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"unit": unit, "percent": req.Percent})
	return nil
}

// ---- cases ----

func (e *enforceAPI) listCases(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "status", "assignee")
	if err != nil {
		return err
	}
	f := licensing.CaseFilter{Status: q.Get("status")}
	if f.Status != "" && f.Status != licensing.CaseOpen && f.Status != licensing.CaseInvestigating && f.Status != licensing.CaseClosed {
		return tradeplan.Errorf(tradeplan.EInvalid, "status: want open, investigating or closed")
	}
	if f.Assignee, err = queryID(q, "assignee"); err != nil {
		return err
	}
	cs, err := e.svc.Cases(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cs)
	return nil
}

func (e *enforceAPI) getCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	c, err := e.svc.CaseByID(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

type caseRequest struct {
	Assignee    int64  `json:"assignee"`
	Investigate bool   `json:"investigate"`
	Note        string `json:"note"`
	Close       bool   `json:"close"`
	Outcome     string `json:"outcome"`
	Reason      string `json:"reason"`
}

func (e *enforceAPI) changeCase(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	var req caseRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	c, err := e.svc.ChangeCase(r.Context(), actor(r), id, licensing.CaseChange(req))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (e *enforceAPI) rescreen(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	res, err := e.svc.Rescreen(r.Context(), actor(r), req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// ---- pages ----

type permitPrintView struct {
	Permit  licensing.PermitView
	Holder  string
	Signed  string
	Key     string
	Code    string        // the verification code (permitsig.VerificationCode)
	QR      template.HTML // an SVG of the signed form
	QRError string
}

// permitPrint is the printable permit: its fields, and a QR code of its
// signed form that a customs officer's phone verifies offline.
func (u *ui) permitPrint(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	id, err := pathID(r, "permit")
	if err != nil {
		return err
	}
	p, err := u.svc.Permit(r.Context(), q.actor, id)
	if err != nil {
		return err
	}
	s, err := u.svc.SignedPermit(r.Context(), q.actor, id)
	if err != nil {
		return err
	}
	v := permitPrintView{Permit: p, Holder: s.HolderName, Signed: string(s.Text()), Key: s.Key, Code: s.VerificationCode()}
	if svg, err := qrSVG(s.Text()); err != nil {
		// Too long a description for one code: the text below is the permit.
		v.QRError = "the signed permit is too long for one QR code; verify it from the text below"
	} else {
		v.QR = svg
	}
	u.render(w, r, http.StatusOK, "permit-print", q, page{Title: "Permit " + p.Number, Nav: "permits", Data: v})
	return nil
}

// qrSVG draws data as a QR code (medium error correction) in SVG, one path
// of unit squares, with no style attribute (the pages' CSP allows none).
func qrSVG(data []byte) (template.HTML, error) {
	code, err := qrcode.New(string(data), qrcode.Medium)
	if err != nil {
		return "", err
	}
	bm := code.Bitmap() // with its quiet zone
	n := len(bm)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="320" height="320" shape-rendering="crispEdges" role="img" aria-label="QR code of the signed permit">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bm {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil // built here from numbers only
}

type verifyPageView struct {
	Number string
	Code   string
	Text   string
	Result *licensing.Verification
	Error  string
}

// verifyPage checks a permit by its number and the verification code
// printed on it, with no account.
func (u *ui) verifyPage(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	v := verifyPageView{Number: strings.TrimSpace(r.URL.Query().Get("number")), Code: strings.TrimSpace(r.URL.Query().Get("code"))}
	if v.Number != "" {
		if len(v.Number) > 64 || len(v.Code) > 64 {
			return tradeplan.Errorf(tradeplan.EInvalid, "number and code: at most 64 characters each")
		}
		if err := u.s.verifyAllowed(r); err != nil {
			return err
		}
		if v.Code == "" {
			v.Error = "Enter the verification code printed on the permit, beside its number and QR code."
		} else {
			res, err := u.svc.VerifyNumber(r.Context(), v.Number, v.Code)
			if err != nil {
				return err
			}
			v.Result = &res
		}
	}
	u.render(w, r, http.StatusOK, "verify", q, page{Title: "Verify a permit", Nav: "verify", Data: v})
	return nil
}

// declarationsPage lists the current declarations the user may see, with
// their flags.
func (u *ui) declarationsPage(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	flagged := r.URL.Query().Get("flagged") == "1"
	ds, err := u.svc.Declarations(r.Context(), q.actor, licensing.DeclarationFilter{Flagged: flagged, Limit: 500})
	if err != nil {
		return err
	}
	u.render(w, r, http.StatusOK, "declarations", q, page{Title: "Declarations", Nav: "declarations", Data: map[string]any{"Declarations": ds, "Flagged": flagged}})
	return nil
}

// casesPage is the compliance queue.
func (u *ui) casesPage(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	status := r.URL.Query().Get("status")
	if status != "" && status != licensing.CaseOpen && status != licensing.CaseInvestigating && status != licensing.CaseClosed {
		status = ""
	}
	cs, err := u.svc.Cases(r.Context(), q.actor, licensing.CaseFilter{Status: status})
	if err != nil {
		return err
	}
	u.render(w, r, http.StatusOK, "cases", q, page{Title: "Enforcement cases", Nav: "cases", Data: map[string]any{"Cases": cs, "Outcomes": licensing.CaseOutcomes}})
	return nil
}

func (u *ui) closeCase(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	c, err := u.svc.ChangeCase(r.Context(), q.actor, id, licensing.CaseChange{Close: true, Outcome: r.PostForm.Get("outcome"), Reason: r.PostForm.Get("reason")})
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/cases", fmt.Sprintf("Case %d is closed: %s.", c.ID, c.Outcome))
}

// verifyAllowed spends one of the client address's permit verifications.
func (s *Server) verifyAllowed(r *http.Request) error {
	if ok, wait := s.verifyIP.allow(limitKey(clientIP(r))); !ok {
		return s.rateLimited(r, wait, "permit verifications", "ip")
	}
	return nil
}
