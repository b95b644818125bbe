package server

import (
	"context"
	"net/http"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// The import ranking's API (licensing/imports.go): a crossing's capacity,
// a call's ranking and budget form, reviewers' tier upgrades.

type capacityRequest struct {
	TonnesPerWeek tradeplan.Decimal           `json:"tonnes_per_week"`
	Vehicles      []tradeplan.CapacityVehicle `json:"vehicles"`
}

func (l *licensingAPI) setCapacity(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	var req capacityRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	c, err := l.svc.SetCrossingCapacity(r.Context(), actor(r), r.PathValue("id"),
		tradeplan.CrossingCapacity{TonnesPerWeek: req.TonnesPerWeek, Vehicles: req.Vehicles})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

type budgetRequest struct {
	Version          int                          `json:"version"`
	Currency         string                       `json:"currency"`
	Receipts         tradeplan.Decimal            `json:"receipts"`
	ReceiptsCurrency string                       `json:"receipts_currency"`
	Rates            map[string]tradeplan.Decimal `json:"rates"`
	RatesAsOf        string                       `json:"rates_as_of"`
	RatesSource      string                       `json:"rates_source"`
	SafetyMargin     *tradeplan.Decimal           `json:"safety_margin"`
	Reserves         tradeplan.Decimal            `json:"reserves"`
	ReservesFloor    tradeplan.Decimal            `json:"reserves_floor"`
	CurrencyPerWeek  *tradeplan.Decimal           `json:"currency_per_week"`
	Budget           *tradeplan.Decimal           `json:"budget"`
	Override         string                       `json:"override"`
}

func (b budgetRequest) form() licensing.CallBudget {
	return licensing.CallBudget{Version: b.Version, Currency: b.Currency, Receipts: b.Receipts, ReceiptsCurrency: b.ReceiptsCurrency,
		Rates: b.Rates, RatesAsOf: b.RatesAsOf, RatesSource: b.RatesSource, SafetyMargin: b.SafetyMargin,
		Reserves: b.Reserves, ReservesFloor: b.ReservesFloor, CurrencyPerWeek: b.CurrencyPerWeek, Budget: b.Budget, Override: b.Override}
}

func (l *licensingAPI) setBudget(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	id, err := pathID(r, "call")
	if err != nil {
		return err
	}
	var req budgetRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	b, err := l.svc.SetCallBudget(r.Context(), actor(r), id, req.form())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

type upgradeRequest struct {
	Tier   int    `json:"tier"`
	Reason string `json:"reason"`
}

func (l *licensingAPI) upgradeLine(ctx context.Context, a tradeplan.Actor, plan int64, line int, req upgradeRequest) (any, error) {
	return l.svc.UpgradeTier(ctx, a, plan, line, req.Tier, req.Reason)
}
