package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gorzp/razorpay"
)

func TestLinks(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()

	r := runCLI(t, ctx, env, "", "links", "create", "--name", "Gaurav Kumar", "--email", "gaurav.kumar@example.com",
		"--contact", "+919876543210", "--max-amount", "1500000", "--receipt", "link-1", "--description", "Monthly plan")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "links-create.golden", r.stdout, srv.URL, "BASE_URL")
	invs := srv.Invoices()
	require.Len(t, invs, 1)
	inv := invs[0]
	req := lastRequest(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/v1/subscription_registration/auth_links", req.Path)
	var body map[string]any
	require.NoError(t, json.Unmarshal(req.Body, &body))
	assert.Equal(t, "Monthly plan", body["description"])
	assert.Equal(t, "link-1", body["receipt"])
	assert.Equal(t, map[string]any{"method": "card", "max_amount": float64(1500000), "frequency": "monthly"}, body["subscription_registration"])

	r = runCLI(t, ctx, env, "", "links", "notify", inv.ID, "--via", "sms")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Sent registration link "+inv.ID+" by sms.\n", r.stdout)
	req = lastRequest(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/v1/invoices/"+inv.ID+"/notify_by/sms", req.Path)

	r = runCLI(t, ctx, env, "", "links", "notify", inv.ID, "--via", "email", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.JSONEq(t, `{"notified": true, "id": "`+inv.ID+`", "via": "email"}`, r.stdout)

	r = runCLI(t, ctx, env, "", "links", "cancel", inv.ID, "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "links-cancel.json.golden", r.stdout, srv.URL, "BASE_URL")
	req = lastRequest(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/v1/invoices/"+inv.ID+"/cancel", req.Path)
	assert.Equal(t, razorpay.InvoiceStatusCancelled, srv.Invoices()[0].Status)

	r = runCLI(t, ctx, env, "", "links", "cancel", inv.ID)
	assert.Equal(t, exitFailed, r.code, "a cancelled link cannot be cancelled again")

	r = runCLI(t, ctx, env, "", "links", "get", inv.ID)
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "links-get.golden", r.stdout, srv.URL, "BASE_URL")
	req = lastRequest(t, srv)
	assert.Equal(t, "GET /v1/invoices/"+inv.ID, req.Method+" "+req.Path)

	r = runCLI(t, ctx, env, "", "links", "create", "--name", "Asha Rao", "--email", "asha.rao@example.com",
		"--contact", "+919000090000", "--max-amount", "100000", "--receipt", "link-2")
	require.Equal(t, exitOK, r.code, r.stderr)
	r = runCLI(t, ctx, env, "", "links", "list")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "links-list.golden", r.stdout, srv.URL, "BASE_URL")
	req = lastRequest(t, srv)
	assert.Equal(t, "GET /v1/invoices count=10&type=link", req.Method+" "+req.Path+" "+req.RawQuery)

	r = runCLI(t, ctx, env, "", "links", "list", "--receipt", "link-2", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var links []razorpay.Invoice
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &links))
	require.Len(t, links, 1)
	assert.Equal(t, "link-2", links[0].Receipt)
	assert.Equal(t, razorpay.InvoiceStatusIssued, links[0].Status)
}
