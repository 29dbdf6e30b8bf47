package razorpay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

// Well-formed bodies decode to the value plain encoding/json gives, through
// the pipeline and through json.Unmarshal.
func TestDecodeWellFormedFastPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fixture string
		newOut  func() any
	}{
		{"customer/create.json", func() any { return new(Customer) }},
		{"payment/fetch.json", func() any { return new(Payment) }},
		{"payment/card.json", func() any { return new(Card) }},
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
			require.NoError(t, decodeJSON(data, lenient))
			assert.Equal(t, mockJSONOf(t, plain), mockJSONOf(t, lenient))
			assert.NotEqual(t, reflect.Zero(reflect.TypeOf(lenient).Elem()).Interface(), reflect.ValueOf(lenient).Elem().Interface())
			viaUnmarshal := tt.newOut()
			require.NoError(t, json.Unmarshal(data, viaUnmarshal))
			assert.Equal(t, lenient, viaUnmarshal)
		})
	}
}

// Quirky fixtures fail plain encoding/json (into method-free mirrors of the
// entities) and still decode, to the value plain encoding/json gives for
// their recorded well-formed form (testdata/wellformed), through the
// pipeline and through json.Unmarshal.
func TestDecodeQuirkyFixtures(t *testing.T) {
	t.Parallel()
	for _, fx := range decodeFixtures(t) {
		if fx.newOut == nil {
			continue
		}
		t.Run(fx.path, func(t *testing.T) {
			t.Parallel()
			data := mockFixture(t, fx.path)
			out := fx.newOut()
			require.NoError(t, decodeJSON(data, out))
			assert.Equal(t, wellFormedJSON(t, fx.path, reflect.TypeOf(out).Elem()), mockJSONOf(t, out))
			viaUnmarshal := fx.newOut()
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
		{name: "notes a number after a quirk", in: `{"id":"pay_Nq4Wc7YhJ2sKdF","amount":"100","notes":5}`},
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
	assert.Equal(t, Payment{ID: "pay_Nq4Wc7YhJ2sKdF", Amount: 100}, p, "decoding starts from a zero value")
}

func TestDecodeJSONNonPointer(t *testing.T) {
	t.Parallel()
	assert.Error(t, decodeJSON([]byte(`{"id":"x"}`), Payment{}))
	assert.Error(t, decodeJSON([]byte(`{"id":"x"}`), struct{ ID string }{}))
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

// lenientEntity is one type the lenient decoder serves, with fixtures of it.
type lenientEntity struct {
	name     string
	newOut   func() any
	fixtures []string
}

func lenientEntities() []lenientEntity {
	return []lenientEntity{
		{"Customer", func() any { return new(Customer) }, []string{"customer/create.json", "customer/fetch_quirky.json", "bench/customer.json"}},
		{"List[Customer]", func() any { return new(List[Customer]) }, []string{"customer/list.json"}},
		{"Card", func() any { return new(Card) }, []string{"card/fetch.json", "payment/card.json"}},
		{"CardFlows", func() any { return new(CardFlows) }, nil},
		{"CardReference", func() any { return new(CardReference) }, []string{"card_reference/by_number.json", "card_reference/by_token.json"}},
		{"Token", func() any { return new(Token) }, []string{"token/fetch.json"}},
		{"List[Token]", func() any { return new(List[Token]) }, []string{"token/list.json", "bench/tokens.json", "bench/tokens_quirky.json"}},
		{"RecurringDetails", func() any { return new(RecurringDetails) }, nil},
		{"Payment", func() any { return new(Payment) }, []string{"payment/fetch.json", "payment/fetch_quirky.json", "payment/failed.json", "bench/payment.json", "bench/payment_quirky.json"}},
		{"List[Payment]", func() any { return new(List[Payment]) }, []string{"order/payments.json"}},
		{"AcquirerData", func() any { return new(AcquirerData) }, nil},
		{"RecurringPayment", func() any { return new(RecurringPayment) }, []string{"recurring/create.json", "recurring/create_id_only.json"}},
		{"Order", func() any { return new(Order) }, []string{"order/authorization.json", "order/charge.json", "order/fetch.json"}},
		{"List[Order]", func() any { return new(List[Order]) }, []string{"order/list_by_receipt.json"}},
		{"OrderToken", func() any { return new(OrderToken) }, nil},
		{"OrderNotification", func() any { return new(OrderNotification) }, nil},
		{"Invoice", func() any { return new(Invoice) }, []string{"invoice/cancelled.json", "invoice/fetch_paid.json", "invoice/registration_link.json"}},
		{"List[Invoice]", func() any { return new(List[Invoice]) }, []string{"invoice/list.json"}},
		{"CustomerDetails", func() any { return new(CustomerDetails) }, nil},
		{"Address", func() any { return new(Address) }, nil},
		{"LineItem", func() any { return new(LineItem) }, nil},
		{"PreDebitNotification", func() any { return new(PreDebitNotification) }, nil},
		{"Refund", func() any { return new(Refund) }, []string{"refund/create.json", "refund/processed.json", "refund/instant_quirky.json"}},
		{"List[Refund]", func() any { return new(List[Refund]) }, []string{"refund/list.json"}},
	}
}

// The decoder refuses what encoding/json refuses: json.Unmarshal validates a
// body before calling an entity's UnmarshalJSON, and the pipeline must not
// accept what it rejects.
func TestDecodeRefusesInvalidJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{`, `{"id"`, `{"id":`, `{"id":"x"`, `{"id":"x",}`, `{"id":"x" "entity":"y"}`, `{"id" "x"}`, `{id:"x"}`,
		`{"id":'x'}`, `{"id":"x\q"}`, `{"id":"x\u12"}`, `{"id":"x\u12G4"}`, "{\"id\":\"a\x01b\"}", `{"id":"x`,
		`{"amount":01}`, `{"amount":1.}`, `{"amount":.5}`, `{"amount":1e}`, `{"amount":-}`, `{"amount":+1}`, `{"amount":0x10}`,
		`{"amount":NaN}`, `{"captured":tru}`, `{"captured":True}`, `{"bank":nul}`, `{"bank":nulll}`,
		`{"x":[1,]}`, `{"x":[1 2]}`, `{"x":{"a":1,}}`, `{"x":{"a"}}`, `{"x":[}`, `{"x":]}`,
		`{"id":"x"}}`, `{"id":"x"} {}`, `{"id":"x"},`, `{"notes":{"a":"b",}}`, `{"notes":{"a":"b"]}`,
		`{"card":{"last4":1111,}}`, `{"card":[,]}`, `{"card":[] ]}`,
		`{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
	} {
		t.Run(in[:min(len(in), 40)], func(t *testing.T) {
			t.Parallel()
			require.False(t, json.Valid([]byte(in)))
			var p Payment
			assert.Error(t, decodeJSON([]byte(in), &p))
			assert.Equal(t, Payment{}, p)
		})
	}
	// Deep but valid nesting under an unknown key is accepted, as by
	// encoding/json.
	deep := `{"id":"pay_Nq4Wc7YhJ2sKdF","x":` + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + `}`
	var p Payment
	require.NoError(t, decodeJSON([]byte(deep), &p))
	assert.Equal(t, "pay_Nq4Wc7YhJ2sKdF", p.ID)
}

// Strings decode as encoding/json decodes them: escapes, surrogate pairs,
// lone surrogates and invalid UTF-8 replaced by U+FFFD.
func TestDecodeStrings(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`"plain"`, `"caf\u00e9 ₹"`, `"\"q\" \\ \/ \b\f\n\r\t"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ud83dx"`, `"\ude00\ud83d"`,
		`"\ud83d\u0041"`, "\"\xff\xfe\"", "\"a\xc3\"", "\"\xed\xa0\x80\"", `""`, `"é"`,
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			var want string
			require.NoError(t, json.Unmarshal([]byte(in), &want))
			var c Customer
			require.NoError(t, decodeJSON([]byte(`{"name":`+in+`,"notes":{"n":`+in+`}}`), &c))
			assert.Equal(t, want, c.Name)
			assert.Equal(t, want, c.Notes["n"])
			// Keys too.
			var m map[string]string
			require.NoError(t, json.Unmarshal([]byte(`{`+in+`:"v"}`), &m))
			for k := range m {
				want = k
			}
			var n Notes
			require.NoError(t, json.Unmarshal([]byte(`{`+in+`:"v"}`), &n))
			assert.Equal(t, Notes{want: "v"}, n)
		})
	}
}

// Keys match as encoding/json matches them: exactly first, then
// case-insensitively with Unicode folding (K is the Kelvin sign, ſ the long
// s); last4 is zero-padded under its exact key only.
func TestDecodeKeyFolding(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want Payment
	}{
		{`{"ID":"a"}`, Payment{ID: "a"}},
		{`{"Id":"a","id":"b"}`, Payment{ID: "b"}},
		{`{"id":"b","ID":"a"}`, Payment{ID: "a"}},
		{`{"ſtatus":"captured"}`, Payment{Status: PaymentStatusCaptured}},
		{`{"TOKEN_ID":"token_X"}`, Payment{TokenID: "token_X"}},
		{`{"\u212Aey":"x"}`, Payment{}},
		{`{"amount":"5"}`, Payment{Amount: 5}},
		{`{"AMOUNT":"5"}`, Payment{Amount: 5}},
		{`{"CARD":{"last4":111}}`, Payment{Card: &Card{Last4: "0111"}}},
		{`{"CARD":{"LAST4":111}}`, Payment{Card: &Card{Last4: "111"}}},
		{`{"\u0069d":"a","c\u0061rd":{"\u006Cast4":111}}`, Payment{ID: "a", Card: &Card{Last4: "0111"}}},
	} {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var p Payment
			require.NoError(t, decodeJSON([]byte(tt.in), &p))
			assert.Equal(t, tt.want, p)
			if strings.Contains(tt.in, `"5"`) || strings.Contains(tt.in, "111") {
				return // quirky: plain encoding/json refuses it
			}
			plain := reflect.New(plainType(reflect.TypeFor[Payment](), false)).Interface()
			require.NoError(t, json.Unmarshal([]byte(tt.in), plain))
			assert.Equal(t, mockJSONOf(t, plain), mockJSONOf(t, p), "as encoding/json matches keys")
		})
	}
}

// Type errors are *json.UnmarshalTypeError and name the field.
func TestDecodeTypeError(t *testing.T) {
	t.Parallel()
	var p Payment
	err := decodeJSON([]byte(`{"id":"pay_Nq4Wc7YhJ2sKdF","amount":{"value":100}}`), &p)
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, err, &typeErr)
	assert.Equal(t, "amount", typeErr.Field)
	assert.Equal(t, reflect.TypeFor[int64](), typeErr.Type)
	require.ErrorAs(t, json.Unmarshal([]byte(`{"card":{"last4":[1]}}`), &p), &typeErr)
	assert.Equal(t, "last4", typeErr.Field)
	// An escaped key is unescaped into the lexer's buffer, which skipping the
	// value's own escaped keys reuses: the field is named before the skip.
	require.ErrorAs(t, decodeJSON([]byte(`{"amoun\u0074":{"\u0076alue":100}}`), &p), &typeErr)
	assert.Equal(t, "amount", typeErr.Field)
}

// json.Unmarshal into an entity follows the rules of a field: null leaves
// the value, [] is no value, and it merges into what is there.
func TestUnmarshalEntityLikeAField(t *testing.T) {
	t.Parallel()
	p := Payment{ID: "pay_Nq4Wc7YhJ2sKdF"}
	require.NoError(t, json.Unmarshal([]byte(`null`), &p))
	require.NoError(t, json.Unmarshal([]byte(`[]`), &p))
	require.NoError(t, json.Unmarshal([]byte(`{"amount":"100"}`), &p))
	assert.Equal(t, Payment{ID: "pay_Nq4Wc7YhJ2sKdF", Amount: 100}, p)

	// Inside the caller's own types.
	var stored struct {
		Payments []Payment         `json:"payments"`
		ByID     map[string]*Token `json:"by_id"`
		Customer Customer          `json:"customer"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"payments":[{"amount":"100","card":{"last4":1111}},[]],"by_id":{"t":{"recurring":1,"card":{"expiry_month":"01"}}},"customer":{"contact":9876543210,"notes":[]}}`), &stored))
	require.Len(t, stored.Payments, 2)
	assert.Equal(t, int64(100), stored.Payments[0].Amount)
	assert.Equal(t, "1111", stored.Payments[0].Card.Last4)
	assert.True(t, stored.ByID["t"].Recurring)
	assert.Equal(t, 1, stored.ByID["t"].Card.ExpiryMonth)
	assert.Equal(t, "9876543210", stored.Customer.Contact)

	var notObject Payment
	assert.Error(t, json.Unmarshal([]byte(`"pay_Nq4Wc7YhJ2sKdF"`), &notObject))
	assert.Error(t, json.Unmarshal([]byte(`[1]`), &notObject))
}

