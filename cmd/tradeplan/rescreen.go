package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
	"github.com/tradeplan/tradeplan/screen"
	"github.com/tradeplan/tradeplan/store"
)

// enforcementService is the licensing service with the screener of the
// database's rules and lists, for the commands that screen stored permits
// and declarations.
func enforcementService(ctx context.Context, e *env, db *store.DB) (*licensing.Service, error) {
	eng, err := wire(ctx, db, engineOptions{})
	if err != nil {
		return nil, err
	}
	if eng.parties == nil {
		fmt.Fprintln(e.stderr, "tradeplan: warning: "+noListsWarning)
	}
	return licensing.NewService(licensing.Config{Store: db.Licensing(), RulesDigest: eng.rules,
		Screen: func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error) {
			return eng.screener.Plan(ctx, p, screen.ForUsage(asOf, usage))
		}}), nil
}

// rescreenAfter screens every issued or suspended permit and every open
// case again after the lists changed, and prints what it hit.
func rescreenAfter(ctx context.Context, e *env, db *store.DB, reason string) error {
	svc, err := enforcementService(ctx, e, db)
	if err != nil {
		return err
	}
	r, err := svc.Rescreen(cliActorContext(ctx, e), workflowActor, reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "re-screened %d permits and %d open cases after %s: %d permits hit, %d suspended pending review, %d cases hit, %d cases opened\n",
		r.Permits, r.Cases, r.Reason, r.Hit, len(r.Suspended), r.CasesHit, r.Opened)
	for _, n := range r.Suspended {
		fmt.Fprintf(e.stdout, "  suspended %s\n", n)
	}
	return nil
}

func permitsRescreen(ctx context.Context, e *env, args []string) int {
	fs := dbFlags(e, "permits rescreen", "permits rescreen --reason TEXT [--db DSN]")
	reason := fs.String("reason", "", "what changed: the list or rule pack")
	dsn := dbFlag(fs)
	if code := dbParse(fs, args); code >= 0 {
		return code
	}
	if strings.TrimSpace(*reason) == "" || fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "tradeplan permits rescreen: --reason is required, and nothing else")
		return exitUsage
	}
	db, err := openMigrated(ctx, e, *dsn)
	if err != nil {
		return dbFail(e, "permits rescreen", err)
	}
	defer db.Close()
	if err := rescreenAfter(ctx, e, db, *reason); err != nil {
		return dbFail(e, "permits rescreen", err)
	}
	return exitOK
}

func datasetNames(ds []tradeplan.Dataset) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name+" "+d.Version)
	}
	return strings.Join(out, ", ")
}
