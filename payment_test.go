package razorpay

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPaymentCreateRecurring(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/payments/create/recurring", "recurring/create.json")

	rp, err := c.Payment.CreateRecurring(mockCtx(t), mockRecurringParams())
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "POST", "/v1/payments/create/recurring")
	assertReqNoQuery(t, call)
	body := assertReqJSON(t, call)
	assertReqKeys(t, body, "email", "contact", "amount", "currency", "order_id", "customer_id", "token",
		"recurring", "description", "notes")
	assertReqString(t, body, "email", "gaurav.kumar@example.com")
	assertReqString(t, body, "contact", "+919876543210")
	assertReqInt(t, body, "amount", 49900)
	assertReqString(t, body, "currency", "INR")
	assertReqString(t, body, "order_id", "order_Nr8Xa2MjH4cWqT")
	assertReqString(t, body, "customer_id", "cust_Nq2Yk8ZpR4tLmA")
	assertReqString(t, body, "token", "token_Nq6Ye9AjM4uNhJ") // the token id goes under "token"
	assert.NotContains(t, body, "token_id")
	assertReqBool(t, body, "recurring", true) // a JSON boolean, not "1"
	assertReqString(t, body, "description", "Gold plan, April 2024")
	assertReqString(t, assertReqObject(t, body, "notes"), "period", "2024-04")

	assert.Equal(t, &RecurringPayment{
		PaymentID: "pay_Nr9Yb3NkJ5dXrU",
		OrderID:   "order_Nr8Xa2MjH4cWqT",
		Signature: "f031e4f89cce35919d02c3ab4000fe9478017261240ddcd664a238f978445108",
	}, rp)
	// The fixture's signature is HMAC-SHA256(order_id|payment_id) with the mock secret.
	assert.NoError(t, VerifyPaymentSignature(rp.OrderID, rp.PaymentID, rp.Signature, mockKeySecret))
}

func TestPaymentCreateRecurringOmitsEmptyOptionalFields(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "POST", "/v1/payments/create/recurring", "recurring/create.json")

	p := mockRecurringParams()
	p.Description, p.Notes = "", nil
	_, err := c.Payment.CreateRecurring(mockCtx(t), p)
	require.NoError(t, err)

	body := assertReqJSON(t, rec.Only(t))
	assertReqKeys(t, body, "email", "contact", "amount", "currency", "order_id", "customer_id", "token", "recurring")
	assertReqBool(t, body, "recurring", true)
}

func TestPaymentCreateRecurringIDOnly(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespondFixture(t, mt, "POST", "/v1/payments/create/recurring", "recurring/create_id_only.json")

	rp, err := c.Payment.CreateRecurring(mockCtx(t), mockRecurringParams())
	require.NoError(t, err)
	assert.Equal(t, &RecurringPayment{PaymentID: "pay_Nr9Yb3NkJ5dXrU"}, rp)
}

func TestPaymentCreateRecurringSignatureIsRedactedWhenPrinted(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespondFixture(t, mt, "POST", "/v1/payments/create/recurring", "recurring/create.json")

	rp, err := c.Payment.CreateRecurring(mockCtx(t), mockRecurringParams())
	require.NoError(t, err)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, rp)
		assert.NotContains(t, out, rp.Signature, format)
		assert.Contains(t, out, "pay_Nr9Yb3NkJ5dXrU", format)
		out = fmt.Sprintf(format, *rp)
		assert.NotContains(t, out, rp.Signature, format)
	}
}

func TestPaymentCreateRecurringRefused(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespond(t, mt, "POST", "/v1/payments/create/recurring", http.StatusBadRequest, mockFixture(t, "errors/bad_request_full.json"))

	rp, err := c.Payment.CreateRecurring(mockCtx(t), mockRecurringParams())
	require.Error(t, err)
	assert.Nil(t, rp)
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Amount exceeds maximum amount allowed.", apiErr.Description)
	assert.Len(t, rec.Calls(), 1)
}

func TestPaymentCreateRecurringIsNeverResent(t *testing.T) {
	t.Parallel()
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, WithMaxRetries(5))
			rec := mockRespond(t, mt, "POST", "/v1/payments/create/recurring", status, mockFixture(t, "errors/server_error.json"))

			rp, err := c.Payment.CreateRecurring(mockCtx(t), mockRecurringParams())
			require.Error(t, err)
			assert.Nil(t, rp)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.ErrorIs(t, err, ErrServer)
			assert.Len(t, rec.Calls(), 1, "a charge is never sent twice")
		})
	}
}

func TestPaymentFetch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF", "payment/fetch.json")

	p, err := c.Payment.Fetch(mockCtx(t), "pay_Nq4Wc7YhJ2sKdF")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, &Payment{
		ID:             "pay_Nq4Wc7YhJ2sKdF",
		Entity:         "payment",
		Amount:         100,
		Currency:       "INR",
		Status:         PaymentStatusCaptured,
		OrderID:        "order_Nq3Zb5VtK8pLwE",
		International:  false,
		Method:         "card",
		AmountRefunded: 0,
		Captured:       true,
		Description:    "Card mandate authorisation",
		CardID:         "card_Nq7Zf1BkN5vPiK",
		Email:          "gaurav.kumar@example.com",
		Contact:        "+919876543210",
		CustomerID:     "cust_Nq2Yk8ZpR4tLmA",
		TokenID:        "token_Nq6Ye9AjM4uNhJ",
		Notes:          Notes{"plan": "gold-monthly"},
		Fee:            2,
		Tax:            0,
		AcquirerData: AcquirerData{
			AuthCode:                      "828553",
			RRN:                           "407212345678",
			AuthenticationReferenceNumber: "100222021120200000000742753928",
		},
		CreatedAt: 1710312460,
	}, p)
}

