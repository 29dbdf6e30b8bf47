package razorpayriver

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPolicy has waits that tell the cases apart: the n-th pending check
// waits n minutes, the n-th rate limit n·10 s, the n-th retry n hours.
func testPolicy() policy {
	return policy{
		dunning:          []time.Duration{24 * time.Hour, 48 * time.Hour, 72 * time.Hour},
		pendingLimit:     7 * 24 * time.Hour,
		pendingBackoff:   func(n int) time.Duration { return time.Duration(n) * time.Minute },
		rateLimitBackoff: func(n int) time.Duration { return time.Duration(n) * 10 * time.Second },
		retryBackoff:     func(n int) time.Duration { return time.Duration(n) * time.Hour },
	}
}

// TestDecide checks decide's cases on errors built to match the sentinels
// (ChargeError's class is unexported, so the class is wrapped into Err).
func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	captured := &razorpay.Payment{ID: "pay_C1", OrderID: "order_C1", Status: razorpay.PaymentStatusCaptured}
	created := &razorpay.Payment{ID: "pay_P1", OrderID: "order_P1", Status: razorpay.PaymentStatusCreated}
	failed := &razorpay.Payment{ID: "pay_F1", OrderID: "order_F1", Status: razorpay.PaymentStatusFailed,
		ErrorCode: "BAD_REQUEST_ERROR", ErrorReason: "payment_failed", ErrorDescription: "declined for card 4111 1111 1111 1111"}
	notCharged := func(p *razorpay.Payment, cause error) error {
		if cause == nil {
			return &razorpay.ChargeError{OrderID: "order_N1", Payment: p, Err: razorpay.ErrNotCharged}
		}
		return &razorpay.ChargeError{OrderID: "order_N1", Payment: p, Err: fmt.Errorf("%w: %w", razorpay.ErrNotCharged, cause)}
	}
	unknown := func(after time.Duration, cause error) error {
		return &razorpay.ChargeError{OrderID: "order_U1", RetryAfter: after, Err: fmt.Errorf("%w: %w", razorpay.ErrOutcomeUnknown, cause)}
	}
	auth := &razorpay.Error{HTTPStatusCode: 401, Code: "BAD_REQUEST_ERROR", Description: "The api key provided is invalid"}
	forbidden := &razorpay.Error{HTTPStatusCode: 403, Code: "BAD_REQUEST_ERROR", Description: "Access forbidden"}
	featureOff := &razorpay.Error{HTTPStatusCode: 400, Code: "BAD_REQUEST_ERROR", Description: "The requested URL was not found on the server."}
	refusal := &razorpay.Error{HTTPStatusCode: 400, Code: "BAD_REQUEST_ERROR", Description: "The token cannot be charged: its mandate is cancelled"}
	throttled := &razorpay.Error{HTTPStatusCode: 429, Code: "BAD_REQUEST_ERROR", Description: "Too many requests"}
	declinedBefore := func(n int) []ChargeAttempt {
		var atts []ChargeAttempt
		for i := range n {
			atts = append(atts, ChargeAttempt{PaymentID: fmt.Sprintf("pay_Old%d", i), Status: razorpay.PaymentStatusFailed, Outcome: razorpay.OutcomeNotCharged})
		}
		return atts
	}

	type want struct {
		outcome  Outcome
		action   Action
		wait     time.Duration // with ActionSnooze
		settled  bool
		loud     bool
		attempts int // len(out.Attempts)
		note     string
	}
	for _, tc := range []struct {
		name string
		prev ChargeOutput
		p    *razorpay.Payment
		err  error
		want want
	}{
		{name: "captured", p: captured,
			want: want{outcome: razorpay.OutcomeCharged, action: ActionComplete, settled: true, attempts: 1, note: "charged"}},
		{name: "refunded", p: &razorpay.Payment{ID: "pay_R1", Status: razorpay.PaymentStatusRefunded},
			want: want{outcome: razorpay.OutcomeRefunded, action: ActionComplete, settled: true, attempts: 1, note: "refunded"}},
		{name: "created: the first check", p: created,
			want: want{outcome: razorpay.OutcomePending, action: ActionSnooze, wait: time.Minute, attempts: 1, note: "check 2 again in 1m0s"}},
		{name: "authorized: the third check", p: &razorpay.Payment{ID: "pay_P1", Status: razorpay.PaymentStatusAuthorized},
			prev: ChargeOutput{Attempts: []ChargeAttempt{{At: now.Add(-time.Hour), PaymentID: "pay_P1", Status: razorpay.PaymentStatusCreated, Checks: 2}}},
			want: want{outcome: razorpay.OutcomePending, action: ActionSnooze, wait: 3 * time.Minute, attempts: 1, note: "authorized"}},
		{name: "pending past the limit: a person", p: created,
			prev: ChargeOutput{Attempts: []ChargeAttempt{{At: now.Add(-7 * 24 * time.Hour), PaymentID: "pay_P1", Status: razorpay.PaymentStatusCreated, Checks: 40}}},
			want: want{outcome: razorpay.OutcomePending, action: ActionCancel, settled: true, loud: true, attempts: 1, note: "longer than the pending limit"}},
		{name: "declined: the first try of the schedule", err: notCharged(failed, nil),
			want: want{outcome: razorpay.OutcomeNotCharged, action: ActionSnooze, wait: 24 * time.Hour, attempts: 1, note: "try 2 of 4 of the card in 24h0m0s"}},
		{name: "declined, read back by Fetch", p: failed,
			want: want{outcome: razorpay.OutcomeNotCharged, action: ActionSnooze, wait: 24 * time.Hour, attempts: 1}},
		{name: "declined the third time", err: notCharged(failed, nil), prev: ChargeOutput{Attempts: declinedBefore(2)},
			want: want{outcome: razorpay.OutcomeNotCharged, action: ActionSnooze, wait: 72 * time.Hour, attempts: 3, note: "try 4 of 4"}},
		{name: "declined again, the same payment: not a new decline", err: notCharged(failed, nil),
			prev: ChargeOutput{Attempts: []ChargeAttempt{{PaymentID: "pay_F1", Status: razorpay.PaymentStatusFailed}}},
			want: want{outcome: razorpay.OutcomeNotCharged, action: ActionSnooze, wait: 24 * time.Hour, attempts: 1}},
		{name: "declined the fourth time: the schedule is done", err: notCharged(failed, nil), prev: ChargeOutput{Attempts: declinedBefore(3)},
			want: want{outcome: razorpay.OutcomeNotCharged, action: ActionComplete, settled: true, attempts: 4, note: "declined 4 times"}},
		{name: "refused by Razorpay: a final decline", err: notCharged(nil, refusal), prev: ChargeOutput{Attempts: declinedBefore(1)},
			want: want{outcome: razorpay.OutcomeNotCharged, action: ActionComplete, settled: true, attempts: 2, note: "final decline"}},
		{name: "not charged for refused keys: retry, never cancel", err: notCharged(nil, auth),
			want: want{outcome: razorpay.OutcomeNotCharged, action: ActionRetry, loud: true, note: "refused the key pair"}},
		{name: "not charged, a feature not enabled: retry", err: notCharged(nil, featureOff),
			want: want{outcome: razorpay.OutcomeNotCharged, action: ActionRetry, loud: true}},
		{name: "unknown, 403: retry", err: unknown(0, forbidden),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionRetry, loud: true}},
		{name: "unknown, refused keys: retry", err: unknown(0, auth),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionRetry, loud: true, note: "refused the key pair"}},
		{name: "a client without keys: retry", err: fmt.Errorf("%w: missing key secret", razorpay.ErrInvalidConfig),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionRetry, loud: true}},
		{name: "in flight before refused keys: snooze for it", err: unknown(5*time.Minute, auth),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionSnooze, wait: 5 * time.Minute, loud: true, note: "in flight"}},
		{name: "in flight", err: unknown(5*time.Minute, errors.New("timeout")),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionSnooze, wait: 5 * time.Minute}},
		{name: "rate limited: the first", err: unknown(0, throttled),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionSnooze, wait: 10 * time.Second, note: "1 in a row"}},
		{name: "rate limited: the count comes from the output", err: unknown(0, throttled), prev: ChargeOutput{RateLimited: 2},
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionSnooze, wait: 30 * time.Second, note: "3 in a row"}},
		{name: "rate limited: a longer RetryAfter wins", err: unknown(5*time.Minute, throttled),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionSnooze, wait: 5 * time.Minute}},
		{name: "nothing in flight: River retries", err: unknown(0, errors.New("connection refused")),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionRetry}},
		{name: "no payment and no error",
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionRetry}},
		{name: "a payment in a status the SDK does not know", p: &razorpay.Payment{ID: "pay_X1", Status: "on_hold"},
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionRetry, attempts: 1}},
		{name: "an error outside the contract", err: errors.New("something else"),
			want: want{outcome: razorpay.OutcomeUnknown, action: ActionRetry}},
		{name: "receipt conflict: a person", err: &razorpay.ChargeError{Err: razorpay.ErrReceiptConflict},
			want: want{outcome: razorpay.OutcomeConflict, action: ActionCancel, settled: true, loud: true, note: "another charge"}},
		{name: "invalid params: a person", err: &razorpay.ValidationError{Field: "amount", Message: "must be positive"},
			want: want{outcome: razorpay.OutcomeInvalid, action: ActionCancel, settled: true, loud: true}},
		{name: "unreadable orders: a person", err: &razorpay.ChargeError{Err: razorpay.ErrReceiptUnreadable},
			want: want{outcome: razorpay.OutcomeUnreadable, action: ActionCancel, settled: true, loud: true, note: "Dashboard"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, v := decide(tc.prev, answer{receipt: "r-1", p: tc.p, err: tc.err, now: now}, testPolicy())

			assert.Equal(t, tc.want.outcome, out.Outcome)
			assert.Equal(t, tc.want.action, v.action)
			assert.Equal(t, tc.want.settled, v.settled, "settled")
			assert.Equal(t, tc.want.loud, v.loud, "loud")
			assert.Len(t, out.Attempts, tc.want.attempts)
			assert.Equal(t, "r-1", out.Receipt)
			assert.Contains(t, out.Note, tc.want.note)
			if tc.err != nil {
				assert.Equal(t, tc.err.Error(), out.Error)
			}
			var cancel *river.JobCancelError
			var snooze *river.JobSnoozeError
			err := v.riverError()
			switch tc.want.action {
			case ActionComplete:
				require.NoError(t, err)
			case ActionSnooze:
				require.ErrorAs(t, err, &snooze)
				assert.Equal(t, tc.want.wait, snooze.Duration)
			case ActionCancel:
				require.ErrorAs(t, err, &cancel)
				assert.Contains(t, err.Error(), "a person must look")
			case ActionRetry:
				require.Error(t, err)
				assert.False(t, errors.As(err, &cancel) || errors.As(err, &snooze), "want a plain error, got %v", err)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
				}
			}
			assert.NotContains(t, out.ErrorDescription+out.Note, "4111 1111")
		})
	}

	// The failed payment is in the output and its attempt, card numbers
	// masked, with the failed payment's order.
	out, _ := decide(ChargeOutput{}, answer{p: nil, err: notCharged(failed, nil), now: now}, testPolicy())
	assert.Equal(t, "pay_F1", out.PaymentID)
	assert.Equal(t, "order_F1", out.OrderID, "the failed payment's order wins")
	assert.Equal(t, razorpay.PaymentStatusFailed, out.Status)
	assert.Equal(t, "payment_failed", out.ErrorReason)
	assert.Equal(t, "declined for card XXXX XXXX XXXX 1111", out.ErrorDescription)
	assert.Equal(t, []ChargeAttempt{{At: now, Outcome: razorpay.OutcomeNotCharged, PaymentID: "pay_F1", Status: razorpay.PaymentStatusFailed,
		OrderID: "order_F1", ErrorCode: "BAD_REQUEST_ERROR", ErrorReason: "payment_failed", ErrorDescription: "declined for card XXXX XXXX XXXX 1111"}}, out.Attempts)

	// A pending payment that is captured later updates its attempt.
	prev, _ := decide(ChargeOutput{}, answer{p: created, now: now}, testPolicy())
	out, _ = decide(prev, answer{p: &razorpay.Payment{ID: "pay_P1", OrderID: "order_P1", Status: razorpay.PaymentStatusCaptured}, now: now.Add(time.Hour)}, testPolicy())
	assert.Equal(t, []ChargeAttempt{{At: now, Outcome: razorpay.OutcomeCharged, PaymentID: "pay_P1", Status: razorpay.PaymentStatusCaptured, OrderID: "order_P1", Checks: 1}}, out.Attempts)
	assert.Equal(t, 1, prev.Attempts[0].Checks, "decide does not change prev")
	assert.Equal(t, razorpay.OutcomePending, prev.Attempts[0].Outcome)

	// An empty dunning schedule tries the card once.
	pol := testPolicy()
	pol.dunning = []time.Duration{}
	_, v := decide(ChargeOutput{}, answer{err: notCharged(failed, nil), now: now}, pol)
	assert.Equal(t, ActionComplete, v.action)
	assert.True(t, v.settled)
}

