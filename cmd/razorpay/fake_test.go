package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// An operator's session against a running fake: seed, decline one bill,
// hold another, bill, look, settle by hand, dunning by rerun, verify.
func TestFakeControlSession(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	env := fakeEnv(srv)
	ctx := context.Background()
	dir := t.TempDir()

	r := runCLI(t, ctx, env, "", "fake", "mandates", "-n", "3")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "fake-mandates.golden", r.stdout)
	assert.Equal(t, "razorpay fake: 3 confirmed mandates of up to 1000.00 INR, a bill of 499.00 INR on each (receipts bill-2026-11-0001 to bill-2026-11-0003)\n", r.stderr)
	bills := filepath.Join(dir, "bills.csv")
	require.NoError(t, os.WriteFile(bills, []byte(r.stdout), 0o644))

	r = runCLI(t, ctx, env, "", "fake", "decline", "--receipt", "bill-2026-11-0002", "--reason", "Insufficient funds")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "The bank will decline the next payment of receipt bill-2026-11-0002 (\"Insufficient funds\").\n", r.stdout)
	r = runCLI(t, ctx, env, "", "fake", "hold", "--receipt", "bill-2026-11-0003")
	require.Equal(t, exitOK, r.code, r.stderr)
	r = runCLI(t, ctx, env, "", "fake", "rules")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "decline the next payment of receipt bill-2026-11-0002 (\"Insufficient funds\")\nhold the next payment of receipt bill-2026-11-0003\n", r.stdout)

	r = runCLI(t, ctx, env, "", "bill", "--in", bills, "--workers", "1")
	require.Equal(t, exitOK, r.code, r.stderr)
	golden(t, "fake-session-bill.golden", r.stdout)

	r = runCLI(t, ctx, env, "", "fake", "payments", "bill-2026-11-0002")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `pay_\w+ +failed +499\.00 INR +order_\w+ +token_\w+ +2026-11-01 09:30:00 +Insufficient funds`, r.stdout)

	// The bank confirms the held payment; the declined bill is charged again
	// by a rerun (dunning, same receipt).
	r = runCLI(t, ctx, env, "", "fake", "capture", "--receipt", "bill-2026-11-0003")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `^Payment pay_\w+ is captured\.\n`, r.stdout)
	r = runCLI(t, ctx, env, "", "bill", "--in", bills, "--workers", "1")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "3 bills: 1 charged, 2 already charged, 0 pending, 0 not charged, 0 unknown, 0 invalid\n")

	// A late decline: the rerun charges the bill again.
	r = runCLI(t, ctx, env, "", "fake", "fail", "--receipt", "bill-2026-11-0001", "--reason", "Card blocked", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var p razorpay.Payment
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &p))
	assert.Equal(t, razorpay.PaymentStatusFailed, p.Status)
	r = runCLI(t, ctx, env, "", "bill", "--in", bills, "--workers", "1")
	require.Equal(t, exitOK, r.code, r.stdout)
	assert.Contains(t, r.stdout, "3 bills: 1 charged, 2 already charged")

	r = runCLI(t, ctx, env, "", "fake", "clock", "advance", "16m")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "Moved the fake's clock forward by 16m0s.\nfake clock: 2026-11-01 09:46:00 UTC (16m0s ahead of the real time)\n", r.stdout)
	r = runCLI(t, ctx, env, "", "fake", "clock", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var info razorpaytest.Info
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &info))
	assert.Equal(t, int64(16*60), info.ClockOffset)

	r = runCLI(t, ctx, env, "", "fake", "verify")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "3 bills: 3 charged, 0 pending, 0 refunded, 0 not charged\npayments: 3 captured, 2 failed\n0 double charges\n", r.stdout)

	// A cancelled mandate: its next bill is not charged.
	r = runCLI(t, ctx, env, "", "fake", "mandate", srv.ReceiptPayments("bill-2026-11-0001")[0].TokenID, "--status", "cancelled")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Regexp(t, `^The mandate of token token_\w+ is cancelled\.\n$`, r.stdout)

	r = runCLI(t, ctx, env, "", "fake", "rules", "clear", "--json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "[]\n", r.stdout)
	for _, req := range srv.Requests() {
		assert.False(t, strings.HasPrefix(req.Path, razorpaytest.ControlPath), "control requests are not in the log")
	}
}

