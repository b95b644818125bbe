package main

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/tradeplan/tradeplan/plan"
)

// TestVariedBodies checks the bodies of -bodies: each a plan the parser
// accepts with the generated plan's shape, no description or partner name
// shared between any two lines of them, and the same bodies for a seed.
func TestVariedBodies(t *testing.T) {
	const n, lines = 40, 50
	for _, f := range plan.Formats {
		t.Run(string(f), func(t *testing.T) {
			bodies := variedBodies(n, lines, 7, string(f))
			if len(bodies) != n {
				t.Fatalf("got %d bodies, want %d", len(bodies), n)
			}
			descs, partners := map[string]string{}, map[string]string{}
			for i, b := range bodies {
				file := fmt.Sprintf("body-%d.%s", i, f)
				p, err := plan.Parse(b, file, f)
				if err != nil {
					t.Fatalf("%s does not parse: %v\n%s", file, err, b)
				}
				if len(p.Lines) != lines {
					t.Fatalf("%s: %d lines, want %d", file, len(p.Lines), lines)
				}
				partnerLines := 0
				for j, l := range p.Lines {
					g := goods[j%len(goods)]
					if l.HS == "" || string(l.Direction) != g.dir {
						t.Fatalf("%s line %d: direction %q HS %q, want %q and an HS code", file, j+1, l.Direction, l.HS, g.dir)
					}
					at := fmt.Sprintf("%s line %d", file, j+1)
					if prev, ok := descs[l.Description]; ok {
						t.Fatalf("%s: description %q already at %s", at, l.Description, prev)
					}
					descs[l.Description] = at
					if (l.Partner != nil) != (g.partner != "") {
						t.Fatalf("%s: partner %v, want one: %v", at, l.Partner, g.partner != "")
					}
					if l.Partner != nil {
						partnerLines++
						if prev, ok := partners[l.Partner.Name]; ok {
							t.Fatalf("%s: partner %q already at %s", at, l.Partner.Name, prev)
						}
						partners[l.Partner.Name] = at
					}
				}
				if partnerLines == 0 {
					t.Fatalf("%s: no partner to screen", file)
				}
			}
			again := variedBodies(n, lines, 7, string(f))
			for i := range bodies {
				if !bytes.Equal(bodies[i], again[i]) {
					t.Fatalf("body %d differs between two runs with seed 7", i)
				}
			}
			// Body i does not depend on how many bodies are asked for.
			if few := variedBodies(3, lines, 7, string(f)); !bytes.Equal(few[2], bodies[2]) {
				t.Fatal("body 2 of 3 differs from body 2 of 40 with the same seed")
			}
			other := variedBodies(1, lines, 8, string(f))
			if bytes.Equal(other[0], bodies[0]) {
				t.Fatal("seeds 7 and 8 give the same body 0")
			}
		})
	}
}
