// Package permitsig owns the signed form of a permit: the canonical text of
// the fields a permit cannot change after issue, signed with the
// authority's ed25519 key, and its verification offline with the public
// keys alone. It is pure: the keys are kept and used by the store, and what
// can change (status, balance, the crossing's state) is asked of the
// registry online.
//
// The signed form is UTF-8 text, one field a line, in a fixed order:
//
//	TRADEPLAN-PERMIT/1
//	number: TP-2027H1-E-000001-7
//	issuer: 1
//	holder: 3
//	holder-name: Korea Namgang Trading
//	...
//	key: ed25519:0f1e2d3c4b5a6978
//	signature: <base64url of the ed25519 signature>
//
// The signature covers every line before it, each ended by "\n", exactly as
// Message writes them. A value's backslash, line break, carriage return and
// tab are written \\, \n, \r and \t, so that every value is one line.
package permitsig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Header is the first line of a signed permit: the form and its version.
const Header = "TRADEPLAN-PERMIT/1"

// Fields names the signed fields in their order. Every one is present in
// every signed permit, empty when the permit has no such fact.
var Fields = []string{
	"number", "issuer", "holder", "holder-name", "holder-country", "direction",
	"goods", "hs", "origin", "destination", "partner", "partner-country",
	"crossing", "quantity", "unit", "value", "currency", "valid-from", "valid-to",
	"issued-at", "key",
}

// Document is a permit's signed fields, each as written in the signed form.
type Document struct {
	Number         string
	Issuer         string // the organisation (id) of the authority that issued it
	Holder         string // the holder organisation's id
	HolderName     string
	HolderCountry  string
	Direction      string // export or import
	Goods          string // the description
	HS             string
	Origin         string
	Destination    string
	Partner        string
	PartnerCountry string
	Crossing       string
	Quantity       string
	Unit           string
	Value          string
	Currency       string
	ValidFrom      string // YYYY-MM-DD
	ValidTo        string // YYYY-MM-DD, inclusive
	IssuedAt       string // RFC 3339, UTC, seconds
	Key            string // the signing key's id
}

// Of returns the document of a permit issued by issuer to holder; the key
// is set by whoever signs.
func Of(p tradeplan.Permit, issuer int64, holder tradeplan.Organisation) Document {
	d := Document{
		Number: p.Number, Issuer: fmt.Sprint(issuer), Holder: fmt.Sprint(p.Holder),
		HolderName: holder.Name, HolderCountry: holder.Country, Direction: string(p.Direction),
		Goods: p.Description, HS: p.HS, Origin: p.Origin, Destination: p.Destination,
		Crossing: p.Crossing, Quantity: p.Quantity.String(), Unit: p.Unit, Value: p.Value.String(),
		Currency: p.Currency, ValidFrom: day(p.ValidFrom), ValidTo: day(p.ValidTo),
		IssuedAt: p.IssuedAt.UTC().Truncate(time.Second).Format(time.RFC3339),
	}
	if p.Partner != nil {
		d.Partner, d.PartnerCountry = p.Partner.Name, p.Partner.Country
	}
	return d
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// values returns the fields' values in the order of Fields.
func (d *Document) values() []*string {
	return []*string{&d.Number, &d.Issuer, &d.Holder, &d.HolderName, &d.HolderCountry, &d.Direction,
		&d.Goods, &d.HS, &d.Origin, &d.Destination, &d.Partner, &d.PartnerCountry,
		&d.Crossing, &d.Quantity, &d.Unit, &d.Value, &d.Currency, &d.ValidFrom, &d.ValidTo,
		&d.IssuedAt, &d.Key}
}

// Get returns the value of a named field ("" and false for no such field).
func (d Document) Get(field string) (string, bool) {
	for i, v := range d.values() {
		if Fields[i] == field {
			return *v, true
		}
	}
	return "", false
}

// Set changes the value of a named field; false for no such field.
func (d *Document) Set(field, value string) bool {
	for i, v := range d.values() {
		if Fields[i] == field {
			*v = value
			return true
		}
	}
	return false
}

var escaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`, "\t", `\t`)

// Message is the canonical text the signature covers: the header and every
// field, one a line, each line ended by "\n".
func (d Document) Message() []byte {
	var b bytes.Buffer
	b.WriteString(Header + "\n")
	for i, v := range d.values() {
		b.WriteString(Fields[i])
		b.WriteString(": ")
		b.WriteString(escaper.Replace(*v))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Signed is a document with its signature.
type Signed struct {
	Document
	Signature []byte
}

// Text is the signed form: the message and the signature line.
func (s Signed) Text() []byte {
	return append(s.Message(), []byte("signature: "+base64.RawURLEncoding.EncodeToString(s.Signature)+"\n")...)
}

// KeyID names a public key: "ed25519:" and the first 16 hex digits of the
// SHA-256 of the key.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return "ed25519:" + hex.EncodeToString(h[:8])
}

// Sign signs d with priv, whose id it records in the document.
func Sign(priv ed25519.PrivateKey, d Document) Signed {
	d.Key = KeyID(priv.Public().(ed25519.PublicKey))
	return Signed{Document: d, Signature: ed25519.Sign(priv, d.Message())}
}

// Parse reads a signed form strictly: the header, every field once in its
// order, and the signature, with nothing else but blank lines at the end
// ("\r\n" line ends are taken as "\n"). A form that is not exactly that is
// an EInvalid error naming the line.
func Parse(text []byte) (Signed, error) {
	var s Signed
	lines := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	bad := func(n int, format string, args ...any) (Signed, error) {
		return Signed{}, tradeplan.Errorf(tradeplan.EInvalid, "signed permit: line %d: %s", n, fmt.Sprintf(format, args...))
	}
	if len(lines) == 0 || lines[0] != Header {
		return bad(1, "expected %q", Header)
	}
	vals := s.values()
	for i, name := range Fields {
		n := i + 2
		if n > len(lines) {
			return bad(n, "expected field %q; the form ends", name)
		}
		v, ok := strings.CutPrefix(lines[n-1], name+": ")
		if !ok {
			return bad(n, "expected field %q", name)
		}
		u, err := unescape(v)
		if err != nil {
			return bad(n, "%s: %v", name, err)
		}
		*vals[i] = u
	}
	n := len(Fields) + 2
	if n > len(lines) {
		return bad(n, "expected the signature; the form ends")
	}
	sig, ok := strings.CutPrefix(lines[n-1], "signature: ")
	if !ok {
		return bad(n, "expected the signature")
	}
	if len(lines) > n {
		return bad(n+1, "expected nothing after the signature")
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil || len(b) != ed25519.SignatureSize {
		return bad(n, "signature: expected %d bytes in unpadded base64url", ed25519.SignatureSize)
	}
	s.Signature = b
	return s, nil
}

func unescape(v string) (string, error) {
	if !strings.Contains(v, `\`) {
		return v, nil
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] != '\\' {
			b.WriteByte(v[i])
			continue
		}
		if i+1 == len(v) {
			return "", fmt.Errorf("a lone backslash at the end")
		}
		i++
		switch v[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default:
			return "", fmt.Errorf(`unknown escape \%c`, v[i])
		}
	}
	return b.String(), nil
}

// PublicKey is one of the authority's public keys, as exported for
// verification offline.
type PublicKey struct {
	ID        string            `json:"id"`
	Key       ed25519.PublicKey `json:"public_key"` // base64 in JSON
	CreatedAt time.Time         `json:"created_at"`
	// RetiredAt is when a newer key took over signing; a retired key still
	// verifies what it signed.
	RetiredAt *time.Time `json:"retired_at,omitempty"`
}

// Outcome is what verification found.
type Outcome string

const (
	// Genuine: the signature is the authority's over these very fields.
	Genuine Outcome = "genuine"
	// Tampered: the document names one of the authority's keys, but the
	// signature does not cover these fields: a field (or the signature) was
	// changed after signing.
	Tampered Outcome = "tampered"
	// UnknownKey: the document names a key that is not one of the
	// authority's: signed by someone else.
	UnknownKey Outcome = "unknown-key"
	// WrongKey: the signature is the authority's, made with another of its
	// keys than the one the document names: the key line was changed.
	WrongKey Outcome = "wrong-key"
)

// Result is the outcome of a verification and why.
type Result struct {
	Outcome Outcome `json:"outcome"`
	Key     string  `json:"key"`
	Reason  string  `json:"reason"`
}

// OK reports whether the permit is genuine as signed.
func (r Result) OK() bool { return r.Outcome == Genuine }

// Verify checks s against the authority's public keys.
func Verify(s Signed, keys []PublicKey) Result {
	msg := s.Message()
	r := Result{Key: s.Key}
	for _, k := range keys {
		if k.ID != s.Key {
			continue
		}
		if len(k.Key) == ed25519.PublicKeySize && KeyID(k.Key) == k.ID && ed25519.Verify(k.Key, msg, s.Signature) {
			r.Outcome, r.Reason = Genuine, fmt.Sprintf("signed by the authority's key %s", k.ID)
			return r
		}
		for _, o := range keys {
			other := s.Document
			other.Key = o.ID
			if o.ID != k.ID && len(o.Key) == ed25519.PublicKeySize && ed25519.Verify(o.Key, other.Message(), s.Signature) {
				r.Outcome, r.Reason = WrongKey, fmt.Sprintf("the signature was made with key %s, not %s which the permit names: the key line was changed", o.ID, k.ID)
				return r
			}
		}
		r.Outcome, r.Reason = Tampered, fmt.Sprintf("the signature of key %s does not cover these fields: a field or the signature was changed after signing", k.ID)
		return r
	}
	r.Outcome, r.Reason = UnknownKey, fmt.Sprintf("key %q is not one of the authority's keys", s.Key)
	return r
}