// json.Unmarshal, not only the pipeline, decodes Razorpay's quirky shapes.
func TestUnmarshalConformance(t *testing.T) {
	t.Parallel()
	var card Card
	require.NoError(t, json.Unmarshal([]byte(`{"last4":1111}`), &card))
	assert.Equal(t, "1111", card.Last4)
	var cu Customer
	require.NoError(t, json.Unmarshal([]byte(`{"contact":9876543210}`), &cu))
	assert.Equal(t, "9876543210", cu.Contact)
	var p Payment
	require.NoError(t, json.Unmarshal([]byte(`{"amount":"49900"}`), &p))
	assert.Equal(t, int64(49900), p.Amount)
	var o Order
	require.NoError(t, json.Unmarshal([]byte(`{"amount":"100","amount_due":"100","payments":{"entity":"collection","count":"1","items":[{"amount":"100"}]}}`), &o))
	assert.Equal(t, int64(100), o.AmountDue)
	require.NotNil(t, o.Payments)
	assert.Equal(t, int64(100), o.Payments.Items[0].Amount)
	var tok Token
	require.NoError(t, json.Unmarshal([]byte(`{"recurring":1}`), &tok))
	assert.True(t, tok.Recurring)
	var inv Invoice
	require.NoError(t, json.Unmarshal([]byte(`{"customer_details":{"contact":9876543210}}`), &inv))
	assert.Equal(t, "9876543210", inv.CustomerDetails.Contact)
	var l List[Token]
	require.NoError(t, json.Unmarshal(mockFixture(t, "token/list.json"), &l))
	assert.NotEmpty(t, l.Items)
}

