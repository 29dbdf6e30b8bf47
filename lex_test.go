package razorpay

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rec is a struct of every reader, with its field function written as the
// generator writes them.
type rec struct {
	S     string
	Last4 string
	N     int64
	I     int
	B     bool
	List  []string
	Sub   *rec
	Subs  []rec
	Inner sub
	Meta  map[string]any
}

type sub struct{ V string }

func (r *rec) field(l *lexer, key []byte) bool {
	switch string(key) {
	case "s":
		l.String(&r.S)
	case "last4":
		l.ZeroPadded(&r.Last4, 4)
	case "n":
		l.Int64(&r.N)
	case "i":
		l.Int(&r.I)
	case "b":
		l.Bool(&r.B)
	case "list":
		l.Strings(&r.List)
	case "sub":
		lexPtr(l, &r.Sub, (*rec).field)
	case "subs":
		lexSlice(l, &r.Subs, (*rec).field)
	case "inner":
		lexObject(l, &r.Inner, (*sub).field)
	case "meta":
		l.Map(&r.Meta)
	default:
		return false
	}
	return true
}

func (s *sub) field(l *lexer, key []byte) bool {
	if string(key) != "v" {
		return false
	}
	l.String(&s.V)
	return true
}

func decode(data string) (rec, error) {
	var r rec
	err := lexUnmarshal([]byte(data), &r, (*rec).field)
	return r, err
}

func TestLexReaders(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want rec
	}{
		// String: numbers keep their text, booleans become words.
		{`{"s":"x"}`, rec{S: "x"}},
		{`{"s":9876543210}`, rec{S: "9876543210"}},
		{`{"s":-1.50e3}`, rec{S: "-1.50e3"}},
		{`{"s":true}`, rec{S: "true"}},
		{`{"s":null}`, rec{}},
		// ZeroPadded: short numbers padded under the exact key only.
		{`{"last4":111}`, rec{Last4: "0111"}},
		{`{"last4":1111}`, rec{Last4: "1111"}},
		{`{"last4":-1}`, rec{Last4: "-1"}},
		{`{"last4":"0042"}`, rec{Last4: "0042"}},
		{`{"LAST4":111}`, rec{Last4: "111"}},
		// Int64 and Int: numeric strings, integral numbers, booleans, "".
		{`{"n":"2"}`, rec{N: 2}},
		{`{"n":" 01 "}`, rec{N: 1}},
		{`{"n":"12.0"}`, rec{N: 12}},
		{`{"n":1e3}`, rec{N: 1000}},
		{`{"n":-7}`, rec{N: -7}},
		{`{"n":"9223372036854775807"}`, rec{N: 1<<63 - 1}},
		{`{"n":true}`, rec{N: 1}},
		{`{"n":""}`, rec{}},
		{`{"i":"12","n":false}`, rec{I: 12}},
		// Bool: numbers, words in any case, "" and null.
		{`{"b":1}`, rec{B: true}},
		{`{"b":2.5}`, rec{B: true}},
		{`{"b":"YES"}`, rec{B: true}},
		{`{"b":" true "}`, rec{B: true}},
		{`{"b":"no"}`, rec{}},
		{`{"b":""}`, rec{}},
		{`{"b":0.0}`, rec{}},
		// Lists: {} and null are no list, [] an empty one.
		{`{"list":["a",1,false,null]}`, rec{List: []string{"a", "1", "false", ""}}},
		{`{"list":[]}`, rec{List: []string{}}},
		{`{"list":{}}`, rec{}},
		{`{"subs":[{"s":"a"},[],null]}`, rec{Subs: []rec{{S: "a"}, {}, {}}}},
		// Structs: [] and null are no value.
		{`{"sub":{"s":"a","sub":[]}}`, rec{Sub: &rec{S: "a"}}},
		{`{"sub":null,"inner":[]}`, rec{}},
		{`{"inner":{"v":"x","other":[1,{"a":"b"}]}}`, rec{Inner: sub{V: "x"}}},
		// Maps: encoding/json's values, [] and null for nil.
		{`{"meta":{"a":1,"b":[true]}}`, rec{Meta: map[string]any{"a": float64(1), "b": []any{true}}}},
		{`{"meta":[]}`, rec{}},
		// Keys: exact first, then folded as encoding/json folds them.
		{`{"S":"a"}`, rec{S: "a"}},
		{`{"s":"a","S":"b"}`, rec{S: "b"}},
		{`{"\u0073":"a"}`, rec{S: "a"}},
		{`{"unknown":{"s":"a"}}`, rec{}},
		// The document itself: [] and null are no value.
		{`[]`, rec{}},
		{` null `, rec{}},
	} {
		got, err := decode(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

// What no rule covers is a *json.UnmarshalTypeError naming the field and
// the Go type, and the document's error.
func TestLexTypeErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, field string
		typ       reflect.Type
	}{
		{`{"s":{}}`, "s", reflect.TypeFor[string]()},
		{`{"n":"abc"}`, "n", reflect.TypeFor[int64]()},
		{`{"n":1.5}`, "n", reflect.TypeFor[int64]()},
		{`{"n":1e30}`, "n", reflect.TypeFor[int64]()},
		{`{"b":"maybe"}`, "b", reflect.TypeFor[bool]()},
		{`{"list":"a"}`, "list", reflect.TypeFor[[]string]()},
		{`{"sub":[1]}`, "sub", reflect.TypeFor[rec]()},
		{`{"sub":1}`, "sub", reflect.TypeFor[*rec]()},
		{`{"inner":"x"}`, "inner", reflect.TypeFor[sub]()},
		{`{"meta":[1]}`, "meta", reflect.TypeFor[map[string]any]()},
		{`{"\u0073":{"\u0076":1}}`, "s", reflect.TypeFor[string]()},
		{`"x"`, "", reflect.TypeFor[rec]()},
	} {
		_, err := decode(tt.in)
		var typeErr *json.UnmarshalTypeError
		require.ErrorAs(t, err, &typeErr, tt.in)
		assert.Equal(t, tt.field, typeErr.Field, tt.in)
		assert.Equal(t, tt.typ, typeErr.Type, tt.in)
	}
}

