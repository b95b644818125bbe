package store

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// fill sets every exported field reachable from v to something not zero:
// pointers to new values, slices and maps of two elements, so that a field
// added to the plan version's types later is covered too.
func fill(v reflect.Value, depth int) {
	if depth > 12 || !v.CanSet() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(depth + 1))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(depth + 1))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1.5)
	case reflect.Pointer:
		n := reflect.New(v.Type().Elem())
		fill(n.Elem(), depth+1)
		v.Set(n)
	case reflect.Slice:
		n := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(n.Index(i), depth+1)
		}
		v.Set(n)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		n := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		fill(e, depth+1)
		n.SetMapIndex(k, e)
		v.Set(n)
	case reflect.Struct:
		if v.Type() == timeType {
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	}
}

// shared reports the path of a pointer, slice or map that a and b share
// (unexported fields too).
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer, reflect.Map:
		if a.IsNil() || b.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		if a.Kind() == reflect.Map {
			it := a.MapRange()
			for it.Next() {
				if p := shared(it.Value(), b.MapIndex(it.Key()), path+"[key]"); p != "" {
					return p
				}
			}
			return ""
		}
		return shared(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() == 0 {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		for i := range a.Len() {
			if p := shared(a.Index(i), b.Index(i), path+"[i]"); p != "" {
				return p
			}
		}
	case reflect.Interface:
		if !a.IsNil() && !b.IsNil() {
			return shared(a.Elem(), b.Elem(), path)
		}
	case reflect.Array:
		for i := range a.Len() {
			if p := shared(a.Index(i), b.Index(i), path+"[i]"); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
				return p
			}
		}
	}
	return ""
}

// TestVersionCloneSharesNothing: what the memo hands out shares no
// pointer, slice or map with what it keeps, for every field of the plan
// version's types as they are now (filled by reflection), and for a
// decoded version with figures (decimals) of the most digits allowed.
func TestVersionCloneSharesNothing(t *testing.T) {
	var src tradeplan.PlanVersion
	fill(reflect.ValueOf(&src).Elem(), 0)
	if src.Report == nil || len(src.Report.Lines) != 2 || src.Report.Lines[0].Findings[0].Basis == nil || src.Plan.Lines[0].Partner == nil {
		t.Fatalf("fill left parts out: %+v", src)
	}
	var dst tradeplan.PlanVersion
	cloneDecoded(&dst, &src)
	if !reflect.DeepEqual(dst.Plan, src.Plan) || !reflect.DeepEqual(dst.Report, src.Report) || !reflect.DeepEqual(dst.Diff, src.Diff) {
		t.Fatal("the copy differs from the original")
	}
	if p := shared(reflect.ValueOf(dst), reflect.ValueOf(src), "version"); p != "" {
		t.Fatalf("the copy shares %s with what the memo keeps", p)
	}

	var big tradeplan.PlanVersion
	doc := `{"Lines":[{"Quantity":999999999999999.999999,"Value":-999999999999999.999999}]}`
	rep := `{"lines":[{"quantity":999999999999999.999999,"findings":[{"cap":{"limit":999999999999999.999999,"used":1}}]}]}`
	if err := json.Unmarshal([]byte(doc), &big.Plan); err != nil {
		t.Fatal(err)
	}
	big.Report = new(tradeplan.PlanReport)
	if err := json.Unmarshal([]byte(rep), big.Report); err != nil {
		t.Fatal(err)
	}
	var cp tradeplan.PlanVersion
	cloneDecoded(&cp, &big)
	if p := shared(reflect.ValueOf(cp), reflect.ValueOf(big), "version"); p != "" {
		t.Fatalf("the copy of the largest figures shares %s", p)
	}
	if !reflect.DeepEqual(cp.Plan, big.Plan) || cp.Plan.Lines[0].Quantity.String() != "999999999999999.999999" {
		t.Fatalf("the copy of the largest figures differs: %v", cp.Plan.Lines[0].Quantity)
	}
}