// verify exits 1 when a bill is charged twice, and names it.
func TestFakeVerifyDoubleCharge(t *testing.T) {
	t.Parallel()
	srv := newFake(t)
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 100_000)
	require.NoError(t, err)
	client := srv.Client()
	p := &razorpay.ChargeParams{CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 49_900, Currency: "INR",
		Receipt: "sub_1-2026-11", Email: m.Email, Contact: m.Contact}
	pay, err := client.Payment.Charge(ctx, p)
	require.NoError(t, err)
	// A second order of the receipt, paid outside Charge.
	o, err := client.Order.Create(ctx, &razorpay.OrderCreateParams{Amount: 49_900, Currency: "INR", Receipt: "sub_1-2026-11"})
	require.NoError(t, err)
	_, err = client.Payment.CreateRecurring(ctx, &razorpay.RecurringPaymentParams{Email: m.Email, Contact: m.Contact, Amount: 49_900,
		Currency: "INR", OrderID: o.ID, CustomerID: m.CustomerID, TokenID: m.TokenID})
	require.NoError(t, err)
	require.NotEmpty(t, pay.ID)

	r := runCLI(t, ctx, fakeEnv(srv), "", "fake", "verify")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stdout, "1 double charges\n  sub_1-2026-11 (razorpay fake payments sub_1-2026-11)\n")
}

// Control commands drive a fake and nothing else: what is not a fake is
// refused after one unauthenticated request, and never gets the keys.
func TestFakeControlRefusesWhatIsNotAFake(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []*http.Request
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Clone(context.Background()))
		mu.Unlock()
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"code":"BAD_REQUEST_ERROR","description":"The requested URL was not found on the server."}}`))
	}))
	defer api.Close()
	env := map[string]string{"RAZORPAY_BASE_URL": api.URL, "RAZORPAY_KEY_ID": "rzp_test_RealKey", "RAZORPAY_KEY_SECRET": "real-secret-42"}
	for _, args := range [][]string{
		{"fake", "verify"}, {"fake", "mandates", "-n", "5"}, {"fake", "clock", "advance", "1h"},
		{"fake", "fail", "pay_X"}, {"fake", "decline", "--all"}, {"trigger", "payment.captured", "--forward-to", "http://127.0.0.1:1/", "--secret", "s"},
	} {
		r := runCLI(t, context.Background(), env, "", args...)
		assert.Equal(t, exitFailed, r.code, "%q", args)
		assert.Contains(t, r.stderr, "razorpay "+args[0]+": "+api.URL+" is not a razorpay fake (", "%q", args)
		assert.Contains(t, r.stderr, "control commands only drive a fake, never Razorpay", "%q", args)
		noSecrets(t, r, "real-secret-42")
	}
	mu.Lock()
	for _, r := range seen {
		assert.Equal(t, "GET "+razorpaytest.ControlPath+"info", r.Method+" "+r.URL.Path)
		assert.Empty(t, r.Header.Get("Authorization"), "the probe sends no keys")
	}
	mu.Unlock()

	// Nothing answers.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	r := runCLI(t, context.Background(), nil, "", "fake", "verify", "--base-url", closed.URL, "--json")
	assert.Equal(t, exitFailed, r.code)
	var doc map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stderr), &doc), r.stderr)
	assert.Equal(t, "unreachable", doc["error"]["kind"])
	assert.Contains(t, doc["error"]["message"], "no fake answers at "+closed.URL)
}

// The default base URL of the control commands is the fake's default
// address, not Razorpay.
func TestFakeControlDefaultBaseURL(t *testing.T) {
	t.Parallel()
	r := runCLI(t, context.Background(), nil, "", "fake", "verify", "--json")
	if r.code == exitOK {
		t.Skip("a fake runs on 127.0.0.1:8080")
	}
	assert.Contains(t, r.stderr, "http://127.0.0.1:8080")
}