// A List of a type that is not one of the SDK's decodes its items with
// encoding/json, and the page itself leniently.
func TestListOfOtherTypes(t *testing.T) {
	t.Parallel()
	type item struct {
		N int    `json:"n"`
		S string `json:"s"`
	}
	var l List[item]
	require.NoError(t, decodeJSON([]byte(`{"entity":"collection","count":"2","items":[{"n":1,"s":"2"},{"n":3},null]}`), &l))
	assert.Equal(t, List[item]{Entity: "collection", Count: 2, Items: []item{{N: 1, S: "2"}, {N: 3}, {}}}, l)
	require.NoError(t, json.Unmarshal([]byte(`{"count":1,"items":{}}`), &l))
	assert.Equal(t, List[item]{Entity: "collection", Count: 1, Items: []item{{N: 1, S: "2"}, {N: 3}, {}}}, l, "{} is no items")
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, decodeJSON([]byte(`{"items":[{"n":"1"}]}`), &l), &typeErr, "no leniency inside a type of the caller's")
	assert.Equal(t, List[item]{}, l)
}

func jsonTree(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

// FuzzUnmarshalEntity decodes any input into every entity with
// json.Unmarshal and with the SDK's pipeline: the same result on every
// input that the pipeline takes (a JSON object), no input that
// encoding/json refuses is accepted, and an input that plain encoding/json
// decodes into a method-free mirror of the entity (a well-formed body)
// decodes to the same value.
func FuzzUnmarshalEntity(f *testing.F) {
	for _, fx := range decodeFixtures(f) {
		f.Add(mockFixture(f, fx.path))
	}
	for _, s := range []string{`{}`, `[]`, `null`, `{"notes":[]}`, `{"card":{"last4":111,"expiry_month":"01"}}`, `{"ID":"x","id":"y"}`,
		`{"items":[{"amount":"1"},[],null]}`, `{"amount":1e3,"captured":"yes"}`, `{"contact":9876543210,"name":"\ud83d"}`} {
		f.Add([]byte(s))
	}
	entities := lenientEntities()
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := json.Valid(data)
		isObject := bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{"))
		for _, e := range entities {
			viaPipeline, viaUnmarshal := e.newOut(), e.newOut()
			perr := decodeJSON(data, viaPipeline)
			uerr := json.Unmarshal(data, viaUnmarshal)
			if !valid {
				require.Error(t, perr, "%s: invalid JSON accepted", e.name)
				require.Error(t, uerr)
				continue
			}
			if !isObject {
				require.Error(t, perr, "%s: the pipeline takes only objects", e.name)
				continue
			}
			require.Equal(t, perr != nil, uerr != nil, "%s: pipeline %v, json.Unmarshal %v", e.name, perr, uerr)
			plain := reflect.New(plainType(reflect.TypeOf(viaPipeline).Elem(), true)).Interface()
			if json.Unmarshal(data, plain) == nil {
				require.NoError(t, perr, "%s: encoding/json decodes it", e.name)
				require.Equal(t, mockJSONOf(t, plain), mockJSONOf(t, viaPipeline), "%s: as encoding/json decodes it", e.name)
			}
			if perr == nil {
				require.Equal(t, viaPipeline, viaUnmarshal, e.name)
			} else {
				require.Equal(t, reflect.New(reflect.TypeOf(viaPipeline).Elem()).Interface(), viaPipeline, "%s: a failed decode leaves the zero value", e.name)
			}
		}
	})
}

