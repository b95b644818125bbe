package licensing

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
)

// Customs declarations: what actually crossed, matched to the permits it
// crossed under, with a flag for every rule it breaks. Reading and matching
// are pure (this file); intake is a use case of the Service
// (enforce_intake.go).

// Declaration is one version of a customs declaration, as loaded.
type Declaration struct {
	ID      int64  `json:"id"`
	Number  string `json:"number"`  // the customs declaration number
	Version int    `json:"version"` // from 1; a correction is the next
	Batch   string `json:"batch"`
	Line    int    `json:"line"` // its row (CSV) or 1-based index (JSON) in the batch
	// Date is the day the goods crossed.
	Date        time.Time           `json:"date"`
	Declarant   int64               `json:"declarant"` // the organisation that declared
	Direction   tradeplan.Direction `json:"direction"`
	Description string              `json:"description"`
	HS          string              `json:"hs"`
	Origin      string              `json:"origin"`
	Destination string              `json:"destination"`
	Partner     *tradeplan.Party    `json:"partner,omitempty"`
	Vessel      *tradeplan.Vessel   `json:"vessel,omitempty"`
	Crossing    string              `json:"crossing"`
	// PermitNumber is the permit as declared ("" when none was);
	// PermitID the permit matched (0 for none).
	PermitNumber string            `json:"permit_number,omitempty"`
	PermitID     int64             `json:"permit_id,omitempty"`
	Matched      string            `json:"matched,omitempty"` // the permit's number, by declaration or by its facts
	Quantity     tradeplan.Decimal `json:"quantity"`
	Unit         string            `json:"unit"`
	Value        tradeplan.Decimal `json:"value"`
	Currency     string            `json:"currency"`
	// Counted: its quantity counts toward the matched permit's declared
	// total (the declarant holds the permit and the units agree).
	Counted bool   `json:"counted"`
	Flags   []Flag `json:"flags"`
	// Current is false once a correction superseded it.
	Current  bool      `json:"current"`
	LoadedBy string    `json:"loaded_by"`
	LoadedAt time.Time `json:"loaded_at"`
}

// Rules a declaration is flagged under.
const (
	FlagNoPermit        = "no-permit"         // none declared and none matches its facts, or the number is unknown
	FlagBadPermitNumber = "bad-permit-number" // not a permit number: its check character does not match
	FlagOtherHolder     = "other-holder"      // the permit is another organisation's
	FlagOverBalance     = "over-balance"      // the permit's declared total passes its quantity beyond the tolerance
	FlagOutsideValidity = "outside-validity"  // crossed before or after the permit's window
	FlagCrossingClosed  = "crossing-closed"   // its crossing was closed on that day
	FlagWrongCrossing   = "wrong-crossing"    // not the permit's crossing
	FlagPermitStatus    = "permit-status"     // the permit is suspended, revoked or expired
	FlagGoodsDiffer     = "goods-differ"      // direction, HS code or unit other than the permit's
	FlagProhibited      = "prohibited"        // screening prohibits the goods, partner or vessel as of its date
	FlagReview          = "review"            // screening wants a person to look (a possible match, a doubtful code)
)

// Flag is one rule a declaration breaks, naming the declaration, the
// permit, the figures and the rule.
type Flag struct {
	Rule        string   `json:"rule"`
	Declaration string   `json:"declaration"`
	Permit      string   `json:"permit,omitempty"`
	Figures     string   `json:"figures,omitempty"`
	Message     string   `json:"message"`
	Citations   []string `json:"citations,omitempty"`
}

// DeclarationInput is one declaration as submitted, before matching.
type DeclarationInput struct {
	Pos       tradeplan.Position `json:"-"`
	Number    string             `json:"declaration"`
	Declarant int64              `json:"declarant"`
	// DeclarantName is the declarant's name as written, when it was not
	// given by id; intake resolves it to Declarant.
	DeclarantName string         `json:"-"`
	Permit        string         `json:"permit,omitempty"`
	Line          tradeplan.Line `json:"-"`
}

