package hs

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every band of data/figures.tsv says what the official HS 2022 text of its
// subheading says: "exceeding OVER" and "not exceeding UPTO" (or "over" and
// "not over"), in the same quantity; and the members of a group are
// siblings under one heading.
func TestFiguresAgreeWithNomenclature(t *testing.T) {
	n22, n17 := loadFull(t)
	num := regexp.MustCompile(`(?i)(not )?(exceeding|over) ([0-9][0-9,]*(?:\.[0-9]+)?) ?(cc|kw|mw|w|kva|kn)?`)
	unit := map[string]float64{"cc": 1, "w": 1, "kw": 1e3, "mw": 1e6, "kva": 1e3, "kn": 1e3}
	for _, b := range figures.bands {
		for _, n := range []*Nomenclature{n22, n17} {
			e, ok := n.Lookup(b.code)
			if !ok {
				t.Errorf("%s: %s is not in %s", figuresFile, b.code, n.Source)
				continue
			}
			var over, upto []float64
			ms := num.FindAllStringSubmatch(e.Title, -1)
			// "over 1000 but not over 1500cc": a number without a unit takes the next one's
			for i := len(ms) - 1; i >= 0; i-- {
				if ms[i][4] == "" && i+1 < len(ms) {
					ms[i][4] = ms[i+1][4]
				}
			}
			for _, m := range ms {
				v, err := strconv.ParseFloat(strings.ReplaceAll(m[3], ",", ""), 64)
				if err != nil || m[4] == "" {
					continue
				}
				v *= unit[strings.ToLower(m[4])]
				if m[1] != "" {
					upto = append(upto, v)
				} else {
					over = append(over, v)
				}
			}
			if b.over > 0 && !slices.Contains(over, b.over) || b.over == 0 && len(over) > 0 {
				t.Errorf("%s %s: over %v, but the text says exceeding %v: %q", n.Source, b.code, b.over, over, e.Title)
			}
			if !math.IsInf(b.upto, 1) && !slices.Contains(upto, b.upto) || math.IsInf(b.upto, 1) && len(upto) > 0 {
				t.Errorf("%s %s: up to %v, but the text says not exceeding %v: %q", n.Source, b.code, b.upto, upto, e.Title)
			}
		}
	}
	for g, is := range figures.byGroup {
		for _, i := range is {
			if b := figures.bands[i]; b.code[:4] != figures.bands[is[0]].code[:4] || b.quantity != figures.bands[is[0]].quantity {
				t.Errorf("group %s: %s is not under the heading, or not of the quantity, of %s", g, b.code, figures.bands[is[0]].code)
			}
		}
	}
}