var plainTypes sync.Map // plainKey → reflect.Type

type plainKey struct {
	t          reflect.Type
	notesAsMap bool
}

// plainType returns a type with the JSON shape of t and no methods: every
// struct type (entities, List[T]) becomes an unnamed struct with the same
// fields and tags, recursively, so that encoding/json decodes it plainly.
// Notes stay Notes (their rules are the SDK's own) unless notesAsMap, which
// makes them map[string]string, the plainest encoding/json of all.
func plainType(t reflect.Type, notesAsMap bool) reflect.Type {
	k := plainKey{t, notesAsMap}
	if p, ok := plainTypes.Load(k); ok {
		return p.(reflect.Type)
	}
	var p reflect.Type
	switch {
	case t == reflect.TypeFor[Notes]():
		p = t
		if notesAsMap {
			p = reflect.TypeFor[map[string]string]()
		}
	case t.Kind() == reflect.Pointer:
		p = reflect.PointerTo(plainType(t.Elem(), notesAsMap))
	case t.Kind() == reflect.Slice:
		p = reflect.SliceOf(plainType(t.Elem(), notesAsMap))
	case t.Kind() == reflect.Struct:
		fields := make([]reflect.StructField, 0, t.NumField())
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fields = append(fields, reflect.StructField{Name: f.Name, Type: plainType(f.Type, notesAsMap), Tag: f.Tag})
		}
		p = reflect.StructOf(fields)
	default:
		p = t
	}
	plainTypes.Store(k, p)
	return p
}

