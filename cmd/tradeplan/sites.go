package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/tradeplan/tradeplan/plan"
)

const sitesUsage = `usage:
  tradeplan sites upload --org ID [--db DSN] FILE
  tradeplan sites versions --org ID [--json] [--db DSN]
  tradeplan sites show --org ID [--version N] [--json] [--db DSN]
  tradeplan sites accept|reject --org ID --version N --reason TEXT [--db DSN]

upload checks a site file (YAML or JSON, docs/feasibility.md) and stores it as
the organisation's next version, claimed until accepted: every problem is
printed at its line, column and field, and nothing is stored. A version counts
for the assessment of a plan's exports only once accepted, and only for plan
versions submitted after it was uploaded. show prints a version's content
(default: the newest).
`

func runSites(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, sitesUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	verb := args[0]
	fs := flag.NewFlagSet("sites "+verb, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	org := fs.Int64("org", 0, "the organisation `id`")
	version := fs.Int("version", 0, "the version")
	reason := fs.String("reason", "", "why the version is accepted or rejected")
	asJSON := fs.Bool("json", false, "print JSON")
	dsn := dbFlag(fs)
	switch verb {
	case "upload", "versions", "show", "accept", "reject":
	default:
		fmt.Fprintf(e.stderr, "tradeplan sites: unknown verb %q (want upload, versions, show, accept or reject)\n", verb)
		fmt.Fprint(e.stderr, sitesUsage)
		return exitUsage
	}
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	what := "sites " + verb
	if *org < 1 {
		fmt.Fprintf(e.stderr, "tradeplan %s: want --org ID\n", what)
		return exitUsage
	}
	var content []byte
	var format plan.Format
	switch verb {
	case "upload":
		if fs.NArg() != 1 {
			fmt.Fprintf(e.stderr, "tradeplan %s: want one FILE\n", what)
			return exitUsage
		}
		f, ok := plan.FormatFromName(fs.Arg(0))
		if !ok || f == plan.CSV {
			fmt.Fprintf(e.stderr, "tradeplan %s: %s: want a .yaml, .yml or .json file\n", what, fs.Arg(0))
			return exitUsage
		}
		b, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return dbFail(e, what, err)
		}
		content, format = b, f
	case "accept", "reject":
		if *version < 1 || strings.TrimSpace(*reason) == "" {
			fmt.Fprintf(e.stderr, "tradeplan %s: want --version N and --reason TEXT\n", what)
			return exitUsage
		}
	}
	if fs.NArg() > 0 && verb != "upload" {
		fmt.Fprintf(e.stderr, "tradeplan %s: unexpected argument %q\n", what, fs.Arg(0))
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, what, err)
	}
	defer db.Close()
	var out any
	switch verb {
	case "upload":
		sf, err := svc.UploadSites(ctx, workflowActor, *org, format, content)
		if err != nil {
			return dbFail(e, what, err)
		}
		out = sf
		if !*asJSON {
			fmt.Fprintf(e.stdout, "site file version %d of organisation %d stored (%s, sha256 %s): claimed until a reviewer of the authority accepts it\n",
				sf.Version, sf.Organisation, strings.Join(sf.Sites, ", "), sf.Digest)
			return exitOK
		}
	case "versions":
		vs, err := svc.SiteVersions(ctx, workflowActor, *org)
		if err != nil {
			return dbFail(e, what, err)
		}
		out = vs
		if !*asJSON {
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tSTATUS\tUPLOADED\tBY\tREVIEWED BY\tSHA256\tSITES")
			for _, v := range vs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Version, v.Status, v.UploadedAt.Format("2006-01-02 15:04:05"), v.UploadedBy,
					orDash(v.ReviewedBy), v.Digest[:16], strings.Join(v.Sites, ", "))
			}
			tw.Flush()
			return exitOK
		}
	case "show":
		sv, err := svc.Sites(ctx, workflowActor, *org, *version)
		if err != nil {
			return dbFail(e, what, err)
		}
		out = sv
		if !*asJSON {
			fmt.Fprintf(e.stdout, "# site file version %d of organisation %d: %s (accepted version: %d), sha256 %s\n", sv.Version, sv.Organisation, sv.Status, sv.Accepted, sv.Digest)
			fmt.Fprint(e.stdout, sv.Content)
			return exitOK
		}
	case "accept", "reject":
		sf, err := svc.ReviewSites(ctx, workflowActor, *org, *version, verb == "accept", *reason)
		if err != nil {
			return dbFail(e, what, err)
		}
		out = sf
		if !*asJSON {
			fmt.Fprintf(e.stdout, "site file version %d of organisation %d: %s\n", sf.Version, sf.Organisation, sf.Status)
			return exitOK
		}
	}
	if err := dbJSON(e.stdout, out); err != nil {
		return dbFail(e, what, err)
	}
	return exitOK
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
