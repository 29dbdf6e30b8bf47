package main

import (
	"errors"
	"time"

	"github.com/gorzp/razorpay"
)

// TODO(issue 9): these stand in for razorpay.ErrReceiptConflict and
// ChargeError.RetryAfter until the receipt-keyed Charge lands on main.

var errReceiptConflict = errors.New("razorpay: receipt conflict")

// resumeAfter is how long to wait before charging the same bill again after
// an unknown outcome (0: whenever you like).
func resumeAfter(ce *razorpay.ChargeError) time.Duration {
	_ = ce
	return 0
}