// DeclarationColumns are the columns a declaration file has beside those of
// a bulk line file (plan.CSVColumns): date and crossing are line columns,
// required here.
var DeclarationColumns = []string{"declaration", "declarant", "permit"}

// ReadDeclarationsCSV reads a declaration file: a bulk line file with the
// columns declaration (required), declarant (the organisation's id,
// required), permit (when declared), and date, crossing, quantity and unit
// required in every row. Every problem of the file is returned at once, at
// its line, column and field; none is read when any is.
func ReadDeclarationsCSV(r io.Reader, file string) ([]DeclarationInput, error) {
	cr, err := plan.NewCSVReaderWith(r, file, DeclarationColumns)
	if err != nil {
		return nil, err
	}
	var probs tradeplan.Problems
	head := tradeplan.Position{File: file, Line: 1, Column: 1}
	cols := cr.Columns()
	for _, c := range []string{"declaration", "declarant", "date", "crossing", "quantity", "unit"} {
		if !slices.Contains(cols, c) {
			probs.Add(head, "", "missing column %s (required in a declaration file)", c)
		}
	}
	if err := probs.Err(file); err != nil {
		return nil, err
	}
	var out []DeclarationInput
	for {
		l, err := cr.Read()
		if err == io.EOF {
			break
		}
		var te *tradeplan.Error
		if errors.As(err, &te) && te.Code == tradeplan.EInvalid {
			probs = append(probs, te.Problems...)
			if len(probs) > plan.MaxCSVProblems {
				break
			}
			continue
		} else if err != nil {
			return nil, err
		}
		in := DeclarationInput{Pos: l.Pos, Line: l}
		num, pos, _ := cr.Extra("declaration")
		if msg := tradeplan.CheckText(num, false); msg != "" {
			probs.Add(pos, "", "%s", msg)
		}
		in.Number = num
		dec, dpos, _ := cr.Extra("declarant")
		switch ref := parseDeclarant(dec); {
		case ref.Name == "" && ref.ID < 1:
			probs.Add(dpos, "", "expected the declarant organisation's name or id; found %q", dec)
		case ref.Name != "":
			if msg := tradeplan.CheckText(ref.Name, false); msg != "" {
				probs.Add(dpos, "", "%s", msg)
			}
			in.DeclarantName = ref.Name
		default:
			in.Declarant = ref.ID
		}
		if pn, ppos, ok := cr.Extra("permit"); ok {
			if msg := tradeplan.CheckText(pn, false); msg != "" {
				probs.Add(ppos, "", "%s", msg)
			}
			in.Permit = pn
		}
		probs = append(probs, checkDeclaration(in, l.Pos, true)...)
		out = append(out, in)
	}
	if err := probs.Err(file); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "%s: no declarations", file)
	}
	return out, dupNumbers(out)
}

// checkDeclaration returns what a declaration lacks, at pos (a CSV row) or
// under pos.Path (JSON); declarantRead: the declarant's own field was
// checked already.
func checkDeclaration(in DeclarationInput, pos tradeplan.Position, declarantRead bool) tradeplan.Problems {
	var ps tradeplan.Problems
	at := func(field string) tradeplan.Position {
		p := pos
		p.Column = 0
		if p.Path != "" {
			p.Path += "." + field
		} else {
			p.Path = field
		}
		return p
	}
	if strings.TrimSpace(in.Number) == "" {
		ps.Add(at("declaration"), "", "the declaration number is required")
	} else if len(in.Number) > 64 {
		ps.Add(at("declaration"), "", "at most 64 characters; found %d", len(in.Number))
	}
	if in.Declarant < 1 && in.DeclarantName == "" && !declarantRead {
		ps.Add(at("declarant"), "", "the declarant is required: the organisation's name or id")
	}
	l := in.Line
	if l.Date.IsZero() {
		ps.Add(at("date"), "", "the date the goods crossed is required")
	}
	if strings.TrimSpace(l.Crossing) == "" {
		ps.Add(at("crossing"), "", "the crossing is required")
	}
	if l.Quantity.Sign() <= 0 {
		ps.Add(at("quantity"), "", "must be more than zero, got %s", l.Quantity)
	} else if msg := tradeplan.CheckWhole(l.Quantity, l.Unit); msg != "" {
		ps.Add(at("quantity"), "", "%s", msg)
	}
	if l.Unit == "" {
		ps.Add(at("unit"), "", "the unit is required")
	}
	if l.Value.Sign() < 0 {
		ps.Add(at("value"), "", "must not be negative, got %s", l.Value)
	}
	if l.HS == "" && strings.TrimSpace(l.Description) == "" {
		ps.Add(at("hs"), "", "an HS code or a description is required")
	}
	return ps
}

