package permitsig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/tradeplan/tradeplan"
)

func testKey(t testing.TB) (ed25519.PrivateKey, PublicKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv, PublicKey{ID: KeyID(pub), Key: pub, CreatedAt: time.Now()}
}

func testPermit() (tradeplan.Permit, tradeplan.Organisation) {
	p := tradeplan.Permit{
		Number: "TP-2027H1-E-000001-7", Holder: 3, Direction: tradeplan.Export,
		Description: "wheat flour\nin 50 kg bags \\ sacks", HS: "110100", Origin: "KP", Destination: "CN",
		Partner: &tradeplan.Party{Name: "Dandong Grain Co", Country: "CN"}, Crossing: "sinuiju-dandong",
		Quantity: tradeplan.MustDecimal("120.5"), Unit: "t", Value: tradeplan.MustDecimal("48200"), Currency: "USD",
		ValidFrom: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC),
		IssuedAt: time.Date(2026, 12, 7, 3, 4, 5, 6, time.UTC),
	}
	return p, tradeplan.Organisation{ID: 3, Name: "Korea Namgang Trading", Country: "KP"}
}

func TestRoundTrip(t *testing.T) {
	priv, pub := testKey(t)
	p, holder := testPermit()
	s := Sign(priv, Of(p, 1, holder))
	got, err := Parse(s.Text())
	if err != nil {
		t.Fatalf("parse own text: %v\n%s", err, s.Text())
	}
	if got.Document != s.Document {
		t.Fatalf("round trip changed the document:\n got %+v\nwant %+v", got.Document, s.Document)
	}
	if r := Verify(got, []PublicKey{pub}); !r.OK() {
		t.Fatalf("own signature: %+v", r)
	}
	if got.Goods != p.Description {
		t.Fatalf("goods %q, want %q", got.Goods, p.Description)
	}
	// CRLF line ends and a trailing blank line verify alike.
	crlf := bytes.ReplaceAll(s.Text(), []byte("\n"), []byte("\r\n"))
	if got, err := Parse(append(crlf, '\r', '\n')); err != nil || !Verify(got, []PublicKey{pub}).OK() {
		t.Fatalf("CRLF form: %v %+v", err, Verify(got, []PublicKey{pub}))
	}
}

// Every signed field changed alone, in the text as a forger would edit it,
// fails verification as tampered (the key line: as another key).
func TestEveryFieldTampered(t *testing.T) {
	priv, pub := testKey(t)
	p, holder := testPermit()
	s := Sign(priv, Of(p, 1, holder))
	text := string(s.Text())
	for _, f := range Fields {
		t.Run(f, func(t *testing.T) {
			old, _ := s.Get(f)
			lines := strings.Split(text, "\n")
			changed := false
			for i, l := range lines {
				if strings.HasPrefix(l, f+": ") {
					lines[i] = f + ": " + escaper.Replace(old+"1")
					changed = true
				}
			}
			if !changed {
				t.Fatalf("no line for field %s", f)
			}
			got, err := Parse([]byte(strings.Join(lines, "\n")))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			r := Verify(got, []PublicKey{pub})
			want := Tampered
			if f == "key" {
				want = UnknownKey
			}
			if r.Outcome != want {
				t.Fatalf("changed %s: outcome %s (%s), want %s", f, r.Outcome, r.Reason, want)
			}
		})
	}
	t.Run("signature", func(t *testing.T) {
		bad := s
		bad.Signature = bytes.Clone(s.Signature)
		bad.Signature[0] ^= 1
		if r := Verify(bad, []PublicKey{pub}); r.Outcome != Tampered {
			t.Fatalf("flipped signature bit: %+v", r)
		}
	})
}

