package screen

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/hs"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
	"github.com/tradeplan/tradeplan/screen/screentest"
)

// memoLines are lines whose classification differs by what the memo keys
// on: the same code and words on a DPRK route and off it, a declared code
// the words contradict, goods lists weighed part by part, a bad code, no
// code, unreadable and look-alike words, and the lines of the scripts plan.
func memoLines(t *testing.T) []tradeplan.Line {
	t.Helper()
	var ls []tradeplan.Line
	for _, route := range [][2]string{{"KP", "CN"}, {"CN", "KP"}, {"CN", "VN"}, {"DE", "FR"}} {
		for _, hd := range [][2]string{
			{"950300", "toy cars"}, {"950300", "salted pollack"}, {"030569", "salted pollack"},
			{"950300", "plastic toys and salted pollack"}, {"", "salted pollack"}, {"", "dried mushrooms, seafood and herbs"},
			{"", "xyzzy"}, {"950300", "명태"}, {"12345", "toy cars"}, {"030569", ""}, {"", "sаlted pollаck"},
			{"271019", "gas oil diesel"}, {"", "gas oil diesel"}, {"030569", "salted pollack; wigs"},
		} {
			ls = append(ls, tradeplan.Line{Origin: route[0], Destination: route[1], HS: hd[0], Description: hd[1],
				Quantity: tradeplan.D(12), Unit: "t"})
		}
	}
	// the same words, related to the DPRK through the partner only
	ls = append(ls, tradeplan.Line{Origin: "CN", Destination: "RU", HS: "950300", Description: "salted pollack",
		Partner: &tradeplan.Party{Name: "X", Country: "KP"}})
	p, err := plan.Parse([]byte(screentest.ScriptsPlan), "scripts.yaml", plan.YAML)
	if err != nil {
		t.Fatal(err)
	}
	return append(ls, p.Lines...)
}

// TestClassMemoMatchesLine: a line screened through a stream worker's
// memo, the first time and every time after, gives the report Line gives
// without one, in every field; and each report owns its findings.
func TestClassMemoMatchesLine(t *testing.T) {
	cls, rs := embedded(t)
	s := New(Config{Classifier: cls, Goods: rs})
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	ls := memoLines(t)
	memo := newClassMemo()
	for round := range 3 {
		for i := range ls {
			want := s.Line(&ls[i], day)
			var got tradeplan.LineReport
			s.lineInto(&got, &ls[i], day, memo)
			wj, _ := json.Marshal(want)
			gj, _ := json.Marshal(got)
			if string(wj) != string(gj) {
				t.Fatalf("round %d, line %q (%s, %s>%s):\nmemo  %s\nplain %s", round, ls[i].Description, ls[i].HS, ls[i].Origin, ls[i].Destination, gj, wj)
			}
			// a later step changing this report's findings (the ledger
			// does) must not reach the next line's
			for j := range got.Findings {
				got.Findings[j].Summary = "changed"
			}
		}
	}
	if len(memo.m) == 0 {
		t.Fatal("the memo kept nothing")
	}
}

// TestClassMemoBounded: a memo never holds more than classMemoKeys keys.
func TestClassMemoBounded(t *testing.T) {
	s := New(Config{Classifier: codeTable{}})
	memo := newClassMemo()
	for i := range classMemoKeys + 10 {
		l := tradeplan.Line{Origin: "CN", Destination: "VN", Description: "goods " + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String()}
		memo.classify(s, &l)
		if len(memo.m) > classMemoKeys {
			t.Fatalf("%d keys", len(memo.m))
		}
	}
}

// readOnly hides a source's ReadInto, so that Stream takes the copying path.
type readOnly struct{ src LineSource }

func (r readOnly) Read() (tradeplan.Line, error) { return r.src.Read() }

