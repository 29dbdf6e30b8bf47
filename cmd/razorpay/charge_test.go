package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func TestCharge(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 1_500_000)
	require.NoError(t, err)
	srv.ResetRequests()

	r := runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11", "--description", "November")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "charge.golden", r.stdout)
	noSecrets(t, r, srv.KeySecret)

	// --email and --contact default to the customer's.
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/v1/customers/"+m.CustomerID, reqs[0].Path)
	var recurring map[string]any
	for _, req := range reqs {
		if req.Method == "POST" && req.Path == "/v1/payments/create/recurring" {
			require.Nil(t, recurring, "one payment request")
			require.NoError(t, json.Unmarshal(req.Body, &recurring))
		}
	}
	require.NotNil(t, recurring, "the charge was sent")
	assert.Equal(t, m.Email, recurring["email"])
	assert.Equal(t, m.Contact, recurring["contact"])
	assert.Equal(t, m.TokenID, recurring["token"])
	assert.Equal(t, float64(49900), recurring["amount"])

	live := livePayments(srv)["sub_42-2026-11"]
	require.Len(t, live, 1)
	assert.Contains(t, r.stdout, live[0].ID)
}

func TestChargeJSONGivenContact(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 1_500_000)
	require.NoError(t, err)
	srv.ResetRequests()

	r := runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11", "--email", m.Email, "--contact", m.Contact, "--json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "charge.json.golden", r.stdout)
	var res result
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
	assert.Equal(t, razorpay.OutcomeCharged, res.Outcome)
	for _, req := range srv.Requests() {
		assert.NotEqual(t, "/v1/customers/"+m.CustomerID, req.Path, "given --email and --contact, the customer is not read")
	}
}

// TestChargeTwiceChargesOnce: the same bill charged twice is charged once,
// as Payment.Charge keys a bill on its receipt.
func TestChargeTwiceChargesOnce(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 1_500_000)
	require.NoError(t, err)

	var first, second result
	r := runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11", "--json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &first))
	r = runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11", "--json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &second))

	assert.Equal(t, first.PaymentID, second.PaymentID, "the second run returns the first payment")
	assert.Len(t, livePayments(srv)["sub_42-2026-11"], 1, "charged once")
}

func TestChargeNotCharged(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 10_000) // at most 100.00 INR a debit
	require.NoError(t, err)

	r := runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11")...)
	assert.Equal(t, exitFailed, r.code)
	golden(t, "charge-not-charged.golden", r.stdout)

	r = runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-12", "--json")...)
	assert.Equal(t, exitFailed, r.code)
	var res result
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
	assert.Equal(t, razorpay.OutcomeNotCharged, res.Outcome)
	assert.NotEmpty(t, res.Reason)
	assert.Empty(t, livePayments(srv)["sub_42-2026-11"])
}

func TestChargeUnknown(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	m, err := srv.NewMandate(context.Background(), 1_500_000)
	require.NoError(t, err)
	// The payment request gets no answer before the command's deadline.
	srv.InjectFault(razorpaytest.Fault{Method: "POST", Path: "/v1/payments/create/recurring", Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()

	r := runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11", "--json")...)
	assert.Equal(t, exitUnknown, r.code, r.stderr)
	var res result
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
	assert.Equal(t, razorpay.OutcomeUnknown, res.Outcome)
	assert.NotEmpty(t, res.ResumeAfter)
	_, err = time.Parse(time.RFC3339, res.ResumeAfter)
	assert.NoError(t, err)
}

// TestNoSecretsInOutput runs the API commands, as tables and as JSON, and
// checks that no output shows the key secret.
func TestNoSecretsInOutput(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, p := charged(t, srv, "sub_1-2026-11")
	for _, args := range [][]string{
		{"orders", "--receipt", "sub_1-2026-11"},
		{"payments", "get", p.ID},
		{"payments", "list", "--order", p.OrderID},
		{"tokens", "list", m.CustomerID},
		chargeArgs(m, "sub_2-2026-11"),
		chargeArgs(m, "sub_3-2026-11", "--amount", "99999999"),
		{"bill", "--in", "-"},
	} {
		for _, json := range []bool{false, true} {
			a := args
			if json {
				a = append(append([]string(nil), args...), "--json")
			}
			r := runCLI(t, ctx, env, billHeader+billLine(m, 100, "sub_4-2026-11"), a...)
			noSecrets(t, r, srv.KeySecret, "Basic ")
		}
	}
}

func TestChargeReceiptConflict(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 1_500_000)
	require.NoError(t, err)
	r := runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11")...)
	require.Equal(t, exitOK, r.code, r.stderr)

	// The same receipt for another amount is another bill: refused, nothing charged.
	args := chargeArgs(m, "sub_42-2026-11", "--json")
	args[6] = "59900"
	r = runCLI(t, ctx, env, "", args...)
	assert.Equal(t, exitUsage, r.code, r.stderr)
	var res result
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
	assert.Equal(t, razorpay.OutcomeConflict, res.Outcome)
	assert.Contains(t, res.Reason, "receipt")
	assert.Len(t, livePayments(srv)["sub_42-2026-11"], 1)
}

// A wrong key secret is an authentication failure: exit 1 with what to
// check, not "unknown, run it again" (exit 3).
func TestChargeAuthenticationFailure(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	m, err := srv.NewMandate(context.Background(), 1_500_000)
	require.NoError(t, err)
	env["RAZORPAY_KEY_SECRET"] = "wrong-secret-123"
	for _, extra := range [][]string{nil, {"--email", m.Email, "--contact", m.Contact}} {
		r := runCLI(t, context.Background(), env, "", chargeArgs(m, "sub_42-2026-11", extra...)...)
		assert.Equal(t, exitFailed, r.code, r.stderr)
		assert.Equal(t, "razorpay charge: "+authMessage+"\n", r.stderr)
		assert.Empty(t, r.stdout)
		noSecrets(t, r, "wrong-secret-123")
	}
	assert.Empty(t, livePayments(srv)["sub_42-2026-11"])
}

// A payment the bank holds (created) is pending: exit 0, said so.
func TestChargePending(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 1_500_000)
	require.NoError(t, err)
	require.NoError(t, srv.AddBankRule(razorpaytest.BankRule{Action: razorpaytest.BankHold}))

	r := runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "charge-pending.golden", r.stdout)

	r = runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11", "--json")...)
	assert.Equal(t, exitOK, r.code, r.stderr)
	var res result
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
	assert.Equal(t, razorpay.OutcomePending, res.Outcome)
	assert.Equal(t, "created", res.Status)
	assert.False(t, res.Created, "the second run made no payment")
	assert.Len(t, livePayments(srv)["sub_42-2026-11"], 1)
}

// A rerun says "already charged", not "charged".
func TestChargeAlreadyCharged(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 1_500_000)
	require.NoError(t, err)
	r := runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "charged: receipt sub_42-2026-11\n"), r.stdout)
	r = runCLI(t, ctx, env, "", chargeArgs(m, "sub_42-2026-11")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "already charged: receipt sub_42-2026-11\n"), r.stdout)
}
