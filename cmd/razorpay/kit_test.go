package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// The test kit of the command: a deterministic fake and the environment of a
// run against it, in-process runs of the command (runCLI), golden files, and
// the helpers that several test files share.

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// testClock is the fake's clock in golden tests.
var testClock = time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)

// newFake starts a deterministic fake (seeded ids, a fixed clock) with
// razorpaytest.NewTestServer, closed with the test.
func newFake(t *testing.T, opts ...razorpaytest.Option) *razorpaytest.Server {
	t.Helper()
	all := append([]razorpaytest.Option{razorpaytest.WithSeed(7), razorpaytest.WithClock(func() time.Time { return testClock })}, opts...)
	return razorpaytest.NewTestServer(t, all...)
}

// fakeEnv is the environment of a run against srv.
func fakeEnv(srv *razorpaytest.Server) map[string]string {
	return map[string]string{
		"RAZORPAY_KEY_ID":     srv.KeyID,
		"RAZORPAY_KEY_SECRET": srv.KeySecret,
		"RAZORPAY_BASE_URL":   srv.URL,
	}
}

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// onWrite, if set, sees every write.
	onWrite func(p []byte)
}

// Write appends p and shows it to onWrite.
func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	n, err := b.buf.Write(p)
	f := b.onWrite
	b.mu.Unlock()
	if f != nil {
		f(p)
	}
	return n, err
}

// String returns what was written so far.
func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cli is one in-process run of the command.
type cli struct {
	stdout, stderr string
	code           int
}

// runCLI runs the command with env and stdin and returns what it printed
// and its exit code.
func runCLI(t *testing.T, ctx context.Context, env map[string]string, stdin string, args ...string) cli {
	t.Helper()
	var stdout, stderr syncBuffer
	code := run(ctx, args, strings.NewReader(stdin), &stdout, &stderr, func(k string) string { return env[k] })
	return cli{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// requestIDRE matches the request ids in error texts, which the fake draws
// at random even with WithSeed.
var requestIDRE = regexp.MustCompile(`\[request id [A-Za-z0-9]+\]`)

// chargeNoteRE matches the note Charge keeps on its orders, a random
// value.
var chargeNoteRE = regexp.MustCompile(`"(` + regexp.QuoteMeta(razorpay.ChargeNoteKey) + `)": "[^"]*"`)

// golden compares got with testdata/name, after replacing each old string
// of replace with its new one; -update rewrites the file.
func golden(t *testing.T, name, got string, replace ...string) {
	t.Helper()
	got = strings.NewReplacer(replace...).Replace(got)
	got = requestIDRE.ReplaceAllString(got, "[request id REQUEST_ID]")
	got = chargeNoteRE.ReplaceAllString(got, `"${1}": "CHARGE_NOTE"`)
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got, "%s differs (go test -update refreshes it)", path)
}

// noSecrets checks that no output of a run shows a secret.
func noSecrets(t *testing.T, r cli, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		assert.NotContains(t, r.stdout, s, "stdout shows a secret")
		assert.NotContains(t, r.stderr, s, "stderr shows a secret")
	}
}

// charged sets up a mandate charged once with receipt.
func charged(t *testing.T, srv *razorpaytest.Server, receipt string) (*razorpaytest.Mandate, *razorpay.Payment) {
	t.Helper()
	ctx := context.Background()
	m, err := srv.NewMandate(ctx, 1_500_000)
	require.NoError(t, err)
	p, err := srv.Client().Payment.Charge(ctx, &razorpay.ChargeParams{
		CustomerID: m.CustomerID, TokenID: m.TokenID, Amount: 49_900, Currency: "INR",
		Email: m.Email, Contact: m.Contact, Receipt: receipt, Description: "November",
	})
	require.NoError(t, err)
	return m, p
}

// lastRequest is the last API request the fake received.
func lastRequest(t *testing.T, srv *razorpaytest.Server) razorpaytest.Request {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	return reqs[len(reqs)-1]
}

// billHeader is the header line of a bill file.
const billHeader = "customer,token,amount,currency,receipt,email,contact\n"

// billLine is one line of a bill file.
func billLine(m *razorpaytest.Mandate, amount int64, receipt string) string {
	return fmt.Sprintf("%s,%s,%d,INR,%s,%s,%s\n", m.CustomerID, m.TokenID, amount, receipt, m.Email, m.Contact)
}

// livePayments returns the payments of the fake that are not failed, by the
// receipt of their order.
func livePayments(srv *razorpaytest.Server) map[string][]razorpay.Payment {
	receipts := map[string]string{}
	for _, o := range srv.Orders() {
		receipts[o.ID] = o.Receipt
	}
	live := map[string][]razorpay.Payment{}
	for _, p := range srv.Payments() {
		if p.Status != razorpay.PaymentStatusFailed {
			live[receipts[p.OrderID]] = append(live[receipts[p.OrderID]], p)
		}
	}
	return live
}

// chargeArgs are the arguments of a charge of ₹499 on the mandate.
func chargeArgs(m *razorpaytest.Mandate, receipt string, extra ...string) []string {
	return append([]string{"charge", "--customer", m.CustomerID, "--token", m.TokenID, "--amount", "49900", "--receipt", receipt}, extra...)
}

// testWebhookSecret signs the webhooks of the tests.
const testWebhookSecret = "whsec_cli_test_Secret_42"

// receiver is a local webhook endpoint built on razorpay.WebhookHandler.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	events []*razorpay.WebhookEvent
}

// newReceiver starts an endpoint for webhooks signed with secret, closed
// with the test.
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

// received returns the events the endpoint accepted, in order.
func (rc *receiver) received() []*razorpay.WebhookEvent {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*razorpay.WebhookEvent(nil), rc.events...)
}
