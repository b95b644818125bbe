package licensing

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// FuzzReadDeclarationsCSVCrafted (redteam, wave 7): a crafted declaration file
// never panics the reader; it is either refused whole with an invalid-input
// error whose every problem is at a line of the file, or read into
// declarations that each hold what intake rests on (a number of at most 64
// characters, unique in the batch, a declarant, a day, a crossing, a
// quantity above zero, a unit).
func FuzzReadDeclarationsCSVCrafted(f *testing.F) {
	head := "declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"
	for _, s := range []string{
		head + "CD-1,7,,2027-07-10,CN,KP,310210,fertiliser,300,t,150000,USD,Namyang-Tumen\n",
		head + "CD-1,7,,2027-07-10,CN,KP,310210,fertiliser,300,t,150000,USD,Namyang-Tumen\n CD-1 ,7,,2027-07-10,CN,KP,310210,x,1,t,1,USD,Namyang-Tumen\n",
		head + "=cmd|' /C calc'!A0,7,,2027-07-10,CN,KP,310210,fertiliser,-1,t,NaN,USD,Namyang-Tumen\n",
		"\ufeff" + head + "\"CD\n2\",North Hamgyong,,2027-02-30,KP,CN,0303,\"fish\"\"\",1e400,kg,1,USD,x\n",
		head + "CD-3,0,TP-2027H1-I-000001-J,10/07/2027,CN,KP,,,0.0000000001,pcs,,USD,\n",
		"declaration,declaration,declarant,date,crossing,quantity,unit\nA,B,1,2027-01-01,x,1,t\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := ReadDeclarationsCSV(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			var te *tradeplan.Error
			if !errors.As(err, &te) || te.Code != tradeplan.EInvalid {
				t.Fatalf("not an invalid-input error: %T %v", err, err)
			}
			for _, p := range te.Problems {
				if p.Pos.Line < 1 && p.Pos.Path == "" {
					t.Fatalf("a problem at no line: %+v", p)
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, d := range ds {
			n := strings.TrimSpace(d.Number)
			if n == "" || len(d.Number) > 64 || seen[n] {
				t.Fatalf("declaration number %q read (empty, long or twice)", d.Number)
			}
			seen[n] = true
			if d.Declarant < 1 && d.DeclarantName == "" {
				t.Fatalf("%q: no declarant", d.Number)
			}
			l := d.Line
			if l.Date.IsZero() || strings.TrimSpace(l.Crossing) == "" || l.Quantity.Sign() <= 0 || l.Unit == "" || l.Value.Sign() < 0 {
				t.Fatalf("%q read with %+v", d.Number, l)
			}
		}
	})
}
