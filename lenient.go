package razorpay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The lenient decoder: one pass over the body, straight into the entity.
//
// Every entity (Payment, Token, Card, ...) lists its JSON fields in a
// decodeField method, a switch over the key that decodes the value with the
// lexer's lenient scalar readers:
//
//   - str: a string; a number keeps its JSON text (9876543210 →
//     "9876543210"), a boolean becomes "true" or "false";
//   - int64v and intv: an integer; a numeric string ("2", " 01 ", "12.0") or
//     an integral number (12.0, 1e3) is its value, a boolean is 1 or 0, an
//     empty string is no value;
//   - boolv: a boolean; a number is true unless 0, the strings 1, true, yes
//     and 0, false, no, "" (any case) are what they say;
//   - objects where a struct is expected accept [] as no value, arrays where
//     a list is expected accept {} as no value;
//   - null is no value everywhere (the field keeps its value), unknown keys
//     are skipped, keys match exactly first, then case-insensitively as
//     encoding/json matches them.
//
// A quirk costs one field, not the document: there is no second pass. The
// input is validated as strictly as encoding/json does (so that
// json.Unmarshal, which validates first, and the pipeline agree on every
// input), and nesting is limited to the same depth.
//
// The same code serves the SDK's pipeline (decode calls it directly) and
// json.Unmarshal (each entity's UnmarshalJSON calls it).

// maxNesting is encoding/json's limit on nesting.
const maxNesting = 10000

// fielder is implemented by the pointer of every entity type.
type fielder interface {
	// decodeField decodes the value at l into the field whose JSON name is
	// key and reports whether there is such a field; when it returns false
	// it has read nothing.
	decodeField(l *lexer, key []byte) bool
}

