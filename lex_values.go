package razorpay

import (
	"encoding/json"
	"strconv"
	"strings"
)

var (
	stringType = typeFor[string]()
	int64Type  = typeFor[int64]()
	intType    = typeFor[int]()
	boolType   = typeFor[bool]()
)

// String reads a string: a number keeps its JSON text, a boolean becomes
// "true" or "false".
func (l *lexer) String(dst *string) {
	switch c := l.Peek(); {
	case c == '"':
		if b, ok := l.stringBytes(); ok {
			*dst = string(b)
		}
	case c == 'n':
		l.null()
	case c == 't' || c == 'f':
		if v := l.boolLit(); l.err == nil {
			*dst = strconv.FormatBool(v)
		}
	case c == '-' || ('0' <= c && c <= '9'):
		if n := l.number(); l.err == nil {
			*dst = string(n)
		}
	default:
		l.typeError(stringType)
	}
}

// ZeroPadded reads a string of width digits, such as the last four digits
// of a card: a number of fewer digits is zero-padded (111 → "0111" for a
// width of 4), under the exact key only; anything else reads as String.
func (l *lexer) ZeroPadded(dst *string, width int) {
	c := l.Peek()
	if l.folded || (c < '0' || c > '9') {
		l.String(dst)
		return
	}
	n := l.number()
	if l.err != nil {
		return
	}
	if len(n) < width && isDigits(n) {
		*dst = strings.Repeat("0", width-len(n)) + string(n)
		return
	}
	*dst = string(n)
}

// Int64 reads an integer.
func (l *lexer) Int64(dst *int64) {
	switch c := l.Peek(); {
	case c == '-' || ('0' <= c && c <= '9'):
		start := l.pos
		lit := l.number()
		if l.err != nil {
			return
		}
		if n, ok := parseDigits(lit); ok {
			*dst = n
			return
		}
		if n, ok := integral(string(lit)); ok {
			*dst = n
			return
		}
		l.pos = start
		l.typeError(int64Type)
	case c == '"':
		start := l.pos
		b, ok := l.stringBytes()
		if !ok {
			return
		}
		if n, ok := parseDigits(b); ok {
			*dst = n
			return
		}
		s := strings.TrimSpace(string(b))
		if s == "" {
			return
		}
		if n, ok := integral(s); ok {
			*dst = n
			return
		}
		l.pos = start
		l.typeError(int64Type)
	case c == 't' || c == 'f':
		if l.boolLit() {
			*dst = 1
		} else if l.err == nil {
			*dst = 0
		}
	case c == 'n':
		l.null()
	default:
		l.typeError(int64Type)
	}
}

// Int reads an integer of type int.
func (l *lexer) Int(dst *int) {
	start := l.pos
	n := int64(*dst)
	l.Int64(&n)
	if l.err != nil {
		return
	}
	if int64(int(n)) != n {
		l.pos = start
		l.typeError(intType)
		return
	}
	*dst = int(n)
}

// parseDigits parses an optional minus and 1 to 18 digits.
func parseDigits(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// integral returns s as an int64 if it is a JSON integer, or a number with
// only zeros after the decimal point ("12.0", "1e3"), in range.
func integral(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

// Bool reads a boolean.
func (l *lexer) Bool(dst *bool) {
	switch c := l.Peek(); {
	case c == 't' || c == 'f':
		if v := l.boolLit(); l.err == nil {
			*dst = v
		}
	case c == 'n':
		l.null()
	case c == '-' || ('0' <= c && c <= '9'):
		start := l.pos
		lit := l.number()
		if l.err != nil {
			return
		}
		if len(lit) == 1 {
			*dst = lit[0] != '0'
			return
		}
		f, err := strconv.ParseFloat(string(lit), 64)
		if err != nil {
			l.pos = start
			l.typeError(boolType)
			return
		}
		*dst = f != 0
	case c == '"':
		start := l.pos
		b, ok := l.stringBytes()
		if !ok {
			return
		}
		switch strings.ToLower(strings.TrimSpace(string(b))) {
		case "1", "true", "yes":
			*dst = true
		case "0", "false", "no", "":
			*dst = false
		default:
			l.pos = start
			l.typeError(boolType)
		}
	default:
		l.typeError(boolType)
	}
}

// Strings reads a list of strings, each with the rules of String.
func (l *lexer) Strings(dst *[]string) { lexList(l, dst, (*lexer).String) }

// Ptr reads a pointer to a struct: an object into *dst (a new T when nil)
// through field, or [] or null for nil.
func lexPtr[T any](l *lexer, dst **T, field func(*T, *lexer, []byte) bool) {
	switch l.Peek() {
	case '{':
		if *dst == nil {
			*dst = new(T)
		}
		members(l, *dst, field)
	case '[':
		if l.empty(typeFor[T]()) {
			*dst = nil
		}
	case 'n':
		l.null()
		*dst = nil
	default:
		l.typeError(typeFor[*T]())
	}
}

// Slice reads a list of structs: an array whose elements are objects (or
// [] or null for a zero element) read through field, with the rules of
// List.
func lexSlice[T any](l *lexer, dst *[]T, field func(*T, *lexer, []byte) bool) {
	lexList(l, dst, func(l *lexer, v *T) { lexObject(l, v, field) })
}

// List reads a list: an array whose elements elem reads, or {} for no value
// (dst keeps its value) or null (nil). An array read in full replaces *dst,
// even when empty.
func lexList[T any](l *lexer, dst *[]T, elem func(*lexer, *T)) {
	switch l.Peek() {
	case '[':
		s := []T{}
		if l.Elements(func() {
			var zero T
			s = append(s, zero)
			elem(l, &s[len(s)-1])
		}) {
			*dst = s
		}
	case '{':
		l.empty(typeFor[[]T]())
	case 'n':
		l.null()
		*dst = nil
	default:
		l.typeError(typeFor[[]T]())
	}
}

// Value checks and skips the next value and returns its JSON text, valid as
// long as the document.
func (l *lexer) Value() []byte {
	start := l.pos
	l.Skip()
	if l.err != nil {
		return nil
	}
	return l.data[start:l.pos]
}

// Plain reads the next value with encoding/json, for a type that has no
// field function. An error is the document's.
func lexPlain[T any](l *lexer, dst *T) {
	raw := l.Value()
	if l.err != nil {
		return
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		l.SetErr(err)
	}
}

// Map reads an object of any values, as encoding/json decodes them into
// map[string]any, or [] or null for nil.
func (l *lexer) Map(dst *map[string]any) {
	switch l.Peek() {
	case '{':
		lexPlain(l, dst)
	case '[':
		if l.empty(typeFor[map[string]any]()) {
			*dst = nil
		}
	case 'n':
		l.null()
		*dst = nil
	default:
		l.typeError(typeFor[map[string]any]())
	}
}