func TestFiguresIn(t *testing.T) {
	tests := []struct {
		in   string
		want []string // quantity=value
	}{
		{"passenger car 1,800 cc", []string{"cc=1800"}},
		{"petrol car 1.6L", []string{"cc=1600"}},
		{"diesel car 2.0 litre", []string{"cc=2000"}},
		{"engine oil 200 L drums", nil}, // a drum's litres are no cylinder capacity
		{"motor 0.55kW", []string{"W=550"}},
		{"tractor 100 hp", []string{"W=74570"}},
		{"generator 500 kVA", []string{"VA=500000"}},
		{"turbine 20 MW", []string{"W=2e+07"}},
		{"turbojet 30 kN", []string{"N=30000"}},
		{"motor 5.5-11 kW", []string{"W=11000"}},
		{"truck 6x4 371HP", []string{"W=276654.7"}},
		{"4 wheel drive, 12V battery, 3-phase", nil},
		{"model X200cc", nil}, // digits inside a word are no figure
		{"1,000 pcs", nil},
		{"no figure at all", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range figuresIn(tt.in) {
			got = append(got, f.quantity+"="+strconv.FormatFloat(f.value, 'g', -1, 64))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("figuresIn(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// A figure the description carries chooses the subheading of a group split
// by it, and the evidence names it; a figure of another quantity, figures
// in two bands, or goods of no such group change nothing.
func TestClassifyByFigure(t *testing.T) {
	c := defaultClassifier(t)
	tests := []struct {
		name, desc, want, evidence string
	}{
		{"engine over 1000 cc, words say motorcycle", "gasoline engine 1200 cc for motorcycles", "840734", "1200 cc, exceeding 1,000 cc"},
		{"car 1,800 cc", "passenger car petrol, 1,800 cc", "870323", "exceeding 1,500 cc but not exceeding 3,000 cc"},
		{"car at the bound is in the lower band", "petrol passenger car 1500 cc", "870322", "not exceeding 1,500 cc"},
		{"car just over the bound", "petrol passenger car 1501 cc", "870323", "exceeding 1,500 cc"},
		{"diesel car in litres", "diesel SUV 3.0 l", "870333", "3.0 l (3,000 cc)"},
		{"motorcycle 650 cc", "motorcycle 650 cc", "871140", "exceeding 500 cc"},
		{"AC motor 110 kW", "three-phase induction motor 110 kW", "850153", "exceeding 75 kW"},
		{"AC motor 0.55 kW", "three phase AC motor 0.55 kW", "850151", "not exceeding 750 W"},
		{"tractor in hp", "farm tractor 100 hp", "870193", "100 hp (74.6 kW)"},
		{"genset 30 kVA", "diesel genset 30 kVA", "850211", "not exceeding 75 kVA"},
		{"transformer 10 kVA", "dry type transformer 10 kVA", "850432", "exceeding 1 kVA but not exceeding 16 kVA"},
		{"turbine 20 MW", "hydraulic turbines 20 MW", "841013", "exceeding 10 MW"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.desc, 3)
			if len(got) == 0 || got[0].Code != tt.want {
				t.Fatalf("Classify(%q) = %v, want %s first", tt.desc, got, tt.want)
			}
			fig := ""
			for _, e := range got[0].Evidence {
				if strings.HasPrefix(e, "figure: ") {
					fig = e
				}
			}
			if !strings.Contains(fig, tt.evidence) {
				t.Errorf("evidence %q does not name the figure (%q)", got[0].Evidence, tt.evidence)
			}
			seen := map[string]bool{}
			for _, cd := range got {
				if seen[cd.Code] {
					t.Errorf("%s returned twice: %v", cd.Code, got)
				}
				seen[cd.Code] = true
			}
		})
	}
	negatives := []struct{ name, desc, notWant string }{
		// kVA is no output in W: a motor's band is not chosen by it
		{"another quantity", "three-phase induction motor 110 kVA", "850153"},
		// two figures in two bands: the words decide, as before
		{"two bands", "passenger cars petrol 1,200 cc and 2,400 cc", ""},
		// a tank of 200 litres is no cylinder capacity
		{"litres of a tank", "passenger car petrol, fuel tank 60 l", "870324"},
	}
	for _, tt := range negatives {
		got := c.Classify(tt.desc, 3)
		if len(got) > 0 && got[0].Code == tt.notWant {
			t.Errorf("%s: Classify(%q) = %v, %s first", tt.name, tt.desc, got, tt.notWant)
		}
		for _, cd := range got {
			for _, e := range cd.Evidence {
				if strings.HasPrefix(e, "figure: ") {
					t.Errorf("%s: Classify(%q): %s chosen by a figure: %q", tt.name, tt.desc, cd.Code, e)
				}
			}
		}
	}
}

func TestParseFiguresErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"group\tcode\tquantity\tover\tupto\n8703.2\t8703\tcc\t-\t1000\n", "want 6 digits"},
		{"group\tcode\tquantity\tover\tupto\n8703.2\t870321\tbarrels\t-\t1000\n", "quantity"},
		{"group\tcode\tquantity\tover\tupto\n8703.2\t870321\tcc\t1000\t500\n", "over below upto"},
		{"group\tcode\tquantity\tover\tupto\n8703.2\t870321\tcc\t-\n", "want GROUP"},
	} {
		_, err := parseFigures([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), figuresFile+":2") {
			t.Errorf("parseFigures(%q) = %v, want %q at line 2", tt.in, err, tt.want)
		}
	}
}
