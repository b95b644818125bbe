package plan

import (
	"strconv"
	"strings"
)

// suggest returns the candidate closest to s when it is close enough to be a
// likely typo (an edit distance of at most a third of its length, at least
// one), or "".
func suggest(s string, candidates []string) string {
	s = strings.ToLower(s)
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(s, strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := len(s) / 3
	if limit < 1 {
		limit = 1
	}
	if bestD <= limit && bestD > 0 || bestD == 0 && best != "" {
		return best
	}
	return ""
}

// editDistance is the optimal string alignment distance (Levenshtein with
// adjacent transpositions) between a and b, on bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// didYouMean formats a suggestion as a message suffix, or "".
func didYouMean(s string, candidates []string) string {
	if c := suggest(s, candidates); c != "" {
		return "; did you mean " + quote(c) + "?"
	}
	return ""
}

func quote(s string) string { return strconv.Quote(s) }