func TestKeys(t *testing.T) {
	oldPriv, oldPub := testKey(t)
	newPriv, newPub := testKey(t)
	_, strangerPub := testKey(t)
	p, holder := testPermit()
	old := Sign(oldPriv, Of(p, 1, holder))
	now := Sign(newPriv, Of(p, 1, holder))
	keys := []PublicKey{oldPub, newPub}
	// Rotation: the old key still verifies what it signed.
	if r := Verify(old, keys); !r.OK() {
		t.Fatalf("old key after rotation: %+v", r)
	}
	if r := Verify(now, keys); !r.OK() {
		t.Fatalf("new key: %+v", r)
	}
	// A forger's own key, named as such: not the authority's.
	forgerPriv, _ := testKey(t)
	if r := Verify(Sign(forgerPriv, Of(p, 1, holder)), keys); r.Outcome != UnknownKey {
		t.Fatalf("forger's key: %+v", r)
	}
	// A forger's signature under the authority's key id: tampered.
	forged := Sign(forgerPriv, Of(p, 1, holder))
	forged.Key = newPub.ID
	if r := Verify(forged, keys); r.Outcome != Tampered {
		t.Fatalf("forged signature under the authority's key id: %+v", r)
	}
	// The key line of a genuine permit changed to the other key of the authority.
	swapped := old
	swapped.Key = newPub.ID
	if r := Verify(swapped, keys); r.Outcome != WrongKey {
		t.Fatalf("key line swapped: %+v", r)
	}
	// Only the stranger's key known: nothing of ours verifies.
	if r := Verify(now, []PublicKey{strangerPub}); r.Outcome != UnknownKey {
		t.Fatalf("with a stranger's keys: %+v", r)
	}
	// A key listed under an id that is not its own does not verify.
	liar := newPub
	liar.ID = oldPub.ID
	if r := Verify(old, []PublicKey{liar}); r.OK() {
		t.Fatalf("a key under another id verified: %+v", r)
	}
}

func TestParseErrors(t *testing.T) {
	priv, _ := testKey(t)
	p, holder := testPermit()
	good := string(Sign(priv, Of(p, 1, holder)).Text())
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "line 1: expected \"TRADEPLAN-PERMIT/1\""},
		{"other header", strings.Replace(good, Header, "TRADEPLAN-PERMIT/2", 1), "line 1"},
		{"field missing", strings.Replace(good, "hs: 110100\n", "", 1), `line 9: expected field "hs"`},
		{"fields swapped", strings.Replace(strings.Replace(good, "unit: t\n", "UNIT\n", 1), "quantity: 120.5\n", "unit: t\nquantity: 120.5\n", 1), "line 15: expected field \"quantity\""},
		{"extra line", strings.Replace(good, "hs: 110100\n", "hs: 110100\nhs: 030569\n", 1), `line 10: expected field "origin"`},
		{"after the signature", good + "note: x\n", "line 24: expected nothing after the signature"},
		{"cut short", good[:strings.Index(good, "unit: ")], `line 16: expected field "unit"; the form ends`},
		{"bad escape", strings.Replace(good, "goods: wheat flour", `goods: wheat\x flour`, 1), `line 8: goods: unknown escape \x`},
		{"short signature", good[:strings.LastIndex(good, "signature: ")] + "signature: AAAA\n", "line 23: signature"},
		{"no space", strings.Replace(good, "hs: 110100", "hs:110100", 1), `line 9: expected field "hs"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if tradeplan.ErrorCode(err) != tradeplan.EInvalid {
				t.Fatalf("code %s, want invalid", tradeplan.ErrorCode(err))
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	priv, pub := testKey(f)
	p, holder := testPermit()
	f.Add(Sign(priv, Of(p, 1, holder)).Text())
	f.Add([]byte(Header + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Parse(b)
		if err != nil {
			return
		}
		// What parses writes back as a form that parses to the same.
		again, err := Parse(s.Text())
		if err != nil || again.Document != s.Document || !bytes.Equal(again.Signature, s.Signature) {
			t.Fatalf("re-parse: %v", err)
		}
		Verify(s, []PublicKey{pub})
	})
}
