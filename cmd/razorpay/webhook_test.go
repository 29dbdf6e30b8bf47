package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

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
