package parties

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

func TestParseRealLists(t *testing.T) {
	un, ofac, ix := realLists(t)
	if un.Date != "2026-02-27" {
		t.Errorf("UN date %q, want 2026-02-27", un.Date)
	}
	if un.Counts[Individual] != 730 || un.Counts[Entity] != 273 {
		t.Errorf("UN counts %v, want 730 individuals and 273 entities", un.Counts)
	}
	if ofac.Counts["entries"] != 8976 {
		t.Errorf("OFAC entries %d, want 8976", ofac.Counts["entries"])
	}
	tests := []struct {
		name, list, id string
		check          func(e *Entry) string
	}{
		{"UN individual with good alias", "un", "KPi.002", func(e *Entry) string {
			if e.Name != "RI JE-SON" || e.Kind != Individual || len(e.Aliases) != 1 || e.Aliases[0].Quality != QualityGood || e.DOBs[0].Year != 1938 {
				return "want RI JE-SON, good alias, born 1938"
			}
			return ""
		}},
		{"UN entity with IMO number in comments", "un", "KPe.022", func(e *Entry) string {
			if len(e.IMOs) == 0 || e.IMOs[0].Number != "5342883" || e.IMOs[0].Type != "company" {
				return "want company IMO 5342883"
			}
			return ""
		}},
		{"UN program", "un", "KPe.004", func(e *Entry) string {
			if len(e.Programs) != 1 || e.Programs[0] != "DPRK" {
				return "want program DPRK"
			}
			return ""
		}},
		{"OFAC vessel with IMO", "ofac", "SDN-17069", func(e *Entry) string {
			if e.Kind != VesselKind || len(e.IMOs) != 1 || e.IMOs[0].Number != "7937317" || !ValidIMO(e.IMOs[0].Number) {
				return "want vessel IMO 7937317"
			}
			return ""
		}},
		{"OFAC individual with DOB circa", "ofac", "SDN-12211", func(e *Entry) string {
			if len(e.DOBs) < 2 || !e.DOBs[0].Approx || e.DOBs[0].Year != 1947 {
				return "want DOB circa 1947"
			}
			return ""
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := ix.Entry(tc.list, tc.id)
			if !ok {
				t.Fatalf("%s %s not loaded", tc.list, tc.id)
			}
			if msg := tc.check(e); msg != "" {
				t.Errorf("%s: %s; got %+v", tc.id, msg, *e)
			}
		})
	}
	// Reference numbers are trimmed; every UN DOB kind is read.
	kinds := map[string]bool{}
	for _, e := range un.Entries {
		if strings.TrimSpace(e.ID) != e.ID || strings.Contains(e.ID, " ") {
			t.Errorf("untrimmed reference %q", e.ID)
		}
		for _, d := range e.DOBs {
			switch {
			case d.ToYear > 0:
				kinds["between"] = true
			case d.Approx:
				kinds["approx"] = true
			case d.Day > 0:
				kinds["exact"] = true
			default:
				kinds["year"] = true
			}
		}
	}
	if len(kinds) != 4 {
		t.Errorf("DOB kinds read: %v, want between, approx, exact and year", kinds)
	}
}

const unSample = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-01-02T00:00:00Z">
<INDIVIDUALS>
<INDIVIDUAL>
<FIRST_NAME>KIM</FIRST_NAME><SECOND_NAME>TEST-SON</SECOND_NAME>
<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><REFERENCE_NUMBER> KPi.900 </REFERENCE_NUMBER>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Gim Test Son</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1960</FROM_YEAR><TO_YEAR>1962</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>PD 123 456</NUMBER></INDIVIDUAL_DOCUMENT>
</INDIVIDUAL>
</INDIVIDUALS>
<ENTITIES>
<ENTITY><FIRST_NAME>TEST SHIPPING CO</FIRST_NAME><REFERENCE_NUMBER>KPe.900</REFERENCE_NUMBER><COMMENTS1>IMO number: 9187629.</COMMENTS1></ENTITY>
</ENTITIES>
</CONSOLIDATED_LIST>`

func TestParseUNSample(t *testing.T) {
	l, err := ParseUN(strings.NewReader(unSample), "sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	if l.Date != "2026-01-02" || len(l.Entries) != 2 {
		t.Fatalf("date %q, %d entries", l.Date, len(l.Entries))
	}
	e := l.Entries[0]
	if e.ID != "KPi.900" || e.Name != "KIM TEST-SON" || e.DOBs[0].ToYear != 1962 || e.Aliases[0].Quality != QualityLow || e.Documents[0].Number != "PD 123 456" {
		t.Errorf("individual: %+v", e)
	}
	if l.Entries[1].IMOs[0] != (IMONumber{"9187629", "vessel"}) {
		t.Errorf("entity IMO: %+v", l.Entries[1].IMOs)
	}
}

func TestParseUNProblems(t *testing.T) {
	tests := []struct {
		name, xml string
		want      []string
	}{
		{"missing reference and bad date", `<CONSOLIDATED_LIST><INDIVIDUALS>
