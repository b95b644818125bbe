// Command loadgen measures the throughput and latency of a tradeplan server
// on this machine: it POSTs the same request body again and again at each of
// several concurrency levels and prints requests per second and the p50, p99
// and maximum latency of each level. With -bodies N it posts N generated plans
// that differ in every description and partner name instead, in turn, so
// that the server's classification and party caches rarely hit (see vary.go).
//
// It refuses any target that is not a loopback address, and it is bounded:
// each level stops after -n requests or -d, whichever comes first.
//
// Requests go over one kept-alive connection per worker, written and read
// by hand (raw.go), so that the load generator takes as little as it can of
// the CPU it shares with the server; -client std uses net/http's client.
//
//	loadgen -url http://127.0.0.1:8080 -endpoint screen -c 1,8,64
//	loadgen -endpoint parties -n 20000
//	loadgen -endpoint screen -bodies 20000 -seed 1 -c 1,8
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"
)

// Hard bounds, whatever the flags say.
const (
	maxRequests    = 1_000_000
	maxDuration    = 2 * time.Minute
	maxConcurrency = 512
	maxBodies      = 50_000 // about 0.55 GB of 50-line YAML plans
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type config struct {
	target      *url.URL
	endpoint    string
	body        []byte
	bodies      [][]byte       // with -bodies: posted in turn instead of body
	next        *atomic.Uint64 // the next of bodies, across warm-up and levels
	contentType string
	levels      []int
	requests    int
	duration    time.Duration
	warmup      int
	pid         int
	client      string // raw (default) or std: see raw.go
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	endpoint := fs.String("endpoint", "screen", "what to load: screen (POST /api/v1/screen with a plan) or parties (POST /api/v1/parties/screen)")
	planFile := fs.String("plan", "", "plan document to POST to /api/v1/screen (default: a generated 50-line YAML plan)")
	lines := fs.Int("lines", 50, "lines of the generated plan")
	planFormat := fs.String("format", "yaml", "format of the generated plan: yaml, json or csv")
	names := fs.Int("names", 10, "names per parties request")
	levels := fs.String("c", "1,8,64", "comma-separated concurrency levels")
	n := fs.Int("n", 20000, "at most this many requests per level")
	d := fs.Duration("d", 10*time.Second, "at most this long per level")
	warmup := fs.Int("warmup", 200, "requests sent before each level and not counted")
	nBodies := fs.Int("bodies", 0, "screen: post this many generated plans that differ in every description and partner name, in turn (0: one body)")
	seed := fs.Uint64("seed", 1, "with -bodies: the seed the plans are drawn from")
	clientKind := fs.String("client", "raw", "how requests are sent: raw (one kept-alive HTTP/1.1 connection per worker, written and read by hand; cheap on a shared machine) or std (net/http's client)")
	pid := fs.Int("server-pid", 0, "the server's process id: also report its CPU time per request (from /proc), a figure that holds on a busy machine")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg := config{endpoint: *endpoint, requests: *n, duration: *d, warmup: *warmup, pid: *pid, client: *clientKind}
	var err error
	if cfg.target, err = loopbackURL(ctx, *base); err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 2
	}
	if cfg.client != "raw" && cfg.client != "std" || cfg.client == "raw" && cfg.target.Scheme != "http" {
		fmt.Fprintln(stderr, "loadgen: -client must be raw (plain http:// only) or std")
		return 2
	}
	if cfg.levels, err = parseLevels(*levels); err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 2
	}
	if cfg.requests <= 0 || cfg.requests > maxRequests {
		fmt.Fprintf(stderr, "loadgen: -n must be 1 to %d\n", maxRequests)
		return 2
	}
	if cfg.duration <= 0 || cfg.duration > maxDuration {
		fmt.Fprintf(stderr, "loadgen: -d must be positive and at most %s\n", maxDuration)
		return 2
	}
	if cfg.warmup < 0 || cfg.warmup > 10000 {
		fmt.Fprintln(stderr, "loadgen: -warmup must be 0 to 10000")
		return 2
	}
	if *nBodies < 0 || *nBodies > maxBodies {
		fmt.Fprintf(stderr, "loadgen: -bodies must be 0 to %d\n", maxBodies)
		return 2
	}
	if *nBodies > 0 && (cfg.endpoint != "screen" || *planFile != "") {
		fmt.Fprintln(stderr, "loadgen: -bodies generates plans for -endpoint screen; it cannot be used with -plan or -endpoint parties")
		return 2
	}
	switch cfg.endpoint {
	case "screen":
		cfg.contentType = "application/yaml"
		if *planFile != "" {
			if cfg.body, err = os.ReadFile(*planFile); err != nil {
				fmt.Fprintln(stderr, "loadgen:", err)
				return 2
			}
			switch {
			case strings.HasSuffix(*planFile, ".json"):
				cfg.contentType = "application/json"
			case strings.HasSuffix(*planFile, ".csv"):
				cfg.contentType = "text/csv"
			}
		} else {
			if *lines < 1 || *lines > 100000 {
				fmt.Fprintln(stderr, "loadgen: -lines must be 1 to 100000")
				return 2
			}
			switch *planFormat {
			case "yaml":
				cfg.body = generatePlan(*lines)
			case "json":
				cfg.contentType, cfg.body = "application/json", generatePlanJSON(*lines)
			case "csv":
				cfg.contentType, cfg.body = "text/csv", generatePlanCSV(*lines)
			default:
				fmt.Fprintf(stderr, "loadgen: unknown -format %q (want yaml, json or csv)\n", *planFormat)
				return 2
			}
			if *nBodies > 0 {
				cfg.bodies = variedBodies(*nBodies, *lines, *seed, *planFormat)
				cfg.body = cfg.bodies[0]
				cfg.next = new(atomic.Uint64)
			}
		}
	case "parties":
		if *names < 1 || *names > 1000 {
			fmt.Fprintln(stderr, "loadgen: -names must be 1 to 1000")
			return 2
		}
		cfg.contentType = "application/json"
		cfg.body = generateNames(*names)
	default:
		fmt.Fprintf(stderr, "loadgen: unknown -endpoint %q (want screen or parties)\n", cfg.endpoint)
		return 2
	}
	if err := measure(ctx, cfg, stdout); err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 1
	}
	return 0
}

