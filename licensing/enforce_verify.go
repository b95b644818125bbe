package licensing

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/permitsig"
)

// Verifiable permits: every permit is signed when it is issued with the
// authority's key (package permitsig), the keys kept by the store, which
// alone uses the private halves. Anyone may verify a permit: offline with
// the public keys, or online by its number, which tells what can change
// after issue (status, crossing, balance) and nothing else of the holder.

// SealTx is what signing and verifying permits needs of a transaction
// beyond Tx. The store's transactions implement it; a store without it
// issues permits unsigned and cannot verify.
type SealTx interface {
	// SealPermit signs doc with the active key, making the first key when
	// there is none, and records the signed form as the permit's.
	SealPermit(ctx context.Context, permitID int64, doc permitsig.Document) (permitsig.Signed, error)
	// PermitSeal reads a permit's signed form; ENotFound when unsigned.
	PermitSeal(ctx context.Context, permitID int64) (permitsig.Signed, error)
	// PermitByNumber reads a permit by its number; ENotFound when none.
	PermitByNumber(ctx context.Context, number string) (tradeplan.Permit, error)
	// SigningKeys lists the public halves of every key, oldest first.
	SigningKeys(ctx context.Context) ([]permitsig.PublicKey, error)
	// RotateSigningKey retires the active key and makes a new one, which
	// signs from then on.
	RotateSigningKey(ctx context.Context) (permitsig.PublicKey, error)
}

func sealTx(tx Tx) (SealTx, error) {
	st, ok := tx.(SealTx)
	if !ok {
		return nil, tradeplan.Errorf(tradeplan.EInternal, "the store cannot sign permits")
	}
	return st, nil
}

// sealPermit signs a permit just issued, in the transaction that issues it.
// A store that cannot sign leaves it unsigned (the tests' memory store).
func sealPermit(ctx context.Context, tx Tx, p tradeplan.Permit, issuer int64) error {
	st, ok := tx.(SealTx)
	if !ok {
		return nil
	}
	_, err := seal(ctx, tx, st, p, issuer)
	return err
}

func seal(ctx context.Context, tx Tx, st SealTx, p tradeplan.Permit, issuer int64) (permitsig.Signed, error) {
	holder, err := tx.Organisation(ctx, p.Holder)
	if err != nil {
		return permitsig.Signed{}, fmt.Errorf("sign permit %s: %w", p.Number, err)
	}
	return st.SealPermit(ctx, p.ID, permitsig.Of(p, issuer, holder))
}

// SignedPermit returns the signed form of a permit the actor may see. A
// permit issued before permits were signed is signed now, with its fields
// as issued (they never change).
func (s *Service) SignedPermit(ctx context.Context, a tradeplan.Actor, id int64) (permitsig.Signed, error) {
	var out permitsig.Signed
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := loadPermit(ctx, tx, a, id); err != nil {
			return err
		}
		st, err := sealTx(tx)
		if err != nil {
			return err
		}
		out, err = st.PermitSeal(ctx, id)
		return err
	})
	if tradeplan.ErrorCode(err) != tradeplan.ENotFound {
		return out, err
	}
	err = s.store.Update(tradeplan.WithActor(ctx, a), func(ctx context.Context, tx Tx) error {
		p, err := loadPermit(ctx, tx, a, id)
		if err != nil {
			return err
		}
		st, err := sealTx(tx)
		if err != nil {
			return err
		}
		if out, err = st.PermitSeal(ctx, id); tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return err
		}
		c, err := tx.Call(ctx, p.CallID)
		if err != nil {
			return err
		}
		if out, err = seal(ctx, tx, st, p, c.Issuer); err != nil {
			return err
		}
		return tx.Audit(ctx, "permit.sign", subject("permit", p.ID), p.Holder, nil, map[string]string{"number": p.Number, "key": out.Key})
	})
	return out, err
}

// SigningKeys lists the public keys that verify permits. They are public:
// no account is needed.
func (s *Service) SigningKeys(ctx context.Context) ([]permitsig.PublicKey, error) {
	var out []permitsig.PublicKey
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		st, err := sealTx(tx)
		if err != nil {
			return err
		}
		out, err = st.SigningKeys(ctx)
		return err
	})
	if out == nil {
		out = []permitsig.PublicKey{}
	}
	return out, err
}