func TestPaymentFetchQuirky(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespondFixture(t, mt, "GET", "/v1/payments/pay_Nr9Yb3NkJ5dXrU", "payment/fetch_quirky.json")

	p, err := c.Payment.Fetch(mockCtx(t), "pay_Nr9Yb3NkJ5dXrU")
	require.NoError(t, err)

	assert.Equal(t, "pay_Nr9Yb3NkJ5dXrU", p.ID)
	assert.Equal(t, int64(49900), p.Amount, `"amount": "49900"`)
	assert.Equal(t, int64(0), p.AmountRefunded, `"amount_refunded": "0"`)
	assert.Equal(t, PaymentStatusAuthorized, p.Status)
	assert.False(t, p.International, `"international": 0`)
	assert.False(t, p.Captured, `"captured": "0"`)
	assert.Equal(t, "9876543210", p.Contact, `"contact": 9876543210`)
	assert.Nil(t, p.Notes, `"notes": []`)
	assert.Equal(t, int64(0), p.Fee, `"fee": null`)
	assert.Equal(t, int64(0), p.Tax, `"tax": null`)
	assert.Equal(t, "", p.AcquirerData.AuthCode)
	assert.Equal(t, "token_Nq6Ye9AjM4uNhJ", p.TokenID)
	assert.Equal(t, "cust_Nq2Yk8ZpR4tLmA", p.CustomerID)
	assert.Equal(t, int64(1713100120), p.CreatedAt)
	require.NotNil(t, p.Card)
	assert.Equal(t, Card{
		ID:       "card_Nq7Zf1BkN5vPiK",
		Entity:   "card",
		Name:     "",
		Last4:    "1111",
		Network:  "Visa",
		Type:     "debit",
		Issuer:   "HDFC",
		EMI:      false,
		SubType:  "consumer",
		TokenIIN: "",
	}, *p.Card)
}

func TestPaymentFetchFailedPaymentIsNotAnError(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespondFixture(t, mt, "GET", "/v1/payments/pay_Nr9Yb3NkJ5dXrU", "payment/failed.json")

	p, err := c.Payment.Fetch(mockCtx(t), "pay_Nr9Yb3NkJ5dXrU")
	require.NoError(t, err)
	assert.Equal(t, PaymentStatusFailed, p.Status)
	assert.False(t, p.Captured)
	assert.Equal(t, "BAD_REQUEST_ERROR", p.ErrorCode)
	assert.Equal(t, "Payment failed due to insufficient funds", p.ErrorDescription)
	assert.Equal(t, "customer", p.ErrorSource)
	assert.Equal(t, "payment_authorization", p.ErrorStep)
	assert.Equal(t, "insufficient_funds", p.ErrorReason)
}

func TestPaymentFetchCard(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF/card", "payment/card.json")

	card, err := c.Payment.FetchCard(mockCtx(t), "pay_Nq4Wc7YhJ2sKdF")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF/card")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, &Card{
		ID:            "card_Nq7Zf1BkN5vPiK",
		Entity:        "card",
		Name:          "Gaurav Kumar",
		Last4:         "8950",
		Network:       "Visa",
		Type:          "credit",
		Issuer:        "UTIB",
		International: false,
		EMI:           true,
		SubType:       "consumer",
	}, card)
}

func TestPaymentFetchCardNotByCard(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mockRespond(t, mt, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF/card", http.StatusBadRequest,
		[]byte(`{"error":{"code":"BAD_REQUEST_ERROR","description":"Payment was not done using card","source":"NA","step":"NA","reason":"NA","metadata":{}}}`))

	card, err := c.Payment.FetchCard(mockCtx(t), "pay_Nq4Wc7YhJ2sKdF")
	assert.Nil(t, card)
	assert.ErrorIs(t, err, ErrBadRequest)
	assert.Equal(t, 1, mt.count(), "a 400 is not retried")
}

func FuzzValidateRecurringPaymentParams(f *testing.F) {
	f.Add("gaurav.kumar@example.com", "+919876543210", int64(49900), "INR", "order_1", "cust_1", "token_1", "Nov", "plan=gold")
	f.Fuzz(func(t *testing.T, email, contact string, amount int64, currency, orderID, customerID, tokenID, description, notes string) {
		t.Parallel()
		p := &RecurringPaymentParams{
			Email: email, Contact: contact, Amount: amount, Currency: currency,
			OrderID: orderID, CustomerID: customerID, TokenID: tokenID, Description: description, Notes: mockNotesOf(notes),
		}
		if mockValidate(t, p, (*RecurringPaymentParams).Validate) != nil {
			return
		}
		assertRuleRequired(t, email, "email")
		assertRuleEmail(t, email)
		assertRuleRequired(t, contact, "contact")
		assertRuleContact(t, contact)
		assertRuleAmount(t, amount, "amount")
		assertRuleCurrency(t, currency)
		assertRuleID(t, orderID, "order_id")
		assertRuleID(t, customerID, "customer_id")
		assertRuleID(t, tokenID, "token")
		assertRuleNotes(t, p.Notes)
	})
}

func TestRecurringPaymentParamsRefuseMalformedIDs(t *testing.T) {
	t.Parallel()
	for field, mutate := range map[string]func(*RecurringPaymentParams){
		"order_id":    func(p *RecurringPaymentParams) { p.OrderID = "../orders" },
		"customer_id": func(p *RecurringPaymentParams) { p.CustomerID = "cust_A/tokens" },
		"token":       func(p *RecurringPaymentParams) { p.TokenID = "token_\x00" },
	} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			p := mockRecurringParams()
			require.NoError(t, p.Validate())
			mutate(p)
			assertInvalidParams(t, p.Validate(), field)
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
