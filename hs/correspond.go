package hs

import (
	"sort"
	"strings"
)

// Correspondence maps codes between two editions of the HS where they
// changed: codes present in one edition only, and the known splits where a
// code kept its number but lost part of its scope (0709.59 in HS 2017 held
// matsutake and truffles, which HS 2022 moved to 0709.55 and 0709.56).
type Correspondence struct {
	From, To string              // edition names, e.g. "hs2017", "hs2022"
	forward  map[string][]string // From code -> To codes
	backward map[string][]string // To code -> From codes
	notes    map[string]string   // From code -> why
}

// knownSplits is our own table of HS 2017 -> HS 2022 changes that the code
// lists alone cannot show (the code survives with a narrower scope), or whose
// destination lies in another heading.
var knownSplits = []struct {
	from string
	to   []string
	note string
}{
	{"070959", []string{"070952", "070953", "070954", "070955", "070956", "070959"}, "HS 2022 gave boletus, chanterelles, shiitake, matsutake and truffles their own subheadings"},
	{"071239", []string{"071234", "071239"}, "HS 2022 gave dried shiitake its own subheading 0712.34"},
	{"030510", []string{"030910"}, "HS 2022 moved fish flours, meals and pellets fit for eating to new heading 0309"},
	{"030699", []string{"030990", "030699"}, "HS 2022 moved crustacean flours and meals fit for eating to 0309.90"},
	{"030799", []string{"030990", "030799"}, "HS 2022 moved mollusc flours and meals fit for eating to 0309.90"},
	{"040310", []string{"040320"}, "HS 2022 renumbered yoghurt 0403.20"},
	{"030890", []string{"030990", "030890"}, "HS 2022 moved invertebrate flours and meals fit for eating to 0309.90"},
	{"080290", []string{"080291", "080292", "080299"}, "HS 2022 split other nuts (pine nuts in shell and shelled)"},
	{"121190", []string{"121160", "121190"}, "HS 2022 gave bark of African cherry (Prunus africana) its own subheading"},
	{"851762", []string{"851762", "851714"}, "HS 2022 moved some network telephones to 8517.14"},
	{"851712", []string{"851713", "851714"}, "HS 2022 split mobile telephones: smartphones 8517.13, others 8517.14"},
	{"854140", []string{"854141", "854142", "854143", "854149"}, "HS 2022 split photosensitive devices: LEDs 8541.41, solar cells 8541.42 and modules 8541.43"},
	{"880220", []string{"880220", "880621", "880622", "880623", "880624", "880629"}, "HS 2022 moved unmanned aircraft (drones) to new heading 8806"},
	{"240399", []string{"240399", "240411", "240412", "240419"}, "HS 2022 added heading 2404 for products for inhalation without combustion"},
	{"880310", []string{"880710"}, "HS 2022 moved parts of aircraft from heading 8803 to 8807"},
	{"880320", []string{"880720"}, "HS 2022 moved parts of aircraft from heading 8803 to 8807"},
	{"880330", []string{"880730"}, "HS 2022 moved parts of aircraft from heading 8803 to 8807"},
	{"880390", []string{"880790"}, "HS 2022 moved parts of aircraft from heading 8803 to 8807"},
	{"810720", []string{"811269"}, "HS 2022 moved cadmium from heading 8107 to 8112.61 and 8112.69"},
	{"810730", []string{"811261"}, "HS 2022 moved cadmium from heading 8107 to 8112.61 and 8112.69"},
	{"810790", []string{"811269"}, "HS 2022 moved cadmium from heading 8107 to 8112.61 and 8112.69"},
}

// NewCorrespondence derives the changes between two editions: for every
// subheading present in only one of them, the subheadings of the same
// heading present only in the other (or, failing that, all of that heading's
// subheadings in the other), plus the known splits.
func NewCorrespondence(from, to *Nomenclature) *Correspondence {
	c := &Correspondence{From: from.Name, To: to.Name, forward: map[string][]string{}, backward: map[string][]string{}, notes: map[string]string{}}
	onlyFrom, onlyTo := map[string][]string{}, map[string][]string{}
	for _, code := range from.Codes(6) {
		if _, ok := to.entries[code]; !ok {
			onlyFrom[code[:4]] = append(onlyFrom[code[:4]], code)
		}
	}
	for _, code := range to.Codes(6) {
		if _, ok := from.entries[code]; !ok {
			onlyTo[code[:4]] = append(onlyTo[code[:4]], code)
		}
	}
	add := func(f string, ts []string, note string) {
		for _, t := range ts {
			if !contains(c.forward[f], t) {
				c.forward[f] = append(c.forward[f], t)
			}
			if !contains(c.backward[t], f) {
				c.backward[t] = append(c.backward[t], f)
			}
		}
		if note != "" && c.notes[f] == "" {
			c.notes[f] = note
		}
	}
	for h, codes := range onlyFrom {
		dest := onlyTo[h]
		note := "not in " + to.Name + "; new codes of heading " + h
		if len(dest) == 0 {
			dest = to.Children(h)
			note = "not in " + to.Name + "; the remaining codes of heading " + h
		}
		if len(dest) == 0 {
			note = "not in " + to.Name + " and its heading " + h + " is gone: see the WCO correlation tables"
		}
		for _, f := range codes {
			add(f, dest, note)
		}
	}
	for h, codes := range onlyTo {
		if len(onlyFrom[h]) > 0 {
			continue
		}
		src := from.Children(h)
		for _, t := range codes {
			for _, f := range src {
				add(f, []string{t}, "")
			}
		}
	}
	forwardSplits := from.Name < to.Name
	for _, s := range knownSplits {
		if forwardSplits {
			c.notes[s.from] = s.note
			add(s.from, s.to, s.note)
		} else {
			for _, t := range s.to {
				add(t, []string{s.from}, s.note)
			}
		}
	}
	for _, m := range []map[string][]string{c.forward, c.backward} {
		for _, v := range m {
			sort.Strings(v)
		}
	}
	return c
}

// KnownSplits returns the hand-written HS 2017 -> HS 2022 table alone, for
// use without imported nomenclatures.
func KnownSplits() *Correspondence {
	c := &Correspondence{From: "hs2017", To: "hs2022", forward: map[string][]string{}, backward: map[string][]string{}, notes: map[string]string{}}
	for _, s := range knownSplits {
		c.forward[s.from] = append([]string(nil), s.to...)
		c.notes[s.from] = s.note
		for _, t := range s.to {
			c.backward[t] = append(c.backward[t], s.from)
		}
	}
	return c
}

// Forward returns the codes of the newer edition that a code of the older
// one may fall under, with the reason; ok is false when the code did not
// change.
func (c *Correspondence) Forward(code string) (codes []string, note string, ok bool) {
	code = strings.ReplaceAll(code, ".", "")
	v, ok := c.forward[code]
	return append([]string(nil), v...), c.notes[code], ok
}

// Backward returns the codes of the older edition that a newer code came from.
func (c *Correspondence) Backward(code string) ([]string, bool) {
	code = strings.ReplaceAll(code, ".", "")
	v, ok := c.backward[code]
	return append([]string(nil), v...), ok
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