// dupNumbers refuses a batch that declares one number twice: which row is
// the declaration would be a guess.
func dupNumbers(in []DeclarationInput) error {
	var ps tradeplan.Problems
	first := make(map[string]int, len(in)) // number → its first index
	for i := range in {
		d := &in[i]
		n := strings.TrimSpace(d.Number)
		if j, dup := first[n]; dup {
			pos := d.Pos
			pos.Path = "declaration"
			ps.Add(pos, "", "declaration %s twice in one batch (first at line %d); a correction goes in a later batch", n, in[j].Pos.Line)
			continue
		}
		first[n] = i
	}
	return ps.Err("declarations")
}

// DeclarationJSON is a declaration in an API request: a plan line's fields
// with the declaration's own.
type DeclarationJSON struct {
	Declaration string            `json:"declaration"`
	Declarant   DeclarantRef      `json:"declarant"` // the organisation's name or id
	Permit      string            `json:"permit,omitempty"`
	Date        string            `json:"date"`
	Direction   string            `json:"direction,omitempty"`
	Description string            `json:"description,omitempty"`
	HS          string            `json:"hs,omitempty"`
	Origin      string            `json:"origin"`
	Destination string            `json:"destination"`
	Partner     *tradeplan.Party  `json:"partner,omitempty"`
	Vessel      *tradeplan.Vessel `json:"vessel,omitempty"`
	Crossing    string            `json:"crossing"`
	Quantity    tradeplan.Decimal `json:"quantity"`
	Unit        string            `json:"unit"`
	Value       tradeplan.Decimal `json:"value"`
	Currency    string            `json:"currency,omitempty"`
}

// hsSeparators are what an HS code may be written with and is read without.
var hsSeparators = strings.NewReplacer(".", "", " ", "")

