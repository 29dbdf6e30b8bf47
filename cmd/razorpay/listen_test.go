package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

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
