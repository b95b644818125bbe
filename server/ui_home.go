package server

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/screen"
)

type homeView struct {
	Format string // the format chosen in the form
	Text   string // the pasted document, shown again
	Report *tradeplan.PlanReport
	Error  *errorView
	Work   *workView // the signed-in person's worklist (ui_work.go)
	AsOf   string    // the day whose rules apply, as typed; "" for today
}

// uiExamplePlan is a short plan for the landing page's "fill in an example"
// link: the report's province, one banned export and two imports. Partner
// names are invented.
const uiExamplePlan = `plan:
  id: example
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H1
lines:
  - direction: export
    description: salted pollack
    hs: "0305.69"
    quantity: 300
    unit: t
    value: 420000
    currency: USD
    partner: {name: Example Seafood Trading Co., country: CN}
    crossing: Namyang-Tumen
  - direction: import
    description: urea fertiliser
    hs: "3102.10"
    quantity: 4000
    unit: t
    value: 1400000
    currency: USD
    necessity: critical
    purpose: spring planting
    partner: {name: Example Agricultural Supplies Co., country: CN}
    crossing: Namyang-Tumen
  - direction: import
    description: diesel fuel
    hs: "2710.19"
    quantity: 500
    unit: t
    value: 450000
    currency: USD
    necessity: essential
    purpose: fishing fleet and generators
    partner: {name: Example Energy Co., country: CN}
    crossing: Rason-Quanhe
`

func (u *ui) home(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	v := homeView{Format: "auto"}
	if r.URL.Query().Get("example") != "" {
		v.Text, v.Format = uiExamplePlan, "yaml"
	}
	var err error
	if v.Work, err = u.workHome(w, r, q); err != nil {
		return err
	}
	u.render(w, r, http.StatusOK, "home", q, page{Title: "Screen a trade plan", Nav: "home", Data: v})
	return nil
}

// screen screens a pasted or uploaded plan document without signing in. It
// stores nothing. A document with problems is shown again with every problem
// at its line.
func (u *ui) screen(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	if err := u.s.screenAllowed(r); err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	v := homeView{Format: r.PostForm.Get("format"), Text: r.PostForm.Get("document"), AsOf: strings.TrimSpace(r.PostForm.Get("as_of"))}
	if v.Format == "" {
		v.Format = "auto"
	}
	status := http.StatusOK
	rep, err := u.screenForm(r, v.Format, v.Text, v.AsOf)
	if err != nil {
		ev := u.errorView(r, err)
		if ev.Status >= 500 {
			return err
		}
		v.Error, status = &ev, ev.Status
	} else {
		v.Report = &rep
	}
	u.render(w, r, status, "home", q, page{Title: "Screening report", Nav: "home", Data: v})
	return nil
}

func (u *ui) screenForm(r *http.Request, format, text, asOf string) (tradeplan.PlanReport, error) {
	var day time.Time
	if asOf != "" {
		var err error
		if day, err = plan.ParseDate(asOf); err != nil {
			return tradeplan.PlanReport{}, &tradeplan.Error{Code: tradeplan.EInvalid, Message: "as_of: want a date such as 2017-06-01, got " + quoteShort(asOf),
				Problems: []tradeplan.Problem{{Pos: tradeplan.Position{Path: "as_of"}, Message: "want a date such as 2017-06-01, got " + quoteShort(asOf)}}}
		}
	}
	name, body, err := formDocument(r, "file", text)
	if err != nil {
		return tradeplan.PlanReport{}, err
	}
	f, err := documentFormat(format, name, body)
	if err != nil {
		return tradeplan.PlanReport{}, err
	}
	// The same bound on screenings at once as the API's (acquireScreening).
	release, err := u.s.acquireScreening(r)
	if err != nil {
		return tradeplan.PlanReport{}, err
	}
	defer release()
	p, err := plan.ParseWith(body, name, f, u.s.planLimits())
	if err != nil {
		return tradeplan.PlanReport{}, err
	}
	sc := u.s.engine(r.Context(), PublicListsMaxAge).Screener
	if sc == nil {
		return tradeplan.PlanReport{}, tradeplan.Errorf(tradeplan.EInternal, "no screener configured")
	}
	// The landing page is public screening: lists and rules only, no
	// organisation's stored match decisions.
	return sc.Plan(r.Context(), p, screen.Options{NoDecisions: true, AsOf: day})
}

// formDocument returns the uploaded file of the form field, or else the
// pasted text.
func formDocument(r *http.Request, field, text string) (name string, body []byte, err error) {
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File[field]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return "", nil, err
			}
			defer f.Close()
			body, err := io.ReadAll(f)
			if err != nil {
				return "", nil, err
			}
			name := fhs[0].Filename
			if name == "" || len(name) > 200 || strings.ContainsAny(name, "/\\") {
				name = "upload"
			}
			return name, body, nil
		}
	}
	if strings.TrimSpace(text) == "" {
		return "", nil, tradeplan.Errorf(tradeplan.EInvalid, "paste a plan document or choose a file")
	}
	return "pasted", []byte(text), nil
}

// documentFormat is the format chosen, else the file's extension, else a
// guess from the first character: { or [ is JSON, a first line with commas
// and no colon is CSV, anything else YAML.
func documentFormat(choice, name string, body []byte) (plan.Format, error) {
	if choice != "" && choice != "auto" {
		f, ok := plan.ParseFormat(choice)
		if !ok {
			return "", tradeplan.Errorf(tradeplan.EInvalid, "format: want auto, yaml, json or csv")
		}
		return f, nil
	}
	if f, ok := plan.FormatFromName(name); ok {
		return f, nil
	}
	t := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return plan.JSON, nil
	}
	first, _, _ := bytes.Cut(t, []byte("\n"))
	if bytes.Count(first, []byte(",")) >= 2 && !bytes.Contains(first, []byte(":")) {
		return plan.CSV, nil
	}
	return plan.YAML, nil
}
