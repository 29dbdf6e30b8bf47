package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gorzp/razorpay"
)

// result is what became of one bill: charged (or looked up) by charge and
// bill, decided by razorpay.OutcomeOf and nothing else.
type result struct {
	Line    int    `json:"line,omitempty"`
	Receipt string `json:"receipt"`
	// Outcome is razorpay.OutcomeOf of the answer: charged, pending,
	// refunded, not_charged, unknown, conflict, invalid or unreadable.
	Outcome razorpay.ChargeOutcome `json:"outcome"`
	// Created reports that this run made the bill's payment; false for a
	// bill charged before (already charged) and for a lookup.
	Created     bool   `json:"created"`
	PaymentID   string `json:"payment_id,omitempty"`
	OrderID     string `json:"order_id,omitempty"`
	Status      string `json:"status,omitempty"`
	Reason      string `json:"reason,omitempty"`
	ResumeAfter string `json:"resume_after,omitempty"`

	// notStarted marks a bill that a stopped run never sent.
	notStarted bool
}

// newResult decides a bill from the answer of Payment.Charge (or
// LookupCharge): p and err, and info, what the call did (nil for a
// lookup). now dates resume_after.
func newResult(receipt string, p *razorpay.Payment, err error, info *razorpay.ChargeInfo, now time.Time) result {
	r := result{Receipt: receipt, Outcome: razorpay.OutcomeOf(p, err)}
	if err == nil && p != nil {
		r.PaymentID, r.OrderID, r.Status = p.ID, p.OrderID, string(p.Status)
		r.Created = info != nil && info.Created
	}
	var ce *razorpay.ChargeError
	if errors.As(err, &ce) {
		r.OrderID = ce.OrderID
		if ce.Payment != nil {
			r.PaymentID, r.Status = ce.Payment.ID, string(ce.Payment.Status)
			if r.OrderID == "" {
				r.OrderID = ce.Payment.OrderID
			}
		}
	}
	switch r.Outcome {
	case razorpay.OutcomePending:
		r.Reason = "the bank confirms later: look again with 'razorpay bill --check' (it charges nothing)"
	case razorpay.OutcomeRefunded:
		r.Reason = "charged, then refunded in full"
	case razorpay.OutcomeNotCharged:
		var apiErr *razorpay.Error
		switch {
		case ce != nil && ce.Payment != nil && ce.Payment.ErrorDescription != "":
			r.Reason = oneLine(razorpay.MaskCardNumbers(ce.Payment.ErrorDescription))
		case errors.As(err, &apiErr) && apiErr.Description != "":
			// Razorpay's refusal, in its words.
			r.Reason = oneLine(razorpay.MaskCardNumbers(apiErr.Description))
		case err != nil:
			r.Reason = reason(err)
		default:
			r.Reason = oneLine(razorpay.MaskCardNumbers(p.ErrorDescription))
		}
	case razorpay.OutcomeUnknown:
		var wait time.Duration
		if ce != nil {
			wait = ce.RetryAfter
		}
		r.ResumeAfter = now.Add(wait).UTC().Format(time.RFC3339)
		if err != nil {
			r.Reason = reason(err)
		} else {
			r.Reason = fmt.Sprintf("the payment is in a status this tool does not know (%q)", r.Status)
		}
	default:
		if err != nil {
			r.Reason = reason(err)
		}
	}
	return r
}

// label is the outcome for people: charged, already charged (charged
// before this run), pending, refunded, not charged, unknown (resume after
// ...), conflict, invalid or unreadable. A lookup (check) never says
// "already".
func (r result) label(check bool) string {
	switch r.Outcome {
	case razorpay.OutcomeCharged:
		if !check && !r.Created {
			return "already charged"
		}
		return "charged"
	case razorpay.OutcomeNotCharged:
		return "not charged"
	case razorpay.OutcomeUnknown:
		if r.notStarted {
			return "unknown (not started)"
		}
		if t, err := time.Parse(time.RFC3339, r.ResumeAfter); err == nil {
			return "unknown (resume after " + t.UTC().Format("2006-01-02 15:04:05") + " UTC)"
		}
		return "unknown"
	}
	return string(r.Outcome)
}

// reason is an error's text without the package prefix, on one line, card
// numbers masked.
func reason(err error) string {
	s := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "razorpay: "), ": razorpay: ", ": ")
	return oneLine(razorpay.MaskCardNumbers(s))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
