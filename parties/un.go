package parties

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// ListInfo describes a parsed list file set.
type ListInfo struct {
	List    string         // "un" or "ofac"
	Format  string         // "un-xml" or "ofac-csv"
	Date    string         // the list's own date (UN dateGenerated), "" when the format has none
	Counts  map[string]int // entries by kind, and "aliases"
	Entries []Entry
}

type unName struct {
	Quality string `xml:"QUALITY"`
	Name    string `xml:"ALIAS_NAME"`
}

type unDOB struct {
	Type     string `xml:"TYPE_OF_DATE"`
	Date     string `xml:"DATE"`
	Year     string `xml:"YEAR"`
	FromYear string `xml:"FROM_YEAR"`
	ToYear   string `xml:"TO_YEAR"`
	Note     string `xml:"NOTE"`
}

type unDocument struct {
	Type    string `xml:"TYPE_OF_DOCUMENT"`
	Type2   string `xml:"TYPE_OF_DOCUMENT2"`
	Number  string `xml:"NUMBER"`
	Country string `xml:"ISSUING_COUNTRY"`
	Issued  string `xml:"COUNTRY_OF_ISSUE"`
}

type unAddress struct {
	Country string `xml:"COUNTRY"`
}

type unRecord struct {
	First     string       `xml:"FIRST_NAME"`
	Second    string       `xml:"SECOND_NAME"`
	Third     string       `xml:"THIRD_NAME"`
	Fourth    string       `xml:"FOURTH_NAME"`
	Original  string       `xml:"NAME_ORIGINAL_SCRIPT"`
	ListType  string       `xml:"UN_LIST_TYPE"`
	Reference string       `xml:"REFERENCE_NUMBER"`
	ListedOn  string       `xml:"LISTED_ON"`
	Comments  string       `xml:"COMMENTS1"`
	Nations   []string     `xml:"NATIONALITY>VALUE"`
	IndAlias  []unName     `xml:"INDIVIDUAL_ALIAS"`
	EntAlias  []unName     `xml:"ENTITY_ALIAS"`
	IndAddr   []unAddress  `xml:"INDIVIDUAL_ADDRESS"`
	EntAddr   []unAddress  `xml:"ENTITY_ADDRESS"`
	DOBs      []unDOB      `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	Documents []unDocument `xml:"INDIVIDUAL_DOCUMENT"`
}

// imoInText finds IMO numbers written in free text: "IMO number: 5342883",
// "IMO 5434358", "(IMO) Number: 1790183".
var imoInText = regexp.MustCompile(`(?i)\bIMO\)?(?:\s+number)?\s*[:.]?\s*(\d{7})\b`)

// ParseUN reads the UN Security Council Consolidated List in its XML format.
// file names the input in messages. Every problem is reported at its line;
// when there is any, the error lists them all and no entries are returned.
func ParseUN(r io.Reader, file string) (*ListInfo, error) {
	if file == "" {
		file = "-"
	}
	info := &ListInfo{List: "un", Format: "un-xml", Counts: map[string]int{}}
	var probs tradeplan.Problems
	dec := xml.NewDecoder(r)
	sawRoot := false
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			l, _ := dec.InputPos()
			probs.Add(tradeplan.Position{File: file, Line: l}, "", "malformed XML: %v", err)
			return nil, probs.Err("read UN list " + file)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "CONSOLIDATED_LIST":
			sawRoot = true
			for _, a := range se.Attr {
				if a.Name.Local == "dateGenerated" && len(a.Value) >= 10 {
					info.Date = a.Value[:10]
				}
			}
		case "INDIVIDUAL", "ENTITY":
			if !sawRoot {
				probs.Add(tradeplan.Position{File: file, Line: line}, se.Name.Local, "record outside CONSOLIDATED_LIST")
			}
			var rec unRecord
			if err := dec.DecodeElement(&rec, &se); err != nil {
				l, _ := dec.InputPos()
				probs.Add(tradeplan.Position{File: file, Line: l}, se.Name.Local, "malformed XML: %v", err)
				return nil, probs.Err("read UN list " + file)
			}
			pos := tradeplan.Position{File: file, Line: line}
			e, ok := unEntry(&rec, se.Name.Local == "INDIVIDUAL", pos, &probs)
			if ok {
				info.Entries = append(info.Entries, e)
			}
		}
	}
	if !sawRoot && len(probs) == 0 {
		probs.Add(tradeplan.Position{File: file, Line: 1}, "", "not a UN consolidated list: no CONSOLIDATED_LIST element")
	}
	if err := probs.Err("read UN list " + file); err != nil {
		return nil, err
	}
	countEntries(info)
	return info, nil
}

func countEntries(info *ListInfo) {
	for _, e := range info.Entries {
		info.Counts[e.Kind]++
		info.Counts["aliases"] += len(e.Aliases)
	}
	info.Counts["entries"] = len(info.Entries)
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func unEntry(r *unRecord, individual bool, pos tradeplan.Position, probs *tradeplan.Problems) (Entry, bool) {
	e := Entry{List: "un", Kind: Entity, Source: pos.String()}
	if individual {
		e.Kind = Individual
	}
	// Reference numbers sometimes carry stray spaces ("KPi.066 ").
	e.ID = strings.Join(strings.Fields(r.Reference), "")
	var parts []string
	for _, p := range []string{r.First, r.Second, r.Third, r.Fourth} {
		if p = clean(p); p != "" {
			parts = append(parts, p)
		}
	}
	e.Name = strings.Join(parts, " ")
	ok := true
	if e.ID == "" {
		probs.Add(pos, "REFERENCE_NUMBER", "missing reference number")
		ok = false
	}
	if e.Name == "" {
		probs.Add(pos, "FIRST_NAME", "missing name")
		ok = false
	}
	if lt := clean(r.ListType); lt != "" {
		e.Programs = []string{lt}
	}
	e.ListedOn = clean(r.ListedOn)
	if o := clean(r.Original); o != "" {
		e.Aliases = append(e.Aliases, Alias{Name: o, Quality: QualityOriginal})
	}
	for _, a := range append(r.IndAlias, r.EntAlias...) {
		n := clean(a.Name)
		if n == "" {
			continue
		}
		q := strings.ToLower(strings.Trim(clean(a.Quality), "."))
		switch q {
		case "good", "":
			q = QualityGood
		case "low":
			q = QualityLow
		case "a.k.a":
			q = QualityAKA
		case "f.k.a":
			q = QualityFKA
		case "n.k.a":
			q = QualityNKA
		default:
			probs.Add(pos, "QUALITY", "unknown alias quality %q of %q (want Good, Low, a.k.a. or f.k.a.)", a.Quality, n)
		}
		e.Aliases = append(e.Aliases, Alias{Name: n, Quality: q})
	}
	for _, n := range r.Nations {
		if n = clean(n); n != "" {
			e.Nationalities = append(e.Nationalities, n)
		}
	}
	for _, a := range append(r.IndAddr, r.EntAddr...) {
		if c := clean(a.Country); c != "" {
			e.Countries = append(e.Countries, c)
		}
	}
	for _, d := range r.DOBs {
		dob, has, err := unDate(d)
		if err != nil {
			probs.Add(pos, "INDIVIDUAL_DATE_OF_BIRTH", "%s: %v", e.ID, err)
			continue
		}
		if has {
			e.DOBs = append(e.DOBs, dob)
		}
	}
	for _, d := range r.Documents {
		num := clean(d.Number)
		if num == "" {
			continue
		}
		t := clean(d.Type)
		if t2 := clean(d.Type2); t2 != "" && t == "" {
			t = t2
		}
		c := clean(d.Country)
		if c == "" {
			c = clean(d.Issued)
		}
		e.Documents = append(e.Documents, Document{Type: t, Number: num, Country: c})
	}
	for _, m := range imoInText.FindAllStringSubmatch(r.Comments, -1) {
		t := "company"
		if ValidIMO(m[1]) {
			t = "vessel"
		}
		e.IMOs = appendIMO(e.IMOs, IMONumber{Number: m[1], Type: t})
	}
	return e, ok
}

func appendIMO(list []IMONumber, n IMONumber) []IMONumber {
	for _, o := range list {
		if o.Number == n.Number {
			return list
		}
	}
	return append(list, n)
}

// unDate reads one INDIVIDUAL_DATE_OF_BIRTH. has is false for an empty one.
func unDate(d unDOB) (DOB, bool, error) {
	typ := strings.ToUpper(clean(d.Type))
	var out DOB
	out.Approx = typ == "APPROXIMATELY"
	date, year, from, to := clean(d.Date), clean(d.Year), clean(d.FromYear), clean(d.ToYear)
	switch {
	case date != "":
		y, m, dd, ok := parseISODate(date)
		if !ok {
			return out, false, fmt.Errorf("date of birth %q is not YYYY-MM-DD", date)
		}
		out.Year, out.Month, out.Day = y, m, dd
	case year != "":
		y, err := strconv.Atoi(year)
		if err != nil || y < 1800 || y > 2100 {
			return out, false, fmt.Errorf("year of birth %q is not a year", year)
		}
		out.Year = y
	case from != "" || to != "":
		f, err1 := strconv.Atoi(from)
		t, err2 := strconv.Atoi(to)
		if err1 != nil || err2 != nil || f > t {
			return out, false, fmt.Errorf("years of birth %q to %q are not a span of years", from, to)
		}
		out.Year, out.ToYear = f, t
	default:
		return out, false, nil
	}
	switch typ {
	case "", "EXACT", "APPROXIMATELY", "BETWEEN":
	default:
		return out, false, fmt.Errorf("unknown TYPE_OF_DATE %q (want EXACT, APPROXIMATELY or BETWEEN)", d.Type)
	}
	return out, true, nil
}

func parseISODate(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, e1 := strconv.Atoi(s[:4])
	m, e2 := strconv.Atoi(s[5:7])
	d, e3 := strconv.Atoi(s[8:])
	if e1 != nil || e2 != nil || e3 != nil || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}
