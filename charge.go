package razorpay

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotCharged matches the error of Payment.Charge (and LookupCharge) when
// the bill is not charged: Razorpay refused the payment (ChargeError.Payment
// is nil: a mandate that is not confirmed, an amount above its maximum, an
// order Razorpay would not create) or the payment failed (ChargeError.Payment
// holds it: the card was declined), and no other payment of the receipt
// lives or can still land. Charging again with Charge, on the same receipt,
// is safe.
//
// A failed payment can still be authorized late (Razorpay keeps asking the
// bank for about three days). Charge charges a bill again on the order that
// holds its failed payments, and relies on Razorpay's Orders rule for such an
// order: of two successful payments on one order, the later one is refunded
// at once. Razorpay documents the rule for a late authorization that follows
// a successful payment; that it also refunds a payment that succeeds after
// the late one is an assumption (the docs do not describe that order of
// events).
var ErrNotCharged = errors.New("razorpay: not charged")

// ErrReceiptConflict matches the error of Payment.Charge when the receipt
// already belongs to another charge: a live payment of the receipt is for
// another amount, currency, customer or token (and none is the bill's), or
// ChargeParams.OrderID names an order of another amount, currency or
// receipt. This call charged nothing. It also matches ErrInvalidParams.
var ErrReceiptConflict = fmt.Errorf("%w: the receipt belongs to another charge", ErrInvalidParams)

// ErrReceiptUnreadable matches the error of Payment.Charge when it cannot
// read every order of the receipt: more than MaxReceiptOrders orders carry
// it, or the orders list never showed the order the call had just created
// (it lagged behind for longer than Charge re-reads it). Charge does not
// charge a bill it cannot see whole: this call charged nothing, and released
// the order it created, but the bill may already be charged on an order it
// could not read. Calling Charge again does not help; look at the receipt's
// orders in the Dashboard (OutcomeUnreadable).
var ErrReceiptUnreadable = errors.New("razorpay: the receipt's orders cannot be read whole")

// ChargeSettleWindow is the default of how long after a charge order was
// created, on Razorpay's clock, Payment.Charge assumes that a payment
// request decided on it may still land (see WithChargeSettleWindow).
const ChargeSettleWindow = 15 * time.Minute

// MaxReceiptOrders is the most orders Payment.Charge reads for one receipt;
// past it, it stops with ErrReceiptUnreadable. Charge itself leaves at most
// a few orders per bill.
const MaxReceiptOrders = maxReceiptPages * MaxListCount

const maxReceiptPages = 20

// ChargeParams are the params of PaymentService.Charge: one debit of a
// confirmed card mandate, for one bill.
type ChargeParams struct {
	// CustomerID is the customer who owns the token.
	CustomerID string
	// TokenID is the confirmed mandate token ("token_...").
	TokenID string
	// Amount is in paise, at most the token's max_amount.
	Amount int64
	// Currency is the three-letter ISO code, INR for card mandates.
	Currency string
	// Email and Contact are the card holder's.
	Email   string
	Contact string
	// Receipt is the bill's identity, 1 to 40 characters, such as
	// "sub_42-2026-11": one receipt per bill, never reused for another. It
	// must not start or end with a space, nor hold invisible or space-like
	// characters. Charge stores it on the charge order and finds the bill's
	// orders by it, so that calling Charge again for the same bill, from
	// any process, never charges twice.
	Receipt string
	// Description is shown to the card holder.
	Description string
	// Notes are stored on the charge order and the payment: at most 14
	// pairs, since Charge keeps one note of its own on the order under the
	// key ChargeNoteKey.
	Notes Notes
	// OrderID optionally names a charge order of this bill, such as the
	// OrderID of an earlier *ChargeError. Charge finds the bill's orders by
	// Receipt anyway; with OrderID it charges that order when the bill needs
	// charging and no order holds a failed payment of the bill.
	OrderID string
}

// ChargeNoteKey is the note Payment.Charge keeps on each charge order it
// creates: a random value while the call may still charge it, and
// "released" once the call has given it up without charging (so that
// other calls for the bill need not wait for it). Do not set it yourself.
const ChargeNoteKey = "gorzp_charge"

// chargeReleased is ChargeNoteKey's value on a released order.
const chargeReleased = "released"

