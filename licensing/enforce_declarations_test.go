package licensing

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

const declCSV = `declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing
CD-1,3,TP-2027H1-I-000001-J,2027-02-10,CN,KP,110100,wheat flour,300,t,120000,USD,Namyang-Tumen
CD-2,3,,2027-02-20,China,DPRK,1101.00,"wheat flour, 50 kg bags",250,tonnes,100000,USD,namyang-tumen
`

func TestReadDeclarationsCSV(t *testing.T) {
	ds, err := ReadDeclarationsCSV(strings.NewReader(declCSV), "d.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Number != "CD-1" || ds[0].Declarant != 3 || ds[0].Permit != "TP-2027H1-I-000001-J" || ds[1].Permit != "" ||
		ds[1].Line.Origin != "CN" || ds[1].Line.Destination != "KP" || ds[1].Line.Unit != "t" || ds[1].Line.HS != "110100" ||
		ds[1].Line.Date != time.Date(2027, 2, 20, 0, 0, 0, 0, time.UTC) || ds[1].Line.Quantity.Cmp(tradeplan.D(250)) != 0 {
		t.Fatalf("read %+v", ds)
	}
	// The same declarations as CSV and as JSON have one digest.
	js, err := DeclarationsFromJSON([]DeclarationJSON{
		{Declaration: "CD-1", Declarant: DeclarantID(3), Permit: "TP-2027H1-I-000001-J", Date: "2027-02-10", Origin: "CN", Destination: "KP", HS: "110100", Description: "wheat flour", Quantity: tradeplan.D(300), Unit: "t", Value: tradeplan.D(120000), Currency: "USD", Crossing: "Namyang-Tumen"},
		{Declaration: "CD-2", Declarant: DeclarantID(3), Date: "2027-02-20", Origin: "China", Destination: "DPRK", HS: "1101.00", Description: "wheat flour, 50 kg bags", Quantity: tradeplan.D(250), Unit: "tonnes", Value: tradeplan.D(100000), Currency: "USD", Crossing: "namyang-tumen"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if BatchDigest(js) != BatchDigest(ds) {
		t.Fatalf("CSV and JSON digests differ")
	}
}

func TestReadDeclarationsCSVErrors(t *testing.T) {
	tests := []struct {
		name, csv string
		want      []string
	}{
		{"missing columns", "declaration,origin,destination,hs\nCD-1,CN,KP,110100\n",
			[]string{"d.csv:1:1: missing column declarant", "missing column date", "missing column crossing", "missing column quantity", "missing column unit"}},
		{"every bad field placed", "declaration,declarant,date,origin,destination,hs,quantity,unit,crossing\n" +
			"CD-1,-3,2027-02-10,CN,KP,110100,300,t,Namyang\n" +
			",3,,CN,KP,110100,0,t,\n" +
			"CD-3,3,2027-02-10,CN,KP,110100,5,tonz,Namyang\n",
			[]string{"d.csv:2:6: declarant: expected the declarant organisation's name or id; found \"-3\"", "d.csv:3: declaration: the declaration number is required",
				"d.csv:3: date: the date the goods crossed is required", "d.csv:3: crossing: the crossing is required", "d.csv:3: quantity: must be more than zero",
				"d.csv:4:34: unit:"}},
		{"one number twice", "declaration,declarant,date,origin,destination,hs,quantity,unit,crossing\n" +
			"CD-1,3,2027-02-10,CN,KP,110100,300,t,Namyang\nCD-1,3,2027-02-11,CN,KP,110100,30,t,Namyang\n",
			[]string{"d.csv:3: declaration: declaration CD-1 twice in one batch (first at line 2)"}},
		{"unknown column", "declaration,declarant,date,origin,destination,hs,quantity,unit,crossing,permt\n",
			[]string{`unknown column "permt"`, `did you mean "permit"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDeclarationsCSV(strings.NewReader(tt.csv), "d.csv")
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestMatchAndBalance(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	p := tradeplan.Permit{ID: 1, Number: FormatPermitNumber("2027H1", tradeplan.Import, 1), Holder: 3, Direction: tradeplan.Import, HS: "110100",
		Crossing: "namyang-tumen", Unit: "t", Quantity: tradeplan.D(500), ValidFrom: day("2027-01-01"), ValidTo: day("2027-06-30"), Status: tradeplan.PermitIssued}
	other := p
	other.ID, other.Number, other.Holder = 2, FormatPermitNumber("2027H1", tradeplan.Import, 2), 4
	d := Declaration{Number: "CD-1", Declarant: 3, Direction: tradeplan.Import, HS: "110100", Crossing: "namyang-tumen", Date: day("2027-02-10"), Quantity: tradeplan.D(300), Unit: "t"}

	if m, fs := MatchPermit(d, nil, []tradeplan.Permit{other, p}); m == nil || m.ID != 1 || len(fs) != 0 {
		t.Fatalf("by facts: %+v %+v", m, fs)
	}
	before := d
	before.Date = day("2026-12-31")
	if m, fs := MatchPermit(before, nil, []tradeplan.Permit{p}); m != nil || fs[0].Rule != FlagNoPermit {
		t.Fatalf("before the window, by facts: %+v %+v", m, fs)
	}
	named := d
	named.PermitNumber = other.Number
	if _, fs := MatchPermit(named, &other, nil); len(fs) != 1 || fs[0].Rule != FlagOtherHolder {
		t.Fatalf("another holder's permit: %+v", fs)
	}
	named.PermitNumber = p.Number[:len(p.Number)-1] + "0"
	if p.Number[len(p.Number)-1] == '0' {
		named.PermitNumber = p.Number[:len(p.Number)-1] + "1"
	}
	if _, fs := MatchPermit(named, nil, nil); len(fs) != 1 || fs[0].Rule != FlagBadPermitNumber {
		t.Fatalf("forged check character: %+v", fs)
	}
	if fs := CheckAgainstPermit(before, p, false, "not yet open"); len(fs) != 2 || fs[0].Rule != FlagOutsideValidity || fs[1].Rule != FlagCrossingClosed {
		t.Fatalf("before window, crossing closed: %+v", fs)
	}
	kg := d
	kg.Unit, kg.Quantity = "kg", tradeplan.D(250000)
	if fs := CheckAgainstPermit(kg, p, true, ""); len(fs) != 0 {
		t.Fatalf("kg under a permit in t: %+v", fs)
	}

	ds := []Declaration{
		{ID: 2, Number: "CD-2", Date: day("2027-02-20"), Quantity: tradeplan.D(250000), Unit: "kg", Counted: true},
		{ID: 1, Number: "CD-1", Date: day("2027-02-10"), Quantity: tradeplan.D(300), Unit: "t", Counted: true},
		{ID: 3, Number: "CD-3", Date: day("2027-02-11"), Quantity: tradeplan.D(900), Unit: "t"}, // another holder's: not counted
	}
	total, over := Balance(p, ds, tradeplan.Decimal{})
	if total.Cmp(tradeplan.D(550)) != 0 || len(over) != 1 || over[2].Rule != FlagOverBalance {
		t.Fatalf("balance %s %+v", total, over)
	}
	total, over = Balance(p, ds, tradeplan.D(10))
	if total.Cmp(tradeplan.D(550)) != 0 || len(over) != 0 {
		t.Fatalf("within 10%%: %s %+v", total, over)
	}
	total, over = Balance(p, ds, tradeplan.MustDecimal("9.99"))
	if len(over) != 1 {
		t.Fatalf("beyond 9.99%%: %s %+v", total, over)
	}
}

func FuzzReadDeclarationsCSV(f *testing.F) {
	f.Add([]byte(declCSV))
	f.Add([]byte("declaration,declarant\n1,2\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ReadDeclarationsCSV(strings.NewReader(string(b)), "f.csv")
		if err != nil {
			return
		}
		for _, d := range ds {
			if d.Number == "" || d.Declarant < 1 || d.Line.Date.IsZero() || d.Line.Quantity.Sign() <= 0 || d.Line.Unit == "" {
				t.Fatalf("accepted an incomplete declaration: %+v", d)
			}
		}
	})
}

// TestBatchDigestStable: the digest of a batch is what it was when the
// facts were a map (batches loaded before still replay as the same), for
// declarations with and without a partner and a vessel.
func TestBatchDigestStable(t *testing.T) {
	ds, err := ReadDeclarationsCSV(strings.NewReader(declCSV), "d.csv")
	if err != nil {
		t.Fatal(err)
	}
	ds[1].Line.Partner = &tradeplan.Party{Name: "Korea Ryonbong", Country: "KP"}
	ds[1].Line.Vessel = &tradeplan.Vessel{Name: "WISE HONEST", IMO: "8905490"}
	asMap := func(d DeclarationInput) map[string]any {
		l := d.Line
		return map[string]any{
			"number": strings.TrimSpace(d.Number), "declarant": d.Declarant, "permit": strings.ToUpper(strings.TrimSpace(d.Permit)),
			"date": l.Date.Format(time.DateOnly), "direction": l.Direction, "description": l.Description, "hs": l.HS,
			"origin": l.Origin, "destination": l.Destination, "partner": l.Partner, "vessel": l.Vessel, "crossing": CrossingSlug(l.Crossing),
			"quantity": l.Quantity.String(), "unit": l.Unit, "value": l.Value.String(), "currency": l.Currency,
		}
	}
	for _, d := range ds {
		a, _ := json.Marshal(asMap(d))
		b, _ := json.Marshal(declarationFacts(&d))
		if string(a) != string(b) {
			t.Errorf("facts of %s:\n map    %s\n struct %s", d.Number, a, b)
		}
	}
}
