package razorpay

// The package's reflection, in one place: the tag-driven encoder of query
// params, and the Go types the lenient lexer's type errors name (which
// *json.UnmarshalTypeError carries as a reflect.Type). Decoding itself goes
// through generated field tables (decode_gen.go), without reflection.

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Query params are structs whose fields carry `url` tags, encoded by
// encodeQuery, the one query encoder:
//
//	Count   int      `url:"count,omitempty"`     // count=10
//	Receipt string   `url:"receipt,omitempty"`   // receipt=bill-1
//	Expand  []string `url:"expand[],omitempty"`  // expand[]=payments&expand[]=payments.card
//	Authorized *bool `url:"authorized,omitempty"` // authorized=1 or authorized=0
//	MaxPages int     `url:"-"`                   // never sent
//
// The tag's name is the key as sent. With omitempty a zero string, number or
// bool is not sent; without it, it is sent as "", 0 or 0. A nil pointer is
// never sent and a set one always is, zero or not: that is what pointers are
// for. A slice sends its key once per element, in order (none for an empty
// slice). Booleans go out as 1 and 0. A struct embedded without a tag lends
// its fields, as in encoding/json (a field of the outer struct hides an
// embedded one of the same name). Every other exported field needs a tag, so
// that a field added without one fails loudly instead of going out
// unnoticed; unexported fields are skipped. Supported types: strings, signed
// and unsigned integers, bools (named types too), pointers to them, and
// slices of strings.

// queryKind is how a field's value is written.
type queryKind uint8

const (
	queryString queryKind = iota
	queryInt
	queryUint
	queryBool
	queryStrings // a slice of strings: the key once per element
)

// queryField is one key of a params type.
type queryField struct {
	index     []int  // the field, through the embedded structs that hold it
	key       string // the key as sent, before escaping
	prefix    string // the escaped key and "=", as written
	depth     int    // how many embedded structs deep the field is
	kind      queryKind
	ptr       bool // the field is a pointer to its kind: nil is not sent
	omitEmpty bool
}

// queryCodec is the field table of one params type, or why it has none.
type queryCodec struct {
	fields []queryField // sorted by key, as url.Values.Encode sorts
	err    error
}

// queryCodecs caches each params type's codec. Every entry is a function of
// its type alone, the same whichever call builds it first, so sharing the
// cache between clients shares no state.
var queryCodecs sync.Map // reflect.Type -> *queryCodec

