package razorpay

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenFetchByPayment(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF", "payment/fetch.json")

	p, err := c.Token.FetchByPayment(mockCtx(t), "pay_Nq4Wc7YhJ2sKdF")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/payments/pay_Nq4Wc7YhJ2sKdF")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, "pay_Nq4Wc7YhJ2sKdF", p.ID)
	assert.Equal(t, "token_Nq6Ye9AjM4uNhJ", p.TokenID)
	assert.Equal(t, "cust_Nq2Yk8ZpR4tLmA", p.CustomerID)
	assert.Equal(t, "card_Nq7Zf1BkN5vPiK", p.CardID)
	assert.Equal(t, PaymentStatusCaptured, p.Status)
}

func TestTokenList(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "GET", "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens", "token/list.json")

	list, err := c.Token.List(mockCtx(t), "cust_Nq2Yk8ZpR4tLmA")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens")
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, "collection", list.Entity)
	assert.Equal(t, 3, list.Count)
	require.Len(t, list.Items, 3)

	first := list.Items[0]
	assert.Equal(t, Token{
		ID:     "token_Nq6Ye9AjM4uNhJ",
		Entity: "token",
		Token:  "Hq9D2kLmNp4TzX",
		Method: "card",
		Card: &Card{
			Entity:      "card",
			Name:        "Gaurav Kumar",
			Last4:       "8950",
			Network:     "Visa",
			Type:        "credit",
			Issuer:      "UTIB",
			EMI:         true,
			SubType:     "consumer",
			ExpiryMonth: 12,
			ExpiryYear:  2030,
			Flows:       &CardFlows{OTP: true, Recurring: true},
		},
		Recurring:        true,
		RecurringDetails: RecurringDetails{Status: TokenRecurringStatusConfirmed},
		UsedAt:           1713100120,
		CreatedAt:        1710312460,
		ExpiredAt:        1924905600,
	}, first)
	assert.True(t, first.Chargeable())

	// The quirky one: last4 and booleans as numbers, expiry as strings.
	second := list.Items[1]
	assert.Equal(t, "token_Pc8Jz4BkN5vOiK", second.ID)
	require.NotNil(t, second.Card)
	assert.Equal(t, "0111", second.Card.Last4, `"last4": 111`)
	assert.Equal(t, 2, second.Card.ExpiryMonth, `"expiry_month": "2"`)
	assert.Equal(t, 2031, second.Card.ExpiryYear, `"expiry_year": "2031"`)
	assert.Equal(t, "529988", second.Card.TokenIIN)
	require.NotNil(t, second.Card.Flows)
	assert.True(t, second.Card.Flows.Recurring, `"recurring": 1`)
	assert.True(t, second.Recurring, `"recurring": "1"`)
	assert.False(t, second.DCCEnabled, `"dcc_enabled": null`)
	assert.True(t, second.CompliantWithTokenisationGuidelines)
	assert.Equal(t, "card", second.AuthType)
	assert.Equal(t, "active", second.Status)
	assert.Nil(t, second.Notes)
	assert.Equal(t, TokenRecurringStatusInitiated, second.MandateStatus())
	assert.False(t, second.Chargeable())

	// Tokens of other methods share the list.
	third := list.Items[2]
	assert.Equal(t, "token_Pe3Lm7CnO6wRjS", third.ID)
	assert.Equal(t, PaymentMethod("upi"), third.Method)
	assert.Nil(t, third.Card)
}

func TestTokenFetch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	path := "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens/token_Nq6Ye9AjM4uNhJ"
	rec := mockRespondFixture(t, mt, "GET", path, "token/fetch.json")

	tok, err := c.Token.Fetch(mockCtx(t), "cust_Nq2Yk8ZpR4tLmA", "token_Nq6Ye9AjM4uNhJ")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "GET", path)
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)

	assert.Equal(t, "token_Nq6Ye9AjM4uNhJ", tok.ID)
	assert.Equal(t, "Hq9D2kLmNp4TzX", tok.Token)
	assert.Equal(t, PaymentMethodCard, tok.Method)
	assert.True(t, tok.Recurring)
	assert.Equal(t, TokenRecurringStatusConfirmed, tok.RecurringDetails.Status)
	assert.Equal(t, "", tok.RecurringDetails.FailureReason)
	assert.Equal(t, int64(1500000), tok.MaxAmount)
	assert.Equal(t, "", tok.Status)
	assert.Equal(t, Notes{"plan": "gold-monthly"}, tok.Notes)
	assert.Nil(t, tok.BillingAddress)
	require.NotNil(t, tok.Card)
	assert.Equal(t, "8950", tok.Card.Last4)
	assert.Equal(t, &CardFlows{OTP: true, Recurring: true, Iframe: false}, tok.Card.Flows)
	assert.True(t, tok.Chargeable())
}

func TestTokenDelete(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	path := "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens/token_Nq6Ye9AjM4uNhJ"
	rec := mockRespondFixture(t, mt, "DELETE", path, "token/delete.json")

	err := c.Token.Delete(mockCtx(t), "cust_Nq2Yk8ZpR4tLmA", "token_Nq6Ye9AjM4uNhJ")
	require.NoError(t, err)

	call := rec.Only(t)
	assertReq(t, call, "DELETE", path)
	assertReqNoBody(t, call)
	assertReqNoQuery(t, call)
}

