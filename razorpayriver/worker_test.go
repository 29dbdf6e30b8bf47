package razorpayriver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
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

// eventOutput decodes the ChargeOutput of an event's job.
func eventOutput(t *testing.T, ev *river.Event) razorpayriver.ChargeOutput {
	t.Helper()
	return output(t, ev.Job)
}

// fastWorker returns a worker on client whose waits are short: pending
// checks, dunning tries and retries after 20 ms.
func fastWorker(client *razorpay.Client) *razorpayriver.ChargeWorker {
	w := razorpayriver.NewChargeWorker(client)
	quick := func(int) time.Duration { return 20 * time.Millisecond }
	w.PendingBackoff, w.RetryBackoff, w.RateLimitBackoff = quick, quick, quick
	w.Dunning = []time.Duration{20 * time.Millisecond}
	w.Logger = slog.New(slog.DiscardHandler)
	return w
}

// logBuffer is a slog handler's output that tests read while workers write.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestChargeWorkerCharged(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	m := newMandate(t, srv)
	args := billFor(m, "charged-1")

	kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), args)

	require.Equal(t, river.EventKindJobCompleted, kind)
	assert.Equal(t, rivertype.JobStateCompleted, row.State)
	assert.Equal(t, razorpayriver.Queue, row.Queue)
	out := output(t, row)
	live := livePayments(srv, "charged-1")
	require.Len(t, live, 1)
	assert.Equal(t, razorpay.OutcomeCharged, out.Outcome)
	assert.Equal(t, razorpayriver.ActionComplete, out.Action)
	assert.Equal(t, "charged-1", out.Receipt)
	assert.Equal(t, live[0].ID, out.PaymentID)
	assert.Equal(t, razorpay.PaymentStatusCaptured, out.Status)
	assert.Equal(t, live[0].OrderID, out.OrderID)
	require.Len(t, out.Attempts, 1)
	assert.Equal(t, live[0].ID, out.Attempts[0].PaymentID)
	assert.Equal(t, razorpay.OutcomeCharged, out.Attempts[0].Outcome)
	assert.WithinDuration(t, time.Now(), out.Attempts[0].At, time.Minute)

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

// A payment held created at the bank never completes the job: it is checked
// again (read, never charged again) until it is captured, and then the job
// completes as charged.
func TestChargeWorkerPendingThenCaptured(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithRecurringDelay(time.Hour))
	h := startHarness(t, fastWorker(srv.Client()))
	id := h.insert(billFor(newMandate(t, srv), "pending-1"), nil)

	ev := h.next(id)
	require.Equal(t, river.EventKindJobSnoozed, ev.Kind, "a created payment does not complete the job")
	out := eventOutput(t, ev)
	assert.Equal(t, razorpay.OutcomePending, out.Outcome)
	assert.Equal(t, razorpayriver.ActionSnooze, out.Action)
	assert.Equal(t, razorpay.PaymentStatusCreated, out.Status)
	assert.Equal(t, 20*time.Millisecond, out.SnoozedFor)
	pay := out.PaymentID
	h.until(id, river.EventKindJobSnoozed) // checked again, still created

	require.NoError(t, srv.CapturePayment(pay))
	ev = h.until(id, river.EventKindJobCompleted)

	out = eventOutput(t, ev)
	assert.Equal(t, razorpay.OutcomeCharged, out.Outcome)
	assert.Equal(t, pay, out.PaymentID)
	require.Len(t, out.Attempts, 1)
	assert.Equal(t, razorpay.PaymentStatusCaptured, out.Attempts[0].Status)
	assert.GreaterOrEqual(t, out.Attempts[0].Checks, 2)
	assert.Len(t, recurringPosts(srv), 1, "the checks charged again")
	orders := 0
	for _, o := range srv.Orders() {
		if o.Receipt == "pending-1" {
			orders++
		}
	}
	assert.Equal(t, 1, orders, "the checks created orders")
}

