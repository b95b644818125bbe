package imports

import (
	"os"
	"regexp"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/internal/yamlnode"
)

// Rates are the exchange rates an authority gives for a period: how many
// units of Base one unit of each other currency buys (a rates file,
// docs/imports.md#rates). A currency without a rate is never converted.
type Rates struct {
	File   string
	Base   string
	AsOf   string
	Source string
	Rate   map[string]tradeplan.Decimal
}

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// LoadRates reads a rates file.
func LoadRates(path string) (*Rates, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, tradeplan.Errorf(tradeplan.EInvalid, "read rates file: %v", err)
	}
	return ParseRates(path, data)
}

// ParseRates reads a rates document.
func ParseRates(file string, data []byte) (*Rates, error) {
	p := &parser{Reader: yamlnode.Reader{File: file}}
	r := p.rates(data)
	if err := p.Probs.Err("rates file " + file); err != nil {
		return nil, err
	}
	return r, nil
}

func (p *parser) rates(data []byte) *Rates {
	root := p.parseDoc(data, "rates")
	if root == nil {
		return nil
	}
	m := p.Fields(root, "", "base", "as_of", "source", "rates")
	r := &Rates{File: p.File, Rate: map[string]tradeplan.Decimal{}}
	r.Base = p.required(m, root, "", "base")
	if r.Base != "" && !currencyCode.MatchString(r.Base) {
		p.Errorf(m["base"], "base", "want an ISO 4217 code in capitals (USD), found %q", r.Base)
	}
	r.AsOf = p.str(m["as_of"], "as_of")
	r.Source = p.str(m["source"], "source")
	rn, ok := m["rates"]
	if !ok {
		p.Errorf(root, "rates", "rates is required")
		return r
	}
	if rn.Kind != 4 { // yaml.MappingNode
		p.Errorf(rn, "rates", "want a mapping of currency to rate (CNY: 0.1385), found %s", yamlnode.KindName(rn))
		return r
	}
	for i := 0; i+1 < len(rn.Content); i += 2 {
		k, v := rn.Content[i], rn.Content[i+1]
		path := yamlnode.Join("rates", k.Value)
		if !currencyCode.MatchString(k.Value) {
			p.Errorf(k, path, "want an ISO 4217 code in capitals (CNY), found %q", k.Value)
			continue
		}
		if k.Value == r.Base {
			p.Errorf(k, path, "the base currency %s needs no rate", k.Value)
			continue
		}
		if _, dup := r.Rate[k.Value]; dup {
			p.Errorf(k, path, "rate for %s given twice", k.Value)
			continue
		}
		f, ok := p.decimal(v, path)
		if ok && f.Sign() == 0 {
			p.Errorf(v, path, "a rate of 0 would count %s as worth nothing", k.Value)
			continue
		}
		if ok {
			r.Rate[k.Value] = f
		}
	}
	return r
}

// Convert converts amount in currency from into the currency to, rounded
// half-even to the minor unit of to (docs/quantities.md). It converts only
// by a rate the file gives: to must be the base, or from and to the same.
func (r *Rates) Convert(amount tradeplan.Decimal, from, to string) (tradeplan.Decimal, error) {
	if from == to {
		return amount, nil
	}
	if r == nil {
		return tradeplan.Decimal{}, tradeplan.Errorf(tradeplan.EInvalid, "no exchange rate from %s to %s: give a rates file (--rates)", from, to)
	}
	if to != r.Base {
		return tradeplan.Decimal{}, tradeplan.Errorf(tradeplan.EInvalid, "the rates file %s converts into %s, not %s", r.File, r.Base, to)
	}
	rate, ok := r.Rate[from]
	if !ok {
		return tradeplan.Decimal{}, tradeplan.Errorf(tradeplan.EInvalid, "no exchange rate for %s in %s (base %s)", from, r.File, r.Base)
	}
	return amount.MulRound(rate, tradeplan.CurrencyPlaces(to)), nil
}
