// Package razorpayriver runs card-mandate charges of package razorpay as
// River jobs (github.com/riverqueue/river), on Postgres across many machines
// or on SQLite on one.
//
// A queue delivers at least once: a worker killed in the middle of a job has
// the job run again elsewhere. Payment.Charge is keyed by the bill's receipt,
// so running a bill again never charges twice; this package puts that
// guarantee on River: ChargeArgs is one bill, InsertCharges queues a batch of
// them (duplicates of a receipt collapse into one job), and ChargeWorker
// calls Payment.Charge and turns every outcome into River's vocabulary (see
// ChargeWorker for the table).
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

// InsertOpts makes River keep one job per receipt: a second insert of the
// same receipt is skipped (JobInsertResult.UniqueSkippedAsDuplicate) while a
// job for it is available, scheduled, running, retryable, pending or
// completed, that is until River's job cleaner deletes the completed job
// (after 24 hours by default, Config.CompletedJobRetentionPeriod). A
// cancelled or discarded job does not block a new insert.
//
// Even without this, a duplicate job could not charge twice: Payment.Charge
// returns the first payment of a receipt. Uniqueness saves the work.
func (ChargeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
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

// Outcome is what became of a bill, as recorded in its job's output.
type Outcome string

// Outcomes.
const (
	// OutcomeCharged: the customer was charged; the payment is captured,
	// authorized, or created and waiting for the bank.
	OutcomeCharged Outcome = "charged"
	// OutcomeNotCharged: the customer was certainly not charged (the
	// payment was declined or failed, or Razorpay refused it).
	OutcomeNotCharged Outcome = "not_charged"
	// OutcomeUnknown: Charge could not find out yet; the job is snoozed or
	// retried, and the next run resumes the same bill.
	OutcomeUnknown Outcome = "unknown"
	// OutcomeRateLimited: Razorpay answered 429; the job is snoozed.
	OutcomeRateLimited Outcome = "rate_limited"
	// OutcomeCancelled: retrying cannot help (invalid params, a receipt
	// conflict, wrong keys, a feature not enabled); the job is cancelled.
	OutcomeCancelled Outcome = "cancelled"
)

// ChargeOutput is the output that ChargeWorker records on the job with
// river.RecordOutput, under the "output" key of the job's metadata, so that
// River's own tools (River UI, JobList, SQL on river_job) show it.
type ChargeOutput struct {
	// Outcome is what became of the bill.
	Outcome Outcome `json:"outcome"`
	// Receipt is the bill's receipt.
	Receipt string `json:"receipt"`
	// PaymentID and Status are the payment, when there is one: the charge,
	// or the failed payment of a bill not charged.
	PaymentID string                 `json:"payment_id,omitempty"`
	Status    razorpay.PaymentStatus `json:"status,omitempty"`
	// OrderID is the charge order, when known.
	OrderID string `json:"order_id,omitempty"`
	// ErrorCode, ErrorReason and ErrorDescription are Razorpay's reason for
	// a failed payment.
	ErrorCode        string `json:"error_code,omitempty"`
	ErrorReason      string `json:"error_reason,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
	// Error is the error's text when the bill was not charged, or its
	// outcome is unknown, or the job was cancelled. The SDK's errors never
	// contain secrets or card numbers.
	Error string `json:"error,omitempty"`
	// SnoozedFor is how long the job was snoozed, when it was.
	SnoozedFor time.Duration `json:"snoozed_for,omitempty"`
}