// RotateSigningKey retires the active key and makes a new one. The
// authority's own administrators only; audited with the keys' ids.
func (s *Service) RotateSigningKey(ctx context.Context, a tradeplan.Actor) (permitsig.PublicKey, error) {
	var k permitsig.PublicKey
	ctx = tradeplan.WithActor(ctx, a)
	err := s.store.Update(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := s.authorize(ctx, tx, a, ActRotateKeys)
		if err != nil {
			return err
		}
		st, err := sealTx(tx)
		if err != nil {
			return err
		}
		before, err := st.SigningKeys(ctx)
		if err != nil {
			return err
		}
		if k, err = st.RotateSigningKey(ctx); err != nil {
			return err
		}
		org := int64(0)
		if !a.IsSystem() {
			org = pr.Actor.User.OrgID
		}
		ids := make([]string, len(before))
		for i, b := range before {
			ids[i] = b.ID
		}
		return tx.Audit(ctx, "keys.rotate", "key:"+k.ID, org, map[string]any{"keys": ids}, map[string]any{"active": k.ID})
	})
	return k, err
}

// Verification outcomes beyond permitsig's.
const (
	// NotAPermitNumber: the number is not of the form of a permit number or
	// its check character does not match (a typo, or made up).
	NotAPermitNumber permitsig.Outcome = "not-a-permit-number"
	// NoSuchPermit: a well-formed number that the registry never issued,
	// or (by number) not with the verification code given.
	NoSuchPermit permitsig.Outcome = "no-such-permit"
)

// Verification is what anyone may learn of a permit by its number or its
// signed form: whether it is genuine, and what changes after issue. Nothing
// else of the holder or the goods is told.
type Verification struct {
	Number  string            `json:"number"`
	Genuine bool              `json:"genuine"`
	Outcome permitsig.Outcome `json:"outcome"`
	Reason  string            `json:"reason"`
	// Fields that the document presented says otherwise than the permit
	// signed under its number: their names only, never the registry's values.
	Tampered []string `json:"tampered_fields,omitempty"`
	Key      string   `json:"key,omitempty"`
	// Of a genuine permit: its status today, its crossing's, and its
	// quantity left.
	Status         tradeplan.PermitStatus   `json:"status,omitempty"`
	Crossing       string                   `json:"crossing,omitempty"`
	CrossingStatus tradeplan.CrossingStatus `json:"crossing_status,omitempty"`
	QuantityLeft   *tradeplan.Decimal       `json:"quantity_left,omitempty"`
	Unit           string                   `json:"unit,omitempty"`
}

// VerifyNumber answers, with no account, whether a permit number is one the
// registry issued, and its status, crossing and balance, to whoever holds
// the permit: code is the verification code printed on it (derived from its
// signature, permitsig.VerificationCode). The number alone would let anyone
// read every holder's balance by counting through the numbers. A code is
// required (EInvalid when empty); a wrong one is answered as a number never
// issued, word for word, and so is a permit with no signed form (it has no
// code until its holder prints it).
func (s *Service) VerifyNumber(ctx context.Context, number, code string) (Verification, error) {
	v := Verification{Number: strings.ToUpper(strings.TrimSpace(number))}
	if strings.TrimSpace(code) == "" {
		return v, tradeplan.Errorf(tradeplan.EInvalid, "code: the verification code printed on the permit, beside its number and QR code, is required")
	}
	if _, err := ParsePermitNumber(number); err != nil {
		v.Outcome, v.Reason = NotAPermitNumber, tradeplan.ErrorMessage(err)
		return v, nil
	}
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		st, err := sealTx(tx)
		if err != nil {
			return err
		}
		p, err := st.PermitByNumber(ctx, v.Number)
		if err != nil && tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return err
		}
		var signed permitsig.Signed
		if err == nil {
			signed, err = st.PermitSeal(ctx, p.ID)
			if err != nil && tradeplan.ErrorCode(err) != tradeplan.ENotFound {
				return err
			}
		}
		if err != nil || !signed.CodeMatches(code) {
			v.Outcome, v.Reason = NoSuchPermit, fmt.Sprintf("the registry has no permit %s with that verification code", v.Number)
			return nil
		}
		v.Outcome, v.Key, v.Genuine = permitsig.Genuine, signed.Key, true
		v.Reason = fmt.Sprintf("permit %s was issued by the registry and signed with key %s", v.Number, signed.Key)
		return s.current(ctx, tx, &v, p)
	})
	return v, err
}

