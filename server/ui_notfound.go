package server

import (
	"mime"
	"net/http"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// wantsPage reports whether a request that matches no route comes from a
// browser: a GET or HEAD outside /api/ whose Accept names text/html. The
// API, and clients that ask for JSON, get the JSON error shape.
func wantsPage(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		return false
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
			return true
		}
	}
	return false
}

// notFound is the page of an unknown URL, with links back into the site.
func (u *ui) notFound(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	return tradeplan.Errorf(tradeplan.ENotFound, "There is no page at %s. It may have moved, or the address may be mistyped.", quoteShort(r.URL.Path))
}