// A payment held created and then declined goes to dunning: the card is
// tried again after the schedule's delay, on the same order, and the job
// completes when that payment is captured. Every try is in the output.
func TestChargeWorkerPendingThenFailedDunning(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithRecurringDelay(time.Hour))
	w := fastWorker(srv.Client())
	w.Dunning = []time.Duration{300 * time.Millisecond, time.Hour}
	h := startHarness(t, w)
	id := h.insert(billFor(newMandate(t, srv), "dunning-1"), nil)

	ev := h.until(id, river.EventKindJobSnoozed)
	first := eventOutput(t, ev).PaymentID
	require.NoError(t, srv.FailPayment(first, "Insufficient funds on card 4111 1111 1111 1111"))

	// The next check reads the decline and snoozes for the schedule.
	for {
		ev = h.until(id, river.EventKindJobSnoozed)
		if eventOutput(t, ev).Outcome == razorpay.OutcomeNotCharged {
			break
		}
	}
	due := ev.Job.ScheduledAt // the next try's time
	out := eventOutput(t, ev)
	assert.Equal(t, first, out.PaymentID)
	assert.Equal(t, 300*time.Millisecond, out.SnoozedFor)
	assert.Equal(t, "Insufficient funds on card XXXX XXXX XXXX 1111", out.ErrorDescription)
	assert.Contains(t, out.Note, "try 2 of 3 of the card in 300ms")
	assert.Len(t, recurringPosts(srv), 1, "tried again before the schedule's delay")

	// The next try makes a second payment, held created: capture it.
	var second string
	for second == "" {
		ev = h.until(id, river.EventKindJobSnoozed)
		if o := eventOutput(t, ev); o.Outcome == razorpay.OutcomePending && o.PaymentID != first {
			second = o.PaymentID
		}
	}
	require.NoError(t, srv.CapturePayment(second))
	ev = h.until(id, river.EventKindJobCompleted)

	out = eventOutput(t, ev)
	assert.Equal(t, razorpay.OutcomeCharged, out.Outcome)
	assert.Equal(t, second, out.PaymentID)
	require.Len(t, out.Attempts, 2)
	assert.Equal(t, first, out.Attempts[0].PaymentID)
	assert.Equal(t, razorpay.PaymentStatusFailed, out.Attempts[0].Status)
	assert.Equal(t, second, out.Attempts[1].PaymentID)
	assert.Equal(t, razorpay.PaymentStatusCaptured, out.Attempts[1].Status)
	assert.False(t, out.Attempts[1].At.Before(due), "the card was tried again before the schedule's delay")
	assert.Equal(t, out.Attempts[0].OrderID, out.Attempts[1].OrderID, "the card was tried again on another order")
	assert.Len(t, recurringPosts(srv), 2)
	assert.Empty(t, srv.DoubleCharges())
}

// A payment seen pending, then runs refused by the keys while the bank
// declines it: once the keys work, the run reads the payment again (the
// last attempt recorded is pending) and waits for dunning, instead of
// charging the card again at once.
func TestChargeWorkerPendingThroughRefusedKeys(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithRecurringDelay(time.Hour))
	w := fastWorker(srv.Client())
	w.Dunning = []time.Duration{time.Hour}
	h := startHarness(t, w)
	id := h.insert(billFor(newMandate(t, srv), "pending-keys-1"), nil)

	first := eventOutput(t, h.until(id, river.EventKindJobSnoozed)).PaymentID
	require.NotEmpty(t, first)
	srv.InjectFault(razorpaytest.Fault{Times: -1, Status: http.StatusUnauthorized,
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "The api key provided is invalid")})
	ev := h.until(id, river.EventKindJobFailed)
	assert.Equal(t, razorpayriver.ActionRetry, eventOutput(t, ev).Action)
	require.NoError(t, srv.FailPayment(first, "Insufficient funds"))
	srv.ClearFaults()

	for {
		ev = h.until(id, river.EventKindJobSnoozed)
		if eventOutput(t, ev).Outcome == razorpay.OutcomeNotCharged {
			break
		}
	}
	out := eventOutput(t, ev)
	assert.Equal(t, first, out.PaymentID, "the declined payment, read again")
	assert.Equal(t, time.Hour, out.SnoozedFor, "dunning's wait")
	assert.Len(t, recurringPosts(srv), 1, "the card was not charged again at once")
}

