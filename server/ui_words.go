package server

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tradeplan/tradeplan"
)

// The pages speak to people, not programs: userWords rewrites the few
// internal forms an error message may carry into the words of the page.
//
//	"-:12:3: lines[2].partner.country: ..."  ->  "row 12, line 2, partner country: ..."
//	"lines[1].findings[0]"                   ->  "line 1, finding 1"
//	"organisation 4 already has plan 2"      ->  "Hunchun importer already has plan 2"
//	"user:2 reviewer@example.org"            ->  "reviewer@example.org"

var (
	// a pasted document's position: "-:", "-:12:", "-:12:3:" (the file name
	// of a document without one).
	wordsPasted = regexp.MustCompile(`(^|; |\n)-(?::(\d+))?(?::\d+)?: `)
	// a path into the plan document: lines[2].partner.country, findings[0]
	wordsPath   = regexp.MustCompile(`\.?\b(lines|findings|candidates|organisations)\[(\d+)\]`)
	wordsFields = regexp.MustCompile(`\b(line|finding|candidate|organisation) (\d+)((?:\.[a-z_]+)+)`)
	wordsOrg    = regexp.MustCompile(`\borganisation (\d+)\b`)
	wordsOrgs   = regexp.MustCompile(`\borganisations \[([\d ]+)\]`)
	wordsUser   = regexp.MustCompile(`\buser:\d+ `)
)

var wordsSingular = map[string]string{"lines": "line", "findings": "finding", "candidates": "candidate", "organisations": "organisation"}

// userWords rewrites msg for a page; name names an organisation by id (""
// when unknown to the reader).
func userWords(msg string, name func(int64) string) string {
	msg = wordsPasted.ReplaceAllStringFunc(msg, func(m string) string {
		sub := wordsPasted.FindStringSubmatch(m)
		if sub[2] != "" {
			return sub[1] + "row " + sub[2] + " of the document, "
		}
		return sub[1]
	})
	msg = wordsPath.ReplaceAllStringFunc(msg, func(m string) string {
		sub := wordsPath.FindStringSubmatch(m)
		n, _ := strconv.Atoi(sub[2])
		if sub[1] != "lines" {
			n++ // other lists count from 0 in paths
		}
		out := wordsSingular[sub[1]] + " " + strconv.Itoa(n)
		if strings.HasPrefix(m, ".") {
			out = ", " + out
		}
		return out
	})
	msg = wordsFields.ReplaceAllStringFunc(msg, func(m string) string {
		sub := wordsFields.FindStringSubmatch(m)
		return sub[1] + " " + sub[2] + ", " + strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(sub[3], "."), ".", " "), "_", " ")
	})
	msg = wordsOrgs.ReplaceAllStringFunc(msg, func(m string) string {
		var names []string
		for _, f := range strings.Fields(wordsOrgs.FindStringSubmatch(m)[1]) {
			id, _ := strconv.ParseInt(f, 10, 64)
			names = append(names, orgWords(id, name))
		}
		return "organisations " + strings.Join(names, ", ")
	})
	msg = wordsOrg.ReplaceAllStringFunc(msg, func(m string) string {
		id, _ := strconv.ParseInt(wordsOrg.FindStringSubmatch(m)[1], 10, 64)
		if n := name(id); n != "" {
			return n
		}
		return m
	})
	msg = wordsUser.ReplaceAllString(msg, "")
	return msg
}

func orgWords(id int64, name func(int64) string) string {
	if n := name(id); n != "" {
		return n
	}
	return "organisation " + strconv.FormatInt(id, 10)
}

// orgNamer names, for an error message shown to a, the organisations of
// a's own tree; others stay numbers (their names are not a's to read).
func (u *ui) orgNamer(ctx context.Context, a tradeplan.Actor) func(int64) string {
	cache := map[int64]string{}
	return func(id int64) string {
		if n, ok := cache[id]; ok {
			return n
		}
		n := ""
		if u.s.store != nil && slices.Contains(a.Subtree, id) {
			if o, err := u.s.store.Org(ctx, id); err == nil {
				n = o.Name
			}
		}
		cache[id] = n
		return n
	}
}
