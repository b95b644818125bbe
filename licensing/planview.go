package licensing

import (
	"context"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Plans lists the plans the actor may see, of one call or (callID 0) all.
func (s *Service) Plans(ctx context.Context, a tradeplan.Actor, callID int64) ([]tradeplan.PlanRecord, error) {
	var out []tradeplan.PlanRecord
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		pr, err := loadPrincipal(ctx, tx, a)
		if err != nil {
			return err
		}
		orgs, issuers := pr.scope()
		out, err = tx.Plans(ctx, PlanFilter{CallID: callID, Orgs: orgs, Issuers: issuers})
		return err
	})
	if out == nil {
		out = []tradeplan.PlanRecord{}
	}
	return out, err
}

// FindingView is a finding with the key decisions refer to.
type FindingView struct {
	Key string `json:"key"`
	tradeplan.Finding
}

// LineView is one line as reviewers and applicants see it: what was asked,
// the applicant's and the reviewer's HS codes side by side, the screening,
// and the decisions.
type LineView struct {
	Index       int                            `json:"index"`
	Direction   tradeplan.Direction            `json:"direction"`
	Description string                         `json:"description"`
	ApplicantHS string                         `json:"applicant_hs"`
	AssessedHS  string                         `json:"assessed_hs,omitempty"`
	Assessment  *tradeplan.LineAssessment      `json:"assessment,omitempty"`
	Origin      string                         `json:"origin,omitempty"`
	Destination string                         `json:"destination,omitempty"`
	Quantity    tradeplan.Decimal              `json:"quantity"`
	Unit        string                         `json:"unit"`
	Value       tradeplan.Decimal              `json:"value"`
	Currency    string                         `json:"currency,omitempty"`
	Partner     *tradeplan.Party               `json:"partner,omitempty"`
	Vessel      *tradeplan.Vessel              `json:"vessel,omitempty"`
	Crossing    string                         `json:"crossing,omitempty"`
	Necessity   tradeplan.Necessity            `json:"necessity,omitempty"`
	Purpose     string                         `json:"purpose,omitempty"`
	Exemption   string                         `json:"exemption,omitempty"`
	Screened    *tradeplan.HSAssignment        `json:"screened_hs,omitempty"`
	Verdict     *tradeplan.Verdict             `json:"verdict,omitempty"`
	Findings    []FindingView                  `json:"findings"`
	Status      string                         `json:"status"` // pending, approved, refused
	Decision    *tradeplan.LineDecision        `json:"decision,omitempty"`
	Compliance  []tradeplan.ComplianceDecision `json:"compliance"`
	Needs       []string                       `json:"needs"` // what stands between a pending line and approval
	// Permit is the permit an approved line became, with approval and the
	// border shown apart.
	Permit *PermitBrief `json:"permit,omitempty"`

	// Date is the line's own date as written (a shipment date), never the
	// day the rules were read at: RulesAsOf is.
	Date      string `json:"date,omitempty"`
	RulesAsOf string `json:"rules_as_of,omitempty"`

	Feasibility *LineFeasibility `json:"feasibility,omitempty"` // export lines: sites_assess.go
}

// PermitBrief is a permit as a plan's line shows it.
type PermitBrief struct {
	ID         int64                  `json:"id"`
	Number     string                 `json:"number"`
	Status     tradeplan.PermitStatus `json:"status"` // effective now
	Approved   bool                   `json:"approved"`
	Crossing   string                 `json:"crossing"`
	BorderOpen bool                   `json:"border_open"`
	Usable     bool                   `json:"usable"`
	Reason     string                 `json:"reason,omitempty"`
}

func briefOf(v PermitView) *PermitBrief {
	return &PermitBrief{ID: v.ID, Number: v.Number, Status: v.Effective, Approved: v.Approved, Crossing: v.Crossing,
		BorderOpen: v.BorderOpen, Usable: v.Usable, Reason: v.Reason}
}

// ViewLine builds the view of one line.
func ViewLine(st LineState) LineView {
	l := st.Line
	v := LineView{
		Index: l.Index, Direction: l.Direction, Description: l.Description, ApplicantHS: l.HS,
		Origin: l.Origin, Destination: l.Destination, Quantity: l.Quantity, Unit: l.Unit,
		Value: l.Value, Currency: l.Currency, Partner: l.Partner, Vessel: l.Vessel, Crossing: l.Crossing,
		Necessity: l.Necessity, Purpose: l.Purpose, Exemption: l.Exemption,
		Findings: []FindingView{}, Status: st.Status(), Decision: st.Decision,
		Compliance: st.Compliance, Needs: []string{},
	}
	if v.Compliance == nil {
		v.Compliance = []tradeplan.ComplianceDecision{}
	}
	if !l.Date.IsZero() {
		v.Date = l.Date.Format(time.DateOnly)
	}
	v.RulesAsOf = st.RulesAsOf
	if st.Assessment != nil {
		v.AssessedHS, v.Assessment = st.Assessment.HS, st.Assessment
	}
	if st.Report != nil {
		hs := st.Report.HS
		verdict := st.Verdict()
		v.Screened, v.Verdict = &hs, &verdict
		for i, f := range st.Report.Findings {
			v.Findings = append(v.Findings, FindingView{Key: FindingKey(st.Report.Findings, i), Finding: f})
		}
	}
	if st.Decision == nil {
		if n := st.Needs(); n != nil {
			v.Needs = n
		}
	}
	return v
}