// TestStreamReadIntoSameAsRead: a CSV file streamed with lines read in
// place gives the same reports, in order, and the same problems for a file
// with bad lines, as read line by line.
func TestStreamReadIntoSameAsRead(t *testing.T) {
	cls, rs := embedded(t)
	s := New(Config{Classifier: cls, Goods: rs, NewLedger: rules.NewLedger, Workers: 2})
	var good, bad strings.Builder
	good.WriteString("hs,description,origin,destination,quantity,unit,value,currency\n")
	bad.WriteString(good.String())
	rows := []string{"030569,salted pollack,KP,CN,12,t,100,USD", ",dried clams,CN,VN,3,kg,9,USD", "271019,gas oil diesel,CN,KP,40,bbl,3800,USD",
		"950300,\"toys, plastic\",DE,FR,1,pcs,2,EUR", ",salted pollack and toys,CN,KP,2,t,9,USD"}
	for i := range 1500 {
		good.WriteString(rows[i%len(rows)] + "\n")
		switch i {
		case 7:
			bad.WriteString("030569,salted pollack,KP,CN,twelve,t,100,USD\n")
		case 900:
			bad.WriteString("030569,salted pollack,XX,CN,1,t,100,USD\n")
		default:
			bad.WriteString(rows[i%len(rows)] + "\n")
		}
	}
	run := func(data string, wrap bool) (string, error) {
		cr, err := plan.NewCSVReader(strings.NewReader(data), "x.csv")
		if err != nil {
			t.Fatal(err)
		}
		var src LineSource = cr
		if wrap {
			src = readOnly{cr}
		}
		var out strings.Builder
		sum, err := s.Stream(context.Background(), src, Options{AsOf: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)}, func(r *tradeplan.LineReport) error {
			j, _ := json.Marshal(r)
			out.Write(j)
			out.WriteByte('\n')
			return nil
		})
		j, _ := json.Marshal(sum)
		out.Write(j)
		return out.String(), err
	}
	for _, data := range []string{good.String(), bad.String()} {
		a, errA := run(data, false)
		b, errB := run(data, true)
		if a != b {
			t.Fatalf("reports differ in place and copied")
		}
		if ea, eb := errString(errA), errString(errB); ea != eb {
			t.Fatalf("errors differ: in place %q, copied %q", ea, eb)
		}
		if data == good.String() && (errA != nil || strings.Count(a, "\n") != 1500) {
			t.Fatalf("good file: %v, %d lines", errA, strings.Count(a, "\n"))
		}
		if data == bad.String() && (!strings.Contains(errString(errA), "x.csv:9:29: quantity") || !strings.Contains(errString(errA), "x.csv:902:23: origin")) {
			t.Fatalf("bad file: %v", errA)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	var te *tradeplan.Error
	if e, ok := err.(*tradeplan.Error); ok {
		te = e
		var b strings.Builder
		b.WriteString(te.Message)
		for _, p := range te.Problems {
			b.WriteString("\n" + p.String())
		}
		return b.String()
	}
	return err.Error()
}

// TestClassMemoFront: the memo's front table answers a line with the
// strings of a recent line, and a line with the same text in new strings,
// a line on another route with the same strings, and lines that collide in
// it, as Line does; and it is used.
func TestClassMemoFront(t *testing.T) {
	cls, rs := embedded(t)
	s := New(Config{Classifier: cls, Goods: rs})
	day := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	ls := memoLines(t)
	for i := range len(ls) {
		l := ls[i]
		l.HS, l.Description = strings.Clone(l.HS), strings.Clone(l.Description)
		ls = append(ls, l)
	}
	memo := newClassMemo()
	hits := 0
	for round := range 4 {
		for i := range ls {
			l := &ls[(i*7+round)%len(ls)]
			want := s.Line(l, day)
			for _, e := range memo.front {
				if e.val > 0 && e.hs == l.HS && e.desc == l.Description && e.dprk == relatesToDPRK(l) {
					hits++
				}
			}
			var got tradeplan.LineReport
			s.lineInto(&got, l, day, memo)
			wj, _ := json.Marshal(want)
			gj, _ := json.Marshal(got)
			if string(wj) != string(gj) {
				t.Fatalf("round %d, line %q (%s, %s>%s):\nmemo  %s\nplain %s", round, l.Description, l.HS, l.Origin, l.Destination, gj, wj)
			}
		}
	}
	if hits == 0 {
		t.Fatal("the front table answered nothing")
	}
}

// embedded is the embedded classifier and rule packs, which most of this
// package's tests screen with.
func embedded(t testing.TB) (*hs.Classifier, *rules.Engine) {
	t.Helper()
	cls, err := hs.Default()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cls, rs
}
