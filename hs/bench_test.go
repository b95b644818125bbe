package hs

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used: on a
// shared machine the wall clock also counts other processes' turns.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var benchDescs = []string{
	"salted pollack", "Frz Alaska Pollack fillets 10kg", "dried pine mushrooms", "packaged crab meat",
	"used dump trucks", "Mens T-Shirt 65% Poly 35% Cotton knit", "urea 46% N granular 50,000 MT",
	"Samsung LED TV 65\" UHD", "wheat flour 50kg bags", "stainless steel sheet 304 cold rolled 2mm",
	"diesel 10ppm EN590", "medicinal herbs", "frozen herring", "laptop computers 15 inch",
	"portland cement grey 42.5", "polyethylene HDPE granules",
}

// BenchmarkBuildDefault measures building the index from the embedded data.
func BenchmarkBuildDefault(b *testing.B) {
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := Default(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// BenchmarkBuildFull measures building the index with the imported HS 2022.
func BenchmarkBuildFull(b *testing.B) {
	n22, _ := loadFull(b)
	for b.Loop() {
		if _, err := New(n22); err != nil {
			b.Fatal(err)
		}
	}
}

func benchClassify(b *testing.B, c *Classifier) {
	b.ReportAllocs()
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		c.Classify(benchDescs[i%len(benchDescs)], 3)
		i++
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "desc/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "desc/cpu-s")
	}
}

// BenchmarkClassifyDefault is one core classifying with the embedded data.
func BenchmarkClassifyDefault(b *testing.B) { benchClassify(b, defaultClassifier(b)) }

// BenchmarkClassifyFull is one core classifying with the imported HS 2022.
func BenchmarkClassifyFull(b *testing.B) {
	n22, _ := loadFull(b)
	c, err := New(n22)
	if err != nil {
		b.Fatal(err)
	}
	benchClassify(b, c)
}

// BenchmarkBaselineTokens is the baseline for the figures above, measured in
// the same run: only splitting the same descriptions into words.
func BenchmarkBaselineTokens(b *testing.B) {
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		_ = normWords(benchDescs[i%len(benchDescs)])
		i++
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "desc/cpu-s")
	}
}

// BenchmarkCheckCode checks declared codes as declaration files write them:
// plain digits (the common case), with dots, national codes, and an invalid
// subheading.
func BenchmarkCheckCode(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		codes []string
		bad   bool
	}{
		{"plain-6", []string{"030569", "271019", "847130", "610910", "890190", "200390"}, false},
		{"plain-4", []string{"0305", "2710", "8471", "6109"}, false},
		{"dotted-6", []string{"0305.69", "2710.19", "8471.30"}, false},
		{"national-10", []string{"0305690000", "2710.19.9000"}, false},
		{"invalid-6", []string{"030599", "0305.99"}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				_, err := c.CheckCode(bc.codes[i%len(bc.codes)])
				if (err != nil) != bc.bad {
					b.Fatalf("CheckCode(%q): %v", bc.codes[i%len(bc.codes)], err)
				}
				i++
			}
		})
	}
}
