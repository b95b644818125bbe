package licensing

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

// randomText is text with what JSON or HTML escapes, non-ASCII letters,
// invalid UTF-8 and the line separators encoding/json escapes.
func randomText(rng *rand.Rand) string {
	parts := []string{"wheat flour", "\"", "\\", "<", ">", "<b>", "&", "\n", "\t", "\x01", "\x7f", "평양", "é", "\u2028", "\u2029", "\xff", " ", "TP-2027H1-I-000001-X", "Namyang-Tumen", "\b", "\f", "\r"}
	var b strings.Builder
	for range rng.IntN(4) {
		b.WriteString(parts[rng.IntN(len(parts))])
	}
	return b.String()
}

// TestAppendFactsAsEncoder: the digest's facts are written byte for byte
// as json.Encoder wrote them, so that the digests of batches loaded before
// stay the same, for text with anything JSON or HTML escapes.
func TestAppendFactsAsEncoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	decimals := []string{"0", "1", "0.001", "1.50", "1000000", "123456789012345.123456", "-2.5", "1e3"}
	var in []DeclarationInput
	for range 3000 {
		d := DeclarationInput{Number: randomText(rng), Declarant: rng.Int64N(1 << 40), Permit: randomText(rng)}
		l := &d.Line
		l.Crossing, l.Currency, l.Description, l.Destination, l.HS, l.Origin, l.Unit = randomText(rng), randomText(rng), randomText(rng), randomText(rng), randomText(rng), randomText(rng), randomText(rng)
		l.Direction = tradeplan.Direction(randomText(rng))
		l.Date = time.Date(1990+rng.IntN(60), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), 0, 0, 0, time.UTC)
		l.Quantity = tradeplan.MustDecimal(decimals[rng.IntN(len(decimals))])
		l.Value = tradeplan.MustDecimal(decimals[rng.IntN(len(decimals))])
		if rng.IntN(3) == 0 {
			l.Partner = &tradeplan.Party{Name: randomText(rng), Country: randomText(rng)}
		}
		if rng.IntN(3) == 0 {
			l.Vessel = &tradeplan.Vessel{Name: randomText(rng), IMO: randomText(rng), Flag: randomText(rng)}
		}
		in = append(in, d)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	h := sha256.New()
	for i := range in {
		want.Reset()
		if err := enc.Encode(declarationFacts(&in[i])); err != nil {
			t.Fatal(err)
		}
		h.Write(want.Bytes())
		if got := appendFacts(nil, &in[i]); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("declaration %d:\n got  %s want %s", i, got, want.Bytes())
		}
	}
	if got, want := BatchDigest(in), hex.EncodeToString(h.Sum(nil)); got != want {
		t.Fatalf("digest %s, json.Encoder's %s", got, want)
	}
}

// TestIsSlug: a crossing id is kept as it is exactly when CrossingSlug
// would write it so.
func TestIsSlug(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "ab9Z- _-.é"
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		slow := makeSlug(s)
		if got := CrossingSlug(s); got != slow {
			t.Fatalf("CrossingSlug(%q) = %q, want %q", s, got, slow)
		}
		if isSlug(s) != (s == slow && s != "") {
			t.Fatalf("isSlug(%q) = %v", s, isSlug(s))
		}
	}
}
