package razorpay

import (
	"fmt"
	"strconv"
	"strings"
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
	var m Notes
	if err := lexRead(data, m.decodeValue); err != nil {
		return err // n untouched
	}
	*n = m
	return nil
}

// decodeValue reads notes: an object, whose values are kept as noteValue
// reads them; an array, as notes keyed by index ([] is no notes, nil); null
// for nil.
func (n *Notes) decodeValue(l *lexer) {
	switch l.Peek() {
	case '{':
		m := Notes{}
		lexObject(l, m, noteMember)
		if l.Err() == nil {
			*n = m
		}
	case '[':
		var m Notes
		l.Elements(func() {
			if m == nil {
				m = make(Notes)
			}
			m[strconv.Itoa(len(m))] = noteValue(l)
		})
		if l.Err() == nil {
			*n = m
		}
	case 'n':
		if l.Null() {
			*n = nil
		}
	default:
		if v := l.Value(); l.Err() == nil {
			l.SetErr(fmt.Errorf("razorpay: notes: want an object or [], got %.20q", v))
		}
	}
}

// noteMember stores every member of a notes object.
func noteMember(n Notes, l *lexer, key []byte) bool {
	k := string(key) // before noteValue reads strings into the lexer's buffer, which key may share
	if v := noteValue(l); l.Err() == nil {
		n[k] = v
	}
	return true
}

// noteValue reads a note: a string's text, "" for null, and the JSON text
// of any other value with invalid UTF-8 replaced by U+FFFD, as encoding/json
// does in strings (so that notes survive an encode and decode round trip).
func noteValue(l *lexer) string {
	switch l.Peek() {
	case '"':
		b, _ := l.StringBytes()
		return string(b)
	case 'n':
		l.Null()
		return ""
	}
	return strings.ToValidUTF8(string(l.Value()), "\uFFFD")
}
