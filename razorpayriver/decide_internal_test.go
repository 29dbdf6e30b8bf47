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

// TestDecide checks decide's cases and their order on errors built to match
// the sentinels (ChargeError's class is unexported, so the class is wrapped
// into Err).
func TestDecide(t *testing.T) {
	t.Parallel()
	failed := &razorpay.Payment{ID: "pay_F1", OrderID: "order_Failed1", Status: razorpay.PaymentStatusFailed,
		ErrorCode: "BAD_REQUEST_ERROR", ErrorReason: "payment_failed", ErrorDescription: "declined for card 4111 1111 1111 1111"}
	featureOff := &razorpay.Error{HTTPStatusCode: 400, Code: "BAD_REQUEST_ERROR",
		Description: "The requested URL was not found on the server."}
	backoff := func(n int) time.Duration { return time.Duration(n) * 10 * time.Second }

	type want struct {
		outcome Outcome
		kind    string        // "nil", "cancel", "snooze" or "error"
		snooze  time.Duration // with "snooze"
		orderID string
	}
	for _, tc := range []struct {
		name     string
		p        *razorpay.Payment
		err      error
		metadata string
		want     want
	}{
		{
			name: "charged",
			p:    &razorpay.Payment{ID: "pay_C1", OrderID: "order_C1", Status: razorpay.PaymentStatusCaptured},
			want: want{outcome: OutcomeCharged, kind: "nil", orderID: "order_C1"},
		},
		{
			name: "no payment and no error",
			want: want{outcome: OutcomeUnknown, kind: "error"},
		},
		{
			name: "invalid params before rate limited",
			err:  &razorpay.ChargeError{OrderID: "order_I1", Err: fmt.Errorf("%w: %w", razorpay.ErrInvalidParams, razorpay.ErrRateLimited)},
			want: want{outcome: OutcomeCancelled, kind: "cancel", orderID: "order_I1"},
		},
		{
			name: "rate limited: backoff of the first snooze",
			err:  &razorpay.ChargeError{OrderID: "order_R1", Err: razorpay.ErrRateLimited},
			want: want{outcome: OutcomeRateLimited, kind: "snooze", snooze: 10 * time.Second, orderID: "order_R1"},
		},
		{
			name:     "rate limited: the snooze count comes from the metadata",
			err:      &razorpay.ChargeError{Err: razorpay.ErrRateLimited},
			metadata: `{"snoozes":2}`,
			want:     want{outcome: OutcomeRateLimited, kind: "snooze", snooze: 30 * time.Second},
		},
		{
			name: "rate limited: a longer RetryAfter wins",
			err:  &razorpay.ChargeError{RetryAfter: 5 * time.Minute, Err: fmt.Errorf("%w: %w", razorpay.ErrOutcomeUnknown, razorpay.ErrRateLimited)},
			want: want{outcome: OutcomeRateLimited, kind: "snooze", snooze: 5 * time.Minute},
		},
		{
			name:     "rate limited: a longer backoff wins",
			err:      &razorpay.ChargeError{RetryAfter: 5 * time.Second, Err: fmt.Errorf("%w: %w", razorpay.ErrOutcomeUnknown, razorpay.ErrRateLimited)},
			metadata: `{"snoozes":3}`,
			want:     want{outcome: OutcomeRateLimited, kind: "snooze", snooze: 40 * time.Second},
		},
		{
			name: "in flight before authentication: snooze, not cancel",
			err:  &razorpay.ChargeError{OrderID: "order_U1", RetryAfter: 5 * time.Minute, Err: fmt.Errorf("%w: %w", razorpay.ErrOutcomeUnknown, razorpay.ErrAuthentication)},
			want: want{outcome: OutcomeUnknown, kind: "snooze", snooze: 5 * time.Minute, orderID: "order_U1"},
		},
		{
			name: "in flight before feature not enabled",
			err:  &razorpay.ChargeError{RetryAfter: time.Minute, Err: fmt.Errorf("%w: %w", razorpay.ErrOutcomeUnknown, featureOff)},
			want: want{outcome: OutcomeUnknown, kind: "snooze", snooze: time.Minute},
		},
		{
			name: "authentication with nothing in flight: cancel",
			err:  &razorpay.ChargeError{Err: fmt.Errorf("%w: %w", razorpay.ErrOutcomeUnknown, razorpay.ErrAuthentication)},
			want: want{outcome: OutcomeCancelled, kind: "cancel"},
		},
		{
			name: "feature not enabled, not charged: cancel",
			err:  &razorpay.ChargeError{OrderID: "order_N0", Err: fmt.Errorf("%w: %w", razorpay.ErrNotCharged, featureOff)},
			want: want{outcome: OutcomeCancelled, kind: "cancel", orderID: "order_N0"},
		},
		{
			name: "not charged: the failed payment's order wins",
			err:  &razorpay.ChargeError{OrderID: "order_Other", Payment: failed, Err: razorpay.ErrNotCharged},
			want: want{outcome: OutcomeNotCharged, kind: "nil", orderID: "order_Failed1"},
		},
		{
			name: "not charged: a refusal",
			err:  &razorpay.ChargeError{OrderID: "order_N1", Err: fmt.Errorf("%w: %w", razorpay.ErrNotCharged, &razorpay.Error{HTTPStatusCode: 400, Code: "BAD_REQUEST_ERROR", Description: "amount exceeds the maximum"})},
			want: want{outcome: OutcomeNotCharged, kind: "nil", orderID: "order_N1"},
		},
		{
			name: "unknown with nothing in flight: River retries",
			err:  &razorpay.ChargeError{OrderID: "order_U2", Err: fmt.Errorf("%w: %w", razorpay.ErrOutcomeUnknown, errors.New("connection refused"))},
			want: want{outcome: OutcomeUnknown, kind: "error", orderID: "order_U2"},
		},
		{
			name: "outside the contract",
			err:  errors.New("something else"),
			want: want{outcome: OutcomeUnknown, kind: "error"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var md []byte
			if tc.metadata != "" {
				md = []byte(tc.metadata)
			}
			out, err := decide(tc.p, tc.err, md, backoff)

			assert.Equal(t, tc.want.outcome, out.Outcome)
			assert.Equal(t, tc.want.orderID, out.OrderID)
			var cancel *river.JobCancelError
			var snooze *river.JobSnoozeError
			switch tc.want.kind {
			case "nil":
				require.NoError(t, err)
			case "cancel":
				require.ErrorAs(t, err, &cancel)
			case "snooze":
				require.ErrorAs(t, err, &snooze)
				assert.Equal(t, tc.want.snooze, snooze.Duration)
				assert.Equal(t, tc.want.snooze, out.SnoozedFor)
			case "error":
				require.Error(t, err)
				assert.False(t, errors.As(err, &cancel) || errors.As(err, &snooze), "want a plain error, got %v", err)
			}
			if tc.err != nil {
				assert.Equal(t, tc.err.Error(), out.Error)
			}
		})
	}

	// The failed payment is in the output, its card numbers masked.
	out, _ := decide(nil, &razorpay.ChargeError{Payment: failed, Err: razorpay.ErrNotCharged}, nil, backoff)
	assert.Equal(t, "pay_F1", out.PaymentID)
	assert.Equal(t, razorpay.PaymentStatusFailed, out.Status)
	assert.Equal(t, "payment_failed", out.ErrorReason)
	assert.Equal(t, "declined for card XXXX XXXX XXXX 1111", out.ErrorDescription)
}