// DeclarationsFromJSON checks and resolves declarations sent as JSON the
// way a line file's rows are (codes, countries, units), every problem at
// its path: declarations[i].field.
func DeclarationsFromJSON(ds []DeclarationJSON) ([]DeclarationInput, error) {
	var ps tradeplan.Problems
	out := make([]DeclarationInput, 0, len(ds))
	for i, d := range ds {
		path := fmt.Sprintf("declarations[%d]", i)
		at := func(f string) tradeplan.Position { return tradeplan.Position{Path: path + "." + f} }
		l := tradeplan.Line{Index: i + 1, Pos: tradeplan.Position{Path: path, Line: i + 1}, Description: strings.TrimSpace(d.Description),
			Partner: d.Partner, Vessel: d.Vessel, Crossing: strings.TrimSpace(d.Crossing), Quantity: d.Quantity, Value: d.Value}
		for _, f := range []struct{ name, v string }{{"declaration", d.Declaration}, {"permit", d.Permit}, {"crossing", d.Crossing}} {
			if msg := tradeplan.CheckText(f.v, false); msg != "" {
				ps.Add(at(f.name), "", "%s", msg)
			}
		}
		if msg := tradeplan.CheckText(d.Description, true); msg != "" {
			ps.Add(at("description"), "", "%s", msg)
		}
		if d.Date != "" {
			if t, err := plan.ParseDate(d.Date); err != nil {
				ps.Add(at("date"), "", "%s", tradeplan.ErrorMessage(err))
			} else {
				l.Date = t
			}
		}
		switch strings.ToLower(strings.TrimSpace(d.Direction)) {
		case "":
		case "export":
			l.Direction = tradeplan.Export
		case "import":
			l.Direction = tradeplan.Import
		default:
			ps.Add(at("direction"), "", "expected export or import; found %q", d.Direction)
		}
		if d.HS != "" {
			h := hsSeparators.Replace(d.HS)
			if len(h) < 4 || len(h) > 10 || len(h)%2 != 0 || strings.Trim(h, "0123456789") != "" {
				ps.Add(at("hs"), "", "expected an HS code of 4 to 10 digits; found %q", d.HS)
			} else {
				l.HS = h
			}
		}
		for _, c := range []struct {
			name string
			v    string
			to   *string
		}{{"origin", d.Origin, &l.Origin}, {"destination", d.Destination, &l.Destination}} {
			if c.v == "" {
				continue
			}
			if code, ok := plan.Country(c.v); ok {
				*c.to = code
			} else {
				ps.Add(at(c.name), "", "unknown country %q", c.v)
			}
		}
		if d.Unit != "" {
			if u, ok := tradeplan.LookupUnit(d.Unit); ok {
				l.Unit = u.Symbol
			} else {
				ps.Add(at("unit"), "", "unknown unit %q", d.Unit)
			}
		}
		if d.Currency != "" {
			if c, ok := plan.Currency(d.Currency); ok {
				l.Currency = c
			} else {
				ps.Add(at("currency"), "", "unknown currency %q", d.Currency)
			}
		}
		in := DeclarationInput{Pos: l.Pos, Number: strings.TrimSpace(d.Declaration), Declarant: d.Declarant.ID, DeclarantName: d.Declarant.Name, Permit: strings.TrimSpace(d.Permit), Line: l}
		if msg := tradeplan.CheckText(d.Declarant.Name, false); msg != "" {
			ps.Add(at("declarant"), "", "%s", msg)
		}
		pos := tradeplan.Position{Path: path, Line: i + 1}
		ps = append(ps, checkDeclaration(in, pos, false)...)
		out = append(out, in)
	}
	if err := ps.Err("declarations"); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "declarations: none given")
	}
	return out, dupNumbers(out)
}

