package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/rules"
)

const rulesUsage = `usage:
  tradeplan rules list [--as-of YYYY-MM-DD] [--rules PATH]... [--json]
  tradeplan rules show [--rules PATH]... [--json] ID
  tradeplan rules explain --hs CODE [--from CC] [--to CC] [--partner CC] [--vessel-flag CC]
        [--direction export|import] [--description TEXT] [--value V [--currency USD]]
        [--quantity Q --unit U] [--as-of YYYY-MM-DD] [--exemption REF] [--alt CODE]...
        [--rules PATH]... [--json]

Countries are ISO 3166 codes (KP, CN) or names ("North Korea", "China").
--rules loads extra rule packs (a YAML file or a folder of them) on top of the
embedded UN DPRK pack. explain exits 1 when the verdict is not clear.
`

// rulesMultiFlag collects a repeatable string flag.
type rulesMultiFlag []string

func (m *rulesMultiFlag) String() string     { return strings.Join(*m, ",") }
func (m *rulesMultiFlag) Set(s string) error { *m = append(*m, s); return nil }

func runRules(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, rulesUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "list":
		return rulesList(e, args[1:])
	case "show":
		return rulesShow(e, args[1:])
	case "explain":
		return rulesExplain(e, args[1:])
	}
	fmt.Fprintf(e.stderr, "tradeplan rules: unknown verb %q (want list, show or explain)\n", args[0])
	fmt.Fprint(e.stderr, rulesUsage)
	return exitUsage
}

func rulesFlags(e *env, name string) (*flag.FlagSet, *rulesMultiFlag, *bool) {
	fs := flag.NewFlagSet("rules "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprint(e.stderr, rulesUsage) }
	var paths rulesMultiFlag
	fs.Var(&paths, "rules", "extra rule pack: a YAML file or a folder (repeatable)")
	asJSON := fs.Bool("json", false, "print JSON")
	return fs, &paths, asJSON
}

func rulesLoad(e *env, paths []string) (*rules.Engine, int) {
	eng, err := rules.Load(paths...)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan rules: %v\n", err)
		if tradeplan.ErrorCode(err) == tradeplan.EInvalid || tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			return nil, exitUsage
		}
		return nil, exitFailure
	}
	return eng, exitOK
}

// rulesRuleView is a rule as printed by list and show.
type rulesRuleView struct {
	ID           string   `json:"id"`
	Pack         string   `json:"pack"`
	Regime       string   `json:"regime"`
	Target       string   `json:"target"`
	Title        string   `json:"title"`
	Citation     string   `json:"citation"`
	Status       string   `json:"status"`
	StatusNote   string   `json:"status_note,omitempty"`
	Checked      string   `json:"checked,omitempty"`
	Policy       string   `json:"policy,omitempty"`
	Question     string   `json:"question,omitempty"`
	WindDown     string   `json:"wind_down,omitempty"`
	Notes        []string `json:"notes,omitempty"`
	From         string   `json:"from,omitempty"`
	To           string   `json:"to,omitempty"`
	SupersededBy string   `json:"superseded_by,omitempty"`
	Flow         string   `json:"flow"`
	Include      []string `json:"include"`
	Exclude      []string `json:"exclude,omitempty"`
	Conditions   []string `json:"conditions,omitempty"`
	Caps         []string `json:"caps,omitempty"`
	Exemptions   []string `json:"exemptions,omitempty"`
	Outcome      string   `json:"outcome"`
	Summary      string   `json:"summary"`
	Source       string   `json:"source"`
}

func rulesViewRule(r *rules.Rule) rulesRuleView {
	v := rulesRuleView{
		ID: r.ID, Pack: r.Pack.Name, Regime: r.Pack.Regime, Target: r.Pack.Target, Title: r.Title,
		Citation: r.CitationText(), Status: r.StatusText(), StatusNote: r.StatusNote, Checked: r.Checked, Policy: r.Policy, Question: r.Question,
		Notes: r.Notes, SupersededBy: r.SupersededBy, Flow: string(r.Flow), Outcome: r.Outcome.String(),
		Summary: r.Summary, Source: r.Pos.String(),
	}
	if !r.From.IsZero() {
		v.From = r.From.Format("2006-01-02")
	}
	if !r.To.IsZero() {
		v.To = r.To.Format("2006-01-02")
	}
	if w := r.WindDown; w != nil {
		v.WindDown = "to " + w.To.Format("2006-01-02") + ": " + w.Condition
	}
	for _, s := range r.Include {
		t := s.Raw
		if c := rulesTermsText(s.Description); c != "" {
			t += " (" + c + ")"
		}
		if s.Policy != "" {
			t += " [P: " + s.Policy + "]"
		}
		v.Include = append(v.Include, t)
	}
	for _, s := range r.Exclude {
		v.Exclude = append(v.Exclude, s.Raw)
	}
	if c := rulesTermsText(r.Description); c != "" {
		v.Conditions = append(v.Conditions, c)
	}
	if r.WhenExemptionCited {
		v.Conditions = append(v.Conditions, "only when the line cites an exemption reference")
	}
	if t := r.UnitValue; t != nil {
		v.Conditions = append(v.Conditions, fmt.Sprintf("unit value over %s %s per %s", t.Over.String(), t.Currency, t.Per))
	}
	for _, c := range r.Caps {
		s := fmt.Sprintf("%s: %s %s %s", c.ID, c.Limit.String(), c.Unit, c.PeriodText())
		for _, cv := range c.Conversions {
			s += fmt.Sprintf("; 1 %s = %s %s (%s)", cv.From, cv.Factor.String(), c.Unit, cv.Note)
		}
		v.Caps = append(v.Caps, s)
	}
	for _, x := range r.Exemptions {
		v.Exemptions = append(v.Exemptions, x.ID+": "+x.Summary)
	}
	return v
}

