package plan

import "strings"

// currencyCodes are the ISO 4217 alphabetic codes in use, with a few recently
// withdrawn ones (HRK, ANG, SLL, ZWL) that older declarations still carry.
const currencyCodes = `AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB
PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG
XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL`

// currencyAliases are written forms that are not ISO codes.
var currencyAliases = map[string]string{"RMB": "CNY"}

var (
	// currencySet is indexed by the three letters in base 26: the CSV fast path.
	currencySet [26 * 26 * 26]string
	currencyAll []string
)

func init() {
	for _, c := range strings.Fields(currencyCodes) {
		currencySet[currencyIndex(c)] = c
		currencyAll = append(currencyAll, c)
	}
}

func currencyIndex(s string) int {
	return (int(s[0]-'A')*26+int(s[1]-'A'))*26 + int(s[2]-'A')
}

// Currency resolves an ISO 4217 currency code, in any case, to its upper-case
// form ("usd" -> "USD"; also "RMB" -> "CNY").
func Currency(s string) (string, bool) {
	if len(s) == 3 && isUpper(s[0]) && isUpper(s[1]) && isUpper(s[2]) {
		if c := currencySet[currencyIndex(s)]; c != "" {
			return c, true
		}
	}
	t := strings.ToUpper(strings.TrimSpace(s))
	if a, ok := currencyAliases[t]; ok {
		return a, true
	}
	if len(t) == 3 && isUpper(t[0]) && isUpper(t[1]) && isUpper(t[2]) {
		if c := currencySet[currencyIndex(t)]; c != "" {
			return c, true
		}
	}
	return "", false
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }
