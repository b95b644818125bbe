package permitsig

import (
	"crypto/ed25519"
	"strings"
	"testing"
)

// TestVerificationCode: ten letters of Crockford's base 32 in two groups,
// fixed by the signature alone; read back in any case, with or without its
// hyphen, O as 0 and I, L as 1; another signature's code, a short one or a
// letter outside the alphabet does not match.
func TestVerificationCode(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	a := Sign(priv, Document{Number: "TP-2027H1-I-000001-7", Quantity: "500"})
	b := Sign(priv, Document{Number: "TP-2027H1-I-000002-7", Quantity: "500"})
	code := a.VerificationCode()
	if len(code) != 11 || code[5] != '-' || strings.Trim(strings.ReplaceAll(code, "-", ""), codeAlphabet) != "" {
		t.Fatalf("code %q", code)
	}
	if code != a.VerificationCode() || code == b.VerificationCode() {
		t.Fatalf("codes %q, %q of two signatures", code, b.VerificationCode())
	}
	spoken := strings.NewReplacer("0", "o", "1", "l").Replace(strings.ToLower(code))
	for _, typed := range []string{code, strings.ToLower(code), strings.ReplaceAll(code, "-", ""), " " + code[:5] + " " + code[6:] + " ", spoken} {
		if !a.CodeMatches(typed) {
			t.Errorf("%q does not match its own code %q", typed, code)
		}
	}
	for _, typed := range []string{"", b.VerificationCode(), code[:10], code + "0", strings.Replace(code, code[:1], "U", 1)} {
		if a.CodeMatches(typed) {
			t.Errorf("%q matches %q", typed, code)
		}
	}
}