<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>
<INDIVIDUAL><FIRST_NAME>B</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>
<INDIVIDUAL_DATE_OF_BIRTH><DATE>1960-13-01</DATE></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL>
</INDIVIDUALS></CONSOLIDATED_LIST>`, []string{"f.xml:2: REFERENCE_NUMBER: missing reference number", "f.xml:3: INDIVIDUAL_DATE_OF_BIRTH: X.1: date of birth \"1960-13-01\" is not YYYY-MM-DD"}},
		{"malformed", "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>", []string{"malformed XML"}},
		{"not a list", "<html></html>", []string{"not a UN consolidated list"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseUN(strings.NewReader(tc.xml), "f.xml")
			if err == nil {
				t.Fatal("no error")
			}
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Errorf("code %s, want invalid", tradeplan.ErrorCode(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

const sdnSample = `100,"KIM, Test","individual","DPRK3",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 01 Jan 1970; nationality Korea, North; Passport 123456789 (Korea, North) issued 2016; a.k.a. 'KIM Weak'."
200,"TEST STAR","vessel","DPRK4",-0- ,-0- ,"Tanker",-0- ,-0- ,"Korea, North",-0- ,"Vessel Registration Identification IMO 9187629; alt. Phone Number 85012345678; Linked To: TEST SHIP"
` + "\x1a"

func TestParseOFACSample(t *testing.T) {
	l, err := ParseOFAC(OFACFiles{
		SDN:      strings.NewReader(sdnSample),
		Alt:      strings.NewReader(`100,1,"aka","GIM, Test",-0- ` + "\n"),
		Add:      strings.NewReader(`100,1,-0- ,"Pyongyang","Korea, North",-0- ` + "\n"),
		Comments: strings.NewReader(`200,"S CO."` + "\n"),
		Dir:      "ofac",
	})
	if err != nil {
		t.Fatal(err)
	}
	p, v := l.Entries[0], l.Entries[1]
	if p.ID != "SDN-100" || p.Kind != Individual || p.DOBs[0] != (DOB{Year: 1970, Month: 1, Day: 1, Text: "01 Jan 1970"}) ||
		p.Nationalities[0] != "Korea, North" || p.Documents[0].Number != "123456789" || len(p.Aliases) != 2 || p.Countries[0] != "Korea, North" {
		t.Errorf("individual: %+v", p)
	}
	if v.Kind != VesselKind || v.IMOs[0] != (IMONumber{"9187629", "vessel"}) || v.Programs[0] != "DPRK4" {
		t.Errorf("vessel: %+v", v)
	}
}

func TestParseOFACProblems(t *testing.T) {
	_, err := ParseOFAC(OFACFiles{
		SDN: strings.NewReader("x,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n5,\"B\",\"robot\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n6,\"C\"\n"),
		Alt: strings.NewReader("99,1,\"aka\",\"Z\",-0- \n"),
		Dir: "d",
	})
	if err == nil {
		t.Fatal("no error")
	}
	var e *tradeplan.Error
	if !errors.As(err, &e) || len(e.Problems) != 4 {
		t.Fatalf("want 4 problems, got %v", err)
	}
	for _, w := range []string{"d/sdn.csv:1: ent_num", "d/sdn.csv:2: type", "d/sdn.csv:3: 2 fields, want 12", "d/alt.csv:1: ent_num: alias for unknown"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestValidIMO(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"valid", "9187629", true},
		{"valid with prefix", "IMO 7937317", true},
		{"bad check digit", "9187628", false},
		{"company number", "5342883", false},
		{"six digits", "918762", false},
		{"letters", "IMO 91876A9", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ValidIMO(tc.in); got != tc.want {
				t.Errorf("ValidIMO(%q) = %v", tc.in, got)
			}
		})
	}
}

func FuzzParseUN(f *testing.F) {
	f.Add(unSample)
	f.Add(`<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X</FIRST_NAME><REFERENCE_NUMBER>1</REFERENCE_NUMBER><ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Y</ALIAS_NAME></ENTITY_ALIAS></ENTITY></ENTITIES></CONSOLIDATED_LIST>`)
	f.Add(`<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>9</FROM_YEAR></INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`)
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseUN(strings.NewReader(s), "fuzz.xml")
		if err == nil {
			ix := NewIndex(l)
			for _, e := range l.Entries {
				ix.Search(Query{Name: e.Name})
			}
		}
	})
}

func FuzzParseOFAC(f *testing.F) {
	f.Add(sdnSample, `100,1,"aka","GIM, Test",-0- `)
	f.Add(`1,"A B",-0- ,"X] [Y",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1944 to 1945; DOB circa 1950; Passport (; IMO 1234567"`, "")
	f.Fuzz(func(t *testing.T, sdn, alt string) {
		l, err := ParseOFAC(OFACFiles{SDN: strings.NewReader(sdn), Alt: strings.NewReader(alt)})
		if err == nil {
			ix := NewIndex(l)
			for _, e := range l.Entries {
				ix.Search(Query{Name: e.Name, DOB: "1950"})
			}
		}
	})
}

func FuzzSearch(f *testing.F) {
	f.Add("Lee Je Son", "KP", "1938")
	f.Add("Nam-chon-gang Trading Co., Ltd.", "", "")
	f.Add("Ch'ŏl 金铁三 (x)", "CN", "16 Jul 1938")
	l, err := ParseUN(bytes.NewReader([]byte(unSample)), "sample.xml")
	if err != nil {
		f.Fatal(err)
	}
	ix := NewIndex(l)
	f.Fuzz(func(t *testing.T, name, country, dob string) {
		for _, m := range ix.Search(Query{Name: name, Country: country, DOB: dob, MinScore: 0.01}) {
			if m.Score < 0 || m.Score > 1 || m.Explanation == "" {
				t.Fatalf("score %v, explanation %q", m.Score, m.Explanation)
			}
		}
	})
}
