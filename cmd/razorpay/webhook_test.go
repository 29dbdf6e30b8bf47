package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

const testWebhookSecret = "whsec_cli_test_Secret_42"

func TestWebhookVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	body, err := os.ReadFile("testdata/webhook-payment-captured.json")
	require.NoError(t, err)
	sig := razorpaytest.SignWebhook(body, testWebhookSecret)

	r := runCLI(t, ctx, nil, string(body), "webhook", "verify", "--secret", testWebhookSecret, "--signature", sig)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "webhook-verify.golden", r.stdout)
	noSecrets(t, r, testWebhookSecret, sig)

	env := map[string]string{"RAZORPAY_WEBHOOK_SECRET": testWebhookSecret}
	r = runCLI(t, ctx, env, "", "webhook", "verify", "--signature", sig, "--in", "testdata/webhook-payment-captured.json", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "webhook-verify.json.golden", r.stdout)
	noSecrets(t, r, testWebhookSecret, sig)
	var v struct {
		Valid bool
		Event struct {
			Event   string
			Payment razorpay.Payment
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v))
	assert.True(t, v.Valid)
	assert.Equal(t, "payment.captured", v.Event.Event)
	assert.Equal(t, razorpay.PaymentStatusCaptured, v.Event.Payment.Status)

	// A wrong secret, a changed body, a signed body that is not an event.
	r = runCLI(t, ctx, nil, string(body), "webhook", "verify", "--secret", "another-secret", "--signature", sig)
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stdout, "invalid: the signature does not match this body and secret")
	noSecrets(t, r, "another-secret", sig)

	r = runCLI(t, ctx, nil, string(body)+"\n", "webhook", "verify", "--secret", testWebhookSecret, "--signature", sig, "--json")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stdout, "was one added?")
	assert.Contains(t, r.stdout, `"valid": false`)

	notEvent := []byte(`{"hello": "world"}`)
	r = runCLI(t, ctx, nil, string(notEvent), "webhook", "verify", "--secret", testWebhookSecret,
		"--signature", razorpaytest.SignWebhook(notEvent, testWebhookSecret))
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stdout, "invalid: the signature is valid but the body is not a Razorpay webhook event")
}

// receiver is a local webhook endpoint built on razorpay.WebhookHandler.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	events []*razorpay.WebhookEvent
}

func newReceiver(t *testing.T, secret string) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.Server = httptest.NewServer(razorpay.WebhookHandler(secret, func(_ context.Context, ev *razorpay.WebhookEvent) error {
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.events = append(rc.events, ev)
		return nil
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) received() []*razorpay.WebhookEvent {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*razorpay.WebhookEvent(nil), rc.events...)
}

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

func TestListen(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, testWebhookSecret)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	urls := make(chan string, 1)
	var stdout syncBuffer
	stdout.onWrite = func(p []byte) {
		if base, ok := strings.CutPrefix(string(p), "razorpay fake listening on "); ok {
			urls <- strings.TrimSpace(base)
		}
	}
	var stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"listen", "--addr", "127.0.0.1:0", "--forward-to", rc.URL, "--secret", testWebhookSecret},
			nil, &stdout, &stderr, func(string) string { return "" })
	}()
	var base string
	select {
	case base = <-urls:
	case code := <-done:
		t.Fatalf("listen ended with %d: %s", code, stderr.String())
	}
	// The developer's app uses the fake; its webhooks reach the endpoint.
	client := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(base))
	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Asha Rao", Email: "asha.rao@example.com", Contact: "+919000090000"})
	require.NoError(t, err)
	order, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 100, Currency: "INR", CustomerID: cust.ID,
		Method: razorpay.PaymentMethodCard, Token: &razorpay.OrderTokenParams{MaxAmount: 100_000, Frequency: razorpay.FrequencyMonthly}})
	require.NoError(t, err)
	// The card holder approves on the hosted page (no SDK call for that).
	resp, err := http.Post(base+"/i/"+order.ID+"/authorize", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Eventually(t, func() bool {
		return len(rc.received()) == 4 && strings.Count(stdout.String(), "-> 200 OK") == 4
	}, 10*time.Second, 10*time.Millisecond, "4 events delivered and printed:\n%s", stdout.String())
	cancel()
	assert.Equal(t, exitOK, <-done)
	out := stdout.String()
	// Time, event, entity, event id, the endpoint's answer.
	for _, ev := range []string{`payment\.authorized +pay_\w+`, `payment\.captured +pay_\w+`, `order\.paid +` + order.ID, `token\.confirmed +token_\w+`} {
		assert.Regexp(t, `\n\d\d:\d\d:\d\d  `+ev+` +evt_\w+  -> 200 OK\n`, out)
	}
	assert.Contains(t, out, "Forwarding webhooks to "+rc.URL)
	assert.Contains(t, out, "razorpay listen: shutting down")
	noSecrets(t, cli{stdout: out, stderr: stderr.String()}, testWebhookSecret)
}