func TestTokenDeleteNotApplied(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockRespondFixture(t, mt, "DELETE", "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens/token_Nq6Ye9AjM4uNhJ", "token/delete_false.json")

	err := c.Token.Delete(mockCtx(t), "cust_Nq2Yk8ZpR4tLmA", "token_Nq6Ye9AjM4uNhJ")
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotApplied)
	var apiErr *Error
	assert.False(t, errors.As(err, &apiErr))
	assert.Len(t, rec.Calls(), 1, "a 2xx answer is final")
}

func TestTokenDeleteIsRetriedOnServerError(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	rec := mockHandle(t, mt, "DELETE", "/v1/customers/cust_Nq2Yk8ZpR4tLmA/tokens/token_Nq6Ye9AjM4uNhJ", func(n int, _ mockCall) mockReply {
		if n == 0 {
			return mockReply{Status: http.StatusServiceUnavailable}
		}
		return mockReply{Status: http.StatusOK, Body: []byte(`{"deleted": true}`)}
	})

	err := c.Token.Delete(mockCtx(t), "cust_Nq2Yk8ZpR4tLmA", "token_Nq6Ye9AjM4uNhJ")
	require.NoError(t, err)
	assert.Len(t, rec.Calls(), 2, "DELETE is safe to repeat")
}

func TestTokenMandateStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		token     Token
		want      TokenRecurringStatus
		chargable bool
	}{
		{name: "confirmed", token: Token{Recurring: true, RecurringDetails: RecurringDetails{Status: TokenRecurringStatusConfirmed}}, want: TokenRecurringStatusConfirmed, chargable: true},
		{name: "no recurring_details but recurring", token: Token{Recurring: true}, want: TokenRecurringStatusConfirmed, chargable: true},
		{name: "rejected", token: Token{RecurringDetails: RecurringDetails{Status: TokenRecurringStatusRejected, FailureReason: "Rejected by bank"}}, want: TokenRecurringStatusRejected},
		{name: "cancelled while recurring", token: Token{Recurring: true, RecurringDetails: RecurringDetails{Status: TokenRecurringStatusCancelled}}, want: TokenRecurringStatusCancelled},
		{name: "paused", token: Token{Recurring: true, RecurringDetails: RecurringDetails{Status: TokenRecurringStatusPaused}}, want: TokenRecurringStatusPaused},
		{name: "unknown status passes through", token: Token{RecurringDetails: RecurringDetails{Status: "cancellation_initiated"}}, want: "cancellation_initiated"},
		{name: "nothing", token: Token{}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.token.MandateStatus())
			assert.Equal(t, tt.chargable, tt.token.Chargeable())
		})
	}
}

// The enum constants' former names (of token.go, invoice.go and order.go)
// stay what they were: the same type and value as their new names.
func TestFormerEnumNames(t *testing.T) {
	t.Parallel()
	tests := []struct{ former, current any }{
		{TokenRecurringInitiated, TokenRecurringStatusInitiated},
		{TokenRecurringConfirmed, TokenRecurringStatusConfirmed},
		{TokenRecurringRejected, TokenRecurringStatusRejected},
		{TokenRecurringCancelled, TokenRecurringStatusCancelled},
		{TokenRecurringPaused, TokenRecurringStatusPaused},
		{NotifySMS, NotifyMediumSMS},
		{NotifyEmail, NotifyMediumEmail},
		{NotificationPending, NotificationStatusPending},
		{NotificationSent, NotificationStatusSent},
		{MethodCard, PaymentMethodCard},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.current, tt.former) // the type too: any(x) keeps it
	}
	assert.Equal(t, []any{"initiated", "confirmed", "rejected", "cancelled", "paused", "sms", "email", "pending", "sent", "card"},
		[]any{string(TokenRecurringInitiated), string(TokenRecurringConfirmed), string(TokenRecurringRejected), string(TokenRecurringCancelled), string(TokenRecurringPaused),
			string(NotifySMS), string(NotifyEmail), string(NotificationPending), string(NotificationSent), string(MethodCard)})
}

// TestTokenDeleteAfterLost500ThenGone: a first answer of exactly 500 (the
// lowest status that may hide a deletion) and a retry that finds the token
// gone is "already deleted".
func TestTokenDeleteAfterLost500ThenGone(t *testing.T) {
	t.Parallel()
	script := mockScript(
		mockJSON(500, mockServerErr),
		mockJSON(404, mockBadRequest),
	)
	c := mockClient(t, script)
	require.NoError(t, c.Token.Delete(mockCtx(t, 10*time.Second), "cust_X", "token_X"))
	seen := script.Calls()
	require.Len(t, seen, 2)
	for _, r := range seen {
		assert.Equal(t, "DELETE", r.Method)
		assert.Equal(t, "/v1/customers/cust_X/tokens/token_X", r.EscapedPath)
	}
}