// lexer reads one JSON document. After the first error every reader is a
// no-op, and err holds the error.
type lexer struct {
	data  []byte
	pos   int
	depth int
	err   error
	// folded is true while a key that matched only case-insensitively is
	// being decoded (last4's zero padding applies to the exact key only).
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

// unmarshalEntity decodes data into o: an object, or null or [] (no value,
// as in a field).
func unmarshalEntity(data []byte, o fielder) error {
	l := lexer{data: data}
	l.ws()
	l.object(reflect.TypeOf(o).Elem(), o)
	l.end()
	return l.err
}

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
func (l *lexer) typeError(t reflect.Type) {
	if l.err != nil {
		return
	}
	off := l.pos
	field := string(l.key) // before skip reads strings into l.buf, which key may share
	what := "value"
	switch c := l.peek(); {
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
	l.skip()
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

func (l *lexer) peek() byte {
	if l.pos < len(l.data) {
		return l.data[l.pos]
	}
	return 0
}

func (l *lexer) enter() bool {
	l.depth++
	if l.depth > maxNesting {
		l.fail("exceeded max depth")
		return false
	}
	return true
}

// object reads an object into o (a pointer to a value of type t), or [] or
// null for no value (o keeps its values). Each member goes to o's
// decodeField, under its key as it is, else folded as encoding/json folds
// keys; a member that o has no field for is skipped.
func (l *lexer) object(t reflect.Type, o fielder) {
	switch l.peek() {
	case '{':
	case '[':
		l.empty(t)
		return
	case 'n':
		l.null()
		return
	default:
		l.typeError(t)
		return
	}
	if !l.enter() {
		return
	}
	l.pos++ // {
	l.ws()
	if l.peek() == '}' {
		l.pos++
		l.depth--
		return
	}
	for l.err == nil {
		if l.peek() != '"' {
			l.failChar("looking for beginning of object key string")
			return
		}
		key, ok := l.stringBytes()
		if !ok {
			return
		}
		l.ws()
		if l.peek() != ':' {
			l.failChar("after object key")
			return
		}
		l.pos++
		l.ws()
		l.key = key
		l.folded = false // nested keys reset it: it is about the current key only
		if !o.decodeField(l, key) {
			if needsFold(key) {
				l.fold = foldKey(l.fold[:0], key)
				l.folded = true
				ok = o.decodeField(l, l.fold)
				l.folded = false
				if !ok {
					l.skip()
				}
			} else {
				l.skip()
			}
		}
		l.ws()
		switch l.peek() {
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

// skipper is a fielder that skips every value: l.object(t, skipper{}) only
// checks the object's syntax.
type skipper struct{}

func (skipper) decodeField(l *lexer, _ []byte) bool {
	l.skip()
	return true
}

// elements reads the array at l.pos (a '['), calling elem with l at each
// element, which elem must read, and reports whether it read the whole
// array.
func (l *lexer) elements(elem func()) bool {
	if !l.enter() {
		return false
	}
	l.pos++
	l.ws()
	if l.peek() == ']' {
		l.pos++
		l.depth--
		return true
	}
	for l.err == nil {
		elem()
		l.ws()
		switch l.peek() {
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

// stringBytes reads the string at l.pos (a '"') and returns its text,
// unescaped, with invalid UTF-8 replaced by U+FFFD as encoding/json does.
// The slice is valid until the next string is read.
func (l *lexer) stringBytes() ([]byte, bool) {
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
func (l *lexer) unquote(start int) ([]byte, bool) {
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
func (l *lexer) skipString() {
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
func (l *lexer) number() []byte {
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
func (l *lexer) literal(word string) bool {
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

func (l *lexer) null() { l.literal("null") }

// boolLit reads true or false.
func (l *lexer) boolLit() bool {
	if l.peek() == 't' {
		return l.literal("true")
	}
	l.literal("false")
	return false
}

// skip checks and skips any value.
func (l *lexer) skip() {
	switch c := l.peek(); {
	case c == '{':
		l.object(nil, skipper{}) // at '{': t is not used
	case c == '[':
		l.elements(l.skip)
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
func (l *lexer) empty(t reflect.Type) bool {
	start := l.pos
	closing := byte(']')
	if l.data[start] == '{' {
		closing = '}'
	}
	l.pos++
	l.ws()
	if l.peek() == closing {
		l.pos++
		return true
	}
	l.pos = start
	l.typeError(t)
	return false
}

var (
	stringType = reflect.TypeFor[string]()
	int64Type  = reflect.TypeFor[int64]()
	intType    = reflect.TypeFor[int]()
	boolType   = reflect.TypeFor[bool]()
)

// str reads a string field: a number keeps its JSON text, a boolean
// becomes "true" or "false".
func (l *lexer) str(dst *string) {
	switch c := l.peek(); {
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

// last4 reads the last four digits of a card: a number of fewer than four
// digits is zero-padded (111 → "0111"), under the exact key only.
func (l *lexer) last4(dst *string) {
	c := l.peek()
	if l.folded || (c < '0' || c > '9') {
		l.str(dst)
		return
	}
	n := l.number()
	if l.err != nil {
		return
	}
	if len(n) < 4 && isDigits(string(n)) {
		*dst = strings.Repeat("0", 4-len(n)) + string(n)
		return
	}
	*dst = string(n)
}

// int64v reads an integer field.
func (l *lexer) int64v(dst *int64) {
	switch c := l.peek(); {
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
			*dst, _ = strconv.ParseInt(string(n), 10, 64)
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
			*dst, _ = strconv.ParseInt(string(n), 10, 64)
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

// intv reads an integer field of type int.
func (l *lexer) intv(dst *int) {
	start := l.pos
	n := int64(*dst)
	l.int64v(&n)
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

// boolv reads a boolean field.
func (l *lexer) boolv(dst *bool) {
	switch c := l.peek(); {
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

// notes reads a Notes field with Notes' own rules: an object, whose values
// are kept as noteValue reads them; an array, as notes keyed by index ([] is
// no notes, nil); null for nil.
func (l *lexer) notes(dst *Notes) {
	switch l.peek() {
	case '{':
		m := Notes{}
		l.object(nil, noteFields(m)) // at '{': t is not used
		if l.err == nil {
			*dst = m
		}
	case '[':
		var m Notes
		l.elements(func() {
			if m == nil {
				m = make(Notes)
			}
			m[strconv.Itoa(len(m))] = l.noteValue()
		})
		if l.err == nil {
			*dst = m
		}
	case 'n':
		if l.literal("null") {
			*dst = nil
		}
	default:
		start := l.pos
		l.skip()
		if l.err == nil {
			l.err = fmt.Errorf("razorpay: notes: want an object or [], got %.20q", l.data[start:l.pos])
			l.pos = len(l.data)
		}
	}
}

// noteFields is a fielder that stores every member of a notes object.
type noteFields Notes

func (m noteFields) decodeField(l *lexer, key []byte) bool {
	k := string(key) // before noteValue reads strings into l.buf, which key may share
	if v := l.noteValue(); l.err == nil {
		m[k] = v
	}
	return true
}

// noteValue reads a note: a string's text, "" for null, and the JSON text
// of any other value with invalid UTF-8 replaced by U+FFFD, as encoding/json
// does in strings (so that notes survive an encode and decode round trip).
func (l *lexer) noteValue() string {
	switch l.peek() {
	case '"':
		b, _ := l.stringBytes()
		return string(b)
	case 'n':
		l.null()
		return ""
	}
	start := l.pos
	l.skip()
	return strings.ToValidUTF8(string(l.data[start:l.pos]), "\uFFFD")
}

// structv reads a struct field: an object, or [] or null for no value.
func structv[T any, PT interface {
	*T
	fielder
}](l *lexer, dst *T) {
	l.object(reflect.TypeFor[T](), PT(dst))
}

// ptrv reads a pointer-to-struct field: an object, or [] or null for nil.
func ptrv[T any, PT interface {
	*T
	fielder
}](l *lexer, dst **T) {
	switch l.peek() {
	case '{':
		if *dst == nil {
			*dst = new(T)
		}
		l.object(reflect.TypeFor[T](), PT(*dst))
	case '[':
		if l.empty(reflect.TypeFor[T]()) {
			*dst = nil
		}
	case 'n':
		l.null()
		*dst = nil
	default:
		l.typeError(reflect.TypeFor[*T]())
	}
}

// slicev reads a list of structs: an array whose elements are objects
// (or [] or null for a zero element), or {} or null for no list.
func slicev[T any, PT interface {
	*T
	fielder
}](l *lexer, dst *[]T) {
	list(l, dst, func(v *T) { structv[T, PT](l, v) })
}

// strList reads a list of strings, each with the rules of str.
func (l *lexer) strList(dst *[]string) { list(l, dst, l.str) }

// list reads a list: an array whose elements elem reads, or {} for no value
// (dst keeps its value) or null (nil). An array read in full replaces *dst,
// even when empty.
func list[T any](l *lexer, dst *[]T, elem func(*T)) {
	switch l.peek() {
	case '[':
		s := []T{}
		if l.elements(func() {
			var zero T
			s = append(s, zero)
			elem(&s[len(s)-1])
		}) {
			*dst = s
		}
	case '{':
		l.empty(reflect.TypeFor[[]T]())
	case 'n':
		l.null()
		*dst = nil
	default:
		l.typeError(reflect.TypeFor[[]T]())
	}
}
