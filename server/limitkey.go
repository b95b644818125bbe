package server

import "net/netip"

// limitKey is the bucket of client address ip in the per-address limits
// (login, verification, screening). An IPv6 client is given a whole /64
// and may use a new address of it for every request, so a /64 is one
// client; an IPv4-mapped address is its IPv4 address. Anything that is
// not an address is its own key.
func limitKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}
