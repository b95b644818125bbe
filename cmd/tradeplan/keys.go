package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/tradeplan/tradeplan/permitsig"
	"github.com/tradeplan/tradeplan/store"
)

const keysUsage = `usage:
  tradeplan keys list [--public] [--db DSN]
  tradeplan keys rotate [--lost-key] [--db DSN]

Every permit is signed when issued with the authority's active ed25519 key,
kept in the database. rotate retires the active key and makes a new one that
signs from then on; a retired key still verifies what it signed. list
--public prints the public keys as JSON, for 'tradeplan permits verify --keys
FILE' where there is no database. A rotation is refused while the active
key does not open with TRADEPLAN_KEY_FILE or TRADEPLAN_KEY (missing or
changed); --lost-key rotates anyway, when the key it was encrypted with is
lost and a new one is set.
`

func runKeys(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stderr, keysUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "list":
		return keysList(ctx, e, args[1:])
	case "rotate":
		return keysRotate(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "tradeplan keys: unknown verb %q (want list or rotate)\n", args[0])
	fmt.Fprint(e.stderr, keysUsage)
	return exitUsage
}

// publicKeys is the file 'keys list --public' writes and 'permits verify
// --keys' reads.
type publicKeys struct {
	Keys []permitsig.PublicKey `json:"keys"`
}

func keysList(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "keys list", "keys list [--public] [--db DSN]")
	public := fs.Bool("public", false, "print the public keys as JSON, for permits verify --keys")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "keys list", err)
	}
	defer db.Close()
	ks, err := svc.SigningKeys(ctx)
	if err != nil {
		return dbFail(e, "keys list", err)
	}
	if *public {
		if err := dbJSON(e.stdout, publicKeys{Keys: ks}); err != nil {
			return dbFail(e, "keys list", err)
		}
		return exitOK
	}
	if len(ks) == 0 {
		fmt.Fprintln(e.stdout, "no keys yet: the first is made when the first permit is issued, or by 'tradeplan keys rotate'")
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tCREATED\tSTATUS")
	for _, k := range ks {
		st := "active: signs new permits"
		if k.RetiredAt != nil {
			st = "retired " + k.RetiredAt.UTC().Format(time.DateOnly) + ": verifies what it signed"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.ID, k.CreatedAt.UTC().Format(time.DateOnly), st)
	}
	tw.Flush()
	return exitOK
}

func keysRotate(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "keys rotate", "keys rotate [--lost-key] [--db DSN]")
	dsn := dbFlag(fs)
	lost := fs.Bool("lost-key", false, "rotate although the active key does not open with the key-encryption key given (the key it was encrypted with is lost)")
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "tradeplan %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage
	}
	db, svc, err := openWorkflow(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "keys rotate", err)
	}
	defer db.Close()
	rctx := cliActorContext(ctx, e)
	if *lost {
		rctx = store.WithLostKey(rctx)
	}
	k, err := svc.RotateSigningKey(rctx, workflowActor)
	if err != nil {
		return dbFail(e, "keys rotate", err)
	}
	fmt.Fprintf(e.stdout, "key %s now signs new permits; the keys before it still verify what they signed\n", k.ID)
	return exitOK
}
