package licensing

import (
	"sort"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// lineFields lists the fields of a line that a version difference compares,
// in the order they are reported, with their values as text.
func lineFields(l tradeplan.Line) [][2]string {
	num := tradeplan.Decimal.String
	var partner, vessel, site string
	if l.Partner != nil {
		partner = strings.TrimSpace(l.Partner.Name + " " + l.Partner.Country)
	}
	if l.Vessel != nil {
		vessel = strings.TrimSpace(l.Vessel.Name + " " + l.Vessel.IMO + " " + l.Vessel.Flag)
	}
	if l.Source != nil {
		site = l.Source.Site
	}
	return [][2]string{
		{"direction", string(l.Direction)},
		{"description", l.Description},
		{"hs", l.HS},
		{"origin", l.Origin},
		{"destination", l.Destination},
		{"quantity", num(l.Quantity)},
		{"unit", l.Unit},
		{"value", num(l.Value)},
		{"currency", l.Currency},
		{"partner", partner},
		{"vessel", vessel},
		{"crossing", l.Crossing},
		{"necessity", string(l.Necessity)},
		{"purpose", l.Purpose},
		{"source", site},
		{"exemption", l.Exemption},
	}
}

// lineKey identifies "the same line" across versions: its direction and its
// goods description, ignoring case and spacing.
func lineKey(l tradeplan.Line) string {
	return string(l.Direction) + "\x00" + strings.Join(strings.Fields(strings.ToLower(l.Description)), " ")
}

// SameLine reports whether two lines are equal in every compared field.
func SameLine(a, b tradeplan.Line) bool {
	fa, fb := lineFields(a), lineFields(b)
	for i := range fa {
		if fa[i] != fb[i] {
			return false
		}
	}
	return true
}

// Diff compares two versions of a plan. Lines equal in every field are
// unchanged wherever they moved; otherwise lines with the same direction and
// description are the same line, changed; the rest are added or removed.
// Matching goes in line order, so duplicates pair up first to first.
func Diff(from, to tradeplan.Plan, fromVersion, toVersion int) tradeplan.PlanDiff {
	d := tradeplan.PlanDiff{From: fromVersion, To: toVersion, Added: []int{}, Removed: []int{}, Changed: []tradeplan.LineChange{}, Unchanged: [][2]int{}}
	usedFrom := make([]bool, len(from.Lines))
	usedTo := make([]bool, len(to.Lines))
	for j, b := range to.Lines {
		for i, a := range from.Lines {
			if !usedFrom[i] && SameLine(a, b) {
				usedFrom[i], usedTo[j] = true, true
				d.Unchanged = append(d.Unchanged, [2]int{i + 1, j + 1})
				break
			}
		}
	}
	for j, b := range to.Lines {
		if usedTo[j] {
			continue
		}
		for i, a := range from.Lines {
			if usedFrom[i] || lineKey(a) != lineKey(b) {
				continue
			}
			usedFrom[i], usedTo[j] = true, true
			c := tradeplan.LineChange{From: i + 1, To: j + 1}
			fa, fb := lineFields(a), lineFields(b)
			for k := range fa {
				if fa[k][1] != fb[k][1] {
					c.Fields = append(c.Fields, tradeplan.FieldChange{Field: fa[k][0], Old: fa[k][1], New: fb[k][1]})
				}
			}
			d.Changed = append(d.Changed, c)
			break
		}
	}
	for i := range from.Lines {
		if !usedFrom[i] {
			d.Removed = append(d.Removed, i+1)
		}
	}
	for j := range to.Lines {
		if !usedTo[j] {
			d.Added = append(d.Added, j+1)
		}
	}
	sort.Slice(d.Unchanged, func(i, j int) bool { return d.Unchanged[i][1] < d.Unchanged[j][1] })
	sort.Slice(d.Changed, func(i, j int) bool { return d.Changed[i].To < d.Changed[j].To })
	return d
}