// loopbackURL parses base and checks that its host is a loopback address
// (a name must resolve to loopback addresses only).
func loopbackURL(ctx context.Context, base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("-url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("-url %q: want http:// or https://", base)
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("-url %q: no host", base)
	}
	var ips []net.IP
	if ip := net.ParseIP(host); ip != nil {
		ips = []net.IP{ip}
	} else {
		addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("-url: resolve %s: %w", host, err)
		}
		for _, a := range addrs {
			ips = append(ips, a.IP)
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("-url: %s resolves to no address", host)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("-url %q: refusing a non-loopback target (%s); loadgen only loads this machine", base, ip)
		}
	}
	return u, nil
}

func parseLevels(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 || c > maxConcurrency {
			return nil, fmt.Errorf("-c: want concurrency levels of 1 to %d, got %q", maxConcurrency, f)
		}
		out = append(out, c)
	}
	return out, nil
}

// result is the outcome of one level.
type result struct {
	concurrency int
	requests    int
	errors      int
	elapsed     time.Duration
	latencies   []time.Duration
	firstErr    string
	cpu         time.Duration // the server's CPU time during the level, when its pid is known
	selfCPU     time.Duration // this load generator's own CPU time during the level
}

func measure(ctx context.Context, cfg config, w io.Writer) error {
	path := "/api/v1/screen"
	if cfg.endpoint == "parties" {
		path = "/api/v1/parties/screen"
	}
	target := cfg.target.JoinPath(path).String()
	maxC := slices.Max(cfg.levels)
	client := &http.Client{
		Timeout: requestTimeout,
		Transport: &http.Transport{
			MaxIdleConns:        maxC,
			MaxIdleConnsPerHost: maxC,
			IdleConnTimeout:     30 * time.Second,
		},
	}
	newPoster := func() poster { return stdPoster{client: client, target: target, cfg: &cfg} }
	if cfg.client == "raw" {
		newPoster = func() poster { return newRawClient(cfg.target, path, &cfg) }
	}
	// One request first: a failure here is a setup problem, not a figure.
	first := newPoster()
	_, err := first.post(ctx)
	first.close()
	if err != nil {
		return fmt.Errorf("first request to %s: %w", target, err)
	}
	if cfg.bodies != nil {
		fmt.Fprintf(w, "target %s, %d differing bodies of about %d bytes (%s) in turn, at most %d requests or %s per level\n\n",
			target, len(cfg.bodies), len(cfg.body), cfg.contentType, cfg.requests, cfg.duration)
	} else {
		fmt.Fprintf(w, "target %s, body %d bytes (%s), at most %d requests or %s per level\n\n",
			target, len(cfg.body), cfg.contentType, cfg.requests, cfg.duration)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "concurrency\trequests\terrors\treq/s\tp50\tp99\tmax\tserver CPU/req\tloadgen CPU/req\t")
	for _, c := range cfg.levels {
		if ctx.Err() != nil {
			break
		}
		r := level(ctx, newPoster, cfg, c)
		slices.Sort(r.latencies)
		rps := float64(r.requests) / r.elapsed.Seconds()
		cpu, self := "-", "-"
		if n := time.Duration(r.requests + r.errors); n > 0 {
			if r.cpu > 0 {
				cpu = ms(r.cpu / n)
			}
			if r.selfCPU > 0 {
				self = ms(r.selfCPU / n)
			}
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\t\n", c, r.requests, r.errors, rps,
			ms(pct(r.latencies, 0.50)), ms(pct(r.latencies, 0.99)), ms(pct(r.latencies, 1)), cpu, self)
		if r.firstErr != "" {
			tw.Flush()
			fmt.Fprintf(w, "  first error at concurrency %d: %s\n", c, r.firstErr)
		}
	}
	return tw.Flush()
}

