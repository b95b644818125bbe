package plan

import (
	"bufio"
	"io"
	"math/rand/v2"
	"strconv"
)

// sampleGoods are the goods of generated line files: an HS code, a
// description and a unit, in a mix of goods that the DPRK measures cover and
// goods they do not.
var sampleGoods = []struct{ hs, description, unit string }{
	{"030569", "salted pollack", "t"}, {"030367", "frozen alaska pollock", "t"}, {"030351", "frozen herring", "t"},
	{"030339", "frozen flat fish", "t"}, {"160510", "crab meat prepared", "kg"}, {"030779", "dried clams", "kg"},
	{"071239", "dried mushrooms", "kg"}, {"071159", "mushrooms in brine", "kg"}, {"121190", "medicinal plants", "kg"},
	{"270111", "anthracite coal", "t"}, {"260111", "iron ore non-agglomerated", "t"}, {"271019", "gas oil diesel", "bbl"},
	{"270900", "crude petroleum", "bbl"}, {"100630", "milled rice", "t"}, {"110100", "wheat flour", "t"},
	{"100590", "maize", "t"}, {"150790", "soybean oil refined", "t"}, {"310210", "urea fertiliser", "t"},
	{"300490", "medicaments in doses", "kg"}, {"560811", "fishing nets nylon", "kg"}, {"392010", "polyethylene film", "kg"},
	{"840999", "diesel engine parts", "pcs"}, {"847989", "industrial machines", "pcs"}, {"850440", "static converters", "pcs"},
	{"870332", "passenger cars diesel", "pcs"}, {"890399", "pleasure boats", "pcs"}, {"620342", "men's cotton trousers", "pcs"},
	{"611020", "cotton jerseys", "pcs"}, {"090111", "coffee not roasted", "t"}, {"080132", "cashew nuts shelled", "t"},
	{"030617", "frozen shrimps", "t"}, {"720839", "hot-rolled steel coils", "t"}, {"940360", "wooden furniture", "pcs"},
	{"910211", "wrist watches", "pcs"}, {"710231", "diamonds non-industrial", "g"}, {"220421", "wine in bottles", "l"},
	{"852872", "television receivers", "pcs"}, {"440710", "sawn coniferous wood", "m3"}, {"251990", "magnesia", "t"},
	{"2710", "refined petroleum products", "bbl"},
}

var sampleCountries = []string{"KP", "CN", "CN", "CN", "RU", "VN", "JP", "KR", "TH", "US", "DE", "AU", "BR", "IN", "ID", "MY"}

var sampleCrossings = []string{"", "", "Dandong-Sinuiju", "Namyang-Tumen", "Hunchun-Rason", "Dalian port", "Nakhodka port", "Haiphong port"}

var sampleCurrencies = []string{"USD", "USD", "USD", "CNY", "EUR", "JPY"}

// SampleCSVHeader is the header WriteSampleCSV writes.
const SampleCSVHeader = "date,origin,destination,hs,description,quantity,unit,value,currency,crossing"

// WriteSampleCSV writes a generated customs-style line file of n rows (after
// the header SampleCSVHeader), the same for the same seed: declared HS codes,
// origins, destinations, quantities and values in a mix of sanctioned and
// ordinary trade, without partner names. Benchmarks use it.
func WriteSampleCSV(w io.Writer, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(SampleCSVHeader + "\n")
	var buf []byte
	for i := 0; i < n; i++ {
		g := sampleGoods[rng.IntN(len(sampleGoods))]
		o := sampleCountries[rng.IntN(len(sampleCountries))]
		d := sampleCountries[rng.IntN(len(sampleCountries))]
		for d == o {
			d = sampleCountries[rng.IntN(len(sampleCountries))]
		}
		buf = buf[:0]
		buf = append(buf, "2023-"...)
		m, day := 1+rng.IntN(12), 1+rng.IntN(28)
		buf = append(buf, byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10), ',')
		buf = append(buf, o...)
		buf = append(buf, ',')
		buf = append(buf, d...)
		buf = append(buf, ',')
		buf = append(buf, g.hs...)
		buf = append(buf, ',')
		buf = append(buf, g.description...)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, float64(1+rng.IntN(50000))/10, 'f', -1, 64)
		buf = append(buf, ',')
		buf = append(buf, g.unit...)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(100+rng.IntN(5_000_000)), 10)
		buf = append(buf, ',')
		buf = append(buf, sampleCurrencies[rng.IntN(len(sampleCurrencies))]...)
		buf = append(buf, ',')
		buf = append(buf, sampleCrossings[rng.IntN(len(sampleCrossings))]...)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}
