package razorpay

// The oracle of the lenient decoder: the reflective slow path that decoded
// quirky bodies before the one-pass decoder (decode.go at the commit before
// issue 13), frozen here unchanged but for its names. It decodes into
// plainType mirrors of the entities (the same fields without methods), so
// that the entities' own UnmarshalJSON does not take part.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// decode is decodeJSON, and also reports whether it had to take the slow
// path (tests check that well-formed bodies never do).
func oracleDecode(data []byte, out any) (slow bool, err error) {
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		oracleReset(out)
		return false, errOracleNotObject
	}
	err = json.Unmarshal(data, out)
	var typeErr *json.UnmarshalTypeError
	if err == nil || !errors.As(err, &typeErr) {
		if err != nil {
			oracleReset(out)
		}
		return false, err
	}
	if err := oracleLoose(data, out); err != nil {
		oracleReset(out)
		return true, err
	}
	return true, nil
}

var errOracleNotObject = errors.New("razorpay: want a JSON object")

// oracleLoose is the slow path of decodeJSON.
func oracleLoose(data []byte, out any) error {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("razorpay: decode into non-pointer %T", out)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return err
	}
	tree = oracleCoerce(tree, rv.Type().Elem(), "")
	fixed, err := json.Marshal(tree)
	if err != nil {
		return err
	}
	rv.Elem().SetZero()
	return json.Unmarshal(fixed, out)
}

func oracleReset(out any) {
	if rv := reflect.ValueOf(out); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero()
	}
}

var oracleUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// coerce returns v (a tree from a json.Decoder with UseNumber) converted, where
// the JSON type disagrees with t, to a value that encoding/json decodes into
// t: numbers and booleans into strings, numeric strings and booleans into
// integers, 0/1 and "true"/"false" into booleans, and an empty array or
// object into an empty struct, map or slice. key is the JSON key v stood
// under. A value that cannot be coerced is returned unchanged, so that the
// final decode reports it.
func oracleCoerce(v any, t reflect.Type, key string) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil || reflect.PointerTo(t).Implements(oracleUnmarshalerType) {
		return v
	}
	switch t.Kind() {
	case reflect.Struct:
		switch x := v.(type) {
		case map[string]any:
			oracleCoerceFields(x, t)
			return x
		case []any:
			if len(x) == 0 {
				return nil
			}
		}
	case reflect.Map:
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = oracleCoerce(e, t.Elem(), k)
			}
			return x
		case []any:
			if len(x) == 0 {
				return nil
			}
		}
	case reflect.Slice:
		switch x := v.(type) {
		case []any:
			for i, e := range x {
				x[i] = oracleCoerce(e, t.Elem(), key)
			}
			return x
		case map[string]any:
			if len(x) == 0 {
				return nil
			}
		}
	case reflect.String:
		switch x := v.(type) {
		case json.Number:
			if key == "last4" && len(x) < 4 && oracleIsDigits(string(x)) {
				return strings.Repeat("0", 4-len(x)) + string(x)
			}
			return string(x)
		case bool:
			return strconv.FormatBool(x)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		switch x := v.(type) {
		case string:
			s := strings.TrimSpace(x)
			if s == "" {
				return nil
			}
			if n, ok := oracleIntegral(s); ok {
				return n
			}
		case json.Number:
			if n, ok := oracleIntegral(string(x)); ok {
				return n
			}
		case bool:
			if x {
				return json.Number("1")
			}
			return json.Number("0")
		}
	case reflect.Float32, reflect.Float64:
		if x, ok := v.(string); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
				return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
			}
		}
	case reflect.Bool:
		switch x := v.(type) {
		case json.Number:
			if f, err := x.Float64(); err == nil {
				return f != 0
			}
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "1", "true", "yes":
				return true
			case "0", "false", "no", "":
				return false
			}
		}
	}
	return v
}

// oracleCoerceFields coerces every member of the JSON object m that maps to a
// field of the struct type t, matching keys the way encoding/json does
// (exact name first, then case-insensitively).
func oracleCoerceFields(m map[string]any, t reflect.Type) {
	fields := oracleJSONFields(t)
	for k, e := range m {
		f, ok := fields[k]
		if !ok {
			for name, ft := range fields {
				if strings.EqualFold(name, k) {
					f, ok = ft, true
					break
				}
			}
		}
		if ok {
			m[k] = oracleCoerce(e, f, k)
		}
	}
}

// oracleJSONFields maps the JSON names of t's fields to their types, following
// embedded structs as encoding/json does.
func oracleJSONFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft)
					continue
				}
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if _, dup := fields[name]; !dup {
				fields[name] = f.Type
			}
		}
	}
	walk(t)
	return fields
}

// integral returns s as a JSON integer if it is one, or a number with only
// zeros after the decimal point ("12.0", "1e3").
func oracleIntegral(s string) (json.Number, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return json.Number(strconv.FormatInt(n, 10)), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return "", false
	}
	return json.Number(strconv.FormatInt(int64(f), 10)), true
}

func oracleIsDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
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
