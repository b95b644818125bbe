package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan/accounts"
)

func runTokens(ctx context.Context, e *env, args []string) int {
	return runVerb(ctx, e, "tokens", args, []verb{{"create", runTokensCreate}, {"list", runTokensList}, {"revoke", runTokensRevoke}})
}

func runTokensCreate(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "tokens create", "tokens create --user EMAIL [--name NAME] [--db DSN]")
	dsn := dbFlag(fs)
	email := fs.String("user", "", "the email of the user the token acts as (required)")
	name := fs.String("name", "", "what the token is for")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 || *email == "" {
		fs.Usage()
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "tokens create", err)
	}
	defer db.Close()
	acc := accounts.NewService(db)
	u, err := acc.UserByEmail(ctx, *email)
	if err != nil {
		return dbFail(e, "tokens create", err)
	}
	plain, t, err := acc.CreateToken(cliActorContext(ctx, e), u.ID, *name)
	if err != nil {
		return dbFail(e, "tokens create", err)
	}
	// The token alone on stdout, so that it can be captured; the rest on
	// stderr.
	fmt.Fprintln(e.stdout, plain)
	fmt.Fprintf(e.stderr, "token %d for %s created; it is shown only this once. Send it as 'Authorization: Bearer TOKEN'.\n", t.ID, u.Email)
	return exitOK
}

func runTokensList(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "tokens list", "tokens list [--user EMAIL] [--json] [--db DSN]")
	dsn := dbFlag(fs)
	email := fs.String("user", "", "only this user's tokens")
	asJSON := fs.Bool("json", false, "print JSON")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "tokens list", err)
	}
	defer db.Close()
	acc := accounts.NewService(db)
	var userID int64
	if *email != "" {
		u, err := acc.UserByEmail(ctx, *email)
		if err != nil {
			return dbFail(e, "tokens list", err)
		}
		userID = u.ID
	}
	tokens, err := acc.Tokens(ctx, userID)
	if err != nil {
		return dbFail(e, "tokens list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, tokens); err != nil {
			return dbFail(e, "tokens list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tPREFIX\tCREATED\tLAST USED\tREVOKED\tNAME")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UserID, t.Prefix, t.CreatedAt.Format(time.RFC3339),
			timeOrDash(t.LastUsedAt), timeOrDash(t.RevokedAt), dash(t.Name))
	}
	tw.Flush()
	return exitOK
}

func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}

func runTokensRevoke(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "tokens revoke", "tokens revoke ID [--db DSN]")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(e.stderr, "tradeplan tokens revoke: %q is not a token ID (see 'tradeplan tokens list')\n", fs.Arg(0))
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "tokens revoke", err)
	}
	defer db.Close()
	acc := accounts.NewService(db)
	if err := acc.RevokeToken(cliActorContext(ctx, e), id); err != nil {
		return dbFail(e, "tokens revoke", err)
	}
	fmt.Fprintf(e.stdout, "token %d revoked\n", id)
	return exitOK
}
