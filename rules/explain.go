package rules

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Explanation says how a line was screened: the date, how the line relates
// to each target country, which rules matched and why, and why the rules
// near it (the same code or chapter) did not apply.
type Explanation struct {
	HS       string              `json:"hs"`                // the code screened, digits
	HSNote   string              `json:"hs_note,omitempty"` // e.g. a national code cut to HS6
	Date     time.Time           `json:"date"`
	DateFrom string              `json:"date_from"` // "shipment date", "as-of date" or "today"
	Links    []Link              `json:"links"`
	Matched  []Trace             `json:"matched"`
	Near     []Trace             `json:"near"`
	Findings []tradeplan.Finding `json:"findings"`
	Verdict  tradeplan.Verdict   `json:"verdict"`
}

// Link is how the line relates to one target country.
type Link struct {
	Target  string   `json:"target"`
	Regimes string   `json:"regimes"`
	From    string   `json:"from,omitempty"` // why the goods leave the target; "" when they do not
	To      string   `json:"to,omitempty"`   // why they go to it
	Assumed []string `json:"assumed,omitempty"`
}

// Trace is one rule considered for the line.
type Trace struct {
	Rule     string            `json:"rule"`
	Citation string            `json:"citation"`
	Status   string            `json:"status"`
	Outcome  tradeplan.Verdict `json:"outcome"` // for matched rules; clear for near ones
	Why      string            `json:"why"`     // how it matched, or why it did not
	Missing  []string          `json:"missing,omitempty"`
}

// Explain screens a line as ScreenGoods does and records why each rule near
// the line's code applied or did not.
func (e *Engine) Explain(g tradeplan.GoodsLine) Explanation {
	x := &Explanation{}
	x.Date, x.DateFrom = lineDate(&g)
	if c, cut, ok := normCode(g.HS); ok {
		x.HS = c
		if cut {
			x.HSNote = "national code " + g.HS + " cut to HS6 " + dotted(c)
		}
	}
	b := getBlock()
	defer b.release()
	fs, code := e.screen(&g, x, nil, b)
	if len(g.Alternatives) > 0 && code.n > 0 {
		fs = e.alternatives(&g, code.String(), fs, b)
	}
	x.Findings = fs
	// Empty lists, not null, in JSON.
	if x.Findings == nil {
		x.Findings = []tradeplan.Finding{}
	}
	if x.Matched == nil {
		x.Matched = []Trace{}
	}
	if x.Near == nil {
		x.Near = []Trace{}
	}
	if x.Links == nil {
		x.Links = []Link{}
	}
	for _, f := range x.Findings {
		x.Verdict = x.Verdict.Stricter(f.Outcome)
	}
	return *x
}

func (x *Explanation) addLink(ti *targetIndex, k link) {
	l := Link{Target: ti.target, Regimes: targetsRegimes(ti)}
	if k.from {
		l.From = k.fromVia.why
		if k.fromInferred {
			l.Assumed = append(l.Assumed, "from "+ti.target)
		}
	}
	if k.to {
		l.To = k.toVia.why
		if k.toInfer {
			l.Assumed = append(l.Assumed, "to "+ti.target)
		}
	}
	x.Links = append(x.Links, l)
}

func (v *ev) near(r *Rule, why string) {
	if v.x == nil || r.catchAll {
		// Rules over every chapter (the general luxury clause, the exemption
		// procedure) are near every line: listing them explains nothing.
		return
	}
	v.x.Near = append(v.x.Near, Trace{Rule: r.ID, Citation: r.basis.Citation, Status: r.basis.Status, Why: why})
}

func (v *ev) matched(r *Rule, f *tradeplan.Finding) {
	if v.x == nil {
		return
	}
	v.x.Matched = append(v.x.Matched, Trace{Rule: r.ID, Citation: r.basis.Citation, Status: f.Status(), Outcome: f.Outcome, Why: f.Explanation, Missing: f.Missing})
}

