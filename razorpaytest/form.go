package razorpaytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The parsing of request bodies: a handler reads its fields through a form,
// which keeps the first validation error with the live API's message.

// form reads a JSON request body leniently, the way the live API does
// (numeric strings for amounts, numbers for contacts), and keeps the first
// validation error.
type form struct {
	m      map[string]json.RawMessage
	prefix string
	root   *form
	err    *apiError
}

func parseForm(body []byte) (*form, *apiError) {
	t := bytes.TrimSpace(body)
	f := &form{}
	f.root = f
	if len(t) == 0 || string(t) == "null" {
		f.m = map[string]json.RawMessage{}
		return f, nil
	}
	if err := json.Unmarshal(t, &f.m); err != nil {
		return nil, &apiError{status: 400, code: "BAD_REQUEST_ERROR",
			description: "The request body is not valid JSON: " + jsonProblem(err), source: "business", reason: "input_validation_failed"}
	}
	if f.m == nil {
		f.m = map[string]json.RawMessage{}
	}
	return f, nil
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return "the body must be a JSON object"
	}
	return "cannot be parsed"
}

func (f *form) fail(e *apiError) {
	if f.root.err == nil {
		f.root.err = e
	}
}

func (f *form) name(key string) string { return f.prefix + key }

// only fails on the first key that is not allowed, with the live API's
// message for extra fields.
func (f *form) only(keys ...string) {
	for k := range f.m {
		ok := false
		for _, a := range keys {
			if k == a {
				ok = true
				break
			}
		}
		if !ok {
			f.fail(badRequest(f.name(k)+" is/are not required and should not be sent", f.name(k)))
			return
		}
	}
}

func (f *form) present(key string) bool {
	raw, ok := f.m[key]
	return ok && string(bytes.TrimSpace(raw)) != "null"
}

// str returns a string field; numbers are taken as their text.
func (f *form) str(key string) string {
	if !f.present(key) {
		return ""
	}
	raw := bytes.TrimSpace(f.m[key])
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	f.fail(badRequest("The "+f.name(key)+" must be a string.", f.name(key)))
	return ""
}

// exactStr returns a string field as sent, without trimming: a receipt is
// stored, and matched by the receipt filter, exactly as sent (Razorpay's
// docs say nothing of trimming; the SDK refuses receipts that a trim would
// change).
func (f *form) exactStr(key string) string {
	if !f.present(key) {
		return ""
	}
	raw := bytes.TrimSpace(f.m[key])
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return f.str(key)
}

// integer returns an integer field (a JSON integer or a numeric string) and
// whether it was sent.
func (f *form) integer(key string) (int64, bool) {
	if !f.present(key) {
		return 0, false
	}
	raw := bytes.TrimSpace(f.m[key])
	text := string(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		text = strings.TrimSpace(s)
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, true
	}
	if x, err := strconv.ParseFloat(text, 64); err == nil && x == math.Trunc(x) && math.Abs(x) < 1<<53 {
		return int64(x), true
	}
	f.fail(badRequest("The "+f.name(key)+" must be an integer.", f.name(key)))
	return 0, true
}

// boolean returns a boolean field (true/false, 1/0, "1"/"0", "true"/"false")
// and whether it was sent.
func (f *form) boolean(key string) (bool, bool) {
	if !f.present(key) {
		return false, false
	}
	raw := string(bytes.TrimSpace(f.m[key]))
	switch strings.ToLower(strings.Trim(raw, `"`)) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	f.fail(badRequest("The "+f.name(key)+" field must be true or false.", f.name(key)))
	return false, true
}

// object returns a nested object field, or nil when absent.
func (f *form) object(key string) *form {
	if !f.present(key) {
		return nil
	}
	sub := &form{prefix: f.name(key) + ".", root: f.root}
	if err := json.Unmarshal(f.m[key], &sub.m); err != nil || sub.m == nil {
		f.fail(badRequest("The "+f.name(key)+" must be an object.", f.name(key)))
		return nil
	}
	return sub
}

// notes returns a notes field: an object of at most 15 pairs of scalar
// values of at most 256 characters, or [] or null for none.
func (f *form) notes(key string) notes {
	if !f.present(key) {
		return nil
	}
	raw := bytes.TrimSpace(f.m[key])
	if len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil && len(list) == 0 {
			return nil
		}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		f.fail(badRequest("The "+f.name(key)+" must be an object.", f.name(key)))
		return nil
	}
	if len(m) > 15 {
		f.fail(badRequest("The "+f.name(key)+" may not have more than 15 items.", f.name(key)))
		return nil
	}
	out := make(notes, len(m))
	for k, v := range m {
		v = bytes.TrimSpace(v)
		var s string
		switch {
		case len(v) > 0 && (v[0] == '{' || v[0] == '['):
			f.fail(badRequest("The "+f.name(key)+"."+k+" must be a string.", f.name(key)+"."+k))
			return nil
		case json.Unmarshal(v, &s) == nil:
		case string(v) == "null":
		default:
			s = string(v)
		}
		if utf8.RuneCountInString(k) > 256 || utf8.RuneCountInString(s) > 256 {
			f.fail(badRequest("The "+f.name(key)+"."+k+" may not be greater than 256 characters.", f.name(key)+"."+k))
			return nil
		}
		out[k] = s
	}
	return out
}
