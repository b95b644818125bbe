package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan/store"
)

func init() {
	register(&command{name: "audit", summary: "verify and list the hash-chained audit log (audit verify|list)", run: runAudit})
}

func runAudit(ctx context.Context, e *env, args []string) int {
	return runVerb(ctx, e, "audit", args, []verb{{"verify", runAuditVerify}, {"list", runAuditList}})
}

// runAuditVerify exits 0 when the chain is whole, 1 (naming the first bad
// entry) when it is not.
func runAuditVerify(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "audit verify", "audit verify [--json] [--db DSN]")
	dsn := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "audit verify", err)
	}
	defer db.Close()
	res, err := db.VerifyAudit(ctx)
	if err != nil {
		return dbFail(e, "audit verify", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, res); err != nil {
			return dbFail(e, "audit verify", err)
		}
	} else if res.OK {
		fmt.Fprintf(e.stdout, "audit log intact: %d entries, head %d %s\n", res.Entries, res.HeadSeq, res.HeadHash)
	} else {
		fmt.Fprintf(e.stdout, "audit log BROKEN at entry %d: %s\n", res.BadSeq, res.Problem)
	}
	if !res.OK {
		return exitFindings
	}
	return exitOK
}

func runAuditList(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "audit list", "audit list [--after SEQ] [--limit N] [--subject S] [--org ID] [--json] [--db DSN]")
	dsn := dbFlag(fs)
	after := fs.Int64("after", 0, "only entries after this sequence number")
	limit := fs.Int("limit", 100, "at most this many entries (up to 1000)")
	subject := fs.String("subject", "", "only entries about this subject, e.g. user:7")
	org := fs.Int64("org", 0, "only entries of this organisation and those below it")
	asJSON := fs.Bool("json", false, "print JSON, with before and after states and hashes")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "audit list", err)
	}
	defer db.Close()
	f := store.AuditFilter{AfterSeq: *after, Limit: *limit, Subject: *subject}
	if *org != 0 {
		if f.OrgIDs, err = db.Subtree(ctx, *org); err != nil {
			return dbFail(e, "audit list", err)
		}
	}
	entries, err := db.AuditLog(ctx, f)
	if err != nil {
		return dbFail(e, "audit list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, entries); err != nil {
			return dbFail(e, "audit list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tAT\tACTOR\tACTION\tSUBJECT\tORG\tHASH")
	for _, a := range entries {
		org := "-"
		if a.OrgID != 0 {
			org = fmt.Sprint(a.OrgID)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", a.Seq, a.At.Format(time.RFC3339), a.Actor, a.Action, a.Subject, org, a.Hash[:12])
	}
	tw.Flush()
	return exitOK
}