// A card declined on every try completes not charged when the schedule is
// done, with every try in the output.
func TestChargeWorkerDunningExhausted(t *testing.T) {
	t.Parallel()
	var clk razorpaytest.Clock
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithRecurringDelay(time.Hour), razorpaytest.WithClock(clk.Now))
	w := fastWorker(srv.Client())
	w.Dunning = []time.Duration{20 * time.Millisecond, 20 * time.Millisecond}
	h := startHarness(t, w)
	id := h.insert(billFor(newMandate(t, srv), "exhausted-1"), nil)

	var ev *river.Event
	failed := map[string]bool{}
	for {
		ev = h.until(id, river.EventKindJobSnoozed, river.EventKindJobCompleted)
		out := eventOutput(t, ev)
		if ev.Kind == river.EventKindJobCompleted {
			break
		}
		switch {
		case out.Outcome == razorpay.OutcomePending && !failed[out.PaymentID]:
			failed[out.PaymentID] = true
			require.NoError(t, srv.FailPayment(out.PaymentID, "Do not honour"))
		case out.Outcome == razorpay.OutcomeUnknown:
			// Charge waits for an order of an earlier try that holds no
			// payment: age it past the settle window, and run the job now.
			clk.Advance(out.SnoozedFor)
			_, err := h.client.JobRetry(h.ctx, id)
			require.NoError(t, err)
		}
	}

	out := eventOutput(t, ev)
	assert.Equal(t, razorpay.OutcomeNotCharged, out.Outcome)
	assert.Equal(t, razorpayriver.ActionComplete, out.Action)
	assert.Contains(t, out.Note, "declined 3 times")
	require.Len(t, out.Attempts, 3)
	for _, a := range out.Attempts {
		assert.Equal(t, razorpay.PaymentStatusFailed, a.Status)
		assert.Equal(t, "Do not honour", a.ErrorDescription)
	}
	assert.Len(t, recurringPosts(srv), 3)
	assert.Empty(t, livePayments(srv, "exhausted-1"))
}

// A mandate cancelled during dunning is a final decline: the next try is
// refused by Razorpay and the schedule stops.
func TestChargeWorkerFinalDeclineStopsDunning(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithRecurringDelay(time.Hour))
	m := newMandate(t, srv)
	w := fastWorker(srv.Client())
	w.Dunning = []time.Duration{20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}
	h := startHarness(t, w)
	id := h.insert(billFor(m, "final-1"), nil)

	ev := h.until(id, river.EventKindJobSnoozed)
	require.NoError(t, srv.SetMandateStatus(m.TokenID, razorpay.TokenRecurringStatusCancelled))
	require.NoError(t, srv.FailPayment(eventOutput(t, ev).PaymentID, ""))
	ev = h.until(id, river.EventKindJobCompleted)

	out := eventOutput(t, ev)
	assert.Equal(t, razorpay.OutcomeNotCharged, out.Outcome)
	assert.Contains(t, out.Note, "final decline")
	require.Len(t, out.Attempts, 2)
	assert.Equal(t, razorpay.PaymentStatusFailed, out.Attempts[0].Status)
	assert.Empty(t, out.Attempts[1].PaymentID)
	assert.Contains(t, out.Attempts[1].Error, "cancelled")
	assert.Len(t, srv.ReceiptPayments("final-1"), 1, "a cancelled mandate was charged")
}

// Late authorization (reference: Razorpay refunds an extra payment on an
// order already paid): a declined payment authorized after the next try
// was charged is refunded, and one authorized before the next try is the
// bill's charge: the try charges nothing.
func TestChargeWorkerLateAuthorizationStaysSingle(t *testing.T) {
	t.Parallel()
	t.Run("after the next try", func(t *testing.T) {
		t.Parallel()
		srv := razorpaytest.NewTestServer(t, razorpaytest.WithRecurringDelay(time.Hour))
		h := startHarness(t, fastWorker(srv.Client()))
		id := h.insert(billFor(newMandate(t, srv), "late-1"), nil)
		first := eventOutput(t, h.until(id, river.EventKindJobSnoozed)).PaymentID
		require.NoError(t, srv.FailPayment(first, "Gateway timeout"))
		for {
			o := eventOutput(t, h.until(id, river.EventKindJobSnoozed))
			if o.Outcome == razorpay.OutcomePending && o.PaymentID != first {
				require.NoError(t, srv.CapturePayment(o.PaymentID))
				break
			}
		}
		out := eventOutput(t, h.until(id, river.EventKindJobCompleted))
		require.Equal(t, razorpay.OutcomeCharged, out.Outcome)

		require.NoError(t, srv.CapturePayment(first)) // the bank authorizes the first one late

		assert.Empty(t, srv.DoubleCharges())
		live := livePayments(srv, "late-1")
		require.Len(t, live, 1)
		assert.Equal(t, out.PaymentID, live[0].ID)
		for _, p := range srv.ReceiptPayments("late-1") {
			if p.ID == first {
				assert.Equal(t, razorpay.PaymentStatusRefunded, p.Status)
			}
		}
	})
	t.Run("before the next try", func(t *testing.T) {
		t.Parallel()
		srv := razorpaytest.NewTestServer(t, razorpaytest.WithRecurringDelay(time.Hour))
		w := fastWorker(srv.Client())
		w.Dunning = []time.Duration{time.Hour}
		h := startHarness(t, w)
		id := h.insert(billFor(newMandate(t, srv), "late-2"), nil)
		first := eventOutput(t, h.until(id, river.EventKindJobSnoozed)).PaymentID
		require.NoError(t, srv.FailPayment(first, "Gateway timeout"))
		for declined := false; !declined; {
			declined = eventOutput(t, h.until(id, river.EventKindJobSnoozed)).Outcome == razorpay.OutcomeNotCharged
		}

		require.NoError(t, srv.CapturePayment(first)) // authorized late, before the next try
		_, err := h.client.JobRetry(h.ctx, id)        // the try is due now
		require.NoError(t, err)
		out := eventOutput(t, h.until(id, river.EventKindJobCompleted))

		assert.Equal(t, razorpay.OutcomeCharged, out.Outcome)
		assert.Equal(t, first, out.PaymentID)
		require.Len(t, out.Attempts, 1)
		assert.Equal(t, razorpay.PaymentStatusCaptured, out.Attempts[0].Status)
		assert.Len(t, recurringPosts(srv), 1, "the try charged again")
		assert.Empty(t, srv.DoubleCharges())
	})
}

