package razorpay

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mockNotes returns n notes with values of valueLen characters.
func mockNotes(n, valueLen int) Notes {
	notes := make(Notes, n)
	for i := 0; i < n; i++ {
		notes[fmt.Sprintf("key_%02d", i)] = strings.Repeat("v", valueLen)
	}
	return notes
}

// mockCheckValidation runs one validation case: an invalid one (field set)
// must be refused with a *ValidationError naming field before any request;
// a valid one must send exactly one request.
func mockCheckValidation(t *testing.T, field, method, path, fixture string, validate func() error, call func(c *Client) error) {
	t.Helper()
	c, mt := newMockClient(t)
	if field == "" {
		require.NoError(t, validate())
		rec := mockRespondFixture(t, mt, method, path, fixture)
		require.NoError(t, call(c))
		assert.Len(t, rec.Calls(), 1)
		return
	}
	assertInvalidParams(t, validate(), field)
	assertInvalidParams(t, call(c), field)
	assertNoRequest(t, mt)
}

func TestValidateCustomerCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(p *CustomerCreateParams)
		field  string
	}{
		{name: "valid", mutate: func(*CustomerCreateParams) {}},
		{name: "nothing to identify the customer", mutate: func(p *CustomerCreateParams) { *p = CustomerCreateParams{FailExisting: Ptr(false)} }, field: "name"},
		{name: "email only", mutate: func(p *CustomerCreateParams) { *p = CustomerCreateParams{Email: "a@b.in"} }},
		{name: "contact only", mutate: func(p *CustomerCreateParams) { *p = CustomerCreateParams{Contact: "+919876543210"} }},
		{name: "name of 2", mutate: func(p *CustomerCreateParams) { p.Name = "Al" }, field: "name"},
		{name: "name of 3", mutate: func(p *CustomerCreateParams) { p.Name = "Ali" }},
		{name: "name of 3 runes", mutate: func(p *CustomerCreateParams) { p.Name = "Jöö" }},
		{name: "name of 50", mutate: func(p *CustomerCreateParams) { p.Name = strings.Repeat("n", 50) }},
		{name: "name of 51", mutate: func(p *CustomerCreateParams) { p.Name = strings.Repeat("n", 51) }, field: "name"},
		{name: "email without @", mutate: func(p *CustomerCreateParams) { p.Email = "gaurav.example.com" }, field: "email"},
		{name: "email without local part", mutate: func(p *CustomerCreateParams) { p.Email = "@example.com" }, field: "email"},
		{name: "email without domain", mutate: func(p *CustomerCreateParams) { p.Email = "gaurav@" }, field: "email"},
		{name: "email with a space", mutate: func(p *CustomerCreateParams) { p.Email = "gaurav kumar@example.com" }, field: "email"},
		{name: "email of 64", mutate: func(p *CustomerCreateParams) { p.Email = strings.Repeat("e", 52) + "@example.com" }},
		{name: "email of 65", mutate: func(p *CustomerCreateParams) { p.Email = strings.Repeat("e", 53) + "@example.com" }, field: "email"},
		{name: "contact of 7 digits", mutate: func(p *CustomerCreateParams) { p.Contact = "9876543" }, field: "contact"},
		{name: "contact of 8 digits", mutate: func(p *CustomerCreateParams) { p.Contact = "98765432" }},
		{name: "contact with spaces and dash", mutate: func(p *CustomerCreateParams) { p.Contact = "+91 98765-43210" }},
		{name: "contact of 16 characters", mutate: func(p *CustomerCreateParams) { p.Contact = "+919876543210123" }, field: "contact"},
		{name: "contact with letters", mutate: func(p *CustomerCreateParams) { p.Contact = "98765abc10" }, field: "contact"},
		{name: "contact with a plus inside", mutate: func(p *CustomerCreateParams) { p.Contact = "91+9876543210" }, field: "contact"},
		{name: "gstin of 16", mutate: func(p *CustomerCreateParams) { p.GSTIN = "29XAbbA4369J1PAX" }, field: "gstin"},
		{name: "15 notes", mutate: func(p *CustomerCreateParams) { p.Notes = mockNotes(15, 256) }},
		{name: "16 notes", mutate: func(p *CustomerCreateParams) { p.Notes = mockNotes(16, 1) }, field: "notes"},
		{name: "note of 257", mutate: func(p *CustomerCreateParams) { p.Notes = Notes{"crm": strings.Repeat("v", 257)} }, field: "notes.crm"},
		{name: "note of 256 runes", mutate: func(p *CustomerCreateParams) { p.Notes = Notes{"crm": strings.Repeat("₹", 256)} }},
		{name: "note key empty", mutate: func(p *CustomerCreateParams) { p.Notes = Notes{"": "v"} }, field: "notes"},
		{name: "note key of 257", mutate: func(p *CustomerCreateParams) { p.Notes = Notes{strings.Repeat("k", 257): "v"} }, field: "notes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &CustomerCreateParams{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210", Notes: Notes{"a": "b"}}
			tt.mutate(p)
			mockCheckValidation(t, tt.field, "POST", "/v1/customers", "customer/create.json", p.Validate,
				func(c *Client) error { _, err := c.Customer.Create(mockCtx(t), p); return err })
		})
	}
}

func TestValidateOrderCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(p *OrderCreateParams)
		field  string
	}{
		{name: "valid authorization order", mutate: func(*OrderCreateParams) {}},
		{name: "valid charge order", mutate: func(p *OrderCreateParams) {
			*p = OrderCreateParams{Amount: 49900, Currency: "INR", Receipt: "sub_42-2024-04", PaymentCapture: Ptr(true),
				Notification: &OrderNotificationParams{TokenID: "token_Nq6Ye9AjM4uNhJ"}}
		}},
		{name: "amount 0", mutate: func(p *OrderCreateParams) { p.Amount = 0 }, field: "amount"},
		{name: "amount negative", mutate: func(p *OrderCreateParams) { p.Amount = -100 }, field: "amount"},
		{name: "amount 1", mutate: func(p *OrderCreateParams) { p.Amount = 1 }, field: "amount"},
		{name: "amount 99", mutate: func(p *OrderCreateParams) { p.Amount = MinAmount - 1 }, field: "amount"},
		{name: "amount 100", mutate: func(p *OrderCreateParams) { p.Amount = MinAmount }},
		{name: "currency empty", mutate: func(p *OrderCreateParams) { p.Currency = "" }, field: "currency"},
		{name: "currency lower case", mutate: func(p *OrderCreateParams) { p.Currency = "inr" }, field: "currency"},
		{name: "currency of 2", mutate: func(p *OrderCreateParams) { p.Currency = "IN" }, field: "currency"},
		{name: "currency of 4", mutate: func(p *OrderCreateParams) { p.Currency = "INRR" }, field: "currency"},
		{name: "currency with a digit", mutate: func(p *OrderCreateParams) { p.Currency = "IN1" }, field: "currency"},
		{name: "currency USD", mutate: func(p *OrderCreateParams) { p.Currency = "USD" }},
		{name: "receipt of 40", mutate: func(p *OrderCreateParams) { p.Receipt = strings.Repeat("r", 40) }},
		{name: "receipt of 40 runes", mutate: func(p *OrderCreateParams) { p.Receipt = strings.Repeat("₹", 40) }},
		{name: "receipt of 41", mutate: func(p *OrderCreateParams) { p.Receipt = strings.Repeat("r", 41) }, field: "receipt"},
		{name: "16 notes", mutate: func(p *OrderCreateParams) { p.Notes = mockNotes(16, 1) }, field: "notes"},
		{name: "note of 257", mutate: func(p *OrderCreateParams) { p.Notes = Notes{"plan": strings.Repeat("v", 257)} }, field: "notes.plan"},
		{name: "max_amount 0", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 0 }, field: "token.max_amount"},
		{name: "max_amount 99", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 99 }, field: "token.max_amount"},
		{name: "max_amount 100", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 100 }},
		{name: "max_amount 1500000", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 1500000 }},
		{name: "max_amount 1500001", mutate: func(p *OrderCreateParams) { p.Token.MaxAmount = 1500001 }, field: "token.max_amount"},
		{name: "expire_at negative", mutate: func(p *OrderCreateParams) { p.Token.ExpireAt = -1 }, field: "token.expire_at"},
		{name: "expire_at 0", mutate: func(p *OrderCreateParams) { p.Token.ExpireAt = 0 }},
		{name: "frequency empty", mutate: func(p *OrderCreateParams) { p.Token.Frequency = "" }, field: "token.frequency"},
		{name: "frequency daily", mutate: func(p *OrderCreateParams) { p.Token.Frequency = "daily" }, field: "token.frequency"},
		{name: "frequency in capitals", mutate: func(p *OrderCreateParams) { p.Token.Frequency = "Monthly" }, field: "token.frequency"},
		{name: "frequency weekly", mutate: func(p *OrderCreateParams) { p.Token.Frequency = FrequencyWeekly }},
		{name: "frequency monthly", mutate: func(p *OrderCreateParams) { p.Token.Frequency = FrequencyMonthly }},
		{name: "frequency yearly", mutate: func(p *OrderCreateParams) { p.Token.Frequency = FrequencyYearly }},
		{name: "frequency as_presented", mutate: func(p *OrderCreateParams) { p.Token.Frequency = FrequencyAsPresented }},
		{name: "token without customer", mutate: func(p *OrderCreateParams) { p.CustomerID = "" }, field: "customer_id"},
		{name: "token with a blank customer", mutate: func(p *OrderCreateParams) { p.CustomerID = "  " }, field: "customer_id"},
		{name: "notification without token", mutate: func(p *OrderCreateParams) { p.Notification = &OrderNotificationParams{PaymentAfter: 1713100000} }, field: "notification.token_id"},
		{name: "notification payment_after negative", mutate: func(p *OrderCreateParams) {
			p.Notification = &OrderNotificationParams{TokenID: "token_Nq6Ye9AjM4uNhJ", PaymentAfter: -1}
		}, field: "notification.payment_after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &OrderCreateParams{
				Amount: 100, Currency: "INR", Receipt: "auth-cust42-2024-03", CustomerID: "cust_Nq2Yk8ZpR4tLmA", Method: PaymentMethodCard,
				Token: &OrderTokenParams{MaxAmount: 1500000, ExpireAt: 1899993600, Frequency: FrequencyMonthly},
			}
			tt.mutate(p)
			mockCheckValidation(t, tt.field, "POST", "/v1/orders", "order/authorization.json", p.Validate,
				func(c *Client) error { _, err := c.Order.Create(mockCtx(t), p); return err })
		})
	}
}

func TestValidateRegistrationLinkCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(p *RegistrationLinkCreateParams)
		field  string
	}{
		{name: "valid", mutate: func(*RegistrationLinkCreateParams) {}},
		{name: "customer name empty", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Name = "" }, field: "customer.name"},
		{name: "customer name blank", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Name = " \t" }, field: "customer.name"},
		{name: "customer email empty", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Email = "" }, field: "customer.email"},
		{name: "customer email invalid", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Email = "gaurav" }, field: "customer.email"},
		{name: "customer contact invalid", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Contact = "12345" }, field: "customer.contact"},
		{name: "customer contact empty", mutate: func(p *RegistrationLinkCreateParams) { p.Customer.Contact = "" }},
		{name: "amount 0", mutate: func(p *RegistrationLinkCreateParams) { p.Amount = 0 }, field: "amount"},
		{name: "amount negative", mutate: func(p *RegistrationLinkCreateParams) { p.Amount = -1 }, field: "amount"},
		{name: "currency invalid", mutate: func(p *RegistrationLinkCreateParams) { p.Currency = "Rs." }, field: "currency"},
		{name: "description empty", mutate: func(p *RegistrationLinkCreateParams) { p.Description = "" }, field: "description"},
		{name: "max_amount 99", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 99 }, field: "subscription_registration.max_amount"},
		{name: "max_amount 100", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 100 }},
		{name: "max_amount above the order limit", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 1500001 }},
		{name: "max_amount 100000000", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 100000000 }},
		{name: "max_amount 100000001", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.MaxAmount = 100000001 }, field: "subscription_registration.max_amount"},
		{name: "expire_at negative", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.ExpireAt = -1 }, field: "subscription_registration.expire_at"},
		{name: "frequency empty", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.Frequency = "" }, field: "subscription_registration.frequency"},
		{name: "frequency unknown", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.Frequency = "fortnightly" }, field: "subscription_registration.frequency"},
		{name: "frequency yearly", mutate: func(p *RegistrationLinkCreateParams) { p.SubscriptionRegistration.Frequency = FrequencyYearly }},
		{name: "expire_by negative", mutate: func(p *RegistrationLinkCreateParams) { p.ExpireBy = -1 }, field: "expire_by"},
		{name: "receipt of 41", mutate: func(p *RegistrationLinkCreateParams) { p.Receipt = strings.Repeat("r", 41) }, field: "receipt"},
		{name: "receipt of 40", mutate: func(p *RegistrationLinkCreateParams) { p.Receipt = strings.Repeat("r", 40) }},
		{name: "16 notes", mutate: func(p *RegistrationLinkCreateParams) { p.Notes = mockNotes(16, 1) }, field: "notes"},
		{name: "note of 257", mutate: func(p *RegistrationLinkCreateParams) { p.Notes = Notes{"plan": strings.Repeat("v", 257)} }, field: "notes.plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := &RegistrationLinkCreateParams{
				Customer:                 RegistrationLinkCustomer{Name: "Gaurav Kumar", Email: "gaurav.kumar@example.com", Contact: "+919876543210"},
				Amount:                   100,
				Currency:                 "INR",
				Description:              "Gold plan monthly mandate",
				SubscriptionRegistration: SubscriptionRegistration{MaxAmount: 5000000, Frequency: FrequencyMonthly},
			}
			tt.mutate(p)
			mockCheckValidation(t, tt.field, "POST", "/v1/subscription_registration/auth_links", "invoice/registration_link.json", p.Validate,
				func(c *Client) error { _, err := c.RegistrationLink.Create(mockCtx(t), p); return err })
		})
	}
}

