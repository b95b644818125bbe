package server

import (
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// formError is a form post the service refused, shown on the page the form
// is on: the error beside the form, in the user's words, and every field as
// it was typed. Action is the form's action path, which names the form.
type formError struct {
	Action string
	View   errorView
	Values url.Values
	// Placed is set once a template has shown the error beside its form;
	// the layout shows an error nobody placed under the page's content.
	Placed bool
}

// newFormError keeps what r posted (never the CSRF token) with the error.
func (u *ui) newFormError(r *http.Request, err error) *formError {
	vals := url.Values{}
	for k, vs := range r.PostForm {
		if k != csrfField {
			vals[k] = vs
		}
	}
	v := u.errorView(r, err)
	v.Message = fieldWords(v.Message)
	for i, p := range v.Problems {
		v.Problems[i] = fieldWords(p)
	}
	return &formError{Action: r.URL.Path, View: v, Values: vals}
}

// formFieldName is a form field's name as a message starts with it
// ("tonnes_per_week: want a number"), or after a comma.
var formFieldName = regexp.MustCompile(`(^|, )([a-z]+(?:_[a-z]+)+)(:| )`)

// fieldWords writes the form field names a message starts with as words:
// "tonnes_per_week: ..." -> "tonnes per week: ...".
func fieldWords(msg string) string {
	return formFieldName.ReplaceAllStringFunc(msg, func(m string) string { return strings.ReplaceAll(m, "_", " ") })
}

// actionQ is a form's action: path, with the query of the list the form is
// on (so that the page shown again after a refusal is that list).
func actionQ(path string, q url.Values) template.URL {
	if len(q) == 0 {
		return template.URL(path)
	}
	return template.URL(path + "?" + q.Encode())
}

// formErrFor is the error of the form with action, or nil (templates).
func formErrFor(fe *formError, action string) *errorView {
	if fe == nil || fe.Action != action {
		return nil
	}
	fe.Placed = true
	return &fe.View
}

// formVal is what was typed into field name of the form with action.
func formVal(fe *formError, action, name string) string {
	if fe == nil || fe.Action != action {
		return ""
	}
	return fe.Values.Get(name)
}

// formHas says whether value was posted for name (a ticked box, a chosen
// option) in the form with action.
func formHas(fe *formError, action, name, value string) bool {
	if fe == nil || fe.Action != action {
		return false
	}
	return slices.Contains(fe.Values[name], value)
}

// onForm runs the handler h of a form shown on the page page (a page's
// GET handler). When the service refuses the post, the page is shown again,
// at the error's status, with the error beside the form in the user's words
// and the form filled in as it was posted (templates: formErr, formVal and
// formHas with $.FormErr), instead of an error page at the POST URL. What
// the page must not show stays an error page: not found (another tree's
// record), a refusal of a form the page never offered to the user, and
// internal errors.
func (u *ui) onForm(h, page uiHandler) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		err := h(w, r, q)
		if err == nil {
			return nil
		}
		status := statusOf(tradeplan.ErrorCode(err))
		if status >= 500 || status == http.StatusNotFound || status == http.StatusForbidden || status == http.StatusUnauthorized {
			return err
		}
		q.formErr, q.status = u.newFormError(r, err), status
		if perr := page(w, r, q); perr != nil {
			q.formErr, q.status = nil, 0
			return err
		}
		return nil
	}
}

// upgradeFormPage is the page a tier upgrade form is on: the call page of
// the ranking it was posted from (its "call" field), else the plan's page.
func (u *ui) upgradeFormPage(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	if c, err := strconv.ParseInt(r.PostForm.Get("call"), 10, 64); err == nil && c > 0 {
		r.SetPathValue("id", strconv.FormatInt(c, 10))
		return u.call(w, r, q)
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	return u.planPage(w, r, q, id, q.status, q.formErr)
}

// filterAction names a list's filter form in a formError (its action
// path alone may also be a POST form's, as /plans is).
func filterAction(path string) string { return "GET " + path }

// onFilter runs a list page h; when the list's filter is refused (a
// status that does not exist, a limit too large), the list is shown
// without the refused parameter, the error beside the filter form, and the
// other filters as they were, instead of an error page.
func (u *ui) onFilter(h uiHandler) uiHandler {
	return func(w http.ResponseWriter, r *http.Request, q *uiReq) error {
		err := h(w, r, q)
		if err == nil || tradeplan.ErrorCode(err) != tradeplan.EInvalid {
			return err
		}
		vals := r.URL.Query()
		name, _, _ := strings.Cut(tradeplan.ErrorMessage(err), ":")
		if _, ok := vals[name]; !ok {
			return err
		}
		typed := url.Values{}
		for k, vs := range vals {
			typed[k] = vs
		}
		vals.Del(name)
		vals.Del("before")
		r2 := r.Clone(r.Context())
		r2.URL.RawQuery = vals.Encode()
		v := u.errorView(r, err)
		v.Message = fieldWords(v.Message)
		q.formErr, q.status = &formError{Action: filterAction(r.URL.Path), View: v, Values: typed}, http.StatusBadRequest
		if perr := h(w, r2, q); perr != nil {
			q.formErr, q.status = nil, 0
			return err
		}
		return nil
	}
}