// TestLastAttempt checks that a retry at River's last attempt snoozes, so
// that River never discards a charge job, and that nothing else changes.
func TestLastAttempt(t *testing.T) {
	t.Parallel()
	retry := verdict{action: ActionRetry, err: errors.New("boom")}

	var out ChargeOutput
	v := lastAttempt(&out, retry, 24, 25, 23, testPolicy())
	assert.Equal(t, retry, v, "attempts left: River retries")

	v = lastAttempt(&out, retry, 25, 25, 24, testPolicy())
	assert.Equal(t, ActionSnooze, v.action)
	assert.Equal(t, 25*time.Hour, v.wait, "RetryBackoff of the errors so far and this one")
	assert.True(t, v.loud)
	assert.Contains(t, out.Note, "never discarded")
	var snooze *river.JobSnoozeError
	require.ErrorAs(t, v.riverError(), &snooze)

	cancel := verdict{action: ActionCancel, err: errors.New("person")}
	assert.Equal(t, cancel, lastAttempt(&out, cancel, 25, 25, 24, testPolicy()))
}

func TestJittered(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]time.Duration{0: time.Second, 1: time.Second, 2: 2 * time.Second, 4: 8 * time.Second, 7: time.Minute, 100: time.Minute, 1 << 40: time.Minute} {
		for range 20 {
			d := jittered(n, time.Second, time.Minute)
			assert.GreaterOrEqual(t, d, want/2, "n=%d", n)
			assert.LessOrEqual(t, d, want, "n=%d", n)
		}
	}
	for range 20 {
		d := DefaultPendingBackoff(40) // no overflow with long waits
		assert.GreaterOrEqual(t, d, PendingBackoffMax/2)
		assert.LessOrEqual(t, d, PendingBackoffMax)
	}
}

// TestTimeout checks the job timeout: the SDK's worst case by default, the
// worker's JobTimeout when set, under River's default rescue of one hour.
func TestTimeout(t *testing.T) {
	t.Parallel()
	w := NewChargeWorker(razorpay.NewClient("rzp_test_x", "y"))
	d := w.Timeout(nil)
	assert.Equal(t, w.Client.MaxChargeDuration()+time.Minute, d)
	assert.Equal(t, 26*time.Minute, d, "25 minutes with the default options, and one")
	long := NewChargeWorker(razorpay.NewClient("rzp_test_x", "y", razorpay.WithChargeSettleWindow(time.Hour)))
	assert.Equal(t, 71*time.Minute, long.Timeout(nil), "the client's own window")
	assert.Less(t, d, time.Hour, "River's default RescueStuckJobsAfter must be longer")
	assert.Greater(t, d, razorpay.ChargeSettleWindow)
	w.JobTimeout = 4 * time.Second
	assert.Equal(t, 4*time.Second, w.Timeout(nil))
}