// Validate checks the params before anything is sent: those of the
// recurring payment (see RecurringPaymentParams.Validate), a receipt of 1
// to 40 characters of valid UTF-8 without control characters, spaces at
// either end or invisible and space-like characters, and notes that leave
// room for ChargeNoteKey.
func (p *ChargeParams) Validate() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	orderID := p.OrderID
	if orderID == "" {
		orderID = "order_to_be_created" // Charge creates it
	}
	if err := p.recurring(orderID).Validate(); err != nil {
		return err
	}
	var v validator
	v.required(p.Receipt, "receipt")
	v.receipt(p.Receipt, "receipt")
	_, reserved := p.Notes[ChargeNoteKey]
	v.check(!reserved, "notes", "must not hold the key "+ChargeNoteKey+", which Charge keeps itself")
	v.check(len(p.Notes) < MaxNotes, "notes", fmt.Sprintf("must hold at most %d pairs (Charge keeps one of the %d Razorpay allows)", MaxNotes-1, MaxNotes))
	return v.err
}

// validateLookup checks the params of LookupCharge: a receipt, and the
// bill's other fields when they are set.
func (p *ChargeParams) validateLookup() error {
	if p == nil {
		return &ValidationError{Field: "params", Message: "must not be nil"}
	}
	var v validator
	v.required(p.Receipt, "receipt")
	v.receipt(p.Receipt, "receipt")
	v.check(p.Amount >= 0, "amount", "must not be negative")
	for _, f := range [...]struct{ id, name string }{{p.OrderID, "order_id"}, {p.CustomerID, "customer_id"}, {p.TokenID, "token_id"}} {
		if f.id != "" {
			v.id(f.id, f.name)
		}
	}
	return v.err
}

// recurring returns the params of the recurring payment on orderID.
func (p *ChargeParams) recurring(orderID string) *RecurringPaymentParams {
	return &RecurringPaymentParams{
		Email:       p.Email,
		Contact:     p.Contact,
		Amount:      p.Amount,
		Currency:    p.Currency,
		OrderID:     orderID,
		CustomerID:  p.CustomerID,
		TokenID:     p.TokenID,
		Description: p.Description,
		Notes:       p.Notes,
	}
}

// ChargeError is the error of Payment.Charge and Payment.LookupCharge. It
// matches one class: ErrNotCharged when the bill is certainly not charged,
// ErrOutcomeUnknown when Charge could not settle it now,
// ErrReceiptUnreadable when it cannot read the receipt whole, or
// ErrReceiptConflict. It also matches its cause. Outcome says which, as
// OutcomeOf does.
type ChargeError struct {
	// OrderID is the charge order concerned, when there is one.
	OrderID string
	// Payment is the failed payment, when Razorpay made one and it failed.
	Payment *Payment
	// Err is the cause.
	Err error
	// RetryAfter, with ErrOutcomeUnknown, is how long to wait before calling
	// Charge again with the same params: until another attempt that may be
	// charging the bill has had time to finish, or until a payment request
	// of this call that may still land can no longer land. Calling earlier
	// is safe (Charge waits again, creating nothing), only wasteful. Zero
	// means that this call left nothing in flight: call again at will.
	RetryAfter time.Duration

	class error // ErrNotCharged, ErrOutcomeUnknown, ErrReceiptUnreadable or nil
}

// Error describes the failure, the order and the cause.
func (e *ChargeError) Error() string {
	var b strings.Builder
	switch e.class {
	case ErrOutcomeUnknown:
		b.WriteString("razorpay: charge outcome unknown")
	case ErrNotCharged:
		b.WriteString("razorpay: not charged")
	case ErrReceiptUnreadable:
		b.WriteString("razorpay: charge stopped")
	default:
		b.WriteString("razorpay: charge refused")
	}
	if e.OrderID != "" {
		b.WriteString(" (order " + e.OrderID + ")")
	}
	if e.Payment != nil {
		b.WriteString(": payment " + e.Payment.ID + " failed")
		if e.Payment.ErrorDescription != "" {
			b.WriteString(": " + maskDigits(e.Payment.ErrorDescription))
		}
	}
	if e.Err != nil {
		b.WriteString(": " + strings.TrimPrefix(e.Err.Error(), "razorpay: "))
	}
	if e.class == ErrOutcomeUnknown && e.RetryAfter > 0 {
		b.WriteString("; call Charge again after " + e.RetryAfter.String())
	}
	return b.String()
}

