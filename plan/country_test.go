package plan

import (
	"bytes"
	"encoding/csv"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan/internal/shareddata"
)

func TestCountryTable(t *testing.T) {
	codes := CountryCodes()
	// ISO 3166-1 assigns 249 codes; XK is the one user-assigned code kept.
	if len(codes) != 250 {
		t.Errorf("%d countries, want 250", len(codes))
	}
	seen2, seen3 := map[string]bool{}, map[string]bool{}
	for i, c := range countries {
		if len(c.code) != 2 || len(c.alpha3) != 3 || c.name == "" {
			t.Errorf("bad row %+v", c)
		}
		if seen2[c.code] || seen3[c.alpha3] {
			t.Errorf("repeated code %s/%s", c.code, c.alpha3)
		}
		seen2[c.code], seen3[c.alpha3] = true, true
		if i > 0 && countries[i-1].code >= c.code {
			t.Errorf("table out of order at %s", c.code)
		}
	}
	for alias, code := range countryAliases {
		if CountryName(code) == "" {
			t.Errorf("alias %q names unassigned code %s", alias, code)
		}
		// An alias must not shadow an ISO name of another country.
		if c, ok := byName[normCountry(alias)]; !ok || c.code != code {
			t.Errorf("alias %q resolves to %v, want %s", alias, c, code)
		}
	}
}

func TestExactAndNormalisedAgree(t *testing.T) {
	for k, c := range byExact {
		if len(k) == 2 && strings.EqualFold(k, c.code) {
			continue // alpha-2 codes resolve through byAlpha2
		}
		if n := byName[normCountry(k)]; n != c {
			t.Errorf("%q: exact %s, normalised %v", k, c.code, n)
		}
	}
}

func TestCountry(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"alpha-2", "KP", "KP"},
		{"alpha-2 lower case", "kp", "KP"},
		{"alpha-2 with spaces", " cn ", "CN"},
		{"alpha-3", "PRK", "KP"},
		{"alpha-3 lower case", "chn", "CN"},
		{"ISO name", "Korea (Democratic People's Republic of)", "KP"},
		{"DPRK", "DPRK", "KP"},
		{"D.P.R.K.", "D.P.R.K.", "KP"},
		{"North Korea", "north korea", "KP"},
		{"long form", "Democratic People's Republic of Korea", "KP"},
		{"curly apostrophe", "Democratic People’s Republic of Korea", "KP"},
		{"PRC", "PRC", "CN"},
		{"China", "China", "CN"},
		{"ROK", "ROK", "KR"},
		{"South Korea", "South Korea", "KR"},
		{"Republic of Korea", "Republic of Korea", "KR"},
		{"Russia", "Russia", "RU"},
		{"Russian Federation", "Russian Federation", "RU"},
		{"UK", "UK", "GB"},
		{"USA", "USA", "US"},
		{"U.S.A.", "U.S.A.", "US"},
		{"Viet Nam", "Viet Nam", "VN"},
		{"Vietnam", "VIETNAM", "VN"},
		{"the Netherlands", "The Netherlands", "NL"},
		{"ampersand", "Antigua & Barbuda", "AG"},
		{"hyphen", "Guinea-Bissau", "GW"},
		{"diacritics", "Côte d'Ivoire", "CI"},
		{"Kosovo", "XK", "XK"},
		{"St for Saint", "St. Helena, Ascension and Tristan da Cunha", "SH"},
		{"St Pierre", "st pierre and miquelon", "PM"},
		{"Taiwan", "Taiwan", "TW"},
		{"Hong Kong", "Hong Kong SAR", "HK"},
		{"unknown", "Atlantis", ""},
		{"unassigned alpha-2", "ZZ", ""},
		{"ambiguous Korea", "Korea", ""},
		{"empty", "", ""},
		{"one letter", "K", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Country(tt.in)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Country(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
		})
	}
}

func TestCountryName(t *testing.T) {
	for code, want := range map[string]string{"KP": "Korea (Democratic People's Republic of)", "CN": "China", "VN": "Viet Nam", "kp": "", "ZZ": "", "": "", "KPX": ""} {
		if got := CountryName(code); got != want {
			t.Errorf("CountryName(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestCurrency(t *testing.T) {
	tests := []struct{ in, want string }{
		{"USD", "USD"}, {"usd", "USD"}, {" eur ", "EUR"}, {"CNY", "CNY"}, {"RMB", "CNY"}, {"rmb", "CNY"}, {"KPW", "KPW"},
		{"XYZ", ""}, {"US", ""}, {"USDD", ""}, {"", ""}, {"$", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := Currency(tt.in)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Currency(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
		})
	}
}

func BenchmarkCountryAlpha2(b *testing.B) {
	in := []string{"KP", "CN", "RU", "VN", "JP"}
	for i := 0; b.Loop(); i++ {
		if _, ok := Country(in[i%len(in)]); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkCountryName(b *testing.B) {
	in := []string{"North Korea", "People's Republic of China", "Russia", "Viet Nam"}
	for i := 0; b.Loop(); i++ {
		if _, ok := Country(in[i%len(in)]); !ok {
			b.Fatal("not found")
		}
	}
}

func TestNormCountry(t *testing.T) {
	if got := normCountry("  The  Bahamas, "); got != "bahamas" {
		t.Errorf("normCountry = %q", got)
	}
	if got := normCountry("Korea, Democratic People's Republic of"); strings.Contains(got, ",") || strings.Contains(got, "'") {
		t.Errorf("normCountry kept punctuation: %q", got)
	}
}

// TestSanctionsListCountries resolves every country and nationality named in
// the real UN consolidated list and the OFAC address file, which party
// screening reads through Country.
func TestSanctionsListCountries(t *testing.T) {
	un, ofac := shareddata.Read(t, shareddata.UNList), shareddata.Read(t, shareddata.OFACAddresses)
	names := map[string]bool{}
	for _, m := range regexp.MustCompile(`<COUNTRY>([^<]*)</COUNTRY>`).FindAllSubmatch(un, -1) {
		names[html.UnescapeString(string(m[1]))] = true
	}
	for _, m := range regexp.MustCompile(`(?s)<NATIONALITY>(.*?)</NATIONALITY>`).FindAllSubmatch(un, -1) {
		for _, v := range regexp.MustCompile(`<VALUE>([^<]*)</VALUE>`).FindAllSubmatch(m[1], -1) {
			names[html.UnescapeString(string(v[1]))] = true
		}
	}
	cr := csv.NewReader(bytes.NewReader(ofac))
	cr.FieldsPerRecord = -1 // the file ends with a one-field control row
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if len(r) > 4 {
			names[strings.TrimSpace(r[4])] = true
		}
	}
	// Names that are no country of today's ISO 3166-1, or a region of
	// disputed status: left unresolved on purpose.
	unresolved := map[string]bool{"-0-": true, "": true, "former Soviet Union": true, "Netherlands Antilles": true, "undetermined": true}
	if len(names) < 100 {
		t.Fatalf("only %d names found: the file formats changed?", len(names))
	}
	for n := range names {
		if unresolved[n] || strings.HasPrefix(n, "Region: ") {
			continue
		}
		if _, ok := Country(n); !ok {
			t.Errorf("Country(%q) does not resolve", n)
		}
	}
}
