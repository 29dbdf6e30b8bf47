package razorpay

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOutcomeOf is the table of the one classifier: every payment status
// and every error class.
func TestOutcomeOf(t *testing.T) {
	t.Parallel()
	pay := func(s PaymentStatus) *Payment { return &Payment{ID: "pay_X", Status: s} }
	apiErr := &Error{HTTPStatusCode: 400, Code: "BAD_REQUEST_ERROR", Description: "declined"}
	cases := []struct {
		name string
		p    *Payment
		err  error
		want ChargeOutcome
	}{
		{"captured", pay(PaymentStatusCaptured), nil, OutcomeCharged},
		{"captured, partly refunded", &Payment{Status: PaymentStatusCaptured, AmountRefunded: 100, RefundStatus: "partial"}, nil, OutcomeCharged},
		{"authorized", pay(PaymentStatusAuthorized), nil, OutcomePending},
		{"created", pay(PaymentStatusCreated), nil, OutcomePending},
		{"refunded in full", pay(PaymentStatusRefunded), nil, OutcomeRefunded},
		{"failed", pay(PaymentStatusFailed), nil, OutcomeNotCharged},
		{"status the SDK does not know", pay("on_hold"), nil, OutcomeUnknown},
		{"no payment, no error", nil, nil, OutcomeUnknown},
		{"receipt conflict", nil, &ChargeError{Err: fmt.Errorf("%w: receipt", ErrReceiptConflict)}, OutcomeConflict},
		{"validation error", nil, &ValidationError{Field: "receipt", Message: "is required"}, OutcomeInvalid},
		{"unreadable", nil, &ChargeError{Err: ErrReceiptUnreadable, class: ErrReceiptUnreadable}, OutcomeUnreadable},
		{"unknown", nil, &ChargeError{Err: context.DeadlineExceeded, class: ErrOutcomeUnknown}, OutcomeUnknown},
		{"unknown with a 4xx cause", nil, &ChargeError{Err: apiErr, class: ErrOutcomeUnknown}, OutcomeUnknown},
		{"not charged, failed payment", nil, &ChargeError{Payment: pay(PaymentStatusFailed), class: ErrNotCharged}, OutcomeNotCharged},
		{"not charged, refused", nil, &ChargeError{Err: apiErr, class: ErrNotCharged}, OutcomeNotCharged},
		{"a wrapped error matching unknown and not charged", nil, errors.Join(ErrNotCharged, ErrOutcomeUnknown), OutcomeUnknown},
		{"an error outside the contract", nil, errors.New("boom"), OutcomeUnknown},
		{"an API error outside Charge", nil, apiErr, OutcomeUnknown},
		{"context cancelled before Charge began", nil, context.Canceled, OutcomeUnknown},
		{"a payment with an error: the error decides", pay(PaymentStatusCaptured), &ChargeError{class: ErrOutcomeUnknown}, OutcomeUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, OutcomeOf(tc.p, tc.err))
			var ce *ChargeError
			if errors.As(tc.err, &ce) {
				assert.Equal(t, tc.want, ce.Outcome())
			}
		})
	}
	assert.Equal(t, OutcomeUnknown, (*ChargeError)(nil).Outcome())
}

func TestChargeOutcomeSettled(t *testing.T) {
	t.Parallel()
	for o, want := range map[ChargeOutcome]bool{
		OutcomeCharged: true, OutcomePending: false, OutcomeRefunded: true, OutcomeNotCharged: true,
		OutcomeUnknown: false, OutcomeConflict: true, OutcomeInvalid: true, OutcomeUnreadable: true,
	} {
		assert.Equal(t, want, o.Settled(), "%s", o)
	}
}