func level(ctx context.Context, newPoster func() poster, cfg config, c int) result {
	var wg sync.WaitGroup
	// Each worker keeps its poster (with -client raw, its connection) from
	// the warm-up to the end of the level.
	posters := make([]poster, c)
	for i := range posters {
		posters[i] = newPoster()
	}
	defer func() {
		for _, p := range posters {
			p.close()
		}
	}()
	// Warm up connections and caches.
	var left atomic.Int64
	left.Store(int64(cfg.warmup))
	for i := range c {
		wg.Go(func() {
			for left.Add(-1) >= 0 && ctx.Err() == nil {
				posters[i].post(ctx)
			}
		})
	}
	wg.Wait()

	lctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	left.Store(int64(cfg.requests))
	cpu0 := processCPU(cfg.pid)
	self0 := processCPU(os.Getpid())
	var mu sync.Mutex
	r := result{concurrency: c, latencies: make([]time.Duration, 0, min(cfg.requests, 1<<20))}
	start := time.Now()
	for i := range c {
		wg.Go(func() {
			p := posters[i]
			lat := make([]time.Duration, 0, 1024)
			errs := 0
			var first string
			for left.Add(-1) >= 0 && lctx.Err() == nil {
				t0 := time.Now()
				_, err := p.post(lctx)
				if err != nil {
					if lctx.Err() != nil {
						break // the level's time is up: not the server's error
					}
					errs++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			r.latencies = append(r.latencies, lat...)
			r.errors += errs
			if r.firstErr == "" {
				r.firstErr = first
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	r.requests = len(r.latencies)
	if cpu0 > 0 {
		r.cpu = processCPU(cfg.pid) - cpu0
	}
	if self0 > 0 {
		r.selfCPU = processCPU(os.Getpid()) - self0
	}
	return r
}

// post sends one request and reads the whole response; a status other than
// 200 is an error. The body of a good response is read and dropped through
// one shared buffer: the load generator shares the machine with the server
// and should spend as little of it as it can.
func post(ctx context.Context, client *http.Client, target string, cfg config) (int, error) {
	body := cfg.body
	if cfg.bodies != nil {
		body = cfg.bodies[(cfg.next.Add(1)-1)%uint64(len(cfg.bodies))]
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", cfg.contentType)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		io.Copy(io.Discard, resp.Body) // the connection is reused only once the body is read
		return resp.StatusCode, fmt.Errorf("status %d: %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return resp.StatusCode, err
	}
	return resp.StatusCode, nil
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}

// processCPU returns the user and system CPU time of process pid so far,
// from /proc/PID/stat (Linux); 0 when unknown.
func processCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces; fields after it are
	// space-separated: utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / ticks
}
