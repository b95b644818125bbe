package plan

import (
	"sort"
	"strings"
	"unicode"
)

// countryTable is ISO 3166-1: alpha-2, alpha-3 and the English short name,
// one country a line. XK (Kosovo) is a user-assigned code in wide use by
// customs and sanctions lists and is kept for that reason.
const countryTable = `AD|AND|Andorra
AE|ARE|United Arab Emirates
AF|AFG|Afghanistan
AG|ATG|Antigua and Barbuda
AI|AIA|Anguilla
AL|ALB|Albania
AM|ARM|Armenia
AO|AGO|Angola
AQ|ATA|Antarctica
AR|ARG|Argentina
AS|ASM|American Samoa
AT|AUT|Austria
AU|AUS|Australia
AW|ABW|Aruba
AX|ALA|Åland Islands
AZ|AZE|Azerbaijan
BA|BIH|Bosnia and Herzegovina
BB|BRB|Barbados
BD|BGD|Bangladesh
BE|BEL|Belgium
BF|BFA|Burkina Faso
BG|BGR|Bulgaria
BH|BHR|Bahrain
BI|BDI|Burundi
BJ|BEN|Benin
BL|BLM|Saint Barthélemy
BM|BMU|Bermuda
BN|BRN|Brunei Darussalam
BO|BOL|Bolivia (Plurinational State of)
BQ|BES|Bonaire, Sint Eustatius and Saba
BR|BRA|Brazil
BS|BHS|Bahamas
BT|BTN|Bhutan
BV|BVT|Bouvet Island
BW|BWA|Botswana
BY|BLR|Belarus
BZ|BLZ|Belize
CA|CAN|Canada
CC|CCK|Cocos (Keeling) Islands
CD|COD|Congo, Democratic Republic of the
CF|CAF|Central African Republic
CG|COG|Congo
CH|CHE|Switzerland
CI|CIV|Côte d'Ivoire
CK|COK|Cook Islands
CL|CHL|Chile
CM|CMR|Cameroon
CN|CHN|China
CO|COL|Colombia
CR|CRI|Costa Rica
CU|CUB|Cuba
CV|CPV|Cabo Verde
CW|CUW|Curaçao
CX|CXR|Christmas Island
CY|CYP|Cyprus
CZ|CZE|Czechia
DE|DEU|Germany
DJ|DJI|Djibouti
DK|DNK|Denmark
DM|DMA|Dominica
DO|DOM|Dominican Republic
DZ|DZA|Algeria
EC|ECU|Ecuador
EE|EST|Estonia
EG|EGY|Egypt
EH|ESH|Western Sahara
ER|ERI|Eritrea
ES|ESP|Spain
ET|ETH|Ethiopia
FI|FIN|Finland
FJ|FJI|Fiji
FK|FLK|Falkland Islands (Malvinas)
FM|FSM|Micronesia (Federated States of)
FO|FRO|Faroe Islands
FR|FRA|France
GA|GAB|Gabon
GB|GBR|United Kingdom of Great Britain and Northern Ireland
GD|GRD|Grenada
GE|GEO|Georgia
GF|GUF|French Guiana
GG|GGY|Guernsey
GH|GHA|Ghana
GI|GIB|Gibraltar
GL|GRL|Greenland
GM|GMB|Gambia
GN|GIN|Guinea
GP|GLP|Guadeloupe
GQ|GNQ|Equatorial Guinea
GR|GRC|Greece
GS|SGS|South Georgia and the South Sandwich Islands
GT|GTM|Guatemala
GU|GUM|Guam
GW|GNB|Guinea-Bissau
GY|GUY|Guyana
HK|HKG|Hong Kong
HM|HMD|Heard Island and McDonald Islands
HN|HND|Honduras
HR|HRV|Croatia
HT|HTI|Haiti
HU|HUN|Hungary
ID|IDN|Indonesia
IE|IRL|Ireland
IL|ISR|Israel
IM|IMN|Isle of Man
IN|IND|India
IO|IOT|British Indian Ocean Territory
IQ|IRQ|Iraq
IR|IRN|Iran (Islamic Republic of)
IS|ISL|Iceland
IT|ITA|Italy
JE|JEY|Jersey
JM|JAM|Jamaica
JO|JOR|Jordan
JP|JPN|Japan
KE|KEN|Kenya
KG|KGZ|Kyrgyzstan
KH|KHM|Cambodia
KI|KIR|Kiribati
KM|COM|Comoros
KN|KNA|Saint Kitts and Nevis
KP|PRK|Korea (Democratic People's Republic of)
KR|KOR|Korea, Republic of
KW|KWT|Kuwait
KY|CYM|Cayman Islands
KZ|KAZ|Kazakhstan
LA|LAO|Lao People's Democratic Republic
LB|LBN|Lebanon
LC|LCA|Saint Lucia
LI|LIE|Liechtenstein
LK|LKA|Sri Lanka
LR|LBR|Liberia
LS|LSO|Lesotho
LT|LTU|Lithuania
LU|LUX|Luxembourg
LV|LVA|Latvia
LY|LBY|Libya
MA|MAR|Morocco
MC|MCO|Monaco
MD|MDA|Moldova, Republic of
ME|MNE|Montenegro
MF|MAF|Saint Martin (French part)
MG|MDG|Madagascar
MH|MHL|Marshall Islands
MK|MKD|North Macedonia
ML|MLI|Mali
MM|MMR|Myanmar
MN|MNG|Mongolia
MO|MAC|Macao
MP|MNP|Northern Mariana Islands
MQ|MTQ|Martinique
MR|MRT|Mauritania
MS|MSR|Montserrat
MT|MLT|Malta
MU|MUS|Mauritius
MV|MDV|Maldives
MW|MWI|Malawi
MX|MEX|Mexico
MY|MYS|Malaysia
MZ|MOZ|Mozambique
NA|NAM|Namibia
NC|NCL|New Caledonia
NE|NER|Niger
NF|NFK|Norfolk Island
NG|NGA|Nigeria
NI|NIC|Nicaragua
NL|NLD|Netherlands
NO|NOR|Norway
NP|NPL|Nepal
NR|NRU|Nauru
NU|NIU|Niue
NZ|NZL|New Zealand
OM|OMN|Oman
PA|PAN|Panama
PE|PER|Peru
PF|PYF|French Polynesia
PG|PNG|Papua New Guinea
PH|PHL|Philippines
PK|PAK|Pakistan
PL|POL|Poland
PM|SPM|Saint Pierre and Miquelon
PN|PCN|Pitcairn
PR|PRI|Puerto Rico
PS|PSE|Palestine, State of
PT|PRT|Portugal
PW|PLW|Palau
PY|PRY|Paraguay
QA|QAT|Qatar
RE|REU|Réunion
RO|ROU|Romania
RS|SRB|Serbia
RU|RUS|Russian Federation
RW|RWA|Rwanda
SA|SAU|Saudi Arabia
SB|SLB|Solomon Islands
SC|SYC|Seychelles
SD|SDN|Sudan
SE|SWE|Sweden
SG|SGP|Singapore
SH|SHN|Saint Helena, Ascension and Tristan da Cunha
SI|SVN|Slovenia
SJ|SJM|Svalbard and Jan Mayen
SK|SVK|Slovakia
SL|SLE|Sierra Leone
SM|SMR|San Marino
SN|SEN|Senegal
SO|SOM|Somalia
SR|SUR|Suriname
SS|SSD|South Sudan
ST|STP|Sao Tome and Principe
SV|SLV|El Salvador
SX|SXM|Sint Maarten (Dutch part)
SY|SYR|Syrian Arab Republic
SZ|SWZ|Eswatini
TC|TCA|Turks and Caicos Islands
TD|TCD|Chad
TF|ATF|French Southern Territories
TG|TGO|Togo
TH|THA|Thailand
TJ|TJK|Tajikistan
TK|TKL|Tokelau
TL|TLS|Timor-Leste
TM|TKM|Turkmenistan
TN|TUN|Tunisia
TO|TON|Tonga
TR|TUR|Türkiye
TT|TTO|Trinidad and Tobago
TV|TUV|Tuvalu
TW|TWN|Taiwan, Province of China
TZ|TZA|Tanzania, United Republic of
UA|UKR|Ukraine
UG|UGA|Uganda
UM|UMI|United States Minor Outlying Islands
US|USA|United States of America
UY|URY|Uruguay
UZ|UZB|Uzbekistan
VA|VAT|Holy See
VC|VCT|Saint Vincent and the Grenadines
VE|VEN|Venezuela (Bolivarian Republic of)
VG|VGB|Virgin Islands (British)
VI|VIR|Virgin Islands (U.S.)
VN|VNM|Viet Nam
VU|VUT|Vanuatu
WF|WLF|Wallis and Futuna
WS|WSM|Samoa
XK|XKX|Kosovo
YE|YEM|Yemen
YT|MYT|Mayotte
ZA|ZAF|South Africa
ZM|ZMB|Zambia
ZW|ZWE|Zimbabwe`

