package razorpayriver_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/gorzp/razorpay/razorpayriver"
	"github.com/gorzp/razorpay/razorpaytest"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// livePayments returns the payments of the receipt's orders that are not
// failed or refunded: more than one is a double charge.
func livePayments(srv *razorpaytest.Server, receipt string) []razorpay.Payment {
	var live []razorpay.Payment
	for _, p := range srv.ReceiptPayments(receipt) {
		if p.Status != razorpay.PaymentStatusFailed && p.Status != razorpay.PaymentStatusRefunded {
			live = append(live, p)
		}
	}
	return live
}

// recurringPosts returns the payment requests the server received.
func recurringPosts(srv *razorpaytest.Server) []razorpaytest.Request {
	var out []razorpaytest.Request
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && r.Path == "/v1/payments/create/recurring" {
			out = append(out, r)
		}
	}
	return out
}

func newMandate(t *testing.T, srv *razorpaytest.Server) *razorpaytest.Mandate {
	t.Helper()
	m, err := srv.NewMandate(context.Background(), 500_000)
	require.NoError(t, err)
	return m
}

func TestChargeWorkerCharged(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	defer srv.Close()
	m := newMandate(t, srv)
	args := billFor(m, "charged-1")

	kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), args)

	require.Equal(t, river.EventKindJobCompleted, kind)
	assert.Equal(t, rivertype.JobStateCompleted, row.State)
	out := output(t, row)
	live := livePayments(srv, "charged-1")
	require.Len(t, live, 1)
	assert.Equal(t, razorpayriver.ChargeOutput{
		Outcome: razorpayriver.OutcomeCharged, Receipt: "charged-1",
		PaymentID: live[0].ID, Status: razorpay.PaymentStatusCaptured, OrderID: live[0].OrderID,
	}, out)

	// The payment request carried the bill.
	posts := recurringPosts(srv)
	require.Len(t, posts, 1)
	var body struct {
		Token      string `json:"token"`
		CustomerID string `json:"customer_id"`
		Amount     int64  `json:"amount"`
		Recurring  bool   `json:"recurring"`
	}
	require.NoError(t, json.Unmarshal(posts[0].Body, &body))
	assert.Equal(t, m.TokenID, body.Token)
	assert.Equal(t, m.CustomerID, body.CustomerID)
	assert.Equal(t, int64(29_900), body.Amount)
	assert.True(t, body.Recurring)
	assert.Equal(t, "[REDACTED]", posts[0].Header.Get("Authorization"))
}

// A payment waiting for the bank (created) is a charge: the job completes
// and its output says created.
func TestChargeWorkerCreatedIsCharged(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer(razorpaytest.WithRecurringDelay(time.Hour))
	defer srv.Close()
	m := newMandate(t, srv)

	kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), billFor(m, "created-1"))

	require.Equal(t, river.EventKindJobCompleted, kind, "errors: %v", row.Errors)
	out := output(t, row)
	assert.Equal(t, razorpayriver.OutcomeCharged, out.Outcome)
	assert.Equal(t, razorpay.PaymentStatusCreated, out.Status)
	live := livePayments(srv, "created-1")
	require.Len(t, live, 1)
	assert.Equal(t, live[0].ID, out.PaymentID)
}

// A second job for a bill already charged (a redelivery, a rerun) completes
// with the first payment and charges nothing.
func TestChargeWorkerRerunReturnsFirstPayment(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	defer srv.Close()
	m := newMandate(t, srv)
	args := billFor(m, "rerun-1")
	first, err := srv.Client().Payment.Charge(context.Background(), args.Params())
	require.NoError(t, err)

	kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), args)

	require.Equal(t, river.EventKindJobCompleted, kind)
	out := output(t, row)
	assert.Equal(t, razorpayriver.OutcomeCharged, out.Outcome)
	assert.Equal(t, first.ID, out.PaymentID)
	assert.Len(t, livePayments(srv, "rerun-1"), 1)
	assert.Len(t, recurringPosts(srv), 1)
}

// Razorpay refuses the payment (the bill exceeds the mandate's maximum): not
// charged, the job completes with the reason in its output.
func TestChargeWorkerRefusedIsNotCharged(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	defer srv.Close()
	m, err := srv.NewMandate(context.Background(), 10_000)
	require.NoError(t, err)
	args := billFor(m, "refused-1") // 29,900 > 10,000

	kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), args)

	require.Equal(t, river.EventKindJobCompleted, kind)
	out := output(t, row)
	assert.Equal(t, razorpayriver.OutcomeNotCharged, out.Outcome)
	assert.Contains(t, out.Error, "not charged")
	assert.Empty(t, livePayments(srv, "refused-1"))
	assert.NotEmpty(t, recurringPosts(srv))
}