// Unwrap returns the class sentinel and the cause.
func (e *ChargeError) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.class != nil && e.class != e.Err {
		errs = append(errs, e.class)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// ChargeInfo says what one call of Payment.Charge or Payment.LookupCharge
// did, for logs, reports and tests: ask for it with WithChargeInfo.
type ChargeInfo struct {
	// Created reports that this call made the payment it returned. It is
	// false when the call returned the bill's payment made earlier (a rerun
	// or a redelivery of a charged bill), and when it returned an error.
	Created bool
	// OrderID is the charge order this call created, "" if it created none.
	OrderID string
	// Released reports that the call marked the order it created as never
	// to be charged (see ChargeNoteKey), so that the next call need not
	// wait for it.
	Released bool
	// Requests is how many requests the call sent to Razorpay (a request
	// the SDK retried counts once).
	Requests int
}

type chargeInfoKey struct{}

// WithChargeInfo returns a copy of ctx that makes Payment.Charge and
// Payment.LookupCharge report what they did into info (overwritten by each
// call that gets the context), in the way httptrace.WithClientTrace asks
// net/http for a trace. Other calls ignore it.
func WithChargeInfo(ctx context.Context, info *ChargeInfo) context.Context {
	return context.WithValue(ctx, chargeInfoKey{}, info)
}

// MaxChargeDuration is the longest one call of Payment.Charge or
// Payment.LookupCharge on c can take, for a job queue's timeout: the
// settle window, plus six requests that each use every attempt
// WithMaxRetries allows, timing out (WithTimeout; 60 s when it is off)
// with the longest backoff between attempts (WithRetryBackoff). It is 25
// minutes with the default options. A receipt with more than a hundred
// orders adds a request per page. The caller's context bounds the call
// too: a call cut short answers ErrOutcomeUnknown with a RetryAfter.
func (c *Client) MaxChargeDuration() time.Duration {
	if c == nil || c.cfg == nil {
		return 0
	}
	cfg := c.cfg
	attempt := cfg.timeout
	if attempt <= 0 {
		attempt = 2 * DefaultTimeout
	}
	request := time.Duration(cfg.maxRetries+1)*attempt + time.Duration(cfg.maxRetries)*cfg.backoffMax
	return cfg.settleWindow + 6*request
}

// Charge charges a confirmed card mandate once for one bill, identified by
// params.Receipt, and is the recommended way to charge. Calling it again
// with the same params, from any process, after a crash, a redelivery or in
// two workers at once, never charges the bill a second time: it returns the
// bill's payment when there is one. The caller keeps no state.
//
// Classify its answer with OutcomeOf. A payment and a nil error is the
// bill's payment: captured (OutcomeCharged), created or authorized
// (OutcomePending: the bank confirms a recurring debit a day or more later;
// call Charge again later, it returns the payment in its new state and
// never makes another while it lives), or refunded in full (OutcomeRefunded:
// settled, never charged again). The errors are *ChargeError, or
// *ValidationError for invalid params (nothing is sent); test them in this
// order, as OutcomeOf does:
//
//  1. errors.Is(err, ErrReceiptConflict): the receipt belongs to another
//     charge. This call charged nothing; fix the receipt. (It also matches
//     ErrInvalidParams.)
//  2. errors.Is(err, ErrInvalidParams): invalid params, nothing sent.
//  3. errors.Is(err, ErrReceiptUnreadable): Charge cannot read the
//     receipt's orders whole; it charged nothing, the bill may be charged
//     already. A person looks.
//  4. errors.Is(err, ErrOutcomeUnknown): Charge could not settle the bill
//     now. Call it again with the same params after ChargeError.RetryAfter
//     (zero: at will); it returns the payment if one has landed and charges
//     only if none can. Never charge the bill under another receipt instead.
//  5. errors.Is(err, ErrNotCharged): certainly not charged;
//     ChargeError.Payment holds the failed payment if there is one.
//     Charging again (dunning) is safe.
//
// Causes such as ErrAuthentication or ErrRateLimited are matched too: decide
// "charged or not" by the class first, then look at the cause for why.
//
// # How it works
//
// Charge first lists the receipt's orders with their payments (Order.List
// with Receipt and ExpandPayments). A live payment of the bill (any status
// but failed, on any order of the receipt, for the bill's amount, currency,
// customer and token) is returned at once: one request, no order created. A
// live payment that is not the bill's is a conflict. An order that may be
// another attempt's ticket (younger than the settle window, without any
// payment, not released) makes the call wait: ErrOutcomeUnknown with a
// RetryAfter that is short while that order is young (its attempt is most
// likely about to pay) and reaches its end of window at most. A waiting
// call creates nothing, so waits never chain.
//
// Otherwise the call creates its own charge order with the receipt (its
// ticket, marked with a random ChargeNoteKey note) and lists the receipt
// again, re-reading a few times when the list does not show the ticket yet.
// It charges only if no other ticket that is not released, young and
// without any payment is as early as its own (one created in the same
// second counts: both calls release their tickets and come back after a
// short random wait, which grows with the bill's recent stand-downs). It charges the order holding the bill's failed
// payments, if any (see ErrNotCharged), else the OrderID asked for, else its
// ticket; it sends the payment request only while its ticket is younger
// than the settle window minus a guard, measured on its own monotonic clock
// from before the ticket was requested, and gives the request a deadline
// inside that time. A call that does not charge, or whose payment certainly
// failed, releases its ticket (Order.Update of its notes) so that the next
// call need not wait. After any answer to the payment request but a
// success, Charge reads the order back before it says "not charged".
//
// A new bill takes five requests (list, create the ticket, list, pay, read
// the payment back); a bill already charged one. See WithChargeInfo for what
// a call did.
//
// # What it assumes
//
//   - The orders list is linearizable for orders: an order created before a
//     list request was sent is in its answer, with the payments it holds
//     then. Charge checks it for its own ticket (and re-reads a lagging
//     list), not for other attempts' orders.
//   - Order created_at values are Razorpay's clock, which runs at real time
//     and agrees with itself within a second: an order created after
//     another never has a smaller created_at.
//   - A payment request lands at Razorpay, if ever, within the settle window
//     (ChargeSettleWindow, or WithChargeSettleWindow) of its ticket's
//     creation. Charge enforces its part: it neither sends nor waits for the
//     request past the window minus the guard; Razorpay must not act on a
//     request more than the guard minus two seconds after the SDK gave up
//     on it.
//   - The receipt identifies the bill: one receipt per bill.
//
// On an account that enforces unique receipts the bill has one order, and
// a call whose ticket is refused with the receipt taken charges that order
// once it is released or older than the window, without a ticket: two such
// calls that overlap could both send a payment on it, and Razorpay's rule
// for two payments on one order (see ErrNotCharged) is then the backstop.
// Run one attempt per bill at a time there, as queues with unique jobs do.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-subsequent-payments/
func (s *PaymentService) Charge(ctx context.Context, params *ChargeParams) (*Payment, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	if err := s.c.Err(); err != nil {
		return nil, err
	}
	b := newBill(ctx, s, params)
	return b.done(b.charge(ctx))
}

// LookupCharge answers what Charge would find for the bill, without
// creating or charging anything: one list of the receipt's orders (one
// request per hundred orders). Only params.Receipt is required; the bill's
// other fields, when set, are matched as Charge matches them (a live payment
// for another amount is a conflict). Classify its answer with OutcomeOf: the
// bill's payment (charged, pending or refunded), or a *ChargeError that is
// ErrNotCharged (no live payment and none can land; ChargeError.Payment is
// the latest failed payment, if any), ErrOutcomeUnknown (an order of the
// receipt may be about to be charged: look again after RetryAfter),
// ErrReceiptConflict or ErrReceiptUnreadable. It ages orders on the Date
// header of Razorpay's answer.
//
// It is for reports, reconciliation and support; Charge is for charging
// (a LookupCharge that says "not charged" does not reserve the bill).
//
// Razorpay API docs: https://razorpay.com/docs/api/orders/fetch-all/
func (s *PaymentService) LookupCharge(ctx context.Context, params *ChargeParams) (*Payment, error) {
	if err := params.validateLookup(); err != nil {
		return nil, err
	}
	if err := s.c.Err(); err != nil {
		return nil, err
	}
	b := newBill(ctx, s, params)
	return b.done(b.lookup(ctx))
}
