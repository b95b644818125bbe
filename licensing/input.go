package licensing

import "github.com/tradeplan/tradeplan"

// lineText is a free text of a line, for tradeplan.CheckText.
type lineText struct {
	field, text string
	multiline   bool
}

// lineTexts are the free texts of a line: description and purpose may hold
// line breaks; names, crossings and references may not.
func lineTexts(l tradeplan.Line) []lineText {
	ts := []lineText{{"description", l.Description, true}, {"purpose", l.Purpose, true}, {"crossing", l.Crossing, false}, {"exemption", l.Exemption, false}}
	if l.Partner != nil {
		ts = append(ts, lineText{"partner.name", l.Partner.Name, false})
	}
	if l.Vessel != nil {
		ts = append(ts, lineText{"vessel.name", l.Vessel.Name, false})
	}
	if l.Source != nil {
		ts = append(ts, lineText{"source", l.Source.Site, false})
	}
	return ts
}

// check refuses a use whose amounts are not finite or above
// tradeplan.MaxAmount, or whose text is not text, before anything else is
// looked at.
func (in UseInput) check() error {
	var ps tradeplan.Problems
	// Checked before the permit is loaded: a bad body is 400 whatever the
	// permit's state.
	if msg := tradeplan.CheckAmount(in.Quantity); msg != "" {
		ps.Add(tradeplan.Position{Path: "quantity"}, "", "%s", msg)
	} else if in.Quantity.Sign() <= 0 {
		ps.Add(tradeplan.Position{Path: "quantity"}, "", "must be more than zero, got %s", in.Quantity)
	}
	if msg := tradeplan.CheckAmount(in.Value); msg != "" {
		ps.Add(tradeplan.Position{Path: "value"}, "", "%s", msg)
	} else if in.Value.Sign() < 0 {
		ps.Add(tradeplan.Position{Path: "value"}, "", "must not be negative, got %s", in.Value)
	}
	if msg := tradeplan.CheckText(in.Crossing, false); msg != "" {
		ps.Add(tradeplan.Position{Path: "crossing"}, "", "%s", msg)
	}
	if msg := tradeplan.CheckText(in.Reference, false); msg != "" {
		ps.Add(tradeplan.Position{Path: "reference"}, "", "%s", msg)
	}
	return ps.Err("permit use")
}
