package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/tradeplan/tradeplan/store"
)

// cluster is the throwaway PostgreSQL cluster of this test process.
var cluster struct {
	sync.Mutex
	dir    string // temporary directory: data/, socket, log
	pgCtl  string
	cred   *syscall.Credential
	active bool
}

// findBin looks for a PostgreSQL server binary on the PATH, then in the
// Debian location.
func findBin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found on the PATH or in /usr/lib/postgresql/*/bin", name)
}

func pgVersion(dir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return v
}

// serverCredential returns the user to run the server as: initdb and
// postgres refuse to run as root, so as root use the "postgres" account
// (made by the Debian package) or else "nobody".
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.Atoi(u.Uid)
		gid, err2 := strconv.Atoi(u.Gid)
		if err1 != nil || err2 != nil || uid == 0 {
			continue
		}
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
	}
	return nil, errors.New("running as root and no unprivileged user (postgres or nobody) to run PostgreSQL as")
}

func run(cred *syscall.Credential, dir string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return nil
}

// startCluster creates and starts a cluster that listens only on a Unix
// socket in a new temporary directory, with durability off (fsync=off): its
// data lives as long as the test process.
func startCluster() (string, error) {
	initdb, err := findBin("initdb")
	if err != nil {
		return "", err
	}
	pgCtl, err := findBin("pg_ctl")
	if err != nil {
		return "", err
	}
	cred, err := serverCredential()
	if err != nil {
		return "", err
	}
	reapClusters(pgCtl)
	// Short path: a Unix socket path is limited to about 100 bytes. As
	// root, /tmp rather than $TMPDIR, which the server's user may not be
	// able to reach.
	base := ""
	if cred != nil {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, clusterPrefix)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	data := filepath.Join(dir, "data")
	if err := run(cred, dir, initdb, "-D", data, "-U", "tradeplan", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", dir)
	if err := run(cred, dir, pgCtl, "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return "", fmt.Errorf("%w\n%s", err, log)
	}
	cluster.Lock()
	cluster.dir, cluster.pgCtl, cluster.cred, cluster.active = dir, pgCtl, cred, true
	cluster.Unlock()
	u := url.URL{Scheme: "postgres", User: url.User("tradeplan"), Path: "/postgres",
		RawQuery: url.Values{"host": {dir}, "sslmode": {"disable"}}.Encode()}
	return u.String(), nil
}

const clusterPrefix = "tradeplan-pg-"

// reapClusters stops and removes the clusters of test processes that died
// without stopping theirs (killed by a test timeout, say). Clusters whose
// owner is alive, such as those of other test packages running now, are left
// alone.
func reapClusters(pgCtl string) {
	for _, base := range []string{os.TempDir(), "/tmp"} {
		dirs, _ := filepath.Glob(filepath.Join(base, clusterPrefix+"*"))
		for _, dir := range dirs {
			b, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
			if err != nil {
				continue
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil || pid <= 0 || processAlive(pid) {
				continue
			}
			cred, _ := serverCredential()
			run(cred, dir, pgCtl, "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
			os.RemoveAll(dir)
		}
	}
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func stopCluster() {
	cluster.Lock()
	defer cluster.Unlock()
	if !cluster.active {
		return
	}
	cluster.active = false
	if err := run(cluster.cred, cluster.dir, cluster.pgCtl, "-D", filepath.Join(cluster.dir, "data"), "-m", "immediate", "-w", "stop"); err != nil {
		fmt.Fprintln(os.Stderr, "storetest: stop PostgreSQL:", err)
	}
	os.RemoveAll(cluster.dir)
}

// template is a database migrated once per test process; Open copies it,
// which is much faster than migrating each new database.
var template struct {
	sync.Mutex
	serverURL, name string
	err             error
}

func migratedTemplate(ctx context.Context, serverURL string) (string, error) {
	template.Lock()
	defer template.Unlock()
	if template.name != "" || template.err != nil {
		return template.name, template.err
	}
	name := uniqueName() + "_tmpl"
	template.err = func() error {
		if err := execAdmin(ctx, serverURL, "CREATE DATABASE "+name); err != nil {
			return err
		}
		template.serverURL, template.name = serverURL, name
		db, err := store.Open(ctx, withDatabase(serverURL, name))
		if err != nil {
			return err
		}
		defer db.Close()
		db.SetLogger(quiet)
		return db.Migrate(ctx)
	}()
	if template.err != nil {
		template.name = ""
	}
	return template.name, template.err
}

func dropTemplate() {
	template.Lock()
	defer template.Unlock()
	if template.name == "" {
		return
	}
	if err := execAdmin(context.Background(), template.serverURL, "DROP DATABASE IF EXISTS "+template.name+" WITH (FORCE)"); err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
	}
	template.name = ""
}

func execAdmin(ctx context.Context, serverURL, stmt string) error {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return fmt.Errorf("PostgreSQL %s: %w", redact(serverURL), err)
	}
	defer admin.Close()
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(cctx, stmt); err != nil {
		return fmt.Errorf("%s on %s: %w", stmt, redact(serverURL), err)
	}
	return nil
}

func withDatabase(serverURL, name string) string {
	u, err := url.Parse(serverURL)
	if err != nil {
		return serverURL
	}
	u.Path = "/" + name
	return u.String()
}

// createDatabase creates a database with a unique name on the server at
// serverURL, as a copy of template when it is not "", drops it when the test
// ends, and returns its URL.
func createDatabase(ctx context.Context, t testing.TB, serverURL, template string) (string, error) {
	name := uniqueName()
	stmt := "CREATE DATABASE " + name
	if template != "" {
		stmt += " TEMPLATE " + template
	}
	if err := execAdmin(ctx, serverURL, stmt); err != nil {
		return "", err
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", serverURL)
		if err != nil {
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("storetest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(serverURL, name), nil
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
