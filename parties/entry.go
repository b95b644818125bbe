// Package parties owns the sanctions lists and the screening of parties and
// vessels against them: the parsers of the UN Security Council Consolidated
// List (XML) and the OFAC SDN list (legacy CSV set), name normalisation with
// romanisation and legal-form equivalences, an inverted index of list names,
// and a scorer whose every score explains itself.
//
// The index implements tradeplan.PartyScreener. See docs/parties.md for the
// normalisation, the equivalence tables, the scoring formula and the measured
// false-positive rates of the two thresholds.
package parties

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Entry kinds.
const (
	Individual = "individual"
	Entity     = "entity"
	VesselKind = "vessel"
	Aircraft   = "aircraft"
)

// Alias qualities. UN individual aliases are "good" or "low"; UN entity
// aliases and OFAC alternate names are "aka", "fka" or "nka"; weak OFAC
// aliases written only in the remarks are "low"; names in original script
// are "original".
const (
	QualityGood     = "good"
	QualityLow      = "low"
	QualityAKA      = "aka"
	QualityFKA      = "fka"
	QualityNKA      = "nka"
	QualityOriginal = "original"
)

// Entry is one designation on a list: a person, an entity, a vessel or an
// aircraft.
type Entry struct {
	List          string // "un" or "ofac"
	ID            string // UN reference number ("KPe.004") or "SDN-" + OFAC ent_num
	Kind          string // Individual, Entity, VesselKind, Aircraft
	Name          string // the primary name as listed
	Aliases       []Alias
	Programs      []string // UN_LIST_TYPE ("DPRK") or OFAC programs ("DPRK2", "NPWMD")
	ListedOn      string   // YYYY-MM-DD when known
	DOBs          []DOB
	Nationalities []string // as written ("Democratic People's Republic of Korea", "Korea, North")
	Countries     []string // address countries, as written
	Documents     []Document
	IMOs          []IMONumber
	Flag          string // vessels: flag as written
	Source        string // file:line of the record
}

// Alias is another name of an entry.
type Alias struct {
	Name    string
	Quality string
}

// DOB is a date of birth as listed: an exact day, a month, a year, an
// approximate year or a span of years. Zero month or day means unknown.
type DOB struct {
	Year, Month, Day int
	ToYear           int  // BETWEEN spans: the last year; 0 otherwise
	Approx           bool // "APPROXIMATELY" / "circa"
	Text             string
}

func (d DOB) String() string {
	if d.Text != "" {
		return d.Text
	}
	s := strconv.Itoa(d.Year)
	if d.Month > 0 {
		s += fmt.Sprintf("-%02d", d.Month)
		if d.Day > 0 {
			s += fmt.Sprintf("-%02d", d.Day)
		}
	}
	if d.ToYear > 0 {
		s += "/" + strconv.Itoa(d.ToYear)
	}
	if d.Approx {
		s = "circa " + s
	}
	return s
}

// Document is an identity document of an individual.
type Document struct {
	Type    string // "Passport", "National Identification Number", ...
	Number  string
	Country string
}

// IMONumber is an IMO number found on an entry: a ship's number (checked by
// its check digit) or a company's registered-owner number (which has none).
type IMONumber struct {
	Number string // seven digits
	Type   string // "vessel" or "company"
}

// Citation is how a finding cites the entry.
func (e *Entry) Citation() string {
	switch e.List {
	case "un":
		return "UN Security Council Consolidated List, " + e.ID
	case "ofac":
		p := strings.Join(e.Programs, ", ")
		if p == "" {
			return "OFAC SDN list, " + e.ID
		}
		return "OFAC SDN list, " + e.ID + ", programs " + p
	}
	return e.List + " " + e.ID
}

// Version is a hash of the entry's content (names, dates, documents,
// identifiers, programs), so that a recorded decision lapses when the entry
// changes. The file position is not part of it.
func (e *Entry) Version() string {
	h := sha256.New()
	w := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
		h.Write([]byte{1})
	}
	w(e.List, e.ID, e.Kind, e.Name, e.ListedOn, e.Flag)
	for _, a := range e.Aliases {
		w("alias", a.Name, a.Quality)
	}
	w(e.Programs...)
	for _, d := range e.DOBs {
		w("dob", d.String())
	}
	w(e.Nationalities...)
	w(e.Countries...)
	for _, d := range e.Documents {
		w("doc", d.Type, d.Number, d.Country)
	}
	for _, n := range e.IMOs {
		w("imo", n.Number, n.Type)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// ValidIMO reports whether s is a valid IMO ship number: seven digits (an
// optional "IMO" prefix and spaces allowed) whose last digit is the check
// digit: the sum of the first six digits weighted 7, 6, 5, 4, 3, 2, modulo 10.
func ValidIMO(s string) bool {
	d := imoDigits(s)
	if d == "" {
		return false
	}
	sum := 0
	for i := 0; i < 6; i++ {
		sum += int(d[i]-'0') * (7 - i)
	}
	return sum%10 == int(d[6]-'0')
}

// imoDigits returns the seven digits of an IMO number written as "1234567",
// "IMO 1234567" or "IMO1234567", or "" when s is not one.
func imoDigits(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 3 && strings.EqualFold(s[:3], "imo") {
		s = strings.TrimSpace(strings.TrimLeft(s[3:], ":. "))
	}
	if len(s) != 7 {
		return ""
	}
	for i := 0; i < 7; i++ {
		if s[i] < '0' || s[i] > '9' {
			return ""
		}
	}
	return s
}
