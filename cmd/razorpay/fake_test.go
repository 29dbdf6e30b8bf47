package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestFake(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, testWebhookSecret)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	urls := make(chan string, 1)
	var stdout, stderr syncBuffer
	stdout.onWrite = func(p []byte) {
		if base, ok := strings.CutPrefix(string(p), "razorpay fake listening on "); ok {
			urls <- strings.TrimSpace(base)
		}
	}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"fake", "--addr", "127.0.0.1:0", "--webhook-url", rc.URL, "--webhook-secret", testWebhookSecret, "--seed", "7"},
			nil, &stdout, &stderr, func(string) string { return "" })
	}()
	var base string
	select {
	case base = <-urls:
	case code := <-done:
		t.Fatalf("fake ended with %d: %s", code, stderr.String())
	}
	client := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret, razorpay.WithBaseURL(base))
	cust, err := client.Customer.Create(ctx, &razorpay.CustomerCreateParams{Name: "Asha Rao", Email: "asha.rao@example.com"})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(cust.ID, "cust_"))
	cancel()
	assert.Equal(t, exitOK, <-done)
	out := stdout.String()
	assert.Contains(t, out, "export RAZORPAY_BASE_URL="+base)
	assert.Contains(t, out, "export RAZORPAY_KEY_ID="+razorpaytest.KeyID)
	assert.Contains(t, out, "webhooks: "+rc.URL)
	assert.Contains(t, out, "razorpay fake: shutting down")
	noSecrets(t, cli{stdout: out, stderr: stderr.String()}, testWebhookSecret)
}
