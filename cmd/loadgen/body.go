package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
)

// goods is a mix of export and import lines of the kind a provincial plan
// holds: banned seafood and textiles, capped petroleum, clear machinery and
// food, some with partners and vessels so that party screening runs too.
var goods = []good{
	{"export", "salted pollack", "030569", "t", "Hunchun Donghai Aquatic Products Co., Ltd.", "CN", "Namyang-Tumen", 300, 420000},
	{"export", "packaged crab meat", "160510", "t", "", "", "Rason port", 40, 380000},
	{"export", "dried clams", "030772", "t", "", "", "Rason port", 25, 90000},
	{"export", "dried pine mushrooms", "071239", "t", "", "", "Namyang-Tumen", 8, 160000},
	{"export", "cotton knitted pullovers", "611020", "pcs", "", "", "Sinuiju-Dandong", 20000, 100000},
	{"import", "diesel fuel", "271019", "t", "Dandong Fuel Trading Co.", "CN", "Sinuiju-Dandong", 500, 400000},
	{"import", "wheat flour", "110100", "t", "", "", "Sinuiju-Dandong", 1000, 350000},
	{"import", "maize seed for sowing", "100510", "t", "", "", "Namyang-Tumen", 50, 60000},
	{"import", "insulin, in measured doses", "300431", "kg", "", "", "Sinuiju-Dandong", 20, 50000},
	{"import", "centrifugal water pumps", "841370", "pcs", "", "", "Namyang-Tumen", 40, 30000},
}

// good is one plan line of the generated plans.
type good struct {
	dir, desc, hs, unit, partner, country, crossing string
	qty, value                                      float64
}

// cycle returns n lines cycling through goods.
func cycle(n int) []good {
	out := make([]good, n)
	for i := range out {
		out[i] = goods[i%len(goods)]
	}
	return out
}

// generatePlan returns a YAML plan document of n lines cycling through goods.
func generatePlan(n int) []byte { return planYAML("loadgen", cycle(n)) }

func planYAML(id string, lines []good) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "plan: {id: %s, organisation: North Hamgyong Provincial Trade Bureau, country: KP, period: 2027-H1}\nlines:\n", id)
	for _, g := range lines {
		fmt.Fprintf(&b, "  - direction: %s\n    description: %s\n    hs: %q\n    quantity: %g\n    unit: %s\n    value: %g\n    currency: USD\n    crossing: %s\n",
			g.dir, g.desc, g.hs, g.qty, g.unit, g.value, g.crossing)
		if g.partner != "" {
			fmt.Fprintf(&b, "    partner: {name: %q, country: %s}\n", g.partner, g.country)
		}
		if g.dir == "import" {
			b.WriteString("    origin: CN\n    necessity: essential\n")
		} else {
			b.WriteString("    destination: CN\n")
		}
	}
	return b.Bytes()
}

// generatePlanJSON returns the same plan as generatePlan, as JSON.
func generatePlanJSON(n int) []byte { return planJSON("loadgen", cycle(n)) }

func planJSON(id string, goods []good) []byte {
	lines := make([]map[string]any, len(goods))
	for i, g := range goods {
		l := map[string]any{"direction": g.dir, "description": g.desc, "hs": g.hs, "quantity": g.qty, "unit": g.unit,
			"value": g.value, "currency": "USD", "crossing": g.crossing}
		if g.partner != "" {
			l["partner"] = map[string]string{"name": g.partner, "country": g.country}
		}
		if g.dir == "import" {
			l["origin"], l["necessity"] = "CN", "essential"
		} else {
			l["destination"] = "CN"
		}
		lines[i] = l
	}
	b, _ := json.Marshal(map[string]any{
		"plan":  map[string]string{"id": id, "organisation": "North Hamgyong Provincial Trade Bureau", "country": "KP", "period": "2027-H1"},
		"lines": lines,
	})
	return b
}

// generatePlanCSV returns the same lines as a bulk CSV line file.
func generatePlanCSV(n int) []byte { return planCSV(cycle(n)) }

func planCSV(lines []good) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"direction", "description", "hs", "origin", "destination", "quantity", "unit", "value", "currency", "partner", "partner_country", "crossing", "necessity"})
	for _, g := range lines {
		origin, dest, nec := "KP", "CN", ""
		if g.dir == "import" {
			origin, dest, nec = "CN", "KP", "essential"
		}
		w.Write([]string{g.dir, g.desc, g.hs, origin, dest, strconv.FormatFloat(g.qty, 'f', -1, 64), g.unit,
			strconv.FormatFloat(g.value, 'f', -1, 64), "USD", g.partner, g.country, g.crossing, nec})
	}
	w.Flush()
	return b.Bytes()
}

// partyNames mixes listed names, near misses and ordinary company names.
var partyNames = []string{
	"Korea Mining Development Trading Corporation",
	"Tanchon Commercial Bank",
	"Hunchun Donghai Aquatic Products Co., Ltd.",
	"Kim Jong Sik",
	"Ocean Maritime Management Company",
	"Dandong Fuel Trading Co.",
	"Chong Chon Gang Shipping",
	"Liaoning Hongxiang Industrial Development",
	"Green Pine Associated Corporation",
	"Shenyang Agricultural Supplies Ltd.",
}

// generateNames returns a parties screening request of n names.
func generateNames(n int) []byte {
	names := make([]string, n)
	for i := range names {
		names[i] = partyNames[i%len(partyNames)]
	}
	b, _ := json.Marshal(map[string]any{"names": names, "top": 5})
	return b
}
