package plan

import (
	"strconv"
	"strings"
)

// suggest returns the candidate closest to s when it is close enough to be a
// likely typo (an edit distance of at most a third of its length, at least
// one), or "". Candidates whose length alone rules them out are skipped, so
// a miss costs little even against the country names.
func suggest(s string, candidates []string) string {
	s = strings.ToLower(s)
	limit := max(len(s)/3, 1)
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := len(c) - len(s); d > limit || -d > limit {
			continue
		}
		if d := editDistance(s, strings.ToLower(c), bestD); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance (Levenshtein with
// adjacent transpositions) between a and b, on bytes; any distance of at
// least bound is reported as bound.
func editDistance(a, b string, bound int) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return bound
	}
	var rows [3][65]int
	prev2, prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
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
			rowMin = min(rowMin, v)
		}
		if rowMin >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], bound)
}

// didYouMean formats a suggestion as a message suffix, or "".
func didYouMean(s string, candidates []string) string {
	if c := suggest(s, candidates); c != "" {
		return "; did you mean " + quote(c) + "?"
	}
	return ""
}

func quote(s string) string { return strconv.Quote(s) }
