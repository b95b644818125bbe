package parties

import "strings"

// vesselPrefixes are the type prefixes written before a ship's name (motor
// vessel, motor tanker, motor ship, fishing vessel, steamship), with their
// dots and slashes removed and in lower case.
var vesselPrefixes = map[string]bool{"mv": true, "mt": true, "ms": true, "fv": true, "ss": true, "mts": true}

// stripVesselPrefix returns a vessel's name without a leading type prefix
// ("M/T YU JONG 2" is YU JONG 2): lists name the ship, not its type, and a
// prefix must not carry a listed ship below the match threshold.
func stripVesselPrefix(name string) string {
	s := strings.TrimSpace(name)
	i := strings.IndexAny(s, " \t")
	if i <= 0 {
		return name
	}
	w := strings.ToLower(strings.NewReplacer(".", "", "/", "").Replace(s[:i]))
	if !vesselPrefixes[w] {
		return name
	}
	rest := strings.TrimSpace(s[i:])
	if rest == "" {
		return name
	}
	return rest
}
