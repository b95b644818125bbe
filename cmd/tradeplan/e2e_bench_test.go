package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// e2eLines is the size of the declaration file BenchmarkScreenCommand
// screens: go test -bench ScreenCommand -e2e.lines 100000 for a shorter run.
var e2eLines = flag.Int("e2e.lines", 1_000_000, "lines of the generated declaration file of BenchmarkScreenCommand")

// declarationGoods are the goods of a generated declaration file: 46 goods,
// some under the DPRK measures, most ordinary trade.
var declarationGoods = []struct {
	hs, description, unit string
	price                 float64 // USD per unit
}{
	{"030367", "frozen alaska pollock", "kg", 2.1}, {"030569", "salted pollack", "kg", 6}, {"160510", "crab meat prepared", "kg", 14},
	{"030779", "dried clams", "kg", 9}, {"071239", "dried mushrooms", "kg", 40}, {"071159", "mushrooms in brine", "kg", 12},
	{"121190", "medicinal plants", "kg", 11}, {"100630", "milled rice", "t", 520}, {"110100", "wheat flour", "t", 380},
	{"271019", "gas oil diesel", "bbl", 95}, {"270900", "crude petroleum", "bbl", 80}, {"270112", "bituminous coal", "t", 130},
	{"260111", "iron ore non-agglomerated", "t", 110}, {"847130", "laptop computers", "pcs", 450}, {"870323", "passenger cars", "pcs", 21000},
	{"300490", "medicaments in doses", "kg", 60}, {"310210", "urea fertiliser", "t", 350}, {"610910", "cotton t-shirts", "pcs", 3},
	{"620342", "men's cotton trousers", "pcs", 9}, {"440711", "sawn pine wood", "m3", 240}, {"890190", "cargo vessels", "pcs", 900000},
	{"710812", "unwrought gold", "kg", 60000}, {"970310", "sculptures", "pcs", 5000}, {"852872", "television receivers", "pcs", 300},
	{"090230", "black tea", "kg", 7}, {"200390", "prepared mushrooms", "kg", 8}, {"392010", "polyethylene film", "kg", 1.8},
	{"560811", "fishing nets nylon", "kg", 5}, {"840991", "diesel engine parts", "pcs", 120}, {"030617", "frozen shrimps", "kg", 8},
	{"720839", "hot-rolled steel coils", "t", 600}, {"940360", "wooden furniture", "pcs", 150}, {"910211", "wrist watches", "pcs", 80},
	{"710231", "diamonds non-industrial", "g", 900}, {"220421", "wine in bottles", "l", 6}, {"251990", "magnesia", "t", 300},
	{"090111", "coffee not roasted", "t", 3000}, {"080132", "cashew nuts shelled", "t", 7000}, {"150790", "soybean oil refined", "t", 1100},
	{"100590", "maize", "t", 230}, {"850440", "static converters", "pcs", 40}, {"890399", "pleasure boats", "pcs", 30000},
	{"611020", "cotton jerseys", "pcs", 7}, {"030351", "frozen herring", "kg", 1.5}, {"847989", "industrial machines", "pcs", 9000},
	{"220300", "beer made from malt", "l", 1.2},
}

var declarationRoutes = [][2]string{
	{"CN", "US"}, {"CN", "DE"}, {"VN", "JP"}, {"KR", "US"}, {"DE", "FR"}, {"US", "MX"}, {"JP", "CN"},
	{"IN", "AE"}, {"BR", "CN"}, {"RU", "CN"}, {"TH", "MY"}, {"NL", "GB"}, {"CN", "RU"}, {"AU", "JP"},
	{"KP", "CN"}, {"CN", "KP"},
}

// writeDeclarations writes a generated declaration file of n lines, the
// same for the same seed: 46 goods on 16 routes, 15% of the lines with a
// description and no HS code (classified), the rest with both.
func writeDeclarations(w io.Writer, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("hs,description,origin,destination,quantity,unit,value,currency\n")
	var buf []byte
	for range n {
		g := declarationGoods[rng.IntN(len(declarationGoods))]
		rt := declarationRoutes[rng.IntN(len(declarationRoutes))]
		q := float64(1 + rng.IntN(5000))
		buf = buf[:0]
		if rng.IntN(100) >= 15 {
			buf = append(buf, g.hs...)
		}
		buf = append(buf, ',')
		buf = append(buf, g.description...)
		buf = append(buf, ',')
		buf = append(buf, rt[0]...)
		buf = append(buf, ',')
		buf = append(buf, rt[1]...)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, q, 'f', -1, 64)
		buf = append(buf, ',')
		buf = append(buf, g.unit...)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, q*g.price, 'f', 0, 64)
		buf = append(buf, ",USD\n"...)
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// BenchmarkScreenCommand is the command as a user runs it: the built
// binary screens a generated declaration file of -e2e.lines lines
// (1,000,000 by default) and writes its report to a file, once per format;
// in the same loop, alternating, encoding/csv reads the same file (the
// baseline of issue 13's target: the command at >= 0.5x the plain read).
// It builds the binary first (go build), so it runs only with -bench.
func BenchmarkScreenCommand(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "tradeplan")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatalf("go build: %v", err)
	}
	n := *e2eLines
	data := filepath.Join(dir, "declarations.csv")
	f, err := os.Create(data)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeDeclarations(f, n, 1); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	// The baseline runs as a process too, this test binary reading the
	// file with encoding/csv alone (TestPlainCSVRead), so that both sides
	// pay a process start and both CPU times come from the kernel.
	plain := func() (wall, cpu time.Duration) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPlainCSVRead$")
		cmd.Env = append(os.Environ(), "TRADEPLAN_PLAIN_READ="+data, "TRADEPLAN_PLAIN_ROWS="+strconv.Itoa(n+1))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err := cmd.Run()
		wall = time.Since(start)
		if err != nil {
			b.Fatalf("plain read: %v\n%s", err, out.Bytes())
		}
		return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	for _, format := range []string{"csv", "text", "json"} {
		b.Run("format="+format, func(b *testing.B) {
			out := filepath.Join(dir, "report."+format)
			command := func() (wall, cpu time.Duration) {
				o, err := os.Create(out)
				if err != nil {
					b.Fatal(err)
				}
				defer o.Close()
				cmd := exec.Command(bin, "screen", "--as-of", "2026-11-01", "--format", format, data)
				var stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = o, &stderr
				// The built-in rules and nomenclature, no database, no lists.
				cmd.Env = append(os.Environ(), "TRADEPLAN_DB="+filepath.Join(dir, "none.db"))
				start := time.Now()
				err = cmd.Run()
				wall = time.Since(start)
				if code := cmd.ProcessState.ExitCode(); code != exitFindings {
					b.Fatalf("tradeplan screen --format %s: exit %d (%v), want %d:\n%s", format, code, err, exitFindings, stderr.Bytes())
				}
				return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			var tPlain, tCmd, cPlain, cCmd time.Duration
			for b.Loop() {
				w, c := plain()
				tPlain, cPlain = tPlain+w, cPlain+c
				w, c = command()
				tCmd, cCmd = tCmd+w, cCmd+c
			}
			st, err := os.Stat(out)
			if err != nil {
				b.Fatal(err)
			}
			runs := float64(b.N)
			b.ReportMetric(float64(n)*runs/tPlain.Seconds(), "plain-lines/s")
			b.ReportMetric(float64(n)*runs/tCmd.Seconds(), "command-lines/s")
			b.ReportMetric(tPlain.Seconds()/tCmd.Seconds(), "command/plain")
			b.ReportMetric(cPlain.Seconds()/runs, "plain-cpu-s")
			b.ReportMetric(cCmd.Seconds()/runs, "command-cpu-s")
			b.ReportMetric(float64(st.Size())/(1<<20), "report-MiB")
		})
	}
}

