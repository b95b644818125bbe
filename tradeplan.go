// Package tradeplan holds the domain of cross-border trade planning and
// licensing under sanctions: plans and their lines, the verdicts and findings
// of screening, and the interfaces through which the pure screening packages
// (hs, rules, parties) and the adapters (store, server) meet.
//
// The packages below it own one concern each:
//
//	plan/     plan documents and bulk line files: parsing, validation, units, countries
//	hs/       the HS nomenclature and the classifier of free-text goods descriptions
//	rules/    goods sanctions rule packs and their evaluator
//	parties/  sanctions lists, name normalisation and party and vessel matching
//	screen/   the pipeline that runs all of the above over a plan or a stream of lines
//	store/    storage on SQLite and PostgreSQL
//	server/   the JSON API and web interface
//
// Only cmd/tradeplan wires them together.
package tradeplan

import (
	"strconv"
	"time"
)

// Direction is the direction of a plan line relative to the plan's country.
type Direction string

const (
	Export Direction = "export"
	Import Direction = "import"
)

// Necessity ranks an import line by how much it is needed.
type Necessity string

const (
	Critical  Necessity = "critical"
	Essential Necessity = "essential"
	Useful    Necessity = "useful"
)

// Plan is a trade plan: an organisation's export and import lines for a period.
type Plan struct {
	ID           string
	Organisation string
	Country      string // ISO 3166 alpha-2 of the planning country; "" for a bulk line file
	Period       Period
	Lines        []Line
	File         string // the file it was read from, for messages
}

// Period is the span a plan covers, both ends inclusive (To is the last day).
type Period struct {
	Label string // as written: "2023-H1", "2027-Q3", "2027" or "2027-01-01/2027-06-30"
	From  time.Time
	To    time.Time
}

// Contains reports whether day t falls within the period.
func (p Period) Contains(t time.Time) bool {
	if p.From.IsZero() && p.To.IsZero() {
		return true
	}
	return !t.Before(p.From) && !t.After(p.To)
}

// Line is one planned or declared movement of goods, resolved: countries are
// ISO 3166 alpha-2 codes and the unit is a canonical unit symbol (see units.go).
type Line struct {
	Index       int      // 1-based position within its plan or file
	Pos         Position // where the line was written
	Direction   Direction
	Description string
	HS          string // declared HS code, digits only; "" when not declared
	Origin      string // where the goods come from
	Destination string // where the goods go
	Quantity    Decimal
	Unit        string
	Value       Decimal
	Currency    string
	Partner     *Party
	Vessel      *Vessel
	Crossing    string
	Necessity   Necessity
	Purpose     string // why an import is needed
	Source      *Source
	Exemption   string    // a sanctions committee exemption reference cited by the applicant
	Date        time.Time // date of shipment, for declarations; zero when planned
}

// Party is a trading partner named on a line.
type Party struct {
	Name    string `json:"name"`
	Country string `json:"country,omitempty"`
}

// Vessel is a ship named on a line.
type Vessel struct {
	Name string `json:"name,omitempty"`
	IMO  string `json:"imo,omitempty"` // seven digits, without the "IMO" prefix
	Flag string `json:"flag,omitempty"`
}

// Source says where export goods come from.
type Source struct {
	Site string `json:"site"`
}

// Position locates something in an input document. Line and Column are
// 1-based; Path is the YAML/JSON path ("lines[3].unit") where known.
type Position struct {
	File   string
	Line   int
	Column int
	Path   string
}

func (p Position) String() string {
	// Built in one allocation: every line of a report carries one.
	var buf [96]byte
	b := append(buf[:0], p.File...)
	if p.File == "" {
		b = append(b, '-')
	}
	if p.Line > 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(p.Line), 10)
		if p.Column > 0 {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(p.Column), 10)
		}
	}
	if p.Path != "" {
		b = append(b, ": "...)
		b = append(b, p.Path...)
	}
	return string(b)
}
