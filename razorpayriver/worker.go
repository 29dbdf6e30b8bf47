package razorpayriver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gorzp/razorpay"
	"github.com/riverqueue/river"
)

// Default rate-limit backoff: the first snooze after a 429 lasts about
// RateLimitBackoffMin, each further one twice as long, up to
// RateLimitBackoffMax.
const (
	RateLimitBackoffMin = time.Second
	RateLimitBackoffMax = time.Minute
)

// ChargeWorker is the river.Worker of ChargeArgs: it calls Payment.Charge
// with the bill's params and maps every outcome to River's vocabulary. It
// records a ChargeOutput on the job in every case (river.RecordOutput).
//
// The cases are tested in this order; the first that matches decides:
//
//	| Charge returned                                    | Output outcome | River                                 |
//	|----------------------------------------------------|----------------|---------------------------------------|
//	| a payment: captured, authorized or created         | charged        | completes (nil)                       |
//	| ErrInvalidParams: a *ValidationError, or           | cancelled      | river.JobCancel(err)                  |
//	|   ErrReceiptConflict                               |                |                                       |
//	| ErrRateLimited (429)                               | rate_limited   | river.JobSnooze(backoff)              |
//	| ErrOutcomeUnknown with RetryAfter > 0: a payment   | unknown        | river.JobSnooze(RetryAfter)           |
//	|   may be in flight                                 |                |                                       |
//	| ErrAuthentication, or a feature not enabled        | cancelled      | river.JobCancel(err)                  |
//	|   ("The requested URL was not found on the server")|                |                                       |
//	| ErrNotCharged: a failed payment, or Razorpay's own | not_charged    | completes (nil)                       |
//	|   4xx refusal (declined, failed, refused)          |                |                                       |
//	| anything else, such as ErrOutcomeUnknown with      | unknown        | the error: River retries with backoff |
//	|   RetryAfter == 0 (the bill could not be looked    |                |                                       |
//	|   up; nothing was sent)                            |                |                                       |
//
// Rate limiting comes before the outcome: a throttled bill is snoozed either
// way. A payment that may be in flight comes before a cancel: the bill is
// reconciled when it has landed, and cancelled on the next run if the keys
// are still refused.
//
// A bill not charged completes: whether and when to try the card again
// (dunning) is the application's choice, not a blind retry. To try it again,
// retry the job (Client.JobRetry): Charge charges again on the same receipt
// only when every earlier payment failed.
//
// A snooze does not count as an attempt, so a bill whose outcome stays
// unknown is resumed as long as Razorpay keeps saying a payment may be in
// flight. Every run of a job (a snooze, a retry, or a rescue after a worker
// died) calls Charge again with the same receipt, which returns the first
// payment instead of charging twice.
type ChargeWorker struct {
	river.WorkerDefaults[ChargeArgs]

	// Client is the Razorpay client that charges.
	Client *razorpay.Client

	// RateLimitBackoff returns how long to snooze a job after its n-th
	// rate-limited answer in a row (n from 1; the count is River's snoozes
	// metadata, so other snoozes count too). Nil uses a jittered exponential
	// backoff from RateLimitBackoffMin to RateLimitBackoffMax. A longer
	// ChargeError.RetryAfter wins.
	RateLimitBackoff func(n int) time.Duration
}

var _ river.Worker[ChargeArgs] = (*ChargeWorker)(nil)

// NewChargeWorker returns a ChargeWorker that charges with client.
func NewChargeWorker(client *razorpay.Client) *ChargeWorker {
	return &ChargeWorker{Client: client}
}

// Work charges the bill and maps the outcome (see ChargeWorker).
func (w *ChargeWorker) Work(ctx context.Context, job *river.Job[ChargeArgs]) error {
	if w.Client == nil {
		return river.JobCancel(errors.New("razorpayriver: ChargeWorker has no Client"))
	}
	p, err := w.Client.Payment.Charge(ctx, job.Args.Params())
	out, werr := decide(p, err, job.Metadata, w.rateLimitBackoff)
	out.Receipt = job.Args.Receipt
	if rerr := river.RecordOutput(ctx, out); rerr != nil {
		return fmt.Errorf("razorpayriver: record output: %w", rerr)
	}
	return werr
}