// The payment is made and then fails at the bank before Charge reads it
// back: not charged, with the failed payment and its reason in the output.
func TestChargeWorkerFailedPaymentIsNotCharged(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	defer srv.Close()
	m := newMandate(t, srv)
	args := billFor(m, "failed-1")
	// Hold the read-back of the new payment while the bank declines it.
	srv.InjectFault(razorpaytest.Fault{Method: http.MethodGet, Path: "/v1/payments/pay_*", Times: -1, Delay: 300 * time.Millisecond})
	done := make(chan error, 1)
	go func() {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if live := livePayments(srv, "failed-1"); len(live) == 1 {
				done <- srv.FailPayment(live[0].ID, "Insufficient funds on card 4111 1111 1111 1111")
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		done <- context.DeadlineExceeded
	}()

	kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), args)

	require.NoError(t, <-done)
	require.Equal(t, river.EventKindJobCompleted, kind)
	out := output(t, row)
	assert.Equal(t, razorpayriver.OutcomeNotCharged, out.Outcome)
	assert.NotEmpty(t, out.PaymentID)
	assert.Equal(t, razorpay.PaymentStatusFailed, out.Status)
	assert.Equal(t, "payment_failed", out.ErrorReason)
	assert.Equal(t, "Insufficient funds on card XXXX XXXX XXXX 1111", out.ErrorDescription, "card numbers masked in the job's output")
	assert.NotContains(t, string(row.Output()), "4111 1111", "nor anywhere else in it")
	assert.Empty(t, livePayments(srv, "failed-1"))
}

