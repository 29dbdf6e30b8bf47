package razorpay

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// ErrNotCharged matches the error of Payment.Charge when the customer was
// certainly not charged: the charge order could not be created, Razorpay
// refused the payment, or the payment failed. Charging again is safe.
// (ErrOutcomeUnknown is the other case: see Payment.Charge.)
var ErrNotCharged = errors.New("razorpay: not charged")

// ChargeParams are the params of PaymentService.Charge: one debit of a
// confirmed card mandate.
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
	// Receipt is your unique reference for this charge, at most 40
	// characters, such as "sub_42-2026-11". It is stored on the charge order.
	Receipt string
	// Description is shown to the card holder.
	Description string
	// Notes are stored on the charge order and the payment.
	Notes Notes
	// OrderID resumes a charge on an existing charge order, the OrderID of a
	// *ChargeError whose outcome was unknown: Charge then returns the payment
	// already made on that order, if any, and charges only if there is none.
	OrderID string
}

// Validate checks the params before anything is sent: those of the
// recurring payment (see RecurringPaymentParams.Validate) and a receipt of 1
// to 40 characters.
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
	v.maxLen(p.Receipt, MaxReceiptLength, "receipt")
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

// ChargeError is the error of Payment.Charge. It matches ErrNotCharged when
// the customer was certainly not charged, or ErrOutcomeUnknown when Charge
// could not find out; it also matches its cause.
type ChargeError struct {
	// OrderID is the charge order, when one was created. After an unknown
	// outcome, pass it back as ChargeParams.OrderID to resume safely.
	OrderID string
	// Payment is the failed payment, when Razorpay made one and it failed.
	Payment *Payment
	// Err is the cause.
	Err error

	class error // ErrNotCharged or ErrOutcomeUnknown
}

// Error describes the failure, the order and the cause.
func (e *ChargeError) Error() string {
	var b strings.Builder
	if e.class == ErrOutcomeUnknown {
		b.WriteString("razorpay: charge outcome unknown")
	} else {
		b.WriteString("razorpay: not charged")
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
	return b.String()
}

// Unwrap returns the class sentinel and the cause.
func (e *ChargeError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.class}
	}
	return []error{e.class, e.Err}
}

// Charge charges a confirmed card mandate once, and is the recommended way to
// do so. It creates a charge order (with params.Receipt, captured
// automatically), then the recurring payment on it, and returns the payment
// as Razorpay reports it. A recurring payment may stay created for up to a
// working day; its final state arrives by webhook (payment.captured or
// payment.failed) or Payment.Fetch.
//
// Charge never charges twice. When the answer to the payment request is lost
// (a timeout, a reset, a 5xx), it does not send it again: it reconciles
// through Order.Payments, a few times with backoff, and returns the one
// payment that exists on the order. Its errors are *ChargeError and say which
// case holds:
//
//   - errors.Is(err, ErrNotCharged): the customer was certainly not charged
//     (Razorpay refused the payment, or it failed); calling Charge again is
//     safe.
//   - errors.Is(err, ErrOutcomeUnknown): Charge could not find out. The
//     context ended, Razorpay could not be reached, or the order holds no
//     payment yet although a request may still be in flight at Razorpay.
//     Call Charge again later with OrderID set to the error's OrderID: it
//     returns the payment if one has appeared, and charges on that same order
//     only if there is none. Never start a fresh charge for the same bill
//     instead, as that could charge twice. On a resumed order a refusal
//     becomes ErrNotCharged only once the order is older than
//     ChargeSettleWindow, when no earlier request can still land.
//
// A payment Razorpay reports as failed is ErrNotCharged with the payment in
// ChargeError.Payment; a successful Charge returns a payment that is
// captured, authorized or created (some banks confirm up to a working day
// later: watch the payment.captured and payment.failed webhooks).
//
// Invalid params return a *ValidationError and send nothing.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-subsequent-payments/
func (s *PaymentService) Charge(ctx context.Context, params *ChargeParams) (*Payment, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	resumed := params.OrderID != ""
	orderID := params.OrderID
	if !resumed {
		order, err := s.c.Order.Create(ctx, &OrderCreateParams{
			Amount:         params.Amount,
			Currency:       params.Currency,
			Receipt:        params.Receipt,
			Notes:          params.Notes,
			PaymentCapture: Ptr(true),
		})
		if err != nil {
			// No payment was attempted: whatever became of the order, the
			// customer was not charged.
			return nil, &ChargeError{Err: withoutUnknown(err), class: ErrNotCharged}
		}
		orderID = order.ID
	} else {
		// Resuming: the order may hold the payment of an earlier attempt.
		st, err := s.lookup(ctx, orderID, 1)
		if err != nil {
			return nil, &ChargeError{OrderID: orderID, Err: err, class: ErrOutcomeUnknown}
		}
		if st.paid != nil {
			return st.paid, nil
		}
	}
	rp, err := s.CreateRecurring(ctx, params.recurring(orderID))
	switch {
	case err == nil && rp.PaymentID != "" && s.signatureOK(orderID, rp):
		return s.created(ctx, orderID, rp.PaymentID, params)
	case err == nil, errors.Is(err, ErrOutcomeUnknown):
		// The payment may exist (or the answer cannot be trusted): ask
		// Razorpay what the order holds instead of charging again.
		return s.settle(ctx, orderID, 3, resumed, nil)
	case !resumed:
		// Razorpay refused to charge a fresh order: no other request was
		// ever made on it.
		return nil, &ChargeError{OrderID: orderID, Err: err, class: ErrNotCharged}
	default:
		// Razorpay refused (or never saw) this request, but an earlier
		// attempt on the same order may still land ("order already paid"
		// may even be the reason): look at the order again.
		return s.settle(ctx, orderID, 1, resumed, err)
	}
}