// current fills in what changes after issue.
func (s *Service) current(ctx context.Context, tx Tx, v *Verification, p tradeplan.Permit) error {
	v.Status = EffectiveStatus(p, s.now())
	left := p.QuantityLeft()
	v.QuantityLeft, v.Unit, v.Crossing = &left, p.Unit, p.Crossing
	if v.Status != tradeplan.PermitIssued {
		v.Reason += fmt.Sprintf("; it is %s and no goods may cross under it", v.Status)
	}
	if p.Crossing == "" {
		return nil
	}
	c, err := tx.Crossing(ctx, p.Crossing)
	if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
		v.CrossingStatus = tradeplan.CrossingClosed
		return nil
	}
	v.CrossingStatus = c.Status
	return err
}

// VerifyDocument checks a signed permit with the authority's keys and, when
// its signature stands or names one of the keys, against the registry: its
// status today and, for a tampered document, which fields differ from the
// permit signed under its number.
func (s *Service) VerifyDocument(ctx context.Context, text []byte) (Verification, error) {
	doc, err := permitsig.Parse(text)
	if err != nil {
		return Verification{}, err
	}
	v := Verification{Number: doc.Number, Key: doc.Key}
	err = s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		st, err := sealTx(tx)
		if err != nil {
			return err
		}
		keys, err := st.SigningKeys(ctx)
		if err != nil {
			return err
		}
		r := permitsig.Verify(doc, keys)
		v.Outcome, v.Reason = r.Outcome, r.Reason
		p, err := st.PermitByNumber(ctx, doc.Number)
		if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
			if r.OK() {
				// Signed by the authority yet not in this registry: a
				// permit of another database signed with a shared key.
				v.Outcome, v.Reason = NoSuchPermit, r.Reason+fmt.Sprintf("; but this registry has no permit %s", doc.Number)
			}
			return nil
		} else if err != nil {
			return err
		}
		stored, err := st.PermitSeal(ctx, p.ID)
		if err != nil && tradeplan.ErrorCode(err) != tradeplan.ENotFound {
			return err
		}
		// Which fields differ from the registry's is told only to whoever
		// holds an authority's signature: the permit's own (its printout,
		// altered) or one valid over the fields presented. Told to anyone,
		// it would confirm a forger's guesses of another organisation's
		// permit field by field (TestAttackVerifyFieldOracle).
		if err == nil && (r.OK() || bytes.Equal(doc.Signature, stored.Signature)) {
			v.Tampered = differing(doc.Document, stored.Document)
			if r.OK() && len(v.Tampered) > 0 {
				// Genuine signature, other fields than those of this number
				// here: two permits were signed for one number.
				v.Outcome, v.Reason = permitsig.Tampered, fmt.Sprintf("the signature is the authority's, but permit %s was signed with other fields", doc.Number)
			}
		}
		if len(v.Tampered) > 0 && v.Outcome != permitsig.Genuine {
			v.Reason += "; changed: " + strings.Join(v.Tampered, ", ")
		}
		if v.Outcome != permitsig.Genuine {
			return nil
		}
		v.Genuine = true
		return s.current(ctx, tx, &v, p)
	})
	return v, err
}

// differing names the fields of got that differ from want.
func differing(got, want permitsig.Document) []string {
	var out []string
	for _, f := range permitsig.Fields {
		g, _ := got.Get(f)
		w, _ := want.Get(f)
		if g != w && !sameNumber(f, g, w) {
			out = append(out, f)
		}
	}
	return out
}

func sameNumber(field, a, b string) bool {
	if !slices.Contains([]string{"quantity", "value"}, field) {
		return false
	}
	x, err1 := tradeplan.ParseDecimal(a)
	y, err2 := tradeplan.ParseDecimal(b)
	return err1 == nil && err2 == nil && x.Cmp(y) == 0
}
