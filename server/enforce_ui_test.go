package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/store/storetest"
)

// TestUIDeclarationImportAndCaseWork: the authority's compliance officer
// loads a declaration file through the page; a file with a bad row comes
// back with the row and field beside the form and loads nothing; a good
// one shows the batch's result with its flags; the same again says it
// changed nothing. On the cases page the officer sets a case to
// investigating and adds notes, each audited; the holder may do neither.
func TestUIDeclarationImportAndCaseWork(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, eng)
			h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
			admin := h.token("authority-admin")
			admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge"}).want(http.StatusCreated)
			prov := h.orgs["province"].ID
			csv := fmt.Sprintf("declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"+
				"CD-1,%d,,2027-07-10,CN,KP,100630,milled rice,300,t,150000,USD,Namyang-Tumen\n"+
				"CD-2,%d,,2027-07-20,CN,KP,100630,milled rice,250,t,120000,USD,Namyang-Tumen\n", prov, prov)

			b := h.browser()
			b.login("authority-compliance")
			form := b.get("/declarations/import").want(http.StatusOK).contains("Load customs declarations", `action="/declarations/import"`)
			checkHTML(t, form)
			csrf := form.csrf()

			bad := regexp.MustCompile(`,250,t,`).ReplaceAllString(csv, ",250,tonz,")
			errPage := b.postFile("/declarations/import", url.Values{csrfField: {csrf}}, "file", "customs-07.csv", bad).want(http.StatusBadRequest)
			checkHTML(t, errPage)
			errPage.contains("Nothing was loaded", "customs-07.csv:3", "tonz", `value="customs-07"`)
			var ds []licensing.Declaration
			h.token("authority-compliance").get("/api/v1/declarations").want(http.StatusOK).decode(&ds)
			if len(ds) != 0 {
				t.Fatalf("a rejected file loaded %d declarations", len(ds))
			}

			ok := b.postFile("/declarations/import", url.Values{csrfField: {csrf}}, "file", "customs-07.csv", csv).want(http.StatusOK)
			checkHTML(t, ok)
			ok.contains("Batch customs-07: 2 new, 0 corrected, 0 unchanged; 2 flagged", "CD-1", "CD-2", "no-permit")
			b.postFile("/declarations/import", url.Values{csrfField: {csrf}}, "file", "customs-07.csv", csv).want(http.StatusOK).
				contains("loaded before with the same content: nothing changed")
			b.postFile("/declarations/import", url.Values{csrfField: {csrf}, "batch": {"customs-07"}}, "file", "other.csv", bad[:0]+csv[:len(csv)-1]+"0\n").
				want(http.StatusConflict).contains("with other content")

			// The holder may not load declarations.
			sub := h.browser()
			sub.login("province-submitter")
			sp := sub.get("/declarations").want(http.StatusOK)
			sub.postFile("/declarations/import", url.Values{csrfField: {sp.csrf()}}, "file", "x.csv", csv).want(http.StatusForbidden)

			// The cases: investigate, then notes.
			var cs []licensing.Case
			h.token("authority-compliance").get("/api/v1/cases?status=open").want(http.StatusOK).decode(&cs)
			if len(cs) < 2 {
				t.Fatalf("cases: %d", len(cs))
			}
			id := cs[0].ID
			qp := b.get("/cases").want(http.StatusOK).contains(fmt.Sprintf(`action="/cases/%d/investigate"`, id), fmt.Sprintf(`action="/cases/%d/note"`, id))
			checkHTML(t, qp)
			b.post(fmt.Sprintf("/cases/%d/investigate", id), url.Values{"note": {"truck held at the bridge"}, csrfField: {qp.csrf()}}).redirectsTo("/cases")
			b.post(fmt.Sprintf("/cases/%d/investigate", id), url.Values{csrfField: {qp.csrf()}}).want(http.StatusConflict)
			// Refused, the note form is shown again on the cases page with
			// the error inside it, not on an error page.
			noNote := b.post(fmt.Sprintf("/cases/%d/note", id), url.Values{"note": {"  "}, csrfField: {qp.csrf()}}).want(http.StatusBadRequest)
			checkHTML(t, noNote)
			if !regexp.MustCompile(`(?s)<form method="post" action="/cases/\d+/note" class="stack">\s*<input type="hidden" name="csrf_token" value="[^"]+">[^<]*<div class="error" role="alert">`).MatchString(noNote.body) {
				t.Errorf("the refused note is not answered beside its form:\n%s", htmlText(noNote.body))
			}
			noNote.contains("<h1>", `value="  "`)
			b.post(fmt.Sprintf("/cases/%d/note", id), url.Values{"note": {"consignee differs from the papers"}, csrfField: {qp.csrf()}}).redirectsTo("/cases")
			after := b.get("/cases?status=investigating").want(http.StatusOK).contains("truck held at the bridge", "consignee differs from the papers")
			checkHTML(t, after)
			after.lacks(fmt.Sprintf(`action="/cases/%d/investigate"`, id))
			sub.post(fmt.Sprintf("/cases/%d/note", id), url.Values{"note": {"x"}, csrfField: {sp.csrf()}}).want(http.StatusForbidden)
			var c licensing.Case
			h.token("authority-compliance").get(fmt.Sprintf("/api/v1/cases/%d", id)).want(http.StatusOK).decode(&c)
			if c.Status != licensing.CaseInvestigating || len(c.Notes) != 2 {
				t.Fatalf("case after the page: %+v", c)
			}
			var log struct{ Entries []tradeplan.AuditEntry }
			admin.get(fmt.Sprintf("/api/v1/audit?subject=case:%d", id)).want(http.StatusOK).decode(&log)
			actions := map[string]int{}
			for _, e := range log.Entries {
				actions[e.Action]++
			}
			if actions["case.investigate"] != 1 || actions["case.note"] != 1 {
				t.Fatalf("audit of case %d: %v", id, actions)
			}
			// The same through the API, on the other case.
			api := h.token("authority-compliance")
			other := cs[1].ID
			api.post(fmt.Sprintf("/api/v1/cases/%d", other), map[string]any{"investigate": true}).want(http.StatusOK).decode(&c)
			if c.Status != licensing.CaseInvestigating {
				t.Fatalf("investigated through the API: %+v", c)
			}
			api.post(fmt.Sprintf("/api/v1/cases/%d", other), map[string]any{"investigate": true}).wantError(http.StatusConflict, tradeplan.EConflict)
			api.post(fmt.Sprintf("/api/v1/cases/%d", other), map[string]any{"note": "  "}).wantError(http.StatusBadRequest, tradeplan.EInvalid)
			api.post(fmt.Sprintf("/api/v1/cases/%d", other), map[string]any{"note": "papers requested"}).want(http.StatusOK).decode(&c)
			if len(c.Notes) != 1 || c.Notes[0].Text != "papers requested" || c.Notes[0].By == "" {
				t.Fatalf("note through the API: %+v", c.Notes)
			}
			h.token("province-submitter").post(fmt.Sprintf("/api/v1/cases/%d", other), map[string]any{"note": "x"}).wantError(http.StatusForbidden, tradeplan.EForbidden)
		})
	}
}