func rulesTermsText(t rules.Terms) string {
	var parts []string
	q := func(ts []string) string {
		out := make([]string, len(ts))
		for i, s := range ts {
			out[i] = strconv.Quote(strings.TrimSpace(s))
		}
		return strings.Join(out, ", ")
	}
	if len(t.All) > 0 {
		parts = append(parts, "description names all of "+q(t.All))
	}
	if len(t.Any) > 0 {
		parts = append(parts, "description names any of "+q(t.Any))
	}
	if len(t.None) > 0 {
		parts = append(parts, "description names none of "+q(t.None))
	}
	if len(parts) > 0 && (len(t.Any) > 0 || len(t.All) > 0) {
		if t.IfMissing == "skip" {
			parts = append(parts, "no description: rule skipped")
		} else {
			parts = append(parts, "no description: review")
		}
	}
	return strings.Join(parts, "; ")
}

func rulesList(e *env, args []string) int {
	fs, paths, asJSON := rulesFlags(e, "list")
	asOf := fs.String("as-of", "", "list only the rules in force on this day")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan rules list: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	var day time.Time
	if *asOf != "" {
		d, err := time.Parse("2006-01-02", *asOf)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan rules list: --as-of %q: want a date YYYY-MM-DD\n", *asOf)
			return exitUsage
		}
		day = d
	}
	eng, code := rulesLoad(e, *paths)
	if eng == nil {
		return code
	}
	var list []*rules.Rule
	for _, r := range eng.Rules() {
		if day.IsZero() || r.InForce(day) {
			list = append(list, r)
		}
	}
	if *asJSON {
		vs := []rulesRuleView{}
		for _, r := range list {
			vs = append(vs, rulesViewRule(r))
		}
		return rulesWriteJSON(e, vs)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCITATION\tFLOW\tOUTCOME\tIN FORCE\tSTATUS")
	for _, r := range list {
		inForce := r.From.Format("2006-01-02") + " -"
		if !r.To.IsZero() {
			inForce += " " + r.To.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.CitationText(), r.Flow, r.Outcome, inForce, r.StatusText())
	}
	if err := tw.Flush(); err != nil {
		return exitFailure
	}
	return exitOK
}

func rulesShow(e *env, args []string) int {
	fs, paths, asJSON := rulesFlags(e, "show")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "tradeplan rules show: want one rule id (see 'tradeplan rules list')")
		return exitUsage
	}
	eng, code := rulesLoad(e, *paths)
	if eng == nil {
		return code
	}
	r, err := eng.Rule(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan rules show: %v\n", err)
		return exitUsage
	}
	v := rulesViewRule(r)
	if *asJSON {
		return rulesWriteJSON(e, v)
	}
	w := e.stdout
	fmt.Fprintf(w, "%s: %s\n", v.ID, v.Title)
	fmt.Fprintf(w, "  regime:     %s (against %s)\n", v.Regime, v.Target)
	fmt.Fprintf(w, "  citation:   %s\n", v.Citation)
	fmt.Fprintf(w, "  status:     %s\n", v.Status)
	if v.StatusNote != "" {
		fmt.Fprintf(w, "              %s\n", v.StatusNote)
	}
	if v.Checked != "" {
		fmt.Fprintf(w, "  checked:    %s\n", v.Checked)
	}
	if v.Policy != "" {
		fmt.Fprintf(w, "  policy:     %s\n", v.Policy)
	}
	inForce := "from " + v.From
	if v.To != "" {
		inForce += " to " + v.To
	}
	if v.SupersededBy != "" {
		inForce += "; superseded by " + v.SupersededBy
	}
	fmt.Fprintf(w, "  in force:   %s\n", inForce)
	if v.WindDown != "" {
		fmt.Fprintf(w, "  wind-down:  %s (review)\n", v.WindDown)
	}
	fmt.Fprintf(w, "  flow:       %s\n", v.Flow)
	fmt.Fprintf(w, "  goods:      %s\n", strings.Join(v.Include, ", "))
	if len(v.Exclude) > 0 {
		fmt.Fprintf(w, "  except:     %s\n", strings.Join(v.Exclude, ", "))
	}
	for _, c := range v.Conditions {
		fmt.Fprintf(w, "  condition:  %s\n", c)
	}
	for _, c := range v.Caps {
		fmt.Fprintf(w, "  cap:        %s\n", c)
	}
	for _, x := range v.Exemptions {
		fmt.Fprintf(w, "  exemption:  %s (review)\n", x)
	}
	if v.Question != "" {
		fmt.Fprintf(w, "  question:   %s (review)\n", v.Question)
	}
	fmt.Fprintf(w, "  outcome:    %s\n", v.Outcome)
	fmt.Fprintf(w, "  summary:    %s\n", v.Summary)
	for _, n := range v.Notes {
		fmt.Fprintf(w, "  note:       %s\n", n)
	}
	fmt.Fprintf(w, "  defined at: %s\n", v.Source)
	return exitOK
}

