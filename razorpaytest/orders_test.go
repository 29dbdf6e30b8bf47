package razorpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestListOrdersByReceiptExpandsPayments(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	create := func(receipt string) *razorpay.Order {
		o, err := f.c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49900, Currency: "INR", Receipt: receipt, PaymentCapture: razorpay.Ptr(true)})
		require.NoError(t, err)
		return o
	}
	first, second, other := create("bill-1"), create("bill-1"), create("bill-2")
	_, err := f.c.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{
		Email: f.cust.Email, Contact: f.cust.Contact, Amount: 49900, Currency: "INR",
		OrderID: second.ID, CustomerID: f.cust.ID, TokenID: f.tokenID,
	})
	require.NoError(t, err)

	list, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-1", Expand: []string{razorpay.ExpandPayments}})
	require.NoError(t, err)
	require.Len(t, list.Items, 2)
	assert.Equal(t, second.ID, list.Items[0].ID, "newest first")
	assert.Equal(t, first.ID, list.Items[1].ID)
	require.NotNil(t, list.Items[0].Payments)
	require.Len(t, list.Items[0].Payments.Items, 1)
	assert.Equal(t, second.ID, list.Items[0].Payments.Items[0].OrderID)
	assert.Nil(t, list.Items[0].Payments.Items[0].Card, "payments without .card")
	require.NotNil(t, list.Items[1].Payments)
	assert.Empty(t, list.Items[1].Payments.Items)

	withCard, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-1", Expand: []string{razorpay.ExpandPaymentsCard}})
	require.NoError(t, err)
	require.NotNil(t, withCard.Items[0].Payments.Items[0].Card)

	plain, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-2"})
	require.NoError(t, err)
	require.Len(t, plain.Items, 1)
	assert.Equal(t, other.ID, plain.Items[0].ID)
	assert.Nil(t, plain.Items[0].Payments)

	authorized, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-1", Authorized: razorpay.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, authorized.Items, 1)
	assert.Equal(t, second.ID, authorized.Items[0].ID)

	var all []string
	for o, err := range f.c.Order.All(ctx, &razorpay.OrderListParams{ListParams: razorpay.ListParams{Count: 1}, Receipt: "bill-1"}) {
		require.NoError(t, err)
		all = append(all, o.ID)
	}
	assert.Equal(t, []string{second.ID, first.ID}, all)

	err = f.c.Do(ctx, "GET", "/v1/orders?expand[]=card", nil, nil)
	assert.ErrorIs(t, err, razorpay.ErrBadRequest)
}

func TestClockMovesTheServersTime(t *testing.T) {
	t.Parallel()
	var clk razorpaytest.Clock
	_, c := newServer(t, razorpaytest.WithClock(clk.Now))
	before := createCustomer(t, c, "Asha Rao", "a@example.com", "+919000000001").CreatedAt
	clk.Advance(time.Hour)
	after := createCustomer(t, c, "Bala Iyer", "b@example.com", "+919000000002").CreatedAt
	assert.InDelta(t, before+3600, after, 2, "an hour later on the server's clock")
	assert.WithinDuration(t, time.Now().Add(time.Hour), clk.Now(), 2*time.Second)
}

// A registration link's order carries the link's receipt, and is found by it
// like any other order.
func TestListOrdersByReceiptFindsRegistrationLinkOrders(t *testing.T) {
	t.Parallel()
	_, c := newServer(t, razorpaytest.WithUniqueReceipts())
	ctx := context.Background()
	link, err := c.RegistrationLink.Create(ctx, &razorpay.RegistrationLinkCreateParams{
		Customer: razorpay.RegistrationLinkCustomer{Name: "Link Holder", Email: "link.holder@example.com", Contact: "+919000000003"},
		Amount:   100, Currency: "INR", Description: "Mandate", Receipt: "link-receipt-1",
		SubscriptionRegistration: razorpay.SubscriptionRegistration{MaxAmount: 50000, Frequency: razorpay.FrequencyMonthly},
	})
	require.NoError(t, err)
	list, err := c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "link-receipt-1"})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Equal(t, link.OrderID, list.Items[0].ID)

	_, err = c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 100, Currency: "INR", Receipt: "link-receipt-1"})
	assert.ErrorIs(t, err, razorpay.ErrBadRequest, "the link's receipt is in use")
}

// TestUpdateOrderNotes: PATCH /v1/orders/{id} replaces the notes, and only
// the notes; the list by receipt shows them.
func TestUpdateOrderNotes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	o, err := f.c.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49900, Currency: "INR", Receipt: "bill-n",
		Notes: razorpay.Notes{"plan": "gold", "old": "x"}})
	require.NoError(t, err)

	got, err := f.c.Order.Update(ctx, o.ID, &razorpay.OrderUpdateParams{Notes: razorpay.Notes{"plan": "gold", "seen": "1"}})
	require.NoError(t, err)
	assert.Equal(t, razorpay.Notes{"plan": "gold", "seen": "1"}, got.Notes)
	assert.Equal(t, o.Amount, got.Amount)
	assert.Equal(t, o.CreatedAt, got.CreatedAt)

	list, err := f.c.Order.List(ctx, &razorpay.OrderListParams{Receipt: "bill-n"})
	require.NoError(t, err)
	require.Len(t, list.Items, 1)
	assert.Equal(t, razorpay.Notes{"plan": "gold", "seen": "1"}, list.Items[0].Notes)

	got, err = f.c.Order.Update(ctx, o.ID, &razorpay.OrderUpdateParams{})
	require.NoError(t, err)
	assert.Empty(t, got.Notes)

	_, err = f.c.Order.Update(ctx, "order_Missing", &razorpay.OrderUpdateParams{})
	assert.ErrorIs(t, err, razorpay.ErrBadRequest)
	err = f.c.Do(ctx, "PATCH", "/v1/orders/"+o.ID, map[string]any{"amount": 100, "notes": map[string]string{}}, nil)
	assert.ErrorIs(t, err, razorpay.ErrBadRequest, "only notes may change")
	err = f.c.Do(ctx, "PATCH", "/v1/orders/"+o.ID, map[string]any{}, nil)
	assert.ErrorIs(t, err, razorpay.ErrBadRequest, "notes are required")
}
