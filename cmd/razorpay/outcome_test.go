package main

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gorzp/razorpay"
)

// The report decides with razorpay.OutcomeOf, and words it.
func TestResultClassification(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	pay := func(st razorpay.PaymentStatus) *razorpay.Payment {
		return &razorpay.Payment{ID: "pay_X", OrderID: "order_X", Status: st}
	}
	failed := &razorpay.Payment{ID: "pay_F", OrderID: "order_F", Status: razorpay.PaymentStatusFailed, ErrorDescription: "Insufficient funds"}
	for _, tc := range []struct {
		name    string
		p       *razorpay.Payment
		err     error
		created bool
		outcome razorpay.ChargeOutcome
		label   string
		check   string // the label of a lookup, if not label
	}{
		{"captured now", pay(razorpay.PaymentStatusCaptured), nil, true, razorpay.OutcomeCharged, "charged", ""},
		{"captured before", pay(razorpay.PaymentStatusCaptured), nil, false, razorpay.OutcomeCharged, "already charged", "charged"},
		{"created: the bank confirms later", pay(razorpay.PaymentStatusCreated), nil, true, razorpay.OutcomePending, "pending", ""},
		{"authorized", pay(razorpay.PaymentStatusAuthorized), nil, false, razorpay.OutcomePending, "pending", ""},
		{"refunded", pay(razorpay.PaymentStatusRefunded), nil, false, razorpay.OutcomeRefunded, "refunded", ""},
		{"a status nobody knows", pay("on_hold"), nil, false, razorpay.OutcomeUnknown, "unknown (resume after 2026-11-29 10:00:00 UTC)", ""},
		{"declined", nil, &razorpay.ChargeError{Payment: failed, Err: razorpay.ErrNotCharged}, false, razorpay.OutcomeNotCharged, "not charged", ""},
		{"unknown, with a wait", nil, fmt.Errorf("charge: %w", &razorpay.ChargeError{OrderID: "order_X", RetryAfter: 16 * time.Minute, Err: razorpay.ErrOutcomeUnknown}),
			false, razorpay.OutcomeUnknown, "unknown (resume after 2026-11-29 10:16:00 UTC)", ""},
		// An error outside Charge's contract says nothing about the bill: unknown, never not charged.
		{"the context ended first", nil, context.Canceled, false, razorpay.OutcomeUnknown, "unknown (resume after 2026-11-29 10:00:00 UTC)", ""},
		{"any other error", nil, errors.New("disk full"), false, razorpay.OutcomeUnknown, "unknown (resume after 2026-11-29 10:00:00 UTC)", ""},
		{"unknown and not charged at once", nil, errors.Join(razorpay.ErrNotCharged, razorpay.ErrOutcomeUnknown), false, razorpay.OutcomeUnknown, "unknown (resume after 2026-11-29 10:00:00 UTC)", ""},
		{"conflict", nil, &razorpay.ChargeError{Err: fmt.Errorf("%w: receipt r", razorpay.ErrReceiptConflict)}, false, razorpay.OutcomeConflict, "conflict", ""},
		{"invalid", nil, &razorpay.ValidationError{Field: "amount", Message: "must be positive"}, false, razorpay.OutcomeInvalid, "invalid", ""},
		{"unreadable", nil, &razorpay.ChargeError{Err: razorpay.ErrReceiptUnreadable}, false, razorpay.OutcomeUnreadable, "unreadable", ""},
	} {
		info := &razorpay.ChargeInfo{Created: tc.created}
		r := newResult("bill-1", tc.p, tc.err, info, now)
		assert.Equal(t, tc.outcome, r.Outcome, tc.name)
		assert.Equal(t, tc.label, r.label(false), tc.name)
		check := tc.label
		if tc.check != "" {
			check = tc.check
		}
		assert.Equal(t, check, r.label(true), tc.name)
		assert.Equal(t, tc.created && tc.err == nil, r.Created, tc.name)
		if tc.outcome == razorpay.OutcomeUnknown {
			assert.NotEmpty(t, r.ResumeAfter, tc.name)
			assert.Equal(t, exitUnknown, chargeExit(r.Outcome), tc.name)
		}
		if tc.outcome == razorpay.OutcomePending {
			assert.Equal(t, exitOK, chargeExit(r.Outcome), tc.name)
			assert.Contains(t, r.Reason, "the bank confirms later", tc.name)
		}
	}
	r := newResult("bill-1", nil, &razorpay.ChargeError{Payment: failed, Err: razorpay.ErrNotCharged}, nil, now)
	assert.Equal(t, "Insufficient funds", r.Reason, "the bank's reason")
	assert.Equal(t, "pay_F", r.PaymentID)
	assert.Equal(t, "order_F", r.OrderID)
}

// A card number that Razorpay or a proxy echoes in a failure never reaches
// the report.
func TestResultMasksCardNumbers(t *testing.T) {
	t.Parallel()
	const pan = "4111 1111 1111 1111"
	failed := &razorpay.Payment{ID: "pay_X", Status: razorpay.PaymentStatusFailed, ErrorDescription: "card " + pan + " declined"}
	r := newResult("bill-1", failed, nil, nil, time.Now())
	assert.Equal(t, razorpay.OutcomeNotCharged, r.Outcome)
	assert.NotContains(t, r.Reason, pan)
	assert.Contains(t, r.Reason, "XXXX XXXX XXXX 1111")

	r = newResult("bill-1", nil, &razorpay.ChargeError{Payment: failed, Err: errors.New("refused: " + pan)}, nil, time.Now())
	assert.NotContains(t, r.Reason, pan)
	r = newResult("bill-1", nil, errors.New("proxy says "+pan), nil, time.Now())
	assert.NotContains(t, r.Reason, pan)
}

// An unknown outcome is reported with the time Charge says to come back.
func TestResultResumeAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	err := fmt.Errorf("charge: %w", &razorpay.ChargeError{OrderID: "order_X", RetryAfter: 16 * time.Minute, Err: razorpay.ErrOutcomeUnknown})
	r := newResult("bill-1", nil, err, nil, now)
	assert.Equal(t, razorpay.OutcomeUnknown, r.Outcome)
	assert.Equal(t, "2026-11-29T10:16:00Z", r.ResumeAfter)
	assert.Equal(t, "order_X", r.OrderID)
}
