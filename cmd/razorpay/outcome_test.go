package main

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/gorzp/razorpay"
)

// A card number that Razorpay or a proxy echoes in a failure never reaches
// the report.
func TestClassifyMasksCardNumbers(t *testing.T) {
	t.Parallel()
	const pan = "4111 1111 1111 1111"
	failed := &razorpay.Payment{ID: "pay_X", Status: razorpay.PaymentStatusFailed, ErrorDescription: "card " + pan + " declined"}
	r := classify("bill-1", failed, nil, time.Now())
	assert.Equal(t, outcomeNotCharged, r.Outcome)
	assert.NotContains(t, r.Reason, pan)
	assert.Contains(t, r.Reason, "XXXX XXXX XXXX 1111")

	r = classify("bill-1", nil, &razorpay.ChargeError{Payment: failed, Err: errors.New("refused: " + pan)}, time.Now())
	assert.NotContains(t, r.Reason, pan)
}

// An unknown outcome is reported with the time Charge says to come back.
func TestClassifyResumeAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	err := fmt.Errorf("charge: %w", &razorpay.ChargeError{OrderID: "order_X", RetryAfter: 16 * time.Minute, Err: razorpay.ErrOutcomeUnknown})
	r := classify("bill-1", nil, err, now)
	assert.Equal(t, outcomeUnknown, r.Outcome)
	assert.Equal(t, "2026-11-29T10:16:00Z", r.ResumeAfter)
	assert.Equal(t, "order_X", r.OrderID)
}