// A payment pending for longer than PendingLimit is left for a person: the
// job is cancelled, its output says so.
func TestChargeWorkerPendingLimit(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t, razorpaytest.WithRecurringDelay(time.Hour))
	w := fastWorker(srv.Client())
	w.PendingLimit = time.Nanosecond // the second check is past it
	h := startHarness(t, w)
	id := h.insert(billFor(newMandate(t, srv), "stuck-1"), nil)

	require.Equal(t, river.EventKindJobSnoozed, h.next(id).Kind)
	ev := h.next(id)

	require.Equal(t, river.EventKindJobCancelled, ev.Kind)
	out := eventOutput(t, ev)
	assert.Equal(t, razorpay.OutcomePending, out.Outcome)
	assert.Equal(t, razorpayriver.ActionCancel, out.Action)
	assert.Contains(t, out.Note, "a person must look")
	assert.Contains(t, out.Note, out.PaymentID)
}

// A second job for a bill already charged (a redelivery, a rerun) completes
// with the first payment and charges nothing.
func TestChargeWorkerRerunReturnsFirstPayment(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	m := newMandate(t, srv)
	args := billFor(m, "rerun-1")
	first, err := srv.Client().Payment.Charge(context.Background(), args.Params())
	require.NoError(t, err)

	kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), args)

	require.Equal(t, river.EventKindJobCompleted, kind)
	out := output(t, row)
	assert.Equal(t, razorpay.OutcomeCharged, out.Outcome)
	assert.Equal(t, first.ID, out.PaymentID)
	assert.Len(t, livePayments(srv, "rerun-1"), 1)
	assert.Len(t, recurringPosts(srv), 1)
}

// Razorpay refuses the payment (the bill exceeds the mandate's maximum): a
// final decline, the job completes not charged with the refusal as its one
// attempt, and the card is not tried again.
func TestChargeWorkerRefusedIsFinalDecline(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	m, err := srv.NewMandate(context.Background(), 10_000)
	require.NoError(t, err)
	args := billFor(m, "refused-1") // 29,900 > 10,000

	kind, row := workOne(t, fastWorker(srv.Client()), args)

	require.Equal(t, river.EventKindJobCompleted, kind)
	out := output(t, row)
	assert.Equal(t, razorpay.OutcomeNotCharged, out.Outcome)
	assert.Contains(t, out.Error, "not charged")
	assert.Contains(t, out.Note, "final decline")
	require.Len(t, out.Attempts, 1)
	assert.Contains(t, out.Attempts[0].Error, "maximum")
	assert.Empty(t, livePayments(srv, "refused-1"))
	assert.Len(t, recurringPosts(srv), 1)
}

