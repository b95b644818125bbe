package screen

import (
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/internal/shareddata"
	"github.com/tradeplan/tradeplan/parties"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen/screentest"
)

// realLists loads the UN and OFAC lists of ../shared/data, skipping (or
// failing in CI) when they are not there.
func realLists(t *testing.T) *parties.Index {
	t.Helper()
	un, ofac := shareddata.Path(t, shareddata.UNList), shareddata.Path(t, shareddata.OFACList)
	ix, err := parties.LoadFiles(un, ofac)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestScriptsPlan screens names and goods as they are really written: every
// look-alike class in a partner's name and in a goods description screens
// exactly like its plain spelling, with a finding on how it is written;
// goods described in Korean, Chinese and Russian under a lawful declared
// code are never clear; wigs so described are not prohibited.
func TestScriptsPlan(t *testing.T) {
	ix := realLists(t)
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	cls, err := hs.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Classifier: cls, Goods: rs, Parties: ix, NewLedger: rules.NewLedger})
	p, err := plan.Parse([]byte(screentest.ScriptsPlan), "scripts.yaml", plan.YAML)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Plan(t.Context(), p, Options{AsOf: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if bad := screentest.Check(rep); len(bad) > 0 {
		t.Errorf("%d lines screen otherwise than their purpose says:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// TestDeclaredCodeNeedsWords: a line relating to the DPRK whose description
// the classifier cannot read is a review, never clear on its declared code
// alone; the same line between other countries, or with words that read as
// the declared heading, is not.
func TestDeclaredCodeNeedsWords(t *testing.T) {
	s := New(Config{Classifier: codeTable{"toy cars": "950300"}})
	tests := []struct {
		name string
		line tradeplan.Line
		want tradeplan.Verdict
	}{
		{"unread, from KP", tradeplan.Line{Origin: "KP", Destination: "CN", HS: "950300", Description: "명태"}, tradeplan.Review},
		{"unread, to KP", tradeplan.Line{Origin: "CN", Destination: "KP", HS: "950300", Description: "xyzzy"}, tradeplan.Review},
		{"unread, partner in KP", tradeplan.Line{Origin: "CN", Destination: "RU", HS: "950300", Description: "xyzzy", Partner: &tradeplan.Party{Name: "X", Country: "KP"}}, tradeplan.Review},
		{"unread, no DPRK link", tradeplan.Line{Origin: "CN", Destination: "VN", HS: "950300", Description: "xyzzy"}, tradeplan.Clear},
		{"read as the declared heading", tradeplan.Line{Origin: "KP", Destination: "CN", HS: "950300", Description: "toy cars"}, tradeplan.Clear},
		{"no description", tradeplan.Line{Origin: "KP", Destination: "CN", HS: "950300"}, tradeplan.Clear},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Line(&tc.line, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
			if r.Verdict != tc.want {
				t.Errorf("verdict %s, want %s: %+v", r.Verdict, tc.want, r.Findings)
			}
		})
	}
}

// TestUnreadGoodsNeedReview: a line relating to the DPRK with no code and
// words the classifier cannot read is a review; elsewhere it stays clear.
func TestUnreadGoodsNeedReview(t *testing.T) {
	s := New(Config{Classifier: codeTable{}})
	day := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if r := s.Line(&tradeplan.Line{Origin: "KP", Destination: "CN", Description: "명태"}, day); r.Verdict != tradeplan.Review {
		t.Errorf("unread DPRK export: %s %+v", r.Verdict, r.Findings)
	}
	if r := s.Line(&tradeplan.Line{Origin: "CN", Destination: "VN", Description: "xyzzy"}, day); r.Verdict != tradeplan.Clear {
		t.Errorf("unread line between CN and VN: %s %+v", r.Verdict, r.Findings)
	}
}