// otherCountry lists the rules the line's code would meet had it related to
// the target.
func (v *ev) otherCountry(ti *targetIndex) {
	code, _, ok := normCode(v.hs)
	if !ok {
		return
	}
	seen := map[*Rule]bool{}
	for L := 2; L <= len(code); L += 2 {
		for _, rf := range ti.exact[L/2-1].get(keyOf(code[:L])) {
			if seen[rf.rule] {
				continue
			}
			seen[rf.rule] = true
			v.near(rf.rule, "other country: the rule is against "+ti.target+"; the line has no "+ti.target+" origin, destination, partner or vessel")
		}
	}
}

// sameChapter lists the rules with codes in the line's chapter that do not
// cover the line's code.
func (v *ev) sameChapter(ti *targetIndex, seen map[*Rule]bool) {
	code := v.codeText()
	for _, r := range ti.chapter[code[:2]] {
		if seen[r] {
			continue
		}
		seen[r] = true
		var codes []string
		for _, s := range r.Include {
			if s.Lo[:2] <= code[:2] && code[:2] <= s.Hi[:2] {
				codes = append(codes, specText(s))
			}
		}
		v.near(r, "HS "+v.dotted()+" is not among its codes in chapter "+code[:2]+" ("+strings.Join(codes, ", ")+")")
	}
}

// WriteText prints the explanation for a person.
func (x Explanation) WriteText(w io.Writer) error {
	var b strings.Builder
	hs := "(none)"
	if x.HS != "" {
		hs = dotted(x.HS)
	}
	fmt.Fprintf(&b, "HS %s, screened as of %s (%s)\n", hs, x.Date.Format(dateLayout), x.DateFrom)
	if x.HSNote != "" {
		fmt.Fprintf(&b, "  note: %s\n", x.HSNote)
	}
	for _, l := range x.Links {
		switch {
		case l.From == "" && l.To == "":
			fmt.Fprintf(&b, "%s (%s): the line does not relate to %s\n", l.Target, l.Regimes, l.Target)
		default:
			fmt.Fprintf(&b, "%s (%s):", l.Target, l.Regimes)
			if l.From != "" {
				fmt.Fprintf(&b, " goods leave %s (%s);", l.Target, l.From)
			}
			if l.To != "" {
				fmt.Fprintf(&b, " goods go to %s (%s);", l.Target, l.To)
			}
			if len(l.Assumed) > 0 {
				fmt.Fprintf(&b, " assumed, not established: %s;", strings.Join(l.Assumed, ", "))
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "verdict: %s\n", x.Verdict)
	if len(x.Findings) > 0 {
		b.WriteString("\nfindings:\n")
		for _, f := range x.Findings {
			head := f.Kind
			if f.Citation() != "" {
				head = f.Citation()
			}
			fmt.Fprintf(&b, "  %-10s %s", f.Outcome, head)
			if f.Rule() != "" {
				fmt.Fprintf(&b, "  [%s; %s]", f.Rule(), f.Status())
			}
			fmt.Fprintf(&b, "\n    %s\n", f.Summary)
			if f.Explanation != "" {
				fmt.Fprintf(&b, "    why: %s\n", f.Explanation)
			}
			if f.Cap != nil {
				c := f.Cap
				fmt.Fprintf(&b, "    cap: %s, limit %s %s, window %s to %s, this line %s %s\n", c.Cap, num(c.Limit), c.Unit,
					c.From.Format(dateLayout), c.To.Format(dateLayout), fmtQty(c.Quantity), c.Unit)
			}
			for _, m := range f.Missing {
				fmt.Fprintf(&b, "    missing: %s\n", m)
			}
			for _, n := range f.Notes {
				fmt.Fprintf(&b, "    note: %s\n", n)
			}
		}
	}
	if len(x.Near) > 0 {
		b.WriteString("\nnear rules that did not apply:\n")
		for _, t := range x.Near {
			fmt.Fprintf(&b, "  %s  %s\n    %s\n", t.Rule, t.Citation, t.Why)
		}
	}
	if len(x.Findings) == 0 && len(x.Near) == 0 {
		b.WriteString("no rule applies to this code.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