// Every request is throttled: the job is snoozed with backoff, which does
// not use up an attempt, and nothing is charged.
func TestChargeWorkerRateLimitedSnoozes(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	defer srv.Close()
	m := newMandate(t, srv)
	srv.InjectFault(razorpaytest.Fault{Times: -1, Status: http.StatusTooManyRequests,
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")})
	w := razorpayriver.NewChargeWorker(srv.Client(razorpay.WithMaxRetries(0)))
	var gotN []int
	w.RateLimitBackoff = func(n int) time.Duration { gotN = append(gotN, n); return 42 * time.Second }

	kind, row := workOne(t, w, billFor(m, "throttled-1"))

	require.Equal(t, river.EventKindJobSnoozed, kind)
	assert.Equal(t, []int{1}, gotN)
	assert.Equal(t, rivertype.JobStateScheduled, row.State)
	assert.WithinDuration(t, time.Now().Add(42*time.Second), row.ScheduledAt, 10*time.Second)
	out := output(t, row)
	assert.Equal(t, razorpayriver.OutcomeRateLimited, out.Outcome)
	assert.Equal(t, 42*time.Second, out.SnoozedFor)
	assert.Empty(t, livePayments(srv, "throttled-1"))
}

// The n given to RateLimitBackoff counts River's snoozes of the job so far
// (its "snoozes" metadata) plus this one.
func TestChargeWorkerRateLimitedCountsSnoozes(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	defer srv.Close()
	m := newMandate(t, srv)
	srv.InjectFault(razorpaytest.Fault{Times: -1, Status: http.StatusTooManyRequests,
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")})
	w := razorpayriver.NewChargeWorker(srv.Client(razorpay.WithMaxRetries(0)))
	var gotN []int
	w.RateLimitBackoff = func(n int) time.Duration { gotN = append(gotN, n); return 42 * time.Second }

	kind, row := workOneWith(t, w, billFor(m, "throttled-3"), &river.InsertOpts{Metadata: []byte(`{"snoozes":2}`)})

	require.Equal(t, river.EventKindJobSnoozed, kind)
	assert.Equal(t, []int{3}, gotN)
	assert.Equal(t, razorpayriver.OutcomeRateLimited, output(t, row).Outcome)
}

func TestDefaultRateLimitBackoff(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]time.Duration{0: time.Second, 1: time.Second, 2: 2 * time.Second, 4: 8 * time.Second, 7: time.Minute, 100: time.Minute} {
		for range 20 {
			d := razorpayriver.DefaultRateLimitBackoff(n)
			assert.GreaterOrEqual(t, d, want/2, "n=%d", n)
			assert.LessOrEqual(t, d, want, "n=%d", n)
		}
	}
}

// The payment request is processed but its answer never comes in time, and
// the order shows no payment yet: a payment may be in flight, so the job is
// snoozed until the time Charge says to come back.
func TestChargeWorkerOutcomeUnknownSnoozesForRetryAfter(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewServer()
	defer srv.Close()
	m := newMandate(t, srv)
	srv.InjectFault(razorpaytest.Fault{Method: http.MethodPost, Path: "/v1/payments/create/recurring", Delay: 3 * time.Second})
	client := srv.Client(razorpay.WithTimeout(300*time.Millisecond), razorpay.WithMaxRetries(0))

	kind, row := workOne(t, razorpayriver.NewChargeWorker(client), billFor(m, "unknown-1"))

	require.Equal(t, river.EventKindJobSnoozed, kind, "errors: %v", row.Errors)
	assert.Equal(t, rivertype.JobStateScheduled, row.State)
	out := output(t, row)
	assert.Equal(t, razorpayriver.OutcomeUnknown, out.Outcome)
	assert.Positive(t, out.SnoozedFor)
	assert.WithinDuration(t, time.Now().Add(out.SnoozedFor), row.ScheduledAt, 5*time.Second)
	assert.Contains(t, out.Error, "outcome unknown")
}

// Razorpay cannot be reached at all (connection refused: nothing left the
// machine): an ordinary error, River retries with its backoff.
func TestChargeWorkerNetworkFailureRetries(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	client := razorpay.NewClient(razorpaytest.KeyID, razorpaytest.KeySecret,
		razorpay.WithBaseURL("http://"+addr), razorpay.WithMaxRetries(0))
	args := razorpayriver.ChargeArgs{CustomerID: "cust_A1b2C3d4E5f6G7", TokenID: "token_A1b2C3d4E5f6G7", Amount: 29_900,
		Currency: "INR", Receipt: "netfail-1", Email: "a@example.com", Contact: "+919000000001"}

	kind, row := workOne(t, razorpayriver.NewChargeWorker(client), args)

	require.Equal(t, river.EventKindJobFailed, kind)
	// Not finalized: River works it again (retryable, or already available).
	assert.Contains(t, []rivertype.JobState{rivertype.JobStateRetryable, rivertype.JobStateAvailable}, row.State)
	assert.Equal(t, 1, row.Attempt)
	require.Len(t, row.Errors, 1)
	assert.Contains(t, row.Errors[0].Error, "connection refused")
	assert.Equal(t, razorpayriver.OutcomeUnknown, output(t, row).Outcome)
}

func TestChargeWorkerCancels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, srv *razorpaytest.Server, args *razorpayriver.ChargeArgs) *razorpay.Client
		want  string // in the output's error
	}{
		{
			name: "invalid params",
			setup: func(t *testing.T, srv *razorpaytest.Server, args *razorpayriver.ChargeArgs) *razorpay.Client {
				args.Amount = 0
				return srv.Client()
			},
			want: "invalid params",
		},
		{
			name: "receipt conflict",
			setup: func(t *testing.T, srv *razorpaytest.Server, args *razorpayriver.ChargeArgs) *razorpay.Client {
				// The receipt was already used for another amount.
				other := args.Params()
				other.Amount = 10_000
				_, err := srv.Client().Payment.Charge(context.Background(), other)
				require.NoError(t, err)
				return srv.Client()
			},
			want: "receipt",
		},
		{
			name: "authentication",
			setup: func(t *testing.T, srv *razorpaytest.Server, args *razorpayriver.ChargeArgs) *razorpay.Client {
				return razorpay.NewClient(razorpaytest.KeyID, "wrong_secret_0123456789", razorpay.WithBaseURL(srv.URL))
			},
			want: "401",
		},
		{
			name: "feature not enabled",
			setup: func(t *testing.T, srv *razorpaytest.Server, args *razorpayriver.ChargeArgs) *razorpay.Client {
				srv.InjectFault(razorpaytest.Fault{Method: http.MethodPost, Path: "/v1/payments/create/recurring", Times: -1,
					Status: http.StatusBadRequest, Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "The requested URL was not found on the server.")})
				return srv.Client()
			},
			want: "not enabled",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := razorpaytest.NewServer()
			defer srv.Close()
			m := newMandate(t, srv)
			args := billFor(m, "cancel-"+strings.ReplaceAll(tc.name, " ", "-"))
			client := tc.setup(t, srv, &args)
			before := len(srv.Payments())

			kind, row := workOne(t, razorpayriver.NewChargeWorker(client), args)

			require.Equal(t, river.EventKindJobCancelled, kind, "errors: %v", row.Errors)
			assert.Equal(t, rivertype.JobStateCancelled, row.State)
			out := output(t, row)
			assert.Equal(t, razorpayriver.OutcomeCancelled, out.Outcome)
			assert.Contains(t, out.Error, tc.want)
			assert.Len(t, srv.Payments(), before, "a cancelled bill charged")
			assert.NotContains(t, out.Error, "wrong_secret")
		})
	}
}
