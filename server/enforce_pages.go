package server

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// A batch's declarations are paged, not answered whole: a batch of a million
// declarations is a summary (intakeAnswer) and pages of at most 10,000
// through GET /api/v1/declarations, each full page with a Link header to the
// next.

// intakeAnswer is what POST /api/v1/declarations answers: what the batch
// changed, and where its declarations are.
type intakeAnswer struct {
	licensing.IntakeResult
	DeclarationsURL string `json:"declarations_url"`
}

// declarationsPageURL is the page of a batch's declarations after cursor
// (the first page when nil).
func declarationsPageURL(batch string, after *licensing.Declaration) string {
	v := url.Values{}
	if batch != "" {
		v.Set("batch", batch)
	}
	v.Set("limit", strconv.Itoa(1000))
	if after != nil {
		v.Set("after", declarationCursor(*after))
	}
	return "/api/v1/declarations?" + v.Encode()
}

// declarationCursor names the place of d in the date then number order,
// opaque to the client.
func declarationCursor(d licensing.Declaration) string {
	return base64.RawURLEncoding.EncodeToString([]byte(d.Date.UTC().Format(time.RFC3339Nano) + "|" + d.Number))
}

func parseDeclarationCursor(s string) (*licensing.DeclarationCursor, error) {
	if len(s) > 1024 {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "after: not a cursor of this list (use the Link header of the page before)")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	day, number, ok := strings.Cut(string(b), "|")
	// The cursor is the client's text: a number no declaration can have
	// (not UTF-8, a control character, longer than a number) is refused
	// here, not by the database.
	if err != nil || !ok || len(number) > 64 || tradeplan.CheckText(number, false) != "" {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "after: not a cursor of this list (use the Link header of the page before)")
	}
	t, err := time.Parse(time.RFC3339Nano, day)
	if err != nil {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "after: not a cursor of this list (use the Link header of the page before)")
	}
	return &licensing.DeclarationCursor{Date: t, Number: number}, nil
}

// setNextLink points the client to the page after last, with the same
// filters.
func setNextLink(w http.ResponseWriter, r *http.Request, last licensing.Declaration) {
	v := r.URL.Query()
	v.Set("after", declarationCursor(last))
	w.Header().Set("Link", "<"+r.URL.Path+"?"+v.Encode()+`>; rel="next"`)
}