// TestPlainCSVRead is BenchmarkScreenCommand's baseline when run by it:
// encoding/csv reads the file TRADEPLAN_PLAIN_READ names, reusing its
// record, and counts the rows.
func TestPlainCSVRead(t *testing.T) {
	name := os.Getenv("TRADEPLAN_PLAIN_READ")
	if name == "" {
		t.Skip("run by BenchmarkScreenCommand")
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	rows := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
	}
	if want := os.Getenv("TRADEPLAN_PLAIN_ROWS"); strconv.Itoa(rows) != want {
		t.Fatalf("read %d rows, want %s", rows, want)
	}
}

// TestWriteDeclarations: the generated file is the same for the same seed,
// and screens without errors.
func TestWriteDeclarations(t *testing.T) {
	var a, b bytes.Buffer
	if err := writeDeclarations(&a, 2000, 7); err != nil {
		t.Fatal(err)
	}
	if err := writeDeclarations(&b, 2000, 7); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed, different files")
	}
	if out := os.Getenv("TRADEPLAN_WRITE_DECLARATIONS"); out != "" {
		// Write a file for measuring by hand: TRADEPLAN_WRITE_DECLARATIONS=FILE go test -run WriteDeclarations -e2e.lines N
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := writeDeclarations(f, *e2eLines, 1); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runCmd(t, a.String(), "screen", "--as-of", "2026-11-01", "--format", "csv", "--input-format", "csv", "-")
	if code != exitFindings {
		t.Fatalf("exit %d, want %d:\n%s", code, exitFindings, errs)
	}
	if got := strings.Count(out, "\n"); got != 2001 {
		t.Errorf("report has %d rows, want 2001", got)
	}
}

// TestScreenReportFile: a report written straight into an empty output file
// is the one written through the spool, and a line file with a bad line
// after more than a block of report leaves that file empty, as the spool
// leaves standard output.
func TestScreenReportFile(t *testing.T) {
	var good bytes.Buffer
	if err := writeDeclarations(&good, 5000, 3); err != nil {
		t.Fatal(err)
	}
	bad := good.String() + "0305XX,salted pollack,KP,CN,10,t,100,USD\n"
	dir := t.TempDir()
	for _, c := range []struct {
		name, input string
		code        int
	}{{"good", good.String(), exitFindings}, {"bad line last", bad, exitUsage}} {
		for _, format := range []string{"csv", "text", "json"} {
			args := []string{"screen", "--as-of", "2026-11-01", "--format", format, "--input-format", "csv", "-"}
			code, want, errs := runCmd(t, c.input, args...)
			if code != c.code {
				t.Fatalf("%s %s: exit %d, want %d: %s", c.name, format, code, c.code, errs)
			}
			out, err := os.Create(filepath.Join(dir, c.name+"."+format))
			if err != nil {
				t.Fatal(err)
			}
			var errb bytes.Buffer
			e := &env{stdin: strings.NewReader(c.input), stdout: out, stderr: &errb, getenv: func(string) string { return "" }}
			if code := run(context.Background(), e, args); code != c.code {
				t.Fatalf("%s %s to a file: exit %d, want %d: %s", c.name, format, code, c.code, errb.String())
			}
			out.Close()
			got, err := os.ReadFile(out.Name())
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Errorf("%s %s: the report file (%d bytes) differs from standard output through the spool (%d bytes)", c.name, format, len(got), len(want))
			}
			if c.code == exitUsage && len(got) != 0 {
				t.Errorf("%s %s: %d bytes left in the report file", c.name, format, len(got))
			}
		}
	}
	if good.Len() < 2*(256<<10)/5 {
		t.Fatalf("the input is too small to fill a report block")
	}
}
