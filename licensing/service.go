package licensing

import (
	"context"
	"fmt"
	"time"

	"github.com/tradeplan/tradeplan"
)

// ScreenFunc screens a plan as of a day, counting caps on top of what usage
// reports as held by issued permits. The server passes the screen package's
// (*Screener).Plan; tests pass a fake.
type ScreenFunc func(ctx context.Context, p *tradeplan.Plan, asOf time.Time, usage tradeplan.CapUsage) (tradeplan.PlanReport, error)

// Config is what a Service needs.
type Config struct {
	Store  Store
	Screen ScreenFunc
	// RuleChanges returns the days within [from, to], after from, on which
	// the screening rules change (tradeplan.RuleCalendar); a licence is
	// judged on each. Nil: the rules are taken not to change between.
	RuleChanges func(from, to time.Time) []time.Time
	// Refresh, when set, brings the screener up to date with the stored
	// lists before a transaction that screens begins (an approval, a
	// permit use): inside it, Screen runs with ctx marked InTransaction
	// and should not open another connection to look (two dozen approvals
	// at once would otherwise hold every pooled connection and wait for
	// one more).
	Refresh func(ctx context.Context)
	Clock   func() time.Time // default time.Now
	// MaxPlanLines is the most lines a plan may have, however it gets
	// them (created, edited, amended, imported, line by line); default
	// DefaultMaxPlanLines, below zero no limit.
	MaxPlanLines int
	// RulesDigest names the rule packs Screen screens with (rules.Engine's
	// Digest); a re-screening records it, and RescreenIfRulesChanged
	// compares it with the one recorded. "": not known, nothing recorded.
	RulesDigest string
}

// DefaultMaxPlanLines is the default of Config.MaxPlanLines.
const DefaultMaxPlanLines = 10000

// Service carries out the use cases of the licensing process over a Store:
// every method checks who may act, applies the rules of this package and
// records the change with its audit entry in one transaction.
type Service struct {
	store    Store
	screen   ScreenFunc
	changes  func(from, to time.Time) []time.Time
	refresh  func(ctx context.Context)
	now      func() time.Time
	maxLines int // 0: no limit
	rules    string
	// reports keeps each call's report until what it rests on changes
	// (callpass.go).
	reports reportCache
	// parts keeps each plan's part of its call's report (callparts.go).
	parts partCache
}

// NewService returns a Service.
func NewService(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.MaxPlanLines == 0 {
		cfg.MaxPlanLines = DefaultMaxPlanLines
	}
	return &Service{store: cfg.Store, screen: cfg.Screen, changes: cfg.RuleChanges, refresh: cfg.Refresh, now: func() time.Time { return cfg.Clock().UTC() }, maxLines: max(cfg.MaxPlanLines, 0), rules: cfg.RulesDigest}
}

// checkLines refuses a plan of n lines when that is more than it may have.
func (s *Service) checkLines(n int) error {
	if s.maxLines > 0 && n > s.maxLines {
		return &tradeplan.Error{Code: tradeplan.EInvalid, Message: fmt.Sprintf("plan: %d lines; a plan has at most %d", n, s.maxLines),
			Problems: tradeplan.Problems{{Pos: tradeplan.Position{Path: "lines"}, Message: fmt.Sprintf("expected at most %d lines in a plan; found %d", s.maxLines, n)}}}
	}
	return nil
}

// CapUsed implements tradeplan.CapUsage over issued permits.
func (s *Service) CapUsed(ctx context.Context, capID string, from, to time.Time) (tradeplan.Decimal, error) {
	var used tradeplan.Decimal
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		used, err = tx.CapUsed(ctx, capID, from, to)
		return err
	})
	return used, err
}

func subject(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }
