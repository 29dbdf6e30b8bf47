package razorpay

import (
	"bytes"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The lexer's scanning of JSON values: strings, numbers, literals, and
// skipping a value (see lex.go).

// StringBytes reads the string at the next value (a '"') and returns its
// text, unescaped, with invalid UTF-8 replaced by U+FFFD as encoding/json
// does. The slice is valid until the next string is read.
func (l *lexer) StringBytes() ([]byte, bool) { return l.stringBytes() }

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

// Null reads null at the next value (an 'n') and reports whether it was.
func (l *lexer) Null() bool { return l.literal("null") }

func (l *lexer) null() { l.literal("null") }

// boolLit reads true or false.
func (l *lexer) boolLit() bool {
	if l.Peek() == 't' {
		return l.literal("true")
	}
	l.literal("false")
	return false
}

// Skip checks and skips any value.
func (l *lexer) Skip() {
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
func (l *lexer) empty(t goType) bool {
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