// The payment is made and then fails at the bank before Charge reads it
// back: declined, with the failed payment and its reason in the output, and
// snoozed for the dunning schedule.
func TestChargeWorkerFailedPaymentGoesToDunning(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	m := newMandate(t, srv)
	args := billFor(m, "failed-1")
	// Hold the read-back of the new payment while the bank declines it.
	readBack := make(chan struct{}, 1)
	srv.InjectFault(razorpaytest.Fault{Method: http.MethodGet, Path: "/v1/payments/pay_*", Times: -1, Delay: 300 * time.Millisecond,
		Arrived: func() {
			select {
			case readBack <- struct{}{}:
			default:
			}
		}})
	done := make(chan error, 1)
	go func() {
		select {
		case <-readBack: // the payment exists, and its read-back is held
			live := livePayments(srv, "failed-1")
			if len(live) != 1 {
				done <- fmt.Errorf("%d live payments at the read-back, want 1", len(live))
				return
			}
			done <- srv.FailPayment(live[0].ID, "Insufficient funds on card 4111 1111 1111 1111")
		case <-time.After(10 * time.Second):
			done <- context.DeadlineExceeded
		}
	}()

	kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), args)

	require.NoError(t, <-done)
	require.Equal(t, river.EventKindJobSnoozed, kind)
	assert.Equal(t, rivertype.JobStateScheduled, row.State)
	assert.WithinDuration(t, time.Now().Add(24*time.Hour), row.ScheduledAt, time.Minute, "the first try of the default schedule is a day later")
	out := output(t, row)
	assert.Equal(t, razorpay.OutcomeNotCharged, out.Outcome)
	assert.Equal(t, 24*time.Hour, out.SnoozedFor)
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
	srv := razorpaytest.NewTestServer(t)
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
	assert.Equal(t, razorpay.OutcomeUnknown, out.Outcome)
	assert.Equal(t, razorpayriver.ActionSnooze, out.Action)
	assert.Equal(t, 1, out.RateLimited)
	assert.Equal(t, 42*time.Second, out.SnoozedFor)
	assert.Empty(t, livePayments(srv, "throttled-1"))
}

// The n given to RateLimitBackoff counts the rate-limited answers in a row
// recorded in the job's output by the runs before, plus this one.
func TestChargeWorkerRateLimitedCountsFromOutput(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	m := newMandate(t, srv)
	srv.InjectFault(razorpaytest.Fault{Times: -1, Status: http.StatusTooManyRequests,
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "Too many requests")})
	w := razorpayriver.NewChargeWorker(srv.Client(razorpay.WithMaxRetries(0)))
	var gotN []int
	w.RateLimitBackoff = func(n int) time.Duration { gotN = append(gotN, n); return 42 * time.Second }

	// River's own "snoozes" key does not count: the worker keeps its own.
	kind, row := workOneWith(t, w, billFor(m, "throttled-3"),
		&river.InsertOpts{Metadata: []byte(`{"snoozes": 7, "output": {"outcome": "unknown", "action": "snooze", "receipt": "throttled-3", "rate_limited": 2}}`)})

	require.Equal(t, river.EventKindJobSnoozed, kind)
	assert.Equal(t, []int{3}, gotN)
	assert.Equal(t, 3, output(t, row).RateLimited)
}

func TestDefaultBackoffs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f      func(int) time.Duration
		lo, hi time.Duration
	}{
		{razorpayriver.DefaultRateLimitBackoff, razorpayriver.RateLimitBackoffMin, razorpayriver.RateLimitBackoffMax},
		{razorpayriver.DefaultPendingBackoff, razorpayriver.PendingBackoffMin, razorpayriver.PendingBackoffMax},
		{razorpayriver.DefaultRetryBackoff, razorpayriver.RetryBackoffMin, razorpayriver.RetryBackoffMax},
	} {
		for n, want := range map[int]time.Duration{0: tc.lo, 1: tc.lo, 2: 2 * tc.lo, 3: 4 * tc.lo, 100: tc.hi} {
			for range 20 {
				d := tc.f(n)
				assert.GreaterOrEqual(t, d, want/2, "n=%d", n)
				assert.LessOrEqual(t, d, want, "n=%d", n)
			}
		}
	}
	assert.Equal(t, []time.Duration{24 * time.Hour, 48 * time.Hour, 48 * time.Hour}, razorpayriver.DefaultDunning())
}

