package razorpay

import "errors"

// ChargeOutcome is what became of a bill after Payment.Charge: the one
// classification of its answer (see OutcomeOf). Every consumer of Charge
// in this module (the River worker, the command-line tool, the examples)
// decides with it.
type ChargeOutcome string

// The outcomes of a bill, from OutcomeOf.
const (
	// OutcomeCharged: the bill's payment is captured.
	OutcomeCharged ChargeOutcome = "charged"
	// OutcomePending: the bill's payment is created or authorized and the
	// bank has not settled it yet (a recurring debit can take a day or
	// more). Call Charge again later: it returns the payment in its new
	// state and never makes another one while this one lives.
	OutcomePending ChargeOutcome = "pending"
	// OutcomeRefunded: the bill was charged, then refunded in full. It is
	// settled: Charge returns the refunded payment and never charges the
	// bill again.
	OutcomeRefunded ChargeOutcome = "refunded"
	// OutcomeNotCharged: certainly not charged; charging the bill again
	// (with Charge, on the same receipt) is safe.
	OutcomeNotCharged ChargeOutcome = "not_charged"
	// OutcomeUnknown: not settled now (a lost answer, a payment that may
	// still land, another attempt charging the bill). Call Charge again
	// after ChargeError.RetryAfter; never charge the bill under another
	// receipt instead.
	OutcomeUnknown ChargeOutcome = "unknown"
	// OutcomeConflict: the receipt belongs to another charge (a payment for
	// another amount, currency, customer or token holds it, or OrderID names
	// an order of another amount or receipt). This call charged nothing;
	// the receipt is wrong.
	OutcomeConflict ChargeOutcome = "conflict"
	// OutcomeInvalid: the params were refused before anything was sent.
	OutcomeInvalid ChargeOutcome = "invalid"
	// OutcomeUnreadable: Charge cannot read every order of the receipt
	// (ErrReceiptUnreadable), so it charged nothing; the bill may or may not
	// be charged already. Calling Charge again does not help: an operator
	// looks at the receipt's orders in the Dashboard.
	OutcomeUnreadable ChargeOutcome = "unreadable"
)

// Settled reports whether the outcome is final for the bill: charged,
// refunded, conflict, invalid or unreadable need no further call of Charge
// (the last three need a person). Pending and unknown do; not charged is
// settled for this attempt, and charging again is the caller's choice
// (dunning).
func (o ChargeOutcome) Settled() bool {
	switch o {
	case OutcomePending, OutcomeUnknown:
		return false
	}
	return true
}

// OutcomeOf classifies the answer of Payment.Charge (or a payment read
// since, with a nil error):
//
//   - a payment and no error: captured is OutcomeCharged, created or
//     authorized OutcomePending, refunded (in full) OutcomeRefunded, failed
//     OutcomeNotCharged; a payment in a status the SDK does not know is
//     OutcomeUnknown, and so is no payment at all;
//   - ErrReceiptConflict: OutcomeConflict (tested before ErrInvalidParams,
//     which it also matches); another ErrInvalidParams: OutcomeInvalid;
//   - ErrReceiptUnreadable: OutcomeUnreadable;
//   - ErrOutcomeUnknown: OutcomeUnknown (tested before ErrNotCharged: a
//     *ChargeError matches one class, but a wrapped error could match both);
//   - ErrNotCharged: OutcomeNotCharged;
//   - any other error (the context ended before Charge began, an error of
//     another call): OutcomeUnknown. Nothing in it says the bill was not
//     charged.
//
// A partially refunded payment stays captured: OutcomeCharged.
func OutcomeOf(p *Payment, err error) ChargeOutcome {
	if err == nil {
		if p == nil {
			return OutcomeUnknown
		}
		switch p.Status {
		case PaymentStatusCaptured:
			return OutcomeCharged
		case PaymentStatusCreated, PaymentStatusAuthorized:
			return OutcomePending
		case PaymentStatusRefunded:
			return OutcomeRefunded
		case PaymentStatusFailed:
			return OutcomeNotCharged
		}
		return OutcomeUnknown
	}
	switch {
	case errors.Is(err, ErrReceiptConflict):
		return OutcomeConflict
	case errors.Is(err, ErrInvalidParams):
		return OutcomeInvalid
	case errors.Is(err, ErrReceiptUnreadable):
		return OutcomeUnreadable
	case errors.Is(err, ErrOutcomeUnknown):
		return OutcomeUnknown
	case errors.Is(err, ErrNotCharged):
		return OutcomeNotCharged
	}
	return OutcomeUnknown
}

// Outcome returns the outcome of the bill that e describes (see OutcomeOf).
func (e *ChargeError) Outcome() ChargeOutcome {
	if e == nil {
		return OutcomeUnknown
	}
	return OutcomeOf(nil, e)
}
