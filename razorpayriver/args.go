// Package razorpayriver runs card-mandate charges of package razorpay as
// River jobs (github.com/riverqueue/river), on Postgres across many machines
// or on SQLite on one.
//
// A queue delivers at least once: a worker killed in the middle of a job has
// the job run again elsewhere. Payment.Charge is keyed by the bill's receipt,
// so running a bill again never charges twice; this package puts that
// guarantee on River: ChargeArgs is one bill, on its own queue (Queue),
// InsertCharges queues a batch of them (duplicates of a receipt collapse
// into one job), and ChargeWorker charges them and follows each to the end:
// a payment pending at the bank until it settles, a declined card through a
// dunning schedule, refused keys until they are fixed. It decides with
// razorpay.OutcomeOf and turns every outcome into River's vocabulary (see
// ChargeWorker for the table); its OnSettled hook records a settled bill in
// the application's database in the transaction that completes the job.
//
// River's tables must exist before a client starts (rivermigrate, once per
// deploy), and a client works the bills only if its Config.Queues names
// Queue.
//
// The package lives in its own module so that the SDK's module stays
// standard-library only.
package razorpayriver

import (
	"time"

	"github.com/gorzp/razorpay"
	"github.com/riverqueue/river"
)

// Kind is the River job kind of ChargeArgs.
const Kind = "razorpay_charge"

// Queue is the River queue that ChargeArgs jobs are inserted into, unless
// the caller's InsertOpts name another. A River client works it only when
// its Config.Queues names it:
//
//	Queues: map[string]river.QueueConfig{razorpayriver.Queue: {MaxWorkers: 8}}
//
// Billing on a queue of its own keeps it apart from the application's other
// jobs: its own concurrency (Razorpay's rate limits), and no bill waits
// behind a burst of unrelated work.
const Queue = "razorpay_charge"

// ChargeArgs is one bill: the River job args of a charge on a confirmed card
// mandate. Its fields are those of razorpay.ChargeParams; the receipt is the
// bill's identity, both for Payment.Charge (which never charges one receipt
// twice) and for River (which keeps one job per receipt, see InsertOpts).
//
// The args are stored in the job's row as JSON: they carry the customer's
// email and contact, which are personal data, and no secret.
type ChargeArgs struct {
	// CustomerID is the customer who owns the token.
	CustomerID string `json:"customer_id"`
	// TokenID is the confirmed mandate token ("token_...").
	TokenID string `json:"token_id"`
	// Amount is in paise, at most the token's max_amount.
	Amount int64 `json:"amount"`
	// Currency is the three-letter ISO code, INR for card mandates.
	Currency string `json:"currency"`
	// Receipt is the bill's unique reference, at most 40 characters, such as
	// "sub_42-2026-11". It alone makes a job unique.
	Receipt string `json:"receipt" river:"unique"`
	// Email and Contact are the card holder's.
	Email   string `json:"email,omitempty"`
	Contact string `json:"contact,omitempty"`
	// Description is shown to the card holder.
	Description string `json:"description,omitempty"`
	// Notes are stored on the charge order and the payment.
	Notes razorpay.Notes `json:"notes,omitempty"`
}

// Kind returns "razorpay_charge".
func (ChargeArgs) Kind() string { return Kind }

// InsertOpts puts the job on Queue and makes River keep one job per receipt:
// a second insert of the same receipt is skipped
// (JobInsertResult.UniqueSkippedAsDuplicate) while a job for it is
// available, scheduled, running, retryable, pending or completed, that is
// until River's job cleaner deletes the completed job (after 24 hours by
// default, Config.CompletedJobRetentionPeriod). A cancelled or discarded job
// does not block a new insert. A caller's InsertOpts.Queue overrides Queue.
//
// Even without this, a duplicate job could not charge twice: Payment.Charge
// returns the bill's payment when there is one. Uniqueness saves the work.
func (ChargeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		Queue:      Queue,
		UniqueOpts: river.UniqueOpts{ByArgs: true},
	}
}

// Params returns the razorpay.ChargeParams of the bill.
func (a ChargeArgs) Params() *razorpay.ChargeParams {
	return &razorpay.ChargeParams{
		CustomerID:  a.CustomerID,
		TokenID:     a.TokenID,
		Amount:      a.Amount,
		Currency:    a.Currency,
		Email:       a.Email,
		Contact:     a.Contact,
		Receipt:     a.Receipt,
		Description: a.Description,
		Notes:       a.Notes,
	}
}

// Outcome is what became of a bill: razorpay.OutcomeOf of the last answer
// the worker had about it (see razorpay.ChargeOutcome for the values).
type Outcome = razorpay.ChargeOutcome

