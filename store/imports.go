package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// The import ranking's inputs (licensing/imports.go): crossings' weekly
// capacity, the versions of calls' budget forms, reviewers' tier upgrades.

var _ licensing.ImportsTx = (*licTx)(nil)

func (t *licTx) CrossingCapacities(ctx context.Context) (map[string]tradeplan.CrossingCapacity, error) {
	rows, err := t.QueryContext(ctx, "SELECT crossing, tonnes_per_week, vehicles, set_by, set_at FROM crossing_capacity")
	if err != nil {
		return nil, t.db.dbErr(err, "crossing capacity")
	}
	defer rows.Close()
	out := map[string]tradeplan.CrossingCapacity{}
	for rows.Next() {
		var id, vehicles string
		var c tradeplan.CrossingCapacity
		var at nullTime
		if err := rows.Scan(&id, &c.TonnesPerWeek, &vehicles, &c.SetBy, &at); err != nil {
			return nil, t.db.dbErr(err, "crossing capacity")
		}
		if err := json.Unmarshal([]byte(vehicles), &c.Vehicles); err != nil {
			return nil, fmt.Errorf("crossing capacity %s: vehicles: %w", id, err)
		}
		c.SetAt = at.Time
		out[id] = c
	}
	return out, rows.Err()
}

func (t *licTx) PutCrossingCapacity(ctx context.Context, crossing string, c tradeplan.CrossingCapacity) error {
	vehicles, err := jsonText(c.Vehicles)
	if err != nil {
		return err
	}
	if err := t.guardRow(ctx, "crossing_capacity", crossing); err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `INSERT INTO crossing_capacity (crossing, tonnes_per_week, vehicles, set_by, set_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (crossing) DO UPDATE SET tonnes_per_week = excluded.tonnes_per_week, vehicles = excluded.vehicles,
		set_by = excluded.set_by, set_at = excluded.set_at`, crossing, c.TonnesPerWeek.String(), vehicles, c.SetBy, ts(c.SetAt))
	t.touch("crossing_capacity", "crossing = ?", crossing)
	return t.db.dbErr(err, "crossing capacity")
}

func (t *licTx) CallBudget(ctx context.Context, callID int64) (licensing.CallBudget, error) {
	var b licensing.CallBudget
	var form string
	err := t.QueryRowContext(ctx, "SELECT form FROM call_budgets WHERE call_id = ? ORDER BY version DESC LIMIT 1", callID).Scan(&form)
	if err == sql.ErrNoRows {
		return b, tradeplan.Errorf(tradeplan.ENotFound, "call %d has no budget", callID)
	}
	if err != nil {
		return b, t.db.dbErr(err, "call budget")
	}
	if err := json.Unmarshal([]byte(form), &b); err != nil {
		return b, fmt.Errorf("call %d budget: %w", callID, err)
	}
	return b, nil
}

func (t *licTx) AddCallBudget(ctx context.Context, b licensing.CallBudget) error {
	form, err := jsonText(b)
	if err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, "INSERT INTO call_budgets (call_id, version, form, set_by, set_at) VALUES (?, ?, ?, ?, ?)",
		b.Call, b.Version, form, b.SetBy, ts(b.SetAt))
	if err != nil {
		if tradeplan.ErrorCode(t.db.dbErr(err, "call budget")) == tradeplan.EConflict {
			return tradeplan.Errorf(tradeplan.EConflict, "version %d of the budget of call %d was set meanwhile: reload it and edit again", b.Version, b.Call)
		}
		return t.db.dbErr(err, "call budget")
	}
	t.touch("call_budgets", "call_id = ? AND version = ?", b.Call, b.Version)
	return nil
}

func (t *licTx) PutTierUpgrade(ctx context.Context, u licensing.TierUpgrade) error {
	if err := t.guardRow(ctx, "tier_upgrades", u.PlanID, u.Version, u.Line); err != nil {
		return err
	}
	_, err := t.ExecContext(ctx, `INSERT INTO tier_upgrades (plan_id, version, line_no, from_tier, tier, reason, upgraded_by, upgraded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (plan_id, version, line_no) DO UPDATE SET from_tier = excluded.from_tier, tier = excluded.tier, reason = excluded.reason,
		upgraded_by = excluded.upgraded_by, upgraded_at = excluded.upgraded_at`,
		u.PlanID, u.Version, u.Line, u.From, u.Tier, u.Reason, u.By, ts(u.At))
	t.touch("tier_upgrades", "plan_id = ? AND version = ? AND line_no = ?", u.PlanID, u.Version, u.Line)
	return t.db.dbErr(err, "tier upgrade")
}

func (t *licTx) TierUpgrades(ctx context.Context, planID int64, version int) ([]licensing.TierUpgrade, error) {
	rows, err := t.QueryContext(ctx, `SELECT plan_id, version, line_no, from_tier, tier, reason, upgraded_by, upgraded_at FROM tier_upgrades
		WHERE plan_id = ? AND version = ? ORDER BY line_no`, planID, version)
	if err != nil {
		return nil, t.db.dbErr(err, "tier upgrades")
	}
	defer rows.Close()
	var out []licensing.TierUpgrade
	for rows.Next() {
		var u licensing.TierUpgrade
		var at nullTime
		if err := rows.Scan(&u.PlanID, &u.Version, &u.Line, &u.From, &u.Tier, &u.Reason, &u.By, &at); err != nil {
			return nil, t.db.dbErr(err, "tier upgrades")
		}
		u.At = at.Time
		out = append(out, u)
	}
	return out, rows.Err()
}
