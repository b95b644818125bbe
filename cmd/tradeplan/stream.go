package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/tradeplan/tradeplan/parties"
)

// The results of `parties screen` and `classify` are written one at a time,
// as each is ready, each followed by a flush: a name or description piped in
// gets its answer before the next is read, and nothing is held but the
// result being written. The bytes are those of encoding the whole list at
// the end, as the commands did before (TestStreamedResultsMatchWhole).

// jsonResults writes {"results": [...]} one element at a time, as
// json.Encoder with SetIndent("", "  ") writes the whole object.
type jsonResults struct {
	w *bufio.Writer
	n int
}

func (j *jsonResults) write(v any) error {
	b, err := json.MarshalIndent(v, "    ", "  ")
	if err != nil {
		return err
	}
	if j.n == 0 {
		j.w.WriteString("{\n  \"results\": [\n    ")
	} else {
		j.w.WriteString(",\n    ")
	}
	j.n++
	j.w.Write(b)
	return j.w.Flush()
}

func (j *jsonResults) close() error {
	if j.n == 0 {
		j.w.WriteString("{\n  \"results\": []\n}\n")
	} else {
		j.w.WriteString("\n  ]\n}\n")
	}
	return j.w.Flush()
}

// partyResults writes the results of `parties screen` as text or JSON.
type partyResults struct {
	w    *bufio.Writer
	json *jsonResults
	tw   *tabwriter.Writer
}

func newPartyResults(w io.Writer, asJSON bool) *partyResults {
	p := &partyResults{w: bufio.NewWriter(w)}
	if asJSON {
		p.json = &jsonResults{w: p.w}
	} else {
		// Each result begins with a line without a tab, which ends every
		// column block: a flush after each result aligns as one at the end.
		p.tw = tabwriter.NewWriter(p.w, 0, 4, 2, ' ', 0)
	}
	return p
}

func (p *partyResults) write(r *parties.Result) error {
	if p.json != nil {
		return p.json.write(r)
	}
	tw := p.tw
	fmt.Fprintf(tw, "%s\n", r.Query)
	if r.Written != "" {
		fmt.Fprintf(tw, "  review: name %s\n", r.Written)
	}
	if len(r.Matches) == 0 {
		fmt.Fprintf(tw, "  no match\n")
	}
	for _, m := range r.Matches {
		s := m.Strength
		if s == "" {
			s = "-"
		}
		fmt.Fprintf(tw, "  %.3f\t%s\t%s %s\t%s\n", m.Score, s, m.List, m.ID, m.Name)
		fmt.Fprintf(tw, "  \t\t%s\n", m.Explanation)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return p.w.Flush()
}

func (p *partyResults) close() error {
	if p.json != nil {
		return p.json.close()
	}
	return p.w.Flush()
}
