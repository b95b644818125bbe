package plan

import (
	"errors"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

func TestCSVReader(t *testing.T) {
	in := "\ufeffOrigin,Destination,HS,Description,Quantity,Unit,Value,Currency,Partner,Partner Country,vessel_name,vessel_imo,vessel_flag,crossing,necessity,direction,date,exemption,purpose,source_site\n" +
		"KP,CN,030569,salted pollack,300,t,420000,USD,Demo Co,cn,Demo Star,IMO 9876543,Sierra Leone,Namyang-Tumen,,export,2023-02-01,,,base 2\n" +
		",,,,,,,,,,,,,,,,,,,\n" +
		"china, north korea ,2710.19,diesel,\"12,000\",bbl,1,usd,,,,,,,critical,import,,2397/EXEMPT/1,fishing fleet,\n"
	r, err := NewCSVReader(strings.NewReader(in), "d.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Columns(), ","); !strings.HasPrefix(got, "origin,destination,hs,description,quantity,unit") {
		t.Errorf("columns %s", got)
	}
	l, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	want := tradeplan.Line{Index: 1, Pos: tradeplan.Position{File: "d.csv", Line: 2}, Direction: tradeplan.Export,
		Description: "salted pollack", HS: "030569", Origin: "KP", Destination: "CN", Quantity: tradeplan.D(300), Unit: "t",
		Value: tradeplan.D(420000), Currency: "USD", Crossing: "Namyang-Tumen", Date: time.Date(2023, 2, 1, 0, 0, 0, 0, time.UTC)}
	if l.Partner == nil || *l.Partner != (tradeplan.Party{Name: "Demo Co", Country: "CN"}) {
		t.Errorf("partner %+v", l.Partner)
	}
	if l.Vessel == nil || *l.Vessel != (tradeplan.Vessel{Name: "Demo Star", IMO: "9876543", Flag: "SL"}) {
		t.Errorf("vessel %+v", l.Vessel)
	}
	if l.Source == nil || l.Source.Site != "base 2" {
		t.Errorf("source %+v", l.Source)
	}
	l.Partner, l.Vessel, l.Source = nil, nil, nil
	if !reflect.DeepEqual(l, want) {
		t.Errorf("line\n%+v\nwant\n%+v", l, want)
	}

	// The blank row is skipped; the third has problems.
	_, err = r.Read()
	got := problems(t, err)
	wantP := []string{`d.csv:4:36: quantity: expected a number; found "12,000": use a point: 1.5 (a comma is neither a decimal nor a thousands separator)`}
	if strings.Join(got, "\n") != strings.Join(wantP, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantP, "\n"))
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("after the last row: %v, want io.EOF", err)
	}
}

