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
