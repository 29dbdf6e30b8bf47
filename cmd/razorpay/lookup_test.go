package main

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpaytest"
)

func query(t *testing.T, r razorpaytest.Request) url.Values {
	t.Helper()
	q, err := url.ParseQuery(r.RawQuery)
	require.NoError(t, err)
	return q
}

func TestOrders(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	_, p := charged(t, srv, "sub_42-2026-11")

	r := runCLI(t, ctx, env, "", "orders", "--receipt", "sub_42-2026-11")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "orders.golden", r.stdout)
	req := lastRequest(t, srv)
	assert.Equal(t, "GET", req.Method)
	assert.Equal(t, "/v1/orders", req.Path)
	assert.Equal(t, "sub_42-2026-11", query(t, req).Get("receipt"))
	assert.Equal(t, "payments", query(t, req).Get("expand[]"))

	r = runCLI(t, ctx, env, "", "orders", "--receipt", "sub_42-2026-11", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "orders.json.golden", r.stdout)
	var orders []razorpay.Order
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &orders))
	require.Len(t, orders, 1)
	require.NotNil(t, orders[0].Payments)
	assert.Equal(t, p.ID, orders[0].Payments.Items[0].ID)

	r = runCLI(t, ctx, env, "", "orders", "--receipt", "never-billed")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "No order carries receipt \"never-billed\": that bill was never charged.\n", r.stdout)
	r = runCLI(t, ctx, env, "", "orders", "--receipt", "never-billed", "--json")
	assert.Equal(t, "[]\n", r.stdout)

	r = runCLI(t, ctx, env, "", "orders", "--count", "5")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "5", query(t, lastRequest(t, srv)).Get("count"))
	assert.Contains(t, r.stdout, p.OrderID)
}

func TestPayments(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	_, p := charged(t, srv, "sub_42-2026-11")

	r := runCLI(t, ctx, env, "", "payments", "get", p.ID)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "payments-get.golden", r.stdout)
	req := lastRequest(t, srv)
	assert.Equal(t, "GET", req.Method)
	assert.Equal(t, "/v1/payments/"+p.ID, req.Path)

	r = runCLI(t, ctx, env, "", "payments", "get", "--json", p.ID) // flags anywhere
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "payments-get.json.golden", r.stdout)
	var got razorpay.Payment
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.Equal(t, p.ID, got.ID)
	assert.Equal(t, razorpay.PaymentStatusCaptured, got.Status)

	r = runCLI(t, ctx, env, "", "payments", "list", "--order", p.OrderID)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "payments-list.golden", r.stdout)
	assert.Equal(t, "/v1/orders/"+p.OrderID+"/payments", lastRequest(t, srv).Path)

	r = runCLI(t, ctx, env, "", "payments", "get", "pay_DoesNotExist1")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "razorpay payments: ")
	assert.Empty(t, r.stdout)
	noSecrets(t, r, srv.KeySecret)
}

func TestTokens(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	m, _ := charged(t, srv, "sub_42-2026-11")

	r := runCLI(t, ctx, env, "", "tokens", "list", m.CustomerID)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "tokens-list.golden", r.stdout)
	assert.Equal(t, "/v1/customers/"+m.CustomerID+"/tokens", lastRequest(t, srv).Path)

	r = runCLI(t, ctx, env, "", "tokens", "list", m.CustomerID, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "tokens-list.json.golden", r.stdout)

	r = runCLI(t, ctx, env, "", "tokens", "delete", m.CustomerID, m.TokenID)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "tokens-delete.golden", r.stdout)
	req := lastRequest(t, srv)
	assert.Equal(t, "DELETE", req.Method)
	assert.Equal(t, "/v1/customers/"+m.CustomerID+"/tokens/"+m.TokenID, req.Path)
	assert.Empty(t, srv.Tokens(m.CustomerID), "the token is gone from the fake")

	r = runCLI(t, ctx, env, "", "tokens", "list", m.CustomerID)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Customer "+m.CustomerID+" has no tokens.\n", r.stdout)

	r = runCLI(t, ctx, env, "", "tokens", "delete", m.CustomerID, m.TokenID)
	assert.Equal(t, exitFailed, r.code, "deleting it again fails")
	assert.Contains(t, r.stderr, "razorpay tokens: DELETE /v1/customers/")

	// With --json the error is JSON on stderr, and stdout stays empty.
	r = runCLI(t, ctx, env, "", "tokens", "delete", m.CustomerID, m.TokenID, "--json")
	assert.Equal(t, exitFailed, r.code)
	assert.Empty(t, r.stdout)
	var doc map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stderr), &doc), r.stderr)
	assert.Equal(t, "tokens", doc["error"]["command"])
	assert.Equal(t, "failed", doc["error"]["kind"])
	assert.Equal(t, float64(exitFailed), doc["error"]["exit_code"])
	assert.Contains(t, doc["error"]["message"], "The id provided does not exist")
}
