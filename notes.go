package razorpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Notes are key/value pairs attached to an entity, at most 15 pairs of at most
// 256 characters each.
//
// Notes decodes leniently: Razorpay sends an empty notes object as [] (and
// sometimes null), and values may be numbers or booleans; those keep their
// JSON text ("42", "true"). Nested objects and arrays keep their JSON text too.
type Notes map[string]string

// UnmarshalJSON decodes an object, [] or null into n.
func (n *Notes) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return errors.New("razorpay: notes: empty JSON value")
	}
	switch data[0] {
	case 'n':
		if string(data) != "null" {
			return fmt.Errorf("razorpay: notes: invalid JSON %.20q", data)
		}
		*n = nil
		return nil
	case '[':
		if len(data) == 2 && data[1] == ']' { // Razorpay's usual empty notes
			*n = nil
			return nil
		}
		return n.fromArray(data)
	case '{':
	default:
		return fmt.Errorf("razorpay: notes: want an object or [], got %.20q", data)
	}
	if m, ok := plainNotes(data); ok {
		*n = m
		return nil
	}
	// Escaped strings, or values that are not strings.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	m := make(map[string]string, len(raw))
	for k, v := range raw {
		m[k] = noteValue(v)
	}
	*n = m
	return nil
}

// plainNotes decodes the common form of notes, a flat object of strings
// without escapes, without a second json.Unmarshal. Anything else (escapes,
// control characters, invalid UTF-8, other value types, malformed input)
// returns ok false, for json.Unmarshal to decode or reject.
func plainNotes(data []byte) (m map[string]string, ok bool) {
	i := 1 // data[0] == '{'
	for {
		i = skipSpace(data, i)
		if i < len(data) && data[i] == '}' && m == nil && skipSpace(data, i+1) == len(data) {
			return map[string]string{}, true
		}
		k, j, ok := plainString(data, i)
		if !ok {
			return nil, false
		}
		i = skipSpace(data, j)
		if i >= len(data) || data[i] != ':' {
			return nil, false
		}
		v, j, ok := plainString(data, skipSpace(data, i+1))
		if !ok {
			return nil, false
		}
		if m == nil {
			m = make(map[string]string)
		}
		m[k] = v
		i = skipSpace(data, j)
		switch {
		case i < len(data) && data[i] == ',':
			i++
		case i < len(data) && data[i] == '}' && skipSpace(data, i+1) == len(data):
			return m, true
		default:
			return nil, false
		}
	}
}

// plainString returns the JSON string at data[i:] when it has no escapes,
// no control characters and valid UTF-8, and the index after it.
func plainString(data []byte, i int) (string, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return "", 0, false
	}
	end := bytes.IndexByte(data[i+1:], '"')
	if end < 0 {
		return "", 0, false
	}
	s := data[i+1 : i+1+end]
	ascii := true
	for _, c := range s {
		if c < ' ' || c == '\\' {
			return "", 0, false
		}
		ascii = ascii && c < utf8.RuneSelf
	}
	if !ascii && !utf8.Valid(s) {
		return "", 0, false
	}
	return string(s), i + end + 2, true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// fromArray accepts [] as empty notes, and a non-empty array (a list where a
// map was meant) as notes keyed by index.
func (n *Notes) fromArray(data []byte) error {
	var list []json.RawMessage
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	if len(list) == 0 {
		*n = nil
		return nil
	}
	m := make(map[string]string, len(list))
	for i, v := range list {
		m[strconv.Itoa(i)] = noteValue(v)
	}
	*n = m
	return nil
}

// noteValue returns a JSON string's text, "" for null, and the JSON text of
// any other value with invalid UTF-8 replaced by U+FFFD, as encoding/json
// does in strings (so that notes survive an encode and decode round trip).
func noteValue(v json.RawMessage) string {
	if len(v) > 0 && v[0] == '"' {
		var s string
		if json.Unmarshal(v, &s) == nil {
			return s
		}
	}
	if string(v) == "null" {
		return ""
	}
	return strings.ToValidUTF8(string(v), "\uFFFD")
}
