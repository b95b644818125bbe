package store

import (
	"container/list"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
)

// Decoding the JSON of a plan version is most of the CPU of a read that
// computes a call's report (100 versions: some 40 ms). A version's row is
// not immutable (a draft is edited in place, submission adds the report,
// assessing a line rewrites the report of the current version), so the
// memo keeps, per (plan, version), the stored text it decoded beside the
// decoded form, and gives the decoded form only for the very same text.
// A read still fetches the text: the memo saves the decoding, never the
// query, so it cannot answer with what another transaction, another
// server or a rolled-back write left, nor with a row the reader's query
// did not return.

// Bounds of the memo: the stored text it keeps (the decoded form takes
// about as much again, see docs/storage.md) and the number of versions.
// Beyond either, the versions read longest ago are dropped.
const (
	maxMemoText     = 24 << 20
	maxMemoVersions = 8192
)

type versionKey struct {
	plan    int64
	version int
}

type memoEntry struct {
	key                versionKey
	plan, report, diff sql.NullString
	// dec holds the decoded Plan, Report and Diff; never handed out, only
	// copies of it (cloneDecoded).
	dec  tradeplan.PlanVersion
	size int
}

// versionMemo is safe for concurrent use; its zero value is empty.
type versionMemo struct {
	mu   sync.Mutex
	m    map[versionKey]*list.Element
	lru  list.List // front: used last
	text int
	// hits and misses count decodings saved and done (tests).
	hits, misses int64
	// maxText and maxVersions replace the bounds when not 0 (tests).
	maxText, maxVersions int
}

func (vm *versionMemo) bounds() (text, versions int) {
	text, versions = maxMemoText, maxMemoVersions
	if vm.maxText > 0 {
		text = vm.maxText
	}
	if vm.maxVersions > 0 {
		versions = vm.maxVersions
	}
	return text, versions
}

// decode sets v's Plan, Report and Diff from their stored text, from the
// memo when it holds the same text for the version.
func (vm *versionMemo) decode(v *tradeplan.PlanVersion, plan, report, diff sql.NullString) error {
	k := versionKey{v.PlanID, v.Version}
	vm.mu.Lock()
	if el, ok := vm.m[k]; ok {
		e := el.Value.(*memoEntry)
		if e.plan == plan && e.report == report && e.diff == diff {
			vm.lru.MoveToFront(el)
			vm.hits++
			vm.mu.Unlock()
			cloneDecoded(v, &e.dec)
			return nil
		}
	}
	vm.misses++
	vm.mu.Unlock()

	if err := json.Unmarshal([]byte(plan.String), &v.Plan); err != nil {
		return fmt.Errorf("plan %d version %d: %w", v.PlanID, v.Version, err)
	}
	if report.Valid {
		v.Report = new(tradeplan.PlanReport)
		if err := json.Unmarshal([]byte(report.String), v.Report); err != nil {
			return fmt.Errorf("plan %d version %d report: %w", v.PlanID, v.Version, err)
		}
	}
	if diff.Valid {
		v.Diff = new(tradeplan.PlanDiff)
		if err := json.Unmarshal([]byte(diff.String), v.Diff); err != nil {
			return fmt.Errorf("plan %d version %d diff: %w", v.PlanID, v.Version, err)
		}
	}
	e := &memoEntry{key: k, plan: plan, report: report, diff: diff, size: len(plan.String) + len(report.String) + len(diff.String)}
	maxText, maxVersions := vm.bounds()
	if e.size > maxText/4 {
		return nil // one version would crowd out the rest
	}
	cloneDecoded(&e.dec, v)
	vm.mu.Lock()
	defer vm.mu.Unlock()
	if vm.m == nil {
		vm.m = map[versionKey]*list.Element{}
	}
	if el, ok := vm.m[k]; ok {
		vm.text -= el.Value.(*memoEntry).size
		vm.lru.Remove(el)
	}
	vm.m[k] = vm.lru.PushFront(e)
	vm.text += e.size
	for vm.text > maxText || vm.lru.Len() > maxVersions {
		old := vm.lru.Back()
		oe := old.Value.(*memoEntry)
		vm.lru.Remove(old)
		delete(vm.m, oe.key)
		vm.text -= oe.size
	}
	return nil
}