// signatureOK checks the signature of a recurring payment's answer when
// Razorpay sent one.
func (s *PaymentService) signatureOK(orderID string, rp *RecurringPayment) bool {
	if rp.Signature == "" {
		return true
	}
	err := VerifyPaymentSignature(orderID, rp.PaymentID, rp.Signature, s.c.cfg.creds.keySecret)
	if err != nil && s.c.cfg.logger != nil {
		s.c.cfg.logger.Warn("razorpay: outcome unknown: the recurring payment's answer has a bad signature; reconciling", slog.String("order_id", orderID))
	}
	return err == nil
}

// created returns the payment just created, as Razorpay reports it. A
// payment that has already failed is ErrNotCharged. If it cannot be read
// back, the charge still happened: Charge returns what it knows, in status
// created.
func (s *PaymentService) created(ctx context.Context, orderID, paymentID string, params *ChargeParams) (*Payment, error) {
	p, err := s.Fetch(ctx, paymentID)
	switch {
	case err == nil && p.Status == PaymentStatusFailed:
		return nil, &ChargeError{OrderID: orderID, Payment: p, class: ErrNotCharged}
	case err == nil:
		return p, nil
	}
	return &Payment{
		ID:         paymentID,
		Entity:     "payment",
		Amount:     params.Amount,
		Currency:   params.Currency,
		Status:     PaymentStatusCreated,
		OrderID:    orderID,
		Method:     MethodCard,
		Email:      params.Email,
		Contact:    params.Contact,
		CustomerID: params.CustomerID,
		TokenID:    params.TokenID,
		Notes:      params.Notes,
	}, nil
}

// orderState is what a charge order holds.
type orderState struct {
	paid   *Payment // a payment that is not failed
	failed *Payment // the last failed payment
}

// lookup reads the payments of a charge order, up to rounds times with
// backoff until one that is not failed appears.
func (s *PaymentService) lookup(ctx context.Context, orderID string, rounds int) (orderState, error) {
	cfg := s.c.cfg
	var st orderState
	for round := 0; round < rounds && st.paid == nil; round++ {
		if round > 0 {
			if err := sleep(ctx, backoff(cfg.backoffMin, cfg.backoffMax, round, nil)); err != nil {
				return st, err
			}
		}
		list, err := s.c.Order.Payments(ctx, orderID)
		if err != nil {
			return st, err
		}
		for i := range list.Items {
			p := &list.Items[i]
			switch {
			case p.Status == PaymentStatusFailed:
				st.failed = p
			case st.paid == nil:
				st.paid = p
			case cfg.logger != nil:
				cfg.logger.Warn("razorpay: reconciling: the charge order holds more than one payment", slog.String("order_id", orderID))
			}
		}
	}
	return st, nil
}

// settle decides a charge from what its order holds, when the answer to the
// payment request was lost (refusal nil) or when Razorpay refused the
// request on a resumed order (refusal set). A payment that is not failed is
// the charge. Otherwise the customer was certainly not charged only when no
// request that may still land remains: after a lost answer, when the order
// was fresh and holds the failed payment of that request; after a refusal on
// a resumed order, when the order is older than ChargeSettleWindow, so that
// the lost request of an earlier attempt can no longer land. Anything else
// is ErrOutcomeUnknown.
func (s *PaymentService) settle(ctx context.Context, orderID string, rounds int, resumed bool, refusal error) (*Payment, error) {
	st, err := s.lookup(ctx, orderID, rounds)
	switch {
	case err != nil:
		return nil, &ChargeError{OrderID: orderID, Err: err, class: ErrOutcomeUnknown}
	case st.paid != nil:
		return st.paid, nil
	case refusal == nil && !resumed && st.failed != nil:
		return nil, &ChargeError{OrderID: orderID, Payment: st.failed, class: ErrNotCharged}
	case refusal == nil:
		return nil, &ChargeError{OrderID: orderID, Err: errNoPaymentYet, class: ErrOutcomeUnknown}
	}
	order, err := s.c.Order.Fetch(ctx, orderID)
	switch {
	case err != nil:
		return nil, &ChargeError{OrderID: orderID, Err: err, class: ErrOutcomeUnknown}
	case time.Since(time.Unix(order.CreatedAt, 0)) < ChargeSettleWindow:
		return nil, &ChargeError{OrderID: orderID, Err: fmt.Errorf("%w; an earlier attempt on this order may still land: resume again after %v", refusal, ChargeSettleWindow), class: ErrOutcomeUnknown}
	}
	return nil, &ChargeError{OrderID: orderID, Err: refusal, class: ErrNotCharged}
}

// ChargeSettleWindow is how long after its charge order was created
// Payment.Charge assumes that a lost payment request may still land at
// Razorpay. A resumed charge that Razorpay refuses is ErrNotCharged only once
// its order is older than this; before, it stays ErrOutcomeUnknown.
const ChargeSettleWindow = 15 * time.Minute

var errNoPaymentYet = errors.New("the order holds no payment yet; resume with ChargeParams.OrderID later")

// withoutUnknown returns the cause of an outcome-unknown error, for failures
// that cannot have charged anyone.
func withoutUnknown(err error) error {
	var ou *outcomeUnknownError
	if errors.As(err, &ou) {
		return ou.cause
	}
	return err
}
