package server

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/imports"
	"github.com/tradeplan/tradeplan/internal/svgchart"
	"github.com/tradeplan/tradeplan/licensing"
)

// The import ranking on the pages (licensing/imports.go): the call page's
// ranking, budget form and upgrades; the crossings page's capacity.

// importsUI is what the call page shows of a call's imports.
type importsUI struct {
	V          *licensing.ImportsView
	CanBudget  bool
	CanUpgrade bool
	Tiers      []imports.Tier
	// TierChart draws the budget by tier (funded against reserved).
	TierChart *svgchart.Chart
	// Loads is the weekly load of each crossing, drawn with its table.
	Loads []crossingLoad
	// Rates is the budget form's rates as the form writes them.
	Rates string
}

type crossingLoad struct {
	Crossing string
	Slots    []imports.Slot
	Chart    svgchart.Chart
}

func (u *ui) callImports(ctx context.Context, a tradeplan.Actor, r licensing.CallReport) importsUI {
	v := importsUI{V: r.Imports, Tiers: imports.DefaultPolicy().Tiers}
	if r.Imports == nil || u.svc == nil {
		return v
	}
	v.CanBudget = u.svc.Allowed(ctx, a, licensing.ActSetBudget, 0)
	v.CanUpgrade = u.svc.Allowed(ctx, a, licensing.ActUpgradeTier, 0)
	if b := r.Imports.Budget; b != nil {
		var rs []string
		for k, x := range b.Rates {
			rs = append(rs, k+"="+x.String())
		}
		sort.Strings(rs)
		v.Rates = strings.Join(rs, "\n")
	}
	if rk := r.Imports.Ranking; rk != nil {
		c := tierChart(rk.Tiers, rk.Currency)
		v.TierChart = &c
		if rk.Schedule != nil {
			for _, s := range rk.Schedule.Slots {
				if n := len(v.Loads); n == 0 || v.Loads[n-1].Crossing != s.Crossing {
					v.Loads = append(v.Loads, crossingLoad{Crossing: s.Crossing})
				}
				v.Loads[len(v.Loads)-1].Slots = append(v.Loads[len(v.Loads)-1].Slots, s)
			}
			for i := range v.Loads {
				v.Loads[i].Chart = loadChart(i, v.Loads[i])
			}
		}
	}
	return v
}

// tierChart draws what each tier was funded, beside what was reserved
// for it (the table gives both).
func tierChart(tiers []imports.TierResult, currency string) svgchart.Chart {
	var bars []svgchart.Bar
	for _, t := range tiers {
		cls := "ok"
		if t.Deferred {
			cls = "bad"
		} else if t.Funded.Cmp(t.Need) < 0 {
			cls = "warn" // cut: funded below its verified need
		}
		bars = append(bars, svgchart.Bar{Label: "T" + strconv.Itoa(t.Tier) + " " + t.Name, Value: t.Funded.Float64(),
			Text: fmtNum(t.Funded) + " of " + fmtNum(t.Need) + " " + currency, Class: cls})
	}
	c := svgchart.Bars("imports-tiers", "The budget by tier: funded of the need", currency, bars)
	c.Table.Head = []string{"tier", "funded of the need (" + currency + ")"}
	return c
}

// loadChart draws a crossing's weekly load against its capacity, in
// tonnes; a closed week has no capacity.
func loadChart(i int, l crossingLoad) svgchart.Chart {
	labels := make([]string, len(l.Slots))
	load := svgchart.Series{Name: "carried", Values: make([]float64, len(l.Slots)), Texts: make([]string, len(l.Slots))}
	capa := svgchart.Series{Name: "capacity", Values: make([]float64, len(l.Slots)), Texts: make([]string, len(l.Slots))}
	for j, s := range l.Slots {
		labels[j] = "week " + strconv.Itoa(s.Week)
		load.Values[j], load.Texts[j] = s.Load.Float64(), fmtNum(s.Load)
		if s.Closed {
			capa.Texts[j] = "closed"
		} else {
			capa.Values[j], capa.Texts[j] = s.Capacity.Float64(), fmtNum(s.Capacity)
		}
	}
	return svgchart.Lines("imports-load-"+strconv.Itoa(i), "Weekly load at "+l.Crossing, "t", labels,
		[]svgchart.Series{load, capa}, nil)
}

// optDecimal reads an optional decimal field of a form; a bad one is a
// problem at its field.
func optDecimal(f map[string][]string, name string, ps *tradeplan.Problems) *tradeplan.Decimal {
	s := ""
	if v := f[name]; len(v) > 0 {
		s = strings.TrimSpace(strings.ReplaceAll(v[0], "\u202f", ""))
	}
	if s == "" {
		return nil
	}
	d, err := tradeplan.ParseDecimal(s)
	if err != nil {
		ps.Add(tradeplan.Position{Path: name}, "", "want a number; got %s", quoteShort(s))
		return nil
	}
	return &d
}

