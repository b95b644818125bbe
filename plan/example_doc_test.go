package plan_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
)

func ExampleParse() {
	doc := `
plan: {id: demo, organisation: Demo Bureau, country: DPRK, period: 2027-H1}
lines:
  - direction: export
    description: salted pollack
    hs: "0305.69"
    quantity: 300
    unit: tonnes
    partner: {name: Demo Seafood, country: PRC}
`
	p, err := plan.Parse([]byte(doc), "demo.yaml", plan.YAML)
	if err != nil {
		fmt.Println(err)
		return
	}
	l := p.Lines[0]
	fmt.Println(p.Country, p.Period.From.Format("2006-01-02"), p.Period.To.Format("2006-01-02"))
	fmt.Println(l.Pos, l.Direction, l.HS, l.Quantity, l.Unit, l.Origin, "->", l.Destination)
	// Output:
	// KP 2027-01-01 2027-06-30
	// demo.yaml:4:5: lines[1] export 030569 300 t KP -> CN
}

func ExampleParse_problems() {
	doc := `
plan: {id: demo, country: KP}
lines:
  - {direction: export, description: coal, quantity: 5, unit: tonz, destinaton: CN}
`
	_, err := plan.Parse([]byte(doc), "demo.yaml", plan.YAML)
	var e *tradeplan.Error
	if errors.As(err, &e) {
		for _, p := range e.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// demo.yaml:4:63: lines[1].unit: expected one of t, kg, g, lb, l, m3, bbl, gal, pcs, pairs, doz, m2, m, kwh, mwh (or a name such as tonnes); found "tonz"; did you mean "ton"?
	// demo.yaml:4:69: lines[1].destinaton: unknown field; expected one of direction, description, hs, quantity, unit, value, currency, partner, vessel, crossing, necessity, purpose, source, origin, destination, exemption, date; did you mean "destination"?
}

func ExampleCSVReader() {
	in := `origin,destination,hs,description,quantity,unit
North Korea,CN,030569,salted pollack,42.5,t
KP,,0303,frozen fish,1,t
CN,KP,2710.19,diesel,3500,barrels
`
	r, err := plan.NewCSVReader(strings.NewReader(in), "decl.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		l, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("bad row:", err) // the reader goes on with the next row
			continue
		}
		fmt.Println(l.Index, l.Origin, l.Destination, l.HS, l.Quantity, l.Unit)
	}
	// Output:
	// 1 KP CN 030569 42.5 t
	// bad row: decl.csv: 1 problem
	// decl.csv:3:4: destination: required (the country the goods go to)
	// 3 CN KP 271019 3500 bbl
}

func ExampleCountry() {
	for _, s := range []string{"KP", "DPRK", "Democratic People's Republic of Korea", "prc", "Viet Nam", "Korea"} {
		code, ok := plan.Country(s)
		fmt.Printf("%q %s %v\n", s, code, ok)
	}
	fmt.Println(plan.CountryName("KP"))
	// Output:
	// "KP" KP true
	// "DPRK" KP true
	// "Democratic People's Republic of Korea" KP true
	// "prc" CN true
	// "Viet Nam" VN true
	// "Korea"  false
	// Korea (Democratic People's Republic of)
}
