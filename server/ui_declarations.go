package server

import (
	"bytes"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/tradeplan/tradeplan/licensing"
)

// The page for loading a batch of customs declarations from a CSV file:
// the form, every problem of a rejected file placed beside it (nothing of
// it is loaded), and the result of a loaded batch with its flags.

type declImportView struct {
	Batch   string
	Error   *errorView
	Result  *licensing.IntakeResult
	Summary string                  // what the batch changed, in a sentence
	Flagged []licensing.Declaration // the batch's flagged declarations, at most declImportShown
	More    int                     // flagged declarations not shown
}

// declImportShown bounds the flagged declarations the result lists; the
// declarations page lists the rest.
const declImportShown = 200

func (u *ui) declarationsImportPage(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	u.render(w, r, http.StatusOK, "declarations-import", q, page{Title: "Load declarations", Nav: "declarations", Data: declImportView{}})
	return nil
}

func (u *ui) importDeclarationsForm(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	v := declImportView{Batch: strings.TrimSpace(r.PostForm.Get("batch"))}
	res, err := u.importDeclarations(r, q, &v)
	status := http.StatusOK
	if err != nil {
		ev := u.errorView(r, err)
		if ev.Status >= 500 {
			return err
		}
		v.Error, status = &ev, ev.Status
	} else {
		v.Result, v.Summary = &res, declImportSummary(res)
		for _, d := range res.Current {
			if len(d.Flags) == 0 {
				continue
			}
			if len(v.Flagged) < declImportShown {
				v.Flagged = append(v.Flagged, d)
			} else {
				v.More++
			}
		}
	}
	u.render(w, r, status, "declarations-import", q, page{Title: "Load declarations", Nav: "declarations", Data: v})
	return nil
}

func (u *ui) importDeclarations(r *http.Request, q *uiReq, v *declImportView) (licensing.IntakeResult, error) {
	name, body, err := formDocument(r, "file", r.PostForm.Get("document"))
	if err != nil {
		return licensing.IntakeResult{}, err
	}
	if v.Batch == "" && name != "pasted" {
		v.Batch = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	in, err := licensing.ReadDeclarationsCSV(bytes.NewReader(body), name)
	if err != nil {
		return licensing.IntakeResult{}, err
	}
	return u.svc.ImportDeclarations(r.Context(), q.actor, v.Batch, in)
}

// declImportSummary says in a sentence what a batch changed.
func declImportSummary(r licensing.IntakeResult) string {
	if r.Replayed {
		return fmt.Sprintf("Batch %s was loaded before with the same content: nothing changed.", r.Batch)
	}
	return fmt.Sprintf("Batch %s: %d new, %d corrected, %d unchanged; %d flagged; %d cases opened.", r.Batch, r.Loaded, r.Corrected, r.Unchanged, r.Flagged, r.Cases)
}

// investigateCase sets a case to investigating, with a note when given.
func (u *ui) investigateCase(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	c, err := u.svc.ChangeCase(r.Context(), q.actor, id, licensing.CaseChange{Investigate: true, Note: r.PostForm.Get("note")})
	if err != nil {
		return err
	}
	return u.redirect(w, r, fmt.Sprintf("/cases#case-%d", c.ID), fmt.Sprintf("Case %d is being investigated.", c.ID))
}

// noteCase adds a note to a case.
func (u *ui) noteCase(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	id, err := pathID(r, "case")
	if err != nil {
		return err
	}
	c, err := u.svc.ChangeCase(r.Context(), q.actor, id, licensing.CaseChange{Note: r.PostForm.Get("note")})
	if err != nil {
		return err
	}
	return u.redirect(w, r, fmt.Sprintf("/cases#case-%d", c.ID), fmt.Sprintf("Note added to case %d.", c.ID))
}