// The payment request is processed but its answer never comes in time, and
// the order shows no payment yet: a payment may be in flight, so the job is
// snoozed until the time Charge says to come back.
func TestChargeWorkerOutcomeUnknownSnoozesForRetryAfter(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	m := newMandate(t, srv)
	srv.InjectFault(razorpaytest.Fault{Method: http.MethodPost, Path: "/v1/payments/create/recurring", Delay: 3 * time.Second})
	client := srv.Client(razorpay.WithTimeout(300*time.Millisecond), razorpay.WithMaxRetries(0))

	kind, row := workOne(t, razorpayriver.NewChargeWorker(client), billFor(m, "unknown-1"))

	require.Equal(t, river.EventKindJobSnoozed, kind, "errors: %v", row.Errors)
	assert.Equal(t, rivertype.JobStateScheduled, row.State)
	out := output(t, row)
	assert.Equal(t, razorpay.OutcomeUnknown, out.Outcome)
	assert.Positive(t, out.SnoozedFor)
	assert.WithinDuration(t, time.Now().Add(out.SnoozedFor), row.ScheduledAt, 5*time.Second)
	assert.Contains(t, out.Error, "outcome unknown")
	assert.Contains(t, out.Note, "in flight")
}

// Razorpay cannot be reached at all (connection refused: nothing left the
// machine): an ordinary error, River retries after RetryBackoff.
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
	w := razorpayriver.NewChargeWorker(client)
	var gotN []int
	w.RetryBackoff = func(n int) time.Duration { gotN = append(gotN, n); return 42 * time.Second }

	kind, row := workOne(t, w, args)

	require.Equal(t, river.EventKindJobFailed, kind)
	assert.Equal(t, rivertype.JobStateRetryable, row.State)
	assert.Equal(t, []int{1}, gotN)
	assert.WithinDuration(t, time.Now().Add(42*time.Second), row.ScheduledAt, 10*time.Second, "NextRetry, not River's policy")
	assert.Equal(t, 1, row.Attempt)
	require.Len(t, row.Errors, 1)
	assert.Contains(t, row.Errors[0].Error, "connection refused")
	out := output(t, row)
	assert.Equal(t, razorpay.OutcomeUnknown, out.Outcome)
	assert.Equal(t, razorpayriver.ActionRetry, out.Action)
}

// Razorpay refuses the keys for a while (a key rotation gone wrong), then
// accepts them: the job is retried, never cancelled, each refusal is in the
// job's errors and logged at level Error, and the bill is charged once the
// keys work.
func TestChargeWorkerRefusedKeysThenFixed(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	m := newMandate(t, srv)
	srv.InjectFault(razorpaytest.Fault{Times: -1, Status: http.StatusUnauthorized,
		Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "The api key provided is invalid")})
	var logs logBuffer
	w := fastWorker(srv.Client())
	w.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	h := startHarness(t, w)
	id := h.insert(billFor(m, "rotate-1"), nil)

	for range 2 {
		ev := h.next(id)
		require.Equal(t, river.EventKindJobFailed, ev.Kind, "refused keys: River retries")
		out := eventOutput(t, ev)
		assert.Equal(t, razorpayriver.ActionRetry, out.Action)
		assert.Contains(t, out.Note, "refused the key pair")
	}
	srv.ClearFaults() // the keys work again
	ev := h.until(id, river.EventKindJobCompleted)

	assert.Equal(t, razorpay.OutcomeCharged, eventOutput(t, ev).Outcome)
	require.GreaterOrEqual(t, len(ev.Job.Errors), 2)
	for _, e := range ev.Job.Errors {
		assert.Contains(t, e.Error, "refused the key pair or the account")
		assert.Contains(t, e.Error, "401")
	}
	assert.Contains(t, logs.String(), "level=ERROR")
	assert.Contains(t, logs.String(), "refused the key pair")
	assert.Len(t, livePayments(srv, "rotate-1"), 1)
}