func TestValidateRecurringPayment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(p *RecurringPaymentParams)
		field  string
	}{
		{name: "valid", mutate: func(*RecurringPaymentParams) {}},
		{name: "email empty", mutate: func(p *RecurringPaymentParams) { p.Email = "" }, field: "email"},
		{name: "email invalid", mutate: func(p *RecurringPaymentParams) { p.Email = "gaurav" }, field: "email"},
		{name: "contact empty", mutate: func(p *RecurringPaymentParams) { p.Contact = "" }, field: "contact"},
		{name: "contact invalid", mutate: func(p *RecurringPaymentParams) { p.Contact = "123" }, field: "contact"},
		{name: "amount 0", mutate: func(p *RecurringPaymentParams) { p.Amount = 0 }, field: "amount"},
		{name: "amount negative", mutate: func(p *RecurringPaymentParams) { p.Amount = -49900 }, field: "amount"},
		{name: "currency invalid", mutate: func(p *RecurringPaymentParams) { p.Currency = "inr" }, field: "currency"},
		{name: "order id empty", mutate: func(p *RecurringPaymentParams) { p.OrderID = "" }, field: "order_id"},
		{name: "order id blank", mutate: func(p *RecurringPaymentParams) { p.OrderID = "   " }, field: "order_id"},
		{name: "customer id empty", mutate: func(p *RecurringPaymentParams) { p.CustomerID = "" }, field: "customer_id"},
		{name: "token empty", mutate: func(p *RecurringPaymentParams) { p.TokenID = "" }, field: "token"},
		{name: "16 notes", mutate: func(p *RecurringPaymentParams) { p.Notes = mockNotes(16, 1) }, field: "notes"},
		{name: "15 notes", mutate: func(p *RecurringPaymentParams) { p.Notes = mockNotes(15, 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := mockRecurringParams()
			tt.mutate(p)
			mockCheckValidation(t, tt.field, "POST", "/v1/payments/create/recurring", "recurring/create.json", p.Validate,
				func(c *Client) error { _, err := c.Payment.CreateRecurring(mockCtx(t), p); return err })
		})
	}
}

func TestValidateCardReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params CardReferenceParams
		field  string
	}{
		{name: "number", params: CardReferenceParams{Number: "4111111111111111"}},
		{name: "number of 12 digits", params: CardReferenceParams{Number: "411111111111"}},
		{name: "number of 19 digits", params: CardReferenceParams{Number: "4111111111111111111"}},
		{name: "tokenised number", params: CardReferenceParams{Number: "4895370012003478", Tokenised: Ptr(true)}},
		{name: "token", params: CardReferenceParams{Token: "token_Nq6Ye9AjM4uNhJ"}},
		{name: "neither", params: CardReferenceParams{}, field: "number"},
		{name: "both", params: CardReferenceParams{Number: "4111111111111111", Token: "token_Nq6Ye9AjM4uNhJ"}, field: "number"},
		{name: "number with spaces", params: CardReferenceParams{Number: "4111 1111 1111 1111"}, field: "number"},
		{name: "number with dashes", params: CardReferenceParams{Number: "4111-1111-1111-1111"}, field: "number"},
		{name: "number of 11 digits", params: CardReferenceParams{Number: "41111111111"}, field: "number"},
		{name: "number of 20 digits", params: CardReferenceParams{Number: "41111111111111111111"}, field: "number"},
		{name: "number with a letter", params: CardReferenceParams{Number: "411111111111111a"}, field: "number"},
		{name: "tokenised with a token", params: CardReferenceParams{Token: "token_Nq6Ye9AjM4uNhJ", Tokenised: Ptr(false)}, field: "tokenised"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := tt.params
			mockCheckValidation(t, tt.field, "POST", "/v1/cards/fingerprints", "card_reference/by_number.json", p.Validate,
				func(c *Client) error {
					_, err := c.Card.RequestCardReference(mockCtx(t), &p)
					if err != nil && p.Number != "" {
						// The number never appears in the error text.
						assert.NotContains(t, err.Error(), p.Number)
						assert.NotContains(t, err.Error(), mockDigitsOnly(p.Number))
					}
					return err
				})
			if p.Number != "" {
				printed := fmt.Sprintf("%v/%+v/%#v/%s/%q", p, p, p, p, p) + fmt.Sprintf("%v/%+v/%#v", &p, &p, &p)
				assert.NotContains(t, printed, p.Number)
				assert.NotContains(t, printed, mockDigitsOnly(p.Number))
				assert.Contains(t, printed, p.Number[len(p.Number)-4:], "the last four digits are shown")
			}
		})
	}
}

// mockDigitsOnly returns the digits of s.
func mockDigitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

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

func TestValidateNotifyByMedium(t *testing.T) {
	t.Parallel()
	for _, medium := range []NotifyMedium{"", "whatsapp", "SMS", "Email", "sms ", "sms/../cancel"} {
		t.Run(string(medium), func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			err := c.Invoice.NotifyBy(mockCtx(t), "inv_Nq5Xd8ZiL3tMgH", medium)
			assertInvalidParams(t, err, "medium")
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