// countryAliases are common names, former names and abbreviations, mapped to
// alpha-2 codes. Keys are written as a user would; they are normalised like
// the input. Ambiguous names ("Korea", "Congo" for the DRC, "Guinea" for its
// neighbours) are deliberately absent or left at their ISO meaning.
var countryAliases = map[string]string{
	// DPRK
	"DPRK": "KP", "DPR Korea": "KP", "Korea DPR": "KP", "North Korea": "KP", "Korea, North": "KP", "N. Korea": "KP",
	"Democratic People's Republic of Korea": "KP", "Korea, Democratic People's Republic of": "KP", "Choson": "KP",
	// Republic of Korea
	"ROK": "KR", "South Korea": "KR", "Korea, South": "KR", "Republic of Korea": "KR", "S. Korea": "KR",
	// China and its special administrative regions
	"PRC": "CN", "People's Republic of China": "CN", "China, People's Republic of": "CN", "Mainland China": "CN", "Chinese Mainland": "CN",
	"Hong Kong SAR": "HK", "Hong Kong, China": "HK", "Macau": "MO", "Macao SAR": "MO", "Macau SAR": "MO",
	"Taiwan": "TW", "Chinese Taipei": "TW",
	// Others
	"Russia": "RU", "UK": "GB", "United Kingdom": "GB", "Great Britain": "GB", "Britain": "GB",
	"USA": "US", "U.S.": "US", "United States": "US", "America": "US",
	"Vietnam": "VN", "Viet Nam": "VN", "Laos": "LA", "Lao PDR": "LA", "Burma": "MM", "Iran": "IR", "Syria": "SY",
	"Venezuela": "VE", "Bolivia": "BO", "Tanzania": "TZ", "Moldova": "MD", "Micronesia": "FM", "Brunei": "BN",
	"Czech Republic": "CZ", "Swaziland": "SZ", "Cape Verde": "CV", "East Timor": "TL", "Turkey": "TR", "Turkiye": "TR",
	"Ivory Coast": "CI", "Cote d'Ivoire": "CI", "Curacao": "CW", "Reunion": "RE", "Aland Islands": "AX", "Saint Barthelemy": "BL",
	"DR Congo": "CD", "DRC": "CD", "Democratic Republic of the Congo": "CD", "Congo-Kinshasa": "CD",
	"Republic of the Congo": "CG", "Congo-Brazzaville": "CG", "Macedonia": "MK", "Vatican": "VA", "Vatican City": "VA",
	"Palestine": "PS", "UAE": "AE", "Emirates": "AE", "Holland": "NL", "The Netherlands": "NL",
	"St Kitts and Nevis": "KN", "St Lucia": "LC", "St Vincent and the Grenadines": "VC", "Falkland Islands": "FK",
	"Bosnia": "BA", "Trinidad": "TT", "Sao Tome": "ST", "Gambia, The": "GM", "Bahamas, The": "BS",
	// Forms used by the UN and OFAC sanctions lists.
	"British Virgin Islands": "VG", "US Virgin Islands": "VI", "United States Virgin Islands": "VI",
	"China, Hong Kong Special Administrative Region": "HK", "Hong Kong Special Administrative Region": "HK",
	"China, Macao Special Administrative Region": "MO", "Macao Special Administrative Region": "MO",
	"State of Palestine": "PS", "Palestinian": "PS", "West Bank": "PS", "Gaza": "PS", "Gaza Strip": "PS",
	"United Republic of Tanzania": "TZ", "Congo, Republic of the": "CG", "Cote d Ivoire": "CI",
}

