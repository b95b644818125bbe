package main

import (
	"fmt"
	"math/rand/v2"
)

// Differing bodies (-bodies N): the screening server remembers the
// classification of each description and the party findings of each
// partner name and country, keyed by the exact text, so one body posted
// again and again measures warm caches only. variedPlan keeps the shape of
// the generated plan (the same 50-odd lines cycling through goods: the same
// directions, HS codes, quantities, crossings and partner countries, and a
// partner on the same lines) and changes the text the caches are keyed by:
//
//   - every description gets a qualifier and a lot number, e.g.
//     "salted pollack, grade A, in cartons, lot 48213";
//   - every partner name is a made-up company, e.g.
//     "Yanji Rongsheng Aquatic Trading No. 317 Co., Ltd.".
//
// Both are drawn from a generator seeded by (seed, body index), so body i is
// the same for a seed whatever N is, and the lot and company numbers carry
// the body and line index, so no two lines of the N bodies share a
// description or a partner name: every line misses both caches, except
// where the server's cache was filled by an earlier run with the same seed.
var (
	grades    = []string{"grade A", "grade B", "first quality", "second quality", "standard", "premium", "export grade", "commercial grade"}
	packings  = []string{"in cartons", "in bags", "in bulk", "on pallets", "in drums", "in crates", "in bales", "in boxes of 10"}
	cities    = []string{"Yanji", "Hunchun", "Dandong", "Tumen", "Shenyang", "Dalian", "Changchun", "Harbin", "Qingdao", "Tianjin", "Vladivostok", "Nakhodka"}
	stems     = []string{"Rongsheng", "Hengtai", "Jinhai", "Xinghua", "Huaxin", "Dongfang", "Tianli", "Baoshan", "Yuxiang", "Zhongda", "Primorye", "Vostok"}
	trades    = []string{"Aquatic", "Fuel", "Grain", "Machinery", "Textile", "Import and Export", "Logistics", "Agricultural"}
	companies = []string{"Trading", "Industrial", "Commerce", "Supply", "Development"}
	forms     = []string{"Co., Ltd.", "Ltd.", "LLC", "Corporation", "Group Co."}
)

// variedLines returns the n lines of body number body for seed.
func variedLines(n int, seed uint64, body int) []good {
	r := rand.New(rand.NewPCG(seed, uint64(body)))
	lines := cycle(n)
	for i := range lines {
		g := &lines[i]
		// The body and line index make the lot unique; the draw hides
		// the pattern from a cache keyed by prefix.
		lot := body*n + i
		g.desc = fmt.Sprintf("%s, %s, %s, lot %d", g.desc, pick(r, grades), pick(r, packings), lot)
		if g.partner != "" {
			g.partner = fmt.Sprintf("%s %s %s %s No. %d %s", pick(r, cities), pick(r, stems), pick(r, trades),
				pick(r, companies), lot, pick(r, forms))
		}
	}
	return lines
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// variedBodies returns n plan documents of lines lines each, in format
// ("yaml", "json" or "csv"), body i from variedLines(lines, seed, i).
func variedBodies(n, lines int, seed uint64, format string) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		l := variedLines(lines, seed, i)
		id := fmt.Sprintf("loadgen-%d", i)
		switch format {
		case "json":
			out[i] = planJSON(id, l)
		case "csv":
			out[i] = planCSV(l)
		default:
			out[i] = planYAML(id, l)
		}
	}
	return out
}
