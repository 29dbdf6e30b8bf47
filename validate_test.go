package razorpay

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateNilParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		call func(ctx context.Context, c *Client) error
	}{
		{"Customer.Create", func(ctx context.Context, c *Client) error { _, err := c.Customer.Create(ctx, nil); return err }},
		{"Order.Create", func(ctx context.Context, c *Client) error { _, err := c.Order.Create(ctx, nil); return err }},
		{"RegistrationLink.Create", func(ctx context.Context, c *Client) error { _, err := c.RegistrationLink.Create(ctx, nil); return err }},
		{"Payment.CreateRecurring", func(ctx context.Context, c *Client) error { _, err := c.Payment.CreateRecurring(ctx, nil); return err }},
		{"Card.RequestCardReference", func(ctx context.Context, c *Client) error {
			_, err := c.Card.RequestCardReference(ctx, nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			assertInvalidParams(t, tt.call(mockCtx(t), c), "params")
			assertNoRequest(t, mt)
		})
	}
}

func TestValidateNoteLimitsAreExact(t *testing.T) {
	t.Parallel()
	// The limits Razorpay documents, as exported constants.
	assert.Equal(t, 15, MaxNotes)
	assert.Equal(t, 256, MaxNoteLength)
	assert.Equal(t, 40, MaxReceiptLength)
	assert.Equal(t, 100, MinAmount)
	assert.Equal(t, 1500000, MaxOrderTokenAmount)
	assert.Equal(t, 100000000, MaxRegistrationAmount)
	assert.Equal(t, 100, MaxListCount)

	c, mt := newMockClient(t)
	rec := mockRespond(t, mt, "POST", "/v1/customers", http.StatusOK, mockFixture(t, "customer/create.json"))
	_, err := c.Customer.Create(mockCtx(t), &CustomerCreateParams{Name: "Gaurav Kumar", Notes: mockNotes(MaxNotes, MaxNoteLength)})
	require.NoError(t, err)
	body := assertReqJSON(t, rec.Only(t))
	assert.Len(t, assertReqObject(t, body, "notes"), MaxNotes)
}

func TestValidateNotesErrorIsDeterministic(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("v", MaxNoteLength+1)
	notes := Notes{"zeta": long, "alpha": long, "mid": "ok", "beta": long}
	for i := 0; i < 20; i++ {
		err := (&OrderCreateParams{Amount: 100, Currency: "INR", Notes: notes}).Validate()
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "notes.alpha", ve.Field)
	}
}

// TestReceiptSpacesAndInvisibleCharactersRefused: a receipt that could be
// stored as one string and looked up as another is refused, everywhere a
// receipt enters, with a message that names the character.
func TestReceiptSpacesAndInvisibleCharactersRefused(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ receipt, says string }{
		"leading space":         {" sub_42-2026-11", "start or end with a space"},
		"trailing space":        {"sub_42-2026-11 ", "start or end with a space"},
		"no-break space":        {"sub_42\u00a02026-11", "U+00A0 (no-break space)"},
		"trailing no-break":     {"sub_42-2026-11\u00a0", "U+00A0"},
		"em space":              {"sub_42\u20032026", "U+2003 (em space)"},
		"ideographic space":     {"sub\u300042", "U+3000"},
		"zero-width space":      {"sub_42\u200b-2026", "U+200B (zero-width space)"},
		"zero-width joiner":     {"sub_42\u200d", "U+200D"},
		"byte order mark":       {"\ufeffsub_42", "U+FEFF (byte order mark)"},
		"soft hyphen":           {"sub\u00ad42", "U+00AD (soft hyphen)"},
		"narrow no-break space": {"sub\u202f42", "U+202F"},
		"left-to-right mark":    {"sub\u200e42", "U+200E"},
		"mongolian separator":   {"sub\u180e42", "U+180E"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, err := range []error{
				(&OrderCreateParams{Amount: 100, Currency: "INR", Receipt: tc.receipt}).Validate(),
				(&OrderListParams{Receipt: tc.receipt}).Validate(),
				(&ChargeParams{CustomerID: "cust_X", TokenID: "token_X", Amount: 100, Currency: "INR",
					Email: "a@b.in", Contact: "+919876543210", Receipt: tc.receipt}).Validate(),
			} {
				assertInvalidParams(t, err, "receipt")
				assert.ErrorContains(t, err, tc.says)
			}
		})
	}
	for _, ok := range []string{"sub 42 2026-11", "₹ bill #7 / Nov", "a"} {
		var v validator
		v.receipt(ok, "receipt")
		assert.NoError(t, v.err, "%q", ok)
	}
}

// FuzzReceipt: the receipt check refuses exactly the receipts that are not
// valid UTF-8, hold a control character or a line separator, or are longer
// than MaxReceiptLength characters.
func FuzzReceipt(f *testing.F) {
	for _, s := range []string{"", "sub_42-2026-11", "r\x00", "r\n", "r\t", "r\x7f", "r\u0085", "r\u2028", "r-\xff",
		strings.Repeat("₹", 40), strings.Repeat("r", 41)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, receipt string) {
		var v validator
		v.receipt(receipt, "receipt")
		bad := !utf8.ValidString(receipt) || utf8.RuneCountInString(receipt) > MaxReceiptLength ||
			strings.ContainsFunc(receipt, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' })
		if bad != (v.err != nil) {
			t.Fatalf("receipt %q: err %v, want refused %v", receipt, v.err, bad)
		}
		if v.err != nil {
			if ve, ok := v.err.(*ValidationError); !ok || ve.Field != "receipt" {
				t.Fatalf("receipt %q: %v is not a *ValidationError for receipt", receipt, v.err)
			}
			if strings.ContainsFunc(v.err.Error(), unicode.IsControl) {
				t.Fatalf("the refusal echoes a control character: %q", v.err.Error())
			}
		}
		o := OrderCreateParams{Amount: MinAmount, Currency: "INR", Receipt: receipt}
		if (o.Validate() != nil) != bad {
			t.Fatalf("OrderCreateParams.Validate with receipt %q: %v", receipt, o.Validate())
		}
	})
}

// TestReceiptsRefused: receipts with NUL, newlines, other control characters
// or invalid UTF-8 are refused everywhere receipts are validated.
func TestReceiptsRefused(t *testing.T) {
	t.Parallel()
	bad := map[string]string{
		"NUL": "r-\x00", "newline": "r-1\n", "CR": "r\r1", "tab": "r\t1", "DEL": "r\x7f", "ESC": "\x1b[31mr",
		"C1": "r\u0085", "line separator": "r\u2028", "invalid UTF-8": "r-\xff", "truncated UTF-8": "r-\xe2\x82",
	}
	for name, receipt := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o := &OrderCreateParams{Amount: 100, Currency: "INR", Receipt: receipt}
			assertInvalidParams(t, o.Validate(), "receipt")
			l := &OrderListParams{Receipt: receipt}
			assertInvalidParams(t, l.Validate(), "receipt")
			var v validator
			v.receipt(receipt, "receipt")
			assertInvalidParams(t, v.err, "receipt")
		})
	}
	for _, ok := range []string{"", "sub_42-2026-11", "₹ bill #7 / Nov", strings.Repeat("₹", MaxReceiptLength)} {
		var v validator
		v.receipt(ok, "receipt")
		assert.NoError(t, v.err, "%q", ok)
	}
	var v validator
	v.receipt(strings.Repeat("r", MaxReceiptLength+1), "receipt")
	assertInvalidParams(t, v.err, "receipt")
}
