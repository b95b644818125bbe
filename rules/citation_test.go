package rules

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A citation shown to a user as verified must be one: every verified rule
// records where it was checked - the document symbol of its own resolution
// (S/RES/2321 (2016)), the paragraph it cites ("para. 30"; an annex by its
// number), and the address of the text read.
func TestVerifiedCitationsRecordTheirSource(t *testing.T) {
	op := regexp.MustCompile(`OP(\d+)`)
	annex := regexp.MustCompile(`Annex [IVX]+`)
	address := regexp.MustCompile(`https?://\S+\.\S+`)
	verified := 0
	for _, r := range testEngine.Rules() {
		if r.Status != StatusVerified {
			continue
		}
		verified++
		c := r.Citation
		symbol := "S/RES/" + c.Resolution + " (" + strconv.Itoa(c.Year) + ")"
		if !strings.Contains(r.Checked, symbol) {
			t.Errorf("%s: verified, but checked %q does not name %s", r.ID, r.Checked, symbol)
		}
		for _, m := range op.FindAllStringSubmatch(c.Paragraph, -1) {
			if !strings.Contains(r.Checked, "para. "+m[1]) && !strings.Contains(r.Checked, "paragraph "+m[1]) {
				t.Errorf("%s: verified, but checked %q does not name paragraph %s of the citation %q", r.ID, r.Checked, m[1], c.Paragraph)
			}
		}
		for _, a := range annex.FindAllString(c.Paragraph, -1) {
			if !strings.Contains(r.Checked, a) {
				t.Errorf("%s: verified, but checked %q does not name %s", r.ID, r.Checked, a)
			}
		}
		if !address.MatchString(r.Checked) {
			t.Errorf("%s: verified, but checked %q records no address of the text read", r.ID, r.Checked)
		}
	}
	if verified == 0 {
		t.Fatal("no verified rule: the test checks nothing")
	}
}