// decodeFixture is an entity fixture or a webhook sample, with the type it
// decodes into.
type decodeFixture struct {
	path   string
	newOut func() any // nil for a webhook sample
}

// typ returns the type the fixture decodes into: the entity, or the shape of
// a webhook body.
func (fx decodeFixture) typ() reflect.Type {
	if fx.newOut == nil {
		return webhookBodyType()
	}
	return reflect.TypeOf(fx.newOut()).Elem()
}

func decodeFixtures(t testing.TB) []decodeFixture {
	var out []decodeFixture
	for _, e := range lenientEntities() {
		for _, f := range e.fixtures {
			out = append(out, decodeFixture{f, e.newOut})
		}
	}
	for _, name := range webhookSamples(t) {
		out = append(out, decodeFixture{"webhooks/" + name + ".json", nil})
	}
	return out
}

// wellFormed returns the recorded well-formed form of a fixture of type t:
// the same body with every value in its documented type, as plain
// encoding/json decodes it into a method-free mirror of t (with notes as
// map[string]string). It is testdata/wellformed/<path> for a quirky
// fixture, the fixture itself for one that is already well-formed.
func wellFormed(t testing.TB, path string, typ reflect.Type) []byte {
	t.Helper()
	raw := mockFixture(t, path)
	fixtureErr := json.Unmarshal(raw, reflect.New(plainType(typ, true)).Interface())
	rec, err := os.ReadFile(filepath.Join("testdata", "wellformed", filepath.FromSlash(path)))
	if errors.Is(err, fs.ErrNotExist) {
		require.NoError(t, fixtureErr, "%s is quirky: record its well-formed form in testdata/wellformed/%[1]s", path)
		return raw
	}
	require.NoError(t, err)
	require.Error(t, fixtureErr, "%s is well-formed: testdata/wellformed/%[1]s is not needed", path)
	require.NoError(t, json.Unmarshal(rec, reflect.New(plainType(typ, true)).Interface()), "testdata/wellformed/%s is not well-formed", path)
	return rec
}