func TestCSVHeaderProblems(t *testing.T) {
	tests := []struct {
		name, header string
		want         []string
	}{
		{"unknown column with suggestion", "origin,destination,hs,quantiy", []string{
			`h.csv:1:23: unknown column "quantiy"; expected one of description, hs, origin, destination, quantity, unit, value, currency, partner, partner_country, vessel_name, vessel_imo, vessel_flag, crossing, necessity, direction, date, exemption, purpose, source_site; did you mean "quantity"?`}},
		{"missing required columns", "hs,quantity", []string{
			`h.csv:1:1: missing column origin (required in a line file)`,
			`h.csv:1:1: missing column destination (required in a line file)`}},
		{"no goods column", "origin,destination", []string{
			`h.csv:1:1: missing column: a line file needs description or hs, or both`}},
		{"repeated and empty columns", "origin,destination,hs,HS,", []string{
			`h.csv:1:23: repeated column "HS" (first in column 3)`,
			`h.csv:1:26: empty column name; expected one of description, hs, origin, destination, quantity, unit, value, currency, partner, partner_country, vessel_name, vessel_imo, vessel_flag, crossing, necessity, direction, date, exemption, purpose, source_site`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCSVReader(strings.NewReader(tt.header+"\n"), "h.csv")
			got := problems(t, err)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
	_, err := NewCSVReader(strings.NewReader(""), "e.csv")
	if tradeplan.ErrorCode(err) != tradeplan.EInvalid || !strings.HasPrefix(err.Error(), "e.csv: empty file; expected a header line") {
		t.Errorf("empty file: %v", err)
	}
}

func TestCSVRowProblems(t *testing.T) {
	const head = "origin,destination,hs,description,quantity,unit,value,currency,vessel_imo,direction,necessity,date\n"
	tests := []struct {
		name, row string
		want      []string
	}{
		{"bad unit", "KP,CN,0303,,5,tonz,,,,,,", []string{
			`r.csv:2:15: unit: expected one of t, kg, g, lb, l, m3, bbl, gal, pcs, pairs, doz, m2, m, kwh, mwh (or a name such as tonnes); found "tonz"; did you mean "ton"?`}},
		{"missing origin and destination", ",,0303,,,,,,,,,", []string{
			`r.csv:2:1: origin: required (the country the goods come from)`,
			`r.csv:2:2: destination: required (the country the goods go to)`}},
		{"no goods", "KP,CN,,,,,,,,,,", []string{`r.csv:2:1: description: required when hs is not given`}},
		{"bad countries", "Chna,XX,0303,,,,,,,,,", []string{
			`r.csv:2:1: origin: expected an ISO 3166 country code or name; found "Chna"; did you mean "China"?`,
			`r.csv:2:6: destination: expected an ISO 3166 country code or name; found "XX"`}},
		{"bad hs", "KP,CN,03x3,,,,,,,,,", []string{
			`r.csv:2:7: hs: expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found "03x3"`}},
		{"quantity without unit, value without currency", "KP,CN,0303,,5,,7,,,,,", []string{
			`r.csv:2:13: quantity: a quantity needs a unit (unit column empty or absent)`,
			`r.csv:2:16: value: a value needs a currency (currency column empty or absent)`}},
		{"negative value and bad currency", "KP,CN,0303,,,,-7,XYZ,,,,", []string{
			`r.csv:2:15: value: expected a number of at least 0; found "-7"`,
			`r.csv:2:18: currency: expected an ISO 4217 currency code such as USD, EUR or CNY; found "XYZ"`}},
		{"bad imo direction necessity date", "KP,CN,0303,,,,,,123,exprt,vital,2023-02-30", []string{
			`r.csv:2:17: vessel_imo: expected an IMO number of 7 digits, optionally prefixed IMO; found "123"`,
			`r.csv:2:21: direction: expected export or import; found "exprt"; did you mean "export"?`,
			`r.csv:2:27: necessity: expected critical, essential or useful; found "vital"`,
			`r.csv:2:33: date: expected a date YYYY-MM-DD; found "2023-02-30"`}},
		{"field count", "KP,CN,0303", []string{`r.csv:2:1: expected 12 fields as in the header; found 3`}},
		{"bad quote", "KP,CN,\"03\"03,,,,,,,,,", []string{
			`r.csv:2:10: CSV syntax: extraneous or missing " in quoted-field (a field with a quote, comma or line break must be in double quotes, its quotes doubled)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewCSVReader(strings.NewReader(head+tt.row+"\nKP,CN,0303,,,,,,,,,\n"), "r.csv")
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Read()
			got := problems(t, err)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			// The reader goes on to the next row.
			l, err := r.Read()
			if err != nil || l.HS != "0303" || l.Index != 2 {
				t.Errorf("next row: %+v, %v", l, err)
			}
		})
	}
}

func TestReadCSVPlanCollectsAllProblems(t *testing.T) {
	in := "origin,destination,hs\nKP,CN,0303\nKP,,0303\nKP,CN,0303\nZZ,CN,x\n"
	p, err := Read(strings.NewReader(in), "dir/decl.csv", CSV)
	if p != nil {
		t.Error("plan returned with problems")
	}
	got := problems(t, err)
	want := []string{
		`dir/decl.csv:3:4: destination: required (the country the goods go to)`,
		`dir/decl.csv:5:1: origin: expected an ISO 3166 country code or name; found "ZZ"`,
		`dir/decl.csv:5:7: hs: expected an HS code of 2, 4, 6, 8 or 10 digits (dots allowed); found "x"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var e *tradeplan.Error
	if errors.As(err, &e); !strings.HasPrefix(e.Message, "dir/decl.csv: 3 problems") {
		t.Errorf("message %q", e.Message)
	}

	p, err = Read(strings.NewReader("origin,destination,hs\nKP,CN,0303\n"), "dir/decl.csv", CSV)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "decl" || p.Country != "" || len(p.Lines) != 1 || p.File != "dir/decl.csv" {
		t.Errorf("plan %+v", p)
	}
}

func TestFastPathsAgree(t *testing.T) {
	for _, s := range []string{"0", "1", "300", "12.5", "0.1", "1234567.891", "999999999999999", "00012.340", "123456789012345.123456"} {
		want := tradeplan.MustDecimal(s)
		got, ok := amount(s)
		if !ok || !got.Equal(want) {
			t.Errorf("amount(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", ".", "-1", "1e-7", "1,000", "1,5", "1.2.3", "9999999999999999", "0x10", "inf", "NaN", "1.", ".5", "0.1234567"} {
		if v, ok := amount(s); ok {
			t.Errorf("amount(%q) = %v, want refused", s, v)
		}
	}
	for d := time.Date(1899, 12, 25, 0, 0, 0, 0, time.UTC); d.Year() < 2101; d = d.AddDate(0, 0, 1) {
		got, ok := fastDate(d.Format(dateLayout))
		if !ok || !got.Equal(d) || got.Location() != time.UTC {
			t.Fatalf("fastDate(%s) = %v, %v", d.Format(dateLayout), got, ok)
		}
	}
	for _, s := range []string{"2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-4-01", "2023/04/01", "0000-00-00"} {
		if _, ok := fastDate(s); ok {
			t.Errorf("fastDate(%q) accepted", s)
		}
	}
	if _, ok := fastDate("2024-02-29"); !ok {
		t.Error("fastDate rejected a leap day")
	}
}

func TestCSVColumnAliases(t *testing.T) {
	in := "Country of Origin,Destination-Country,HS Code,Goods,Qty,UoM,IMO\nKP,CN,0303,fish,2,kg,9876543\n"
	r, err := NewCSVReader(strings.NewReader(in), "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Columns(), ","); got != "origin,destination,hs,description,quantity,unit,vessel_imo" {
		t.Errorf("columns %s", got)
	}
	l, err := r.Read()
	if err != nil || l.Origin != "KP" || l.HS != "0303" || l.Unit != "kg" || l.Vessel == nil || l.Vessel.IMO != "9876543" {
		t.Errorf("line %+v, %v", l, err)
	}
	for alias, col := range CSVColumnAliases {
		if !slices.Contains(CSVColumns[:], col) {
			t.Errorf("alias %s names unknown column %s", alias, col)
		}
		if slices.Contains(CSVColumns[:], alias) {
			t.Errorf("alias %s shadows a column", alias)
		}
	}
	_, err = NewCSVReader(strings.NewReader("origin,country_of_origin,destination,hs\n"), "a.csv")
	if got := problems(t, err); len(got) != 1 || got[0] != `a.csv:1:8: repeated column "country_of_origin" (first in column 1)` {
		t.Errorf("problems %q", got)
	}
}

func TestReadCSVPlanBoundsProblems(t *testing.T) {
	var b strings.Builder
	b.WriteString("origin,destination,hs\n")
	for i := 0; i < MaxCSVProblems+500; i++ {
		b.WriteString("KP,XX,0303\n")
	}
	_, err := Read(strings.NewReader(b.String()), "many.csv", CSV)
	got := problems(t, err)
	if len(got) != MaxCSVProblems+1 || got[len(got)-1] != "many.csv: 1500 rows have problems; the first 1000 problems are shown" {
		t.Errorf("%d problems, last %q", len(got), got[len(got)-1])
	}
}
