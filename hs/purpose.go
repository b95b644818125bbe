package hs

// A description often names the goods and then their use: "diesel fuel for
// fishing boats", "propellers for cargo vessels", "fuel used in aircraft".
// The goods are what is classified: the words naming the use weigh less, so
// that a code matching the use alone ("fishing boats" = 8902) ranks below
// one matching the goods, while a code that needs both ("tyres for buses" =
// 4011.20, "parts for aircraft") still has them all.

// purposeWeight scales the weight of the words after a use marker.
const purposeWeight = 0.5

// lowerPurpose lowers the weight of the words that name a use: those after
// the first "for" (or "used in", "use in") that follows a word of weight
// and is inside no matched phrase ("fuel for lighters" as one phrase stays
// whole).
func lowerPurpose(q *query) {
	at := purposeAt(q)
	if at < 0 {
		return
	}
	if q.raw[at] == "in" {
		at-- // "used" weighs no more than the use
	}
	for j := at; j < len(q.weight); j++ {
		if q.raw[j] == "in" || q.raw[j] == "for" {
			continue
		}
		q.weight[j] *= purposeWeight
	}
}

// partWords name goods by what they belong to: parts are classified with
// the goods they are for (notes to sections XVI and XVII), so after them
// the use is the goods ("spare parts for diesel engines" = 8409).
var partWords = map[string]bool{"part": true, "parts": true, "spare": true, "spares": true, "accessory": true,
	"accessories": true, "component": true, "components": true}

// purposeAt is the position of the use marker of q, or -1.
func purposeAt(q *query) int {
	named := false // a word of weight comes before
	for i, w := range q.raw {
		if named && (w == "for" || w == "in" && i > 0 && (q.raw[i-1] == "used" || q.raw[i-1] == "use")) && !insidePhrase(q, i) {
			if j := i - 1; w == "in" && j > 0 {
				i = j
			}
			if i > 0 && partWords[q.raw[i-1]] {
				return -1
			}
			if w == "in" {
				i++
			}
			return i
		}
		if q.weight[i] > 0 {
			named = true
		}
	}
	return -1
}

// insidePhrase reports whether a matched phrase spans position i with
// words on both sides of it.
func insidePhrase(q *query, i int) bool {
	for _, m := range q.matches {
		if m.from < i && i < m.to-1 {
			return true
		}
	}
	return false
}

// purposeNote says which words were read as the use of the goods, for the
// evidence; "" when none were.
func purposeNote(q *query) string {
	at := purposeAt(q)
	if at < 0 || at+1 >= len(q.raw) {
		return ""
	}
	use := ""
	for _, w := range q.raw[at+1:] {
		if use != "" {
			use += " "
		}
		use += w
	}
	return "use named after \"" + q.raw[at] + "\": " + use + " (its words weigh half: the goods are classified, not their use)"
}