func (u *ui) setBudget(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "call")
	if err != nil {
		return err
	}
	f := r.PostForm
	var ps tradeplan.Problems
	b := licensing.CallBudget{Currency: f.Get("currency"), ReceiptsCurrency: f.Get("receipts_currency"),
		RatesAsOf: strings.TrimSpace(f.Get("rates_as_of")), RatesSource: strings.TrimSpace(f.Get("rates_source")), Override: f.Get("override")}
	if b.Version, err = strconv.Atoi(f.Get("version")); err != nil || b.Version < 0 {
		ps.Add(tradeplan.Position{Path: "version"}, "", "want the version the form was read at")
	}
	for name, dst := range map[string]*tradeplan.Decimal{"receipts": &b.Receipts, "reserves": &b.Reserves, "reserves_floor": &b.ReservesFloor} {
		if d := optDecimal(f, name, &ps); d != nil {
			*dst = *d
		}
	}
	b.Budget = optDecimal(f, "budget", &ps)
	b.SafetyMargin = optDecimal(f, "safety_margin", &ps)
	b.CurrencyPerWeek = optDecimal(f, "currency_per_week", &ps)
	for i, line := range strings.Split(f.Get("rates"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, val, ok := strings.Cut(line, "=")
		d, err := tradeplan.ParseDecimal(strings.TrimSpace(val))
		if !ok || err != nil {
			ps.Add(tradeplan.Position{Path: "rates", Line: i + 1}, "", "want CODE=RATE (CNY=0.14); got %s", quoteShort(line))
			continue
		}
		if b.Rates == nil {
			b.Rates = map[string]tradeplan.Decimal{}
		}
		b.Rates[strings.TrimSpace(k)] = d
	}
	if err := ps.Err("budget"); err != nil {
		return err
	}
	b, err = svc.SetCallBudget(r.Context(), q.actor, id, b)
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/calls/"+strconv.FormatInt(id, 10)+"#imports", "The budget of call "+strconv.FormatInt(id, 10)+" is now version "+strconv.Itoa(b.Version)+".")
}

func (u *ui) upgradeLine(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	id, err := uiPathID(r, "plan")
	if err != nil {
		return err
	}
	line, err := strconv.Atoi(r.PathValue("line"))
	if err != nil || line < 1 {
		return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no line %s", id, quoteShort(r.PathValue("line")))
	}
	tier, err := strconv.Atoi(r.PostForm.Get("tier"))
	if err != nil {
		return tradeplan.Errorf(tradeplan.EInvalid, "upgrade: tier: want a tier number; got %s", quoteShort(r.PostForm.Get("tier")))
	}
	up, err := svc.UpgradeTier(r.Context(), q.actor, id, line, tier, r.PostForm.Get("reason"))
	if err != nil {
		return err
	}
	back := "/plans/" + strconv.FormatInt(id, 10)
	if c := r.PostForm.Get("call"); c != "" {
		if n, err := strconv.ParseInt(c, 10, 64); err == nil && n > 0 {
			back = "/calls/" + strconv.FormatInt(n, 10) + "#imports"
		}
	}
	return u.redirect(w, r, back, "Line "+strconv.Itoa(line)+" of plan "+strconv.FormatInt(id, 10)+" is upgraded to T"+strconv.Itoa(up.Tier)+".")
}

func (u *ui) setCapacity(w http.ResponseWriter, r *http.Request, q *uiReq) error {
	svc, err := u.service()
	if err != nil {
		return err
	}
	f := r.PostForm
	var ps tradeplan.Problems
	var c tradeplan.CrossingCapacity
	if d := optDecimal(f, "tonnes_per_week", &ps); d != nil {
		c.TonnesPerWeek = *d
	}
	for _, k := range tradeplan.VehicleKinds {
		key := strings.ReplaceAll(k, " ", "_")
		n := strings.TrimSpace(f.Get(key + "_per_week"))
		if n == "" {
			continue
		}
		per, err := strconv.Atoi(n)
		if err != nil {
			ps.Add(tradeplan.Position{Path: key + "_per_week"}, "", "want a whole number; got %s", quoteShort(n))
			continue
		}
		vh := tradeplan.CapacityVehicle{Kind: k, PerWeek: per}
		if d := optDecimal(f, key+"_tonnes_each", &ps); d != nil {
			vh.TonnesEach = *d
		}
		c.Vehicles = append(c.Vehicles, vh)
	}
	if err := ps.Err("capacity"); err != nil {
		return err
	}
	x, err := svc.SetCrossingCapacity(r.Context(), q.actor, r.PathValue("id"), c)
	if err != nil {
		return err
	}
	return u.redirect(w, r, "/crossings#crossing-"+x.ID, "Crossing "+x.Name+" carries "+x.Capacity.TonnesPerWeek.String()+" t a week.")
}
