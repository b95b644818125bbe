package server

import "testing"

func TestUserWords(t *testing.T) {
	names := map[int64]string{2: "North Hamgyong Provincial Trade Bureau", 4: "Hunchun importer"}
	name := func(id int64) string { return names[id] }
	for in, want := range map[string]string{
		"-: lines[1].findings[0]: unknown field":                                 "line 1, finding 1: unknown field",
		"-:12:11: lines[2].unit: expected one of t, kg":                          "row 12 of the document, line 2, unit: expected one of t, kg",
		"-: lines[1].partner.country: unknown country":                           "line 1, partner country: unknown country",
		"organisation 2 already has plan 1 for call 1: edit or amend it":         "North Hamgyong Provincial Trade Bureau already has plan 1 for call 1: edit or amend it",
		"call 3 is addressed to organisations [2 4] only; organisation 9 is not": "call 3 is addressed to organisations North Hamgyong Provincial Trade Bureau, Hunchun importer only; organisation 9 is not",
		"decided by user:2 reviewer@example.org":                                 "decided by reviewer@example.org",
		"plan: 2 problems":                                                       "plan: 2 problems",
	} {
		if got := userWords(in, name); got != want {
			t.Errorf("userWords(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
