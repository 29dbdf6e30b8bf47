package main

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// allEvents is every event type the SDK models.
var allEvents = []razorpay.EventType{
	razorpay.EventTokenConfirmed, razorpay.EventTokenRejected, razorpay.EventTokenPaused,
	razorpay.EventTokenCancelled, razorpay.EventPaymentAuthorized, razorpay.EventPaymentCaptured,
	razorpay.EventPaymentFailed, razorpay.EventOrderPaid, razorpay.EventInvoicePaid,
	razorpay.EventInvoiceExpired, razorpay.EventOrderNotificationDelivered, razorpay.EventOrderNotificationFailed,
	razorpay.EventRefundCreated, razorpay.EventRefundProcessed, razorpay.EventRefundFailed,
}

func TestTriggerEveryEvent(t *testing.T) {
	t.Parallel()
	assert.Len(t, razorpaytest.TriggerEvents(), len(allEvents), "a scenario for every event")
	for _, event := range allEvents {
		t.Run(string(event), func(t *testing.T) {
			t.Parallel()
			rc := newReceiver(t, testWebhookSecret)
			r := runCLI(t, context.Background(), nil, "", "trigger", string(event), "--forward-to", rc.URL, "--secret", testWebhookSecret)
			require.Equal(t, exitOK, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
			noSecrets(t, r, testWebhookSecret)
			got := rc.received()
			require.NotEmpty(t, got)
			var last *razorpay.WebhookEvent
			for _, ev := range got {
				if ev.Event == event {
					last = ev
				}
			}
			require.NotNil(t, last, "%s arrived, verified and parsed", event)
			assert.NotEmpty(t, last.ID, "X-Razorpay-Event-Id")
			switch event {
			case razorpay.EventTokenConfirmed, razorpay.EventTokenRejected, razorpay.EventTokenPaused, razorpay.EventTokenCancelled:
				require.NotNil(t, last.Token)
				assert.Equal(t, razorpay.TokenRecurringStatus(string(event)[len("token."):]), last.Token.MandateStatus())
			case razorpay.EventPaymentAuthorized, razorpay.EventPaymentCaptured, razorpay.EventPaymentFailed:
				require.NotNil(t, last.Payment)
			case razorpay.EventOrderPaid:
				require.NotNil(t, last.Order)
				assert.Equal(t, razorpay.OrderStatusPaid, last.Order.Status)
			case razorpay.EventInvoicePaid, razorpay.EventInvoiceExpired:
				require.NotNil(t, last.Invoice)
			case razorpay.EventOrderNotificationDelivered, razorpay.EventOrderNotificationFailed:
				require.NotNil(t, last.Notification)
				assert.NotEmpty(t, last.Notification.OrderID)
				assert.NotEmpty(t, last.Notification.TokenID)
			case razorpay.EventRefundCreated, razorpay.EventRefundProcessed, razorpay.EventRefundFailed:
				require.NotNil(t, last.Refund)
				require.NotNil(t, last.Payment)
				assert.Equal(t, last.Payment.ID, last.Refund.PaymentID)
				assert.Equal(t, razorpay.RefundStatus(map[razorpay.EventType]string{
					razorpay.EventRefundCreated: "pending", razorpay.EventRefundProcessed: "processed", razorpay.EventRefundFailed: "failed",
				}[event]), last.Refund.Status, "the last event's refund")
			}
			assert.Contains(t, r.stdout, string(event))
		})
	}
}

func TestTriggerGolden(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, testWebhookSecret)
	ctx := context.Background()
	r := runCLI(t, ctx, nil, "", "trigger", "payment.failed", "--forward-to", rc.URL, "--secret", testWebhookSecret, "--seed", "7")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "trigger.golden", withoutTimes(r.stdout), rc.URL, "ENDPOINT")
	got := rc.received()
	require.Len(t, got, 1, "a declined charge raises payment.failed alone")
	assert.Equal(t, razorpay.EventPaymentFailed, got[0].Event)

	env := map[string]string{"RAZORPAY_WEBHOOK_SECRET": testWebhookSecret}
	r = runCLI(t, ctx, env, "", "trigger", "token.cancelled", "--forward-to", rc.URL, "--seed", "7", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "trigger.json.golden", withoutTimes(r.stdout))
}

var timesRE = regexp.MustCompile(`\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\b\d\d:\d\d:\d\d\b`)

// withoutTimes replaces the times of delivery lines, which are the wall
// clock's.
func withoutTimes(s string) string { return timesRE.ReplaceAllString(s, "TIME") }

func TestTriggerEndpointRefuses(t *testing.T) {
	t.Parallel()
	// An endpoint with another secret answers 400 to every delivery.
	rc := newReceiver(t, "not-the-same-secret")
	r := runCLI(t, context.Background(), nil, "", "trigger", "token.rejected", "--forward-to", rc.URL, "--secret", testWebhookSecret, "--seed", "7")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stdout, "-> 400 Bad Request (attempt 5, giving up)")
	assert.Contains(t, r.stderr, "your endpoint did not accept token.rejected")
	assert.Empty(t, rc.received())
}

// trigger builds its objects in the running fake, where a handler can
// fetch them, and delivers only the events of the action.
func TestTriggerInTheRunningFake(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	rc := newReceiver(t, testWebhookSecret)
	env := fakeEnv(srv)
	r := runCLI(t, context.Background(), env, "", "trigger", "payment.failed", "--forward-to", rc.URL, "--secret", testWebhookSecret, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var doc triggerJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.Equal(t, srv.URL, doc.BaseURL)
	got := rc.received()
	require.Len(t, got, 1)
	assert.Equal(t, razorpay.EventPaymentFailed, got[0].Event)
	require.NotNil(t, got[0].Payment)
	assert.Equal(t, doc.Objects["payment_id"], got[0].Payment.ID)
	p, err := srv.Client().Payment.Fetch(context.Background(), got[0].Payment.ID)
	require.NoError(t, err, "the handler can fetch the payment from the running fake")
	assert.Equal(t, razorpay.PaymentStatusFailed, p.Status)
	assert.Equal(t, "Payment was declined by the bank", p.ErrorDescription)
}

// A running fake that forwards webhooks delivers the trigger's events
// itself; trigger shows its deliveries.
func TestTriggerWatchesAFakeThatForwards(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, testWebhookSecret)
	srv := newFake(t, razorpaytest.WithWebhook(rc.URL, testWebhookSecret))
	env := fakeEnv(srv)
	r := runCLI(t, context.Background(), env, "", "trigger", "payment.captured")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Triggered payment.captured in the fake at "+srv.URL+": 3 events to "+rc.URL+"\n")
	assert.Regexp(t, `\n\* \d\d:\d\d:\d\d  payment\.captured +pay_\w+ +evt_\w+  -> 200 OK\n`, r.stdout)
	require.Eventually(t, func() bool { return len(rc.received()) == 3 }, 5*time.Second, 10*time.Millisecond)
	var events []razorpay.EventType
	for _, ev := range rc.received() {
		events = append(events, ev.Event)
	}
	assert.Equal(t, []razorpay.EventType{"payment.authorized", "payment.captured", "order.paid"}, events, "once each, by the fake")
}
