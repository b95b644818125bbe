package main

import (
	"context"
	"fmt"

	"github.com/tradeplan/tradeplan/store"
)

func runMigrate(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "migrate", "migrate [--db DSN]")
	dsn := dbFlag(fs)
	if c := dbParse(fs, args); c >= 0 {
		return c
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	if *dsn == "" {
		*dsn = defaultDSN(e)
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return dbFail(e, "migrate", err)
	}
	defer db.Close()
	pending, err := db.PendingMigrations(ctx)
	if err != nil {
		return dbFail(e, "migrate", err)
	}
	if err := db.Migrate(ctx); err != nil {
		return dbFail(e, "migrate", err)
	}
	for _, m := range pending {
		fmt.Fprintf(e.stdout, "applied %04d_%s\n", m.Version, m.Name)
	}
	applied, err := db.AppliedMigrations(ctx)
	if err != nil {
		return dbFail(e, "migrate", err)
	}
	fmt.Fprintf(e.stdout, "%s database %s is at migration %04d (%d applied now)\n", db.Engine(), redactDSN(*dsn), applied[len(applied)-1].Version, len(pending))
	return exitOK
}
