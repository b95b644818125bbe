package parties

import (
	"encoding/csv"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// OFACFiles are the four files of the OFAC SDN list in its legacy CSV format
// (no header row; "-0-" means empty). SDN is required; the others may be nil.
// Dir is used in messages ("DIR/sdn.csv:12").
type OFACFiles struct {
	SDN, Alt, Add, Comments io.Reader
	Dir                     string
}

// OFAC file names, in the order a dataset keeps them.
var ofacFileNames = []string{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}

func ofacEmpty(s string) string {
	s = strings.TrimSpace(s)
	if s == "-0-" {
		return ""
	}
	return s
}

// ofacRows reads a legacy CSV file, calling fn with each record and its line.
// The files end with an ASCII SUB (0x1a) on the last line, which is skipped.
func ofacRows(r io.Reader, file string, minFields int, probs *tradeplan.Problems, fn func(rec []string, line int)) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.Line
			}
			probs.Add(tradeplan.Position{File: file, Line: line}, "", "malformed CSV: %v", err)
			return
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.Trim(rec[0], "\x1a \r\n") == "" {
			continue
		}
		if len(rec) < minFields {
			probs.Add(tradeplan.Position{File: file, Line: line}, "", "%d fields, want %d", len(rec), minFields)
			continue
		}
		fn(rec, line)
	}
}

