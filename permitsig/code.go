package permitsig

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// The verification code is what a permit's number alone cannot give: it is
// printed on the permit beside its number and QR code, and online
// verification by number asks for it, so that nobody learns the status and
// balance of every permit by counting through the numbers (sequential, with
// a public check character). It is derived from the signature, which only
// the signed form (the printout, its QR code) carries: 50 bits of the
// SHA-256 of it, in ten letters of Crockford's base 32 (no I, L, O or U),
// grouped five and five. Anyone holding the signed form can compute it
// (VerificationCode); nobody can guess one at the verification limit.

const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLen is the number of letters of a verification code, without its
// hyphen.
const CodeLen = 10

// VerificationCode is the permit's verification code, e.g. "7K2QX-M4N9B".
func (s Signed) VerificationCode() string {
	h := sha256.Sum256(append([]byte("tradeplan permit verification code/1\n"), s.Signature...))
	var b [CodeLen + 1]byte
	v := uint64(h[0])<<56 | uint64(h[1])<<48 | uint64(h[2])<<40 | uint64(h[3])<<32 | uint64(h[4])<<24 | uint64(h[5])<<16 | uint64(h[6])<<8
	j := 0
	for i := range CodeLen {
		if i == 5 {
			b[j] = '-'
			j++
		}
		b[j] = codeAlphabet[v>>59]
		v <<= 5
		j++
	}
	return string(b[:])
}

// NormalCode is a code as typed, read as Crockford's base 32 reads it: any
// case, hyphens and spaces dropped, O read as 0, I and L as 1. It is ""
// when what is left is not CodeLen letters of the alphabet.
func NormalCode(typed string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 0x7f || !strings.ContainsRune(codeAlphabet, r) {
			return ""
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLen {
		return ""
	}
	return b.String()[:5] + "-" + b.String()[5:]
}

// CodeMatches says, in time that does not depend on where they differ,
// whether the code typed is the permit's.
func (s Signed) CodeMatches(typed string) bool {
	n := NormalCode(typed)
	return n != "" && subtle.ConstantTimeCompare([]byte(n), []byte(s.VerificationCode())) == 1
}
