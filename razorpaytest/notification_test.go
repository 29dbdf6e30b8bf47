package razorpaytest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestNotifyPreDebit(t *testing.T) {
	t.Parallel()
	const secret = "whsec_notify"
	endpoint := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(endpoint.Close)
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithWebhook(endpoint.URL, secret))
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 100_000)
	require.NoError(t, err)
	client := srv.Client()
	order, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49_900, Currency: "INR", Receipt: "n-1",
		Notification: &razorpay.OrderNotificationParams{TokenID: m.TokenID, PaymentAfter: 1_900_000_000}})
	require.NoError(t, err)
	plain, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49_900, Currency: "INR", Receipt: "n-2"})
	require.NoError(t, err)

	require.NoError(t, srv.NotifyPreDebit(order.ID, true))
	require.NoError(t, srv.NotifyPreDebit(order.ID, false))
	assert.ErrorIs(t, srv.NotifyPreDebit(plain.ID, true), razorpaytest.ErrInvalidState, "an order without a notification")
	assert.ErrorIs(t, srv.NotifyPreDebit("order_Nope", true), razorpaytest.ErrUnknownID)
	require.NoError(t, srv.WaitForWebhooks(ctx))

	var got []*razorpay.WebhookEvent
	for _, d := range srv.Webhooks() {
		if d.Event == razorpay.EventOrderNotificationDelivered || d.Event == razorpay.EventOrderNotificationFailed {
			require.True(t, d.Delivered)
			ev, err := razorpay.ParseWebhook(d.Body, d.Signature, secret)
			require.NoError(t, err)
			got = append(got, ev)
			var raw map[string]any
			require.NoError(t, json.Unmarshal(ev.Payload["notification"], &raw))
			assert.Equal(t, "notification", raw["entity"])
		}
	}
	require.Len(t, got, 2)
	assert.Equal(t, razorpay.EventOrderNotificationDelivered, got[0].Event)
	assert.Equal(t, []string{"notification"}, got[0].Contains)
	n := got[0].Notification
	require.NotNil(t, n)
	assert.Equal(t, order.Notification.ID, n.ID)
	assert.Equal(t, order.ID, n.OrderID)
	assert.Equal(t, m.TokenID, n.TokenID)
	assert.Equal(t, "delivered", n.Status)
	assert.NotZero(t, n.DeliveredAt)
	assert.Equal(t, int64(1_900_000_000), n.PaymentAfter)
	assert.Equal(t, razorpay.EventOrderNotificationFailed, got[1].Event)
	assert.Equal(t, "failed", got[1].Notification.Status)
	assert.Zero(t, got[1].Notification.DeliveredAt)
}