// encodeQuery returns the URL-encoded query of the params struct that
// params points to: "" for nil (or a nil pointer), keys in sorted order,
// exactly as url.Values.Encode would write the same pairs. It allocates the
// returned string only. The error says which field of which type cannot be
// encoded: a programming error, reported before any I/O.
func encodeQuery(params any) (string, error) {
	if params == nil {
		return "", nil
	}
	v := reflect.ValueOf(params)
	if v.Kind() != reflect.Pointer || v.Type().Elem().Kind() != reflect.Struct {
		return "", fmt.Errorf("query params must be a pointer to a struct, not %s", v.Type())
	}
	if v.IsNil() {
		return "", nil
	}
	v = v.Elem()
	c := queryCodecOf(v.Type())
	if c.err != nil {
		return "", c.err
	}
	var arr [256]byte
	b := arr[:0]
	for i := range c.fields {
		f := &c.fields[i]
		fv := v.FieldByIndex(f.index)
		if f.ptr {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		omit := f.omitEmpty && !f.ptr
		switch f.kind {
		case queryString:
			s := fv.String()
			if omit && s == "" {
				continue
			}
			b = appendQueryValue(appendQueryKey(b, f.prefix), s)
		case queryInt:
			n := fv.Int()
			if omit && n == 0 {
				continue
			}
			b = strconv.AppendInt(appendQueryKey(b, f.prefix), n, 10)
		case queryUint:
			n := fv.Uint()
			if omit && n == 0 {
				continue
			}
			b = strconv.AppendUint(appendQueryKey(b, f.prefix), n, 10)
		case queryBool:
			t := fv.Bool()
			if omit && !t {
				continue
			}
			b = appendQueryKey(b, f.prefix)
			if t {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		case queryStrings:
			for j := range fv.Len() {
				b = appendQueryValue(appendQueryKey(b, f.prefix), fv.Index(j).String())
			}
		}
	}
	return string(b), nil
}

// appendQueryKey appends "&" (but before the first pair) and the escaped key
// with its "=".
func appendQueryKey(b []byte, prefix string) []byte {
	if len(b) > 0 {
		b = append(b, '&')
	}
	return append(b, prefix...)
}

// appendQueryValue appends s escaped as url.QueryEscape escapes it: letters,
// digits and -_.~ stay, a space becomes +, every other byte %XX.
func appendQueryValue(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// queryCodecOf returns the cached codec of struct type t, building it on
// first use.
func queryCodecOf(t reflect.Type) *queryCodec {
	if c, ok := queryCodecs.Load(t); ok {
		return c.(*queryCodec)
	}
	c, _ := queryCodecs.LoadOrStore(t, newQueryCodec(t))
	return c.(*queryCodec)
}

// newQueryCodec reads the tags of struct type t into its field table.
func newQueryCodec(t reflect.Type) *queryCodec {
	var fields []queryField
	if err := addQueryFields(&fields, t, nil); err != nil {
		return &queryCodec{err: fmt.Errorf("query params %s: %w", t, err)}
	}
	// By key, the shallowest first: it hides the deeper ones of its key.
	slices.SortStableFunc(fields, func(a, b queryField) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return a.depth - b.depth
	})
	kept := fields[:0]
	for i, f := range fields {
		if i > 0 && f.key == fields[i-1].key {
			if f.depth == fields[i-1].depth {
				return &queryCodec{err: fmt.Errorf("query params %s: two fields are sent as %q", t, f.key)}
			}
			continue
		}
		kept = append(kept, f)
	}
	return &queryCodec{fields: kept}
}

// addQueryFields appends the fields of struct type t, reached through index,
// to fields.
func addQueryFields(fields *[]queryField, t reflect.Type, index []int) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, tagged := sf.Tag.Lookup("url")
		at := append(slices.Clone(index), i)
		if sf.Anonymous && !tagged && sf.Type.Kind() == reflect.Struct {
			if err := addQueryFields(fields, sf.Type, at); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			return fmt.Errorf("field %s has no url tag naming its key", sf.Name)
		}
		f := queryField{index: at, key: name, prefix: string(appendQueryValue(nil, name)) + "=", depth: len(index), omitEmpty: opts == "omitempty"}
		if opts != "" && opts != "omitempty" {
			return fmt.Errorf("field %s: unknown url tag option %q", sf.Name, opts)
		}
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			f.ptr = true
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.String:
			f.kind = queryString
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.kind = queryInt
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			f.kind = queryUint
		case reflect.Bool:
			f.kind = queryBool
		case reflect.Slice:
			if f.ptr || ft.Elem().Kind() != reflect.String {
				return fmt.Errorf("field %s: cannot send a %s", sf.Name, sf.Type)
			}
			f.kind = queryStrings
		default:
			return fmt.Errorf("field %s: cannot send a %s", sf.Name, sf.Type)
		}
		*fields = append(*fields, f)
	}
	return nil
}

// goType is the Go type a lexer type error names.
type goType = reflect.Type

// typeFor returns the goType of T.
func typeFor[T any]() goType { return reflect.TypeFor[T]() }

// typeOf returns r's dynamic type, or its element type for a pointer.
func typeOf(r any) goType {
	t := reflect.TypeOf(r)
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// lexReset sets the value v points to to its zero value; v that is not a
// non-nil pointer is left alone.
func lexReset(v any) {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero()
	}
}