// The outcomes of earlier releases. Use razorpay's constants.
const (
	// Deprecated: use razorpay.OutcomeCharged. Charged now means captured;
	// a created or authorized payment is razorpay.OutcomePending.
	OutcomeCharged = razorpay.OutcomeCharged
	// Deprecated: use razorpay.OutcomeNotCharged.
	OutcomeNotCharged = razorpay.OutcomeNotCharged
	// Deprecated: use razorpay.OutcomeUnknown.
	OutcomeUnknown = razorpay.OutcomeUnknown
	// Deprecated: no longer recorded. A throttled bill is
	// razorpay.OutcomeUnknown with ActionSnooze and a count in
	// ChargeOutput.RateLimited.
	OutcomeRateLimited Outcome = "rate_limited"
	// Deprecated: no longer recorded. A cancelled job has ActionCancel and
	// the outcome that made the worker stop (conflict, invalid, unreadable
	// or pending).
	OutcomeCancelled Outcome = "cancelled"
)

// Action is what ChargeWorker did with a job after a run, as recorded in
// ChargeOutput.Action.
type Action string

// Actions.
const (
	// ActionComplete: the job completed; the worker is done with the bill
	// (charged, refunded, not charged for good, or, with OnSettled, a bill
	// left for a person that the application has recorded).
	ActionComplete Action = "complete"
	// ActionSnooze: the job runs again after ChargeOutput.SnoozedFor (a
	// payment pending at the bank, the next try of a declined card, a
	// payment that may be in flight, a rate limit). A snooze is not one of
	// River's attempts.
	ActionSnooze Action = "snooze"
	// ActionRetry: the run returned an error, which River records in the
	// job's errors, and River runs the job again (ChargeWorker.NextRetry).
	ActionRetry Action = "retry"
	// ActionCancel: the job was cancelled because a person must look at the
	// bill (a receipt conflict, invalid params, orders that cannot be read,
	// a payment pending for longer than PendingLimit). Only without
	// OnSettled; with it such a bill is recorded and completed.
	ActionCancel Action = "cancel"
)

// ChargeAttempt is one try of the customer's card for a bill: a payment
// the worker saw, followed until it settled, or Razorpay's refusal to make
// one.
type ChargeAttempt struct {
	// At is when the worker first saw it (the worker's clock).
	At time.Time `json:"at"`
	// Outcome is razorpay.OutcomeOf of the payment as last seen, or of the
	// refusal.
	Outcome Outcome `json:"outcome"`
	// PaymentID, Status and OrderID are the payment's, when there is one.
	PaymentID string                 `json:"payment_id,omitempty"`
	Status    razorpay.PaymentStatus `json:"status,omitempty"`
	OrderID   string                 `json:"order_id,omitempty"`
	// ErrorCode, ErrorReason and ErrorDescription are Razorpay's reason for
	// a failed payment (card numbers masked).
	ErrorCode        string `json:"error_code,omitempty"`
	ErrorReason      string `json:"error_reason,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
	// Error is Razorpay's refusal, when it made no payment.
	Error string `json:"error,omitempty"`
	// Checks counts the runs that found the payment pending.
	Checks int `json:"checks,omitempty"`
}

// ChargeOutput is the output that ChargeWorker records on the job with
// river.RecordOutput after every run, under the "output" key of the job's
// metadata, so that River's own tools (River UI, JobList, SQL on river_job)
// show it. The worker reads it back on the job's next run: it is the job's
// memory (attempts, pending checks, rate-limit count).
type ChargeOutput struct {
	// Outcome is razorpay.OutcomeOf of the run's answer.
	Outcome Outcome `json:"outcome"`
	// Action is what the worker did with the job.
	Action Action `json:"action,omitempty"`
	// Note says why, in words for an operator: the decline and the next try,
	// the pending payment and the next check, what a person must do.
	Note string `json:"note,omitempty"`
	// Receipt is the bill's receipt.
	Receipt string `json:"receipt"`
	// PaymentID and Status are the payment of the answer, when there is
	// one: the charge, or the failed payment of a bill not charged.
	PaymentID string                 `json:"payment_id,omitempty"`
	Status    razorpay.PaymentStatus `json:"status,omitempty"`
	// OrderID is the charge order, when known.
	OrderID string `json:"order_id,omitempty"`
	// ErrorCode, ErrorReason and ErrorDescription are Razorpay's reason for
	// a failed payment.
	ErrorCode        string `json:"error_code,omitempty"`
	ErrorReason      string `json:"error_reason,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
	// Error is the answer's error text, when there is one. The SDK's errors
	// never contain secrets or card numbers.
	Error string `json:"error,omitempty"`
	// SnoozedFor is how long the job was snoozed, with ActionSnooze.
	SnoozedFor time.Duration `json:"snoozed_for,omitempty"`
	// Attempts are the tries of the card so far, oldest first: every
	// payment of the bill that the worker saw (the first, and each try of
	// the dunning schedule) and Razorpay's refusals.
	Attempts []ChargeAttempt `json:"attempts,omitempty"`
	// RateLimited counts the rate-limited answers in a row (429), for the
	// backoff; zero after any other answer.
	RateLimited int `json:"rate_limited,omitempty"`
}