// PlanDetail is a plan with one version's lines and their state.
type PlanDetail struct {
	Plan       tradeplan.PlanRecord `json:"plan"`
	CallStatus string               `json:"call_status"`
	Version    int                  `json:"version"`
	Versions   []int                `json:"versions"`
	Country    string               `json:"country,omitempty"`
	Period     string               `json:"period"`
	Summary    *tradeplan.Summary   `json:"summary,omitempty"`
	AsOf       string               `json:"as_of,omitempty"`
	// Lists and Notices are the stored report's: the sanctions lists its
	// partners were screened against, and what it could not check.
	Lists   []tradeplan.ListVersion `json:"lists,omitempty"`
	Notices []string                `json:"notices,omitempty"`
	Diff    *tradeplan.PlanDiff     `json:"diff,omitempty"`
	Reason  string                  `json:"reason,omitempty"`
	Lines   []LineView              `json:"lines"`
	// Feasibility says which site file version the export lines'
	// feasibility blocks were computed against (sites_assess.go).
	Feasibility *PlanFeasibility `json:"feasibility,omitempty"`
}

// lineStates assembles the lines of a version with their records.
func lineStates(ctx context.Context, tx Tx, v tradeplan.PlanVersion) ([]LineState, error) {
	ds, err := tx.Decisions(ctx, v.PlanID, v.Version)
	if err != nil {
		return nil, err
	}
	as, err := tx.Assessments(ctx, v.PlanID, v.Version)
	if err != nil {
		return nil, err
	}
	cs, err := tx.ComplianceDecisions(ctx, v.PlanID, v.Version)
	if err != nil {
		return nil, err
	}
	return lineStatesOf(v, ds, as, cs), nil
}

// lineStatesOf puts together the state of each line of v from its
// decisions, assessments and compliance decisions.
func lineStatesOf(v tradeplan.PlanVersion, ds []tradeplan.LineDecision, as []tradeplan.LineAssessment, cs []tradeplan.ComplianceDecision) []LineState {
	out := make([]LineState, len(v.Plan.Lines))
	for i, l := range v.Plan.Lines {
		l.Index = i + 1
		out[i].Line = l
		if v.Report != nil {
			out[i].RulesAsOf = v.Report.AsOf
		}
		if v.Report != nil && i < len(v.Report.Lines) {
			r := v.Report.Lines[i]
			out[i].Report = &r
		}
	}
	for _, d := range ds {
		if d.Line >= 1 && d.Line <= len(out) {
			d := d
			out[d.Line-1].Decision = &d
		}
	}
	for _, x := range as {
		if x.Line >= 1 && x.Line <= len(out) {
			x := x
			out[x.Line-1].Assessment = &x
		}
	}
	for _, c := range cs {
		if c.Line >= 1 && c.Line <= len(out) {
			out[c.Line-1].Compliance = append(out[c.Line-1].Compliance, c)
		}
	}
	return out
}

// Plan shows a plan: version 0 is the current one.
func (s *Service) Plan(ctx context.Context, a tradeplan.Actor, id int64, version int) (PlanDetail, error) {
	var d PlanDetail
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		rec, err := loadPlan(ctx, tx, a, id)
		if err != nil {
			return err
		}
		c, err := tx.Call(ctx, rec.CallID)
		if err != nil {
			return err
		}
		if version == 0 {
			version = rec.Version
		}
		if version < 1 || version > rec.Version {
			return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no version %d (versions 1 to %d)", id, version, rec.Version)
		}
		v, err := tx.PlanVersion(ctx, id, version)
		if err != nil {
			return err
		}
		sts, err := lineStates(ctx, tx, v)
		if err != nil {
			return err
		}
		d = PlanDetail{Plan: rec, CallStatus: CallStatus(c, s.now()), Version: version, Country: v.Plan.Country,
			Period: c.Period, Diff: v.Diff, Reason: v.Reason, Lines: make([]LineView, len(sts))}
		for i := 1; i <= rec.Version; i++ {
			d.Versions = append(d.Versions, i)
		}
		if v.Report != nil {
			sum := v.Report.Summary
			d.Summary, d.AsOf = &sum, v.Report.AsOf
			d.Lists, d.Notices = v.Report.Lists, v.Report.Notices
		}
		permits, err := tx.Permits(ctx, PermitFilter{PlanID: id})
		if err != nil {
			return err
		}
		var cm map[string]tradeplan.Crossing
		if len(permits) > 0 {
			if cm, err = s.crossingMap(ctx, tx); err != nil {
				return err
			}
		}
		byID := map[int64]tradeplan.Permit{}
		for _, p := range permits {
			byID[p.ID] = p
		}
		now := s.now()
		for i, st := range sts {
			d.Lines[i] = ViewLine(st)
			if st.Decision != nil && st.Decision.PermitID != 0 {
				if p, ok := byID[st.Decision.PermitID]; ok {
					d.Lines[i].Permit = briefOf(viewPermit(p, cm, now))
				}
			}
		}
		return attachFeasibility(ctx, tx, &d, rec.Organisation, c, v)
	})
	return d, err
}

// PlanDiff compares two versions of a plan.
func (s *Service) PlanDiff(ctx context.Context, a tradeplan.Actor, id int64, from, to int) (tradeplan.PlanDiff, error) {
	var d tradeplan.PlanDiff
	err := s.store.View(ctx, func(ctx context.Context, tx Tx) error {
		rec, err := loadPlan(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if to == 0 {
			to = rec.Version
		}
		if from == 0 {
			from = to - 1
		}
		for _, n := range []int{from, to} {
			if n < 1 || n > rec.Version {
				return tradeplan.Errorf(tradeplan.ENotFound, "plan %d has no version %d (versions 1 to %d)", id, n, rec.Version)
			}
		}
		a, err := tx.PlanVersion(ctx, id, from)
		if err != nil {
			return err
		}
		b, err := tx.PlanVersion(ctx, id, to)
		if err != nil {
			return err
		}
		d = Diff(a.Plan, b.Plan, from, to)
		return nil
	})
	return d, err
}