// cloneDecoded sets dst's Plan, Report and Diff to copies of src's that
// share no memory a caller could change (strings aside, which cannot be).
// The lines, line reports, findings and candidates, most of a version,
// are copied by hand; the rest by deepCopy.
func cloneDecoded(dst, src *tradeplan.PlanVersion) {
	dst.Plan = src.Plan
	dst.Plan.Lines = cloneLines(src.Plan.Lines)
	dst.Report, dst.Diff = nil, nil
	if r := src.Report; r != nil {
		c := *r
		c.Lists = cloneSlice(r.Lists)
		c.Notices = cloneSlice(r.Notices)
		c.Lines = cloneLineReports(r.Lines)
		dst.Report = &c
	}
	if src.Diff != nil {
		dst.Diff = clonePtr(src.Diff)
	}
}

func cloneLines(ls []tradeplan.Line) []tradeplan.Line {
	if ls == nil {
		return nil
	}
	out := make([]tradeplan.Line, len(ls))
	for i := range ls {
		l := ls[i]
		l.Partner, l.Vessel, l.Source = clonePtr(l.Partner), clonePtr(l.Vessel), clonePtr(l.Source)
		out[i] = l
	}
	return out
}

func cloneLineReports(ls []tradeplan.LineReport) []tradeplan.LineReport {
	if ls == nil {
		return nil
	}
	out := make([]tradeplan.LineReport, len(ls))
	for i := range ls {
		l := ls[i]
		l.Partner, l.Vessel, l.Feasibility = clonePtr(l.Partner), clonePtr(l.Vessel), clonePtr(l.Feasibility)
		if l.HS.Candidates != nil {
			l.HS.Candidates = make([]tradeplan.Candidate, len(ls[i].HS.Candidates))
			for j, c := range ls[i].HS.Candidates {
				c.Evidence = cloneSlice(c.Evidence)
				l.HS.Candidates[j] = c
			}
		}
		if l.Findings != nil {
			l.Findings = make([]tradeplan.Finding, len(ls[i].Findings))
			for j, f := range ls[i].Findings {
				f.Basis, f.Cap, f.Match = clonePtr(f.Basis), clonePtr(f.Cap), clonePtr(f.Match)
				f.Notes, f.Missing = cloneSlice(f.Notes), cloneSlice(f.Missing)
				l.Findings[j] = f
			}
		}
		out[i] = l
	}
	return out
}

// clonePtr copies *p: by assignment when T holds no pointer, slice or map
// a caller could change, else by deepCopy.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	if needsDeep(reflect.TypeFor[T]()) {
		return deepCopy(reflect.ValueOf(p)).Interface().(*T)
	}
	c := *p
	return &c
}

// cloneSlice copies s, its elements as clonePtr does.
func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	if needsDeep(reflect.TypeFor[T]()) {
		return deepCopy(reflect.ValueOf(s)).Interface().([]T)
	}
	return append(make([]T, 0, len(s)), s...)
}

// deepCopy copies v, following every exported pointer, slice and map.
// A struct is first copied whole, so unexported fields are copied by
// value: tradeplan.Decimal keeps its digits inline (at most 21 of them,
// tradeplan.MaxIntDigits + MaxPlaces), time.Time only a *Location, which
// is never changed; TestVersionCloneSharesNothing checks every pointer.
func deepCopy(v reflect.Value) reflect.Value {
	t := v.Type()
	if !needsDeep(t) {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t.Elem())
		n.Elem().Set(deepCopy(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(t, v.Len(), v.Len())
		if !needsDeep(t.Elem()) {
			reflect.Copy(n, v)
			return n
		}
		for i := range v.Len() {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Array:
		n := reflect.New(t).Elem()
		for i := range v.Len() {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(t, v.Len())
		it := v.MapRange()
		for it.Next() {
			n.SetMapIndex(deepCopy(it.Key()), deepCopy(it.Value()))
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(t).Elem()
		n.Set(deepCopy(v.Elem()))
		return n
	case reflect.Struct:
		n := reflect.New(t).Elem()
		n.Set(v)
		for _, i := range deepFields(t) {
			n.Field(i).Set(deepCopy(v.Field(i)))
		}
		return n
	}
	return v
}

var timeType = reflect.TypeFor[time.Time]()

// deepInfo caches, per type, whether a copy must go deeper than a plain
// assignment and which fields of a struct must.
var deepInfo sync.Map // reflect.Type -> []int (struct fields) or bool

func needsDeep(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	case reflect.Array:
		return needsDeep(t.Elem())
	case reflect.Struct:
		return len(deepFields(t)) > 0
	}
	return false
}

func deepFields(t reflect.Type) []int {
	if f, ok := deepInfo.Load(t); ok {
		return f.([]int)
	}
	out := []int{}
	if t != timeType {
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && needsDeep(f.Type) {
				out = append(out, i)
			}
		}
	}
	deepInfo.Store(t, out)
	return out
}
