package razorpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Lenient decoding of Razorpay's JSON, in one place.
//
// The live API does not always send the types it documents: numbers as
// strings ("expiry_month": "2"), strings as numbers ("last4": 1111,
// "contact": 9876543210), booleans as 0/1 or null, notes as [] when empty.
// Every entity must still decode into its documented Go type without losing
// the value, and well-formed bodies must decode at the speed of plain
// encoding/json.
//
// So every entity decodes with the one-pass lenient decoder of lenient.go
// (its fields are listed in unmarshal.go), which takes each quirk where it
// stands: a quirk costs one field, not a second pass over the body. The same
// decoder serves json.Unmarshal, through each entity's UnmarshalJSON.
//
// The few other shapes the SDK reads (error bodies, {"deleted": true}) go
// through decodeGeneric: plain json.Unmarshal, and only when that fails with
// a *json.UnmarshalTypeError, the reflective slow path (decodeLoose), which
// reads the body into a generic tree, coerces every value whose JSON type
// disagrees with its Go field (see coerce) and decodes the tree again. That
// path is refused for bodies over maxLooseBytes.

// maxLooseBytes is the largest body the reflective slow path re-decodes
// (about 30 times its size in memory); larger bodies that need it are an
// error. Entities never take that path.
const maxLooseBytes = 1 << 20

// decodeJSON decodes a JSON body into out (a non-nil pointer), leniently.
// It never leaves a partial value: on error *out is reset to its zero value.
func decodeJSON(data []byte, out any) error {
	_, err := decode(data, out)
	return err
}

// decode is decodeJSON, and also reports whether it had to take the
// reflective slow path (tests check that entities never do).
func decode(data []byte, out any) (slow bool, err error) {
	if !isObject(data) {
		resetValue(out)
		return false, errNotObject
	}
	if f, ok := out.(fielder); ok {
		resetValue(out)
		if err := unmarshalEntity(data, f); err != nil {
			resetValue(out)
			return false, err
		}
		return false, nil
	}
	return decodeGeneric(data, out, maxLooseBytes)
}

// isObject reports whether data starts with '{', after white space.
func isObject(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// decodeGeneric decodes into a type that is not an entity: plain
// json.Unmarshal, then, on a type error, the slow path for a body of at most
// maxLoose bytes (maxLooseBytes but in the tests' oracle).
func decodeGeneric(data []byte, out any, maxLoose int) (slow bool, err error) {
	err = json.Unmarshal(data, out)
	var typeErr *json.UnmarshalTypeError
	if err == nil || !errors.As(err, &typeErr) {
		if err != nil {
			resetValue(out)
		}
		return false, err
	}
	if len(data) > maxLoose {
		resetValue(out)
		return true, fmt.Errorf("razorpay: %w, and a body of %d bytes is over the %d bytes that lenient re-decoding accepts", err, len(data), maxLoose)
	}
	if err := decodeLoose(data, out); err != nil {
		resetValue(out)
		return true, err
	}
	return true, nil
}

var errNotObject = errors.New("razorpay: want a JSON object")

// decodeLoose is the slow path of decodeJSON.
func decodeLoose(data []byte, out any) error {
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
	tree = coerce(tree, rv.Type().Elem(), "")
	fixed, err := json.Marshal(tree)
	if err != nil {
		return err
	}
	rv.Elem().SetZero()
	return json.Unmarshal(fixed, out)
}

func resetValue(out any) {
	if rv := reflect.ValueOf(out); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero()
	}
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// coerce returns v (a tree from a json.Decoder with UseNumber) converted, where
// the JSON type disagrees with t, to a value that encoding/json decodes into
// t: numbers and booleans into strings, numeric strings and booleans into
// integers, 0/1 and "true"/"false" into booleans, and an empty array or
// object into an empty struct, map or slice. key is the JSON key v stood
// under. A value that cannot be coerced is returned unchanged, so that the
// final decode reports it.
func coerce(v any, t reflect.Type, key string) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil || reflect.PointerTo(t).Implements(unmarshalerType) {
		return v
	}
	switch t.Kind() {
	case reflect.Struct:
		switch x := v.(type) {
		case map[string]any:
			coerceFields(x, t)
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
				x[k] = coerce(e, t.Elem(), k)
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
				x[i] = coerce(e, t.Elem(), key)
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
			if key == "last4" && len(x) < 4 && isDigits(string(x)) {
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
			if n, ok := integral(s); ok {
				return n
			}
		case json.Number:
			if n, ok := integral(string(x)); ok {
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

// coerceFields coerces every member of the JSON object m that maps to a
// field of the struct type t, matching keys the way encoding/json does
// (exact name first, then case-insensitively).
func coerceFields(m map[string]any, t reflect.Type) {
	fields := jsonFields(t)
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
			m[k] = coerce(e, f, k)
		}
	}
}

// jsonFields maps the JSON names of t's fields to their types, following
// embedded structs as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
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
func integral(s string) (json.Number, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return json.Number(strconv.FormatInt(n, 10)), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return "", false
	}
	return json.Number(strconv.FormatInt(int64(f), 10)), true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
