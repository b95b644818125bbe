package feasibility

import (
	"fmt"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Sites is a parsed site file.
type Sites struct {
	File     string
	Policy   Policy
	Patterns []Pattern // tried in this order
	Sites    []*Site

	once  sync.Once
	byKey map[string]*Site // sites by id and by name (Site)
}

// Policy is the labour rules that bind a site.
type Policy struct {
	MaxHoursPerDay  float64
	MaxHoursPerWeek float64
	DaysPerWeek     int
	Absence         float64 // share of workers absent on a day
}

// Pattern is a shift pattern: Shifts shifts of Hours hours a day.
type Pattern struct {
	Shifts int
	Hours  float64
}

func (p Pattern) String() string { return fmt.Sprintf("%dx%s", p.Shifts, fig(p.Hours)) }

// Allowed reports whether pol allows the pattern: no shift longer than
// the day's maximum, and no week longer than the week's.
func (pol Policy) Allowed(p Pattern) bool {
	return p.Hours <= pol.MaxHoursPerDay+1e-9 && p.Hours*float64(pol.DaysPerWeek) <= pol.MaxHoursPerWeek+1e-9 &&
		float64(p.Shifts)*p.Hours <= 24+1e-9
}

// Site is one site of an organisation.
type Site struct {
	ID, Name   string
	Pos        tradeplan.Position
	Policy     Policy // the file's policy with the site's overrides
	Workers    float64
	KWhPerDay  float64 // 0 with NoPowerLimit: power not limited
	PowerGiven bool
	// StorageT is the most, in tonnes, of its input items counted by mass
	// the site can hold at once (StorageGiven); without it storage does
	// not limit the site.
	StorageT     float64
	StorageGiven bool
	Receipts     []Receipt // stock and supply
	Processes    []*Process
	unitOfItems  map[string]string // item -> canonical unit ("t", "pcs", ...)
	patterns     []Pattern         // the file's patterns the policy allows
}

// Receipt is a quantity of an item available from a day: stock on hand
// at the start of the period (At is zero: the period's first day, unless
// received says otherwise), or a supply expected in a month or on a day.
type Receipt struct {
	Item      string
	Quantity  float64 // in the item's canonical unit
	Unit      string
	At        time.Time // zero: on hand from the period's start
	ShelfDays int       // 0: not perishable
	Stock     bool
	Pos       tradeplan.Position
	key       string // the item, as matched
}

// Process is one processing of an input item into an output.
type Process struct {
	ID           string
	Pos          tradeplan.Position
	Input        string
	Output       string
	HS           string
	Unit         string  // canonical unit of the output: "t", "pcs", ...
	InputUnit    string  // canonical unit of the input
	Yield        float64 // output units per input unit
	Lines        int
	Rate         float64 // input units per line per hour at full speed
	Availability float64
	Crew         int
	KWhPerOutput float64 // kWh per output unit
	Defaults     []string
	inputKey     string // the input item, as matched
}
