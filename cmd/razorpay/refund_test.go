package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

// refundRequests returns the refund requests the fake received.
func refundRequests(srv *razorpaytest.Server) []razorpaytest.Request {
	var out []razorpaytest.Request
	for _, r := range srv.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/refund") {
			out = append(out, r)
		}
	}
	return out
}

func TestRefund(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	_, p := charged(t, srv, "sub_42-2026-11")
	const key = "refund-sub_42-2026-11-1"
	args := []string{"refund", p.ID, "--amount", "16633", "--key", key, "--receipt", key}

	r := runCLI(t, ctx, env, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "refund.golden", r.stdout)
	noSecrets(t, r, srv.KeySecret)
	reqs := refundRequests(srv)
	require.Len(t, reqs, 1)
	assert.Equal(t, "/v1/payments/"+p.ID+"/refund", reqs[0].Path)
	assert.Equal(t, key, reqs[0].Header.Get("X-Refund-Idempotency"))
	assert.JSONEq(t, `{"amount": 16633, "receipt": "`+key+`"}`, string(reqs[0].Body))

	// The same command again: the same refund, and it says so.
	r = runCLI(t, ctx, env, "", args...)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "refund-repeat.golden", r.stdout)
	assert.True(t, strings.HasPrefix(r.stdout, "Already refunded with key "+key+": "))
	r = runCLI(t, ctx, env, "", append(args, "--json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "refund.json.golden", r.stdout)
	var doc refundJSON
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.True(t, doc.Repeated)
	refunds := srv.Refunds(p.ID)
	require.Len(t, refunds, 1, "three runs, one refund")
	assert.Equal(t, refunds[0].ID, doc.Refund.ID)

	// The rest, at optimum speed, without a key: a new refund.
	r = runCLI(t, ctx, env, "", "refund", p.ID, "--speed", "optimum", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc))
	assert.False(t, doc.Repeated)
	assert.Equal(t, int64(49_900-16_633), doc.Refund.Amount)
	assert.Equal(t, razorpay.RefundSpeedInstant, doc.Refund.SpeedProcessed)
	assert.Len(t, srv.Refunds(p.ID), 2)

	r = runCLI(t, ctx, env, "", "payments", "refunds", p.ID)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "payments-refunds.golden", r.stdout)
	r = runCLI(t, ctx, env, "", "payments", "refunds", p.ID, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var listed []razorpay.Refund
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &listed))
	assert.Len(t, listed, 2)

	// Nothing is left: Razorpay refuses, and the command fails.
	r = runCLI(t, ctx, env, "", "refund", p.ID, "--amount", "100")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "razorpay refund: ")
	assert.Contains(t, r.stderr, "fully refunded")
	assert.Empty(t, r.stdout)
	assert.Len(t, srv.Refunds(p.ID), 2)
}

func TestRefundNoRefunds(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	_, p := charged(t, srv, "sub_42-2026-11")
	r := runCLI(t, context.Background(), fakeEnv(srv), "", "payments", "refunds", p.ID)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Payment "+p.ID+" (captured): 0.00 INR of 499.00 INR refunded (none).\n", r.stdout)
	r = runCLI(t, context.Background(), fakeEnv(srv), "", "payments", "refunds", p.ID, "--json")
	assert.Equal(t, "[]\n", r.stdout)
}

// A refund whose outcome stays unknown exits 3 and says how to get it.
func TestRefundOutcomeUnknown(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	_, p := charged(t, srv, "sub_42-2026-11")
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/" + p.ID + "/refund", Status: 503, Times: -1,
		Body: razorpaytest.ErrorBody("SERVER_ERROR", "down"), RetryAfter: "0"})

	r := runCLI(t, context.Background(), env, "", "refund", p.ID, "--amount", "100", "--key", "refund-unknown-1")
	assert.Equal(t, exitUnknown, r.code)
	assert.Contains(t, r.stderr, "run the same command again with --key refund-unknown-1")
	assert.Empty(t, r.stdout)

	r = runCLI(t, context.Background(), env, "", "refund", p.ID, "--amount", "100")
	assert.Equal(t, exitUnknown, r.code)
	assert.Contains(t, r.stderr, `IdempotencyKey "gorzp-`)
	assert.Contains(t, r.stderr, "with --key set to the IdempotencyKey named above")

	srv.ClearFaults()
	r = runCLI(t, context.Background(), env, "", "refund", p.ID, "--amount", "100", "--key", "refund-unknown-1")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Len(t, srv.Refunds(p.ID), 1)
}

func TestRefundUsageErrors(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"refund"}, "missing arguments"},
		{[]string{"refund", "pay_1", "pay_2"}, "unexpected arguments"},
		{[]string{"refund", "pay_1", "--key", "short"}, "invalid --key: must be at least 10 characters"},
		{[]string{"refund", "pay_1", "--key", "refund sub 42"}, "invalid --key: must be letters, digits"},
		{[]string{"refund", "pay_1", "--speed", "instant"}, "invalid --speed: must be normal or optimum"},
		{[]string{"refund", "pay_1", "--amount", "-5"}, "invalid --amount: must not be negative"},
		{[]string{"refund", "pay_1", "--receipt", strings.Repeat("r", 41)}, "invalid --receipt"},
		{[]string{"payments", "refunds"}, "payments refunds needs a PAYMENT_ID"},
	} {
		r := runCLI(t, context.Background(), env, "", tc.args...)
		assert.Equal(t, exitUsage, r.code, "%q: stderr %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want, "%q", tc.args)
		assert.Contains(t, r.stderr, "Run 'razorpay help "+tc.args[0]+"' for usage.", "%q", tc.args)
		assert.Empty(t, r.stdout, "%q", tc.args)
	}
	assert.Empty(t, srv.Requests(), "bad usage sends nothing")
}
