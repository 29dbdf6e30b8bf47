package razorpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestNewMandate(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	ctx := context.Background()

	a, err := srv.NewMandate(ctx, 250_000)
	require.NoError(t, err)
	b, err := srv.NewMandate(ctx, 500_000, razorpaytest.WithCard(razorpaytest.CardDetails{Number: "5555555555554444"}))
	require.NoError(t, err)
	assert.NotEqual(t, a.CustomerID, b.CustomerID, "a new customer each time")
	assert.NotEqual(t, a.Email, b.Email)
	assert.Len(t, srv.Requests(), 4, "two customers and two authorization orders went through the API")

	client := srv.Client()
	tok, err := client.Token.Fetch(ctx, b.CustomerID, b.TokenID)
	require.NoError(t, err)
	assert.Equal(t, razorpay.TokenRecurringStatusConfirmed, tok.RecurringDetails.Status)
	assert.Equal(t, int64(500_000), tok.MaxAmount)
	require.NotNil(t, tok.Card)
	assert.Equal(t, "4444", tok.Card.Last4)

	pay, err := client.Payment.Fetch(ctx, a.PaymentID)
	require.NoError(t, err)
	assert.Equal(t, a.OrderID, pay.OrderID)
	assert.Equal(t, a.TokenID, pay.TokenID)

	_, err = srv.NewMandate(ctx, 50) // below Razorpay's minimum max_amount
	assert.ErrorIs(t, err, razorpay.ErrInvalidParams)
}
