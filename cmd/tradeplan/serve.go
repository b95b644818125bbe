package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
	"github.com/tradeplan/tradeplan/examples"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/plan"
	"github.com/tradeplan/tradeplan/server"
	"github.com/tradeplan/tradeplan/store"
)

const serveUsage = `usage: tradeplan serve [--addr HOST:PORT] [--demo] [--db DSN] [flags]

Serves the web interface at / and the JSON API under /api/v1 (docs/api.md,
GET /api/v1/openapi.json). The
database is migrated at start. SIGTERM or interrupt stops the server
gracefully: no new connections, in-flight requests finish.

--demo seeds a demo organisation tree, a user of each role (their
passwords are printed; running --demo again prints new ones) and the example
plans, so that a first run shows a working system.

flags:
`

// serveConfig is what the serve command's flags and environment say.
type serveConfig struct {
	addr            string
	dsn             string
	demo            bool
	examples        string
	logFormat       string
	logLevel        slog.Level
	insecureCookies bool
	maxBody         int64
	shutdown        time.Duration
	trustedProxies  []netip.Prefix
	maxPlanLines    int
	screenRate      server.Rate
	screenMore      screenMoreRates
}

func parseServeFlags(e *env, args []string) (serveConfig, int, bool) {
	var c serveConfig
	ok := true
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, serveUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	fs.StringVar(&c.dsn, "db", "", "database: a SQLite file or a postgres:// URL (default $TRADEPLAN_DB, else ./tradeplan.db)")
	fs.BoolVar(&c.demo, "demo", false, "seed demo organisations, users (passwords printed) and the example plans")
	fs.StringVar(&c.examples, "examples", "", "folder of the example plans --demo stores (default: those built into the binary)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	level := fs.String("log-level", "info", "log level: debug, info, warn or error")
	insecure := fs.String("insecure-cookies", "auto", "drop the Secure attribute of cookies for plain HTTP: yes, no, or auto (yes for a loopback --addr)")
	fs.Int64Var(&c.maxBody, "max-body", 8<<20, "largest request body in `bytes`")
	fs.DurationVar(&c.shutdown, "shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish at shutdown")
	maxLines := maxPlanLinesFlag(e, fs)
	screenRateText := screenRateFlag(e, fs)
	screenMoreText := screenMoreFlags(e, fs)
	proxies := fs.String("trusted-proxies", "", "comma-separated `CIDRs` of load balancers whose X-Forwarded-For names the client (for login rate limits and logs)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, exitOK, false
		}
		return c, exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan serve: unexpected argument %q\n", fs.Arg(0))
		return c, exitUsage, false
	}
	if c.dsn == "" {
		c.dsn = defaultDSN(e)
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		fmt.Fprintf(e.stderr, "tradeplan serve: --log-format %q: want text or json\n", c.logFormat)
		return c, exitUsage, false
	}
	if err := c.logLevel.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(e.stderr, "tradeplan serve: --log-level %q: want debug, info, warn or error\n", *level)
		return c, exitUsage, false
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan serve: --addr %q: want HOST:PORT\n", c.addr)
		return c, exitUsage, false
	}
	switch *insecure {
	case "yes":
		c.insecureCookies = true
	case "no":
	case "auto":
		c.insecureCookies = isLoopback(host)
	default:
		fmt.Fprintf(e.stderr, "tradeplan serve: --insecure-cookies %q: want yes, no or auto\n", *insecure)
		return c, exitUsage, false
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if a, err := netip.ParseAddr(p); err == nil {
				p = netip.PrefixFrom(a, a.BitLen()).String()
			}
		}
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			fmt.Fprintf(e.stderr, "tradeplan serve: --trusted-proxies: %q is not an address or CIDR\n", p)
			return c, exitUsage, false
		}
		c.trustedProxies = append(c.trustedProxies, pfx.Masked())
	}
	if c.maxBody < 1024 {
		fmt.Fprintln(e.stderr, "tradeplan serve: --max-body must be at least 1024")
		return c, exitUsage, false
	}
	if c.shutdown <= 0 {
		fmt.Fprintln(e.stderr, "tradeplan serve: --shutdown-timeout must be positive")
		return c, exitUsage, false
	}
	if c.screenRate, ok = screenRate(e, "serve", *screenRateText); !ok {
		return c, exitUsage, false
	}
	if c.screenMore, ok = screenMoreText.parse(e, "serve"); !ok {
		return c, exitUsage, false
	}
	if c.maxPlanLines, ok = maxPlanLines(e, "serve", *maxLines); !ok {
		return c, exitUsage, false
	}
	return c, exitOK, true
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runServe(ctx context.Context, e *env, args []string) int {
	cfg, code, ok := parseServeFlags(e, args)
	if !ok {
		return code
	}
	log, logBuf := newBufferedLogger(e.stderr, cfg.logFormat, cfg.logLevel)
	defer logBuf.Flush()
	logCtx, stopLog := context.WithCancel(ctx)
	defer stopLog()
	go logBuf.run(logCtx)
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "tradeplan serve: %v\n", err)
		return exitFailure
	}
	// Listening first lets a caller that passed port 0 read the address.
	log.Info("listening", "addr", ln.Addr().String())
	if err := serve(ctx, e, cfg, log, ln); err != nil {
		ln.Close()
		fmt.Fprintf(e.stderr, "tradeplan serve: %v\n", err)
		if tradeplan.ErrorCode(err) == tradeplan.EInvalid {
			return exitUsage
		}
		return exitFailure
	}
	return exitOK
}

func newLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serve opens and migrates the database, seeds the demo when asked, wires
// the screener and serves on ln until ctx is done.
func serve(ctx context.Context, e *env, cfg serveConfig, log *slog.Logger, ln net.Listener) error {
	db, err := openMigrated(ctx, e, cfg.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database ready", "engine", db.Engine())
	if k, _ := store.KeyEncryptionKeyFrom(e.getenv); k == nil {
		log.Warn("neither TRADEPLAN_KEY_FILE nor TRADEPLAN_KEY is set: the permit signing keys' private halves are stored unencrypted in the database")
	}
	if err := db.CheckSigningKeys(ctx); err != nil {
		return fmt.Errorf("signing keys: %w", err)
	}

	base, lists, err := wireBase(ctx, db, engineOptions{})
	if err != nil {
		return err
	}
	eng, err := withLists(base, lists)
	if err != nil {
		return err
	}
	idx := eng.parties
	live := newLiveLists(db, base, eng, store.DatasetsStamp(lists), log)
	scfg := server.Config{
		Store:            db,
		Accounts:         accounts.NewService(db),
		Screener:         eng.screener,
		Engine:           live.Current,
		Logger:           log,
		MaxBodyBytes:     cfg.maxBody,
		MaxPlanLines:     cfg.maxPlanLines,
		ShutdownTimeout:  cfg.shutdown,
		InsecureCookies:  cfg.insecureCookies,
		TrustedProxies:   cfg.trustedProxies,
		ScreenPerIP:      cfg.screenRate,
		ScreenPerAccount: cfg.screenMore.account,
		ScreenAnonymous:  cfg.screenMore.anonymous,
		ScreenTotal:      cfg.screenMore.total,
		RulesDigest:      rulesDigest(base),
	}
	if idx != nil {
		scfg.Parties = idx
	} else {
		log.Warn(noListsWarning + "; POST /api/v1/parties/screen answers 404 until lists are imported")
	}
	srv := server.New(scfg)
	// Permits issued under other rule packs are screened again under these.
	if r, ran, err := srv.Licensing().RescreenIfRulesChanged(ctx); err != nil {
		return fmt.Errorf("re-screen after a rule pack change: %w", err)
	} else if ran {
		log.Info("re-screened after a rule pack change", "reason", r.Reason, "permits", r.Permits, "hit", r.Hit, "suspended", len(r.Suspended),
			"cases", r.Cases, "cases_hit", r.CasesHit, "cases_opened", r.Opened)
	}
	if cfg.demo {
		if err := seedDemo(ctx, e, db, srv, cfg.examples, "http://"+ln.Addr().String()); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return srv.Serve(ctx, ln)
}

// demoOrgs is the demo organisation tree: the report's trade authority and
// province, an agency below it, and two traders outside the tree.
var demoOrgs = []struct {
	key, parent, name string
	kind              tradeplan.OrgKind
	country           string
}{
	{"authority", "", "Demo Trade Authority", tradeplan.OrgAuthority, "KP"},
	{"province", "authority", "North Hamgyong Provincial Trade Bureau", tradeplan.OrgProvince, "KP"},
	{"agency", "province", "Chongjin Marine Products Trading Agency (demo)", tradeplan.OrgAgency, "KP"},
	{"importer", "", "Hunchun Demo Import Co., Ltd.", tradeplan.OrgCompany, "CN"},
	{"vietnam", "", "Hai Phong Demo Trading JSC", tradeplan.OrgCompany, "VN"},
}

// demoUsers are a user of each role; the email says who they are.
var demoUsers = []struct {
	email, org string
	role       tradeplan.Role
}{
	{"admin@authority.demo.test", "authority", tradeplan.RoleAdmin},
	{"reviewer@authority.demo.test", "authority", tradeplan.RoleReviewer},
	{"compliance@authority.demo.test", "authority", tradeplan.RoleCompliance},
	{"admin@province.demo.test", "province", tradeplan.RoleAdmin},
	{"submitter@province.demo.test", "province", tradeplan.RoleSubmitter},
	{"submitter@agency.demo.test", "agency", tradeplan.RoleSubmitter},
	{"admin@importer.demo.test", "importer", tradeplan.RoleAdmin},
	{"submitter@importer.demo.test", "importer", tradeplan.RoleSubmitter},
	{"submitter@vietnam.demo.test", "vietnam", tradeplan.RoleSubmitter},
}

// demoPlans are the example files stored, and for whom.
var demoPlans = []struct{ file, org string }{
	{"nhg-2023-h1.yaml", "province"},
	{"cn-importer-2027.yaml", "importer"},
	{"vn-jp-2027.yaml", "vietnam"},
}

// seedDemo creates the demo organisations, users and plans once; on later
// runs it finds them and only gives the users new passwords. The passwords
// are printed on standard output.
func seedDemo(ctx context.Context, e *env, db *store.DB, srv *server.Server, examples, base string) error {
	ctx = tradeplan.WithActor(ctx, tradeplan.SystemActor("demo"))
	acc := accounts.NewService(db)
	root := tradeplan.OrgAuthority
	existing, err := acc.Orgs(ctx, tradeplan.OrgFilter{Kind: &root})
	if err != nil {
		return err
	}
	orgs := map[string]tradeplan.Organisation{}
	fresh := true
	for _, o := range existing {
		if o.Name == demoOrgs[0].name && o.ParentID == 0 {
			fresh = false
		}
	}
	if fresh {
		for _, d := range demoOrgs {
			o, err := acc.CreateOrg(ctx, tradeplan.Organisation{ParentID: orgs[d.parent].ID, Name: d.name, Kind: d.kind, Country: d.country})
			if err != nil {
				return err
			}
			orgs[d.key] = o
		}
	}
	passwords := make([]string, len(demoUsers))
	users := make([]tradeplan.User, len(demoUsers))
	for i, d := range demoUsers {
		passwords[i] = server.NewPassword()
		if fresh {
			users[i], err = acc.CreateUser(ctx, tradeplan.User{OrgID: orgs[d.org].ID, Email: d.email, Name: string(d.role) + " (" + d.org + ")", Role: d.role}, passwords[i])
		} else {
			users[i], err = acc.UserByEmail(ctx, d.email)
			if err == nil {
				err = acc.SetPassword(ctx, users[i].ID, passwords[i])
			}
		}
		if err != nil {
			return fmt.Errorf("user %s: %w", d.email, err)
		}
	}

	w := e.stdout
	fmt.Fprintf(w, "\ntradeplan demo: open %s/ in a browser and sign in with one of the users below.\n\n", base)
	if fresh {
		if err := seedDemoSites(ctx, e, srv, orgs, examples); err != nil { // demo_sites.go
			return err
		}
		if err := seedDemoPlans(ctx, e, srv, orgs, examples); err != nil {
			return err
		}
		if err := seedDemoCurrent(ctx, e, srv, orgs); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, "The demo organisations and plans exist already; the users have new passwords.")
	}
	fmt.Fprintln(w, "Users (passwords shown once; run --demo again for new ones):")
	for i, d := range demoUsers {
		fmt.Fprintf(w, "  %-32s %-11s %s\n", d.email, d.role, passwords[i])
	}
	fmt.Fprintf(w, "\nOr the JSON API:\n  curl -s -c jar -H 'Content-Type: application/json' -d '{\"email\":\"%s\",\"password\":\"%s\"}' %s/api/v1/login\n",
		demoUsers[4].email, passwords[4], base)
	fmt.Fprintf(w, "  curl -s -b jar %s/api/v1/plans\n", base)
	fmt.Fprintf(w, "  curl -s -H 'Content-Type: application/yaml' --data-binary @examples/nhg-2023-h1.yaml %s/api/v1/screen\n\n", base)
	return nil
}

// seedDemoPlans stores the example plans through the licensing service: a
// call for the next half-year by the demo authority, with each plan
// submitted (and so screened) for its organisation.
func seedDemoPlans(ctx context.Context, e *env, srv *server.Server, orgs map[string]tradeplan.Organisation, folder string) error {
	var plans []licensing.DemoPlan
	// The examples built into the binary, unless a folder is named.
	src, dir := fs.FS(examples.FS), "examples"
	if folder != "" {
		src, dir = os.DirFS(folder), folder
	}
	for _, d := range demoPlans {
		path := filepath.Join(dir, d.file)
		f, err := src.Open(d.file)
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(e.stdout, "(example plan %s not found; the demo goes on without it)\n", path)
			continue
		}
		if err != nil {
			return err
		}
		p, err := plan.Read(f, path, plan.YAML)
		f.Close()
		if err != nil {
			return fmt.Errorf("example plan: %w", err)
		}
		plans = append(plans, licensing.DemoPlan{Organisation: orgs[d.org].ID, Plan: p})
	}
	if len(plans) == 0 {
		return nil
	}
	svc := srv.Licensing()
	if svc == nil {
		return tradeplan.Errorf(tradeplan.EInternal, "no licensing service")
	}
	demo, err := svc.SeedDemo(ctx, orgs["authority"].ID, plans)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Call %d for %s is open (deadline %s); %d example plans submitted and screened:\n",
		demo.Call.ID, demo.Call.Period, licensing.DeadlineText(demo.Call.Deadline), len(demo.Plans))
	for _, p := range demo.Plans {
		fmt.Fprintf(e.stdout, "  plan %-4d %-10s %s\n", p.ID, p.Status, p.Title)
	}
	fmt.Fprintf(e.stdout, "%d crossings registered, all closed until an administrator opens them.\n\n", len(demo.Crossings))
	return nil
}

// maxPlanLinesFlag declares --max-plan-lines, whose default is
// $TRADEPLAN_MAX_PLAN_LINES or 10,000.
func maxPlanLinesFlag(e *env, fs *flag.FlagSet) *string {
	return fs.String("max-plan-lines", envOr(e, "TRADEPLAN_MAX_PLAN_LINES", strconv.Itoa(server.DefaultMaxPlanLines)),
		"the most lines a plan may have, on every path that reads or stores one; 0 for no limit (default $TRADEPLAN_MAX_PLAN_LINES or 10000)")
}

// maxPlanLines reads --max-plan-lines into the form of server.Config and
// licensing.Config: no limit is below zero there.
func maxPlanLines(e *env, cmd, s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		fmt.Fprintf(e.stderr, "tradeplan %s: --max-plan-lines %q: want a number of lines, 0 for no limit\n", cmd, s)
		return 0, false
	}
	if n == 0 {
		return -1, true
	}
	return n, true
}