// Strings and keys decode as encoding/json decodes them.
func TestLexStrings(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`"plain"`, `"caf\u00e9 ₹"`, `"\"q\" \\ \/ \b\f\n\r\t"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ude00\ud83d"`,
		`"\ud83d\u0041"`, "\"\xff\xfe\"", "\"a\xc3\"", "\"\xed\xa0\x80\"", `""`, `"é"`,
	} {
		var want string
		require.NoError(t, json.Unmarshal([]byte(in), &want))
		var got []byte
		require.NoError(t, lexRead([]byte(in), func(l *lexer) { got, _ = l.StringBytes() }), in)
		assert.Equal(t, want, string(got), in)
	}
}

// Invalid JSON is refused wherever it is, as by encoding/json.
func TestLexRefusesInvalidJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{`, `{"s"`, `{"s":`, `{"s":"x",}`, `{"s":"x" "n":1}`, `{s:"x"}`, `{"s":'x'}`, `{"s":"x\q"}`, `{"s":"x\u12G4"}`,
		"{\"s\":\"a\x01b\"}", `{"n":01}`, `{"n":1.}`, `{"n":.5}`, `{"n":1e}`, `{"n":-}`, `{"n":+1}`, `{"b":tru}`,
		`{"x":[1,]}`, `{"x":{"a":1,}}`, `{"s":"x"}}`, `{"s":"x"} {}`, `{"sub":[,]}`, ``, ` `,
		`{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
	} {
		require.False(t, json.Valid([]byte(in)))
		_, err := decode(in)
		assert.Error(t, err, in)
	}
	deep := `{"x":` + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + `,"s":"a"}`
	got, err := decode(deep)
	require.NoError(t, err)
	assert.Equal(t, "a", got.S)
}

func TestLexValueAndSince(t *testing.T) {
	t.Parallel()
	var raw, since []byte
	require.NoError(t, lexRead([]byte(` {"a": [1, "x"]} `), func(l *lexer) {
		start := l.Offset()
		raw = l.Value()
		since = l.Since(start)
	}))
	assert.Equal(t, `{"a": [1, "x"]}`, string(raw))
	assert.Equal(t, string(raw), string(since))
	assert.Equal(t, len(since), cap(since))
}

// The lexer accepts exactly what encoding/json accepts.
func FuzzLexValid(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,2.5e3,"x",true,null,{}]}`, `"\ud83d"`, `{"a":`, `01`, " \t\n1 "} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := lexRead(data, (*lexer).Skip)
		require.Equal(t, json.Valid(data), err == nil, "%q: %v", data, err)
	})
}