// wellFormedJSON returns the JSON of the value plain encoding/json decodes
// from the fixture's well-formed form.
func wellFormedJSON(t testing.TB, path string, typ reflect.Type) string {
	t.Helper()
	plain := reflect.New(plainType(typ, true)).Interface()
	require.NoError(t, json.Unmarshal(wellFormed(t, path, typ), plain))
	return mockJSONOf(t, plain)
}

// quirkify returns a random variant of a well-formed JSON tree (from a
// json.Decoder with UseNumber) that is to be decoded into the plain type t,
// with the wire's quirks: values in other JSON types that mean the same,
// nulls, empty objects and arrays swapped, keys in other cases (when
// foldKeys). key is the JSON key v stands under, "" for the document. It also
// returns the well-formed tree that plain encoding/json must decode to the
// value the SDK decodes from the variant: the original, but where a quirk
// means "no value" (null, [] for a pointer, {} for a list).
func quirkify(r *rand.Rand, v any, t reflect.Type, key string, foldKeys bool) (quirky, want any) {
	if v == nil {
		return nil, nil
	}
	ptr := t.Kind() == reflect.Pointer
	if ptr {
		t = t.Elem()
	}
	// null is no value, but for the document, for maps other than notes, and
	// for a webhook's event name, which ParseWebhook requires.
	if key != "" && key != "event" && r.IntN(24) == 0 && !(t.Kind() == reflect.Map && key != "notes") {
		return nil, nil
	}
	switch t.Kind() {
	case reflect.Struct:
		x := v.(map[string]any)
		if len(x) == 0 && r.IntN(2) == 0 {
			if ptr {
				return []any{}, nil
			}
			return []any{}, x
		}
		q, w := make(map[string]any, len(x)), make(map[string]any, len(x))
		for k, e := range x {
			ft, ok := fieldType(t, k)
			if !ok {
				q[k], w[k] = e, e // unknown: skipped by both
				continue
			}
			nk := k
			if foldKeys && k != "last4" && r.IntN(16) == 0 {
				nk = strings.ToUpper(k)
			}
			// The payload's keys are entity names, not fields: they are not folded.
			q[nk], w[nk] = quirkify(r, e, ft, k, k != "payload")
		}
		return q, w
	case reflect.Map:
		x := v.(map[string]any)
		if len(x) == 0 && r.IntN(2) == 0 {
			return []any{}, nil // notes: [] is no notes
		}
		q := make(map[string]any, len(x))
		for k, e := range x {
			q[k] = e
			if s, ok := e.(string); ok && r.IntN(4) == 0 && looksLikeJSON(s) {
				q[k] = json.RawMessage(s) // a note keeps the JSON text of a non-string
			}
		}
		return q, x
	case reflect.Slice:
		x := v.([]any)
		if len(x) == 0 && r.IntN(2) == 0 {
			return map[string]any{}, nil // {} is no list
		}
		q, w := make([]any, len(x)), make([]any, len(x))
		for i, e := range x {
			q[i], w[i] = quirkify(r, e, t.Elem(), key, foldKeys)
		}
		return q, w
	case reflect.String:
		s := v.(string)
		switch r.IntN(6) {
		case 0:
			if key == "last4" && len(s) == 4 && isDigits(s) {
				if n := strings.TrimLeft(s, "0"); n != "" {
					return json.Number(n), s // zero-padded back
				}
			}
			if looksLikeJSON(s) && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) {
				return json.Number(s), s
			}
		case 1:
			if s == "true" || s == "false" {
				return s == "true", s
			}
		}
		return s, s
	case reflect.Int, reflect.Int64:
		n := v.(json.Number)
		switch r.IntN(8) {
		case 0:
			return string(n), n
		case 1:
			return " " + string(n) + " ", n
		case 2:
			return json.Number(string(n) + ".0"), n
		case 3:
			if n == "0" || n == "1" {
				return n == "1", n
			}
		case 4:
			if n == "0" {
				return "", n
			}
		}
		return n, n
	case reflect.Bool:
		b := v.(bool)
		if r.IntN(2) == 0 {
			alts := map[bool][]any{
				true:  {json.Number("1"), "1", "true", "TRUE", "yes", " true ", json.Number("2.5")},
				false: {json.Number("0"), "0", "false", "no", "", json.Number("0.0")},
			}[b]
			return alts[r.IntN(len(alts))], b
		}
		return b, b
	}
	return v, v
}