// decide maps the result of Charge to the job's output and Work's error.
// metadata is the job's, read for its count of snoozes when rate limited.
func decide(p *razorpay.Payment, err error, metadata []byte, backoff func(int) time.Duration) (ChargeOutput, error) {
	if err == nil {
		if p == nil { // not the contract; do not call it charged
			return ChargeOutput{Outcome: OutcomeUnknown, Error: "Charge returned no payment and no error"},
				errors.New("razorpayriver: Charge returned no payment and no error")
		}
		return ChargeOutput{Outcome: OutcomeCharged, PaymentID: p.ID, Status: p.Status, OrderID: p.OrderID}, nil
	}

	out := ChargeOutput{Outcome: OutcomeUnknown, Error: err.Error()}
	var ce *razorpay.ChargeError
	if errors.As(err, &ce) {
		out.OrderID = ce.OrderID
		if fp := ce.Payment; fp != nil {
			out.PaymentID, out.Status = fp.ID, fp.Status
			out.ErrorCode, out.ErrorReason, out.ErrorDescription = fp.ErrorCode, fp.ErrorReason, razorpay.MaskCardNumbers(fp.ErrorDescription)
			if fp.OrderID != "" {
				out.OrderID = fp.OrderID
			}
		}
	}

	var wait time.Duration // Charge's RetryAfter
	if ce != nil {
		wait = max(ce.RetryAfter, 0)
	}
	switch {
	case errors.Is(err, razorpay.ErrInvalidParams): // a *ValidationError, ErrReceiptConflict
		out.Outcome = OutcomeCancelled
		return out, river.JobCancel(err)

	case errors.Is(err, razorpay.ErrRateLimited):
		d := max(backoff(snoozes(metadata)+1), wait)
		out.Outcome, out.SnoozedFor = OutcomeRateLimited, d
		return out, river.JobSnooze(d)

	case errors.Is(err, razorpay.ErrOutcomeUnknown) && wait > 0:
		// A payment may be in flight: come back when it has landed or
		// can no longer land, whatever the cause.
		out.SnoozedFor = wait
		return out, river.JobSnooze(wait)

	case errors.Is(err, razorpay.ErrAuthentication), featureNotEnabled(err):
		out.Outcome = OutcomeCancelled
		return out, river.JobCancel(err)

	case errors.Is(err, razorpay.ErrNotCharged):
		// Charge says so only with a failed payment or Razorpay's own
		// refusal: dunning is the application's choice.
		out.Outcome = OutcomeNotCharged
		return out, nil
	}
	// ErrOutcomeUnknown with nothing left in flight (the bill could not
	// even be looked up), or an error outside the contract: River retries
	// with its backoff; a rerun cannot charge twice.
	return out, err
}

// featureNotEnabled reports whether Razorpay answered "The requested URL was
// not found on the server", which for the SDK's own requests means the
// feature (recurring payments, card references) is not enabled on the
// account.
func featureNotEnabled(err error) bool {
	var re *razorpay.Error
	return errors.As(err, &re) && re.FeatureNotEnabled()
}

// snoozes returns River's count of the job's snoozes so far, from its
// metadata ("snoozes"), or 0.
func snoozes(metadata []byte) int {
	var m struct {
		Snoozes int `json:"snoozes"`
	}
	if len(metadata) == 0 || json.Unmarshal(metadata, &m) != nil {
		return 0
	}
	return max(m.Snoozes, 0)
}

func (w *ChargeWorker) rateLimitBackoff(n int) time.Duration {
	if w.RateLimitBackoff != nil {
		return max(w.RateLimitBackoff(n), 0)
	}
	return DefaultRateLimitBackoff(n)
}

// DefaultRateLimitBackoff is the backoff ChargeWorker uses after the n-th
// rate-limited answer (n from 1) when RateLimitBackoff is nil: about
// RateLimitBackoffMin·2^(n-1), at most RateLimitBackoffMax, with jitter
// (between half and all of it) so that many jobs throttled together do not
// come back together.
func DefaultRateLimitBackoff(n int) time.Duration {
	d := RateLimitBackoffMax
	if n < 1 {
		n = 1
	}
	if n <= 16 {
		d = min(RateLimitBackoffMin<<(n-1), RateLimitBackoffMax)
	}
	return d/2 + rand.N(d/2+1)
}
