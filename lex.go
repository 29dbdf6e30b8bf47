package razorpay

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// The lenient lexer: it reads JSON documents in one pass, straight into Go
// values, with lenient scalar rules for APIs that do not always send the
// types they document.
//
// A lexer reads one document. The caller decodes each object through a
// field function, a switch over the member's key that reads the value with
// the lexer's readers:
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
//   - lexObject, lexPtr and lexSlice: an object where a struct is expected accepts []
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
// It knows JSON and Go's scalar types only, not the SDK's: which structs
// exist and what their fields are is the generated tables' business
// (decode_gen.go). It uses no reflection but for the Go type its type
// errors name (reflect.go).

// maxNesting is encoding/json's limit on nesting.
const maxNesting = 10000

// lexer reads one JSON document. After the first error every reader is a
// no-op, and Err returns the error.
type lexer struct {
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
func lexUnmarshal[R any](data []byte, r R, field func(R, *lexer, []byte) bool) error {
	l := &lexer{data: data}
	l.ws()
	lexObject(l, r, field)
	l.end()
	return l.err
}

// Read runs read on a lexer over data and checks that nothing but white
// space follows what it read.
func lexRead(data []byte, read func(*lexer)) error {
	l := &lexer{data: data}
	l.ws()
	read(l)
	l.end()
	return l.err
}

// Err returns the first error of the document, or nil.
func (l *lexer) Err() error { return l.err }

// SetErr makes err the document's error, in place of any earlier one, and
// stops the reading.
func (l *lexer) SetErr(err error) {
	l.err = err
	l.pos = len(l.data)
}

// Peek returns the first byte of the next value, or 0 at the end.
func (l *lexer) Peek() byte {
	if l.pos < len(l.data) {
		return l.data[l.pos]
	}
	return 0
}

// Offset returns the offset of the next value.
func (l *lexer) Offset() int { return l.pos }

// Since returns the document from offset start to the end of what was read,
// with no capacity beyond it.
func (l *lexer) Since(start int) []byte { return l.data[start:l.pos:l.pos] }

// end checks that nothing but white space follows the value.
func (l *lexer) end() {
	if l.err != nil {
		return
	}
	l.ws()
	if l.pos < len(l.data) {
		l.fail("invalid character " + quoteChar(l.data[l.pos]) + " after top-level value")
	}
}

func (l *lexer) fail(msg string) {
	if l.err == nil {
		l.err = &syntaxError{msg: msg, off: l.pos}
	}
	l.pos = len(l.data)
}

func (l *lexer) failChar(context string) {
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
func (l *lexer) typeError(t goType) {
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

func (l *lexer) ws() {
	for l.pos < len(l.data) {
		switch l.data[l.pos] {
		case ' ', '\t', '\n', '\r':
			l.pos++
		default:
			return
		}
	}
}

func (l *lexer) enter() bool {
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
func lexObject[R any](l *lexer, r R, field func(R, *lexer, []byte) bool) {
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

// members reads the object at l.pos (a '{') into r through field.
func members[R any](l *lexer, r R, field func(R, *lexer, []byte) bool) {
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
func skipField(_ struct{}, l *lexer, _ []byte) bool {
	l.Skip()
	return true
}

// Elements reads the array at the next value (a '['), calling elem with l
// at each element, which elem must read, and reports whether it read the
// whole array.
func (l *lexer) Elements(elem func()) bool {
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
