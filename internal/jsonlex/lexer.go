// Package jsonlex reads JSON documents in one pass, straight into Go values,
// with lenient scalar rules for APIs that do not always send the types they
// document.
//
// A Lexer reads one document. The caller decodes each object through a
// field function, a switch over the member's key that reads the value with
// the Lexer's readers:
//
//   - String: a string; a number keeps its JSON text (9876543210 →
//     "9876543210"), a boolean becomes "true" or "false";
//   - ZeroPadded: String, but a number of fewer digits than the width is
//     zero-padded (111 → "0111"), under the exact key only;
//   - Int64 and Int: an integer; a numeric string ("2", " 01 ", "12.0") or
//     an integral number (12.0, 1e3) is its value, a boolean is 1 or 0, an
//     empty string is no value;
//   - Bool: a boolean; a number is true unless 0, the strings 1, true, yes
//     and 0, false, no, "" (any case) are what they say;
//   - Object, Ptr and Slice: an object where a struct is expected accepts []
//     as no value, an array where a list is expected accepts {} as no value;
//   - null is no value everywhere (the field keeps its value; a pointer, a
//     slice or a map becomes nil), unknown keys are skipped, keys match
//     exactly first, then case-insensitively as encoding/json matches them.
//
// A quirk costs one field, not the document: there is no second pass. The
// input is validated as strictly as encoding/json does, so that
// json.Unmarshal, which validates first, and a direct decode agree on every
// input, and nesting is limited to encoding/json's depth. Type errors are
// *json.UnmarshalTypeError, syntax errors name the offset.
//
// The package knows JSON and Go's scalar types only: which structs exist and
// what their fields are is the caller's business.
package jsonlex

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxNesting is encoding/json's limit on nesting.
const maxNesting = 10000

// Lexer reads one JSON document. After the first error every reader is a
// no-op, and Err returns the error.
type Lexer struct {
	data  []byte
	pos   int
	depth int
	err   error
	// folded is true while a key that matched only case-insensitively is
	// being decoded (ZeroPadded pads under the exact key only).
	folded bool
	// key is the key being decoded, for error messages.
	key []byte
	// buf holds the last unescaped string, fold the last folded key.
	buf, fold []byte
}

// syntaxError is invalid JSON.
type syntaxError struct {
	msg string
	off int
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("razorpay: invalid JSON at offset %d: %s", e.off, e.msg)
}

// Unmarshal decodes data, an object (or [] or null: no value, r keeps its
// values) followed by nothing but white space, into r through field.
func Unmarshal[R any](data []byte, r R, field func(R, *Lexer, []byte) bool) error {
	l := &Lexer{data: data}
	l.ws()
	Object(l, r, field)
	l.end()
	return l.err
}

// Read runs read on a Lexer over data and checks that nothing but white
// space follows what it read.
func Read(data []byte, read func(*Lexer)) error {
	l := &Lexer{data: data}
	l.ws()
	read(l)
	l.end()
	return l.err
}

// Err returns the first error of the document, or nil.
func (l *Lexer) Err() error { return l.err }

// SetErr makes err the document's error, in place of any earlier one, and
// stops the reading.
func (l *Lexer) SetErr(err error) {
	l.err = err
	l.pos = len(l.data)
}

// Peek returns the first byte of the next value, or 0 at the end.
func (l *Lexer) Peek() byte {
	if l.pos < len(l.data) {
		return l.data[l.pos]
	}
	return 0
}

// Offset returns the offset of the next value.
func (l *Lexer) Offset() int { return l.pos }

// Since returns the document from offset start to the end of what was read,
// with no capacity beyond it.
func (l *Lexer) Since(start int) []byte { return l.data[start:l.pos:l.pos] }

// end checks that nothing but white space follows the value.
func (l *Lexer) end() {
	if l.err != nil {
		return
	}
	l.ws()
	if l.pos < len(l.data) {
		l.fail("invalid character " + quoteChar(l.data[l.pos]) + " after top-level value")
	}
}

func (l *Lexer) fail(msg string) {
	if l.err == nil {
		l.err = &syntaxError{msg: msg, off: l.pos}
	}
	l.pos = len(l.data)
}

