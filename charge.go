package razorpay

import (
	"context"
	"errors"
	"log/slog"
	"strings"
)

// ErrNotCharged matches the error of Payment.Charge when the customer was
// certainly not charged: the charge order could not be created, Razorpay
// refused the payment, or the payment failed. Charging again is safe.
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
			b.WriteString(": " + e.Payment.ErrorDescription)
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
//     (Razorpay refused, or the payment failed); calling Charge again is
//     safe.
//   - errors.Is(err, ErrOutcomeUnknown): Charge could not find out. The
//     context ended, Razorpay could not be reached, or the order holds no
//     payment yet although the request may still be in flight at Razorpay.
//     Call Charge again later with OrderID set to the error's OrderID: it
//     returns the payment if one has appeared, and charges on that same order
//     only if there is none. Never start a fresh charge for the same bill
//     instead, as that could charge twice.
//
// Invalid params return a *ValidationError and send nothing.
//
// Razorpay API docs: https://razorpay.com/docs/api/payments/recurring-payments/cards/create-subsequent-payments/
func (s *PaymentService) Charge(ctx context.Context, params *ChargeParams) (*Payment, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	orderID := params.OrderID
	if orderID == "" {
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
		return s.created(ctx, orderID, rp.PaymentID, params), nil
	case err == nil, errors.Is(err, ErrOutcomeUnknown):
		// The payment may exist (or the answer cannot be trusted): ask
		// Razorpay what the order holds instead of charging again.
		return s.settle(ctx, orderID, 3, nil)
	case params.OrderID != "" && (errors.Is(err, ErrRateLimited) || notSent(err)):
		// This request was not acted on, but that says nothing of the
		// earlier attempt that may still be in flight on this order.
		if st, lerr := s.lookup(ctx, orderID, 1); lerr == nil && st.paid != nil {
			return st.paid, nil
		}
		return nil, &ChargeError{OrderID: orderID, Err: err, class: ErrOutcomeUnknown}
	case params.OrderID != "":
		// A refusal on a resumed order may mean that an earlier attempt
		// has paid it meanwhile ("order already paid"): look once more.
		return s.settle(ctx, orderID, 1, err)
	default:
		return nil, &ChargeError{OrderID: orderID, Err: err, class: ErrNotCharged}
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
		s.c.cfg.logger.Warn("razorpay: recurring payment answer has a bad signature; reconciling", slog.String("order_id", orderID))
	}
	return err == nil
}

// created returns the payment just created, as Razorpay reports it. If it
// cannot be read back, the charge still happened: Charge returns what it
// knows, in status created.
func (s *PaymentService) created(ctx context.Context, orderID, paymentID string, params *ChargeParams) *Payment {
	p, err := s.Fetch(ctx, paymentID)
	if err == nil {
		return p
	}
	if l := s.c.cfg.logger; l != nil {
		l.Warn("razorpay: charge created but not read back", slog.String("payment_id", paymentID), slog.String("order_id", orderID))
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
	}
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
				cfg.logger.Warn("razorpay: charge order holds more than one payment", slog.String("order_id", orderID))
			}
		}
	}
	return st, nil
}

// settle decides a charge whose answer was lost (refusal nil) or refused on
// a resumed order, from what the order holds: its payment, or ErrNotCharged
// when it holds none that is not failed and the payment was refused or
// failed, or ErrOutcomeUnknown when it holds none yet or cannot be read.
func (s *PaymentService) settle(ctx context.Context, orderID string, rounds int, refusal error) (*Payment, error) {
	st, err := s.lookup(ctx, orderID, rounds)
	switch {
	case err != nil:
		return nil, &ChargeError{OrderID: orderID, Err: err, class: ErrOutcomeUnknown}
	case st.paid != nil:
		return st.paid, nil
	case refusal != nil:
		return nil, &ChargeError{OrderID: orderID, Err: refusal, class: ErrNotCharged}
	case st.failed != nil:
		return nil, &ChargeError{OrderID: orderID, Payment: st.failed, class: ErrNotCharged}
	}
	return nil, &ChargeError{OrderID: orderID, Err: errNoPaymentYet, class: ErrOutcomeUnknown}
}

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
