package server

import (
	"net/http"
	"net/url"
)

// formError is a form post the service refused, shown on the page the form
// is on: the error beside the form, in the user's words, and every field as
// it was typed. Action is the form's action path, which names the form.
type formError struct {
	Action string
	View   errorView
	Values url.Values
}

// newFormError keeps what r posted (never the CSRF token) with the error.
func (u *ui) newFormError(r *http.Request, err error) *formError {
	vals := url.Values{}
	for k, vs := range r.PostForm {
		if k != csrfField {
			vals[k] = vs
		}
	}
	return &formError{Action: r.URL.Path, View: u.errorView(r, err), Values: vals}
}

// formErrFor is the error of the form with action, or nil (templates).
func formErrFor(fe *formError, action string) *errorView {
	if fe == nil || fe.Action != action {
		return nil
	}
	return &fe.View
}

// formVal is what was typed into field name of the form with action.
func formVal(fe *formError, action, name string) string {
	if fe == nil || fe.Action != action {
		return ""
	}
	return fe.Values.Get(name)
}
