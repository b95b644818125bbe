package plan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"

	"github.com/tradeplan/tradeplan"
	"go.yaml.in/yaml/v3"
)

// Write writes p in format f: a plan document in YAML or JSON with the
// fields in the order of docs/plan-format.md, or a line file in CSV with
// every column. What Write writes, Parse (or Read) reads back to the same
// plan, apart from positions; origin and destination are written only where
// they differ from what a line's direction and partner imply, and a CSV file
// keeps the lines but not the plan's header.
func Write(w io.Writer, p *tradeplan.Plan, f Format) error {
	switch f {
	case YAML:
		doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{document(p).yaml()}}
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(doc); err != nil {
			return err
		}
		return enc.Close()
	case JSON:
		var b bytes.Buffer
		document(p).json(&b, "")
		b.WriteByte('\n')
		_, err := w.Write(b.Bytes())
		return err
	case CSV:
		return writeCSV(w, p)
	}
	return tradeplan.Errorf(tradeplan.EInvalid, "unknown format %q (want yaml, json or csv)", string(f))
}

// value is a node of a document being written: a string, a number, an
// ordered mapping (fields) or a list.
type value struct {
	str    *string
	num    *tradeplan.Decimal
	fields []field
	list   []value
	isList bool
}

type field struct {
	key string
	val value
}

func str(s string) value            { return value{str: &s} }
func num(f tradeplan.Decimal) value { return value{num: &f} }
func obj(fs ...field) value         { return value{fields: fs} }
func list(vs ...value) value        { return value{list: vs, isList: true} }
func (v *value) add(k string, x value) {
	v.fields = append(v.fields, field{k, x})
}

// addStr adds a string field when it is not empty.
func (v *value) addStr(k, s string) {
	if s != "" {
		v.add(k, str(s))
	}
}

func document(p *tradeplan.Plan) value {
	head := obj()
	head.addStr("id", p.ID)
	head.addStr("organisation", p.Organisation)
	head.addStr("country", p.Country)
	head.addStr("period", p.Period.Label)
	lines := list()
	for i := range p.Lines {
		lines.list = append(lines.list, lineValue(p, &p.Lines[i]))
	}
	return obj(field{"plan", head}, field{"lines", lines})
}

func lineValue(p *tradeplan.Plan, l *tradeplan.Line) value {
	v := obj()
	v.addStr("direction", string(l.Direction))
	v.addStr("description", l.Description)
	v.addStr("hs", l.HS)
	if l.Unit != "" || !l.Quantity.IsZero() {
		v.add("quantity", num(l.Quantity))
		v.addStr("unit", l.Unit)
	}
	if l.Currency != "" || !l.Value.IsZero() {
		v.add("value", num(l.Value))
		v.addStr("currency", l.Currency)
	}
	partnerCountry := ""
	if l.Partner != nil {
		pv := obj()
		pv.addStr("name", l.Partner.Name)
		pv.addStr("country", l.Partner.Country)
		v.add("partner", pv)
		partnerCountry = l.Partner.Country
	}
	if l.Vessel != nil {
		vv := obj()
		vv.addStr("name", l.Vessel.Name)
		vv.addStr("imo", l.Vessel.IMO)
		vv.addStr("flag", l.Vessel.Flag)
		v.add("vessel", vv)
	}
	v.addStr("crossing", l.Crossing)
	v.addStr("necessity", string(l.Necessity))
	v.addStr("purpose", l.Purpose)
	if l.Source != nil {
		v.add("source", obj(field{"site", str(l.Source.Site)}))
	}
	origin, dest := l.Origin, l.Destination
	switch l.Direction {
	case tradeplan.Export:
		if origin == p.Country {
			origin = ""
		}
		if dest == partnerCountry {
			dest = ""
		}
	case tradeplan.Import:
		if origin == partnerCountry {
			origin = ""
		}
		if dest == p.Country {
			dest = ""
		}
	}
	v.addStr("origin", origin)
	v.addStr("destination", dest)
	v.addStr("exemption", l.Exemption)
	if !l.Date.IsZero() {
		v.add("date", str(l.Date.Format(dateLayout)))
	}
	return v
}

func formatNum(f tradeplan.Decimal) string { return f.String() }

func (v value) yaml() *yaml.Node {
	switch {
	case v.str != nil:
		// Quoted, so that codes such as "0305" keep their zeros and no
		// value is read back as another type.
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: *v.str, Style: yaml.DoubleQuotedStyle}
	case v.num != nil:
		tag := "!!float"
		s := formatNum(*v.num)
		if !bytes.ContainsAny([]byte(s), ".eE") {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}
	case v.isList:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, x := range v.list {
			n.Content = append(n.Content, x.yaml())
		}
		return n
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, f := range v.fields {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: f.key}, f.val.yaml())
	}
	return n
}

func (v value) json(b *bytes.Buffer, indent string) {
	switch {
	case v.str != nil:
		s, _ := json.Marshal(*v.str)
		b.Write(s)
	case v.num != nil:
		b.WriteString(formatNum(*v.num))
	case v.isList:
		if len(v.list) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, x := range v.list {
			b.WriteString(indent + "  ")
			x.json(b, indent+"  ")
			if i < len(v.list)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	default:
		if len(v.fields) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, f := range v.fields {
			k, _ := json.Marshal(f.key)
			b.WriteString(indent + "  ")
			b.Write(k)
			b.WriteString(": ")
			f.val.json(b, indent+"  ")
			if i < len(v.fields)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	}
}

// writeCSV writes the lines of p as a line file with every column, each
// cell as tradeplan.CSVRow neutralises it.
func writeCSV(w io.Writer, p *tradeplan.Plan) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns[:]); err != nil {
		return err
	}
	row := make([]string, numColumns)
	for i := range p.Lines {
		l := &p.Lines[i]
		clear(row)
		row[colDescription] = l.Description
		row[colHS] = l.HS
		row[colOrigin] = l.Origin
		row[colDestination] = l.Destination
		if l.Unit != "" || !l.Quantity.IsZero() {
			row[colQuantity] = formatNum(l.Quantity)
		}
		row[colUnit] = l.Unit
		if l.Currency != "" || !l.Value.IsZero() {
			row[colValue] = formatNum(l.Value)
		}
		row[colCurrency] = l.Currency
		if l.Partner != nil {
			row[colPartner] = l.Partner.Name
			row[colPartnerCountry] = l.Partner.Country
		}
		if l.Vessel != nil {
			row[colVesselName] = l.Vessel.Name
			row[colVesselIMO] = l.Vessel.IMO
			row[colVesselFlag] = l.Vessel.Flag
		}
		row[colCrossing] = l.Crossing
		row[colNecessity] = string(l.Necessity)
		row[colDirection] = string(l.Direction)
		if !l.Date.IsZero() {
			row[colDate] = l.Date.Format(dateLayout)
		}
		row[colExemption] = l.Exemption
		row[colPurpose] = l.Purpose
		if l.Source != nil {
			row[colSourceSite] = l.Source.Site
		}
		// Applicant text opened in a spreadsheet: no cell starts a formula
		// (the reader takes the apostrophe off again).
		if err := cw.Write(tradeplan.CSVRow(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
