package razorpay

import (
	"bytes"
	"encoding/json"
	"errors"
)

//go:generate go run ./internal/decodegen

// Lenient decoding of Razorpay's JSON, in one place.
//
// The live API does not always send the types it documents: numbers as
// strings ("expiry_month": "2"), strings as numbers ("last4": 1111,
// "contact": 9876543210), booleans as 0/1 or null, notes as [] when empty.
// Every entity must still decode into its documented Go type without losing
// the value, and well-formed bodies must decode at the speed of plain
// encoding/json.
//
// So every type the SDK reads decodes in one pass with one decoder: the
// lexer (lex.go, lex_scan.go, lex_values.go), which holds every lenient
// rule and knows no SDK type, driven by a field table per type. The
// tables are generated (decode_gen.go) from the
// json tags of the types whose doc comment ends with the line
// //razorpay:decode: each is a decodeField method, a switch over the keys
// that reads each value with the reader of the field's Go type, and a
// decodeValue method that reads an object through it. List[T] (list.go) has
// hand-written ones, and Notes (notes.go) its own decodeValue. A quirk costs
// one field, not a second pass over the body.
//
// The same tables serve every path: the pipeline (decodeJSON), webhooks
// (ParseWebhook), error bodies (errorBody) and json.Unmarshal, through the
// UnmarshalJSON that every exported type gets with its table.

// decodable is implemented by the pointer of every type with a field table.
type decodable interface {
	// decodeValue reads an object into the value through its field table
	// (its decodeField method), or [] or null for no value.
	decodeValue(l *lexer)
}

// decodeJSON decodes a JSON object into out (a non-nil pointer), leniently
// when out has a field table, with encoding/json otherwise (a type of the
// caller's, through Client.Do). It never leaves a partial value: on error
// *out is reset to its zero value, and on success it holds the body's
// values only.
func decodeJSON(data []byte, out any) error {
	lexReset(out)
	var err error
	switch d, ok := out.(decodable); {
	case !isObject(data):
		err = errNotObject
	case ok:
		err = lexRead(data, d.decodeValue)
	default:
		err = json.Unmarshal(data, out)
	}
	if err != nil {
		lexReset(out)
	}
	return err
}

var errNotObject = errors.New("razorpay: want a JSON object")

// isObject reports whether data starts with '{', after white space.
func isObject(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}
