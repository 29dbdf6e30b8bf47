package razorpay

import (
	"encoding/json"
	"reflect"
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
		// A type error elsewhere sends the body down the slow path; notes must
		// come out the same.
		{name: "array on the slow path", in: `{"id":"cust_Nq2Yk8ZpR4tLmA","contact":9876543210,"notes":[]}`, want: nil},
		{name: "mixed values on the slow path", in: `{"id":"cust_Nq2Yk8ZpR4tLmA","contact":9876543210,"notes":{"a":1,"b":"x"}}`, want: Notes{"a": "1", "b": "x"}},
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

func TestDecodeLenientCard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want Card
	}{
		{name: "last4 as a number", in: `{"last4":1111}`, want: Card{Last4: "1111"}},
		{name: "last4 as a short number is zero-padded", in: `{"last4":111}`, want: Card{Last4: "0111"}},
		{name: "last4 as a single digit", in: `{"last4":7}`, want: Card{Last4: "0007"}},
		{name: "last4 as a string", in: `{"last4":"0042"}`, want: Card{Last4: "0042"}},
		{name: "expiry as strings", in: `{"expiry_month":"2","expiry_year":"2099"}`, want: Card{ExpiryMonth: 2, ExpiryYear: 2099}},
		{name: "expiry month with a leading zero", in: `{"expiry_month":"01","expiry_year":"2030"}`, want: Card{ExpiryMonth: 1, ExpiryYear: 2030}},
		{name: "expiry as numbers", in: `{"expiry_month":12,"expiry_year":2030}`, want: Card{ExpiryMonth: 12, ExpiryYear: 2030}},
		{name: "expiry as an empty string", in: `{"expiry_month":"","expiry_year":2030}`, want: Card{ExpiryYear: 2030}},
		{name: "emi null", in: `{"emi":null,"international":true}`, want: Card{International: true}},
		{name: "booleans as 0 and 1", in: `{"emi":1,"international":0}`, want: Card{EMI: true}},
		{name: "booleans as strings", in: `{"emi":"1","international":"true"}`, want: Card{EMI: true, International: true}},
		{name: "booleans as false strings", in: `{"emi":"0","international":"false"}`, want: Card{}},
		{name: "flows as an empty array", in: `{"last4":"8950","flows":[]}`, want: Card{Last4: "8950"}},
		{name: "flows with numeric booleans", in: `{"flows":{"recurring":1,"otp":"true","iframe":0}}`, want: Card{Flows: &CardFlows{Recurring: true, OTP: true}}},
		{name: "token_iin as a number", in: `{"token_iin":529988}`, want: Card{TokenIIN: "529988"}},
		{name: "unknown keys", in: `{"last4":"8950","tokenised_networks":[],"x":{"y":[1,2,{"z":null}]}}`, want: Card{Last4: "8950"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got Card
			require.NoError(t, decodeJSON([]byte(tt.in), &got))
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeLenientPayment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, p Payment)
	}{
		{name: "contact as a number", in: `{"contact":9876543210}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, "9876543210", p.Contact)
		}},
		{name: "amounts as strings", in: `{"amount":"49900","amount_refunded":"0","fee":" 998 ","tax":"152"}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, int64(49900), p.Amount)
			assert.Equal(t, int64(0), p.AmountRefunded)
			assert.Equal(t, int64(998), p.Fee)
			assert.Equal(t, int64(152), p.Tax)
		}},
		{name: "amounts as integral floats", in: `{"amount":49900.0,"fee":1e3}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, int64(49900), p.Amount)
			assert.Equal(t, int64(1000), p.Fee)
		}},
		{name: "amounts as empty strings", in: `{"amount":"","fee":""}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, int64(0), p.Amount)
			assert.Equal(t, int64(0), p.Fee)
		}},
		{name: "timestamps as strings", in: `{"created_at":"1713100120"}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, int64(1713100120), p.CreatedAt)
		}},
		{name: "booleans", in: `{"captured":1,"international":"0"}`, check: func(t *testing.T, p Payment) {
			assert.True(t, p.Captured)
			assert.False(t, p.International)
		}},
		{name: "booleans as null", in: `{"captured":null,"international":null}`, check: func(t *testing.T, p Payment) {
			assert.False(t, p.Captured)
			assert.False(t, p.International)
		}},
		{name: "empty arrays for objects", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","acquirer_data":[],"card":[],"notes":[]}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, "pay_Nq4Wc7YhJ2sKdF", p.ID)
			assert.Equal(t, AcquirerData{}, p.AcquirerData)
			assert.Nil(t, p.Card)
			assert.Nil(t, p.Notes)
		}},
		{name: "embedded quirky card", in: `{"card":{"last4":111,"emi":null,"expiry_month":"2"},"status":"captured"}`, check: func(t *testing.T, p Payment) {
			require.NotNil(t, p.Card)
			assert.Equal(t, "0111", p.Card.Last4)
			assert.Equal(t, 2, p.Card.ExpiryMonth)
			assert.Equal(t, PaymentStatusCaptured, p.Status)
		}},
		{name: "strings as booleans", in: `{"error_code":false,"description":true}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, "false", p.ErrorCode)
			assert.Equal(t, "true", p.Description)
		}},
		{name: "keys matched case-insensitively like encoding/json", in: `{"ID":"pay_Nq4Wc7YhJ2sKdF","Amount":"100"}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, "pay_Nq4Wc7YhJ2sKdF", p.ID)
			assert.Equal(t, int64(100), p.Amount)
		}},
		{name: "unknown status passes through", in: `{"status":"pending_review"}`, check: func(t *testing.T, p Payment) {
			assert.Equal(t, PaymentStatus("pending_review"), p.Status)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var p Payment
			require.NoError(t, decodeJSON([]byte(tt.in), &p))
			tt.check(t, p)
		})
	}
}

func TestDecodeLenientOtherEntities(t *testing.T) {
	t.Parallel()

	t.Run("token", func(t *testing.T) {
		t.Parallel()
		var tok Token
		require.NoError(t, decodeJSON([]byte(`{"recurring":"1","dcc_enabled":null,"recurring_details":[],"max_amount":"1500000","used_at":"","card":{"last4":1111,"expiry_month":"01","expiry_year":"2099"},"notes":[],"compliant_with_tokenisation_guidelines":1}`), &tok))
		assert.True(t, tok.Recurring)
		assert.False(t, tok.DCCEnabled)
		assert.Equal(t, RecurringDetails{}, tok.RecurringDetails)
		assert.Equal(t, int64(1500000), tok.MaxAmount)
		assert.Equal(t, int64(0), tok.UsedAt)
		require.NotNil(t, tok.Card)
		assert.Equal(t, "1111", tok.Card.Last4)
		assert.Equal(t, 1, tok.Card.ExpiryMonth)
		assert.Equal(t, 2099, tok.Card.ExpiryYear)
		assert.True(t, tok.CompliantWithTokenisationGuidelines)
	})

	t.Run("invoice", func(t *testing.T) {
		t.Parallel()
		var inv Invoice
		require.NoError(t, decodeJSON([]byte(`{"customer_details":[],"line_items":{},"partial_payment":"0","view_less":1,"amount":"100","token":[],"notes":[]}`), &inv))
		assert.Equal(t, CustomerDetails{}, inv.CustomerDetails)
		assert.Nil(t, inv.LineItems)
		assert.False(t, inv.PartialPayment)
		assert.True(t, inv.ViewLess)
		assert.Equal(t, int64(100), inv.Amount)
		assert.Nil(t, inv.Token)
	})

	t.Run("customer details contact", func(t *testing.T) {
		t.Parallel()
		var inv Invoice
		require.NoError(t, decodeJSON([]byte(`{"customer_details":{"contact":9876543210,"customer_contact":9876543210,"billing_address":{"zipcode":560038,"primary":1}}}`), &inv))
		assert.Equal(t, "9876543210", inv.CustomerDetails.Contact)
		assert.Equal(t, "9876543210", inv.CustomerDetails.CustomerContact)
		require.NotNil(t, inv.CustomerDetails.BillingAddress)
		assert.Equal(t, "560038", inv.CustomerDetails.BillingAddress.Zipcode)
		assert.True(t, inv.CustomerDetails.BillingAddress.Primary)
	})

	t.Run("order token", func(t *testing.T) {
		t.Parallel()
		var o Order
		require.NoError(t, decodeJSON([]byte(`{"attempts":"1","amount":"100","token":{"max_amount":"1500000","expire_at":null,"notes":[]},"notification":[]}`), &o))
		assert.Equal(t, 1, o.Attempts)
		assert.Equal(t, int64(100), o.Amount)
		require.NotNil(t, o.Token)
		assert.Equal(t, int64(1500000), o.Token.MaxAmount)
		assert.Equal(t, int64(0), o.Token.ExpireAt)
		assert.Nil(t, o.Notification)
	})

	t.Run("collection", func(t *testing.T) {
		t.Parallel()
		var l List[Customer]
		require.NoError(t, decodeJSON([]byte(`{"entity":"collection","count":"2","items":[{"id":"cust_Nq2Yk8ZpR4tLmA","contact":9876543210,"notes":[]},{"id":"cust_Pb7Hx3WvT9sQeD","notes":{"a":1}}]}`), &l))
		assert.Equal(t, 2, l.Count)
		require.Len(t, l.Items, 2)
		assert.Equal(t, "9876543210", l.Items[0].Contact)
		assert.Equal(t, Notes{"a": "1"}, l.Items[1].Notes)
	})

	t.Run("collection with items as an empty object", func(t *testing.T) {
		t.Parallel()
		var l List[Token]
		require.NoError(t, decodeJSON([]byte(`{"entity":"collection","count":0,"items":{}}`), &l))
		assert.Empty(t, l.Items)
	})

	t.Run("recurring payment with extra keys", func(t *testing.T) {
		t.Parallel()
		var rp RecurringPayment
		require.NoError(t, decodeJSON([]byte(`{"razorpay_payment_id":"pay_Nr9Yb3NkJ5dXrU","org_logo":"","custom_branding":false,"org":{"name":"x"}}`), &rp))
		assert.Equal(t, RecurringPayment{PaymentID: "pay_Nr9Yb3NkJ5dXrU"}, rp)
	})
}

// Well-formed bodies decode to the value plain encoding/json gives.
func TestDecodeWellFormedFastPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		newOut  func() any
	}{
		{"customer/create.json", func() any { return new(Customer) }},
		{"customer/list.json", func() any { return new(List[Customer]) }},
		{"order/authorization.json", func() any { return new(Order) }},
		{"order/payments.json", func() any { return new(List[Payment]) }},
		{"payment/fetch.json", func() any { return new(Payment) }},
		{"payment/card.json", func() any { return new(Card) }},
		{"invoice/registration_link.json", func() any { return new(Invoice) }},
		{"token/fetch.json", func() any { return new(Token) }},
		{"recurring/create.json", func() any { return new(RecurringPayment) }},
		{"card_reference/by_token.json", func() any { return new(CardReference) }},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			data := mockFixture(t, tt.fixture)
			lenient := tt.newOut()
			// Plain encoding/json, into a mirror of the entity without its
			// UnmarshalJSON.
			plain := reflect.New(plainType(reflect.TypeOf(lenient).Elem(), false)).Interface()
			require.NoError(t, json.Unmarshal(data, plain), "the fixture is well-formed: plain encoding/json decodes it")
			slow, err := decode(data, lenient)
			require.NoError(t, err)
			assert.False(t, slow, "an entity never takes the reflective slow path")
			assert.Equal(t, jsonOf(t, plain), jsonOf(t, lenient))
			assert.NotEqual(t, reflect.Zero(reflect.TypeOf(lenient).Elem()).Interface(), reflect.ValueOf(lenient).Elem().Interface())
		})
	}
}

// Quirky fixtures fail plain encoding/json (into method-free mirrors of the
// entities) and still decode, in one pass: the reflective slow path is
// never taken for an entity, and json.Unmarshal into the entity gives the
// same value as the SDK's decoding.
func TestDecodeQuirkyFixturesInOnePass(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		newOut  func() any
	}{
		{"customer/fetch_quirky.json", func() any { return new(Customer) }},
		{"payment/fetch_quirky.json", func() any { return new(Payment) }},
		{"card/fetch.json", func() any { return new(Card) }},
		{"token/list.json", func() any { return new(List[Token]) }},
		{"invoice/fetch_paid.json", func() any { return new(Invoice) }},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			data := mockFixture(t, tt.fixture)
			plain := reflect.New(plainType(reflect.TypeOf(tt.newOut()).Elem(), false)).Interface()
			var typeErr *json.UnmarshalTypeError
			require.ErrorAs(t, json.Unmarshal(data, plain), &typeErr, "the fixture is quirky: plain encoding/json fails on it")
			out := tt.newOut()
			slow, err := decode(data, out)
			require.NoError(t, err)
			assert.False(t, slow)
			viaUnmarshal := tt.newOut()
			require.NoError(t, json.Unmarshal(data, viaUnmarshal))
			assert.Equal(t, out, viaUnmarshal)
		})
	}
}

func TestDecodeErrorsLeaveZeroValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
	}{
		{name: "truncated", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","amount":100,"notes":{"a":"b"`},
		{name: "truncated after a quirk", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","amount":"100","contact":98765`},
		{name: "invalid", in: `{"id":"pay_Nq4Wc7YhJ2sKdF",}`},
		{name: "not JSON", in: `<html><title>502 Bad Gateway</title></html>`},
		{name: "empty", in: ``},
		{name: "trailing garbage", in: `{"id":"pay_Nq4Wc7YhJ2sKdF"} x`},
		{name: "amount not a number", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","amount":"abc"}`},
		{name: "amount fractional", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","amount":100.5}`},
		{name: "amount out of range", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","amount":1e30}`},
		{name: "amount an object", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","amount":{"value":100}}`},
		{name: "string an object", in: `{"id":{"v":"pay_Nq4Wc7YhJ2sKdF"},"amount":100}`},
		{name: "bool not a bool", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","captured":"maybe"}`},
		{name: "object a non-empty array", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","acquirer_data":[1]}`},
		{name: "notes a number", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","notes":5}`},
		{name: "notes a number on the slow path", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","amount":"100","notes":5}`},
		{name: "top-level string", in: `"pay_Nq4Wc7YhJ2sKdF"`},
		{name: "top-level non-empty array", in: `[{"id":"pay_Nq4Wc7YhJ2sKdF"}]`},
		{name: "top-level empty array", in: `[]`},
		{name: "top-level null", in: `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := Payment{ID: "stale", Amount: 7, Notes: Notes{"stale": "x"}, Card: &Card{Last4: "9999"}}
			err := decodeJSON([]byte(tt.in), &p)
			require.Error(t, err)
			assert.Equal(t, Payment{}, p, "never a partial value")
		})
	}
}

func TestDecodeJSONSuccessReplacesPreviousValue(t *testing.T) {
	t.Parallel()
	p := Payment{ID: "stale", Fee: 9, Notes: Notes{"stale": "x"}}
	require.NoError(t, decodeJSON([]byte(`{"id":"pay_Nq4Wc7YhJ2sKdF","amount":"100"}`), &p))
	assert.Equal(t, Payment{ID: "pay_Nq4Wc7YhJ2sKdF", Amount: 100}, p, "the slow path starts from a zero value")
}

func TestDecodeJSONNonPointer(t *testing.T) {
	t.Parallel()
	assert.Error(t, decodeJSON([]byte(`{"id":"x"}`), Payment{}))
	assert.Error(t, decodeLoose([]byte(`{"id":"x"}`), Payment{}))
	assert.Error(t, decodeLoose([]byte(`{"id":"x"}`), (*Payment)(nil)))
}

func TestCoerce(t *testing.T) {
	t.Parallel()
	str := reflect.TypeFor[string]()
	i64 := reflect.TypeFor[int64]()
	i := reflect.TypeFor[int]()
	b := reflect.TypeFor[bool]()
	f := reflect.TypeFor[float64]()
	tests := []struct {
		name string
		v    any
		t    reflect.Type
		key  string
		want any
	}{
		{"number to string", json.Number("9876543210"), str, "contact", "9876543210"},
		{"last4 padded", json.Number("111"), str, "last4", "0111"},
		{"last4 of four digits", json.Number("1111"), str, "last4", "1111"},
		{"last4 negative not padded", json.Number("-1"), str, "last4", "-1"},
		{"other short number not padded", json.Number("111"), str, "contact", "111"},
		{"bool to string", true, str, "x", "true"},
		{"string stays", "abc", str, "x", "abc"},
		{"numeric string to int", "2", i, "expiry_month", json.Number("2")},
		{"leading zero", "01", i, "expiry_month", json.Number("1")},
		{"spaces trimmed", " 2099 ", i64, "expiry_year", json.Number("2099")},
		{"empty string to null", "", i64, "fee", nil},
		{"integral float string", "12.0", i64, "amount", json.Number("12")},
		{"exponent", json.Number("1e3"), i64, "amount", json.Number("1000")},
		{"fractional stays", json.Number("1.5"), i64, "amount", json.Number("1.5")},
		{"non-numeric stays", "abc", i64, "amount", "abc"},
		{"true to 1", true, i64, "amount", json.Number("1")},
		{"false to 0", false, i64, "amount", json.Number("0")},
		{"1 to true", json.Number("1"), b, "captured", true},
		{"0 to false", json.Number("0"), b, "captured", false},
		{"string 1", "1", b, "captured", true},
		{"string true", "TRUE", b, "captured", true},
		{"string yes", "yes", b, "captured", true},
		{"string 0", "0", b, "captured", false},
		{"string false", "false", b, "captured", false},
		{"empty string", "", b, "captured", false},
		{"unknown string stays", "maybe", b, "captured", "maybe"},
		{"null stays", nil, b, "captured", nil},
		{"float from string", "1.25", f, "rate", json.Number("1.25")},
		{"empty array to struct", []any{}, plainType(reflect.TypeFor[AcquirerData](), false), "acquirer_data", nil},
		{"empty array to pointer to struct", []any{}, plainType(reflect.TypeFor[*Card](), false), "card", nil},
		{"empty object to slice", map[string]any{}, plainType(reflect.TypeFor[[]LineItem](), false), "line_items", nil},
		{"empty array to map", []any{}, reflect.TypeFor[map[string]int](), "m", nil},
		{"non-empty array to struct stays", []any{json.Number("1")}, plainType(reflect.TypeFor[AcquirerData](), false), "acquirer_data", []any{json.Number("1")}},
		{"notes left to their decoder", []any{}, reflect.TypeFor[Notes](), "notes", []any{}},
		{"map values coerced", map[string]any{"a": "1"}, reflect.TypeFor[map[string]int](), "m", map[string]any{"a": json.Number("1")}},
		{"slice elements coerced", []any{json.Number("1111"), json.Number("7")}, reflect.TypeFor[[]string](), "last4", []any{"1111", "0007"}},
		{"struct fields coerced", map[string]any{"last4": json.Number("111"), "expiry_month": "2", "unknown": json.Number("1")}, plainType(reflect.TypeFor[Card](), false), "card",
			map[string]any{"last4": "0111", "expiry_month": json.Number("2"), "unknown": json.Number("1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, coerce(tt.v, tt.t, tt.key))
		})
	}
}

// mockFuzzDecode checks the properties every fuzz target of the lenient
// decoder shares: no panic, a failure leaves the zero value, and a success
// survives an encode and decode round trip unchanged.
func mockFuzzDecode[T any](t *testing.T, data []byte) {
	var v T
	if err := decodeJSON(data, &v); err != nil {
		var zero T
		require.Equal(t, zero, v, "a failed decode leaves the zero value")
		return
	}
	enc, err := json.Marshal(v)
	require.NoError(t, err)
	var again T
	require.NoError(t, decodeJSON(enc, &again), "re-decoding %s", enc)
	require.Equal(t, v, again, "re-decoding %s", enc)
}

func mockFuzzSeeds(f *testing.F, fixtures ...string) {
	for _, name := range fixtures {
		f.Add(mockFixture(f, name))
	}
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"notes":[]}`, `{"notes":{"a":1,"b":{"c":[true]}}}`,
		`{"amount":"100","captured":1,"contact":9876543210}`,
		`{"card":{"last4":111,"expiry_month":"2","expiry_year":"2099","emi":null,"flows":[]}}`,
		`{"recurring":"1","recurring_details":[],"card":[]}`,
		`{"id":"pay_Nq4Wc7YhJ2sKdF","amount":`,
	} {
		f.Add([]byte(s))
	}
}

func FuzzDecodePayment(f *testing.F) {
	mockFuzzSeeds(f, "payment/fetch.json", "payment/fetch_quirky.json", "payment/failed.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		mockFuzzDecode[Payment](t, data)
	})
}

func FuzzDecodeToken(f *testing.F) {
	mockFuzzSeeds(f, "token/fetch.json", "token/list.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		mockFuzzDecode[Token](t, data)
		mockFuzzDecode[List[Token]](t, data)
	})
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
		// As a field of an entity, on the fast and on the slow path.
		for _, prefix := range []string{`{"id":"cust_Nq2Yk8ZpR4tLmA","notes":`, `{"contact":9876543210,"notes":`} {
			wrapped := append([]byte(prefix), data...)
			wrapped = append(wrapped, '}')
			mockFuzzDecode[Customer](t, wrapped)
		}
	})
}
