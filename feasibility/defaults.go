package feasibility

import (
	"fmt"
	"strings"
)

// Default is a typical figure of a processing, used only where a site
// file leaves the figure out, and then named in the block's
// defaults_used. HS is the prefix of the output's HS code it applies to.
// Status says how settled the figure is, as in the rule packs: "verified"
// (checked against the source), "recalled" (a typical value from the
// source as remembered, to be checked before relying on it).
type Default struct {
	HS          string
	Output      string  // what the figure is for, in words
	Yield       float64 // output per unit of input; 0 when not known
	KWhPerTonne float64 // per tonne of output; 0 when not known
	Source      string
	Status      string
}

// Defaults is the table of defaults (docs/feasibility.md shows it). A
// longer HS prefix wins over a shorter one.
var Defaults = []Default{
	{HS: "0303", Output: "whole fish, frozen", Yield: 1.0, KWhPerTonne: 100,
		Source: "freezing takes about 70-130 kWh per tonne (issue 14; typical range of plate and blast freezers, as recalled); the midpoint is used", Status: "recalled"},
	{HS: "030367", Output: "Alaska pollock, frozen whole", Yield: 1.0, KWhPerTonne: 100,
		Source: "as 0303", Status: "recalled"},
	{HS: "0305", Output: "fish, dried, salted or in brine", Yield: 0.62, KWhPerTonne: 60,
		Source: "whole pollock to wet-salted about 62% (issue 14; FAO Fisheries Technical Paper 309, Yield and nutritional value of the commercially more important fish species, as recalled)", Status: "recalled"},
	{HS: "030617", Output: "shrimps and prawns, frozen, peeled", Yield: 0.55, KWhPerTonne: 110,
		Source: "whole shrimp to peeled tail meat about 50-60% (FAO Fisheries Technical Paper 309, as recalled); freezing 70-130 kWh per tonne", Status: "recalled"},
	{HS: "0712", Output: "vegetables and mushrooms, dried", Yield: 0.10, KWhPerTonne: 3000,
		Source: "fresh to dried mushrooms about 10% (fresh mushrooms are about 90% water); hot-air drying energy", Status: "recalled"},
	{HS: "0901", Output: "coffee, green", Yield: 0.18, KWhPerTonne: 150,
		Source: "fresh cherry to green coffee about 1/5 to 1/6 by weight (dry processing), as recalled", Status: "recalled"},
	{HS: "0801", Output: "cashew kernels", Yield: 0.22, KWhPerTonne: 400,
		Source: "raw cashew nut to kernel about 20-25% (outturn), as recalled", Status: "recalled"},
	{HS: "2611", Output: "tungsten ore concentrate", Yield: 0.01, KWhPerTonne: 2000,
		Source: "depends on the grade: about 1% for an ore of 0.6% WO3 concentrated to 60% at 90% recovery; grinding and flotation about 20 kWh per tonne of ore", Status: "recalled"},
	{HS: "2613", Output: "molybdenum ore concentrate", Yield: 0.002, KWhPerTonne: 10000,
		Source: "depends on the grade: about 0.2% for an ore of 0.1% Mo concentrated to 50% at 90% recovery; about 20 kWh per tonne of ore", Status: "recalled"},
	{HS: "6704", Output: "wigs and false eyelashes", Yield: 0.8, KWhPerTonne: 1500,
		Source: "processed hair to finished wigs: trimming losses about 20% (the issue's example figure)", Status: "recalled"},
}

// lookupDefault returns the default of the longest HS prefix of hs.
func lookupDefault(hs string) (Default, bool) {
	var best Default
	found := false
	for _, d := range Defaults {
		if strings.HasPrefix(hs, d.HS) && (!found || len(d.HS) > len(best.HS)) {
			best, found = d, true
		}
	}
	return best, found
}

// applyDefaults fills a process's yield (when below 0) and kWh (when
// below 0) from the table, recording each figure used.
func applyDefaults(pr *Process) {
	d, ok := lookupDefault(pr.HS)
	if !ok {
		return
	}
	if pr.Yield < 0 && d.Yield > 0 {
		pr.Yield = d.Yield
		pr.Defaults = append(pr.Defaults, fmt.Sprintf("yield %s (%s, HS %s: %s) [%s]", fig(d.Yield), d.Output, d.HS, d.Source, d.Status))
	}
	if pr.KWhPerOutput < 0 && d.KWhPerTonne > 0 && pr.Unit == "t" {
		pr.KWhPerOutput = d.KWhPerTonne
		pr.Defaults = append(pr.Defaults, fmt.Sprintf("kwh_per_tonne %s (%s, HS %s: %s) [%s]", fig(d.KWhPerTonne), d.Output, d.HS, d.Source, d.Status))
	}
}