// ParseOFAC reads the OFAC SDN legacy CSV set. Every problem is reported at
// its file and line; when there is any, the error lists them all and no
// entries are returned.
func ParseOFAC(f OFACFiles) (*ListInfo, error) {
	name := func(n string) string {
		if f.Dir == "" {
			return n
		}
		return strings.TrimSuffix(f.Dir, "/") + "/" + n
	}
	info := &ListInfo{List: "ofac", Format: "ofac-csv", Counts: map[string]int{}}
	var probs tradeplan.Problems
	if f.SDN == nil {
		probs.Add(tradeplan.Position{File: name("sdn.csv")}, "", "missing file")
		return nil, probs.Err("read OFAC list")
	}
	byNum := map[int]int{} // ent_num -> index in info.Entries
	remarks := map[int]string{}
	sdnFile := name("sdn.csv")
	ofacRows(f.SDN, sdnFile, 12, &probs, func(rec []string, line int) {
		pos := tradeplan.Position{File: sdnFile, Line: line}
		num, err := strconv.Atoi(strings.TrimSpace(rec[0]))
		if err != nil || num <= 0 {
			probs.Add(pos, "ent_num", "ent_num %q is not a positive number", rec[0])
			return
		}
		if _, dup := byNum[num]; dup {
			probs.Add(pos, "ent_num", "ent_num %d listed twice", num)
			return
		}
		e := Entry{List: "ofac", ID: "SDN-" + strconv.Itoa(num), Source: pos.String()}
		e.Name = clean(ofacEmpty(rec[1]))
		if e.Name == "" {
			probs.Add(pos, "name", "missing name")
			return
		}
		switch t := strings.ToLower(ofacEmpty(rec[2])); t {
		case "":
			e.Kind = Entity
		case "individual":
			e.Kind = Individual
		case "vessel":
			e.Kind = VesselKind
		case "aircraft":
			e.Kind = Aircraft
		default:
			probs.Add(pos, "type", "unknown SDN type %q (want individual, vessel, aircraft or -0-)", rec[2])
			return
		}
		for _, p := range strings.Split(ofacEmpty(rec[3]), "] [") {
			if p = strings.Trim(strings.TrimSpace(p), "[]"); p != "" {
				e.Programs = append(e.Programs, p)
			}
		}
		e.Flag = ofacEmpty(rec[9])
		byNum[num] = len(info.Entries)
		info.Entries = append(info.Entries, e)
		remarks[num] = ofacEmpty(rec[11])
	})
	if f.Comments != nil {
		file := name("sdn_comments.csv")
		ofacRows(f.Comments, file, 2, &probs, func(rec []string, line int) {
			num, err := strconv.Atoi(strings.TrimSpace(rec[0]))
			if _, ok := byNum[num]; err != nil || !ok {
				probs.Add(tradeplan.Position{File: file, Line: line}, "ent_num", "comment for unknown ent_num %q", rec[0])
				return
			}
			// The comments file continues remarks cut at the SDN file's field limit.
			remarks[num] += ofacEmpty(rec[1])
		})
	}
	if f.Alt != nil {
		file := name("alt.csv")
		ofacRows(f.Alt, file, 4, &probs, func(rec []string, line int) {
			pos := tradeplan.Position{File: file, Line: line}
			num, err := strconv.Atoi(strings.TrimSpace(rec[0]))
			i, ok := byNum[num]
			if err != nil || !ok {
				probs.Add(pos, "ent_num", "alias for unknown ent_num %q", rec[0])
				return
			}
			n := clean(ofacEmpty(rec[3]))
			if n == "" {
				return
			}
			q := QualityAKA
			switch strings.ToLower(ofacEmpty(rec[2])) {
			case "fka":
				q = QualityFKA
			case "nka":
				q = QualityNKA
			}
			info.Entries[i].Aliases = append(info.Entries[i].Aliases, Alias{Name: n, Quality: q})
		})
	}
	if f.Add != nil {
		file := name("add.csv")
		ofacRows(f.Add, file, 5, &probs, func(rec []string, line int) {
			num, err := strconv.Atoi(strings.TrimSpace(rec[0]))
			i, ok := byNum[num]
			if err != nil || !ok {
				probs.Add(tradeplan.Position{File: file, Line: line}, "ent_num", "address for unknown ent_num %q", rec[0])
				return
			}
			if c := clean(ofacEmpty(rec[4])); c != "" {
				e := &info.Entries[i]
				if !containsFold(e.Countries, c) {
					e.Countries = append(e.Countries, c)
				}
			}
		})
	}
	if err := probs.Err("read OFAC list"); err != nil {
		return nil, err
	}
	for num, i := range byNum {
		ofacRemarks(&info.Entries[i], remarks[num])
	}
	countEntries(info)
	return info, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

var (
	quotedAlias = regexp.MustCompile(`^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s*'(.+)'\.?$`)
)

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// ofacRemarks reads the facts written in an SDN entry's remarks: dates of
// birth, nationalities, passports and national ids, IMO numbers and the weak
// aliases that appear only there.
func ofacRemarks(e *Entry, rem string) {
	if rem == "" {
		return
	}
	for rest := rem; ; {
		i := strings.Index(rest, "IMO ")
		if i < 0 {
			break
		}
		rest = rest[i+4:]
		if (i == 0 || !isLetterByte(rem[len(rem)-len(rest)-5])) && len(rest) >= 7 && isNumber(rest[:7]) && (len(rest) == 7 || rest[7] < '0' || rest[7] > '9') {
			t := "company"
			if e.Kind == VesselKind {
				t = "vessel"
			}
			e.IMOs = appendIMO(e.IMOs, IMONumber{Number: rest[:7], Type: t})
		}
	}
	for _, item := range strings.Split(strings.TrimSuffix(rem, "."), ";") {
		item = strings.TrimSpace(item)
		low := strings.TrimPrefix(item, "alt. ")
		switch {
		case strings.HasPrefix(low, "DOB "):
			if d, ok := parseOFACDate(strings.TrimSpace(low[4:])); ok {
				e.DOBs = append(e.DOBs, d)
			}
		case strings.HasPrefix(low, "nationality "), strings.HasPrefix(low, "citizen "):
			c := strings.TrimSpace(low[strings.IndexByte(low, ' ')+1:])
			if c != "" && !containsFold(e.Nationalities, c) {
				e.Nationalities = append(e.Nationalities, c)
			}
		case strings.HasPrefix(low, "Passport "), strings.HasPrefix(low, "National ID No. "):
			typ := "Passport"
			rest := strings.TrimPrefix(low, "Passport ")
			if strings.HasPrefix(low, "National ID No. ") {
				typ = "National ID No."
				rest = strings.TrimPrefix(low, "National ID No. ")
			}
			num, country := rest, ""
			if i := strings.Index(num, " ("); i >= 0 {
				if j := strings.IndexByte(num[i:], ')'); j > 0 {
					country = num[i+2 : i+j]
				}
				num = num[:i]
			}
			for _, cut := range []string{" issued", " expires", " expired"} {
				if i := strings.Index(num, cut); i >= 0 {
					num = num[:i]
				}
			}
			if num = strings.TrimSpace(num); num != "" {
				e.Documents = append(e.Documents, Document{Type: typ, Number: num, Country: country})
			}
		case strings.HasPrefix(item, "a.k.a.") || strings.HasPrefix(item, "f.k.a.") || strings.HasPrefix(item, "n.k.a."):
			if m := quotedAlias.FindStringSubmatch(item); m != nil {
				if n := clean(m[1]); n != "" {
					e.Aliases = append(e.Aliases, Alias{Name: n, Quality: QualityLow})
				}
			}
		}
	}
}

var monthNames = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// parseOFACDate reads "18 Jun 1964", "Jun 1964", "1964", "circa 1947",
// "1944 to 1945" and "01 Jan 1947 to 31 Dec 1947".
func parseOFACDate(s string) (DOB, bool) {
	var d DOB
	d.Text = s
	if strings.HasPrefix(s, "circa ") {
		d.Approx = true
		s = strings.TrimPrefix(s, "circa ")
	}
	from, to, span := strings.Cut(s, " to ")
	y, m, dd, ok := parseDayMonthYear(from)
	if !ok {
		return d, false
	}
	d.Year, d.Month, d.Day = y, m, dd
	if span {
		ty, _, _, ok := parseDayMonthYear(to)
		if !ok || ty < y {
			return d, false
		}
		if ty > y {
			d.Month, d.Day = 0, 0
			d.ToYear = ty
		}
	}
	return d, true
}

// parseDayMonthYear reads "18 Jun 1964", "Jun 1964", "1964" and "1964-06-18".
func parseDayMonthYear(s string) (y, m, d int, ok bool) {
	s = strings.TrimSpace(s)
	if y, m, d, ok := parseISODate(s); ok {
		return y, m, d, true
	}
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 3 {
		return 0, 0, 0, false
	}
	y, err := strconv.Atoi(f[len(f)-1])
	if err != nil || y < 1800 || y > 2100 {
		return 0, 0, 0, false
	}
	if len(f) >= 2 {
		mon := strings.ToLower(f[len(f)-2])
		if len(mon) > 3 {
			mon = mon[:3]
		}
		if m, ok = monthNames[mon]; !ok {
			return 0, 0, 0, false
		}
	}
	if len(f) == 3 {
		if d, err = strconv.Atoi(f[0]); err != nil || d < 1 || d > 31 {
			return 0, 0, 0, false
		}
	}
	return y, m, d, true
}
