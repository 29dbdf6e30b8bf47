package razorpay

// The oracle of the lenient decoder: the reflective slow path that decoded
// quirky bodies before the one-pass decoder of issue 13. It is still in the
// package for the shapes that are not entities (decodeGeneric, decodeLoose
// and coerce in decode.go), and the oracle calls it directly on plainType
// mirrors of the entities (the same fields without methods), so that the
// entities' own UnmarshalJSON and the one-pass decoder take no part.

import (
	"fmt"
	"math"
	"reflect"
	"sync"
)

// oracleDecode decodes data into out, a plainType mirror, as decodeJSON did
// before issue 13, and reports whether it took the slow path. Unlike
// decodeJSON today, it puts no cap on the size of a body the slow path
// re-decodes (the decoder before issue 13 had none).
func oracleDecode(data []byte, out any) (slow bool, err error) {
	if _, ok := out.(fielder); ok {
		return false, fmt.Errorf("oracleDecode into %T, an entity: give it a plainType mirror", out)
	}
	if !isObject(data) {
		resetValue(out)
		return false, errNotObject
	}
	return decodeGeneric(data, out, math.MaxInt)
}

var plainTypes sync.Map // plainKey → reflect.Type

type plainKey struct {
	t          reflect.Type
	notesAsMap bool
}

// plainType returns a type with the JSON shape of t and no methods: every
// struct type (entities, List[T]) becomes an unnamed struct with the same
// fields and tags, recursively. Notes stay Notes (their rules are the same
// for both decoders) unless notesAsMap, which makes them map[string]string,
// the plainest encoding/json of all.
func plainType(t reflect.Type, notesAsMap bool) reflect.Type {
	k := plainKey{t, notesAsMap}
	if p, ok := plainTypes.Load(k); ok {
		return p.(reflect.Type)
	}
	var p reflect.Type
	switch {
	case t == reflect.TypeFor[Notes]():
		p = t
		if notesAsMap {
			p = reflect.TypeFor[map[string]string]()
		}
	case t.Kind() == reflect.Pointer:
		p = reflect.PointerTo(plainType(t.Elem(), notesAsMap))
	case t.Kind() == reflect.Slice:
		p = reflect.SliceOf(plainType(t.Elem(), notesAsMap))
	case t.Kind() == reflect.Struct:
		fields := make([]reflect.StructField, 0, t.NumField())
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fields = append(fields, reflect.StructField{Name: f.Name, Type: plainType(f.Type, notesAsMap), Tag: f.Tag})
		}
		p = reflect.StructOf(fields)
	default:
		p = t
	}
	plainTypes.Store(k, p)
	return p
}
