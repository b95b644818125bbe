package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/accounts"
)

func runUsers(ctx context.Context, e *env, args []string) int {
	disable := func(v string) func(context.Context, *env, []string) int {
		return func(ctx context.Context, e *env, args []string) int { return runUsersDisable(ctx, e, v, args) }
	}
	return runVerb(ctx, e, "users", args, []verb{{"add", runUsersAdd}, {"list", runUsersList}, {"disable", disable("disable")}, {"enable", disable("enable")}})
}

// readPassword reads the first line of standard input. Passwords never
// come from flags, which other users of the machine can see.
func readPassword(e *env) (string, error) {
	r := bufio.NewReader(e.stdin)
	line, err := r.ReadString('\n')
	if err != nil && line == "" {
		return "", tradeplan.Errorf(tradeplan.EInvalid, "no password on standard input: pipe it in, e.g. 'printf %%s \"$PW\" | tradeplan users add ...'")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func runUsersAdd(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "users add", "users add --org ID --role ROLE --email EMAIL [--name NAME] [--db DSN] < password")
	dsn := dbFlag(fs)
	org := fs.Int64("org", 0, "the user's organisation ID (required)")
	role := fs.String("role", "", "submitter, reviewer, compliance or admin (required)")
	email := fs.String("email", "", "the user's email, their login (required)")
	name := fs.String("name", "", "the user's full name")
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 || *org == 0 || *role == "" || *email == "" {
		fs.Usage()
		return exitUsage
	}
	// An empty password is reported with the other problems, and a hint.
	password, pwErr := readPassword(e)
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "users add", err)
	}
	defer db.Close()
	acc := accounts.NewService(db)
	u, err := acc.CreateUser(cliActorContext(ctx, e), tradeplan.User{OrgID: *org, Email: *email, Name: *name, Role: tradeplan.Role(*role)}, password)
	if err != nil {
		code := dbFail(e, "users add", err)
		if pwErr != nil {
			fmt.Fprintln(e.stderr, pwErr)
		}
		return code
	}
	fmt.Fprintf(e.stdout, "user %d: %s (%s) in organisation %d\n", u.ID, u.Email, u.Role, u.OrgID)
	return exitOK
}

func runUsersList(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "users list", "users list [--org ID] [--json] [--db DSN]")
	dsn := dbFlag(fs)
	org := fs.Int64("org", 0, "only users of this organisation and those below it")
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
		return dbFail(e, "users list", err)
	}
	defer db.Close()
	acc := accounts.NewService(db)
	var f tradeplan.UserFilter
	if *org != 0 {
		f.OrgUnder = org
	}
	users, err := acc.Users(ctx, f)
	if err != nil {
		return dbFail(e, "users list", err)
	}
	if *asJSON {
		if err := dbJSON(e.stdout, users); err != nil {
			return dbFail(e, "users list", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	name := orgNamer(ctx, db)
	fmt.Fprintln(tw, "ID\tORG\tROLE\tSTATUS\tEMAIL\tNAME")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, name(u.OrgID), u.Role, status, u.Email, dash(u.Name))
	}
	tw.Flush()
	return exitOK
}

func runUsersDisable(ctx context.Context, e *env, v string, args []string) int {
	fs := dbFlags(e, "users "+v, "users "+v+" EMAIL [--db DSN]")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	db, err := openStore(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "users "+v, err)
	}
	defer db.Close()
	acc := accounts.NewService(db)
	u, err := acc.UserByEmail(ctx, fs.Arg(0))
	if err != nil {
		return dbFail(e, "users "+v, err)
	}
	if _, err := acc.SetUserDisabled(cliActorContext(ctx, e), u.ID, v == "disable"); err != nil {
		return dbFail(e, "users "+v, err)
	}
	fmt.Fprintf(e.stdout, "user %d: %s %sd\n", u.ID, u.Email, v)
	return exitOK
}
