package tradeplan

import "time"

// CrossingCapacity is what a crossing can carry in one week: tonnes and,
// where given, conveyances (trucks, containers, wagons, vessel calls). The
// entry schedule of a call's imports places goods within it.
type CrossingCapacity struct {
	TonnesPerWeek Decimal           `json:"tonnes_per_week"`
	Vehicles      []CapacityVehicle `json:"vehicles"`
	SetBy         string            `json:"set_by"`
	SetAt         time.Time         `json:"set_at"`
}

// CapacityVehicle is a limit by conveyance: at most PerWeek of Kind a week,
// each carrying at most TonnesEach.
type CapacityVehicle struct {
	Kind       string  `json:"kind"`
	PerWeek    int     `json:"per_week"`
	TonnesEach Decimal `json:"tonnes_each"`
}

// VehicleKinds are the conveyances a crossing's capacity may name.
var VehicleKinds = []string{"trucks", "containers", "wagons", "vessel calls"}