// country is one entry of the table.
type country struct {
	code, alpha3, name string
}

var (
	// byAlpha2 is indexed by (c0-'A')*26 + (c1-'A'): the fast path of
	// Country for upper-case alpha-2 codes, used for every CSV row.
	byAlpha2 [26 * 26]*country
	// byName maps normalised names, aliases and alpha-3 codes to entries.
	byName = map[string]*country{}
	// byExact maps the same as written, in upper and lower case: most
	// lookups hit it before any normalising.
	byExact = map[string]*country{}
	// countries in table order.
	countries []*country
)

func init() {
	for _, row := range strings.Split(countryTable, "\n") {
		f := strings.Split(row, "|")
		c := &country{code: f[0], alpha3: f[1], name: f[2]}
		countries = append(countries, c)
		byAlpha2[alpha2Index(c.code)] = c
		byName[normCountry(c.alpha3)] = c
		byName[normCountry(c.name)] = c
		addExact(c, c.code, c.alpha3, c.name)
	}
	for alias, code := range countryAliases {
		c := byAlpha2[alpha2Index(code)]
		byName[normCountry(alias)] = c
		addExact(c, alias)
	}
	for _, c := range countries {
		countryWords = append(countryWords, c.name)
	}
	for a := range countryAliases {
		countryWords = append(countryWords, a)
	}
	sort.Strings(countryWords)
}

func addExact(c *country, forms ...string) {
	for _, f := range forms {
		for _, g := range []string{f, strings.ToLower(f), strings.ToUpper(f)} {
			if _, taken := byExact[g]; !taken {
				byExact[g] = c
			}
		}
	}
}

func alpha2Index(s string) int { return int(s[0]-'A')*26 + int(s[1]-'A') }

// Country resolves a country written as an ISO 3166-1 alpha-2 or alpha-3 code,
// its English short name or a common name or alias ("DPRK", "North Korea",
// "PRC", "UK", "Viet Nam"), case-insensitively, to its alpha-2 code.
func Country(s string) (code string, ok bool) {
	if len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' {
		if c := byAlpha2[alpha2Index(s)]; c != nil {
			return c.code, true
		}
	}
	return countrySlow(s)
}

func countrySlow(s string) (string, bool) {
	if c, ok := byExact[s]; ok {
		return c.code, true
	}
	t := strings.TrimSpace(s)
	if len(t) == 2 {
		a, b := upper(t[0]), upper(t[1])
		if a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' {
			if c := byAlpha2[int(a-'A')*26+int(b-'A')]; c != nil {
				return c.code, true
			}
		}
	}
	if c, ok := byName[normCountry(t)]; ok {
		return c.code, true
	}
	return "", false
}

func upper(b byte) byte {
	if b >= 'a' && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}

// CountryName returns the English short name of an alpha-2 code, or "" when
// the code is not assigned.
func CountryName(code string) string {
	if len(code) == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' {
		if c := byAlpha2[alpha2Index(code)]; c != nil {
			return c.name
		}
	}
	return ""
}

// CountryCodes lists the alpha-2 codes in table order.
func CountryCodes() []string {
	out := make([]string, len(countries))
	for i, c := range countries {
		out[i] = c.code
	}
	return out
}

// normCountry folds a country name for lookup: lower case, apostrophes and
// full stops dropped, punctuation to spaces, "&" to "and", runs of spaces
// collapsed, a leading "the" dropped, "St" read as "Saint".
func normCountry(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == '.':
			continue
		case r == '&':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	out := b.String()
	out = strings.TrimPrefix(out, "the ")
	if strings.HasPrefix(out, "st ") || strings.Contains(out, " st ") {
		f := strings.Fields(out)
		for i, w := range f {
			if w == "st" {
				f[i] = "saint"
			}
		}
		out = strings.Join(f, " ")
	}
	return out
}
