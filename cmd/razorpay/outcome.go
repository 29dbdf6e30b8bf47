package main

import (
	"errors"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
)

// Outcomes of a charge, as the report and --json name them.
const (
	outcomeCharged    = "charged"     // captured or authorized
	outcomePending    = "pending"     // created: the bank confirms later
	outcomeNotCharged = "not_charged" // certainly not charged; charging again is safe
	outcomeUnknown    = "unknown"     // not known yet: run again after resume_after
	outcomeInvalid    = "invalid"     // the bill cannot be charged as written
)

// result is what became of one charge.
type result struct {
	Line        int    `json:"line,omitempty"`
	Receipt     string `json:"receipt"`
	Outcome     string `json:"outcome"`
	PaymentID   string `json:"payment_id,omitempty"`
	OrderID     string `json:"order_id,omitempty"`
	Status      string `json:"status,omitempty"`
	Reason      string `json:"reason,omitempty"`
	ResumeAfter string `json:"resume_after,omitempty"`
}

// classify turns the answer of Payment.Charge into a result. A receipt
// conflict and invalid params are tested first (they are refusals of the
// bill as written), then unknown before not charged.
func classify(receipt string, p *razorpay.Payment, err error, now time.Time) result {
	r := result{Receipt: receipt}
	if err == nil {
		r.PaymentID, r.OrderID, r.Status = p.ID, p.OrderID, string(p.Status)
		switch p.Status {
		case razorpay.PaymentStatusCreated:
			r.Outcome = outcomePending
			r.Reason = "the bank confirms later (payment.captured or payment.failed webhook)"
		case razorpay.PaymentStatusFailed:
			// Charge does not return failed payments; be safe if it does.
			r.Outcome, r.Reason = outcomeNotCharged, razorpay.MaskCardNumbers(p.ErrorDescription)
		default:
			r.Outcome = outcomeCharged
		}
		return r
	}
	var ce *razorpay.ChargeError
	if errors.As(err, &ce) {
		r.OrderID = ce.OrderID
		if ce.Payment != nil {
			r.PaymentID, r.Status = ce.Payment.ID, string(ce.Payment.Status)
		}
	}
	r.Reason = reason(err)
	switch {
	case errors.Is(err, razorpay.ErrReceiptConflict):
		r.Outcome = outcomeInvalid
	case errors.Is(err, razorpay.ErrOutcomeUnknown):
		r.Outcome = outcomeUnknown
		var wait time.Duration
		if ce != nil {
			wait = ce.RetryAfter
		}
		r.ResumeAfter = now.Add(wait).UTC().Format(time.RFC3339)
	case errors.Is(err, razorpay.ErrNotCharged):
		r.Outcome = outcomeNotCharged
	case errors.Is(err, razorpay.ErrInvalidParams):
		r.Outcome = outcomeInvalid
	default:
		// Not a *ChargeError (the context ended before Charge began, say):
		// nothing says the customer was not charged.
		r.Outcome = outcomeUnknown
		r.ResumeAfter = now.UTC().Format(time.RFC3339)
	}
	return r
}

// reason is an error's text without the package prefix, on one line.
func reason(err error) string {
	s := razorpay.MaskCardNumbers(strings.TrimPrefix(err.Error(), "razorpay: "))
	return strings.Join(strings.Fields(s), " ")
}