func rulesExplain(e *env, args []string) int {
	fs, paths, asJSON := rulesFlags(e, "explain")
	hs := fs.String("hs", "", "HS code of the goods (2 to 10 digits, dots allowed)")
	from := fs.String("from", "", "origin country")
	to := fs.String("to", "", "destination country")
	partner := fs.String("partner", "", "partner's country")
	vflag := fs.String("vessel-flag", "", "flag of the vessel carrying the goods")
	direction := fs.String("direction", "", "export or import (relative to the planning country)")
	desc := fs.String("description", "", "goods description")
	purpose := fs.String("purpose", "", "why the goods are needed")
	crossing := fs.String("crossing", "", "border crossing or port")
	var value, quantity tradeplan.Decimal
	fs.TextVar(&value, "value", tradeplan.Decimal{}, "line value (a point as the decimal separator)")
	currency := fs.String("currency", "USD", "currency of --value")
	fs.TextVar(&quantity, "quantity", tradeplan.Decimal{}, "quantity (a point as the decimal separator)")
	unit := fs.String("unit", "", "unit of --quantity (t, kg, bbl, l, pcs, ...)")
	asOf := fs.String("as-of", "", "screen under the rules in force on this day (default today)")
	exemption := fs.String("exemption", "", "a sanctions committee exemption reference cited for the line")
	var alts rulesMultiFlag
	fs.Var(&alts, "alt", "an alternative HS code the goods may fall under (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan rules explain: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	var bad []string
	country := func(flagName, s string) string {
		if strings.TrimSpace(s) == "" {
			return ""
		}
		c, ok := plan.Country(s)
		if !ok {
			bad = append(bad, fmt.Sprintf("--%s %q: not a country (want an ISO 3166 code such as KP or a name such as \"North Korea\")", flagName, s))
		}
		return c
	}
	l := &tradeplan.Line{
		Index:       1,
		Description: *desc,
		Purpose:     *purpose,
		Crossing:    *crossing,
		HS:          *hs,
		Origin:      country("from", *from),
		Destination: country("to", *to),
		Exemption:   *exemption,
		Quantity:    quantity,
		Value:       value,
	}
	if p := country("partner", *partner); p != "" {
		l.Partner = &tradeplan.Party{Country: p}
	}
	if f := country("vessel-flag", *vflag); f != "" {
		l.Vessel = &tradeplan.Vessel{Flag: f}
	}
	switch strings.ToLower(*direction) {
	case "":
	case "export":
		l.Direction = tradeplan.Export
	case "import":
		l.Direction = tradeplan.Import
	default:
		bad = append(bad, fmt.Sprintf("--direction %q: want export or import", *direction))
	}
	if !value.IsZero() {
		l.Currency = strings.ToUpper(strings.TrimSpace(*currency))
	}
	if *unit != "" {
		u, ok := tradeplan.LookupUnit(*unit)
		if !ok {
			bad = append(bad, fmt.Sprintf("--unit %q: unknown unit (want t, kg, bbl, l, m3, pcs, ...)", *unit))
		} else {
			l.Unit = u.Symbol
		}
	}
	if quantity.Sign() < 0 || value.Sign() < 0 {
		bad = append(bad, "--quantity and --value cannot be negative")
	}
	if quantity.Sign() > 0 && *unit == "" {
		bad = append(bad, "--quantity needs --unit")
	}
	date := time.Now().UTC()
	if *asOf != "" {
		d, err := time.Parse("2006-01-02", *asOf)
		if err != nil {
			bad = append(bad, fmt.Sprintf("--as-of %q: want a date YYYY-MM-DD", *asOf))
		}
		date = d
	}
	if strings.TrimSpace(*hs) == "" {
		bad = append(bad, "--hs is required (the HS code of the goods)")
	}
	if len(bad) > 0 {
		for _, b := range bad {
			fmt.Fprintf(e.stderr, "tradeplan rules explain: %s\n", b)
		}
		return exitUsage
	}
	eng, code := rulesLoad(e, *paths)
	if eng == nil {
		return code
	}
	x := eng.Explain(tradeplan.GoodsLine{Line: l, HS: *hs, AsOf: date, Alternatives: alts})
	if *asJSON {
		if c := rulesWriteJSON(e, x); c != exitOK {
			return c
		}
	} else if err := x.WriteText(e.stdout); err != nil {
		return exitFailure
	}
	if x.Verdict != tradeplan.Clear {
		return exitFindings
	}
	return exitOK
}

func rulesWriteJSON(e *env, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.stderr, "tradeplan: %v\n", err)
		return exitFailure
	}
	return exitOK
}
