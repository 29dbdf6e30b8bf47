package razorpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestRejectAuthorization(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newFake(t)
	cust := createCustomer(t, c, "Gaurav Kumar", "gaurav.kumar@example.com", "+919876543210")
	auth := createAuthOrder(t, c, cust.ID, 100000)

	p, err := srv.RejectAuthorization(auth.ID, "Card not enabled for recurring")
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusFailed, p.Status)
	assert.Equal(t, "Card not enabled for recurring", p.ErrorDescription)
	assert.Equal(t, "payment_failed", p.ErrorReason)
	require.NotEmpty(t, p.TokenID)

	o, err := c.Order.Fetch(ctx, auth.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.OrderStatusAttempted, o.Status)
	assert.Equal(t, "rejected", o.Token.RecurringStatus)

	// Like Razorpay, the list leaves rejected tokens out; fetching shows why.
	list, err := c.Token.List(ctx, cust.ID)
	require.NoError(t, err)
	assert.Empty(t, list.Items)
	tok, err := c.Token.Fetch(ctx, cust.ID, p.TokenID)
	require.NoError(t, err)
	assert.False(t, tok.Recurring)
	assert.False(t, tok.Chargeable())
	assert.Equal(t, razorpay.TokenRecurringStatusRejected, tok.RecurringDetails.Status)
	assert.Equal(t, "Card not enabled for recurring", tok.RecurringDetails.FailureReason)
	require.Len(t, srv.Tokens(cust.ID), 1)

	// A rejected token cannot be charged.
	f := &fixture{c: c, cust: cust, tokenID: p.TokenID}
	charge := f.chargeOrder(t, 1000)
	_, err = c.Payment.CreateRecurring(ctx, f.recurring(charge.ID, 1000))
	apiErr := requireAPIError(t, err, 400, "The token cannot be charged: its mandate is rejected, not confirmed", "token")
	assert.Equal(t, "payment_initiation", apiErr.Step)

	// The card holder tries again and succeeds.
	ok, err := srv.CompleteAuthorization(auth.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusCaptured, ok.Status)
	payments, err := c.Order.Payments(ctx, auth.ID)
	require.NoError(t, err)
	assert.Len(t, payments.Items, 2)
	_, err = srv.RejectAuthorization(auth.ID, "")
	require.ErrorIs(t, err, razorpaytest.ErrInvalidState)
	_, err = srv.CompleteAuthorization("order_00000000000000")
	require.ErrorIs(t, err, razorpaytest.ErrUnknownID)
}

func TestSetMandateStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)

	require.NoError(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusPaused))
	tok, err := f.c.Token.Fetch(ctx, f.cust.ID, f.tokenID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.TokenRecurringStatusPaused, tok.RecurringDetails.Status)
	o := f.chargeOrder(t, 1000)
	_, err = f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	requireAPIError(t, err, 400, "The token cannot be charged: its mandate is paused, not confirmed", "token")

	require.NoError(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusConfirmed))
	_, err = f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	require.NoError(t, err)

	require.NoError(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusCancelled))
	tok, err = f.c.Token.Fetch(ctx, f.cust.ID, f.tokenID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.TokenRecurringStatusCancelled, tok.MandateStatus())
	require.ErrorIs(t, f.srv.SetMandateStatus(f.tokenID, razorpay.TokenRecurringStatusConfirmed), razorpaytest.ErrInvalidState)
	require.ErrorIs(t, f.srv.SetMandateStatus("token_00000000000000", razorpay.TokenRecurringStatusPaused), razorpaytest.ErrUnknownID)
	require.Error(t, f.srv.SetMandateStatus(f.tokenID, "bogus"))
}

func TestFailPayment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	o := f.chargeOrder(t, 1000)
	rp, err := f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	require.NoError(t, err)

	require.NoError(t, f.srv.FailPayment(rp.PaymentID, "Insufficient funds"))
	p, err := f.c.Payment.Fetch(ctx, rp.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentStatusFailed, p.Status)
	assert.False(t, p.Captured)
	assert.Equal(t, "Insufficient funds", p.ErrorDescription)
	assert.Equal(t, razorpay.CodeBadRequest, p.ErrorCode)

	got, err := f.c.Order.Fetch(ctx, o.ID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.OrderStatusAttempted, got.Status)
	assert.Equal(t, int64(1000), got.AmountDue)
	require.ErrorIs(t, f.srv.FailPayment(rp.PaymentID, ""), razorpaytest.ErrInvalidState)
	require.ErrorIs(t, f.srv.FailPayment("pay_00000000000000", ""), razorpaytest.ErrUnknownID)

	// The order may be paid again.
	_, err = f.c.Payment.CreateRecurring(ctx, f.recurring(o.ID, 1000))
	require.NoError(t, err)
}

func TestPayOrderAndNonCardPayment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, c := newFake(t)
	o, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 5000, Currency: "INR"})
	require.NoError(t, err)
	p, err := srv.PayOrder(o.ID, "upi")
	require.NoError(t, err)
	assert.Equal(t, razorpay.PaymentMethod("upi"), p.Method)
	assert.Equal(t, razorpay.PaymentStatusCaptured, p.Status)

	_, err = c.Payment.FetchCard(ctx, p.ID)
	requireAPIError(t, err, 400, "Payment was not done using card", "")
	_, err = srv.PayOrder(o.ID, "card")
	require.ErrorIs(t, err, razorpaytest.ErrInvalidState)
	// An order without a token is not an authorization order.
	o2, err := c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 5000, Currency: "INR"})
	require.NoError(t, err)
	_, err = srv.CompleteAuthorization(o2.ID)
	require.ErrorIs(t, err, razorpaytest.ErrInvalidState)

	withCard, err := srv.PayOrder(o2.ID, "card", razorpaytest.WithCard(razorpaytest.CardDetails{Number: "5555555555554444", Type: "debit"}))
	require.NoError(t, err)
	require.NotNil(t, withCard.Card)
	assert.Equal(t, "MasterCard", withCard.Card.Network)
	assert.Equal(t, "4444", withCard.Card.Last4)
	assert.Equal(t, "debit", withCard.Card.Type)
}
