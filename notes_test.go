package razorpay

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotesUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want Notes
	}{
		{name: "object", in: `{"plan":"gold","crm_id":"CRM-1"}`, want: Notes{"plan": "gold", "crm_id": "CRM-1"}},
		{name: "empty object", in: `{}`, want: Notes{}},
		{name: "empty array", in: `[]`, want: nil},
		{name: "empty array with space", in: ` [ ] `, want: nil},
		{name: "null", in: `null`, want: nil},
		{name: "number value keeps its text", in: `{"n":42,"f":1.50,"neg":-7,"big":98765432109876543210}`,
			want: Notes{"n": "42", "f": "1.50", "neg": "-7", "big": "98765432109876543210"}},
		{name: "bool values", in: `{"t":true,"f":false}`, want: Notes{"t": "true", "f": "false"}},
		{name: "null value is empty", in: `{"a":null,"b":"x"}`, want: Notes{"a": "", "b": "x"}},
		{name: "nested values keep their JSON text", in: `{"obj":{"k":[1,2]},"arr":[1,"x"],"s":"plain"}`,
			want: Notes{"obj": `{"k":[1,2]}`, "arr": `[1,"x"]`, "s": "plain"}},
		{name: "escaped string", in: `{"q":"say \"hi\"\n\u20b9"}`, want: Notes{"q": "say \"hi\"\n₹"}},
		{name: "non-empty array keyed by index", in: `["first",2,true,null]`, want: Notes{"0": "first", "1": "2", "2": "true", "3": ""}},
		// Invalid UTF-8 is replaced in nested values as in strings, so that
		// notes survive a round trip (the FuzzNotes property).
		{name: "invalid UTF-8", in: "{\"s\":\"\xff\",\"o\":{\"k\":\"\xff\"},\"a\":[\"\xc3\"]}", want: Notes{"s": "\uFFFD", "o": "{\"k\":\"\uFFFD\"}", "a": "[\"\uFFFD\"]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := Notes{"stale": "value"}
			require.NoError(t, json.Unmarshal([]byte(tt.in), &n))
			assert.Equal(t, tt.want, n)

			// Also straight through the method.
			var direct Notes
			require.NoError(t, direct.UnmarshalJSON([]byte(tt.in)))
			assert.Equal(t, tt.want, direct)
		})
	}
}

func TestNotesUnmarshalRefusesNonObjects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`5`, `"notes"`, `true`, `nul`, `nullx`, `{`, `[`, `{"a":}`, `[1,`, ``, `   `} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			var n Notes
			assert.Error(t, n.UnmarshalJSON([]byte(in)))
			assert.Nil(t, n)
		})
	}
}

func TestNotesInsideEntities(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want Notes
	}{
		{name: "array", in: `{"id":"cust_Nq2Yk8ZpR4tLmA","notes":[]}`, want: nil},
		{name: "object", in: `{"id":"cust_Nq2Yk8ZpR4tLmA","notes":{}}`, want: Notes{}},
		{name: "null", in: `{"id":"cust_Nq2Yk8ZpR4tLmA","notes":null}`, want: nil},
		{name: "mixed values", in: `{"id":"cust_Nq2Yk8ZpR4tLmA","notes":{"a":1,"b":"x"}}`, want: Notes{"a": "1", "b": "x"}},
		// After a quirk elsewhere, notes come out the same.
		{name: "array after a quirk", in: `{"id":"cust_Nq2Yk8ZpR4tLmA","contact":9876543210,"notes":[]}`, want: nil},
		{name: "mixed values after a quirk", in: `{"id":"cust_Nq2Yk8ZpR4tLmA","contact":9876543210,"notes":{"a":1,"b":"x"}}`, want: Notes{"a": "1", "b": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c Customer
			require.NoError(t, decodeJSON([]byte(tt.in), &c))
			assert.Equal(t, "cust_Nq2Yk8ZpR4tLmA", c.ID)
			assert.Equal(t, tt.want, c.Notes)
		})
	}
}

func FuzzNotes(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"a":"b"}`, `{"n":42,"t":true,"z":null,"o":{"k":[1,2]}}`, `["x",2]`, `5`, `{"a":`, ` [ ] `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var direct Notes
		if err := direct.UnmarshalJSON(data); err != nil {
			require.Nil(t, direct, "a failed decode leaves the notes untouched")
		}
		mockFuzzDecode[Notes](t, data)
		// As a field of an entity, after a well-formed field and after a quirky one.
		for _, prefix := range []string{`{"id":"cust_Nq2Yk8ZpR4tLmA","notes":`, `{"contact":9876543210,"notes":`} {
			wrapped := append([]byte(prefix), data...)
			wrapped = append(wrapped, '}')
			mockFuzzDecode[Customer](t, wrapped)
		}
	})
}