// Refused keys and a feature not enabled are retried, never cancelled, and
// nothing is charged.
func TestChargeWorkerAccountRefusedNeverCancels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, srv *razorpaytest.Server) *razorpay.Client
		want  string // in the job's error
	}{
		{
			name: "wrong key secret",
			setup: func(t *testing.T, srv *razorpaytest.Server) *razorpay.Client {
				return razorpay.NewClient(razorpaytest.KeyID, "wrong_secret_0123456789", razorpay.WithBaseURL(srv.URL))
			},
			want: "401",
		},
		{
			name: "feature not enabled",
			setup: func(t *testing.T, srv *razorpaytest.Server) *razorpay.Client {
				srv.InjectFault(razorpaytest.Fault{Method: http.MethodPost, Path: "/v1/payments/create/recurring", Times: -1,
					Status: http.StatusBadRequest, Body: razorpaytest.ErrorBody("BAD_REQUEST_ERROR", "The requested URL was not found on the server.")})
				return srv.Client()
			},
			want: "not enabled",
		},
		{
			name: "no keys",
			setup: func(t *testing.T, srv *razorpaytest.Server) *razorpay.Client {
				return razorpay.NewClient(razorpaytest.KeyID, "", razorpay.WithBaseURL(srv.URL))
			},
			want: "missing key secret",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := razorpaytest.NewTestServer(t)
			m := newMandate(t, srv)
			client := tc.setup(t, srv)
			before := len(srv.Payments())
			w := razorpayriver.NewChargeWorker(client)
			w.RetryBackoff = func(int) time.Duration { return time.Hour }

			kind, row := workOne(t, w, billFor(m, "account-"+strings.ReplaceAll(tc.name, " ", "-")))

			require.Equal(t, river.EventKindJobFailed, kind)
			assert.Equal(t, rivertype.JobStateRetryable, row.State)
			require.Len(t, row.Errors, 1)
			assert.Contains(t, row.Errors[0].Error, "refused the key pair or the account")
			assert.Contains(t, row.Errors[0].Error, tc.want)
			assert.NotContains(t, row.Errors[0].Error, "wrong_secret")
			assert.Equal(t, razorpayriver.ActionRetry, output(t, row).Action)
			assert.Len(t, srv.Payments(), before, "charged")
		})
	}
}

// At River's last attempt an error snoozes the job instead: it is never
// discarded, and says so.
func TestChargeWorkerNeverDiscards(t *testing.T) {
	t.Parallel()
	srv := razorpaytest.NewTestServer(t)
	m := newMandate(t, srv)
	w := razorpayriver.NewChargeWorker(razorpay.NewClient(razorpaytest.KeyID, "wrong_secret_0123456789", razorpay.WithBaseURL(srv.URL)))
	w.RetryBackoff = func(int) time.Duration { return time.Hour }

	kind, row := workOneWith(t, w, billFor(m, "last-1"), &river.InsertOpts{MaxAttempts: 1})

	require.Equal(t, river.EventKindJobSnoozed, kind)
	assert.Equal(t, rivertype.JobStateScheduled, row.State)
	assert.WithinDuration(t, time.Now().Add(time.Hour), row.ScheduledAt, time.Minute)
	out := output(t, row)
	assert.Equal(t, razorpayriver.ActionSnooze, out.Action)
	assert.Contains(t, out.Note, "never discarded")
	assert.Contains(t, out.Note, "refused the key pair")
}

// A bill a person must look at (its params are invalid, its receipt is
// another charge's) is cancelled, with what to do in the output.
func TestChargeWorkerPersonCancels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T, srv *razorpaytest.Server, args *razorpayriver.ChargeArgs)
		outcome razorpay.ChargeOutcome
	}{
		{
			name:    "invalid params",
			setup:   func(t *testing.T, srv *razorpaytest.Server, args *razorpayriver.ChargeArgs) { args.Amount = 0 },
			outcome: razorpay.OutcomeInvalid,
		},
		{
			name: "receipt conflict",
			setup: func(t *testing.T, srv *razorpaytest.Server, args *razorpayriver.ChargeArgs) {
				// The receipt was already used for another amount.
				other := args.Params()
				other.Amount = 10_000
				_, err := srv.Client().Payment.Charge(context.Background(), other)
				require.NoError(t, err)
			},
			outcome: razorpay.OutcomeConflict,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := razorpaytest.NewTestServer(t)
			m := newMandate(t, srv)
			args := billFor(m, "person-"+strings.ReplaceAll(tc.name, " ", "-"))
			tc.setup(t, srv, &args)
			before := len(srv.Payments())

			kind, row := workOne(t, razorpayriver.NewChargeWorker(srv.Client()), args)

			require.Equal(t, river.EventKindJobCancelled, kind, "errors: %v", row.Errors)
			assert.Equal(t, rivertype.JobStateCancelled, row.State)
			out := output(t, row)
			assert.Equal(t, tc.outcome, out.Outcome)
			assert.Equal(t, razorpayriver.ActionCancel, out.Action)
			assert.Contains(t, out.Note, "a person must look")
			assert.Len(t, srv.Payments(), before, "a cancelled bill charged")
		})
	}
}
