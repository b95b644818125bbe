// Command tradeplan plans and licenses cross-border trade with sanctions
// screening: it screens plan documents from the command line, classifies
// goods, screens parties, and serves the licensing system.
//
// Each subcommand lives in its own file; commands, below, lists them all.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

// Exit statuses.
const (
	exitOK       = 0 // success; for screen: every line clear
	exitFindings = 1 // for screen: some line is not clear; for verify: a bad entry
	exitUsage    = 2 // bad input or usage
	exitFailure  = 3 // anything else
)

// env is what a subcommand may touch of the outside world. Tests run
// subcommands in-process with their own env.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// command is one subcommand. run returns the exit status; it reports its own
// errors on env.stderr.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

// commands lists every subcommand: a new command goes here, with its run
// function in a file of its own, and nowhere else (TestCommandsInOneList).
var commands = []command{
	{name: "audit", summary: "verify and list the hash-chained audit log (audit verify|list|seal)", run: runAudit},
	{name: "calls", summary: "open, list and show calls for plans", run: runCalls},
	{name: "cases", summary: "the queue of enforcement cases: list, show, assign, close", run: runCases},
	{name: "classify", summary: "classify goods descriptions into HS codes, with evidence", run: runClassify},
	{name: "crossings", summary: "add, open, close and list border crossings", run: runCrossings},
	{name: "declarations", summary: "load customs declarations and match them to permits", run: runDeclarations},
	{name: "feasibility", summary: "check lawful export lines against the stock, lines, labour and power of sites", run: runFeasibility},
	{name: "hs", summary: "HS nomenclature: show, check and import codes", run: runHS},
	{name: "imports", summary: "rank import lines: tiers, currency budget, allocation and entry schedule (imports rank)", run: runImports},
	{name: "keys", summary: "list and rotate the authority's keys that sign permits", run: runKeys},
	{name: "lists", summary: "import, update and show the sanctions lists in the database", run: runLists},
	{name: "migrate", summary: "create or update the database schema", run: runMigrate},
	{name: "orgs", summary: "add and list organisations, delegate an authority's decisions (orgs add|list|delegate|undelegate|delegations)", run: runOrgs},
	{name: "parties", summary: "screen, explain and compare names against sanctions lists (UN, OFAC)", run: runParties},
	{name: "permits", summary: "list permits with their balances and border status", run: runPermits},
	{name: "plans", summary: "import, list and show the plans submitted to calls", run: runPlans},
	{name: "rules", summary: "list, show and explain goods sanctions rules", run: runRules},
	{name: "screen", summary: "screen trade plans and line files against sanctions", run: runScreen},
	{name: "sites", summary: "upload, list, show, accept and reject organisations' site files (sites upload|versions|show|accept|reject)", run: runSites},
	{name: "serve", summary: "serve the licensing system: web interface and JSON API", run: runServe},
	{name: "tokens", summary: "create, list and revoke API tokens (tokens create|list|revoke)", run: runTokens},
	{name: "users", summary: "add, list, disable and enable users (users add|list|disable|enable)", run: runUsers},
	{name: "version", summary: "print the version", run: runVersion},
}

// findCommand returns the command called name, or nil.
func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c := findCommand(args[0])
	if c == nil {
		fmt.Fprintf(e.stderr, "tradeplan: unknown command %q%s\n", args[0], suggestCommand(args[0]))
		usage(e.stderr)
		return exitUsage
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: tradeplan COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	sorted := slices.Clone(commands)
	slices.SortFunc(sorted, func(a, b command) int { return strings.Compare(a.name, b.name) })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'tradeplan COMMAND -h' for a command's flags.")
}

func suggestCommand(s string) string {
	best, bestD := "", 3
	for _, c := range commands {
		if d := editDistance(s, c.name); d < bestD {
			best, bestD = c.name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	a, b = strings.ToLower(a), strings.ToLower(b)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