// BatchDigest is the digest of a batch's declarations: the same content
// read from CSV or JSON, in the same order, has the same digest.
//
// It digests each declaration's facts as json.Encoder writes them (one
// line each), written here without reflection (appendFacts).
func BatchDigest(in []DeclarationInput) string {
	h := sha256.New()
	var buf []byte
	for i := range in {
		buf = appendFacts(buf, &in[i])
		if len(buf) >= 64<<10 || i == len(in)-1 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// appendFacts appends declarationFacts(d) to b as json.Encoder writes it:
// its fields in order, strings escaped for HTML, a newline after
// (TestAppendFactsAsEncoder).
func appendFacts(b []byte, d *DeclarationInput) []byte {
	l := &d.Line
	var num [40]byte
	b = append(b, `{"crossing":`...)
	b = appendJSONString(b, CrossingSlug(l.Crossing))
	b = append(b, `,"currency":`...)
	b = appendJSONString(b, l.Currency)
	b = append(b, `,"date":"`...)
	b = l.Date.AppendFormat(b, time.DateOnly)
	b = append(b, `","declarant":`...)
	b = strconv.AppendInt(b, d.Declarant, 10)
	b = append(b, `,"description":`...)
	b = appendJSONString(b, l.Description)
	b = append(b, `,"destination":`...)
	b = appendJSONString(b, l.Destination)
	b = append(b, `,"direction":`...)
	b = appendJSONString(b, string(l.Direction))
	b = append(b, `,"hs":`...)
	b = appendJSONString(b, l.HS)
	b = append(b, `,"number":`...)
	b = appendJSONString(b, strings.TrimSpace(d.Number))
	b = append(b, `,"origin":`...)
	b = appendJSONString(b, l.Origin)
	b = append(b, `,"partner":`...)
	b = appendJSONValue(b, l.Partner)
	b = append(b, `,"permit":`...)
	b = appendJSONString(b, strings.ToUpper(strings.TrimSpace(d.Permit)))
	b = append(b, `,"quantity":"`...)
	b = append(b, l.Quantity.Append(num[:0])...)
	b = append(b, `","unit":`...)
	b = appendJSONString(b, l.Unit)
	b = append(b, `,"value":"`...)
	b = append(b, l.Value.Append(num[:0])...)
	b = append(b, `","vessel":`...)
	b = appendJSONValue(b, l.Vessel)
	return append(b, "}\n"...)
}

// appendJSONString appends s as encoding/json writes it: as it is when
// every byte is printable ASCII that needs no escape (neither for JSON nor
// for HTML), else as json.Marshal escapes it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return appendJSONValue(b, s)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendJSONValue appends v as json.Marshal writes it (null for a nil
// pointer).
func appendJSONValue[T any](b []byte, v T) []byte {
	j, _ := json.Marshal(v) // strings and structs of strings: no error
	return append(b, j...)
}

// declarationFacts is what a declaration says, for comparing two versions
// and digests: a correction is a declaration whose facts differ. Its
// fields are in the order of their names, as the map it replaced encoded
// them: digests of batches loaded before stay the same.
type declarationFactsJSON struct {
	Crossing    string              `json:"crossing"`
	Currency    string              `json:"currency"`
	Date        string              `json:"date"`
	Declarant   int64               `json:"declarant"`
	Description string              `json:"description"`
	Destination string              `json:"destination"`
	Direction   tradeplan.Direction `json:"direction"`
	HS          string              `json:"hs"`
	Number      string              `json:"number"`
	Origin      string              `json:"origin"`
	Partner     *tradeplan.Party    `json:"partner"`
	Permit      string              `json:"permit"`
	Quantity    string              `json:"quantity"`
	Unit        string              `json:"unit"`
	Value       string              `json:"value"`
	Vessel      *tradeplan.Vessel   `json:"vessel"`
}

func declarationFacts(d *DeclarationInput) declarationFactsJSON {
	return factsWith(d, d.Line.Direction)
}

// factsWith is the facts of d going in direction dir.
func factsWith(d *DeclarationInput, dir tradeplan.Direction) declarationFactsJSON {
	l := &d.Line
	return declarationFactsJSON{
		Number: strings.TrimSpace(d.Number), Declarant: d.Declarant, Permit: strings.ToUpper(strings.TrimSpace(d.Permit)),
		Date: l.Date.Format(time.DateOnly), Direction: dir, Description: l.Description, HS: l.HS,
		Origin: l.Origin, Destination: l.Destination, Partner: l.Partner, Vessel: l.Vessel,
		Crossing: CrossingSlug(l.Crossing), Quantity: l.Quantity.String(), Unit: l.Unit, Value: l.Value.String(), Currency: l.Currency,
	}
}

// sameFacts reports whether a stored declaration says what in says, going
// in direction dir.
func sameFacts(d Declaration, in *DeclarationInput, dir tradeplan.Direction) bool {
	a, _ := json.Marshal(factsWith(in, dir))
	od := inputOf(d)
	b, _ := json.Marshal(declarationFacts(&od))
	return string(a) == string(b)
}

func inputOf(d Declaration) DeclarationInput {
	return DeclarationInput{Number: d.Number, Declarant: d.Declarant, Permit: d.PermitNumber, Line: d.line()}
}

// line is the declaration as a plan line, for screening.
func (d Declaration) line() tradeplan.Line {
	return tradeplan.Line{Index: d.Line, Direction: d.Direction, Description: d.Description, HS: d.HS, Origin: d.Origin, Destination: d.Destination,
		Quantity: d.Quantity, Unit: d.Unit, Value: d.Value, Currency: d.Currency, Partner: d.Partner, Vessel: d.Vessel, Crossing: d.Crossing, Date: d.Date}
}

// MatchPermit chooses the permit a declaration crossed under among
// candidates (the permits of its declarant, and the one it names): by
// number when it names one, else the usable permit of the declarant for its
// direction, HS code, crossing and date (the one with the earliest window
// end first, then the lowest id). It returns the permit (nil for none) and
// the flags of the permit number.
func MatchPermit(d Declaration, named *tradeplan.Permit, candidates []tradeplan.Permit) (*tradeplan.Permit, []Flag) {
	if d.PermitNumber != "" {
		if _, err := ParsePermitNumber(d.PermitNumber); err != nil {
			return nil, []Flag{{Rule: FlagBadPermitNumber, Declaration: d.Number, Permit: d.PermitNumber,
				Message: fmt.Sprintf("declaration %s: %s", d.Number, tradeplan.ErrorMessage(err))}}
		}
		return matchNamed(d, named)
	}
	var best *tradeplan.Permit
	for i := range candidates {
		p := &candidates[i]
		if p.Holder != d.Declarant || p.Direction != d.Direction || !sameHS(p.HS, d.HS) || CrossingSlug(d.Crossing) != p.Crossing || !Within(*p, d.Date) {
			continue
		}
		if best == nil || usableRank(*p) < usableRank(*best) || usableRank(*p) == usableRank(*best) && (p.ValidTo.Before(best.ValidTo) || p.ValidTo.Equal(best.ValidTo) && p.ID < best.ID) {
			best = p
		}
	}
	if best == nil {
		return nil, []Flag{{Rule: FlagNoPermit, Declaration: d.Number,
			Message: fmt.Sprintf("declaration %s: no permit of organisation %d for the %s of HS %s through %s on %s", d.Number, d.Declarant, d.Direction, d.HS, CrossingSlug(d.Crossing), d.Date.Format(time.DateOnly))}}
	}
	return best, nil
}

// matchNamed is MatchPermit for a declaration naming a permit number that
// parses: named is the permit of that number, nil when none was issued.
func matchNamed(d Declaration, named *tradeplan.Permit) (*tradeplan.Permit, []Flag) {
	if named == nil {
		return nil, []Flag{{Rule: FlagNoPermit, Declaration: d.Number, Permit: d.PermitNumber,
			Message: fmt.Sprintf("declaration %s names permit %s, which was never issued", d.Number, d.PermitNumber)}}
	}
	if named.Holder != d.Declarant {
		return named, []Flag{{Rule: FlagOtherHolder, Declaration: d.Number, Permit: named.Number,
			Figures: fmt.Sprintf("declarant %d, holder %d", d.Declarant, named.Holder),
			Message: fmt.Sprintf("declaration %s by organisation %d names permit %s of another organisation", d.Number, d.Declarant, named.Number)}}
	}
	return named, nil
}

func usableRank(p tradeplan.Permit) int {
	switch p.Status {
	case tradeplan.PermitIssued:
		return 0
	case tradeplan.PermitExhausted:
		return 1
	}
	return 2
}

// sameHS: the declared code and the permit's agree at the permit's
// precision (a permit for 1101 covers 110100).
func sameHS(permit, declared string) bool {
	if permit == "" || declared == "" {
		return false
	}
	n := min(len(permit), len(declared), 6)
	return permit[:n] == declared[:n]
}

// CheckAgainstPermit returns the flags of a declaration matched to permit p
// that do not depend on other declarations: validity, status, crossing
// (c: the crossing, with its status on the declaration's date), goods.
func CheckAgainstPermit(d Declaration, p tradeplan.Permit, crossingOpen bool, crossingWhy string) []Flag {
	var fs []Flag
	add := func(rule, figures, format string, args ...any) {
		fs = append(fs, Flag{Rule: rule, Declaration: d.Number, Permit: p.Number, Figures: figures, Message: fmt.Sprintf(format, args...)})
	}
	day := d.Date.Format(time.DateOnly)
	if !Within(p, d.Date) {
		add(FlagOutsideValidity, fmt.Sprintf("crossed %s; valid %s to %s", day, p.ValidFrom.Format(time.DateOnly), p.ValidTo.Format(time.DateOnly)),
			"declaration %s crossed on %s, outside the window of permit %s (%s to %s)", d.Number, day, p.Number, p.ValidFrom.Format(time.DateOnly), p.ValidTo.Format(time.DateOnly))
	}
	switch p.Status {
	case tradeplan.PermitSuspended, tradeplan.PermitRevoked, tradeplan.PermitExpired:
		add(FlagPermitStatus, string(p.Status), "declaration %s: permit %s is %s%s", d.Number, p.Number, p.Status, reasonSuffix(p.StatusReason))
	}
	if cid := CrossingSlug(d.Crossing); p.Crossing != "" && cid != p.Crossing {
		add(FlagWrongCrossing, fmt.Sprintf("declared %s; permit %s", cid, p.Crossing), "declaration %s crossed at %s; permit %s is for %s", d.Number, cid, p.Number, p.Crossing)
	}
	if !crossingOpen {
		add(FlagCrossingClosed, "closed "+day, "declaration %s: crossing %s was closed on %s%s", d.Number, CrossingSlug(d.Crossing), day, reasonSuffix(crossingWhy))
	}
	if d.Direction != p.Direction || !sameHS(p.HS, d.HS) {
		add(FlagGoodsDiffer, fmt.Sprintf("declared %s %s; permit %s %s", d.Direction, d.HS, p.Direction, p.HS),
			"declaration %s declares the %s of HS %s; permit %s is for the %s of HS %s", d.Number, d.Direction, d.HS, p.Number, p.Direction, p.HS)
	}
	if _, err := tradeplan.ConvertUnit(d.Quantity, d.Unit, p.Unit); err != nil {
		add(FlagGoodsDiffer, fmt.Sprintf("declared in %s; permit in %s", d.Unit, p.Unit), "declaration %s is in %s, which does not convert to %s, the unit of permit %s", d.Number, d.Unit, p.Unit, p.Number)
	}
	return fs
}

func reasonSuffix(r string) string {
	if r == "" {
		return ""
	}
	return ": " + r
}

// Balance recomputes the declared total of permit p from its current
// declarations (those that count), in date then number order, and flags
// each declaration with which the total passes the permit's quantity by
// more than tolerance percent. The total is a sum of what stands, never
// of what was loaded: a replay or a correction cannot count twice.
func Balance(p tradeplan.Permit, ds []Declaration, tolerancePct tradeplan.Decimal) (total tradeplan.Decimal, flags map[int64]Flag) {
	ps := make([]*Declaration, len(ds))
	for i := range ds {
		ps[i] = &ds[i]
	}
	return balance(p, ps, tolerancePct)
}

// balance is Balance over pointers, sorting ds.
func balance(p tradeplan.Permit, ds []*Declaration, tolerancePct tradeplan.Decimal) (total tradeplan.Decimal, flags map[int64]Flag) {
	slices.SortStableFunc(ds, func(a, b *Declaration) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	limit := p.Quantity
	if tolerancePct.Sign() > 0 {
		extra, _ := p.Quantity.Mul(tolerancePct).QuoRound(tradeplan.D(100), tradeplan.Places(p.Unit)+2)
		limit = limit.Add(extra)
	}
	flags = map[int64]Flag{}
	for _, d := range ds {
		if !d.Counted {
			continue
		}
		q, err := tradeplan.ConvertUnit(d.Quantity, d.Unit, p.Unit)
		if err != nil {
			continue
		}
		total = total.Add(q)
		if total.Cmp(limit) > 0 {
			flags[d.ID] = Flag{Rule: FlagOverBalance, Declaration: d.Number, Permit: p.Number,
				Figures: fmt.Sprintf("declared %s %s in all; permit %s %s, tolerance %s%%", total, p.Unit, p.Quantity, p.Unit, tolerancePct),
				Message: fmt.Sprintf("declaration %s brings the goods declared under permit %s to %s %s, over its %s %s beyond the tolerance of %s%%", d.Number, p.Number, total, p.Unit, p.Quantity, p.Unit, tolerancePct)}
		}
	}
	return total, flags
}