// fieldType returns the type of the field of the plain struct type t whose
// JSON name is name.
func fieldType(t reflect.Type, name string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n == name {
			return f.Type, true
		}
	}
	return nil, false
}

// looksLikeJSON reports whether s is the JSON text of a scalar that is not
// a string.
func looksLikeJSON(s string) bool {
	var v any
	if s == "" || json.Unmarshal([]byte(s), &v) != nil {
		return false
	}
	_, isString := v.(string)
	return !isString && v != nil
}

// checkVariant makes a quirky variant of a fixture's well-formed form and
// requires the SDK to decode it to the value plain encoding/json decodes
// from the variant's well-formed equivalent.
func checkVariant(t *testing.T, r *rand.Rand, fx decodeFixture) {
	t.Helper()
	typ := fx.typ()
	pt := plainType(typ, true)
	q, w := quirkify(r, jsonTree(t, wellFormed(t, fx.path, typ)), pt, "", true)
	quirky, err := json.Marshal(q)
	require.NoError(t, err)
	wantBody, err := json.Marshal(w)
	require.NoError(t, err)
	want := reflect.New(pt)
	require.NoError(t, json.Unmarshal(wantBody, want.Interface()), "the expectation is well-formed: %s", wantBody)
	if fx.newOut != nil {
		got := fx.newOut()
		require.NoError(t, decodeJSON(quirky, got), "%s", quirky)
		require.Equal(t, mockJSONOf(t, want.Interface()), mockJSONOf(t, got), "on %s", quirky)
		return
	}
	const secret = "whsec_fuzz_0123456789"
	ev, err := ParseWebhook(quirky, mockSign(secret, quirky), secret)
	require.NoError(t, err, "%s", quirky)
	wantEnv := want.Elem()
	payload := wantEnv.FieldByName("Payload")
	for _, et := range entityTypes {
		if et.get == nil {
			continue
		}
		var wantEntity reflect.Value // a pointer to the plain entity
		if wrapper := payload.FieldByName(strings.ToUpper(et.name)); !wrapper.IsNil() {
			wantEntity = wrapper.Elem().Field(0)
		}
		got := et.get(ev)
		if !wantEntity.IsValid() || wantEntity.IsNil() {
			require.Nil(t, got, "payload.%s on %s", et.name, quirky)
			continue
		}
		require.NotNil(t, got, "payload.%s on %s", et.name, quirky)
		if _, ok := got.(*Token); ok {
			if st := wantEntity.Elem().FieldByName("RecurringDetails").FieldByName("Status"); st.String() == "" {
				st.SetString(string(mandateStatusOf(ev.Event))) // ParseWebhook fills it from the event
			}
		}
		gotPlain := reflect.New(wantEntity.Type().Elem())
		require.NoError(t, json.Unmarshal([]byte(mockJSONOf(t, got)), gotPlain.Interface()))
		require.Equal(t, mockJSONOf(t, wantEntity.Interface()), mockJSONOf(t, gotPlain.Interface()), "payload.%s on %s", et.name, quirky)
	}
	payload.SetZero()
	gotEnv := reflect.New(pt).Elem()
	gotEnv.FieldByName("Entity").SetString(ev.Entity)
	gotEnv.FieldByName("AccountID").SetString(ev.AccountID)
	gotEnv.FieldByName("Event").SetString(string(ev.Event))
	gotEnv.FieldByName("Contains").Set(reflect.ValueOf(ev.Contains))
	gotEnv.FieldByName("CreatedAt").SetInt(ev.CreatedAt)
	require.Equal(t, mockJSONOf(t, wantEnv.Interface()), mockJSONOf(t, gotEnv.Interface()), "on %s", quirky)
	// Payload keeps every entry's raw entity.
	entries, _ := q.(map[string]any)["payload"].(map[string]any)
	for name, wrapper := range entries {
		var entity any
		if m, ok := wrapper.(map[string]any); ok {
			for k, v := range m {
				if strings.EqualFold(k, "entity") {
					entity = v
				}
			}
		}
		if entity == nil {
			assert.NotContains(t, ev.Payload, name)
			continue
		}
		raw, err := json.Marshal(entity)
		require.NoError(t, err)
		require.JSONEq(t, string(raw), string(ev.Payload[name]), "Payload keeps the raw entity")
	}
}

