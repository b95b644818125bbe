package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
	"github.com/tradeplan/tradeplan/store"
)

func runAudit(ctx context.Context, e *env, args []string) int {
	return runVerb(ctx, e, "audit", args, []verb{{"verify", runAuditVerify}, {"list", runAuditList}, {"seal", runAuditSeal}})
}

// runAuditVerify exits 0 when the chain is whole (and, with --state, the
// licensing tables match it), 1 (naming the first bad entry, and every bad
// row) when not.
func runAuditVerify(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "audit verify", "audit verify [--state] [--json] [--db DSN]")
	dsn := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	withState := fs.Bool("state", false, "also check every permit, use, cap draw, decision, plan, call and crossing against the digests the chain recorded")
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
	acc := accounts.NewService(db)
	res, err := acc.VerifyAudit(ctx)
	if err != nil {
		return dbFail(e, "audit verify", err)
	}
	var state *store.StateResult
	if *withState {
		st, err := db.VerifyState(ctx)
		if err != nil {
			return dbFail(e, "audit verify", err)
		}
		state = &st
	}
	if *asJSON {
		out := any(res)
		if state != nil {
			out = struct {
				store.VerifyResult
				State *store.StateResult `json:"state"`
			}{res, state}
		}
		if err := dbJSON(e.stdout, out); err != nil {
			return dbFail(e, "audit verify", err)
		}
	} else {
		if res.OK {
			fmt.Fprintf(e.stdout, "audit log intact: %d entries, head %d %s\n", res.Entries, res.HeadSeq, res.HeadHash)
		} else {
			fmt.Fprintf(e.stdout, "audit log BROKEN at entry %d: %s\n", res.BadSeq, res.Problem)
		}
		if state != nil {
			if state.OK {
				fmt.Fprintf(e.stdout, "state intact: %d rows match the digests the log recorded\n", state.Rows)
			} else {
				fmt.Fprintf(e.stdout, "state TAMPERED: %d rows do not match the log (%d rows checked):\n", len(state.Problems), state.Rows)
				for _, p := range state.Problems {
					fmt.Fprintf(e.stdout, "  %s: %s\n", p.Row, p.Problem)
				}
			}
		}
	}
	if !res.OK || state != nil && !state.OK {
		return exitFindings
	}
	return exitOK
}

// runAuditSeal records the digests of the licensing rows no audit entry
// covers yet (a database from before state digests).
func runAuditSeal(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "audit seal", "audit seal [--db DSN]")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "audit seal", err)
	}
	defer db.Close()
	n, err := db.SealState(cliActorContext(ctx, e))
	if err != nil {
		return dbFail(e, "audit seal", err)
	}
	fmt.Fprintf(e.stdout, "%d rows recorded in the audit log; rows changed or deleted since they were recorded are still reported\n", n)
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
	acc := accounts.NewService(db)
	f := tradeplan.AuditFilter{AfterSeq: *after, Limit: *limit, Subject: *subject}
	if *org != 0 {
		if f.OrgIDs, err = acc.Subtree(ctx, *org); err != nil {
			return dbFail(e, "audit list", err)
		}
	}
	entries, err := acc.AuditLog(ctx, f)
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