func (l *Lexer) failChar(context string) {
	if l.pos >= len(l.data) {
		l.fail("unexpected end of JSON input")
		return
	}
	l.fail("invalid character " + quoteChar(l.data[l.pos]) + " " + context)
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// typeError records a value whose JSON type cannot become t, as a
// *json.UnmarshalTypeError, after checking the value is valid JSON.
func (l *Lexer) typeError(t reflect.Type) {
	if l.err != nil {
		return
	}
	off := l.pos
	field := string(l.key) // before Skip reads strings into l.buf, which key may share
	what := "value"
	switch c := l.Peek(); {
	case c == '{':
		what = "object"
	case c == '[':
		what = "array"
	case c == '"':
		what = "string"
	case c == 't' || c == 'f':
		what = "bool"
	case c == '-' || (c >= '0' && c <= '9'):
		what = "number"
	}
	l.Skip()
	if l.err != nil {
		return
	}
	if what != "object" && what != "array" {
		what += " " + string(l.data[off:l.pos])
		if len(what) > 40 {
			what = what[:40] + "..."
		}
	}
	l.err = &json.UnmarshalTypeError{Value: what, Type: t, Offset: int64(off), Field: field}
	l.pos = len(l.data)
}

func (l *Lexer) ws() {
	for l.pos < len(l.data) {
		switch l.data[l.pos] {
		case ' ', '\t', '\n', '\r':
			l.pos++
		default:
			return
		}
	}
}

func (l *Lexer) enter() bool {
	l.depth++
	if l.depth > maxNesting {
		l.fail("exceeded max depth")
		return false
	}
	return true
}

// Object reads an object into r, or [] or null for no value (r keeps its
// values). Each member goes to field, under its key as it is, else folded
// as encoding/json folds keys; a member field reports no field for is
// skipped. field must read the value when it reports true, and nothing when
// it reports false. Type errors name r's type (its element for a pointer).
func Object[R any](l *Lexer, r R, field func(R, *Lexer, []byte) bool) {
	switch l.Peek() {
	case '{':
		members(l, r, field)
	case '[':
		l.empty(typeOf(r))
	case 'n':
		l.null()
	default:
		l.typeError(typeOf(r))
	}
}

// typeOf returns r's dynamic type, or its element type for a pointer.
func typeOf(r any) reflect.Type {
	t := reflect.TypeOf(r)
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// members reads the object at l.pos (a '{') into r through field.
func members[R any](l *Lexer, r R, field func(R, *Lexer, []byte) bool) {
	if !l.enter() {
		return
	}
	l.pos++ // {
	l.ws()
	if l.Peek() == '}' {
		l.pos++
		l.depth--
		return
	}
	for l.err == nil {
		if l.Peek() != '"' {
			l.failChar("looking for beginning of object key string")
			return
		}
		key, ok := l.stringBytes()
		if !ok {
			return
		}
		l.ws()
		if l.Peek() != ':' {
			l.failChar("after object key")
			return
		}
		l.pos++
		l.ws()
		l.key = key
		l.folded = false // nested keys reset it: it is about the current key only
		if !field(r, l, key) {
			if needsFold(key) {
				l.fold = foldKey(l.fold[:0], key)
				l.folded = true
				ok = field(r, l, l.fold)
				l.folded = false
				if !ok {
					l.Skip()
				}
			} else {
				l.Skip()
			}
		}
		l.ws()
		switch l.Peek() {
		case ',':
			l.pos++
			l.ws()
		case '}':
			l.pos++
			l.depth--
			return
		default:
			l.failChar("after object key:value pair")
		}
	}
}

// skipField is the field function of an object that is only checked.
func skipField(_ struct{}, l *Lexer, _ []byte) bool {
	l.Skip()
	return true
}

// Elements reads the array at the next value (a '['), calling elem with l
// at each element, which elem must read, and reports whether it read the
// whole array.
func (l *Lexer) Elements(elem func()) bool {
	if !l.enter() {
		return false
	}
	l.pos++
	l.ws()
	if l.Peek() == ']' {
		l.pos++
		l.depth--
		return true
	}
	for l.err == nil {
		elem()
		l.ws()
		switch l.Peek() {
		case ',':
			l.pos++
			l.ws()
		case ']':
			l.pos++
			l.depth--
			return true
		default:
			l.failChar("after array element")
		}
	}
	return false
}

// needsFold reports whether key may match a field name only
// case-insensitively: it has upper-case or non-ASCII letters.
func needsFold(key []byte) bool {
	for _, c := range key {
		if ('A' <= c && c <= 'Z') || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// foldKey appends to out the key folded as encoding/json folds names for
// its case-insensitive match, in lower case.
func foldKey(out, key []byte) []byte {
	for i := 0; i < len(key); {
		c := key[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(key[i:])
		f := r
		for {
			r2 := unicode.SimpleFold(f)
			if r2 <= f {
				f = r2
				break
			}
			f = r2
		}
		if f < utf8.RuneSelf {
			if 'A' <= f && f <= 'Z' {
				f += 'a' - 'A'
			}
			out = append(out, byte(f))
		} else {
			out = append(out, key[i:i+n]...)
		}
		i += n
	}
	return out
}

// StringBytes reads the string at the next value (a '"') and returns its
// text, unescaped, with invalid UTF-8 replaced by U+FFFD as encoding/json
// does. The slice is valid until the next string is read.
func (l *Lexer) StringBytes() ([]byte, bool) { return l.stringBytes() }

func (l *Lexer) stringBytes() ([]byte, bool) {
	start := l.pos + 1
	ascii := true
	for i := start; i < len(l.data); i++ {
		c := l.data[i]
		switch {
		case c == '"':
			s := l.data[start:i]
			if !ascii && !utf8.Valid(s) {
				return l.unquote(start)
			}
			l.pos = i + 1
			return s, true
		case c == '\\' || c < ' ':
			return l.unquote(start)
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	l.pos = len(l.data)
	l.fail("unexpected end of JSON input")
	return nil, false
}

// unquote is the slow path of stringBytes: escapes, control characters,
// invalid UTF-8.
func (l *Lexer) unquote(start int) ([]byte, bool) {
	d := l.data
	b := l.buf[:0]
	i := start
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			l.pos = i + 1
			l.buf = b
			return b, true
		case c < ' ':
			l.pos = i
			l.failChar("in string literal")
			return nil, false
		case c == '\\':
			if i+1 >= len(d) {
				l.pos = len(d)
				l.fail("unexpected end of JSON input")
				return nil, false
			}
			switch e := d[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(d[i+2:])
				if !ok {
					l.pos = i + 2
					for k := 0; k < 4 && l.pos < len(d) && isHex(d[l.pos]); k++ {
						l.pos++
					}
					l.failChar("in \\u hexadecimal character escape")
					return nil, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
						if r2, ok := hex4(d[i+2:]); ok {
							if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
								b = utf8.AppendRune(b, dec)
								i += 6
								continue
							}
						}
					}
					r = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				l.pos = i + 1
				l.failChar("in string escape code")
				return nil, false
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && n == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, d[i:i+n]...)
			}
			i += n
		}
	}
	l.pos = len(d)
	l.fail("unexpected end of JSON input")
	return nil, false
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// skipString checks and skips the string at l.pos.
func (l *Lexer) skipString() {
	d := l.data
	for i := l.pos + 1; i < len(d); i++ {
		c := d[i]
		if c == '"' {
			l.pos = i + 1
			return
		}
		if c == '\\' || c < ' ' {
			l.unquote(l.pos + 1)
			return
		}
	}
	l.pos = len(d)
	l.fail("unexpected end of JSON input")
}

// number checks and returns the number at l.pos.
func (l *Lexer) number() []byte {
	d := l.data
	start := l.pos
	i := start
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i >= len(d):
		l.pos = i
		l.fail("unexpected end of JSON input")
		return nil
	case d[i] == '0':
		i++
	case '1' <= d[i] && d[i] <= '9':
		i++
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	default:
		l.pos = i
		l.failChar("in numeric literal")
		return nil
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			l.pos = i
			l.failChar("after decimal point in numeric literal")
			return nil
		}
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			l.pos = i
			l.failChar("in exponent of numeric literal")
			return nil
		}
		for i < len(d) && '0' <= d[i] && d[i] <= '9' {
			i++
		}
	}
	l.pos = i
	return d[start:i]
}

// literal checks and skips true, false or null.
func (l *Lexer) literal(word string) bool {
	if bytes.HasPrefix(l.data[l.pos:], []byte(word)) {
		l.pos += len(word)
		return true
	}
	for i := 1; i < len(word); i++ {
		if l.pos+i >= len(l.data) {
			l.pos += i
			l.fail("unexpected end of JSON input")
			return false
		}
		if l.data[l.pos+i] != word[i] {
			l.pos += i
			l.failChar("in literal " + word + " (expecting " + quoteChar(word[i]) + ")")
			return false
		}
	}
	return false
}

// Null reads null at the next value (an 'n') and reports whether it was.
func (l *Lexer) Null() bool { return l.literal("null") }

func (l *Lexer) null() { l.literal("null") }

// boolLit reads true or false.
func (l *Lexer) boolLit() bool {
	if l.Peek() == 't' {
		return l.literal("true")
	}
	l.literal("false")
	return false
}

// Skip checks and skips any value.
func (l *Lexer) Skip() {
	switch c := l.Peek(); {
	case c == '{':
		members(l, struct{}{}, skipField)
	case c == '[':
		l.Elements(l.Skip)
	case c == '"':
		l.skipString()
	case c == 't':
		l.literal("true")
	case c == 'f':
		l.literal("false")
	case c == 'n':
		l.literal("null")
	case c == '-' || ('0' <= c && c <= '9'):
		l.number()
	default:
		l.failChar("looking for beginning of value")
	}
}

// empty reads [] or {} (l.pos is at the bracket): no value where t is
// expected, an object for [] and a list for {}. Anything else is a type
// error.
func (l *Lexer) empty(t reflect.Type) bool {
	start := l.pos
	closing := byte(']')
	if l.data[start] == '{' {
		closing = '}'
	}
	l.pos++
	l.ws()
	if l.Peek() == closing {
		l.pos++
		return true
	}
	l.pos = start
	l.typeError(t)
	return false
}