// FuzzDecodeQuirkyVariants decodes random quirky variants of the recorded
// well-formed form of every fixture and webhook sample (their entities made
// quirky) with the SDK, and requires the value plain encoding/json decodes
// from the variant's well-formed equivalent.
func FuzzDecodeQuirkyVariants(f *testing.F) {
	fixtures := decodeFixtures(f)
	for i := range fixtures {
		for seed := range uint64(3) {
			f.Add(uint16(i), seed)
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, seed uint64) {
		fx := fixtures[int(which)%len(fixtures)]
		checkVariant(t, rand.New(rand.NewPCG(seed, uint64(which))), fx)
	})
}

func TestQuirkyVariantsOfEveryFixture(t *testing.T) {
	t.Parallel()
	for i, fx := range decodeFixtures(t) {
		t.Run(fx.path, func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(40) {
				checkVariant(t, rand.New(rand.NewPCG(seed, uint64(i))), fx)
			}
		})
	}
}

// A body at the response cap with a type quirk decodes in one pass, not
// in a second, reflective pass that would allocate many times the body.
// The decoder allocates the body's values once: at most
// 1.1 times the body. The whole Payment.Fetch allocates 3 times the body
// when the response has a Content-Length (the decoded value, and the
// response buffer growing in Client.attempt), 5 times when it is chunked;
// sizing the buffer from Content-Length would make it 2.
//
// Not parallel: it reads the process-wide allocation counters, which
// parallel tests would disturb (they wait until the sequential tests are
// done).
func TestLargeQuirkyBodyMemory(t *testing.T) {
	const quirk = `","contact":9876543210}`
	head := `{"id":"pay_Ng7qXw2Lk9BfRt","entity":"payment","amount":"149900","description":"`
	body := head + strings.Repeat("x", maxResponseBytes-len(head)-len(quirk)) + quirk
	require.Len(t, body, maxResponseBytes)
	raw := []byte(body)

	// The least of a few runs: the counters are process-wide, and goroutines
	// of earlier tests may still be winding down.
	allocated := func(f func()) float64 {
		least := uint64(1<<63 - 1)
		for range 5 {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			f()
			runtime.ReadMemStats(&after)
			least = min(least, after.TotalAlloc-before.TotalAlloc)
		}
		return float64(least) / float64(len(body))
	}

	decoded := allocated(func() {
		var out Payment
		require.NoError(t, decodeJSON(raw, &out))
		assert.Equal(t, "9876543210", out.Contact)
	})
	t.Logf("decoding a %d-byte quirky payment allocated %.2f× the body", len(body), decoded)
	assert.LessOrEqual(t, decoded, 1.1)

	for _, tt := range []struct {
		name          string
		contentLength bool
		max           float64
	}{
		{"with Content-Length", true, 4},
		{"chunked", false, 5.5},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if tt.contentLength {
				w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
			}
			_, _ = w.Write(raw)
		}))
		c := NewClient(mockKeyID, mockKeySecret, WithBaseURL(srv.URL))
		require.NoError(t, c.Err())
		ctx := context.Background()
		fetch := allocated(func() {
			p, err := c.Payment.Fetch(ctx, "pay_Ng7qXw2Lk9BfRt")
			require.NoError(t, err)
			assert.Equal(t, "9876543210", p.Contact)
			assert.Equal(t, int64(149900), p.Amount)
			assert.Equal(t, maxResponseBytes-len(head)-len(quirk), len(p.Description))
		})
		srv.Close()
		t.Logf("Payment.Fetch of a %d-byte quirky payment, %s: %.2f× the body", len(body), tt.name, fetch)
		if !raceEnabled { // the race detector's byte slices grow more wastefully
			assert.LessOrEqual(t, fetch, tt.max, tt.name)
		}
	}
}
