package parties

// Result is one name's screening result in the shape that
// `tradeplan parties screen --format json` writes and
// POST /api/v1/parties/screen answers: the name as given, its normalised
// key, a note when its letters are not what they seem, and its matches.
type Result struct {
	Query   string        `json:"query"`
	Key     string        `json:"key"`
	Written string        `json:"written,omitempty"` // how the name is written, when its letters are not what they seem
	Matches []ResultMatch `json:"matches"`           // never null
}

// ResultMatch is one match of a Result: the fields of a Match a reader
// of the result needs.
type ResultMatch struct {
	List        string  `json:"list"`
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	MatchedName string  `json:"matched_name"`
	Score       float64 `json:"score"`
	Strength    string  `json:"strength"`
	Citation    string  `json:"citation"`
	Version     string  `json:"entry_version"`
	Explanation string  `json:"explanation"`
}

// NewResult is the result for name with its matches ms.
func NewResult(name string, ms []Match) Result {
	r := Result{Query: name, Key: Normalize(name), Matches: make([]ResultMatch, 0, len(ms))}
	r.Written, _ = WrittenNote(name)
	for _, m := range ms {
		r.Matches = append(r.Matches, ResultMatch{m.List, m.ID, m.Name, m.MatchedName, m.Score, m.Strength, m.Citation, m.Version, m.Explanation})
	}
	return r
}
