package licensing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/written"
)

// Declarants as customs writes them: by the organisation's name, resolved
// among the organisations the officer's authority governs, or by its id.

// DeclarantRef is a declarant as written in a request: an organisation's id
// (a JSON number, or a string of digits) or its name (any other string).
type DeclarantRef struct {
	ID   int64
	Name string
}

// DeclarantID refers to the organisation with id.
func DeclarantID(id int64) DeclarantRef { return DeclarantRef{ID: id} }

func (r DeclarantRef) MarshalJSON() ([]byte, error) {
	if r.Name != "" {
		return json.Marshal(r.Name)
	}
	return json.Marshal(r.ID)
}

func (r *DeclarantRef) UnmarshalJSON(b []byte) error {
	*r = DeclarantRef{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*r = parseDeclarant(s)
		return nil
	}
	if string(b) == "null" {
		return nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("declarant: the organisation's id or name; found %s", b)
	}
	r.ID = n
	return nil
}

// parseDeclarant reads a declarant cell: digits are an id, anything else a
// name (spaces trimmed).
func parseDeclarant(s string) DeclarantRef {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return DeclarantRef{ID: n}
	}
	return DeclarantRef{Name: s}
}

// nameKey is how names are compared: as they read, not as they are
// encoded. Case, runs of spaces, composed or decomposed accents and
// compatibility forms (full-width letters) do not count, and a word in
// Cyrillic or Greek letters that all look like Latin ones reads as those:
// two organisations whose names differ only by look-alike letters share a
// key, so a name of either is ambiguous and asks for the id.
func nameKey(s string) string {
	ws := strings.Fields(strings.ToLower(norm.NFKC.String(s)))
	for i, w := range ws {
		if l, ok := written.LatinLookAlike(w); ok {
			ws[i] = l
		}
	}
	return strings.Join(ws, " ")
}

// resolveDeclarants sets the Declarant of every declaration given by name
// to the one organisation of that name the principal governs, placing an
// error at each name that names none or more than one.
func resolveDeclarants(ctx context.Context, dt DeclarationTx, pr Principal, in []DeclarationInput) error {
	return eachDeclarantName(ctx, dt, pr, in, func(i int, id int64) { in[i].Declarant = id })
}

// resolveDeclarantIDs is resolveDeclarants without changing in: the
// organisations of the declarations given by name, in order (nil when
// none is).
func resolveDeclarantIDs(ctx context.Context, dt DeclarationTx, pr Principal, in []DeclarationInput) ([]int64, error) {
	var out []int64
	err := eachDeclarantName(ctx, dt, pr, in, func(_ int, id int64) { out = append(out, id) })
	return out, err
}

// eachDeclarantName calls set with each declaration given by name and
// the one organisation of that name the principal governs, placing an
// error at each name that names none or more than one.
func eachDeclarantName(ctx context.Context, dt DeclarationTx, pr Principal, in []DeclarationInput, set func(i int, id int64)) error {
	need := false
	for _, d := range in {
		if d.DeclarantName != "" {
			need = true
			break
		}
	}
	if !need {
		return nil
	}
	orgs, err := dt.AllOrganisations(ctx)
	if err != nil {
		return err
	}
	byName := map[string][]tradeplan.Organisation{}
	for _, o := range orgs {
		if pr.governs(o.ID, o.ID) {
			k := nameKey(o.Name)
			byName[k] = append(byName[k], o)
		}
	}
	var ps tradeplan.Problems
	for i := range in {
		d := &in[i]
		if d.DeclarantName == "" {
			continue
		}
		pos := d.Pos
		pos.Column, pos.Path = 0, joinPath(pos.Path, "declarant")
		switch os := byName[nameKey(d.DeclarantName)]; len(os) {
		case 1:
			set(i, os[0].ID)
		case 0:
			ps.Add(pos, "", "there is no organisation named %q in your jurisdiction", d.DeclarantName)
		default:
			var ids []string
			for _, o := range os {
				ids = append(ids, fmt.Sprintf("%d (%s, %s)", o.ID, o.Kind, o.Country))
			}
			ps.Add(pos, "", "%q names %d organisations in your jurisdiction: %s; give the id", d.DeclarantName, len(os), strings.Join(ids, ", "))
		}
		if len(ps) > 1000 {
			break
		}
	}
	return ps.Err("declarations")
}
